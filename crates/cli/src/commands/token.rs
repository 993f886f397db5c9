//! `counterpart token create`: a personal API token for a user, made from the command line for
//! scripts (the API conformance run, an integration's set-up). Runs the same use case as the
//! administrators' pages and is audited with the command line as the actor.

use clap::{Subcommand, ValueEnum};
use counterpart_app::tokens::TokenFields;
use counterpart_app::{App, Config, Principal};

use super::{CliError, open};

#[derive(Debug, Subcommand)]
pub(super) enum TokenCommand {
    /// Issue a user an API token. Prints the token alone on standard output, the only time it
    /// is shown; what it is goes to standard error.
    Create {
        /// The login name of the user the token speaks for.
        #[arg(long)]
        user: String,
        /// What the token may do: `read`, or `write` (read and write; editors and admins only).
        #[arg(long, value_enum)]
        scope: ScopeArg,
        /// How many days it lives, 1 to 365.
        #[arg(long)]
        days: u32,
        /// What the token is for, as its owner sees it in their list ("HR sync").
        #[arg(long)]
        label: String,
    },
}

/// A token's scope as typed on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum ScopeArg {
    /// Read what the user may read.
    Read,
    /// Read, and write what the user may write.
    Write,
}

impl ScopeArg {
    /// The scope as the use case's form takes it.
    fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

pub(super) async fn run(url: &str, command: TokenCommand) -> Result<(), CliError> {
    let app = App::new(open(url).await?, Config::default());
    let who = Principal::system("Kommandozeile / command line");
    match command {
        TokenCommand::Create {
            user,
            scope,
            days,
            label,
        } => {
            let fields = TokenFields {
                label,
                scope: scope.as_str().to_owned(),
                days: days.to_string(),
            };
            let (token, secret) = app.issue_api_token(&who, &user, &fields).await?;
            let until = token.expires_at.map_or_else(
                || "never".to_owned(),
                |at| at.format("%Y-%m-%d").to_string(),
            );
            eprintln!(
                "Created API token #{} ({}) for {user}, valid until {until}; it is shown only once.",
                token.id,
                token.scope.as_str()
            );
            println!("{secret}");
        }
    }
    Ok(())
}
