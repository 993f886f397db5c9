//! Accounts: list with filters, the account page with key contacts and counterparts, create,
//! edit, deactivate; key contacts: add, change, remove.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::account::{
    Account, AccountFields, AccountInput, AssignmentKind, DecisionRole, Health, KeyContactInput,
    ManagementMode, Relation, Stance, Trend,
};
use counterpart_core::ids::{
    AccountId, AssignmentId, KeyContactId, OrganizationId, PersonId, UnitId,
};
use counterpart_core::importance::{Criterion, Score, Spread, Tier};
use counterpart_core::ladder::Level;
use counterpart_core::org::{Organization, OrganizationKind, unit_tree};
use counterpart_store::{AccountFilter, AccountSummary, OrganizationFilter, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::{self, Texts};
use crate::pages::organizations::{ActiveForm, after_set_active};
use crate::render::forms::{FormPage, rejected, set_version};
use crate::render::people::level_label;
use crate::render::picker::{PickScope, Picker, current_label};
use crate::render::{Field, FormState, PageResult, page, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list).post(create))
        .route("/accounts/new", get(new_form))
        .route("/accounts/{id}", get(show))
        .route("/accounts/{id}/edit", get(edit_form).post(update))
        .route("/accounts/{id}/active", post(set_active))
        .route("/accounts/{id}/contacts", post(add_contact))
        .route("/key-contacts/{id}", post(update_contact))
        .route("/key-contacts/{id}/remove", post(remove_contact))
        .route("/accounts/{id}/importance", post(rate_importance))
}

/// The list filters as they arrive in the query string.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct FilterQuery {
    #[serde(default)]
    pub(crate) relation: String,
    #[serde(default)]
    pub(crate) side: String,
    #[serde(default)]
    pub(crate) tier: String,
    #[serde(default)]
    pub(crate) unit: String,
    /// Page of a long list, from 0.
    #[serde(default)]
    pub(crate) page: usize,
}

impl FilterQuery {
    /// The filter as a query string (without the page), to keep it in page links.
    pub(crate) fn query(&self) -> String {
        format!(
            "relation={}&side={}&tier={}&unit={}",
            self.relation, self.side, self.tier, self.unit
        )
    }

    /// The store filter; unknown values mean "all".
    pub(crate) fn filter(&self) -> AccountFilter {
        AccountFilter {
            relation: self.relation.parse().ok(),
            internal: match self.side.as_str() {
                "internal" => Some(true),
                "external" => Some(false),
                _ => None,
            },
            tier: self.tier.parse().ok(),
            responsible_unit_id: self.unit.parse().ok().map(UnitId::new),
            include_inactive: false,
        }
    }
}

/// The filter selects shown above account lists and the matrix.
pub(crate) async fn filter_fields(
    state: &AppState,
    ctx: &Ctx,
    q: &FilterQuery,
) -> Result<Vec<Field>, StoreError> {
    let t = ctx.t();
    let all = || (String::new(), t.all_option.to_owned());
    let relations = std::iter::once(all()).chain(
        [Relation::Customer, Relation::Supplier]
            .iter()
            .map(|r| (r.as_str().to_owned(), t.relation(r).to_owned())),
    );
    let sides = [
        all(),
        ("external".to_owned(), t.side_external.to_owned()),
        ("internal".to_owned(), t.side_internal.to_owned()),
    ];
    let tiers = std::iter::once(all()).chain(
        Tier::ALL
            .iter()
            .map(|x| (x.as_str().to_owned(), x.as_str().to_owned())),
    );
    let mut units = vec![all()];
    if let Some(own) = state.store().own_organization().await? {
        units.extend(
            unit_tree(&state.store().units(own.id).await?)
                .into_iter()
                .filter(|n| n.unit.active)
                .map(|n| {
                    (
                        n.unit.id.to_string(),
                        format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                    )
                }),
        );
    }
    Ok(vec![
        Field::select("relation", t.filter_relation, &q.relation, relations).autosubmit(),
        Field::select("side", t.filter_side, &q.side, sides).autosubmit(),
        Field::select("tier", t.filter_tier, &q.tier, tiers).autosubmit(),
        Field::select("unit", t.filter_our_unit, &q.unit, units).autosubmit(),
    ])
}

#[derive(Template)]
#[template(path = "accounts/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    filters: Vec<Field>,
    rows: Vec<AccountSummary>,
}

