//! The web layer's error type. Internals are logged once here and never shown to users; the
//! context middleware turns the marker this leaves on the response into a translated page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use counterpart_store::{Refusal, StoreError};

/// Why a request failed, as far as the user needs to know.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such page or record.
    #[error("not found")]
    NotFound,
    /// Not logged in: the middleware redirects to the login page.
    #[error("not logged in")]
    Unauthenticated,
    /// Logged in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// The request is malformed in a way no form can show.
    #[error("bad request")]
    BadRequest,
    /// An upload or field is larger than allowed.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The action is not allowed in the current state of the data.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Anything else: logged with its source, shown as a generic error.
    #[error("internal error: {0}")]
    Internal(#[from] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// An internal error from its source.
    pub(crate) fn internal(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(source))
    }
}

/// The kind of error page to render, left on the response for the context middleware.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorPage {
    NotFound,
    Unauthenticated,
    Forbidden,
    BadRequest,
    /// A form field over the length limit.
    FieldTooLong,
    /// A control character in the address (query string).
    ControlCharacter,
    Refused(Refusal),
    Internal,
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => Self::NotFound,
            StoreError::Refused(refusal) => Self::Refused(refusal),
            // Handlers that take input render field errors and conflicts themselves; reaching
            // here means a request bypassed the form, which is a bad request.
            StoreError::Invalid(_) | StoreError::Conflict { .. } => Self::BadRequest,
            other => Self::internal(other),
        }
    }
}

impl From<counterpart_app::Error> for AppError {
    fn from(error: counterpart_app::Error) -> Self {
        use counterpart_app::Error;
        match error {
            Error::Forbidden => Self::Forbidden,
            Error::NotFound => Self::NotFound,
            Error::Refused(refusal) => Self::Refused(refusal),
            // As for the store: handlers that take input show these on their form.
            Error::Invalid(_) | Error::Conflict { .. } => Self::BadRequest,
            Error::NotApplicable => Self::BadRequest,
            Error::Internal(source) => Self::Internal(source),
            Error::Store(error) => Self::internal(error),
        }
    }
}

impl From<axum::extract::multipart::MultipartError> for AppError {
    /// A body over the upload limit is a 413, anything else a malformed upload.
    fn from(error: axum::extract::multipart::MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Self::PayloadTooLarge
        } else {
            Self::BadRequest
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        Self::internal(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, ErrorPage::NotFound),
            Self::Unauthenticated => (StatusCode::UNAUTHORIZED, ErrorPage::Unauthenticated),
            Self::Forbidden => (StatusCode::FORBIDDEN, ErrorPage::Forbidden),
            Self::BadRequest => (StatusCode::BAD_REQUEST, ErrorPage::BadRequest),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorPage::BadRequest),
            Self::Refused(r) => (StatusCode::CONFLICT, ErrorPage::Refused(r)),
            Self::Internal(source) => {
                // The one place internals are logged; the user sees a generic page.
                tracing::error!(error.detail = %source, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorPage::Internal)
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// The fallback for unknown paths.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}
