//! Counterparts: the relationship page with its ratings over time, rating, and ending an
//! assignment. (Assigning starts on a person page: `pages/people/counterparts.rs`.)

use askama::Template;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_app::counterparts::{RatingFields, RelationshipSide};
use counterpart_core::account::{AssignmentKind, Health, Rating, Trend};
use counterpart_core::cadence::Cadence;
use counterpart_core::ids::{AssignmentId, PersonId};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::render::charts::TimeChart;
use crate::render::counterparts::contact_line;
use crate::render::forms::error_lines;
use crate::render::people::level_name;
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/assignments/{id}", get(show))
        .route("/assignments/{id}/ratings", post(rate))
        .route("/assignments/{id}/end", post(end))
        .route("/assignments/{id}/interval", post(interval))
}

#[derive(Template)]
#[template(path = "counterparts/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: AssignmentId,
    version: i64,
    kind: AssignmentKind,
    /// (person, name, organization, level) of each side.
    partner: (PersonId, String, String, String),
    ours: (PersonId, String, String, String),
    from: String,
    until: Option<String>,
    ratings: Vec<(String, Rating)>,
    health: Health,
    trend: Trend,
    chart: Option<TimeChart>,
    /// The pair's contact: state, the line, the day it is due, its own interval (for the
    /// form); `None` for an ended assignment.
    contact: Option<ContactBox>,
    today: String,
    errors: Vec<String>,
    saved: bool,
}

impl ShowPage<'_> {
    fn dimensions(&self) -> [(&'static str, &'static str); 3] {
        [
            ("relationship", self.t.relationship),
            ("partnership", self.t.partnership),
            ("satisfaction", self.t.satisfaction),
        ]
    }
}

/// Where a current pair stands against its expected contact interval.
struct ContactBox {
    state: counterpart_core::cadence::State,
    line: String,
    due_on: String,
    own_days: String,
    default_interval: bool,
}

impl ContactBox {
    fn of(ctx: &Ctx, cadence: &Cadence) -> Self {
        Self {
            state: cadence.state,
            line: contact_line(ctx, cadence),
            due_on: ctx.date(&cadence.due_on),
            own_days: if cadence.own_interval {
                cadence.every_days.to_string()
            } else {
                String::new()
            },
            default_interval: !cadence.own_interval,
        }
    }
}

/// The three rating dimensions over time (1–5); `None` before there are two ratings.
fn chart(t: &Texts, ctx: &Ctx, ratings: &[Rating]) -> Option<TimeChart> {
    if ratings.len() < 2 {
        return None;
    }
    let days: Vec<chrono::NaiveDate> = ratings.iter().map(|r| r.rated_on).collect();
    let values = |f: fn(&Rating) -> i64| ratings.iter().map(|r| f(r) as f64).collect();
    TimeChart::new(
        ctx,
        &days,
        (1.0, 5.0),
        1..=5,
        vec![
            ("relationship", t.relationship, values(|r| r.relationship)),
            ("partnership", t.partnership, values(|r| r.partnership)),
            ("satisfaction", t.satisfaction, values(|r| r.satisfaction)),
        ],
    )
}

/// One side as the page heads it: (person, name, organization, level).
fn side_line(ctx: &Ctx, side: RelationshipSide) -> (PersonId, String, String, String) {
    let (level, _) = level_name(ctx, side.level.as_ref());
    (
        side.person.id,
        side.person.display_name(),
        side.organization,
        level,
    )
}

/// The relationship page, with the problems of a rejected form on top (then 422).
async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: AssignmentId,
    errors: Vec<String>,
) -> PageResult {
    let page = state.app.relationship_page(&ctx.principal(), id).await?;
    let t = ctx.t();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let a = page.assignment;
    Ok(render(
        &ShowPage {
            ctx,
            t,
            id: a.id,
            version: a.version,
            kind: a.kind,
            partner: side_line(ctx, page.partner),
            ours: side_line(ctx, page.ours),
            from: ctx.date(&a.valid_from),
            until: a.valid_to.map(|d| ctx.date(&d)),
            health: page.health,
            trend: page.trend,
            chart: chart(t, ctx, &page.ratings),
            contact: page.cadence.as_ref().map(|c| ContactBox::of(ctx, c)),
            ratings: page
                .ratings
                .into_iter()
                .rev()
                .map(|r| (ctx.date(&r.rated_on), r))
                .collect(),
            today: ctx.today().format("%Y-%m-%d").to_string(),
            errors,
            saved: ctx.path.contains("saved=1"),
        },
        status,
    ))
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AssignmentId>,
) -> PageResult {
    show_page(&state, &ctx, id, Vec::new()).await
}

async fn rate(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AssignmentId>,
    Form(form): Form<RatingFields>,
) -> PageResult {
    match state
        .app
        .rate_relationship(&ctx.principal(), id, &form)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/assignments/{id}?saved=1"))),
        Err(Error::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The end form: the last day, with the version seen.
#[derive(Deserialize)]
struct EndForm {
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    version: i64,
}

async fn end(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AssignmentId>,
    Form(form): Form<EndForm>,
) -> PageResult {
    let done = state
        .app
        .end_assignment(&ctx.principal(), id, form.version, &form.valid_to)
        .await;
    answer(&state, &ctx, id, done).await
}

/// The interval form: days (empty: the default), with the version seen.
#[derive(Deserialize)]
struct IntervalForm {
    #[serde(default)]
    contact_every_days: String,
    #[serde(default)]
    version: i64,
}

async fn interval(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AssignmentId>,
    Form(form): Form<IntervalForm>,
) -> PageResult {
    let done = state
        .app
        .set_contact_interval(&ctx.principal(), id, form.version, &form.contact_every_days)
        .await;
    answer(&state, &ctx, id, done).await
}

/// After a change of the assignment from its page: back to the page, or the page again with
/// what was wrong with the form, or who changed the assignment meanwhile.
async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    id: AssignmentId,
    done: Result<T, Error>,
) -> PageResult {
    match done {
        Ok(_) => Ok(see_other(&format!("/assignments/{id}?saved=1"))),
        Err(Error::Invalid(errors)) => show_page(state, ctx, id, error_lines(ctx, &errors)).await,
        Err(Error::Conflict {
            changed_by,
            changed_at,
        }) => {
            let line =
                i18n::changed_meanwhile(ctx.lang, ctx.time_zone, changed_by.as_deref(), changed_at);
            show_page(state, ctx, id, vec![line]).await
        }
        Err(e) => Err(e.into()),
    }
}
