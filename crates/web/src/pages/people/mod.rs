//! People: search, person page, create, edit, deactivate, and new positions (promotion, move,
//! change of employer).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Utc;
use counterpart_core::account::AssignmentKind;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_core::org::{OrganizationKind, unit_tree};
use counterpart_core::person::{PersonFields, PersonInput, PositionChange};
use counterpart_store::{AuditFilter, OrganizationFilter, PersonDetail, PersonSummary, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::{self, Texts};
use crate::pages::counterparts::{Relations, relations};
use crate::pages::organizations::{ActiveForm, after_set_active};
use crate::render::forms::{FormPage, rejected, set_version};
use crate::render::people::{PersonRow, level_label, person_rows};
use crate::render::picker::{PickScope, Picker, current_label};
use crate::render::{Field, FormState, PageResult, page, see_other};

/// Most search results shown.
const SEARCH_LIMIT: i64 = 100;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(search))
        .route("/people/{id}", get(show))
        .route("/people/{id}/edit", get(edit_form).post(update))
        .route("/people/{id}/active", post(set_active))
        .route(
            "/people/{id}/position",
            get(position_form).post(change_position),
        )
        .route("/organizations/{id}/people/new", get(new_form))
        .route("/organizations/{id}/people", post(create))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "people/search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    q: String,
    people: Vec<PersonRow>,
}

async fn search(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let found = state
        .store()
        .search_people(&query.q, None, SEARCH_LIMIT)
        .await?;
    let levels = state.store().levels().await?;
    Ok(page(&SearchPage {
        t: ctx.t(),
        people: person_rows(&ctx, &found, &levels),
        ctx: &ctx,
        q: query.q.trim().to_owned(),
    }))
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    d: PersonDetail,
    level: String,
    level_class: String,
    function: String,
    manager: Vec<PersonRow>,
    assists: Vec<PersonRow>,
    reports: Vec<PersonRow>,
    assistants: Vec<PersonRow>,
    /// (organization, unit, title, level, from, until)
    positions: Vec<(String, String, String, String, String, String)>,
    last_change: Option<(String, String)>,
    saved: bool,
    relations: Relations,
    /// For our own people: (capacity set, default of their level, primaries held).
    capacity: Option<(Option<i64>, i64, usize)>,
    errors: Vec<String>,
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<i64>,
) -> PageResult {
    show_with_errors(&state, &ctx, PersonId::new(id), Vec::new()).await
}

