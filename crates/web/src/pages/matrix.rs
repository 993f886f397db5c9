//! The KAM matrix and the portfolio picture.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use counterpart_core::account::{AssignmentKind, Health};
use counterpart_core::ladder::Level;
use counterpart_core::matrix::{MatrixRow, build};
use counterpart_core::portfolio::{Portfolio, PortfolioAccount, layout};

use super::accounts::{FilterQuery, filter_fields};
use super::{Field, PageResult, page};
use crate::AppState;
use crate::context::{Ctx, Viewer};
use crate::i18n::Texts;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/matrix", get(matrix))
        .route("/portfolio", get(portfolio))
}

#[derive(Template)]
#[template(path = "matrix.html")]
struct MatrixPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    filters: Vec<Field>,
    levels: Vec<Level>,
    rows: Vec<MatrixRow>,
    has_unleveled: bool,
    previous: Option<String>,
    next: Option<String>,
    /// First and last row shown (1-based) and the total.
    range: (usize, usize, usize),
}

/// Accounts per matrix page.
const MATRIX_PAGE: usize = 50;

impl MatrixPage<'_> {
    fn level_name(&self, level: &Level) -> String {
        format!(
            "{} · {}",
            level.rank,
            self.ctx.pick(&level.name_de, &level.name_en)
        )
    }
}

/// Loads and builds the matrix rows for a filter.
async fn rows(
    state: &AppState,
    q: &FilterQuery,
) -> Result<(Vec<Level>, Vec<MatrixRow>), counterpart_store::StoreError> {
    let levels = state.store.levels().await?;
    let data = state.store.matrix_data(&q.filter()).await?;
    let ranks: Vec<i64> = levels.iter().map(|l| l.rank).collect();
    Ok((
        levels,
        build(&ranks, data.accounts, &data.contacts, &data.counterparts),
    ))
}

async fn matrix(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let (levels, mut rows) = rows(&state, &q).await?;
    // The whole matrix is built (it is ordered by importance), one page of it is shown.
    let total = rows.len();
    let first = (q.page * MATRIX_PAGE).min(total);
    rows.truncate((first + MATRIX_PAGE).min(total));
    let rows = rows.split_off(first);
    let link = |page: usize| format!("/matrix?{}&page={page}", q.query());
    Ok(page(&MatrixPage {
        t: ctx.t(),
        filters: filter_fields(&state, &ctx, &q).await?,
        has_unleveled: rows.iter().any(|r| !r.unleveled.is_empty()),
        ctx: &ctx,
        levels,
        rows,
        previous: (q.page > 0).then(|| link(q.page - 1)),
        next: (first + MATRIX_PAGE < total).then(|| link(q.page + 1)),
        range: (first + 1, (first + MATRIX_PAGE).min(total), total),
    }))
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    filters: Vec<Field>,
    picture: Portfolio,
    unplotted: Vec<(i64, String)>,
}

/// The mean of the latest relationship ratings of the primary counterparts of an account's
/// key contacts; `None` when none is rated.
fn health(row: &MatrixRow) -> Option<f64> {
    let ratings: Vec<f64> = row
        .cells
        .iter()
        .flatten()
        .chain(&row.unleveled)
        .filter_map(|c| c.counterparts.first())
        .filter(|c| c.kind == AssignmentKind::Primary || c.health != Health::Unrated)
        .filter_map(|c| c.relationship)
        .map(|r| r as f64)
        .collect();
    (!ratings.is_empty()).then(|| ratings.iter().sum::<f64>() / ratings.len() as f64)
}

async fn portfolio(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let (_, rows) = rows(&state, &q).await?;
    let tiers = state.store.tiers().await?;
    let mut accounts = Vec::new();
    let mut unplotted = Vec::new();
    for row in &rows {
        match (row.account.score, health(row)) {
            (Some(score), Some(health)) => accounts.push(PortfolioAccount {
                id: row.account.id,
                name: row.account.name.clone(),
                score,
                health,
                internal: row.account.internal,
                relation: row.account.relation,
            }),
            _ => unplotted.push((row.account.id.get(), row.account.name.clone())),
        }
    }
    Ok(page(&PortfolioPage {
        t: ctx.t(),
        filters: filter_fields(&state, &ctx, &q).await?,
        ctx: &ctx,
        picture: layout(accounts, tiers.a, 860.0, 520.0),
        unplotted,
    }))
}
