//! The mirror: an account's hierarchy beside ours with its findings and score (`account.rs`),
//! the portfolio roll-up sorted by what needs attention (`portfolio.rs`), and the optimal
//! counterpart suggestions with accept, keep and never (`suggestions.rs`). The analysis and
//! the solver run in the use cases, off the async threads.

mod account;
mod portfolio;
mod suggestions;

use axum::Router;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::Ctx;
use crate::render::charts::TimeChart;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/mirror", get(portfolio::portfolio))
        .route("/mirror/suggestions", get(suggestions::scope_suggestions))
        .route("/accounts/{id}/mirror", get(account::account_mirror))
        .route(
            "/accounts/{id}/suggestions",
            get(suggestions::account_suggestions),
        )
        .route("/suggestions/accept", post(suggestions::accept))
        .route("/locks", post(suggestions::lock))
}

/// The mirror score over time, 0–100.
fn score_trend(ctx: &Ctx, points: &[(NaiveDate, f64)]) -> Option<TimeChart> {
    let (days, values): (Vec<NaiveDate>, Vec<f64>) = points.iter().copied().unzip();
    TimeChart::new(
        ctx,
        &days,
        (0.0, 100.0),
        [0, 50, 100],
        vec![("mirror", ctx.t().mirror_score, values)],
    )
}

/// What came back from an accept.
#[derive(Deserialize, Default)]
struct DoneQuery {
    accepted: Option<usize>,
}
