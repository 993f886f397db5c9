//! The guiding questions (Leitfragen): the questionnaire about a partner and the one about a
//! supplier, each on its account, pre-answered with its evidence; and a unit's page comparing
//! its partners over time. A refused form shows again with each problem at its question.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_app::guiding::{GuidingForm, UnitGuiding};
use counterpart_core::account::Account;
use counterpart_core::guiding::{Answer, Questionnaire};
use counterpart_core::ids::{AccountId, UnitId};
use counterpart_core::org::{Organization, Unit};
use counterpart_core::validate::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::render::charts::TimeChart;
use crate::render::forms::unit_field;
use crate::render::guiding::{
    ReverseSection, SetView, answer, evidence, path, question, question_hint, question_short, title,
};
use crate::render::{Field, PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/accounts/{id}/guiding",
            get(partner_form).post(partner_answer),
        )
        .route(
            "/accounts/{id}/supplier-rating",
            get(supplier_form).post(supplier_answer),
        )
        .route("/units/{id}/guiding", get(unit_page))
}

/// One question of the form, ready to render.
struct QuestionView {
    key: &'static str,
    comment_key: &'static str,
    text: &'static str,
    hint: Option<&'static str>,
    suggested: Option<&'static str>,
    suggested_key: &'static str,
    evidence: Vec<String>,
    /// The answer chosen: the one sent, or the suggestion on a fresh form.
    chosen: String,
    comment: String,
    error: Option<String>,
    comment_error: Option<String>,
}

#[derive(Template)]
#[template(path = "guiding/form.html")]
struct FormPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    account: Account,
    heading: &'static str,
    intro: &'static str,
    action: String,
    /// Our unit that answers.
    unit: Field,
    questions: Vec<QuestionView>,
    answers: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    saved: bool,
    reverse: Option<ReverseSection>,
    /// The trend: (date, score), oldest first.
    trend: Vec<(String, i64)>,
    /// The same as a chart.
    chart: Option<TimeChart>,
    /// The answer sets, newest first.
    history: Vec<SetView>,
    question_heads: Vec<&'static str>,
}

/// The unit asked for in the address (`?unit=`), if it is a number.
#[derive(Deserialize, Default)]
struct UnitQuery {
    #[serde(default)]
    unit: String,
}

/// Renders the questionnaire page; `sent` is a refused form with its problems (then 422).
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: AccountId,
    questionnaire: Questionnaire,
    unit: Option<UnitId>,
    sent: Option<(&HashMap<String, String>, &FieldErrors)>,
) -> PageResult {
    let who = ctx.principal();
    let page: GuidingForm = state
        .app
        .guiding_form(&who, id, questionnaire, unit)
        .await?;
    let levels = if page.reverse.is_some() {
        state.app.levels(&who).await?
    } else {
        Vec::new()
    };
    let t = ctx.t();
    let message = |field: &str| {
        sent.and_then(|(_, errors)| errors.get(field))
            .map(|p| i18n::problem(ctx.lang, p))
    };
    let value = |field: &str| sent.and_then(|(form, _)| form.get(field).cloned());
    let questions = page
        .pre
        .iter()
        .map(|pre| {
            let q = pre.question;
            QuestionView {
                key: q.as_str(),
                comment_key: q.comment_field(),
                text: question(t, q),
                hint: question_hint(t, q),
                suggested: pre.suggested.map(|a| answer(t, a)),
                suggested_key: pre.suggested.map_or("", Answer::as_str),
                evidence: pre.evidence.iter().map(|e| evidence(t, e)).collect(),
                chosen: match sent {
                    Some(_) => value(q.as_str()).unwrap_or_default(),
                    None => pre
                        .suggested
                        .map(|a| a.as_str().to_owned())
                        .unwrap_or_default(),
                },
                comment: value(q.comment_field()).unwrap_or_default(),
                error: message(q.as_str()),
                comment_error: message(q.comment_field()),
            }
        })
        .collect();
    let errors = sent
        .map(|(_, errors)| crate::render::forms::error_lines(ctx, errors))
        .unwrap_or_default();
    let unit = match sent {
        Some(_) => value("unit_id").unwrap_or_default(),
        None => page.unit.map(|u| u.to_string()).unwrap_or_default(),
    };
    let mut history: Vec<SetView> = page
        .history
        .iter()
        .map(|s| SetView::of(ctx, s, &page.unit_names))
        .collect();
    let trend = history.iter().map(|s| (s.date.clone(), s.score)).collect();
    let (days, scores): (Vec<_>, Vec<_>) = page
        .history
        .iter()
        .map(|s| (s.answered_on, s.score() as f64))
        .unzip();
    let chart = TimeChart::new(
        ctx,
        &days,
        (0.0, 100.0),
        [0, 50, 100],
        vec![("mirror", t.guiding_score, scores)],
    );
    history.reverse();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &FormPage {
            ctx,
            t,
            heading: title(t, questionnaire),
            intro: match questionnaire {
                Questionnaire::Partner => t.guiding_partner_intro,
                Questionnaire::Supplier => t.guiding_supplier_intro,
            },
            action: path(id, questionnaire),
            unit: unit_field(
                "unit_id",
                t.guiding_unit,
                &unit,
                page.units,
                Some("–"),
                |_| true,
            )
            .hint(t.guiding_unit_hint)
            .required()
            .with_error(message("unit_id")),
            questions,
            answers: Answer::ALL
                .iter()
                .map(|a| (a.as_str(), answer(t, *a)))
                .collect(),
            errors,
            saved: ctx.path.contains("saved=1"),
            reverse: page
                .reverse
                .as_ref()
                .map(|r| ReverseSection::of(ctx, r, &levels)),
            trend,
            chart,
            history,
            question_heads: questionnaire
                .questions()
                .iter()
                .map(|q| question_short(t, *q))
                .collect(),
            account: page.account,
        },
        status,
    ))
}

