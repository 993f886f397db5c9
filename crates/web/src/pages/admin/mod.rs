//! Administration: the hierarchy ladder, the functions, and the audit log.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{FunctionId, LevelId};
use counterpart_core::ladder::{Function, LadderNames, Level, Move, parse_function_key};
use counterpart_core::validate::FieldErrors;
use counterpart_store::{AuditEntry, AuditFilter, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::{self, Texts};
use crate::render::{PageResult, page, render, see_other};

/// Audit entries per page.
const AUDIT_PAGE: i64 = 50;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/levels", get(levels).post(create_level))
        .route("/admin/levels/{id}", post(rename_level))
        .route("/admin/levels/{id}/move", post(move_level))
        .route("/admin/functions", get(functions).post(create_function))
        .route("/admin/functions/{id}", post(update_function))
        .route("/admin/functions/{id}/move", post(move_function))
        .route("/admin/audit", get(audit))
}

/// Problems of one submitted row (or the add form, id 0), as sentences.
struct RowErrors {
    id: i64,
    messages: Vec<String>,
}

impl RowErrors {
    fn new(ctx: &Ctx, id: i64, errors: &FieldErrors) -> Self {
        let t = ctx.t();
        Self {
            id,
            messages: errors
                .0
                .iter()
                .map(|e| {
                    format!(
                        "{}: {}",
                        t.field_label(e.field),
                        i18n::problem(ctx.lang, &e.problem)
                    )
                })
                .collect(),
        }
    }

    fn conflict(
        ctx: &Ctx,
        id: i64,
        by: Option<String>,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Self {
        Self {
            id,
            messages: vec![i18n::changed_meanwhile(ctx.lang, by.as_deref(), at)],
        }
    }
}

#[derive(Template)]
#[template(path = "admin/levels.html")]
struct LevelsPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    levels: Vec<Level>,
    errors: Option<RowErrors>,
    saved: bool,
}

async fn levels_page(state: &AppState, ctx: &Ctx, errors: Option<RowErrors>) -> PageResult {
    let levels = state.store().levels().await?;
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &LevelsPage {
            ctx,
            t: ctx.t(),
            levels,
            saved: errors.is_none() && ctx.path.contains("saved=1"),
            errors,
        },
        status,
    ))
}

async fn levels(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    levels_page(&state, &ctx, None).await
}

#[derive(Deserialize)]
struct NamesForm {
    #[serde(default)]
    name_de: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    version: i64,
}

async fn create_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<NamesForm>,
) -> PageResult {
    let names = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => names,
        Err(errors) => {
            return levels_page(&state, &ctx, Some(RowErrors::new(&ctx, 0, &errors))).await;
        }
    };
    state.store().create_level(&ctx.actor(), names).await?;
    Ok(see_other("/admin/levels?saved=1"))
}

async fn rename_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<i64>,
    Form(form): Form<NamesForm>,
) -> PageResult {
    let names = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => names,
        Err(errors) => {
            return levels_page(&state, &ctx, Some(RowErrors::new(&ctx, id, &errors))).await;
        }
    };
    match state
        .store()
        .rename_level(&ctx.actor(), LevelId::new(id), form.version, names)
        .await
    {
        Ok(_) => Ok(see_other("/admin/levels?saved=1")),
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            levels_page(
                &state,
                &ctx,
                Some(RowErrors::conflict(&ctx, id, changed_by, changed_at)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct MoveForm {
    direction: Move,
}

async fn move_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    state
        .store()
        .move_level(&ctx.actor(), LevelId::new(id), form.direction)
        .await?;
    Ok(see_other("/admin/levels?saved=1"))
}

#[derive(Template)]
#[template(path = "admin/functions.html")]
struct FunctionsPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    functions: Vec<Function>,
    errors: Option<RowErrors>,
    saved: bool,
}

async fn functions_page(state: &AppState, ctx: &Ctx, errors: Option<RowErrors>) -> PageResult {
    let functions = state.store().functions().await?;
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &FunctionsPage {
            ctx,
            t: ctx.t(),
            functions,
            saved: errors.is_none() && ctx.path.contains("saved=1"),
            errors,
        },
        status,
    ))
}

async fn functions(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    functions_page(&state, &ctx, None).await
}

