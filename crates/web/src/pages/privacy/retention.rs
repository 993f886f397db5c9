//! The retention review: people without any contact, change, insight or login for some years
//! (`/privacy/retention?years=3`), paged, and their erasure in bulk after a confirmation page
//! that lists them once more.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use counterpart_app::Error;
use counterpart_app::erasure::{BULK_MAX, REVIEW_PAGE, REVIEW_YEARS_DEFAULT, review_years};
use counterpart_core::ids::PersonId;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::Texts;
use crate::render::forms::error_lines;
use crate::render::{PageResult, page, render, see_other};

/// One person of the list.
struct Row {
    id: PersonId,
    name: String,
    organization: String,
    last: String,
}

#[derive(Template)]
#[template(path = "privacy/retention.html")]
struct ReviewPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    years: String,
    total: String,
    rows: Vec<Row>,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "privacy/retention_confirm.html")]
struct ConfirmPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    years: i64,
    rows: Vec<(PersonId, String)>,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct ReviewQuery {
    #[serde(default)]
    years: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    erased: Option<usize>,
    #[serde(default)]
    skipped: Option<usize>,
}

async fn review_page(
    state: &AppState,
    ctx: &Ctx,
    years_text: &str,
    page_no: i64,
    notice: Option<String>,
    mut errors: Vec<String>,
) -> PageResult {
    let t = ctx.t();
    let years = match review_years(years_text) {
        Ok(years) => years,
        Err(Error::Invalid(problems)) => {
            errors.extend(error_lines(ctx, &problems));
            REVIEW_YEARS_DEFAULT
        }
        Err(other) => return Err(other.into()),
    };
    let review = state
        .app
        .retention_review(&ctx.principal(), years, page_no)
        .await?;
    let link = |p: i64| format!("/privacy/retention?years={years}&page={p}");
    let shown = review.page * REVIEW_PAGE + review.people.len() as i64;
    let template = ReviewPage {
        ctx,
        t,
        years: if review_years(years_text).is_ok() {
            years.to_string()
        } else {
            years_text.to_owned()
        },
        total: t.people(review.total),
        rows: review
            .people
            .iter()
            .map(|d| Row {
                id: d.person,
                name: d.name.clone(),
                organization: d.organization.clone(),
                last: counterpart_store::activity_date(&d.last_activity)
                    .map(|day| ctx.date(&day))
                    .unwrap_or_default(),
            })
            .collect(),
        previous: (review.page > 0).then(|| link(review.page - 1)),
        next: (shown < review.total).then(|| link(review.page + 1)),
        notice,
        errors,
    };
    Ok(if template.errors.is_empty() {
        page(&template)
    } else {
        render(&template, StatusCode::UNPROCESSABLE_ENTITY)
    })
}

/// `GET /privacy/retention?years=3&page=0`: the review list.
pub(super) async fn review(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Query(q): Query<ReviewQuery>,
) -> PageResult {
    let t = ctx.t();
    let notice = q.erased.map(|erased| {
        format!(
            "{}: {} · {} {}",
            t.retention_done,
            t.people(erased),
            q.skipped.unwrap_or(0),
            t.retention_skipped
        )
    });
    review_page(
        &state,
        &ctx,
        &q.years,
        q.page.unwrap_or(0).max(0),
        notice,
        Vec::new(),
    )
    .await
}

/// Wrong input: the list again, naming the field (422), nothing erased.
async fn refused(state: &AppState, ctx: &Ctx, years: &str, errors: &FieldErrors) -> PageResult {
    review_page(state, ctx, years, 0, None, error_lines(ctx, errors)).await
}

/// `POST /privacy/retention/erase`: without `confirm=yes` the confirmation page listing the
/// chosen people; with it, their erasure, then back to the list with what was done.
pub(super) async fn erase(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = ctx.t();
    let years_text = pairs
        .iter()
        .find(|(k, _)| k == "years")
        .map_or("", |(_, v)| v.as_str());
    let years = match review_years(years_text) {
        Ok(years) => years,
        Err(Error::Invalid(errors)) => return refused(&state, &ctx, years_text, &errors).await,
        Err(other) => return Err(other.into()),
    };
    let mut people = Vec::new();
    for (key, value) in &pairs {
        if key == "person_id" {
            match value.trim().parse::<PersonId>() {
                Ok(id) if !people.contains(&id) => people.push(id),
                Ok(_) => {}
                Err(_) => {
                    return refused(
                        &state,
                        &ctx,
                        years_text,
                        &FieldErrors::single("person_id", Problem::NotFound),
                    )
                    .await;
                }
            }
        }
    }
    let confirmed = pairs.iter().any(|(k, v)| k == "confirm" && v == "yes");
    // A confirmation page's answer without the box ticked, rather than the list's choice.
    let answered = pairs.iter().any(|(k, _)| k == "confirm");
    match state
        .app
        .erase_dormant(
            &ctx.principal(),
            &people,
            years,
            confirmed,
            t.former_colleague,
        )
        .await
    {
        Ok(done) => Ok(see_other(&format!(
            "/privacy/retention?years={years}&erased={}&skipped={}",
            done.erased, done.skipped
        ))),
        Err(Error::Invalid(errors)) if !people.is_empty() && people.len() <= BULK_MAX => {
            // Not confirmed yet: the chosen people once more, and the box to tick.
            let labels = state.app.person_names(&ctx.principal(), &people).await?;
            let confirm = ConfirmPage {
                ctx: &ctx,
                t,
                years,
                rows: labels,
                errors: if answered {
                    error_lines(&ctx, &errors)
                } else {
                    Vec::new()
                },
            };
            Ok(if answered {
                render(&confirm, StatusCode::UNPROCESSABLE_ENTITY)
            } else {
                page(&confirm)
            })
        }
        Err(Error::Invalid(errors)) => refused(&state, &ctx, years_text, &errors).await,
        Err(other) => Err(other.into()),
    }
}
