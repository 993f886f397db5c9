//! The subcommands, one file each.

mod backup;
mod demo;
mod import;
mod migrate;
mod serve;
mod solve;
mod token;
mod user;

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use counterpart_store::{Store, StoreError};

/// Counterpart: hierarchical key account management. Every important person at a customer,
/// supplier or neighbouring department gets a counterpart of ours at the same hierarchy level.
#[derive(Debug, Parser)]
#[command(name = "counterpart", version, propagate_version = true)]
pub struct Cli {
    /// The database: a SQLite file path (created when missing), `sqlite://FILE`, or
    /// `postgres://USER@HOST/DB`. Default: counterpart.db (counterpart-demo.db for `demo`).
    #[arg(long, global = true, env = "COUNTERPART_DATABASE_URL")]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server (creates a first admin with a printed password on an empty database).
    Serve(ServeArgs),
    /// Load the demo dataset (into counterpart-demo.db by default) and run the web server.
    Demo(demo::DemoArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Issue API tokens (for scripts; users make their own on their token page).
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Solve a min-cost-flow problem in DIMACS format and print the optimal solution.
    Solve(solve::SolveArgs),
    /// Import people from CSV, XLSX or vCard into an organization (a dry run without --commit).
    Import(import::ImportArgs),
    /// Write data to a file: the full JSON dump (--all FILE.json).
    Export(backup::ExportArgs),
    /// Load a JSON dump (made by `export --all`) into an empty database.
    Restore(backup::RestoreArgs),
    /// Make a consistent copy of a running SQLite database into a new file.
    Backup(backup::BackupArgs),
}

/// Options of every command that runs the web server.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "COUNTERPART_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,

    /// Mark cookies `Secure`: set this when users reach Counterpart over HTTPS (directly or
    /// through a TLS-terminating proxy).
    #[arg(long, env = "COUNTERPART_SECURE_COOKIES")]
    secure_cookies: bool,

    /// The address users reach Counterpart at, e.g. `https://kam.example.com/`. State-changing
    /// requests from any other origin are refused; without it, the `Origin` header must name
    /// the host the request was sent to.
    #[arg(long, env = "COUNTERPART_PUBLIC_URL", value_parser = |text: &str| counterpart_app::Config::parse_public_url(text).map_err(|e| e.to_string()))]
    public_url: Option<url::Url>,

    /// A reverse proxy (address or network, e.g. `10.0.0.0/8`) whose `X-Forwarded-For` header
    /// names the client, for login throttling by address. Repeat it or separate with commas.
    /// Without it, the connection's own address counts and the header is ignored.
    #[arg(
        long = "trusted-proxy",
        env = "COUNTERPART_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = clap::value_parser!(counterpart_app::TrustedProxy)
    )]
    trusted_proxies: Vec<counterpart_app::TrustedProxy>,

    /// The time zone dates and times are shown in (the audit log, later agendas and
    /// reminders): an IANA name such as `Europe/Berlin` (the default) or `UTC`.
    #[arg(
        long,
        env = "COUNTERPART_TIME_ZONE",
        default_value = "Europe/Berlin",
        value_parser = |text: &str| counterpart_app::Config::parse_time_zone(text).map_err(|e| e.to_string())
    )]
    time_zone: chrono_tz::Tz,

    /// The mail server for the weekly unit digest: `smtp://user:password@host:587?tls=required`
    /// (STARTTLS), `smtps://…:465` (TLS) or `smtp://host:25` (a local relay, unencrypted).
    /// Needs `--mail-from`.
    #[arg(long, env = "COUNTERPART_SMTP_URL", requires = "mail_from")]
    smtp_url: Option<String>,

    /// The sender address of those mails, e.g. `kam@example.com`.
    #[arg(long, env = "COUNTERPART_MAIL_FROM", requires = "smtp_url")]
    mail_from: Option<String>,

    /// How many API requests one token may make a minute on this instance. Leave it at the
    /// default in production; raise it only for a test run that must not be braked (the API
    /// conformance run, `scripts/schemathesis.sh`).
    #[arg(long, env = "COUNTERPART_API_RATE_LIMIT", default_value_t = counterpart_web::DEFAULT_API_RATE_LIMIT, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    api_rate_limit: u32,

    #[command(flatten)]
    limits: ImportLimitArgs,

    /// Administrators must use a second factor: an administrator without one is led to set
    /// it up right after logging in and can use no other page before.
    #[arg(long, env = "COUNTERPART_REQUIRE_SECOND_FACTOR_FOR_ADMINS")]
    require_second_factor_for_admins: bool,
}