async fn list(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let rows = state.store().accounts(&q.filter()).await?;
    Ok(page(&ListPage {
        t: ctx.t(),
        filters: filter_fields(&state, &ctx, &q).await?,
        ctx: &ctx,
        rows,
    }))
}

/// A counterpart as shown on the account page.
pub(crate) struct CounterpartChip {
    pub(crate) assignment_id: i64,
    pub(crate) name: String,
    pub(crate) level: String,
    pub(crate) level_class: String,
    pub(crate) kind: AssignmentKind,
    pub(crate) rating: Option<i64>,
    pub(crate) health: Health,
    pub(crate) trend: Trend,
}

/// A key contact row on the account page.
struct ContactRow {
    id: KeyContactId,
    version: i64,
    person_id: i64,
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

#[derive(Template)]
#[template(path = "accounts/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    account: Account,
    organization: Organization,
    partner_unit: Option<String>,
    responsible_unit: Option<String>,
    manager: Option<(i64, String)>,
    contacts: Vec<ContactRow>,
    /// For editors: a search over the partner organization's people to add a key contact.
    picker: Option<Picker>,
    score: Option<Score>,
    lines: Vec<ScoreLine>,
    mirror: Option<crate::pages::mirror::MirrorSummary>,
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
        self.organization.kind == OrganizationKind::Internal
    }
}

/// Builds the counterpart chips of a partner person, with rating trends.
pub(crate) async fn chips(
    state: &AppState,
    ctx: &Ctx,
    partner: PersonId,
    levels: &[Level],
) -> Result<Vec<CounterpartChip>, StoreError> {
    Ok(chips_of_each(state, ctx, &[partner], levels)
        .await?
        .remove(&partner)
        .unwrap_or_default())
}

/// Builds the counterpart chips of several partner people in three reads, whatever their
/// number: their current counterparts, and the rating series behind the trends.
pub(crate) async fn chips_of_each(
    state: &AppState,
    ctx: &Ctx,
    partners: &[PersonId],
    levels: &[Level],
) -> Result<HashMap<PersonId, Vec<CounterpartChip>>, StoreError> {
    let views = state.store().counterparts_of_each(partners).await?;
    let ids: Vec<AssignmentId> = views.iter().map(|v| v.assignment.id).collect();
    let series = state.store().relationship_series(&ids).await?;
    let mut out: HashMap<PersonId, Vec<CounterpartChip>> = HashMap::new();
    for view in views {
        let (level, level_class) = level_label(ctx, levels, view.person.person.level_id);
        let trend = Trend::of(
            series
                .get(&view.assignment.id)
                .map_or(&[][..], Vec::as_slice),
        );
        out.entry(view.assignment.partner_id)
            .or_default()
            .push(CounterpartChip {
                assignment_id: view.assignment.id.get(),
                name: view.person.person.display_name(),
                level,
                level_class,
                kind: view.assignment.kind,
                rating: view.relationship,
                health: Health::of(view.relationship),
                trend,
            });
    }
    Ok(out)
}

