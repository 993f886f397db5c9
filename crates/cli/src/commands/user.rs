//! `counterpart user …`: add, list, change passwords, disable and enable accounts.

use std::io::BufRead;

use clap::{Subcommand, ValueEnum};
use counterpart_core::user::{Language, Role, Username};
use counterpart_store::{Actor, random_token};

use super::{CliError, open};

#[derive(Debug, Subcommand)]
pub(super) enum UserCommand {
    /// Create a user. Without --password-stdin a random password is generated and printed.
    Add {
        /// Login name: 3–40 characters of a-z, 0-9, '.', '_' or '-'.
        username: String,
        /// Name shown in the interface and the audit log.
        #[arg(long)]
        name: String,
        /// What the user may do.
        #[arg(long, value_enum, default_value_t = RoleArg::Viewer)]
        role: RoleArg,
        /// Read the password from the first line of standard input (at least 10 characters).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (ends the user's sessions).
    Passwd {
        /// Login name.
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List all users.
    List,
    /// Disable a user: they cannot log in and their sessions end.
    Disable {
        /// Login name.
        username: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// Login name.
        username: String,
    },
}

/// A role as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum RoleArg {
    /// Everything, including administration and the audit log.
    Admin,
    /// Read everything; create and edit data.
    Editor,
    /// Read only.
    Viewer,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Admin => Role::Admin,
            RoleArg::Editor => Role::Editor,
            RoleArg::Viewer => Role::Viewer,
        }
    }
}

/// The password to set: the first line of stdin, or a generated one (then printed).
fn password(from_stdin: bool) -> Result<(String, bool), CliError> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
    } else {
        Ok((random_token()[..20].to_owned(), true))
    }
}

pub(super) async fn run(url: &str, command: UserCommand) -> Result<(), CliError> {
    let store = open(url).await?;
    let actor = Actor {
        user_id: None,
        name: "Kommandozeile / command line".to_owned(),
    };
    let invalid = |e: counterpart_store::StoreError| match e {
        counterpart_store::StoreError::Invalid(errors) => CliError::Usage(super::describe(&errors)),
        other => other.into(),
    };
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            password_stdin,
        } => {
            let username = Username::parse(&username)
                .map_err(|p| CliError::Usage(format!("username: {}", p.message(Language::En))))?;
            let (password, generated) = password(password_stdin)?;
            let user = store
                .create_user(&actor, &username, &name, &password, role.into(), None)
                .await
                .map_err(invalid)?;
            println!("Created user {} ({}).", user.username, user.role);
            if generated {
                println!("Password (shown only once): {password}");
            }
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            let user = store
                .set_password(&actor, &username, &password)
                .await
                .map_err(invalid)?;
            println!(
                "New password set for {}; their sessions have ended.",
                user.username
            );
            if generated {
                println!("Password (shown only once): {password}");
            }
        }
        UserCommand::List => {
            let users = store.users().await?;
            println!("{:<20} {:<8} {:<8} name", "username", "role", "active");
            for u in users {
                let active = if u.active { "yes" } else { "no" };
                println!(
                    "{:<20} {:<8} {:<8} {}",
                    u.username, u.role, active, u.display_name
                );
            }
        }
        UserCommand::Disable { username } => {
            let user = store
                .set_user_active(&actor, &username, false)
                .await
                .map_err(invalid)?;
            println!("Disabled {}.", user.username);
        }
        UserCommand::Enable { username } => {
            let user = store
                .set_user_active(&actor, &username, true)
                .await
                .map_err(invalid)?;
            println!("Enabled {}.", user.username);
        }
    }
    Ok(())
}