fn unit_of(q: &UnitQuery) -> Option<UnitId> {
    q.unit.trim().parse().ok()
}

async fn partner_form(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
    Query(q): Query<UnitQuery>,
) -> PageResult {
    form_page(&state, &ctx, id, Questionnaire::Partner, unit_of(&q), None).await
}

async fn supplier_form(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
    Query(q): Query<UnitQuery>,
) -> PageResult {
    form_page(&state, &ctx, id, Questionnaire::Supplier, unit_of(&q), None).await
}

/// Stores the answers, or shows the form again with its problems.
async fn answer_form(
    state: &AppState,
    ctx: &Ctx,
    id: AccountId,
    questionnaire: Questionnaire,
    form: HashMap<String, String>,
) -> PageResult {
    match state
        .app
        .answer_guiding(&ctx.principal(), id, questionnaire, &form)
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "{}?saved=1#history",
            path(id, questionnaire)
        ))),
        Err(Error::Invalid(errors)) => {
            form_page(state, ctx, id, questionnaire, None, Some((&form, &errors))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn partner_answer(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    answer_form(&state, &ctx, id, Questionnaire::Partner, form).await
}

async fn supplier_answer(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    answer_form(&state, &ctx, id, Questionnaire::Supplier, form).await
}

/// One partner of the unit on one questionnaire: its latest answers and its trend.
struct UnitRow {
    account_id: AccountId,
    name: String,
    subtitle: String,
    href: String,
    latest: Option<SetView>,
    /// (date, score), oldest first.
    trend: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "guiding/unit.html")]
struct UnitPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    unit: Unit,
    organization: Organization,
    /// (title, question heads, rows) per questionnaire that has rows.
    tables: Vec<(&'static str, Vec<&'static str>, Vec<UnitRow>)>,
}

async fn unit_page(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<UnitId>,
) -> PageResult {
    let UnitGuiding {
        unit,
        organization,
        partners,
    } = state.app.unit_guiding(&ctx.principal(), id).await?;
    let t = ctx.t();
    let names: HashMap<UnitId, String> = [(unit.id, unit.name.clone())].into_iter().collect();
    let mut tables = Vec::new();
    for questionnaire in Questionnaire::ALL {
        let rows: Vec<UnitRow> = partners
            .iter()
            .filter(|p| match questionnaire {
                Questionnaire::Partner => true,
                Questionnaire::Supplier => {
                    p.account.relation.is_supplier() || !p.supplier.is_empty()
                }
            })
            .map(|p| {
                let sets = match questionnaire {
                    Questionnaire::Partner => &p.partner,
                    Questionnaire::Supplier => &p.supplier,
                };
                let side = if p.internal {
                    t.side_internal
                } else {
                    t.side_external
                };
                UnitRow {
                    account_id: p.account.id,
                    name: p.account.name.clone(),
                    subtitle: format!("{} · {side}", t.relation(&p.account.relation)),
                    href: format!("{}?unit={}", path(p.account.id, *questionnaire), unit.id),
                    latest: sets.last().map(|s| SetView::of(&ctx, s, &names)),
                    trend: sets
                        .iter()
                        .map(|s| (ctx.date(&s.answered_on), s.score()))
                        .collect(),
                }
            })
            .collect();
        if !rows.is_empty() {
            tables.push((
                title(t, *questionnaire),
                questionnaire
                    .questions()
                    .iter()
                    .map(|q| question_short(t, *q))
                    .collect(),
                rows,
            ));
        }
    }
    Ok(crate::render::page(&UnitPage {
        ctx: &ctx,
        t,
        unit,
        organization,
        tables,
    }))
}
