//! The use cases' error: what the store reports, and refusals of the principal.

use counterpart_store::StoreError;

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The principal may not do or see this.
    #[error("forbidden")]
    Forbidden,
    /// The store failed or refused (not found, invalid input, a conflict, …).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<counterpart_core::validate::FieldErrors> for Error {
    fn from(errors: counterpart_core::validate::FieldErrors) -> Self {
        Self::Store(StoreError::Invalid(errors))
    }
}