async fn show_page(state: &AppState, ctx: &Ctx, id: AccountId, errors: Vec<String>) -> PageResult {
    let store = state.store();
    let account = store.account(id).await?;
    let unit_name = |id: Option<UnitId>| async move {
        match id {
            Some(id) => store.unit(id).await.map(|u| Some(u.name)),
            None => Ok(None),
        }
    };
    let manager = async {
        match account.manager_id {
            Some(m) => Ok(Some((m.get(), store.person(m).await?.display_name()))),
            None => Ok(None),
        }
    };
    // What depends only on the account is read at once, each read on its own connection.
    let (
        organization,
        levels,
        partner_unit,
        responsible_unit,
        manager,
        key_contacts,
        score,
        criteria,
        ratings,
    ) = tokio::try_join!(
        store.organization(account.organization_id),
        store.levels(),
        unit_name(account.unit_id),
        unit_name(account.responsible_unit_id),
        manager,
        store.key_contacts(id),
        store.account_score(id),
        store.criteria(),
        store.criterion_ratings(Some(id)),
    )?;
    let people: Vec<PersonId> = key_contacts.iter().map(|k| k.person_id).collect();
    let (mut persons, mut chips, mirror) = tokio::try_join!(
        async { Ok::<_, AppError>(store.persons(&people).await?) },
        async { Ok(chips_of_each(state, ctx, &people, &levels).await?) },
        crate::pages::mirror::account_summary(state, ctx, id),
    )?;
    let mut contacts = Vec::new();
    for kc in &key_contacts {
        let Some(person) = persons.remove(&kc.person_id) else {
            continue;
        };
        let (level, level_class) = level_label(ctx, &levels, person.level_id);
        contacts.push(ContactRow {
            id: kc.id,
            version: kc.version,
            person_id: person.id.get(),
            name: person.display_name(),
            job_title: person.job_title.clone().unwrap_or_default(),
            level,
            level_class,
            role: kc.role,
            stance: kc.stance,
            influence: kc.influence,
            counterparts: chips.remove(&person.id).unwrap_or_default(),
        });
    }
    // Top of the ladder first, like an org chart.
    let rank: HashMap<String, i64> = levels
        .iter()
        .map(|l| (ctx.pick(&l.name_de, &l.name_en).to_owned(), l.rank))
        .collect();
    contacts.sort_by_key(|c| {
        (
            rank.get(&c.level).copied().unwrap_or(i64::MAX),
            c.name.clone(),
        )
    });
    let picker = ctx.can_edit().then(|| {
        Picker::new(
            "person_id",
            ctx.t().field_person,
            PickScope::Organization(account.organization_id),
        )
        .required()
    });
    let me = ctx.user.as_ref().map(|u| u.id);
    let internal = organization.kind == OrganizationKind::Internal;
    let lines = criteria
        .iter()
        .filter(|c| c.scope.applies(account.relation, internal))
        .map(|c: &Criterion| {
            let values: Vec<f64> = ratings
                .iter()
                .filter(|r| r.criterion_id == c.id)
                .map(|r| r.score as f64)
                .collect();
            let spread = Spread::of(values);
            ScoreLine {
                criterion_id: c.id.get(),
                name: ctx.pick(&c.name_de, &c.name_en).to_owned(),
                description: ctx.pick(&c.description_de, &c.description_en).to_owned(),
                weight: c.weight,
                disputed: spread
                    .is_some_and(|s| s.disputed(counterpart_core::importance::RATING_DISPUTE)),
                spread,
                points: score
                    .as_ref()
                    .and_then(|s| s.parts.iter().find(|p| p.criterion_id == c.id))
                    .map(|p| p.points),
                mine: ratings
                    .iter()
                    .find(|r| r.criterion_id == c.id && Some(r.user_id) == me)
                    .map(|r| r.score),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::render::render(
        &ShowPage {
            mirror,
            ctx,
            t: ctx.t(),
            account,
            organization,
            partner_unit,
            responsible_unit,
            manager,
            contacts,
            picker,
            score,
            lines,
            saved: ctx.path.contains("saved=1"),
            errors,
        },
        status,
    ))
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
) -> PageResult {
    show_page(&state, &ctx, AccountId::new(id), Vec::new()).await
}

fn error_lines(ctx: &Ctx, errors: &counterpart_core::validate::FieldErrors) -> Vec<String> {
    let t = ctx.t();
    errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                t.field_label(e.field),
                i18n::problem(ctx.lang, &e.problem)
            )
        })
        .collect()
}

