//! `counterpart import FILE --org NAME`: people from CSV, XLSX or vCard. A dry run by default
//! that shows the detected columns, the first rows as they will be stored and every problem
//! with its row and column; `--commit` imports all rows or none.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use counterpart_app::{App, Config, Principal};
use counterpart_core::exchange::mapping::{Column, Mapping, detect};
use counterpart_core::exchange::plan::{ImportPlan, RowAction};
use counterpart_core::exchange::read::{ReadError, Table, read_table};
use counterpart_core::org::{OrganizationInput, OrganizationKind};
use counterpart_core::user::Language;
use counterpart_store::{ImportPhase, ImportProgress, ImportTarget, StoreError};

use super::{CliError, open};

#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// A CSV (comma or semicolon; UTF-8 or Windows-1252), XLSX or vCard (.vcf) file.
    file: PathBuf,

    /// The organization the people belong to; created on --commit when it does not exist.
    #[arg(long)]
    org: String,

    /// The sheet of an XLSX file (default: the first).
    #[arg(long)]
    sheet: Option<String>,

    /// Correct the detected columns: HEADER=KEY (e.g. "Funktion=job_title"), or HEADER=- to
    /// ignore a column. Keys: external_id, academic_title, given_name, family_name, job_title,
    /// level, function, unit, manager, assistant_of, email, phone, mobile, notes.
    #[arg(long = "map", value_name = "HEADER=KEY")]
    map: Vec<String>,

    /// Write the import (all rows or none). Without it, nothing is written.
    #[arg(long)]
    commit: bool,

    /// Language of the messages (default: from LANG, else German).
    #[arg(long, value_parser = ["de", "en"])]
    lang: Option<String>,

    #[command(flatten)]
    limits: super::ImportLimitArgs,
}

fn language(args: &ImportArgs) -> Language {
    let from_env = std::env::var("LANG").unwrap_or_default();
    match args.lang.as_deref() {
        Some("en") => Language::En,
        Some(_) => Language::De,
        None if from_env.starts_with("en") => Language::En,
        None => Language::De,
    }
}

/// Reads the file by its extension, within the import limits. A file over the size limit is
/// refused before it is read.
fn read_file(args: &ImportArgs, lang: Language) -> Result<Table, CliError> {
    let name = args.file.display();
    let limits = args.limits.limits();
    let refuse = |e: ReadError| CliError::Usage(format!("{name}: {}", e.message(lang)));
    let size = std::fs::metadata(&args.file)
        .map_err(|e| CliError::Usage(format!("{name}: {e}")))?
        .len();
    if size > limits.max_bytes {
        return Err(refuse(ReadError::TooLarge {
            max_mb: limits.max_bytes.div_ceil(1024 * 1024),
        }));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::Usage(format!("{name}: {e}")))?;
    let filename = args.file.to_string_lossy();
    read_table(&filename, &bytes, args.sheet.as_deref(), lang, &limits).map_err(refuse)
}

/// Applies `--map` corrections to the detected mapping.
fn corrected(table: &Table, overrides: &[String]) -> Result<Mapping, CliError> {
    let mut mapping = detect(&table.headers);
    for entry in overrides {
        let (header, key) = entry
            .rsplit_once('=')
            .ok_or_else(|| CliError::Usage(format!("--map {entry:?}: write HEADER=KEY")))?;
        let index = table
            .headers
            .iter()
            .position(|h| h.trim() == header.trim())
            .ok_or_else(|| {
                CliError::Usage(format!(
                    "--map {entry:?}: the file has no column {header:?}"
                ))
            })?;
        let column =
            match key.trim() {
                "-" => None,
                key => Some(key.parse::<Column>().map_err(|_| {
                    CliError::Usage(format!("--map {entry:?}: unknown key {key:?}"))
                })?),
            };
        mapping.set(index, column);
    }
    Ok(mapping)
}

/// A progress line on stderr: redrawn in place on a terminal, one line per phase otherwise.
fn progress_bar() -> impl Fn(ImportProgress) + Send + Sync {
    let terminal = std::io::stderr().is_terminal();
    move |p: ImportProgress| {
        let phase = match p.phase {
            ImportPhase::Checking => "checking",
            ImportPhase::Creating => "creating",
            ImportPhase::Updating => "updating",
            ImportPhase::Finishing => "finishing",
        };
        let share = if p.total == 0 {
            1.0
        } else {
            p.done as f64 / p.total as f64
        };
        let filled = (share * 30.0).round() as usize;
        let bar = format!(
            "[{}{}] {:>3.0}% {phase} {}/{}",
            "#".repeat(filled),
            " ".repeat(30 - filled.min(30)),
            share * 100.0,
            p.done,
            p.total
        );
        let mut err = std::io::stderr().lock();
        if terminal {
            let _ = write!(err, "\r{bar}\x1b[K");
            if p.phase == ImportPhase::Finishing && p.done == p.total {
                let _ = writeln!(err);
            }
        } else if p.done == p.total {
            let _ = writeln!(err, "{bar}");
        }
    }
}

