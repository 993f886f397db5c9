//! The person form: create in an organization, edit (with a lost race shown as such),
//! deactivate and reactivate. Its choices serve the new-position form too.

use axum::Form;
use axum::extract::{Path, Query, State};
use counterpart_app::Error;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_core::org::Organization;
use counterpart_core::person::{Person, PersonFields};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::error::AppError;
use crate::i18n::Texts;
use counterpart_app::organizations::UnitChoice;

use crate::render::forms::{ActiveForm, FormPage, after_set_active, rejected, unit_field};
use crate::render::picker::{PickScope, Picker};
use crate::render::{Field, FormState, PageResult, page, see_other};

/// Everything a person form offers to choose from, for one organization.
pub(super) struct Choices {
    pub(super) levels: Vec<(String, String)>,
    pub(super) functions: Vec<(String, String)>,
    pub(super) units: UnitChoice,
    /// The manager and the boss assisted, found by a search over the whole organization.
    pickers: Option<(Picker, Picker)>,
}

impl Choices {
    /// Nothing to choose from (no organization chosen).
    pub(super) fn none() -> Self {
        Self {
            levels: Vec::new(),
            functions: Vec::new(),
            units: UnitChoice::none(),
            pickers: None,
        }
    }
}

/// The choices of an organization in the user's language; the current manager and boss
/// checked.
pub(super) fn choices_of(
    ctx: &Ctx,
    org: OrganizationId,
    current: &PersonFields,
    c: counterpart_app::people::PersonChoices,
) -> Choices {
    let t = ctx.t();
    let none = || (String::new(), t.none_option.to_owned());
    let mut levels = vec![none()];
    levels.extend(c.levels.into_iter().map(|l| {
        (
            l.id.to_string(),
            format!("{} – {}", l.rank, ctx.pick(&l.name_de, &l.name_en)),
        )
    }));
    let mut functions = vec![none()];
    functions.extend(c.functions.into_iter().map(|f| {
        (
            f.id.to_string(),
            ctx.pick(&f.name_de, &f.name_en).to_owned(),
        )
    }));
    let picker = |name, label, linked: &String, person: Option<String>| {
        let picker =
            Picker::new(name, label, PickScope::Organization(org)).optional(t.nobody_option);
        match person {
            Some(person) => picker.current(linked.clone(), person),
            None => picker,
        }
    };
    let manager = picker(
        "reports_to_id",
        t.field_reports_to,
        &current.reports_to_id,
        c.reports_to_label,
    );
    let assistant_of = picker(
        "assistant_of_id",
        t.field_assistant_of,
        &current.assistant_of_id,
        c.assistant_of_label,
    );
    Choices {
        levels,
        functions,
        units: c.units,
        pickers: Some((manager, assistant_of)),
    }
}

/// The choices of an organization for the person form.
async fn choices(
    state: &AppState,
    ctx: &Ctx,
    org: OrganizationId,
    current: &PersonFields,
) -> Result<Choices, AppError> {
    // Managers and bosses are found by a search over the whole organization; the current
    // ones are offered checked.
    let linked = |id: &str| id.trim().parse::<PersonId>().ok();
    let c = state
        .app
        .person_choices(
            &ctx.principal(),
            org,
            current.unit_id.trim().parse().ok(),
            linked(&current.reports_to_id),
            linked(&current.assistant_of_id),
        )
        .await?;
    Ok(choices_of(ctx, org, current, c))
}

/// The raw values of the person form.
#[derive(Deserialize, Default)]
pub(super) struct PersonForm {
    #[serde(flatten)]
    fields: PersonFields,
    /// A string: flattened form fields arrive as text, which serde cannot turn into numbers.
    #[serde(default)]
    version: String,
}

impl PersonForm {
    /// The version seen; 0 when missing.
    fn version(&self) -> i64 {
        self.version.parse().unwrap_or(0)
    }
}

/// The person form's fields with the organization's choices.
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
        // The unit chosen now is offered even when inactive.
        unit_field(
            "unit_id",
            t.field_unit,
            &f.unit_id,
            c.units,
            Some(t.none_option),
            |n| n.unit.active,
        ),
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

/// The form values of a person as stored.
fn fields_of(p: &Person) -> PersonFields {
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

/// The new-person form's query: the unit to start in.
#[derive(Deserialize)]
pub(super) struct NewQuery {
    #[serde(default)]
    unit: String,
}

/// The new-person page.
fn create_page<'a>(ctx: &'a Ctx, org: &Organization, form: FormState) -> FormPage<'a> {
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

pub(super) async fn new_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<OrganizationId>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), org_id).await?;
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

pub(super) async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<OrganizationId>,
    Form(values): Form<PersonForm>,
) -> PageResult {
    let who = ctx.principal();
    let org = state.app.organization(&who, org_id).await?;
    match state.app.create_person(&who, org.id, &values.fields).await {
        Ok(person) => Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(Error::Invalid(errors)) => {
            let c = choices(&state, &ctx, org.id, &values.fields).await?;
            let form = person_form(ctx.t(), &values, c, false).with_errors(&ctx, &errors);
            Ok(rejected(&create_page(&ctx, &org, form)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The edit page of a person.
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

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
) -> PageResult {
    let person = state.app.person(&ctx.principal(), id).await?;
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

pub(super) async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(values): Form<PersonForm>,
) -> PageResult {
    let who = ctx.principal();
    let current = state.app.person(&who, id).await?;
    let result = state
        .app
        .update_person(&who, current.id, values.version(), &values.fields)
        .await;
    let c = || choices(&state, &ctx, current.organization_id, &values.fields);
    let form = match result {
        Ok(person) => return Ok(see_other(&format!("/people/{}?saved=1", person.id))),
        Err(error) => {
            person_form(ctx.t(), &values, c().await?, true).refused(&ctx, error, current.version)?
        }
    };
    Ok(rejected(&edit_page(
        &ctx,
        current.display_name(),
        current.id,
        form,
    )))
}

pub(super) async fn set_active(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let result = state
        .app
        .set_person_active(&ctx.principal(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/people/{id}"))
}
