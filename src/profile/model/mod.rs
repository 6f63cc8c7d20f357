//! The profile model: every switch a profile can set, declared once with its doc comment and
//! source. Serde + schemars; the JSON schema is generated from here.
//!
//! A profile file holds a header (`schema`, `name`, `emulates`, `extends`, `sources`) and
//! sections. Each section is consumed by exactly one module, which compiles it into its own
//! policy type (`profile::compile`). Version facts live only in `profiles/*.toml`.

pub mod connection;
pub mod hooks;
pub mod logging;
pub mod protocol;
pub mod section;
pub mod store;
pub mod texts;

pub use connection::*;
pub use hooks::*;
pub use logging::*;
pub use protocol::*;
pub use section::{FieldError, Section};
pub use store::*;
pub use texts::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The profile file format version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Declares the sections once: the merged `Profile`, the per-file `ProfilePatch`, and the
/// table that routes a section name to its loader.
macro_rules! sections {
    ($($field:ident : $ty:ident),* $(,)?) => {
        /// A complete profile, after `extends` has been merged.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct Profile {
            /// Profile format version; this build reads `1`.
            pub schema: u32,
            /// The name listeners and `extends` refer to.
            pub name: String,
            /// What it behaves like, for people (`Microsoft Exchange Server 2010 SP1`).
            pub emulates: String,
            /// The parent profile whose switches this one starts from.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub extends: Option<String>,
            /// The MS-STANXIMAP ids and other sources this profile encodes.
            #[serde(default)]
            pub sources: Vec<String>,
            $( pub $field: $ty, )*
        }

        /// What one file says: its header and, per section, the switches it sets.
        #[derive(Clone, Debug, Default)]
        pub struct ProfilePatch {
            $( pub $field: <$ty as Section>::Patch, )*
        }

        impl ProfilePatch {
            /// Takes `section.key = value`. `Err(None)` when the section is unknown.
            pub fn set(
                &mut self,
                section: &str,
                key: &str,
                value: toml::Spanned<toml::de::DeValue<'_>>,
            ) -> Result<(), Option<FieldError>> {
                match section {
                    $( stringify!($field) => <$ty as Section>::set(&mut self.$field, key, value).map_err(Some), )*
                    _ => Err(None),
                }
            }

            /// Overlays a child's patch on its parent's.
            pub fn merge(&mut self, over: ProfilePatch) {
                $( <$ty as Section>::merge(&mut self.$field, over.$field); )*
            }

            /// `(section, switch)` pairs this patch sets.
            pub fn set_fields(&self) -> Vec<(&'static str, &'static str)> {
                let mut out = Vec::new();
                $( out.extend(<$ty as Section>::set_fields(&self.$field).into_iter().map(|f| (stringify!($field), f))); )*
                out
            }

            /// The full sections, or every `section.switch` nobody set.
            pub fn finish(self, header: Header) -> Result<Profile, Vec<String>> {
                let mut missing = Vec::new();
                $(
                    let $field = <$ty as Section>::finish(self.$field).map_err(|m| {
                        missing.extend(m.into_iter().map(|f| format!("[{}] {}", stringify!($field), f)));
                    });
                )*
                if !missing.is_empty() {
                    return Err(missing);
                }
                Ok(Profile {
                    schema: header.schema,
                    name: header.name,
                    emulates: header.emulates,
                    extends: header.extends,
                    sources: header.sources,
                    $( $field: $field.expect("no section is missing"), )*
                })
            }
        }

        /// Section names, in file order.
        pub const SECTIONS: &[&str] = &[$(stringify!($field)),*];

        /// Switch names of a section.
        pub fn section_fields(section: &str) -> &'static [&'static str] {
            match section {
                $( stringify!($field) => <$ty as Section>::FIELDS, )*
                _ => &[],
            }
        }
    };
}

sections! {
    greeting: Greeting,
    capabilities: Capabilities,
    auth: Auth,
    timeouts: Timeouts,
    limits: Limits,
    parsing: Parsing,
    responses: Responses,
    mailboxes: Mailboxes,
    messages: Messages,
    texts: Texts,
    logging: Logging,
    hooks: Hooks,
}

/// The header keys of one profile file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub schema: u32,
    pub name: String,
    pub emulates: String,
    pub extends: Option<String>,
    pub sources: Vec<String>,
}

/// Header key names, for "unknown key" messages.
pub const HEADER_KEYS: &[&str] = &["schema", "name", "emulates", "extends", "sources"];