#[derive(Deserialize)]
struct ContactForm {
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

async fn add_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> PageResult {
    let id = AccountId::new(id);
    let result =
        match KeyContactInput::parse(&form.person_id, &form.role, &form.stance, &form.influence) {
            Ok(input) => {
                state
                    .store()
                    .add_key_contact(&ctx.actor(), id, &input)
                    .await
            }
            Err(errors) => Err(errors.into()),
        };
    match result {
        Ok(_) => Ok(see_other(&format!("/accounts/{id}?saved=1#contacts"))),
        Err(StoreError::Invalid(errors)) => {
            show_page(&state, &ctx, id, error_lines(&ctx, &errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<ContactForm>,
) -> PageResult {
    let id = KeyContactId::new(id);
    let contact = state.store().key_contact(id).await?;
    let result = match KeyContactInput::parse(
        &contact.person_id.to_string(),
        &form.role,
        &form.stance,
        &form.influence,
    ) {
        Ok(input) => {
            state
                .store()
                .update_key_contact(&ctx.actor(), id, form.version, &input)
                .await
        }
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/accounts/{}?saved=1#contacts",
            contact.account_id
        ))),
        Err(StoreError::Invalid(errors)) => {
            show_page(&state, &ctx, contact.account_id, error_lines(&ctx, &errors)).await
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let message = i18n::changed_meanwhile(ctx.lang, changed_by.as_deref(), changed_at);
            show_page(&state, &ctx, contact.account_id, vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RemoveForm {
    version: i64,
}

async fn remove_contact(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<RemoveForm>,
) -> PageResult {
    let id = KeyContactId::new(id);
    let contact = state.store().key_contact(id).await?;
    match state
        .store()
        .remove_key_contact(&ctx.actor(), id, form.version)
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/accounts/{}?saved=1#contacts",
            contact.account_id
        ))),
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let message = i18n::changed_meanwhile(ctx.lang, changed_by.as_deref(), changed_at);
            show_page(&state, &ctx, contact.account_id, vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The member's importance ratings: one field `c{criterion id}` per criterion, empty = none.
async fn rate_importance(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> PageResult {
    let id = AccountId::new(id);
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    // An account that does not exist is a 404, whatever the form holds.
    state.store().account(id).await?;
    let mut ratings = Vec::new();
    for criterion in state.store().criteria().await? {
        let Some(value) = form.get(&format!("c{}", criterion.id)) else {
            continue;
        };
        let score = if value.trim().is_empty() {
            None
        } else {
            match counterpart_core::account::parse_score(value) {
                Ok(score) => Some(score),
                Err(problem) => {
                    let line = format!(
                        "{}: {}",
                        ctx.pick(&criterion.name_de, &criterion.name_en),
                        i18n::problem(ctx.lang, &problem)
                    );
                    return show_page(&state, &ctx, id, vec![line]).await;
                }
            }
        };
        ratings.push((criterion.id, score));
    }
    state
        .store()
        .rate_importance(&ctx.actor(), user, id, &ratings)
        .await?;
    Ok(see_other(&format!("/accounts/{id}?saved=1#importance")))
}

/// The account form's raw values.
#[derive(Deserialize, Default)]
struct AccountForm {
    #[serde(flatten)]
    fields: AccountFields,
    /// Text: flattened form fields arrive as strings.
    #[serde(default)]
    version: String,
}

async fn account_form(
    state: &AppState,
    ctx: &Ctx,
    v: &AccountForm,
    with_version: bool,
    reload: &str,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let f = &v.fields;
    let partners = state
        .store()
        .organizations(&OrganizationFilter::default())
        .await?
        .into_iter()
        .filter(|o| o.organization.kind.is_partner());
    let mut organizations = vec![(String::new(), t.none_option.to_owned())];
    organizations.extend(partners.map(|o| (o.organization.id.to_string(), o.organization.name)));
    let mut partner_units = vec![(String::new(), t.whole_organization.to_owned())];
    if let Ok(org) = f.organization_id.parse::<i64>() {
        partner_units.extend(
            unit_tree(&state.store().units(OrganizationId::new(org)).await?)
                .into_iter()
                .map(|n| {
                    (
                        n.unit.id.to_string(),
                        format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                    )
                }),
        );
    }
    let mut own_units = vec![(String::new(), t.none_option.to_owned())];
    let mut manager = None;
    if let Some(own) = state.store().own_organization().await? {
        own_units.extend(
            unit_tree(&state.store().units(own.id).await?)
                .into_iter()
                .map(|n| {
                    (
                        n.unit.id.to_string(),
                        format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                    )
                }),
        );
        let picker = Picker::new(
            "manager_id",
            t.field_manager,
            PickScope::Organization(own.id),
        )
        .optional(t.nobody_option);
        manager = Some(
            match current_label(&state.app, &ctx.principal(), &f.manager_id).await? {
                Some(label) => picker.current(f.manager_id.clone(), label),
                None => picker,
            },
        );
    }
    let relations = Relation::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), t.relation(r).to_owned()));
    let modes = ManagementMode::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), t.mode(m).to_owned()));
    let mut organization = Field::select(
        "organization_id",
        t.field_partner_organization,
        &f.organization_id,
        organizations,
    )
    .required();
    organization.reload = Some(reload.to_owned());
    let mut fields = vec![
        organization,
        Field::select("unit_id", t.field_partner_unit, &f.unit_id, partner_units)
            .hint(t.field_partner_unit_hint),
        Field::text("name", t.field_account_name, &f.name).hint(t.field_account_name_hint),
        Field::select("relation", t.field_relation, &f.relation, relations).required(),
        Field::select("mode", t.field_mode, &f.mode, modes).required(),
        Field::select(
            "responsible_unit_id",
            t.field_responsible_unit,
            &f.responsible_unit_id,
            own_units,
        ),
    ];
    fields.extend(manager.map(Field::picker));
    fields.push(Field::input("textarea", "notes", t.field_notes, &f.notes));
    if with_version {
        fields.push(Field::hidden("version", v.version.clone()));
    }
    Ok(FormState::new(fields))
}

