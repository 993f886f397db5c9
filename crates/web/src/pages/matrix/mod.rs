//! The KAM matrix and the portfolio picture.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use counterpart_app::imports::MatrixRun;
use counterpart_core::account::{AssignmentKind, Relation};
use counterpart_core::ids::{AccountId, UploadId};
use counterpart_core::importance::Tier;
use counterpart_core::ladder::Level;
use counterpart_core::matrix::MatrixRow;
use counterpart_core::matrix_xlsx::write_matrix;
use counterpart_core::portfolio::{Portfolio, layout};
use counterpart_store::{AccountFilter, MatrixImportOutcome, MatrixProblemKind};

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::filters::{FilterQuery, our_filters};
use crate::render::{Field, PageResult, page, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/matrix", get(matrix))
        .route("/matrix/export", get(export))
        .route(
            "/matrix/import",
            get(import_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .route("/matrix/import/{id}", get(import_preview))
        .route("/matrix/import/{id}/commit", post(import_commit))
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
    imported: Option<String>,
    filter_hidden: Vec<(&'static str, String)>,
    sheet_choices: Vec<(&'static str, &'static str, bool)>,
    /// First and last row shown (1-based) and the total.
    range: (usize, usize, usize),
    compact: bool,
    /// The two views, full and compact: link, label, current.
    views: [(String, &'static str, bool); 2],
    /// In the matrix of suppliers (the relation filter): the latest supplier assessment
    /// (guiding questions) of each that has one, as (day, score).
    supplier_column: Option<HashMap<AccountId, (String, i64)>>,
}

impl MatrixPage<'_> {
    /// The latest supplier assessment of an account, if the column is shown and it has one.
    fn supplier_assessment(&self, id: &AccountId) -> Option<&(String, i64)> {
        self.supplier_column.as_ref()?.get(id)
    }

    fn level_name(&self, level: &Level) -> String {
        format!(
            "{} · {}",
            level.rank,
            self.ctx.pick(&level.name_de, &level.name_en)
        )
    }
}

async fn matrix(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let matrix = state
        .app
        .matrix(&ctx.principal(), &q.filter(), q.page)
        .await?;
    let (levels, rows, first, total) = (matrix.levels, matrix.rows, matrix.first, matrix.total);
    let suppliers: Vec<AccountId> = rows
        .iter()
        .filter(|r| r.account.relation.is_supplier())
        .map(|r| r.account.id)
        .collect();
    // Only in the matrix of suppliers: the full matrix must keep fitting a wide screen.
    let supplier_column = if suppliers.is_empty() || q.relation != Relation::Supplier.as_str() {
        None
    } else {
        let latest = state
            .app
            .latest_supplier_assessments(&ctx.principal(), &suppliers)
            .await?;
        Some(
            latest
                .into_iter()
                .map(|(id, set)| (id, (ctx.date(&set.answered_on), set.score())))
                .collect(),
        )
    };
    let link = |page: usize| format!("/matrix?{}&page={page}", q.query());
    let view = |compact: bool| {
        let q = FilterQuery {
            view: if compact {
                "compact".into()
            } else {
                String::new()
            },
            ..q.clone()
        };
        format!("/matrix?{}&page={}", q.query(), q.page)
    };
    Ok(page(&MatrixPage {
        supplier_column,
        t: ctx.t(),
        filters: our_filters(&state, &ctx, &q).await?,
        has_unleveled: rows.iter().any(|r| !r.unleveled.is_empty()),
        ctx: &ctx,
        levels,
        rows,
        imported: ctx.path.split("imported=").nth(1).map(|n| {
            n.split('&')
                .next()
                .unwrap_or("")
                .replace(',', " · ")
                .replace("%2C", " · ")
        }),
        filter_hidden: vec![
            ("relation", q.relation.clone()),
            ("side", q.side.clone()),
            ("tier", q.tier.clone()),
            ("unit", q.unit.clone()),
        ],
        compact: q.compact(),
        views: [
            (view(false), ctx.t().view_full, !q.compact()),
            (view(true), ctx.t().view_compact, q.compact()),
        ],
        sheet_choices: vec![
            ("current", ctx.t().sheet_current, true),
            ("customers", ctx.t().sheet_customers, false),
            ("suppliers", ctx.t().sheet_suppliers, false),
            ("internal", ctx.t().sheet_internal, false),
            ("tier_a", ctx.t().sheet_tier_a, false),
        ],
        previous: (q.page > 0).then(|| link(q.page - 1)),
        next: (first + counterpart_app::matrix::MATRIX_PAGE < total).then(|| link(q.page + 1)),
        range: (
            first + 1,
            (first + counterpart_app::matrix::MATRIX_PAGE).min(total),
            total,
        ),
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

impl PortfolioPage<'_> {
    /// The quadrant a point lies in, as the picture names it.
    fn quadrant(&self, p: &counterpart_core::portfolio::PlacedPoint) -> &'static str {
        let (sx, sy) = self.picture.split;
        match (p.x >= sx, p.y <= sy) {
            (true, true) => self.t.quadrant_keep,
            (true, false) => self.t.quadrant_develop,
            (false, true) => self.t.quadrant_efficient,
            (false, false) => self.t.quadrant_watch,
        }
    }
}

async fn portfolio(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let view = state.app.portfolio(&ctx.principal(), &q.filter()).await?;
    Ok(page(&PortfolioPage {
        t: ctx.t(),
        filters: our_filters(&state, &ctx, &q).await?,
        ctx: &ctx,
        picture: layout(view.accounts, view.tier_a, 860.0, 520.0),
        unplotted: view
            .unplotted
            .into_iter()
            .map(|(id, name)| (id.get(), name))
            .collect(),
    }))
}

/// The sheets a matrix workbook can have: (key, filter).
fn sheet_filters(current: &FilterQuery) -> Vec<(&'static str, AccountFilter)> {
    vec![
        ("current", current.filter()),
        (
            "customers",
            AccountFilter {
                relation: Some(Relation::Customer),
                internal: Some(false),
                ..Default::default()
            },
        ),
        (
            "suppliers",
            AccountFilter {
                relation: Some(Relation::Supplier),
                internal: Some(false),
                ..Default::default()
            },
        ),
        (
            "internal",
            AccountFilter {
                internal: Some(true),
                ..Default::default()
            },
        ),
        (
            "tier_a",
            AccountFilter {
                tier: Some(Tier::A),
                ..Default::default()
            },
        ),
    ]
}

/// The matrix as an Excel workbook: one sheet per chosen filter (`sheet=…`, repeated).
async fn export(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let current = FilterQuery {
        relation: get("relation"),
        side: get("side"),
        tier: get("tier"),
        unit: get("unit"),
        ..Default::default()
    };
    let mut chosen: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == "sheet")
        .map(|(_, v)| v.as_str())
        .collect();
    if chosen.is_empty() {
        chosen.push("current");
    }
    let (keys, filters): (Vec<&str>, Vec<AccountFilter>) = sheet_filters(&current)
        .into_iter()
        .filter(|(key, _)| chosen.contains(key))
        .unzip();
    let (levels, built) = state.app.matrix_sheets(&ctx.principal(), &filters).await?;
    let names: Vec<(i64, String)> = levels
        .iter()
        .map(|l| (l.rank, ctx.pick(&l.name_de, &l.name_en).to_owned()))
        .collect();
    let mut sheets = Vec::new();
    for (key, rows) in keys.into_iter().zip(built) {
        let name = match key {
            "customers" => t.sheet_customers,
            "suppliers" => t.sheet_suppliers,
            "internal" => t.sheet_internal,
            "tier_a" => t.sheet_tier_a,
            _ => t.sheet_current,
        };
        sheets.push((name.to_owned(), rows));
    }
    let bytes = write_matrix(&sheets, &names, ctx.lang).map_err(AppError::internal)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kam-matrix.xlsx\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "matrix_import.html")]
struct MatrixImportPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    upload: Option<UploadId>,
    error: Option<String>,
    problems: Vec<String>,
    outcome: Option<MatrixImportOutcome>,
}

async fn import_form(Editor(ctx): Editor) -> PageResult {
    Ok(page(&MatrixImportPage {
        t: ctx.t(),
        ctx: &ctx,
        upload: None,
        error: None,
        problems: Vec::new(),
        outcome: None,
    }))
}

async fn upload(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    mut multipart: Multipart,
) -> PageResult {
    let mut file = None;
    while let Some(field) = multipart.next_field().await? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("matrix.xlsx").to_owned();
            file = Some((name, field.bytes().await?));
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(render(
            &MatrixImportPage {
                t: ctx.t(),
                ctx: &ctx,
                upload: None,
                error: Some(ctx.t().import_no_file.to_owned()),
                problems: Vec::new(),
                outcome: None,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let id = state
        .app
        .upload_matrix(&ctx.principal(), &name, &bytes)
        .await?;
    Ok(see_other(&format!("/matrix/import/{id}")))
}

/// Runs the import of an upload, as a dry run or for real; renders problems or the outcome.
async fn run_import(state: &AppState, ctx: &Ctx, id: UploadId, commit: bool) -> PageResult {
    let run = state
        .app
        .run_matrix_import(&ctx.principal(), id, commit)
        .await?;
    let t = ctx.t();
    let mut view = MatrixImportPage {
        ctx,
        t,
        upload: Some(id),
        error: None,
        problems: Vec::new(),
        outcome: None,
    };
    match run {
        MatrixRun::Unreadable(e) => {
            view.error = Some(e.message(ctx.lang));
            view.upload = None;
            Ok(render(&view, StatusCode::UNPROCESSABLE_ENTITY))
        }
        MatrixRun::Outcome(outcome) if commit => Ok(see_other(&format!(
            "/matrix?imported={},{},{},{},{}",
            outcome.accounts,
            outcome.people,
            outcome.key_contacts,
            outcome.assignments,
            outcome.ratings
        ))),
        MatrixRun::Outcome(outcome) => {
            view.outcome = Some(outcome);
            Ok(page(&view))
        }
        MatrixRun::Problems(problems) => {
            view.problems = problems
                .iter()
                .map(|p| {
                    let what = match p.kind {
                        MatrixProblemKind::OursNotFound => t.matrix_ours_not_found,
                        MatrixProblemKind::OursAmbiguous => t.matrix_ours_ambiguous,
                        MatrixProblemKind::PersonAmbiguous => t.matrix_person_ambiguous,
                        MatrixProblemKind::OwnOrganization => t.matrix_own_organization,
                        MatrixProblemKind::AccountTaken => t.matrix_account_taken,
                    };
                    format!("{} {}: „{}“ – {what}", t.cell, p.cell, p.name)
                })
                .collect();
            Ok(render(&view, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

async fn import_preview(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
) -> PageResult {
    run_import(&state, &ctx, id, false).await
}

async fn import_commit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
) -> PageResult {
    run_import(&state, &ctx, id, true).await
}
