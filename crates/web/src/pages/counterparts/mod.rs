//! Counterparts: assigning one of ours to a partner person (from either side), the
//! relationship page with its ratings over time, rating, and ending an assignment.

use askama::Template;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use counterpart_core::account::{
    AssignmentInput, AssignmentKind, Health, Rating, RatingInput, Trend,
};
use counterpart_core::ids::{AssignmentId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::{Person, parse_date};
use counterpart_core::validate::FieldErrors;
use counterpart_store::{Actor, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::pages::accounts::{CounterpartChip, chips};
use crate::render::charts::TimeChart;
use crate::render::people::level_label;
use crate::render::picker::{PickScope, Picker};
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/assignments/{id}", get(show))
        .route("/assignments/{id}/ratings", post(rate))
        .route("/assignments/{id}/end", post(end))
        .route("/people/{id}/counterparts", post(assign))
}

/// The counterpart section of a person page.
pub(crate) struct Relations {
    /// True for people of our own house.
    pub(crate) is_own: bool,
    /// For a partner person: our counterparts. For one of ours: the partner people they hold.
    pub(crate) chips: Vec<CounterpartChip>,
    /// For one of ours: (partner person, account) pairs they hold, with the partner's level.
    pub(crate) held: Vec<HeldRow>,
    /// Accounts in which a partner person is a key contact: (account id, name, role).
    pub(crate) key_contact_in: Vec<(i64, String, String)>,
    /// Whom to assign, for editors: our people for a partner person, the key contacts of
    /// every account for one of ours; a search, never a list of everyone.
    pub(crate) picker: Option<Picker>,
    /// Today, as the default start date.
    pub(crate) today: String,
}

/// A partner person one of ours holds.
pub(crate) struct HeldRow {
    pub(crate) assignment_id: i64,
    pub(crate) person_id: i64,
    pub(crate) name: String,
    pub(crate) organization: String,
    pub(crate) level: String,
    pub(crate) level_class: String,
    pub(crate) kind: AssignmentKind,
    pub(crate) rating: Option<i64>,
    pub(crate) health: Health,
}

/// Builds the counterpart section for a person page.
pub(crate) async fn relations(
    state: &AppState,
    ctx: &Ctx,
    person: &Person,
    kind: OrganizationKind,
    levels: &[Level],
) -> Result<Relations, StoreError> {
    let is_own = kind == OrganizationKind::Own;
    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    if is_own {
        let held = state
            .store()
            .counterparts_held_by(person.id, false)
            .await?
            .into_iter()
            .map(|v| {
                let (level, level_class) = level_label(ctx, levels, v.person.person.level_id);
                HeldRow {
                    assignment_id: v.assignment.id.get(),
                    person_id: v.person.person.id.get(),
                    name: v.person.person.display_name(),
                    organization: v.person.organization_name.clone(),
                    level,
                    level_class,
                    kind: v.assignment.kind,
                    rating: v.relationship,
                    health: Health::of(v.relationship),
                }
            })
            .collect();
        // The key contacts of every account are the people who matter; found by a search.
        let picker = ctx.can_edit().then(|| {
            Picker::new("other_id", ctx.t().field_person, PickScope::KeyContacts).required()
        });
        return Ok(Relations {
            is_own,
            chips: Vec::new(),
            held,
            key_contact_in: Vec::new(),
            picker,
            today,
        });
    }
    let key_contact_in = state
        .store()
        .key_contact_roles(person.id)
        .await?
        .into_iter()
        .map(|(kc, account)| {
            (
                account.id.get(),
                account.name,
                ctx.t().decision_role(&kc.role).to_owned(),
            )
        })
        .collect();
    let picker = match state.store().own_organization().await? {
        Some(own) if ctx.can_edit() => Some(
            Picker::new(
                "other_id",
                ctx.t().field_our_person,
                PickScope::Organization(own.id),
            )
            .required(),
        ),
        _ => None,
    };
    Ok(Relations {
        is_own,
        chips: chips(state, ctx, person.id, levels).await?,
        held: Vec::new(),
        key_contact_in,
        picker,
        today,
    })
}

#[derive(Deserialize)]
struct AssignForm {
    /// The other side: one of ours for a partner person, a partner for one of ours.
    #[serde(default)]
    other_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    valid_from: String,
}

/// Assigns from either side; the person in the path decides which side the other is on.
async fn assign(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<AssignForm>,
) -> PageResult {
    let person = state.store().person(PersonId::new(id)).await?;
    let org = state.store().organization(person.organization_id).await?;
    let (partner, ours) = if org.kind == OrganizationKind::Own {
        (form.other_id.clone(), id.to_string())
    } else {
        (id.to_string(), form.other_id.clone())
    };
    let result = match AssignmentInput::parse(&partner, &ours, &form.kind, &form.valid_from) {
        Ok(input) => state.store().assign(&ctx.actor(), &input).await,
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/people/{id}?saved=1#counterparts"))),
        Err(StoreError::Invalid(errors)) => {
            let lines = error_lines(&ctx, &errors);
            crate::pages::people::show_with_errors(&state, &ctx, person.id, lines).await
        }
        Err(e) => Err(e.into()),
    }
}

fn error_lines(ctx: &Ctx, errors: &FieldErrors) -> Vec<String> {
    let t = ctx.t();
    errors
        .0
        .iter()
        .map(|e| {
            // The other side's field is shown as "other_id" in the form.
            let label = match e.field {
                "partner_id" | "our_id" => t.field_person,
                other => t.field_label(other),
            };
            format!("{label}: {}", i18n::problem(ctx.lang, &e.problem))
        })
        .collect()
}

#[derive(Template)]
#[template(path = "counterparts/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: i64,
    version: i64,
    kind: AssignmentKind,
    partner: (i64, String, String, String),
    ours: (i64, String, String, String),
    from: String,
    until: Option<String>,
    ratings: Vec<(String, Rating)>,
    health: Health,
    trend: Trend,
    chart: Option<TimeChart>,
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

fn person_line(
    ctx: &Ctx,
    levels: &[Level],
    p: &Person,
    org: String,
) -> (i64, String, String, String) {
    let (level, _) = level_label(ctx, levels, p.level_id);
    (p.id.get(), p.display_name(), org, level)
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: AssignmentId,
    errors: Vec<String>,
) -> PageResult {
    let a = state.store().assignment(id).await?;
    let levels = state.store().levels().await?;
    let partner = state.store().person(a.partner_id).await?;
    let ours = state.store().person(a.our_id).await?;
    let partner_org = state
        .store()
        .organization(partner.organization_id)
        .await?
        .name;
    let our_org = state.store().organization(ours.organization_id).await?.name;
    let ratings = state.store().ratings(id).await?;
    let series: Vec<i64> = ratings.iter().map(|r| r.relationship).collect();
    let t = ctx.t();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ShowPage {
            ctx,
            t,
            id: id.get(),
            version: a.version,
            kind: a.kind,
            partner: person_line(ctx, &levels, &partner, partner_org),
            ours: person_line(ctx, &levels, &ours, our_org),
            from: ctx.date(&a.valid_from),
            until: a.valid_to.map(|d| ctx.date(&d)),
            health: Health::of(series.last().copied()),
            trend: Trend::of(&series),
            chart: chart(t, ctx, &ratings),
            ratings: ratings
                .into_iter()
                .rev()
                .map(|r| (ctx.date(&r.rated_on), r))
                .collect(),
            today: Utc::now().date_naive().format("%Y-%m-%d").to_string(),
            errors,
            saved: ctx.path.contains("saved=1"),
        },
        status,
    ))
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
) -> PageResult {
    show_page(&state, &ctx, AssignmentId::new(id), Vec::new()).await
}