/// The person page, with the problems of a form on it (e.g. assigning a counterpart) on top.
pub(crate) async fn show_with_errors(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    errors: Vec<String>,
) -> PageResult {
    let d = state.store().person_detail(id).await?;
    let levels = state.store().levels().await?;
    let functions = state.store().functions().await?;
    let (level, level_class) = level_label(ctx, &levels, d.person.level_id);
    let function = functions
        .iter()
        .find(|f| Some(f.id) == d.person.function_id)
        .map(|f| ctx.pick(&f.name_de, &f.name_en).to_owned())
        .unwrap_or_default();
    let rows = |list: &[PersonSummary]| person_rows(ctx, list, &levels);
    let positions = d
        .positions
        .iter()
        .map(|p| {
            (
                p.organization_name.clone(),
                p.unit_name.clone().unwrap_or_default(),
                p.position.job_title.clone().unwrap_or_default(),
                level_label(ctx, &levels, p.position.level_id).0,
                ctx.date(&p.position.valid_from),
                p.position
                    .valid_to
                    .map(|d| ctx.date(&d))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let last_change = state
        .store()
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Person),
            entity_id: Some(id.get()),
            limit: 1,
            ..Default::default()
        })
        .await?
        .into_iter()
        .next()
        .map(|e| (e.actor_name, ctx.datetime(&e.at)));
    let relations = relations(state, ctx, &d.person, d.organization.kind, &levels).await?;
    let capacity = if d.organization.kind == OrganizationKind::Own {
        Some(crate::pages::mirror::capacity_facts(state, &d.person, &levels).await?)
    } else {
        None
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(crate::render::render(
        &ShowPage {
            t: ctx.t(),
            manager: rows(d.manager.as_slice()),
            assists: rows(d.assists.as_slice()),
            reports: rows(&d.reports),
            assistants: rows(&d.assistants),
            saved: ctx.path.contains("saved=1"),
            ctx,
            level,
            level_class,
            function,
            positions,
            last_change,
            d,
            relations,
            capacity,
            errors,
        },
        status,
    ))
}

/// Everything a person form offers to choose from, for one organization.
struct Choices {
    levels: Vec<(String, String)>,
    functions: Vec<(String, String)>,
    units: Vec<(String, String)>,
    /// The manager and the boss assisted, found by a search over the whole organization.
    pickers: Option<(Picker, Picker)>,
}

async fn choices(
    state: &AppState,
    ctx: &Ctx,
    org: OrganizationId,
    current: &PersonFields,
) -> Result<Choices, AppError> {
    let t = ctx.t();
    let none = || (String::new(), t.none_option.to_owned());
    let mut levels = vec![none()];
    levels.extend(state.store().levels().await?.into_iter().map(|l| {
        (
            l.id.to_string(),
            format!("{} – {}", l.rank, ctx.pick(&l.name_de, &l.name_en)),
        )
    }));
    let mut functions = vec![none()];
    functions.extend(state.store().functions().await?.into_iter().map(|f| {
        (
            f.id.to_string(),
            ctx.pick(&f.name_de, &f.name_en).to_owned(),
        )
    }));
    let mut units = vec![none()];
    units.extend(
        unit_tree(&state.store().units(org).await?)
            .into_iter()
            .filter(|n| n.unit.active || n.unit.id.to_string() == current.unit_id)
            .map(|n| {
                (
                    n.unit.id.to_string(),
                    format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                )
            }),
    );
    // Managers and bosses are found by a search over the whole organization; the current
    // ones are offered checked.
    let mut pickers = Vec::new();
    for (name, label, linked) in [
        ("reports_to_id", t.field_reports_to, &current.reports_to_id),
        (
            "assistant_of_id",
            t.field_assistant_of,
            &current.assistant_of_id,
        ),
    ] {
        let picker =
            Picker::new(name, label, PickScope::Organization(org)).optional(t.nobody_option);
        pickers.push(
            match current_label(&state.app, &ctx.principal(), linked).await? {
                Some(person) => picker.current(linked.clone(), person),
                None => picker,
            },
        );
    }
    let assistant_of = pickers.pop();
    let manager = pickers.pop();
    Ok(Choices {
        levels,
        functions,
        units,
        pickers: manager.zip(assistant_of),
    })
}

/// The raw values of the person form.
#[derive(Deserialize, Default)]
struct PersonForm {
    #[serde(flatten)]
    fields: PersonFields,
    /// A string: flattened form fields arrive as text, which serde cannot turn into numbers.
    #[serde(default)]
    version: String,
}

impl PersonForm {
    fn version(&self) -> i64 {
        self.version.parse().unwrap_or(0)
    }
}

fn person_form(t: &Texts, v: &PersonForm, c: Choices, with_version: bool) -> FormState {
    let f = &v.fields;
    let mut fields = vec![
        Field::text("academic_title", t.field_academic_title, &f.academic_title)
            .hint(t.field_academic_title_hint),
        Field::text("given_name", t.field_given_name, &f.given_name).autocomplete("off"),
        Field::text("family_name", t.field_family_name, &f.family_name).required(),
        Field::text("job_title", t.field_job_title, &f.job_title),
        Field::select("level_id", t.field_level, &f.level_id, c.levels),
        Field::select("function_id", t.field_function, &f.function_id, c.functions),
        Field::select("unit_id", t.field_unit, &f.unit_id, c.units),
    ];
    if let Some((manager, assistant_of)) = c.pickers {
        fields.extend([Field::picker(manager), Field::picker(assistant_of)]);
    }
    fields.extend([
        Field::input("email", "email", t.field_email, &f.email),
        Field::input("tel", "phone", t.field_phone, &f.phone),
        Field::input("tel", "mobile", t.field_mobile, &f.mobile),
        Field::input("textarea", "notes", t.field_notes, &f.notes),
    ]);
    if with_version {
        fields.push(Field::hidden("version", v.version.clone()));
    }
    FormState::new(fields)
}

fn fields_of(p: &counterpart_core::person::Person) -> PersonFields {
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    PersonFields {
        given_name: p.given_name.clone().unwrap_or_default(),
        family_name: p.family_name.clone(),
        academic_title: p.academic_title.clone().unwrap_or_default(),
        job_title: p.job_title.clone().unwrap_or_default(),
        level_id: id(p.level_id.map(|x| x.get())),
        function_id: id(p.function_id.map(|x| x.get())),
        unit_id: id(p.unit_id.map(|x| x.get())),
        reports_to_id: id(p.reports_to_id.map(|x| x.get())),
        assistant_of_id: id(p.assistant_of_id.map(|x| x.get())),
        email: p.email.clone().unwrap_or_default(),
        phone: p.phone.clone().unwrap_or_default(),
        mobile: p.mobile.clone().unwrap_or_default(),
        notes: p.notes.clone().unwrap_or_default(),
    }
}

#[derive(Deserialize)]
struct NewQuery {
    #[serde(default)]
    unit: String,
}

fn create_page<'a>(
    ctx: &'a Ctx,
    org: &counterpart_core::org::Organization,
    form: FormState,
) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![
            (t.nav_organizations.to_owned(), "/organizations".to_owned()),
            (org.name.clone(), format!("/organizations/{}", org.id)),
        ],
        heading: t.new_person.to_owned(),
        intro: None,
        action: format!("/organizations/{}/people", org.id),
        submit: t.create,
        cancel: format!("/organizations/{}", org.id),
        form,
    }
}

