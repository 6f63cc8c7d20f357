//! Profiles: the TOML files that choose every behaviour, from load (with `extends`) to the
//! compiled, immutable `Arc<CompiledProfile>` each session holds.

pub mod compile;
pub mod coverage;
pub mod load;
pub mod model;
pub mod registry;
pub mod reload;
pub mod schema;

pub use compile::CompiledProfile;
pub use load::{LoadError, ProfileSet};
pub use registry::Registry;
