//! Organizations: list with filters, page with unit tree and people, create, edit, deactivate.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::org::{Organization, OrganizationInput, OrganizationKind, UnitNode};
use counterpart_store::{ORGANIZATIONS_PER_PAGE, OrganizationFilter, OrganizationSummary};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::i18n::Texts;
use crate::render::forms::{ActiveForm, FormPage, after_set_active, rejected};
use crate::render::people::{PersonRow, person_rows};
use crate::render::{Field, FormState, PageResult, page, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(list).post(create))
        .route("/organizations/new", get(new_form))
        .route("/organizations/{id}", get(show))
        .route("/organizations/{id}/edit", get(edit_form).post(update))
        .route("/organizations/{id}/active", post(set_active))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    inactive: String,
    #[serde(default)]
    page: u32,
}

#[derive(Template)]
#[template(path = "organizations/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    rows: Vec<OrganizationSummary>,
    kind: String,
    inactive: bool,
    page: u32,
    has_next: bool,
}

impl ListPage<'_> {
    /// Another page of the same list.
    fn page_href(&self, page: u32) -> String {
        format!(
            "/organizations?kind={}{}&page={page}",
            self.kind,
            if self.inactive { "&inactive=1" } else { "" }
        )
    }

    fn is_current(&self, key: &str) -> bool {
        self.kind == key
    }

    /// The filter tabs: (key, label).
    fn tabs(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("", self.t.filter_all),
            ("own", self.t.filter_own),
            ("external", self.t.filter_external),
            ("internal", self.t.filter_internal),
        ]
    }
}

async fn list(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let kind: Option<OrganizationKind> = q.kind.parse().ok();
    let inactive = q.inactive == "1";
    let filter = OrganizationFilter {
        kind,
        include_inactive: inactive,
        page: Some(q.page),
    };
    let mut rows = state.app.organizations(&ctx.principal(), &filter).await?;
    let has_next = rows.len() > ORGANIZATIONS_PER_PAGE as usize;
    rows.truncate(ORGANIZATIONS_PER_PAGE as usize);
    Ok(page(&ListPage {
        t: ctx.t(),
        ctx: &ctx,
        rows,
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        inactive,
        page: q.page,
        has_next,
    }))
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    page: u32,
    /// "created,updated,unchanged" after an import.
    #[serde(default)]
    imported: String,
    /// The rows an import left out, "3,7".
    #[serde(default)]
    skipped: String,
}

#[derive(Template)]
#[template(path = "organizations/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    tree: Vec<UnitNode>,
    units_not_shown: usize,
    selected_unit: Option<UnitId>,
    people: Vec<PersonRow>,
    page: u32,
    has_next: bool,
    saved: bool,
    imported: Option<(usize, usize, usize)>,
    skipped: String,
    accounts: Vec<counterpart_core::account::Account>,
}

impl ShowPage<'_> {
    /// The link to a page of the people list, keeping the unit filter.
    fn page_href(&self, page: u32) -> String {
        match self.selected_unit {
            Some(unit) => format!("/organizations/{}?unit={unit}&page={page}", self.org.id),
            None => format!("/organizations/{}?page={page}", self.org.id),
        }
    }

    fn is_selected(&self, unit: &UnitId) -> bool {
        self.selected_unit == Some(*unit)
    }
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<OrganizationId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let org = state
        .app
        .organization_page(&ctx.principal(), id, q.unit.parse().ok(), q.page)
        .await?;
    Ok(page(&ShowPage {
        t: ctx.t(),
        people: person_rows(&ctx, &org.people, &org.levels),
        saved: ctx.path.contains("saved=1"),
        imported: {
            let n: Vec<usize> = q
                .imported
                .split(',')
                .filter_map(|x| x.parse().ok())
                .collect();
            (n.len() == 3).then(|| (n[0], n[1], n[2]))
        },
        skipped: q
            .skipped
            .split(',')
            .filter_map(|x| x.parse::<usize>().ok())
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        accounts: org.accounts,
        ctx: &ctx,
        org: org.organization,
        tree: org.tree,
        units_not_shown: org.units_not_shown,
        selected_unit: org.selected_unit,
        page: org.page,
        has_next: org.has_next,
    }))
}

