//! The account page: key contacts with their counterparts, the importance breakdown and the
//! mirror in brief; key contacts added, changed and removed, a member's importance ratings.
//! A rejected change shows the page again with its problems on top.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use counterpart_app::Error;
use counterpart_app::accounts::{AccountPage, ImportanceRated, KeyContactFields};
use counterpart_app::guiding::AccountGuiding;
use counterpart_app::mirror::MirrorSummary as Summary;
use counterpart_core::account::{Account, AssignmentKind, DecisionRole, Stance};
use counterpart_core::ids::{AccountId, CriterionId, KeyContactId, PersonId};
use counterpart_core::importance::{Score, Spread};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::Band;
use counterpart_core::org::Organization;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::render::contacts::{ContactForm as LoggedContactForm, ContactSection};
use crate::render::counterparts::{CounterpartChip, chips};
use crate::render::findings::finding_rows;
use crate::render::forms::error_lines;
use crate::render::guiding::GuidingSection;
use crate::render::insights::InsightSection;
use crate::render::people::level_name;
use crate::render::picker::{PickScope, Picker};
use crate::render::{PageResult, render, see_other};
use crate::wording;

/// A key contact row on the account page.
struct ContactRow {
    id: KeyContactId,
    version: i64,
    person_id: PersonId,
    name: String,
    job_title: String,
    level: String,
    level_class: String,
    role: DecisionRole,
    stance: Stance,
    influence: i64,
    counterparts: Vec<CounterpartChip>,
}

/// One criterion's line in the score breakdown.
struct ScoreLine {
    criterion_id: i64,
    name: String,
    description: String,
    weight: f64,
    spread: Option<Spread>,
    points: Option<f64>,
    mine: Option<i64>,
    disputed: bool,
}

