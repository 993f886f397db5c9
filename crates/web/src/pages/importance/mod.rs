//! Importance: the team's criteria and weights, each member's proposals, tier thresholds, and
//! where the team disagrees.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_core::ids::CriterionId;
use counterpart_core::importance::{CriterionInput, Scope, Spread, Tiers, parse_weight};
use counterpart_core::validate::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/importance", get(show))
        .route("/importance/proposals", post(propose))
        .route("/importance/criteria", post(create_criterion))
        .route("/importance/criteria/{id}", post(update_criterion))
        .route("/importance/tiers", post(set_tiers))
}

struct CriterionRow {
    id: i64,
    version: i64,
    name_de: String,
    name_en: String,
    description_de: String,
    description_en: String,
    scope: Scope,
    weight: f64,
    proposals: Option<Spread>,
    names: String,
    mine: Option<f64>,
    disputed: bool,
}

struct Disagreement {
    account_id: i64,
    account: String,
    criterion: String,
    spread: Spread,
    voices: String,
}

#[derive(Template)]
#[template(path = "importance.html")]
struct ImportancePage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    criteria: Vec<CriterionRow>,
    tiers: Tiers,
    disagreements: Vec<Disagreement>,
    errors: Vec<String>,
    saved: bool,
}

impl ImportancePage<'_> {
    fn scopes(&self) -> Vec<(&'static str, &'static str)> {
        Scope::ALL
            .iter()
            .map(|s| (s.as_str(), self.t.scope(s)))
            .collect()
    }
}

async fn page(state: &AppState, ctx: &Ctx, errors: Vec<String>) -> PageResult {
    let t = ctx.t();
    let overview = state.app.importance(&ctx.principal()).await?;
    let names: HashMap<CriterionId, String> = overview
        .criteria
        .iter()
        .map(|c| {
            let c = &c.criterion;
            (c.id, ctx.pick(&c.name_de, &c.name_en).to_owned())
        })
        .collect();
    let disagreements = overview
        .disagreements
        .into_iter()
        .map(|d| Disagreement {
            account_id: d.account_id.get(),
            account: d.account,
            criterion: names.get(&d.criterion_id).cloned().unwrap_or_default(),
            voices: d
                .voices
                .iter()
                .map(|(n, s)| format!("{n} {s}"))
                .collect::<Vec<_>>()
                .join(", "),
            spread: d.spread,
        })
        .collect();
    let rows = overview
        .criteria
        .into_iter()
        .map(|view| {
            let c = view.criterion;
            CriterionRow {
                id: c.id.get(),
                version: c.version,
                name_de: c.name_de,
                name_en: c.name_en,
                description_de: c.description_de,
                description_en: c.description_en,
                scope: c.scope,
                weight: c.weight,
                disputed: view.disputed,
                proposals: view.spread,
                names: view
                    .proposals
                    .iter()
                    .map(|p| format!("{} {:.0}", p.user_name, p.weight))
                    .collect::<Vec<_>>()
                    .join(", "),
                mine: view.mine,
            }
        })
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ImportancePage {
            ctx,
            t,
            criteria: rows,
            tiers: overview.tiers,
            disagreements,
            saved: errors.is_empty() && ctx.path.contains("saved=1"),
            errors,
        },
        status,
    ))
}

fn lines(ctx: &Ctx, errors: &FieldErrors) -> Vec<String> {
    errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                ctx.t().field_label(e.field),
                i18n::problem(ctx.lang, &e.problem)
            )
        })
        .collect()
}

async fn show(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    page(&state, &ctx, Vec::new()).await
}

/// The member's weight proposals: one field `w{criterion id}` each; empty withdraws.
async fn propose(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let criteria = state.app.criteria(&ctx.principal()).await?;
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for c in &criteria {
        let Some(value) = form.get(&format!("w{}", c.id)) else {
            continue;
        };
        if value.trim().is_empty() {
            parsed.push((c.id, None));
            continue;
        }
        match parse_weight(value) {
            Ok(w) => parsed.push((c.id, Some(w))),
            Err(p) => errors.push(format!(
                "{}: {}",
                ctx.pick(&c.name_de, &c.name_en),
                i18n::problem(ctx.lang, &p)
            )),
        }
    }
    if !errors.is_empty() {
        return page(&state, &ctx, errors).await;
    }
    state.app.propose_weights(&ctx.principal(), &parsed).await?;
    Ok(see_other("/importance?saved=1"))
}

#[derive(Deserialize)]
struct CriterionForm {
    #[serde(default)]
    name_de: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    description_de: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    version: i64,
}

impl CriterionForm {
    fn parse(&self) -> Result<CriterionInput, FieldErrors> {
        CriterionInput::parse(
            &self.name_de,
            &self.name_en,
            &self.description_de,
            &self.description_en,
            &self.scope,
            &self.weight,
        )
    }
}

async fn create_criterion(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<CriterionForm>,
) -> PageResult {
    match form.parse() {
        Ok(input) => {
            state.app.create_criterion(&ctx.principal(), &input).await?;
            Ok(see_other("/importance?saved=1"))
        }
        Err(errors) => page(&state, &ctx, lines(&ctx, &errors)).await,
    }
}

async fn update_criterion(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    axum::extract::Path(id): axum::extract::Path<CriterionId>,
    Form(form): Form<CriterionForm>,
) -> PageResult {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return page(&state, &ctx, lines(&ctx, &errors)).await,
    };
    match state
        .app
        .update_criterion(&ctx.principal(), id, form.version, &input)
        .await
    {
        Ok(_) => Ok(see_other("/importance?saved=1")),
        Err(Error::Conflict {
            changed_by,
            changed_at,
        }) => {
            page(
                &state,
                &ctx,
                vec![i18n::changed_meanwhile(
                    ctx.lang,
                    ctx.time_zone,
                    changed_by.as_deref(),
                    changed_at,
                )],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct TiersForm {
    #[serde(default)]
    tier_a: String,
    #[serde(default)]
    tier_b: String,
}

async fn set_tiers(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<TiersForm>,
) -> PageResult {
    match Tiers::parse(&form.tier_a, &form.tier_b) {
        Ok(tiers) => {
            state.app.set_tiers(&ctx.principal(), tiers).await?;
            Ok(see_other("/importance?saved=1"))
        }
        Err(errors) => page(&state, &ctx, lines(&ctx, &errors)).await,
    }
}