async fn new_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let org = state
        .store()
        .organization(OrganizationId::new(org_id))
        .await?;
    let values = PersonForm {
        fields: PersonFields {
            unit_id: q.unit,
            ..Default::default()
        },
        version: String::new(),
    };
    let c = choices(&state, &ctx, org.id, &values.fields).await?;
    let form = person_form(ctx.t(), &values, c, false);
    Ok(page(&create_page(&ctx, &org, form)))
}

async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<i64>,
    Form(values): Form<PersonForm>,
) -> PageResult {
    let org = state
        .store()
        .organization(OrganizationId::new(org_id))
        .await?;
    let result = match PersonInput::parse(&values.fields) {
        Ok(input) => {
            state
                .store()
                .create_person(&ctx.actor(), org.id, &input, Utc::now().date_naive())
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(person) => Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(StoreError::Invalid(errors)) => {
            let c = choices(&state, &ctx, org.id, &values.fields).await?;
            let form = person_form(ctx.t(), &values, c, false).with_errors(&ctx, &errors);
            Ok(rejected(&create_page(&ctx, &org, form)))
        }
        Err(e) => Err(e.into()),
    }
}

fn edit_page<'a>(ctx: &'a Ctx, name: String, id: PersonId, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![
            (t.nav_people.to_owned(), "/people".to_owned()),
            (name.clone(), format!("/people/{id}")),
        ],
        heading: name,
        intro: None,
        action: format!("/people/{id}/edit"),
        submit: t.save,
        cancel: format!("/people/{id}"),
        form,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
) -> PageResult {
    let person = state.store().person(PersonId::new(id)).await?;
    let values = PersonForm {
        fields: fields_of(&person),
        version: person.version.to_string(),
    };
    let c = choices(&state, &ctx, person.organization_id, &values.fields).await?;
    let form = person_form(ctx.t(), &values, c, true);
    Ok(page(&edit_page(
        &ctx,
        person.display_name(),
        person.id,
        form,
    )))
}