fn print_preview(table: &Table, mapping: &Mapping, plan: &ImportPlan, lang: Language) {
    println!("Columns:");
    for (i, header) in table.headers.iter().enumerate() {
        let target = mapping.get(i).map_or_else(
            || "(ignored)".to_owned(),
            |c| format!("{} ({})", c.header(lang), c.as_str()),
        );
        println!("    {header:<28} -> {target}");
    }
    if !plan.rows.is_empty() {
        println!("First rows as they will be stored:");
    }
    for row in plan.rows.iter().take(5) {
        let action = match row.action {
            RowAction::Create => "new",
            RowAction::Update(_) => "update",
            RowAction::Unchanged(_) => "unchanged",
        };
        let p = &row.person;
        println!(
            "    row {:>5} {action:<9} {} {} | {} | {}",
            row.row,
            p.given_name.as_deref().unwrap_or(""),
            p.family_name,
            p.job_title.as_deref().unwrap_or(""),
            p.email.as_ref().map_or("", |e| e.as_str())
        );
    }
    if !plan.new_units.is_empty() {
        println!("New units: {}", plan.new_units.join(", "));
    }
    for problem in &plan.problems {
        println!("    {}", problem.message(lang));
    }
    println!(
        "{} new, {} changed, {} unchanged, {} problem(s).",
        plan.created,
        plan.updated,
        plan.unchanged,
        plan.problems.len()
    );
}

pub(super) async fn run(url: &str, args: &ImportArgs) -> Result<(), CliError> {
    let lang = language(args);
    let table = read_file(args, lang)?;
    let mapping = corrected(&table, &args.map)?;
    let store = open(url).await?;
    let app = App::new(store.clone(), Config::default());
    let who = Principal::system("Kommandozeile / command line");
    let org = app.organization_named(&who, &args.org).await?;
    let preview = app.plan_people_import(&who, org, &table, &mapping).await?;
    print_preview(&table, &mapping, &preview, lang);
    if !preview.problems.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: {} problem(s); nothing was written",
            args.file.display(),
            preview.problems.len()
        )));
    }
    if !args.commit {
        if org.is_none() {
            println!(
                "The organization {:?} does not exist yet; --commit creates it.",
                args.org
            );
        }
        println!("Dry run: nothing was written. Run again with --commit to import.");
        return Ok(());
    }
    let new_org;
    let target = match org {
        Some(org) => ImportTarget::Existing(org),
        None => {
            new_org = OrganizationInput::parse(&args.org, OrganizationKind::External.as_str(), "")
                .map_err(|errors| {
                    CliError::Usage(format!("--org: {}", super::describe(&errors)))
                })?;
            ImportTarget::New(&new_org)
        }
    };
    // What the user saw is what gets written, or nothing.
    let expected = Some((preview.created, preview.updated, preview.unchanged));
    // The import plans again inside its transaction; the preview's plan (as large as the
    // file's content) need not wait beside it.
    drop(preview);
    match app
        .import_people(&who, target, &table, &mapping, expected, &progress_bar())
        .await
    {
        Ok(done) => {
            if org.is_none() {
                println!("Created the organization {:?}.", args.org.trim());
            }
            println!(
                "Imported: {} created, {} updated, {} unchanged, {} new unit(s).",
                done.created, done.updated, done.unchanged, done.new_units
            );
            super::settle(&store).await
        }
        Err(counterpart_app::Error::Store(StoreError::ImportProblems(plan))) => {
            for problem in &plan.problems {
                println!("    {}", problem.message(lang));
            }
            Err(CliError::Usage(
                "problems appeared while importing; nothing was written".into(),
            ))
        }
        Err(counterpart_app::Error::Store(StoreError::ImportChanged)) => Err(CliError::Usage(
            "the data changed since the preview; nothing was written, run the import again".into(),
        )),
        Err(e) => Err(e.into()),
    }
}
