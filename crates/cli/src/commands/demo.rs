//! `counterpart demo`: load the demo dataset and serve it.

use std::time::Instant;

use clap::{Args, ValueEnum};
use counterpart_core::generate::{Scale, generate};

use super::serve::serve;
use super::{CliError, ServeArgs, open};

#[derive(Debug, Args)]
pub(super) struct DemoArgs {
    /// Which dataset: `brief` (the brief's practice examples, ~150 people), `small` (a
    /// generated dataset of the enterprise's shape, 1,400 people) or `enterprise` (the
    /// benchmark reference: 120,000 people, 2,000 accounts; into counterpart-enterprise.db by
    /// default).
    #[arg(long, value_enum, default_value_t = DemoScale::Brief)]
    scale: DemoScale,

    /// Seed of the generated datasets; the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    seed: u64,

    /// Delete the demo database first and load the dataset afresh (SQLite files only).
    #[arg(long)]
    reset: bool,

    /// Only load the data; do not start the server.
    #[arg(long)]
    no_serve: bool,

    #[command(flatten)]
    serve: ServeArgs,
}

/// The datasets `demo` can load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(super) enum DemoScale {
    /// The brief's practice examples.
    Brief,
    /// A small generated dataset.
    Small,
    /// The benchmark reference dataset.
    Enterprise,
}

/// The default database of a dataset when none is given.
pub(super) fn default_url(args: &DemoArgs) -> &'static str {
    match args.scale {
        DemoScale::Brief => "counterpart-demo.db",
        DemoScale::Small => "counterpart-small.db",
        DemoScale::Enterprise => "counterpart-enterprise.db",
    }
}

pub(super) async fn run(url: &str, args: &DemoArgs) -> Result<(), CliError> {
    // Settings are checked before anything is written.
    let config = args.serve.config()?;
    if args.reset {
        reset(url)?;
    }
    let store = open(url).await?;
    if store.is_empty().await? {
        match args.scale {
            DemoScale::Brief => {
                let report = store.load_demo().await?;
                println!(
                    "Loaded the demo: {} organizations, {} units, {} people.",
                    report.organizations, report.units, report.people
                );
            }
            DemoScale::Small | DemoScale::Enterprise => {
                let scale = if args.scale == DemoScale::Small {
                    Scale::SMALL
                } else {
                    Scale::ENTERPRISE
                };
                let started = Instant::now();
                let data = generate(scale, args.seed, chrono::Utc::now().date_naive());
                let generated = started.elapsed();
                let label = format!("{:?} (seed {})", args.scale, args.seed).to_lowercase();
                let report = store.load_generated(&data, &label).await?;
                println!(
                    "Generated {} rows in {:.1} s and loaded them in {:.1} s:",
                    report.total(),
                    generated.as_secs_f64(),
                    (started.elapsed() - generated).as_secs_f64()
                );
                for (table, rows) in &report.rows {
                    println!("    {table:<18} {rows:>9}");
                }
            }
        }
    } else if store.is_demo().await? {
        println!("Using the existing demo database {url} (start afresh with --reset).");
    } else {
        return Err(CliError::Usage(format!(
            "{url} holds data that is not the demo; choose another file with --database-url"
        )));
    }
    super::settle(&store).await?;
    print_logins();
    if !args.no_serve {
        serve(store, &args.serve, config).await?;
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
