//! Units: page with sub-units and people, create, edit, deactivate.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::org::{Organization, Unit, UnitInput, UnitKind, unit_tree};
use counterpart_store::StoreError;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::{self, Texts};
use crate::pages::organizations::{ActiveForm, after_set_active};
use crate::render::forms::{FormPage, rejected, set_version};
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
    Path(id): Path<i64>,
) -> PageResult {
    let unit = state.store().unit(UnitId::new(id)).await?;
    let org = state.store().organization(unit.organization_id).await?;
    let all = state.store().units(org.id).await?;
    let parent = all.iter().find(|u| Some(u.id) == unit.parent_id).cloned();
    let mut children: Vec<Unit> = all
        .into_iter()
        .filter(|u| u.parent_id == Some(unit.id))
        .collect();
    children.sort_by_key(|u| u.name.to_lowercase());
    let people = state
        .store()
        .people(org.id, Some(unit.id), true, 500, 0)
        .await?;
    let levels = state.store().levels().await?;
    Ok(page(&ShowPage {
        t: ctx.t(),
        people: person_rows(&ctx, &people, &levels),
        saved: ctx.path.contains("saved=1"),
        ctx: &ctx,
        org,
        unit,
        parent,
        children,
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
    t: &Texts,
    org: OrganizationId,
    exclude: Option<UnitId>,
    v: &UnitForm,
) -> Result<FormState, StoreError> {
    let mut parents = vec![(String::new(), t.no_parent.to_owned())];
    parents.extend(
        unit_tree(&state.store().units(org).await?)
            .into_iter()
            .filter(|n| Some(n.unit.id) != exclude)
            .map(|n| {
                (
                    n.unit.id.to_string(),
                    format!("{}{}", "– ".repeat(n.depth), n.unit.name),
                )
            }),
    );
    let kinds = UnitKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), t.unit_kind(k).to_owned()));
    let mut fields = vec![
        Field::text("name", t.field_name, &v.name).required(),
        Field::select("kind", t.field_kind, &v.kind, kinds).required(),
        Field::select("parent_id", t.field_parent, &v.parent_id, parents),
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
    Path(org_id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let org = state
        .store()
        .organization(OrganizationId::new(org_id))
        .await?;
    let values = UnitForm {
        kind: "department".into(),
        parent_id: q.parent,
        ..Default::default()
    };
    let form = form_state(&state, ctx.t(), org.id, None, &values).await?;
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
    Path(org_id): Path<i64>,
    Form(values): Form<UnitForm>,
) -> PageResult {
    let org = state
        .store()
        .organization(OrganizationId::new(org_id))
        .await?;
    let result = match UnitInput::parse(&values.name, &values.kind, &values.parent_id) {
        Ok(input) => {
            state
                .store()
                .create_unit(&ctx.actor(), org.id, &input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    match result {
        Ok(unit) => Ok(see_other(&format!("/units/{}?saved=1", unit.id))),
        Err(StoreError::Invalid(errors)) => {
            let form = form_state(&state, ctx.t(), org.id, None, &values)
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
    Path(id): Path<i64>,
) -> PageResult {
    let unit = state.store().unit(UnitId::new(id)).await?;
    let org = state.store().organization(unit.organization_id).await?;
    let values = UnitForm {
        name: unit.name.clone(),
        kind: unit.kind.as_str().to_owned(),
        parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        version: unit.version,
    };
    let form = form_state(&state, ctx.t(), org.id, Some(unit.id), &values).await?;
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
    Path(id): Path<i64>,
    Form(values): Form<UnitForm>,
) -> PageResult {
    let unit = state.store().unit(UnitId::new(id)).await?;
    let org = state.store().organization(unit.organization_id).await?;
    let result = match UnitInput::parse(&values.name, &values.kind, &values.parent_id) {
        Ok(input) => {
            state
                .store()
                .update_unit(&ctx.actor(), unit.id, values.version, &input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
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
        Err(StoreError::Invalid(errors)) => {
            let form = form_state(&state, ctx.t(), org.id, Some(unit.id), &values).await?;
            Ok(rerender(form.with_errors(&ctx, &errors)))
        }
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            let mut form = form_state(&state, ctx.t(), org.id, Some(unit.id), &values)
                .await?
                .with_conflict(i18n::changed_meanwhile(
                    ctx.lang,
                    changed_by.as_deref(),
                    changed_at,
                ));
            set_version(&mut form, unit.version);
            Ok(rerender(form))
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
    let id = UnitId::new(id);
    let result = state
        .store()
        .set_unit_active(&ctx.actor(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/units/{id}"))
}
