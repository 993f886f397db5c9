//! Importance: the team's criteria and weights, each member's proposals, tier thresholds, and
//! where the team disagrees.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::ids::CriterionId;
use counterpart_core::importance::{
    CriterionInput, RATING_DISPUTE, Scope, Spread, Tiers, WEIGHT_DISPUTE, parse_weight,
};
use counterpart_core::validate::FieldErrors;
use counterpart_store::StoreError;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx, Editor, Viewer};
use crate::error::AppError;
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
    let criteria = state.store().criteria().await?;
    let proposals = state.store().weight_proposals().await?;
    let me = ctx.user.as_ref().map(|u| u.id);
    let rows = criteria
        .iter()
        .map(|c| {
            let mine: Vec<_> = proposals
                .iter()
                .filter(|p| p.criterion_id == c.id)
                .collect();
            let spread = Spread::of(mine.iter().map(|p| p.weight));
            CriterionRow {
                id: c.id.get(),
                version: c.version,
                name_de: c.name_de.clone(),
                name_en: c.name_en.clone(),
                description_de: c.description_de.clone(),
                description_en: c.description_en.clone(),
                scope: c.scope,
                weight: c.weight,
                disputed: spread.is_some_and(|s| s.disputed(WEIGHT_DISPUTE)),
                proposals: spread,
                names: mine
                    .iter()
                    .map(|p| format!("{} {:.0}", p.user_name, p.weight))
                    .collect::<Vec<_>>()
                    .join(", "),
                mine: mine
                    .iter()
                    .find(|p| Some(p.user_id) == me)
                    .map(|p| p.weight),
            }
        })
        .collect();
    let names: HashMap<CriterionId, String> = criteria
        .iter()
        .map(|c| (c.id, ctx.pick(&c.name_de, &c.name_en).to_owned()))
        .collect();
    let accounts: HashMap<_, _> = state
        .store()
        .accounts(&Default::default())
        .await?
        .into_iter()
        .map(|a| (a.account.id, a.account.name))
        .collect();
    let mut grouped: HashMap<(i64, i64), Vec<(String, i64)>> = HashMap::new();
    for r in state.store().criterion_ratings(None).await? {
        grouped
            .entry((r.account_id.get(), r.criterion_id.get()))
            .or_default()
            .push((r.user_name, r.score));
    }
    let mut disagreements: Vec<Disagreement> = grouped
        .into_iter()
        .filter_map(|((account, criterion), voices)| {
            let spread = Spread::of(voices.iter().map(|v| v.1 as f64))?;
            let name = accounts.get(&counterpart_core::ids::AccountId::new(account))?;
            spread.disputed(RATING_DISPUTE).then(|| Disagreement {
                account_id: account,
                account: name.clone(),
                criterion: names
                    .get(&CriterionId::new(criterion))
                    .cloned()
                    .unwrap_or_default(),
                voices: voices
                    .iter()
                    .map(|(n, s)| format!("{n} {s}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                spread,
            })
        })
        .collect();
    disagreements.sort_by(|a, b| {
        b.spread
            .range()
            .total_cmp(&a.spread.range())
            .then(a.account.cmp(&b.account))
    });
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
            tiers: state.store().tiers().await?,
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
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let criteria = state.store().criteria().await?;
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
    state
        .store()
        .propose_weights(&ctx.actor(), user, &parsed)
        .await?;
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
            state.store().create_criterion(&ctx.actor(), &input).await?;
            Ok(see_other("/importance?saved=1"))
        }
        Err(errors) => page(&state, &ctx, lines(&ctx, &errors)).await,
    }
}

async fn update_criterion(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<CriterionForm>,
) -> PageResult {
    let input = match form.parse() {
        Ok(input) => input,
        Err(errors) => return page(&state, &ctx, lines(&ctx, &errors)).await,
    };
    match state
        .store()
        .update_criterion(&ctx.actor(), CriterionId::new(id), form.version, &input)
        .await
    {
        Ok(_) => Ok(see_other("/importance?saved=1")),
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            page(
                &state,
                &ctx,
                vec![i18n::changed_meanwhile(
                    ctx.lang,
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
            state.store().set_tiers(&ctx.actor(), tiers).await?;
            Ok(see_other("/importance?saved=1"))
        }
        Err(errors) => page(&state, &ctx, lines(&ctx, &errors)).await,
    }
}