/// The mirror in brief.
struct MirrorSummary {
    score: f64,
    coverage: f64,
    level_match: f64,
    spread: f64,
    shape: &'static str,
    /// The most severe findings: (band key, band name, sentence).
    top: Vec<(Band, &'static str, String)>,
    /// Findings not listed.
    more: usize,
}

impl MirrorSummary {
    fn of(ctx: &Ctx, summary: Summary, levels: &[Level]) -> Self {
        let top = finding_rows(ctx, &summary.top, &summary.labels, levels)
            .into_iter()
            .map(|r| (r.band, r.band_name, r.text))
            .collect();
        Self {
            score: summary.score.value,
            coverage: summary.score.parts.coverage,
            level_match: summary.score.parts.level_match,
            spread: summary.score.parts.spread,
            shape: wording::shape(ctx.lang, summary.shape),
            top,
            more: summary.more,
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    account: Account,
    organization: Organization,
    partner_unit: Option<String>,
    responsible_unit: Option<String>,
    manager: Option<(PersonId, String)>,
    contacts: Vec<ContactRow>,
    /// For editors: a search over the partner organization's people to add a key contact.
    picker: Option<Picker>,
    score: Option<Score>,
    lines: Vec<ScoreLine>,
    mirror: Option<MirrorSummary>,
    /// What we know about the account and its key people.
    insights: InsightSection,
    /// The latest contacts with its key people.
    contact_log: ContactSection,
    /// The jour fixe: series covering it, meetings it was discussed in, open actions.
    jour_fixe: JourFixeSection,
    /// The latest answers to the guiding questions; for a supplier, its mirror of us.
    guiding: GuidingSection,
    saved: bool,
    errors: Vec<String>,
}

impl ShowPage<'_> {
    fn roles(&self) -> Vec<(&'static str, &'static str)> {
        DecisionRole::ALL
            .iter()
            .map(|r| (r.as_str(), self.t.decision_role(r)))
            .collect()
    }

    fn stances(&self) -> Vec<(&'static str, &'static str)> {
        Stance::ALL
            .iter()
            .map(|s| (s.as_str(), self.t.stance(s)))
            .collect()
    }

    fn is_internal(&self) -> bool {
        self.organization.kind.is_in_house()
    }
}

/// Renders the account page, with the problems of a rejected change on top (then 422).
/// The account's jour fixe as its page shows it.
struct JourFixeSection {
    /// Running series covering it: (id, name).
    series: Vec<(i64, String)>,
    /// Running series it could be added to: (id, name).
    others: Vec<(i64, String)>,
    /// Meetings it was discussed in: (meeting id, series name, when).
    meetings: Vec<(i64, String, String)>,
    /// Open actions: (title, owner, due, overdue).
    actions: Vec<(String, String, String, bool)>,
}

async fn jour_fixe_section(
    state: &AppState,
    ctx: &Ctx,
    id: AccountId,
) -> Result<JourFixeSection, counterpart_app::Error> {
    let who = ctx.principal();
    let (of_account, mine) = tokio::try_join!(
        state.app.jour_fixe_of_account(&who, id),
        state.app.series_i_may_change(&who),
    )?;
    let today = ctx.today();
    let others = mine
        .into_iter()
        .filter(|(series, _)| !of_account.series.iter().any(|(id, _)| id == series))
        .map(|(series, name)| (series.get(), name))
        .collect();
    Ok(JourFixeSection {
        series: of_account
            .series
            .into_iter()
            .map(|(id, name)| (id.get(), name))
            .collect(),
        others,
        meetings: of_account
            .meetings
            .into_iter()
            .map(|(id, name, at)| (id.get(), name, ctx.datetime(&at)))
            .collect(),
        actions: of_account
            .actions
            .into_iter()
            .map(|a| {
                (
                    a.action.title.clone(),
                    a.owner_name,
                    ctx.date(&a.action.due_on),
                    a.action.overdue(today),
                )
            })
            .collect(),
    })
}

fn render_page(
    ctx: &Ctx,
    page: AccountPage,
    (insights, contact_log, jour_fixe, guiding): (
        InsightSection,
        ContactSection,
        JourFixeSection,
        AccountGuiding,
    ),
    errors: Vec<String>,
) -> Response {
    let levels = page.levels;
    let guiding = GuidingSection::of(
        ctx,
        page.account.id,
        page.account.relation.is_supplier(),
        guiding,
        &levels,
    );
    let contacts = page
        .contacts
        .into_iter()
        .map(|c| {
            let (level, level_class) = level_name(ctx, c.level.as_ref());
            ContactRow {
                id: c.contact.id,
                version: c.contact.version,
                person_id: c.person.id,
                name: c.person.display_name(),
                job_title: c.person.job_title.clone().unwrap_or_default(),
                level,
                level_class,
                role: c.contact.role,
                stance: c.contact.stance,
                influence: c.contact.influence,
                counterparts: chips(ctx, c.counterparts),
            }
        })
        .collect();
    let lines = page
        .criteria
        .into_iter()
        .map(|line| ScoreLine {
            criterion_id: line.criterion.id.get(),
            name: ctx
                .pick(&line.criterion.name_de, &line.criterion.name_en)
                .to_owned(),
            description: ctx
                .pick(
                    &line.criterion.description_de,
                    &line.criterion.description_en,
                )
                .to_owned(),
            weight: line.criterion.weight,
            spread: line.spread,
            points: line.points,
            mine: line.mine,
            disputed: line.disputed,
        })
        .collect();
    let picker = ctx.can_edit().then(|| {
        Picker::new(
            "person_id",
            ctx.t().field_person,
            PickScope::Organization(page.account.organization_id),
        )
        .required()
    });
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        &ShowPage {
            mirror: page.mirror.map(|m| MirrorSummary::of(ctx, m, &levels)),
            ctx,
            t: ctx.t(),
            account: page.account,
            organization: page.organization,
            partner_unit: page.partner_unit,
            responsible_unit: page.responsible_unit,
            manager: page.manager,
            contacts,
            picker,
            score: page.score,
            lines,
            insights,
            contact_log,
            jour_fixe,
            guiding,
            saved: ctx.path.contains("saved=1"),
            errors,
        },
        status,
    )
}

/// The account page, with the problems of a rejected change on top.
async fn show_page(state: &AppState, ctx: &Ctx, id: AccountId, errors: Vec<String>) -> PageResult {
    let who = ctx.principal();
    let (page, insights, logged, jour_fixe, guiding) = tokio::try_join!(
        state.app.account_page(&who, id),
        state.app.insights_about_account(&who, id),
        state.app.contacts_on_account(&who, id),
        jour_fixe_section(state, ctx, id),
        state.app.account_guiding(&who, id),
    )?;
    let insights = InsightSection::of(ctx, insights, format!("/accounts/{id}/insights"), true);
    let partners: Vec<(PersonId, String)> = page
        .contacts
        .iter()
        .map(|c| (c.person.id, c.person.display_name()))
        .collect();
    let ours: Vec<(PersonId, String)> = page
        .contacts
        .iter()
        .flat_map(|c| c.counterparts.iter().map(|o| (o.person_id, o.name.clone())))
        .collect();
    let theirs = partners.clone();
    let contact_log =
        ContactSection::of(ctx, logged, format!("/accounts/{id}/contact-log"), partners)
            .offering(ctx, theirs, ours);
    Ok(render_page(
        ctx,
        page,
        (insights, contact_log, jour_fixe, guiding),
        errors,
    ))
}

/// Logs a contact with one of the account's key people (the form's `partner_id`), with who
/// else was there.
pub(super) async fn log_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (form, also) = match LoggedContactForm::read(pairs) {
        Ok(read) => read,
        Err(errors) => return show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await,
    };
    let Ok(partner) = form.partner_id.trim().parse::<PersonId>() else {
        let line = format!(
            "{}: {}",
            ctx.t().contact_with,
            i18n::problem(ctx.lang, &counterpart_core::validate::Problem::Required)
        );
        return show_page(&state, &ctx, id, vec![line]).await;
    };
    match state
        .app
        .log_contact(
            &ctx.principal(),
            partner,
            Some(id),
            (&form.contact, &also),
            &form.learned,
        )
        .await
    {
        Ok(_) => Ok(see_other(&format!("/accounts/{id}?saved=1#contact-log"))),
        Err(counterpart_app::Error::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Records what we learned about the account, from the quick form on its page.
pub(super) async fn record_insight(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(fields): Form<counterpart_core::insight::InsightFields>,
) -> PageResult {
    match state
        .app
        .record_insight(&ctx.principal(), None, Some(id), &fields)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/accounts/{id}?saved=1#insights"))),
        Err(counterpart_app::Error::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
) -> PageResult {
    show_page(&state, &ctx, id, Vec::new()).await
}

/// The key contact forms: add (with the person) and change.
#[derive(Deserialize)]
pub(super) struct ContactForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    stance: String,
    #[serde(default)]
    influence: String,
    #[serde(default)]
    version: i64,
}

impl ContactForm {
    /// The fields for the use case.
    fn fields(&self) -> KeyContactFields {
        KeyContactFields {
            person_id: self.person_id.clone(),
            role: self.role.clone(),
            stance: self.stance.clone(),
            influence: self.influence.clone(),
        }
    }
}

pub(super) async fn add_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(form): Form<ContactForm>,
) -> PageResult {
    let result = state
        .app
        .add_key_contact(&ctx.principal(), id, &form.fields())
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/accounts/{id}?saved=1#contacts"))),
        Err(Error::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// After a change to a key contact: their account's page, or that page again with the
/// change's problems.
async fn after_contact_change<T>(
    state: &AppState,
    ctx: &Ctx,
    account: AccountId,
    result: Result<T, Error>,
) -> PageResult {
    match result {
        Ok(_) => Ok(see_other(&format!("/accounts/{account}?saved=1#contacts"))),
        Err(Error::Invalid(errors)) => {
            show_page(state, ctx, account, error_lines(ctx, &errors)).await
        }
        Err(Error::Conflict {
            changed_by,
            changed_at,
        }) => {
            let message =
                i18n::changed_meanwhile(ctx.lang, ctx.time_zone, changed_by.as_deref(), changed_at);
            show_page(state, ctx, account, vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn update_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<KeyContactId>,
    Form(form): Form<ContactForm>,
) -> PageResult {
    let who = ctx.principal();
    let contact = state.app.key_contact(&who, id).await?;
    let result = state
        .app
        .update_key_contact(&who, id, form.version, &form.fields())
        .await;
    after_contact_change(&state, &ctx, contact.account_id, result).await
}

/// The remove button of a key contact, with the version seen.
#[derive(Deserialize)]
pub(super) struct RemoveForm {
    version: i64,
}

pub(super) async fn remove_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<KeyContactId>,
    Form(form): Form<RemoveForm>,
) -> PageResult {
    let who = ctx.principal();
    let contact = state.app.key_contact(&who, id).await?;
    let result = state.app.remove_key_contact(&who, id, form.version).await;
    after_contact_change(&state, &ctx, contact.account_id, result).await
}

/// The values of the importance form: one field `c{criterion id}` per criterion, spelt
/// exactly so ("c7", not "c07").
fn criterion_values(form: &HashMap<String, String>) -> HashMap<CriterionId, String> {
    form.iter()
        .filter_map(|(key, value)| {
            let id: CriterionId = key.strip_prefix('c')?.parse().ok()?;
            (format!("c{id}") == *key).then(|| (id, value.clone()))
        })
        .collect()
}

/// The member's importance ratings: one field per criterion, empty = none.
pub(super) async fn rate_importance(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let values = criterion_values(&form);
    match state
        .app
        .rate_importance(&ctx.principal(), id, &values)
        .await?
    {
        ImportanceRated::Saved => Ok(see_other(&format!("/accounts/{id}?saved=1#importance"))),
        ImportanceRated::NoScore { criterion, problem } => {
            let line = format!(
                "{}: {}",
                ctx.pick(&criterion.name_de, &criterion.name_en),
                i18n::problem(ctx.lang, &problem)
            );
            show_page(&state, &ctx, id, vec![line]).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_criterion_fields_spelt_exactly_count() {
        let form: HashMap<String, String> = [
            ("c7", "4"),
            ("c07", "1"),
            ("_csrf", "x"),
            ("cx", "2"),
            ("c8", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let values = criterion_values(&form);
        assert_eq!(values.len(), 2);
        assert_eq!(values[&CriterionId::new(7)], "4");
        assert_eq!(values[&CriterionId::new(8)], "");
    }
}
