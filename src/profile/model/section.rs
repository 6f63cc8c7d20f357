//! The machinery every profile section shares: a `section!` macro declares a section's
//! switches once and derives from that one list the full struct (what the runtime sees), a
//! patch struct (what one file says), per-key loading with precise errors, merging along
//! `extends`, and the JSON schema (with each switch's doc comment).

use toml::de::{DeValue, ValueDeserializer};
use toml::Spanned;

/// Why one key of a profile file could not be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// No such switch in this section.
    Unknown,
    /// Wrong type or malformed value (serde's message).
    Type(String),
    /// Well-typed but out of range or otherwise refused.
    Invalid(String),
}

/// Implemented by every section struct through `section!`.
pub trait Section: Sized {
    type Patch: Default + Clone + std::fmt::Debug;
    /// The section's switch names, in declaration order.
    const FIELDS: &'static [&'static str];
    /// Takes one key of a file into the patch.
    fn set(
        patch: &mut Self::Patch,
        key: &str,
        value: Spanned<DeValue<'_>>,
    ) -> Result<(), FieldError>;
    /// Overlays `over` (a child) on `base` (its parent).
    fn merge(base: &mut Self::Patch, over: Self::Patch);
    /// The full section, or the names of the switches nobody set.
    fn finish(patch: Self::Patch) -> Result<Self, Vec<&'static str>>;
    /// The switch names a patch sets.
    fn set_fields(patch: &Self::Patch) -> Vec<&'static str>;
}

/// Deserializes one TOML value, keeping serde's message.
pub fn value<T: serde::de::DeserializeOwned>(value: Spanned<DeValue<'_>>) -> Result<T, FieldError> {
    let mut value = value;
    value.get_mut().make_owned();
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|e| FieldError::Type(e.message().to_string()))
}

/// Declares a profile section. Each field may name a check, `field: Type => check`, a
/// function `fn(&Type) -> Result<(), String>` run when a file sets it.
macro_rules! section {
    (
        $(#[$smeta:meta])*
        pub struct $name:ident, patch $patch:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty $(=> $check:path)?
            ),* $(,)?
        }
    ) => {
        $(#[$smeta])*
        #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        #[doc = concat!("What one profile file sets of [`", stringify!($name), "`].")]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $patch {
            $( pub $field: Option<$ty>, )*
        }

        impl $crate::profile::model::section::Section for $name {
            type Patch = $patch;
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn set(
                patch: &mut $patch,
                key: &str,
                value: toml::Spanned<toml::de::DeValue<'_>>,
            ) -> Result<(), $crate::profile::model::section::FieldError> {
                match key {
                    $(
                        stringify!($field) => {
                            let v: $ty = $crate::profile::model::section::value(value)?;
                            $( $check(&v).map_err($crate::profile::model::section::FieldError::Invalid)?; )?
                            patch.$field = Some(v);
                            Ok(())
                        }
                    )*
                    _ => Err($crate::profile::model::section::FieldError::Unknown),
                }
            }

            fn merge(base: &mut $patch, over: $patch) {
                $( if over.$field.is_some() { base.$field = over.$field; } )*
            }

            fn finish(patch: $patch) -> Result<$name, Vec<&'static str>> {
                let mut missing = Vec::new();
                $( if patch.$field.is_none() { missing.push(stringify!($field)); } )*
                if !missing.is_empty() {
                    return Err(missing);
                }
                Ok($name {
                    $( $field: patch.$field.expect("checked just above"), )*
                })
            }

            fn set_fields(patch: &$patch) -> Vec<&'static str> {
                let mut set = Vec::new();
                $( if patch.$field.is_some() { set.push(stringify!($field)); } )*
                set
            }
        }
    };
}

pub(crate) use section;

/// Checks shared by several switches.
pub mod checks {
    /// A duration in seconds between 1 s and one day.
    pub fn seconds(v: &u32) -> Result<(), String> {
        if (1..=86_400).contains(v) {
            Ok(())
        } else {
            Err(format!("{v} is out of range: expected 1 to 86400 seconds"))
        }
    }

    /// At least one.
    pub fn positive(v: &u32) -> Result<(), String> {
        if *v >= 1 {
            Ok(())
        } else {
            Err("must be at least 1".to_string())
        }
    }

    /// Non-empty single-line text (it goes on the wire after a status word).
    // The `section!` macro passes checks `&FieldType`.
    #[allow(clippy::ptr_arg)]
    pub fn line_text(v: &String) -> Result<(), String> {
        if v.contains(['\r', '\n']) {
            Err("must not contain CR or LF".to_string())
        } else {
            Ok(())
        }
    }
}
