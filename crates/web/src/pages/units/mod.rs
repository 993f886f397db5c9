//! Units: page with sub-units and people, create, edit, deactivate.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::org::{Organization, Unit, UnitInput, UnitKind};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::forms::{ActiveForm, FormPage, after_set_active, rejected, unit_field};
use crate::render::people::{PersonRow, person_rows};
use crate::render::{Field, FormState, PageResult, page, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}", get(show))
        .route("/units/{id}/edit", get(edit_form).post(update))
        .route("/units/{id}/active", post(set_active))
        .route("/organizations/{id}/units/new", get(new_form))
        .route("/organizations/{id}/units", post(create))
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    unit: Unit,
    parent: Option<Unit>,
    children: Vec<Unit>,
    people: Vec<PersonRow>,
    saved: bool,
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<UnitId>,
) -> PageResult {
    let unit = state.app.unit_page(&ctx.principal(), id).await?;
    Ok(page(&ShowPage {
        t: ctx.t(),
        people: person_rows(&ctx, &unit.people, &unit.levels),
        saved: ctx.path.contains("saved=1"),
        ctx: &ctx,
        org: unit.organization,
        unit: unit.unit,
        parent: unit.parent,
        children: unit.children,
    }))
}

#[derive(Deserialize, Default)]
struct UnitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    version: i64,
}

#[derive(Deserialize)]
struct NewQuery {
    #[serde(default)]
    parent: String,
}

/// The form; `exclude` (the unit itself when editing) is not offered as its own parent.
async fn form_state(
    state: &AppState,
    ctx: &Ctx,
    org: OrganizationId,
    exclude: Option<UnitId>,
    v: &UnitForm,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let parents = state
        .app
        .unit_choice(&ctx.principal(), org, v.parent_id.trim().parse().ok())
        .await?;
    let kinds = UnitKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), t.unit_kind(k).to_owned()));
    let mut fields = vec![
        Field::text("name", t.field_name, &v.name).required(),
        Field::select("kind", t.field_kind, &v.kind, kinds).required(),
        unit_field(
            "parent_id",
            t.field_parent,
            &v.parent_id,
            parents,
            Some(t.no_parent),
            |n| Some(n.unit.id) != exclude,
        ),
    ];
    if exclude.is_some() {
        fields.push(Field::hidden("version", v.version.to_string()));
    }
    Ok(FormState::new(fields))
}

fn unit_page<'a>(
    ctx: &'a Ctx,
    org: &Organization,
    heading: String,
    action: String,
    cancel: String,
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
        heading,
        intro: None,
        action,
        submit: t.save,
        cancel,
        form,
    }
}

async fn new_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<OrganizationId>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), org_id).await?;
    let values = UnitForm {
        kind: "department".into(),
        parent_id: q.parent,
        ..Default::default()
    };
    let form = form_state(&state, &ctx, org.id, None, &values).await?;
    let (action, cancel) = (
        format!("/organizations/{}/units", org.id),
        format!("/organizations/{}", org.id),
    );
    Ok(page(&unit_page(
        &ctx,
        &org,
        ctx.t().new_unit.to_owned(),
        action,
        cancel,
        form,
    )))
}

async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(org_id): Path<OrganizationId>,
    Form(values): Form<UnitForm>,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), org_id).await?;
    let result = match UnitInput::parse(&values.name, &values.kind, &values.parent_id) {
        Ok(input) => {
            state
                .app
                .create_unit(&ctx.principal(), org.id, &input)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    match result {
        Ok(unit) => Ok(see_other(&format!("/units/{}?saved=1", unit.id))),
        Err(Error::Invalid(errors)) => {
            let form = form_state(&state, &ctx, org.id, None, &values)
                .await?
                .with_errors(&ctx, &errors);
            let (action, cancel) = (
                format!("/organizations/{}/units", org.id),
                format!("/organizations/{}", org.id),
            );
            Ok(rejected(&unit_page(
                &ctx,
                &org,
                ctx.t().new_unit.to_owned(),
                action,
                cancel,
                form,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UnitId>,
) -> PageResult {
    let (unit, org) = state.app.unit(&ctx.principal(), id).await?;
    let values = UnitForm {
        name: unit.name.clone(),
        kind: unit.kind.as_str().to_owned(),
        parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        version: unit.version,
    };
    let form = form_state(&state, &ctx, org.id, Some(unit.id), &values).await?;
    Ok(page(&unit_page(
        &ctx,
        &org,
        unit.name.clone(),
        format!("/units/{id}/edit"),
        format!("/units/{id}"),
        form,
    )))
}

async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UnitId>,
    Form(values): Form<UnitForm>,
) -> PageResult {
    let (unit, org) = state.app.unit(&ctx.principal(), id).await?;
    let result = match UnitInput::parse(&values.name, &values.kind, &values.parent_id) {
        Ok(input) => {
            state
                .app
                .update_unit(&ctx.principal(), unit.id, values.version, &input)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let rerender = |form: FormState| {
        rejected(&unit_page(
            &ctx,
            &org,
            unit.name.clone(),
            format!("/units/{id}/edit"),
            format!("/units/{id}"),
            form,
        ))
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/units/{id}?saved=1"))),
        Err(error) => {
            let form = form_state(&state, &ctx, org.id, Some(unit.id), &values).await?;
            Ok(rerender(form.refused(&ctx, error, unit.version)?))
        }
    }
}

async fn set_active(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UnitId>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let result = state
        .app
        .set_unit_active(&ctx.principal(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/units/{id}"))
}
