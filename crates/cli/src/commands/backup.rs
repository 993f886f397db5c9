//! `counterpart export --all`, `restore` and `backup`: getting all data out and back in.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::Args;
use counterpart_store::{Store, StoreError};

use super::{CliError, open};

#[derive(Debug, Args)]
pub(super) struct ExportArgs {
    /// Export everything as a versioned JSON dump that `restore` loads into an empty database.
    #[arg(long, conflicts_with = "org")]
    all: bool,

    /// Export the people of this organization; the file's ending chooses the format:
    /// .xlsx, .csv or .vcf. The file imports back unchanged.
    #[arg(long)]
    org: Option<String>,

    /// Language of the column headers and level names (default: German).
    #[arg(long, value_parser = ["de", "en"], default_value = "de")]
    lang: String,

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
    if let Some(org) = &args.org {
        return export_people(url, org, args).await;
    }
    if !args.all {
        return Err(CliError::Usage(
            "say what to export: --all writes the full JSON dump, --org NAME the people of an organization".into(),
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
            super::settle(&store).await
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

/// The people of one organization as XLSX, CSV or vCard (people only: what we know about them
/// is in the pages' exports, as each reader may see it, and in the full dump).
async fn export_people(url: &str, name: &str, args: &ExportArgs) -> Result<(), CliError> {
    use counterpart_core::exchange::export::{people_table, people_vcards};
    use counterpart_core::exchange::write::{write_csv, write_vcards, write_xlsx};
    use counterpart_core::user::Language;
    let lang = if args.lang == "en" {
        Language::En
    } else {
        Language::De
    };
    let store = Store::connect(url).await?;
    let filter = counterpart_store::OrganizationFilter {
        include_inactive: true,
        ..Default::default()
    };
    let org = store
        .organizations(&filter)
        .await?
        .into_iter()
        .find(|o| o.organization.name.trim().to_lowercase() == name.trim().to_lowercase())
        .ok_or_else(|| CliError::Usage(format!("--org: no organization named {name:?}")))?
        .organization;
    let people = store.export_people(org.id, lang).await?;
    let table = people_table(&people, lang);
    let extension = args
        .file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let bytes = match extension.as_str() {
        "xlsx" => {
            write_xlsx(&[("Personen", &table)]).map_err(|e| CliError::Usage(e.message(lang)))?
        }
        "csv" => write_csv(&table),
        "vcf" => write_vcards(&people_vcards(&people, &org.name, &[], lang)).into_bytes(),
        _ => {
            return Err(CliError::Usage(format!(
                "{}: the file must end in .xlsx, .csv or .vcf",
                args.file.display()
            )));
        }
    };
    let mut file = new_file(&args.file)?;
    file.write_all(&bytes)?;
    println!(
        "Wrote {} people of {} to {}.",
        people.len(),
        org.name,
        args.file.display()
    );
    Ok(())
}
