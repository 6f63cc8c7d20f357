//! `serve`'s admin API options and start-up: where it listens (loopback by default,
//! `--admin off` disables it) and its bearer token (configured or generated into the data
//! directory).

use super::DataArgs;
use crate::admin::{token, AdminServer, AdminState};
use crate::password::Cost;
use crate::profile::reload::ReloadHandle;
use crate::server::{Running, Services};
use anyhow::Context;
use clap::Args;
use std::net::SocketAddr;

/// Where the admin API listens when `--admin` is not given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8143";

#[derive(Debug, Clone, Args)]
pub struct AdminArgs {
    /// Admin API address (`off` disables it); default 127.0.0.1:8143. A non-loopback
    /// address is used only when given here, and the token is still required.
    #[arg(long = "admin", env = "IMAP_MIMIC_ADMIN")]
    pub admin: Option<String>,
    /// Admin API bearer token; without it, DATA/admin.token (generated on first run).
    #[arg(
        long = "admin-token",
        env = "IMAP_MIMIC_ADMIN_TOKEN",
        hide_env_values = true
    )]
    pub admin_token: Option<String>,
}

impl AdminArgs {
    /// These flags, with the config file's `admin` address when no flag or variable set one.
    pub fn or_config(&self, configured: Option<SocketAddr>) -> AdminArgs {
        AdminArgs {
            admin: self
                .admin
                .clone()
                .or_else(|| configured.map(|a| a.to_string())),
            admin_token: self.admin_token.clone(),
        }
    }

    /// The address to bind, None when disabled; `explicit` when the user chose it.
    fn address(&self) -> anyhow::Result<Option<(SocketAddr, bool)>> {
        match self.admin.as_deref() {
            Some("off") => Ok(None),
            Some(text) => {
                let addr = text
                    .parse()
                    .with_context(|| format!("--admin {text:?} is not an address or `off`"))?;
                Ok(Some((addr, true)))
            }
            None => Ok(Some((DEFAULT_ADDR.parse()?, false))),
        }
    }

    /// Starts the API unless disabled. A busy default port is a warning (another instance
    /// on this machine has it); a busy explicit address is an error.
    pub async fn start(
        &self,
        data: &DataArgs,
        services: &Services,
        running: &Running,
        reloader: ReloadHandle,
    ) -> anyhow::Result<Option<AdminServer>> {
        let Some((addr, explicit)) = self.address()? else {
            return Ok(None);
        };
        let token = match &self.admin_token {
            Some(t) if !t.trim().is_empty() => t.trim().to_string(),
            Some(_) => anyhow::bail!("--admin-token is empty"),
            None => token::load_or_create(&data.data).with_context(|| {
                format!("cannot create {}", token::path_in(&data.data).display())
            })?,
        };
        let state = AdminState {
            store: services.store.clone(),
            ntlm_key: services.ntlm_key.clone(),
            sessions: running.sessions.clone(),
            reloader,
            token: token.into(),
            cost: Cost::Default,
        };
        match crate::admin::start(addr, state).await {
            Ok(server) => {
                tracing::info!(addr = %server.addr, "admin API listening");
                println!(
                    "Admin API on http://{} (token: {})",
                    server.addr,
                    self.token_hint(data)
                );
                Ok(Some(server))
            }
            Err(e) if !explicit => {
                tracing::warn!(%addr, error = %e, "admin API not started (use --admin ADDR or --admin off)");
                Ok(None)
            }
            Err(e) => Err(e).with_context(|| format!("cannot bind the admin API on {addr}")),
        }
    }

    fn token_hint(&self, data: &DataArgs) -> String {
        match self.admin_token {
            Some(_) => "as configured".into(),
            None => token::path_in(&data.data).display().to_string(),
        }
    }
}
