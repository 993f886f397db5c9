//! The use cases' error: what a caller must tell apart (a refusal of the principal, a form to
//! show again, a lost race, an action the data does not allow) and everything else.

use counterpart_core::validate::FieldErrors;
use counterpart_store::{Refusal, StoreError, Timestamp};

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The principal may not do or see this.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist (or is not visible to the principal).
    #[error("not found")]
    NotFound,
    /// The input is wrong; each field names its problem. Nothing was written.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// Someone else changed the record since it was read. Nothing was written.
    #[error("changed meanwhile")]
    Conflict {
        /// Who changed it last, from the audit log.
        changed_by: Option<String>,
        /// When.
        changed_at: Option<Timestamp>,
    },
    /// The action is not allowed in the current state of the data.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The request does not apply to the record at all (no page offers it for this record,
    /// e.g. a capacity of ours for a partner person).
    #[error("not applicable to this record")]
    NotApplicable,
    /// Work off the async threads failed (a panic, or the solver broke): a fault of ours.
    #[error("internal error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
    /// The store failed otherwise.
    #[error(transparent)]
    Store(StoreError),
}

impl From<tokio::task::JoinError> for Error {
    fn from(error: tokio::task::JoinError) -> Self {
        Self::internal(error)
    }
}

impl Error {
    /// An internal error from its source.
    pub(crate) fn internal(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(source))
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound,
            StoreError::Invalid(errors) => Self::Invalid(errors),
            StoreError::Conflict {
                changed_by,
                changed_at,
                ..
            } => Self::Conflict {
                changed_by,
                changed_at,
            },
            StoreError::Refused(refusal) => Self::Refused(refusal),
            other => Self::Store(other),
        }
    }
}

/// A store read of something that may not exist: `None` where the store found nothing.
pub(crate) fn found<T>(read: std::result::Result<T, StoreError>) -> Result<Option<T>> {
    match read {
        Ok(value) => Ok(Some(value)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

impl From<FieldErrors> for Error {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}
