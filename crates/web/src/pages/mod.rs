//! The HTML pages, one folder per feature. Each exposes its `router()`; none calls another's
//! handlers or page builders (shared pieces are in [`crate::render`], reads in the use cases).

mod accounts;
mod admin;
mod auth;
mod briefing;
mod chart;
mod counterparts;
pub(crate) mod digest;
mod guiding;
mod home;
mod import;
mod importance;
mod insights;
pub(crate) mod jour_fixe;
mod matrix;
mod mirror;
mod organizations;
mod people;
mod picker;
mod privacy;
mod search;
mod units;
mod users;

use axum::Router;

use crate::AppState;

/// All page routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(search::router())
        .merge(digest::router())
        .merge(briefing::router())
        .merge(insights::router())
        .merge(jour_fixe::router())
        .merge(guiding::router())
        .merge(auth::router())
        .merge(organizations::router())
        .merge(units::router())
        .merge(people::router())
        .merge(admin::router())
        .merge(accounts::router())
        .merge(chart::router())
        .merge(import::router())
        .merge(counterparts::router())
        .merge(importance::router())
        .merge(matrix::router())
        .merge(mirror::router())
        .merge(picker::router())
        .merge(privacy::router())
        .merge(users::router())
}
