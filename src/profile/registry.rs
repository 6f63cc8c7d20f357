//! The live profiles: an `ArcSwap` snapshot that a reload replaces in one step. Sessions
//! take an `Arc<CompiledProfile>` at accept and keep it for their whole life.

use super::compile::CompiledProfile;
use super::load::ProfileSet;
use arc_swap::ArcSwap;
use std::sync::Arc;

/// One generation of loaded profiles.
#[derive(Debug)]
pub struct Generation {
    pub number: u64,
    pub set: ProfileSet,
}

#[derive(Debug)]
pub struct Registry {
    current: ArcSwap<Generation>,
}

impl Registry {
    pub fn new(set: ProfileSet) -> Registry {
        Registry {
            current: ArcSwap::from_pointee(Generation { number: 1, set }),
        }
    }

    /// The compiled profile named `name` in the current generation.
    pub fn get(&self, name: &str) -> Option<Arc<CompiledProfile>> {
        self.current
            .load()
            .set
            .get(name)
            .map(|e| e.compiled.clone())
    }

    pub fn current(&self) -> Arc<Generation> {
        self.current.load_full()
    }

    /// Installs a new set; returns its generation number.
    pub fn replace(&self, set: ProfileSet) -> u64 {
        let number = self.current.load().number + 1;
        self.current.store(Arc::new(Generation { number, set }));
        number
    }
}