async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(values): Form<PersonForm>,
) -> PageResult {
    let current = state.store().person(PersonId::new(id)).await?;
    let result = match PersonInput::parse(&values.fields) {
        Ok(input) => {
            state
                .store()
                .update_person(&ctx.actor(), current.id, values.version(), &input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    let c = || choices(&state, &ctx, current.organization_id, &values.fields);
    match result {
        Ok(person) => Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(StoreError::Invalid(errors)) => {
            let form = person_form(ctx.t(), &values, c().await?, true).with_errors(&ctx, &errors);
            Ok(rejected(&edit_page(
                &ctx,
                current.display_name(),
                current.id,
                form,
            )))
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let mut form = person_form(ctx.t(), &values, c().await?, true).with_conflict(
                i18n::changed_meanwhile(ctx.lang, changed_by.as_deref(), changed_at),
            );
            set_version(&mut form, current.version);
            Ok(rejected(&edit_page(
                &ctx,
                current.display_name(),
                current.id,
                form,
            )))
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
    let id = PersonId::new(id);
    let result = state
        .store()
        .set_person_active(&ctx.actor(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/people/{id}"))
}

/// The raw values of the new-position form.
#[derive(Deserialize, Default)]
struct PositionForm {
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    level_id: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    version: i64,
}

async fn position_state(
    state: &AppState,
    ctx: &Ctx,
    person: PersonId,
    v: &PositionForm,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let orgs = state
        .store()
        .organizations(&OrganizationFilter::default())
        .await?;
    let org_choices = orgs
        .iter()
        .map(|o| (o.organization.id.to_string(), o.organization.name.clone()));
    let org_id = v.organization_id.parse().ok().map(OrganizationId::new);
    let fields = PersonFields {
        unit_id: v.unit_id.clone(),
        ..Default::default()
    };
    let c = match org_id {
        Some(org) => choices(state, ctx, org, &fields).await?,
        None => Choices {
            levels: Vec::new(),
            functions: Vec::new(),
            units: Vec::new(),
            pickers: None,
        },
    };
    let mut organization = Field::select(
        "organization_id",
        t.field_new_organization,
        &v.organization_id,
        org_choices,
    )
    .required();
    // Choosing another organization reloads the form with that organization's units.
    organization.reload = Some(format!("/people/{person}/position"));
    Ok(FormState::new(vec![
        organization,
        Field::select("unit_id", t.field_unit, &v.unit_id, c.units),
        Field::text("job_title", t.field_job_title, &v.job_title),
        Field::select("level_id", t.field_level, &v.level_id, c.levels),
        Field::input("date", "valid_from", t.field_valid_from, &v.valid_from)
            .required()
            .hint(t.field_valid_from_hint),
        Field::hidden("version", v.version.to_string()),
    ]))
}

fn position_page<'a>(ctx: &'a Ctx, name: String, id: PersonId, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![
            (t.nav_people.to_owned(), "/people".to_owned()),
            (name, format!("/people/{id}")),
        ],
        heading: t.new_position_title.to_owned(),
        intro: Some(t.new_position_intro),
        action: format!("/people/{id}/position"),
        submit: t.save,
        cancel: format!("/people/{id}"),
        form,
    }
}

async fn position_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Query(q): Query<PositionForm>,
) -> PageResult {
    let person = state.store().person(PersonId::new(id)).await?;
    // A reload after choosing another organization keeps what was typed; a fresh form starts
    // from the current position.
    let values = if q.organization_id.is_empty() {
        PositionForm {
            organization_id: person.organization_id.to_string(),
            unit_id: person.unit_id.map(|u| u.to_string()).unwrap_or_default(),
            job_title: person.job_title.clone().unwrap_or_default(),
            level_id: person.level_id.map(|l| l.to_string()).unwrap_or_default(),
            valid_from: Utc::now().date_naive().format("%Y-%m-%d").to_string(),
            version: person.version,
        }
    } else {
        PositionForm {
            version: if q.version == 0 {
                person.version
            } else {
                q.version
            },
            ..q
        }
    };
    let form = position_state(&state, &ctx, person.id, &values).await?;
    Ok(page(&position_page(
        &ctx,
        person.display_name(),
        person.id,
        form,
    )))
}

async fn change_position(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(values): Form<PositionForm>,
) -> PageResult {
    let person = state.store().person(PersonId::new(id)).await?;
    let result = match PositionChange::parse(
        &values.organization_id,
        &values.unit_id,
        &values.job_title,
        &values.level_id,
        &values.valid_from,
    ) {
        Ok(change) => {
            state
                .store()
                .change_position(&ctx.actor(), person.id, values.version, &change)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(StoreError::Invalid(errors)) => {
            let form = position_state(&state, &ctx, person.id, &values)
                .await?
                .with_errors(&ctx, &errors);
            Ok(rejected(&position_page(
                &ctx,
                person.display_name(),
                person.id,
                form,
            )))
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let mut form = position_state(&state, &ctx, person.id, &values)
                .await?
                .with_conflict(i18n::changed_meanwhile(
                    ctx.lang,
                    changed_by.as_deref(),
                    changed_at,
                ));
            set_version(&mut form, person.version);
            Ok(rejected(&position_page(
                &ctx,
                person.display_name(),
                person.id,
                form,
            )))
        }
        Err(e) => Err(e.into()),
    }
}
