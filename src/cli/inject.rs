//! `imap-mimic inject ...`: the admin API from the command line. Each subcommand is one
//! HTTP request to a running `serve`; the reply's JSON is printed, an error reply goes to
//! stderr with a non-zero exit.

use crate::admin::client::{segment, Client, Response};
use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct InjectArgs {
    /// Admin API address of the running server.
    #[arg(long, default_value = super::admin::DEFAULT_ADDR, env = "IMAP_MIMIC_ADMIN")]
    pub admin: String,
    /// Bearer token; without it, DATA/admin.token.
    #[arg(long, env = "IMAP_MIMIC_ADMIN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Data directory holding admin.token.
    #[arg(long, default_value = "imap-mimic-data", env = "IMAP_MIMIC_DATA")]
    pub data: PathBuf,
    #[command(subcommand)]
    pub command: InjectCommand,
}

#[derive(Debug, Subcommand)]
pub enum InjectCommand {
    /// Users: list, add, remove, passwd.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Mailboxes of a user: list, create, delete, uidvalidity.
    #[command(subcommand)]
    Mailboxes(MailboxesCommand),
    /// List the messages of a mailbox (UID, flags, sizes).
    Messages { user: String, mailbox: String },
    /// Deliver a message (a file, or `-` for stdin) into a mailbox.
    Deliver {
        user: String,
        mailbox: String,
        #[command(flatten)]
        message: MessageArgs,
    },
    /// Set or clear flags of a message from outside.
    Flags {
        user: String,
        mailbox: String,
        uid: u32,
        /// add, remove or replace.
        #[arg(long, default_value = "add")]
        mode: String,
        /// Flags, e.g. '\Seen' '$Label1'.
        flags: Vec<String>,
    },
    /// Delete (expunge) a message from outside.
    Expunge {
        user: String,
        mailbox: String,
        uid: u32,
    },
    /// Revise a message: the old UID goes away, the revision arrives under a new UID.
    Revise {
        user: String,
        mailbox: String,
        uid: u32,
        #[command(flatten)]
        message: MessageArgs,
    },
    /// Connected sessions: list, end.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Profiles: reload, generation.
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Print the Prometheus metrics.
    Metrics,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    List,
    Add {
        name: String,
        #[arg(long)]
        password: String,
    },
    Remove {
        name: String,
    },
    Passwd {
        name: String,
        #[arg(long)]
        password: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailboxesCommand {
    List {
        user: String,
    },
    Create {
        user: String,
        name: String,
    },
    Delete {
        user: String,
        name: String,
    },
    /// Set UIDVALIDITY (renumbering the messages); without --value, the next one.
    Uidvalidity {
        user: String,
        name: String,
        #[arg(long)]
        value: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    List,
    End {
        id: i64,
        /// Close without sending BYE.
        #[arg(long)]
        no_bye: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    Reload,
    Generation,
}

#[derive(Debug, Args)]
pub struct MessageArgs {
    /// The RFC 5322 message file; `-` reads stdin.
    pub file: PathBuf,
    /// Created by another protocol (MS-STANXIMAP V0006) instead of MIME-known.
    #[arg(long)]
    pub other_protocol: bool,
    /// The stored size an other-protocol message reports as RFC822.SIZE.
    #[arg(long, requires = "other_protocol")]
    pub stored_size: Option<u32>,
    /// Flags to set (repeatable).
    #[arg(long = "flag")]
    pub flags: Vec<String>,
    /// Internal date, RFC 3339.
    #[arg(long)]
    pub date: Option<String>,
}

pub fn run(args: InjectArgs) -> anyhow::Result<ExitCode> {
    let token = match &args.token {
        Some(t) => Some(t.clone()),
        None => crate::admin::token::read(&args.data).with_context(|| {
            format!(
                "cannot read {}",
                crate::admin::token::path_in(&args.data).display()
            )
        })?,
    };
    if token.is_none() {
        eprintln!(
            "note: no token (give --token or --data with admin.token); the server will refuse"
        );
    }
    let client = Client {
        addr: args.admin.clone(),
        token,
    };
    let (method, path, body) = request(&args.command)?;
    let body = body.map(|b| b.to_string().into_bytes());
    let response = client
        .request(method, &path, body.as_deref())
        .with_context(|| format!("cannot reach the admin API at {}", args.admin))?;
    Ok(report(&response))
}

/// Prints the reply; failure exit for anything but 2xx.
fn report(response: &Response) -> ExitCode {
    let ok = (200..300).contains(&response.status);
    let text = match response.json() {
        Some(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| response.text()),
        None => response.text(),
    };
    if ok {
        if !text.is_empty() {
            println!("{}", text.trim_end());
        }
        ExitCode::SUCCESS
    } else {
        eprintln!("HTTP {}: {}", response.status, text.trim_end());
        ExitCode::FAILURE
    }
}

fn mailbox_path(user: &str, mailbox: &str) -> String {
    format!("/users/{}/mailboxes/{}", segment(user), segment(mailbox))
}

/// The HTTP request a subcommand makes.
fn request(command: &InjectCommand) -> anyhow::Result<(&'static str, String, Option<Value>)> {
    use InjectCommand as C;
    Ok(match command {
        C::Users(c) => users(c),
        C::Mailboxes(c) => mailboxes(c),
        C::Messages { user, mailbox } => (
            "GET",
            format!("{}/messages", mailbox_path(user, mailbox)),
            None,
        ),
        C::Deliver {
            user,
            mailbox,
            message,
        } => (
            "POST",
            format!("{}/messages", mailbox_path(user, mailbox)),
            Some(message_body(message)?),
        ),
        C::Flags {
            user,
            mailbox,
            uid,
            mode,
            flags,
        } => (
            "POST",
            format!("{}/messages/{uid}/flags", mailbox_path(user, mailbox)),
            Some(json!({ "mode": mode, "flags": flags })),
        ),
        C::Expunge { user, mailbox, uid } => (
            "DELETE",
            format!("{}/messages/{uid}", mailbox_path(user, mailbox)),
            None,
        ),
        C::Revise {
            user,
            mailbox,
            uid,
            message,
        } => (
            "POST",
            format!("{}/messages/{uid}/revise", mailbox_path(user, mailbox)),
            Some(message_body(message)?),
        ),
        C::Sessions(SessionsCommand::List) => ("GET", "/sessions".into(), None),
        C::Sessions(SessionsCommand::End { id, no_bye }) => (
            "POST",
            format!("/sessions/{id}/end"),
            Some(json!({ "bye": !no_bye })),
        ),
        C::Profiles(ProfilesCommand::Reload) => ("POST", "/profiles/reload".into(), None),
        C::Profiles(ProfilesCommand::Generation) => ("GET", "/profiles/generation".into(), None),
        C::Metrics => ("GET", "/metrics".into(), None),
    })
}

fn users(c: &UsersCommand) -> (&'static str, String, Option<Value>) {
    match c {
        UsersCommand::List => ("GET", "/users".into(), None),
        UsersCommand::Add { name, password } => (
            "POST",
            "/users".into(),
            Some(json!({ "name": name, "password": password })),
        ),
        UsersCommand::Remove { name } => ("DELETE", format!("/users/{}", segment(name)), None),
        UsersCommand::Passwd { name, password } => (
            "PUT",
            format!("/users/{}/password", segment(name)),
            Some(json!({ "password": password })),
        ),
    }
}

fn mailboxes(c: &MailboxesCommand) -> (&'static str, String, Option<Value>) {
    match c {
        MailboxesCommand::List { user } => {
            ("GET", format!("/users/{}/mailboxes", segment(user)), None)
        }
        MailboxesCommand::Create { user, name } => (
            "POST",
            format!("/users/{}/mailboxes", segment(user)),
            Some(json!({ "name": name })),
        ),
        MailboxesCommand::Delete { user, name } => ("DELETE", mailbox_path(user, name), None),
        MailboxesCommand::Uidvalidity { user, name, value } => (
            "PUT",
            format!("{}/uidvalidity", mailbox_path(user, name)),
            Some(json!({ "uidvalidity": value })),
        ),
    }
}

/// The JSON of a message: text as `raw`, 8-bit content as `raw_base64`.
fn message_body(m: &MessageArgs) -> anyhow::Result<Value> {
    let bytes = if m.file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        buf
    } else {
        std::fs::read(&m.file).with_context(|| format!("cannot read {}", m.file.display()))?
    };
    let mut body = match String::from_utf8(bytes) {
        Ok(text) => json!({ "raw": text }),
        Err(e) => {
            use base64::Engine;
            json!({ "raw_base64": base64::engine::general_purpose::STANDARD.encode(e.into_bytes()) })
        }
    };
    body["kind"] = json!(if m.other_protocol {
        "other-protocol"
    } else {
        "mime-known"
    });
    if let Some(size) = m.stored_size {
        body["stored_size"] = json!(size);
    }
    if !m.flags.is_empty() {
        body["flags"] = json!(m.flags);
    }
    if let Some(date) = &m.date {
        body["internal_date"] = json!(date);
    }
    Ok(body)
}
