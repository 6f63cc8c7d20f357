//! `imap-mimic user add|list|remove|passwd`: passwords from a prompt or stdin, stored as
//! argon2id hashes.

use super::DataArgs;
use crate::accounts;
use crate::password::Cost;
use crate::secret::Secret;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Create a user (prompts for the password).
    Add {
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Delete a user and all their mail.
    Remove { name: String },
    /// Change a user's password.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

pub async fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    let store = args.data.open().await?;
    match args.action {
        UserAction::Add {
            name,
            password_stdin,
        } => {
            check_name(&name)?;
            if store.user_by_name(&name).await?.is_some() {
                bail!("user {name:?} already exists");
            }
            let key = args.data.ntlm_key()?;
            accounts::create_user(
                &store,
                Some(&key),
                &name,
                &read_password(password_stdin)?,
                Cost::Default,
            )
            .await?;
            println!("user {name} created");
        }
        UserAction::List => {
            for user in store.list_users().await? {
                println!("{}", user.name);
            }
        }
        UserAction::Remove { name } => {
            store
                .delete_user(&name)
                .await
                .with_context(|| format!("cannot remove {name:?}"))?;
            println!("user {name} removed");
        }
        UserAction::Passwd {
            name,
            password_stdin,
        } => {
            if store.user_by_name(&name).await?.is_none() {
                bail!("no user named {name:?}");
            }
            let key = args.data.ntlm_key()?;
            accounts::set_password(
                &store,
                Some(&key),
                &name,
                &read_password(password_stdin)?,
                Cost::Default,
            )
            .await?;
            println!("password of {name} changed");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// User names become IMAP LOGIN arguments: printable, no spaces, not empty.
fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty()
        || name.len() > 255
        || !name.chars().all(|c| c.is_ascii_graphic() || !c.is_ascii())
    {
        bail!("user names must be 1 to 255 printable characters without spaces");
    }
    Ok(())
}

fn read_password(from_stdin: bool) -> anyhow::Result<Secret> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Again: ")?;
        if first != again {
            bail!("the passwords differ");
        }
        first
    };
    if password.is_empty() {
        bail!("the password must not be empty");
    }
    Ok(Secret::new(password))
}
