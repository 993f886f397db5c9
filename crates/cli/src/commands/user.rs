//! `counterpart user …`: add, list, change passwords, disable and enable accounts, end a
//! user's sessions, reset their second factor, link users to the people of our own house. Runs the same use cases as the administrators' pages.

use std::io::BufRead;

use clap::{Subcommand, ValueEnum};
use counterpart_app::users::NewPassword;
use counterpart_app::{App, Config, Principal};
use counterpart_core::user::{Role, UserFields};

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
        /// E-mail address, to link the user to their person by address later.
        #[arg(long)]
        email: Option<String>,
        /// The id of the person of our own house this user is (see the person's page).
        #[arg(long)]
        person: Option<i64>,
        /// Read the password from the first line of standard input (at least 10 characters).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Link every user without a person to the one person of our own house with the same
    /// e-mail address.
    LinkByEmail,
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
    /// End every session of a user (they must log in again everywhere).
    EndSessions {
        /// Login name.
        username: String,
    },
    /// Remove a user's second factor and recovery codes (a lost phone): they log in with
    /// their password alone until they set it up again.
    ResetSecondFactor {
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

/// The password typed on the first line of stdin, or empty to have one generated.
fn password(from_stdin: bool) -> Result<String, CliError> {
    if !from_stdin {
        return Ok(String::new());
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let typed = line.trim_end_matches(['\r', '\n']).to_owned();
    if typed.is_empty() {
        return Err(CliError::Usage(
            "password: the first line of standard input is empty".into(),
        ));
    }
    Ok(typed)
}

/// Prints a generated password, the one time it is shown.
fn show_generated(password: Option<String>) {
    if let Some(password) = password {
        println!("Password (shown only once): {password}");
    }
}

pub(super) async fn run(url: &str, command: UserCommand) -> Result<(), CliError> {
    let app = App::new(open(url).await?, Config::default());
    let who = Principal::system("Kommandozeile / command line");
    let store = app.store();
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            email,
            person,
            password_stdin,
        } => {
            let fields = UserFields {
                display_name: name,
                email: email.unwrap_or_default(),
                role: Role::from(role).as_str().to_owned(),
                person_id: person.map(|p| p.to_string()).unwrap_or_default(),
            };
            let typed = password(password_stdin)?;
            let created = app.create_user(&who, &username, &fields, &typed).await?;
            println!(
                "Created user {} ({}).",
                created.user.username, created.user.role
            );
            show_generated(created.generated_password);
        }
        UserCommand::LinkByEmail => {
            let linked = app.link_users_by_email(&who).await?;
            for link in &linked {
                println!("{} → {} ({})", link.username, link.person_name, link.email);
            }
            println!("Linked {} user(s).", linked.len());
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let user = store.user_named(&username).await?;
            let typed = password(password_stdin)?;
            let new = if typed.is_empty() {
                NewPassword::Generated
            } else {
                NewPassword::Typed(&typed)
            };
            let generated = app.reset_password(&who, user.id, new).await?;
            println!(
                "New password set for {}; their sessions have ended.",
                user.username
            );
            show_generated(generated);
        }
        UserCommand::List => {
            let users = store.users().await?;
            println!(
                "{:<20} {:<8} {:<8} {:<32} name",
                "username", "role", "active", "email"
            );
            for u in users {
                let active = if u.active { "yes" } else { "no" };
                println!(
                    "{:<20} {:<8} {:<8} {:<32} {}",
                    u.username,
                    u.role,
                    active,
                    u.email.as_deref().unwrap_or("-"),
                    u.display_name
                );
            }
        }
        UserCommand::Disable { username } => {
            let user = store.user_named(&username).await?;
            let user = app.set_user_active(&who, user.id, false).await?;
            println!("Disabled {}.", user.username);
        }
        UserCommand::Enable { username } => {
            let user = store.user_named(&username).await?;
            let user = app.set_user_active(&who, user.id, true).await?;
            println!("Enabled {}.", user.username);
        }
        UserCommand::EndSessions { username } => {
            let user = store.user_named(&username).await?;
            let ended = app.end_sessions_of(&who, user.id).await?;
            println!("Ended {ended} session(s) of {}.", user.username);
        }
        UserCommand::ResetSecondFactor { username } => {
            let user = store.user_named(&username).await?;
            if app.reset_second_factor(&who, user.id).await? {
                println!("Reset the second factor of {}.", user.username);
            } else {
                println!("{} has no second factor.", user.username);
            }
        }
    }
    Ok(())
}
