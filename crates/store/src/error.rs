//! The store's error type.

use counterpart_core::audit::EntityKind;
use counterpart_core::validate::FieldErrors;

use crate::Timestamp;

/// Result of a store operation.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// What was looked for.
        entity: EntityKind,
        /// Its id.
        id: i64,
    },
    /// The input is wrong; each field names its problem. Nothing was written.
    #[error("invalid input: {0}")]
    Invalid(#[from] FieldErrors),
    /// Someone else changed the record since it was read. Nothing was written.
    #[error("{entity} {id} was changed meanwhile")]
    Conflict {
        /// The record's kind.
        entity: EntityKind,
        /// Its id.
        id: i64,
        /// Who changed it last, from the audit log.
        changed_by: Option<String>,
        /// When.
        changed_at: Option<Timestamp>,
    },
    /// The action is not allowed in the current state of the data.
    #[error("not allowed: {0}")]
    Refused(Refusal),
    /// The schema in the database does not match this program.
    #[error("migration: {0}")]
    Migration(String),
    /// The database URL cannot be used.
    #[error("database URL: {0}")]
    Url(String),
    /// Password hashing failed (should not happen).
    #[error("password hashing: {0}")]
    Hash(String),
    /// An import has problems; each names its row and column. Nothing was written.
    #[error("the import has {} problem(s)", .0.problems.len())]
    ImportProblems(Box<counterpart_core::exchange::plan::ImportPlan>),
    /// The data changed between preview and commit: the import would do something other than
    /// what was confirmed. Nothing was written.
    #[error("the data changed since the preview; check the import again")]
    ImportChanged,
    /// A dump cannot be restored.
    #[error(transparent)]
    Dump(#[from] counterpart_core::dump::DumpError),
    /// Anything the database reported.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Why an action was refused, for a message in the user's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Only one organization can be our own.
    #[error("there is already an own organization; only one can exist")]
    SecondOwnOrganization,
    /// Our own organization cannot be deactivated.
    #[error("our own organization cannot be deactivated")]
    DeactivateOwnOrganization,
    /// An online backup of a PostgreSQL database (use pg_dump).
    #[error("online backup is for SQLite; back up PostgreSQL with pg_dump")]
    BackupNeedsSqlite,
    /// Loading into a database that already holds data.
    #[error("the database is not empty; this loads only into an empty database")]
    DatabaseNotEmpty,
    /// The change would leave no active administrator.
    #[error("this would leave no active administrator")]
    LastAdministrator,
    /// Erasing a person whose rows of this section must be handed to someone else first (a
    /// jour-fixe series needs a convenor).
    #[error("the person cannot be erased while they hold {0:?}; hand it over first")]
    ErasureBlocked(crate::registry::Section),
    /// An administrator erasing their own person (they would lose the session they act in).
    #[error("administrators cannot erase their own person")]
    ErasesOneself,
}

impl StoreError {
    pub(crate) fn not_found(entity: EntityKind, id: i64) -> Self {
        Self::NotFound { entity, id }
    }
}