#[derive(Deserialize)]
struct RatingForm {
    #[serde(default)]
    rated_on: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    partnership: String,
    #[serde(default)]
    satisfaction: String,
    #[serde(default)]
    comment: String,
}

async fn rate(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<RatingForm>,
) -> PageResult {
    let id = AssignmentId::new(id);
    let input = RatingInput::parse(
        &form.rated_on,
        &form.relationship,
        &form.partnership,
        &form.satisfaction,
        &form.comment,
    );
    let actor: Actor = ctx.actor();
    match input {
        Ok(input) => {
            state.store().rate(&actor, id, &input).await?;
            Ok(see_other(&format!("/assignments/{id}?saved=1")))
        }
        Err(errors) => show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await,
    }
}

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
    Path(id): Path<i64>,
    Form(form): Form<EndForm>,
) -> PageResult {
    let id = AssignmentId::new(id);
    let day = match parse_date(&form.valid_to) {
        Ok(day) => day,
        Err(problem) => {
            let errors = FieldErrors::single("valid_to", problem);
            return show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await;
        }
    };
    match state
        .store()
        .end_assignment(&ctx.actor(), id, form.version, day)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/assignments/{id}?saved=1"))),
        Err(StoreError::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let line = i18n::changed_meanwhile(ctx.lang, changed_by.as_deref(), changed_at);
            show_page(&state, &ctx, id, vec![line]).await
        }
        Err(e) => Err(e.into()),
    }
}
