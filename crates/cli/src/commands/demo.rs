//! `counterpart demo`: load the demo dataset and serve it.

use clap::Args;

use super::serve::serve;
use super::{CliError, ServeArgs, open};

#[derive(Debug, Args)]
pub(super) struct DemoArgs {
    /// Delete the demo database first and load the dataset afresh (SQLite files only).
    #[arg(long)]
    reset: bool,

    /// Only load the data; do not start the server.
    #[arg(long)]
    no_serve: bool,

    #[command(flatten)]
    serve: ServeArgs,
}

pub(super) async fn run(url: &str, args: &DemoArgs) -> Result<(), CliError> {
    if args.reset {
        reset(url)?;
    }
    let store = open(url).await?;
    if store.is_empty().await? {
        let report = store.load_demo().await?;
        println!(
            "Loaded the demo: {} organizations, {} units, {} people.",
            report.organizations, report.units, report.people
        );
    } else if store.is_demo().await? {
        println!("Using the existing demo database {url} (start afresh with --reset).");
    } else {
        return Err(CliError::Usage(format!(
            "{url} holds data that is not the demo; choose another file with --database-url"
        )));
    }
    print_logins();
    if !args.no_serve {
        serve(store, &args.serve).await?;
    }
    Ok(())
}

fn print_logins() {
    println!("Demo logins (password for all: demo):");
    for user in counterpart_core::demo::users() {
        println!("    {:<10} {}", user.username, user.persona);
    }
}

/// Removes a SQLite demo file with its WAL companions.
fn reset(url: &str) -> Result<(), CliError> {
    if url.starts_with("postgres") {
        return Err(CliError::Usage(
            "--reset works on SQLite files only; drop and recreate the PostgreSQL database instead"
                .into(),
        ));
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    for suffix in ["", "-wal", "-shm"] {
        match std::fs::remove_file(format!("{path}{suffix}")) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