#[derive(Deserialize)]
struct FunctionForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    name_de: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    is_assistant: String,
    #[serde(default)]
    version: i64,
}

async fn create_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<FunctionForm>,
) -> PageResult {
    let mut errors = FieldErrors::default();
    let key = errors.take("key", parse_function_key(&form.key));
    let names = LadderNames::parse(&form.name_de, &form.name_en);
    let (Some(key), Ok(names)) = (key, names.map_err(|e| errors.0.extend(e.0))) else {
        return functions_page(&state, &ctx, Some(RowErrors::new(&ctx, 0, &errors))).await;
    };
    match state
        .store()
        .create_function(&ctx.actor(), key, names, form.is_assistant == "1")
        .await
    {
        Ok(_) => Ok(see_other("/admin/functions?saved=1")),
        Err(StoreError::Invalid(errors)) => {
            functions_page(&state, &ctx, Some(RowErrors::new(&ctx, 0, &errors))).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<i64>,
    Form(form): Form<FunctionForm>,
) -> PageResult {
    let names = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => names,
        Err(errors) => {
            return functions_page(&state, &ctx, Some(RowErrors::new(&ctx, id, &errors))).await;
        }
    };
    match state
        .store()
        .update_function(
            &ctx.actor(),
            FunctionId::new(id),
            form.version,
            names,
            form.is_assistant == "1",
        )
        .await
    {
        Ok(_) => Ok(see_other("/admin/functions?saved=1")),
        Err(StoreError::Conflict {
            changed_by,
            changed_at,
            ..
        }) => {
            functions_page(
                &state,
                &ctx,
                Some(RowErrors::conflict(&ctx, id, changed_by, changed_at)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn move_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    state
        .store()
        .move_function(&ctx.actor(), FunctionId::new(id), form.direction)
        .await?;
    Ok(see_other("/admin/functions?saved=1"))
}

#[derive(Deserialize)]
struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    before: Option<i64>,
}

/// An audit entry as shown.
struct AuditRow {
    at: String,
    who: String,
    action: &'static str,
    entity: &'static str,
    label: String,
    href: Option<String>,
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    rows: Vec<AuditRow>,
    entity: String,
    entities: Vec<(&'static str, &'static str)>,
    older: Option<String>,
}

impl AuditPage<'_> {
    fn is_current(&self, key: &str) -> bool {
        self.entity == key
    }
}

fn href(entry: &AuditEntry) -> Option<String> {
    let base = match entry.entity {
        EntityKind::Organization => "/organizations",
        EntityKind::Unit => "/units",
        EntityKind::Person => "/people",
        _ => return None,
    };
    Some(format!("{base}/{}", entry.entity_id))
}

async fn audit(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let t = ctx.t();
    let entity: Option<EntityKind> = q.entity.parse().ok();
    let entries = state
        .store()
        .audit_entries(&AuditFilter {
            entity,
            entity_id: q.id.filter(|_| entity.is_some()),
            before_id: q.before,
            limit: AUDIT_PAGE,
        })
        .await?;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id.get()))
        .flatten()
        .map(|last| {
            let mut query = format!("/admin/audit?before={last}");
            if let Some(e) = entity {
                query.push_str(&format!("&entity={e}"));
            }
            query
        });
    let rows = entries
        .iter()
        .map(|e| AuditRow {
            at: ctx.datetime(&e.at),
            who: e.actor_name.clone(),
            action: t.action(&e.action),
            entity: t.entity(&e.entity),
            label: e.label.clone(),
            href: href(e),
            changes: e
                .changes()
                .into_iter()
                .map(|(field, before, after)| {
                    let label = t.field_label(&field);
                    (
                        if label.is_empty() {
                            field
                        } else {
                            label.to_owned()
                        },
                        before,
                        after,
                    )
                })
                .collect(),
        })
        .collect();
    let mut entities = vec![("", t.all_entities)];
    entities.extend(EntityKind::ALL.iter().map(|k| (k.as_str(), t.entity(k))));
    Ok(page(&AuditPage {
        ctx: &ctx,
        t,
        rows,
        entity: entity.map(|e| e.as_str().to_owned()).unwrap_or_default(),
        entities,
        older,
    }))
}