/// The raw values of the organization form.
#[derive(Deserialize, Default)]
struct OrganizationForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    version: i64,
}

fn form_state(t: &Texts, values: &OrganizationForm, with_version: bool) -> FormState {
    let kinds = OrganizationKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), t.organization_kind(k).to_owned()));
    let mut fields = vec![
        Field::text("name", t.field_name, &values.name).required(),
        Field::select("kind", t.field_kind, &values.kind, kinds).required(),
        Field::input("textarea", "notes", t.field_notes, &values.notes),
    ];
    if with_version {
        fields.push(Field::hidden("version", values.version.to_string()));
    }
    FormState::new(fields)
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
        crumbs: vec![(t.nav_organizations.to_owned(), "/organizations".to_owned())],
        heading,
        intro: None,
        action,
        submit: t.save,
        cancel,
        form,
    }
}

async fn new_form(Editor(ctx): Editor) -> PageResult {
    let t = ctx.t();
    let values = OrganizationForm {
        kind: "external".into(),
        ..Default::default()
    };
    let form = form_state(t, &values, false);
    Ok(page(&form_page(
        &ctx,
        t.new_organization.to_owned(),
        "/organizations".into(),
        "/organizations".into(),
        form,
    )))
}

async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(values): Form<OrganizationForm>,
) -> PageResult {
    let t = ctx.t();
    let rejected_page = |errors| {
        let form = form_state(t, &values, false).with_errors(&ctx, &errors);
        rejected(&form_page(
            &ctx,
            t.new_organization.to_owned(),
            "/organizations".into(),
            "/organizations".into(),
            form,
        ))
    };
    let input = match OrganizationInput::parse(&values.name, &values.kind, &values.notes) {
        Ok(input) => input,
        Err(errors) => return Ok(rejected_page(errors)),
    };
    match state
        .app
        .create_organization(&ctx.principal(), &input)
        .await
    {
        Ok(org) => Ok(see_other(&format!("/organizations/{}?saved=1", org.id))),
        Err(Error::Invalid(errors)) => Ok(rejected_page(errors)),
        Err(e) => Err(e.into()),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<OrganizationId>,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), id).await?;
    let values = OrganizationForm {
        name: org.name.clone(),
        kind: org.kind.as_str().to_owned(),
        notes: org.notes.clone().unwrap_or_default(),
        version: org.version,
    };
    let form = form_state(ctx.t(), &values, true);
    Ok(page(&form_page(
        &ctx,
        org.name.clone(),
        format!("/organizations/{id}/edit"),
        format!("/organizations/{id}"),
        form,
    )))
}

async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<OrganizationId>,
    Form(values): Form<OrganizationForm>,
) -> PageResult {
    let current = state.app.organization(&ctx.principal(), id).await?;
    let page_for = |form: FormState| {
        form_page(
            &ctx,
            current.name.clone(),
            format!("/organizations/{id}/edit"),
            format!("/organizations/{id}"),
            form,
        )
    };
    let input = match OrganizationInput::parse(&values.name, &values.kind, &values.notes) {
        Ok(input) => input,
        Err(errors) => {
            let form = form_state(ctx.t(), &values, true).with_errors(&ctx, &errors);
            return Ok(rejected(&page_for(form)));
        }
    };
    match state
        .app
        .update_organization(&ctx.principal(), id, values.version, &input)
        .await
    {
        Ok(_) => Ok(see_other(&format!("/organizations/{id}?saved=1"))),
        Err(error) => {
            let form = form_state(ctx.t(), &values, true).refused(&ctx, error, current.version)?;
            Ok(rejected(&page_for(form)))
        }
    }
}

async fn set_active(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<OrganizationId>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let result = state
        .app
        .set_organization_active(&ctx.principal(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/organizations/{id}"))
}
