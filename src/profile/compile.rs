//! Compiling a merged `Profile` into the policies its consumers use. Each section goes to
//! exactly one module, which owns the compiled type; a compile error (a combination no
//! single key can catch) fails the load like a syntax error.

use super::model::Profile;
use crate::handlers::messages::MessagePolicy;
use crate::handlers::names::NamePolicy;
use crate::protolog::LogPolicy;
use crate::server::limits::LimitPolicy;
use crate::session::auth::AuthPolicy;
use crate::session::capability::CapabilityPolicy;
use crate::session::encoding::ResponsePolicy;
use crate::session::framing::FramingPolicy;
use crate::session::greeting::GreetingPolicy;
use crate::session::texts::TextPolicy;
use crate::session::timers::TimerPolicy;

/// Everything a session needs from its profile, immutable once built.
#[derive(Clone, Debug)]
pub struct CompiledProfile {
    pub name: String,
    pub emulates: String,
    pub greeting: GreetingPolicy,
    pub capabilities: CapabilityPolicy,
    pub auth: AuthPolicy,
    pub timers: TimerPolicy,
    pub limits: LimitPolicy,
    pub framing: FramingPolicy,
    pub responses: ResponsePolicy,
    pub names: NamePolicy,
    pub messages: MessagePolicy,
    pub texts: TextPolicy,
    pub logging: LogPolicy,
    /// The `[hooks]` scripts, compiled; None without scripts. Set by `load`, which knows
    /// the profile files the script paths are relative to.
    pub hooks: Option<std::sync::Arc<crate::hooks::Hooks>>,
}

impl CompiledProfile {
    pub fn compile(p: &Profile) -> Result<CompiledProfile, String> {
        Ok(CompiledProfile {
            name: p.name.clone(),
            emulates: p.emulates.clone(),
            greeting: GreetingPolicy::compile(&p.greeting)?,
            capabilities: CapabilityPolicy::compile(&p.capabilities)?,
            auth: AuthPolicy::compile(&p.auth)?,
            timers: TimerPolicy::compile(&p.timeouts)?,
            limits: LimitPolicy::compile(&p.limits)?,
            framing: FramingPolicy::compile(&p.parsing)?,
            responses: ResponsePolicy::compile(&p.responses)?,
            names: NamePolicy::compile(&p.mailboxes)?,
            messages: MessagePolicy::compile(&p.messages)?,
            texts: TextPolicy::compile(&p.texts)?,
            logging: LogPolicy::compile(&p.logging)?,
            hooks: None,
        })
    }
}
