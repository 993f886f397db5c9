//! Administration: the hierarchy ladder and the functions (`ladder.rs`), the audit log
//! (`audit.rs`). Users are in `pages/users`.

mod audit;
mod ladder;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/levels",
            get(ladder::levels).post(ladder::create_level),
        )
        .route("/admin/levels/{id}", post(ladder::rename_level))
        .route("/admin/levels/{id}/move", post(ladder::move_level))
        .route(
            "/admin/functions",
            get(ladder::functions).post(ladder::create_function),
        )
        .route("/admin/functions/{id}", post(ladder::update_function))
        .route("/admin/functions/{id}/move", post(ladder::move_function))
        .route("/admin/audit", get(audit::audit))
}
