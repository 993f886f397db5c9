//! `counterpart export --all`, `restore` and `backup`: getting all data out and back in.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args;
use counterpart_store::{Store, StoreError};

use super::{CliError, open};

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// Export everything as a versioned JSON dump that `restore` loads into an empty database.
    #[arg(long)]
    all: bool,

    /// The file to write (must not exist yet).
    file: PathBuf,
}

#[derive(Debug, Args)]
pub(super) struct RestoreArgs {
    /// A dump written by `counterpart export --all`.
    file: PathBuf,
}

#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// The copy to write (must not exist yet). SQLite only; for PostgreSQL use pg_dump.
    file: PathBuf,
}

fn new_file(path: &PathBuf) -> Result<std::fs::File, CliError> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

pub(super) async fn export(url: &str, args: &ExportArgs) -> Result<(), CliError> {
    if !args.all {
        return Err(CliError::Usage(
            "say what to export: --all writes the full JSON dump".into(),
        ));
    }
    let store = Store::connect(url).await?;
    let file = new_file(&args.file)?;
    let mut out = BufWriter::new(file);
    let written = store.dump(&mut out).await;
    let flushed = out.flush();
    if let Err(e) = written
        .map_err(CliError::from)
        .and(flushed.map_err(CliError::from))
    {
        // Never leave half a dump behind that looks like a whole one.
        let _ = std::fs::remove_file(&args.file);
        return Err(e);
    }
    println!("Wrote the full dump to {}.", args.file.display());
    Ok(())
}

pub(super) async fn restore(url: &str, args: &RestoreArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file)
        .map_err(|e| CliError::Usage(format!("{}: {e}", args.file.display())))?;
    let store = open(url).await?;
    match store.restore(&bytes).await {
        Ok(counts) => {
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            println!("Restored {total} rows from {}:", args.file.display());
            for (table, n) in counts {
                println!("    {table:<18} {n:>9}");
            }
            Ok(())
        }
        Err(StoreError::Dump(e)) => Err(CliError::Usage(format!("{}: {e}", args.file.display()))),
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn backup(url: &str, args: &BackupArgs) -> Result<(), CliError> {
    let store = Store::connect(url).await?;
    match store.backup(&args.file).await {
        Ok(()) => {
            println!("Wrote a consistent copy to {}.", args.file.display());
            Ok(())
        }
        Err(StoreError::Refused(_)) => Err(CliError::Usage(
            "online backup is for SQLite; back up PostgreSQL with pg_dump (see README)".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