impl ServeArgs {
    /// The application's configuration from these options.
    pub(crate) fn config(&self) -> Result<counterpart_app::Config, CliError> {
        let smtp = match (&self.smtp_url, &self.mail_from) {
            (Some(url), Some(from)) => Some(
                counterpart_app::Smtp::parse(url, from)
                    .map_err(|e| CliError::Usage(format!("--smtp-url/--mail-from: {e}")))?,
            ),
            _ => None,
        };
        Ok(counterpart_app::Config {
            public_url: self.public_url.clone(),
            time_zone: self.time_zone,
            smtp,
            trusted_proxies: self.trusted_proxies.clone(),
            import_limits: self.limits.limits(),
            require_second_factor_for_admins: self.require_second_factor_for_admins,
        })
    }
}

/// How much of a file an import reads before it refuses it: the same limits for `import` and
/// for uploads through `serve`.
#[derive(Debug, Args)]
pub struct ImportLimitArgs {
    /// The largest import file in MB (for an XLSX workbook: what it unpacks to). Uploads in
    /// the browser are also capped at 50 MB by the web server.
    #[arg(long, env = "COUNTERPART_IMPORT_MAX_MB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65536))]
    import_max_mb: u64,

    /// The most data rows of one import.
    #[arg(long, env = "COUNTERPART_IMPORT_MAX_ROWS", default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    import_max_rows: u64,

    /// The most columns of one import file.
    #[arg(long, env = "COUNTERPART_IMPORT_MAX_COLUMNS", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=16384))]
    import_max_columns: u64,

    /// The most characters in one cell.
    #[arg(long, env = "COUNTERPART_IMPORT_MAX_CELL", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    import_max_cell: u64,
}

impl ImportLimitArgs {
    /// The limits as the readers take them.
    pub fn limits(&self) -> counterpart_core::exchange::read::Limits {
        // The ranges above keep every value far inside usize.
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        counterpart_core::exchange::read::Limits {
            max_bytes: self.import_max_mb * 1024 * 1024,
            max_rows: size(self.import_max_rows),
            max_columns: size(self.import_max_columns),
            max_cell_chars: size(self.import_max_cell),
        }
    }
}

/// Why a command failed; printed as `error: …`.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The user asked for something that cannot be done; exit code 2.
    #[error("{0}")]
    Usage(String),
    /// The database failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A use case refused or failed.
    #[error("{}", describe_app(.0))]
    App(#[from] counterpart_app::Error),
    /// Reading or writing a file or socket failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl CliError {
    /// The process exit code: 2 for wrong input, 1 for everything else.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_)
            | Self::Store(
                StoreError::Invalid(_)
                | StoreError::Url(_)
                | StoreError::Refused(_)
                | StoreError::Dump(_),
            ) => ExitCode::from(2),
            Self::App(error)
                if !matches!(
                    error,
                    counterpart_app::Error::Store(_) | counterpart_app::Error::Internal(_)
                ) =>
            {
                ExitCode::from(2)
            }
            _ => ExitCode::FAILURE,
        }
    }
}

impl Cli {
    /// Runs the chosen command.
    pub async fn run(self) -> Result<(), CliError> {
        let url = |default: &str| {
            self.database_url
                .clone()
                .unwrap_or_else(|| default.to_owned())
        };
        match self.command {
            Command::Serve(args) => serve::run(&url("counterpart.db"), &args).await,
            Command::Demo(args) => demo::run(&url(demo::default_url(&args)), &args).await,
            Command::Migrate => migrate::run(&url("counterpart.db")).await,
            Command::User(command) => user::run(&url("counterpart.db"), command).await,
            Command::Token(command) => token::run(&url("counterpart.db"), command).await,
            Command::Solve(args) => solve::run(&args),
            Command::Import(args) => import::run(&url("counterpart.db"), &args).await,
            Command::Export(args) => backup::export(&url("counterpart.db"), &args).await,
            Command::Restore(args) => backup::restore(&url("counterpart.db"), &args).await,
            Command::Backup(args) => backup::backup(&url("counterpart.db"), &args).await,
        }
    }
}

/// Describes a use case's error for the terminal.
fn describe_app(error: &counterpart_app::Error) -> String {
    use counterpart_app::Error;
    match error {
        Error::Invalid(errors) => describe(errors),
        Error::Forbidden => "not allowed".to_owned(),
        Error::NotFound => "not found".to_owned(),
        Error::Conflict { .. } => "changed meanwhile; try again".to_owned(),
        Error::Refused(refusal) => refusal.to_string(),
        Error::NotApplicable => "not applicable to this record".to_owned(),
        Error::Internal(error) => error.to_string(),
        Error::Store(error) => error.to_string(),
    }
}

/// Describes field errors for the terminal: `field: sentence; …`.
pub(crate) fn describe(errors: &counterpart_core::validate::FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                e.field,
                e.problem.message(counterpart_core::user::Language::En)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Does the derived work the command's writes made stale (scores) before the command exits:
/// without a server running, nobody else would.
async fn settle(store: &Store) -> Result<(), CliError> {
    store.run_jobs("command line").await?;
    Ok(())
}

/// Opens and migrates the database.
async fn open(url: &str) -> Result<Store, CliError> {
    let store = Store::connect(url).await?;
    store.migrate().await?;
    store.seed_defaults().await?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