fn form_page<'a>(
    ctx: &'a Ctx,
    heading: String,
    action: String,
    cancel: String,
    form: FormState,
) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![(t.nav_accounts.to_owned(), "/accounts".to_owned())],
        heading,
        intro: None,
        action,
        submit: t.save,
        cancel,
        form,
    }
}

#[derive(Deserialize, Default)]
struct NewQuery {
    #[serde(flatten)]
    fields: AccountFields,
}

async fn new_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let mut values = AccountForm {
        fields: q.fields,
        version: String::new(),
    };
    if values.fields.relation.is_empty() {
        values.fields.relation = "customer".into();
        values.fields.mode = "hierarchical".into();
    }
    let form = account_form(&state, &ctx, &values, false, "/accounts/new").await?;
    Ok(page(&form_page(
        &ctx,
        ctx.t().new_account.to_owned(),
        "/accounts".into(),
        "/accounts".into(),
        form,
    )))
}

async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(values): Form<AccountForm>,
) -> PageResult {
    let result = match AccountInput::parse(&values.fields) {
        Ok(input) => state.store().create_account(&ctx.actor(), &input).await,
        Err(errors) => Err(errors.into()),
    };
    match result {
        Ok(account) => Ok(see_other(&format!("/accounts/{}?saved=1", account.id))),
        Err(StoreError::Invalid(errors)) => {
            let form = account_form(&state, &ctx, &values, false, "/accounts/new")
                .await?
                .with_errors(&ctx, &errors);
            Ok(rejected(&form_page(
                &ctx,
                ctx.t().new_account.to_owned(),
                "/accounts".into(),
                "/accounts".into(),
                form,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

fn fields_of(a: &Account) -> AccountFields {
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    AccountFields {
        name: a.name.clone(),
        organization_id: a.organization_id.to_string(),
        unit_id: id(a.unit_id.map(|u| u.get())),
        relation: a.relation.as_str().to_owned(),
        mode: a.mode.as_str().to_owned(),
        responsible_unit_id: id(a.responsible_unit_id.map(|u| u.get())),
        manager_id: id(a.manager_id.map(|p| p.get())),
        notes: a.notes.clone().unwrap_or_default(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let account = state.store().account(AccountId::new(id)).await?;
    // A reload after choosing another organization keeps what was typed.
    let fields = if q.fields.organization_id.is_empty() {
        fields_of(&account)
    } else {
        q.fields
    };
    let values = AccountForm {
        fields,
        version: account.version.to_string(),
    };
    let form = account_form(&state, &ctx, &values, true, &format!("/accounts/{id}/edit")).await?;
    Ok(page(&form_page(
        &ctx,
        account.name.clone(),
        format!("/accounts/{id}/edit"),
        format!("/accounts/{id}"),
        form,
    )))
}

async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(values): Form<AccountForm>,
) -> PageResult {
    let account = state.store().account(AccountId::new(id)).await?;
    let version = values.version.parse().unwrap_or(0);
    let result = match AccountInput::parse(&values.fields) {
        Ok(input) => {
            state
                .store()
                .update_account(&ctx.actor(), account.id, version, &input)
                .await
        }
        Err(errors) => Err(errors.into()),
    };
    let reload = format!("/accounts/{id}/edit");
    let page_of = |form| {
        form_page(
            &ctx,
            account.name.clone(),
            format!("/accounts/{id}/edit"),
            format!("/accounts/{id}"),
            form,
        )
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/accounts/{id}?saved=1"))),
        Err(StoreError::Invalid(errors)) => {
            let form = account_form(&state, &ctx, &values, true, &reload)
                .await?
                .with_errors(&ctx, &errors);
            Ok(rejected(&page_of(form)))
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let mut form = account_form(&state, &ctx, &values, true, &reload)
                .await?
                .with_conflict(i18n::changed_meanwhile(
                    ctx.lang,
                    changed_by.as_deref(),
                    changed_at,
                ));
            set_version(&mut form, account.version);
            Ok(rejected(&page_of(form)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_active(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let id = AccountId::new(id);
    let result = state
        .store()
        .set_account_active(&ctx.actor(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/accounts/{id}"))
}
