//! The greeting and the LOGOUT sign-off (`[greeting]`).

use crate::profile::model::Greeting;

#[derive(Clone, Debug)]
pub struct GreetingPolicy {
    banner: String,
    logout: String,
}

impl GreetingPolicy {
    pub fn compile(g: &Greeting) -> Result<GreetingPolicy, String> {
        Ok(GreetingPolicy {
            banner: g.banner.clone(),
            logout: g.logout.clone(),
        })
    }

    pub fn banner(&self) -> &str {
        &self.banner
    }

    pub fn logout(&self) -> &str {
        &self.logout
    }
}
