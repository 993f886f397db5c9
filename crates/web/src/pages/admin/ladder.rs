//! The hierarchy ladder and the functions: two lists that administrators keep the same way,
//! each row renamed in place, moved up or down, with a form to add one. One list page and
//! one way of answering a change serve both.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use counterpart_app::Error;
use counterpart_core::ids::{FunctionId, LevelId};
use counterpart_core::ladder::{Function, LadderNames, Level, Move, parse_function_key};
use counterpart_core::validate::FieldErrors;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::{self, Texts};
use crate::render::{PageResult, render, see_other};

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
            messages: vec![i18n::changed_meanwhile(
                ctx.lang,
                ctx.time_zone,
                by.as_deref(),
                at,
            )],
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

#[derive(Template)]
#[template(path = "admin/functions.html")]
struct FunctionsPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    functions: Vec<Function>,
    errors: Option<RowErrors>,
    saved: bool,
}

/// Which of the two lists.
#[derive(Clone, Copy, Debug)]
enum List {
    Levels,
    Functions,
}

impl List {
    /// Where the list is, with the "saved" notice.
    fn saved(self) -> &'static str {
        match self {
            Self::Levels => "/admin/levels?saved=1",
            Self::Functions => "/admin/functions?saved=1",
        }
    }
}

/// A list's page, with the problems of one row if a change was refused.
async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    list: List,
    errors: Option<RowErrors>,
) -> PageResult {
    let status = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let saved = errors.is_none() && ctx.path.contains("saved=1");
    let who = ctx.principal();
    Ok(match list {
        List::Levels => render(
            &LevelsPage {
                ctx,
                t: ctx.t(),
                levels: state.app.levels(&who).await?,
                errors,
                saved,
            },
            status,
        ),
        List::Functions => render(
            &FunctionsPage {
                ctx,
                t: ctx.t(),
                functions: state.app.functions(&who).await?,
                errors,
                saved,
            },
            status,
        ),
    })
}

/// Answers a change of row `id` (0: the add form): back to the list, or the list with the
/// row's problems or the name of who changed it meanwhile.
async fn answer<T>(
    state: &AppState,
    ctx: &Ctx,
    list: List,
    id: i64,
    result: Result<T, Error>,
) -> PageResult {
    let errors = match result {
        Ok(_) => return Ok(see_other(list.saved())),
        Err(Error::Invalid(errors)) => RowErrors::new(ctx, id, &errors),
        Err(Error::Conflict {
            changed_by,
            changed_at,
        }) => RowErrors::conflict(ctx, id, changed_by, changed_at),
        Err(e) => return Err(e.into()),
    };
    list_page(state, ctx, list, Some(errors)).await
}

pub(super) async fn levels(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    list_page(&state, &ctx, List::Levels, None).await
}

pub(super) async fn functions(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    list_page(&state, &ctx, List::Functions, None).await
}

#[derive(Deserialize)]
pub(super) struct NamesForm {
    #[serde(default)]
    name_de: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    version: i64,
}

pub(super) async fn create_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<NamesForm>,
) -> PageResult {
    let result = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => state.app.create_level(&ctx.principal(), names).await,
        Err(errors) => Err(Error::Invalid(errors)),
    };
    answer(&state, &ctx, List::Levels, 0, result).await
}

pub(super) async fn rename_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<LevelId>,
    Form(form): Form<NamesForm>,
) -> PageResult {
    let result = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => {
            state
                .app
                .rename_level(&ctx.principal(), id, form.version, names)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    answer(&state, &ctx, List::Levels, id.get(), result).await
}

#[derive(Deserialize)]
pub(super) struct MoveForm {
    direction: Move,
}

pub(super) async fn move_level(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<LevelId>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    let result = state
        .app
        .move_level(&ctx.principal(), id, form.direction)
        .await;
    answer(&state, &ctx, List::Levels, id.get(), result).await
}

#[derive(Deserialize)]
pub(super) struct FunctionForm {
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

pub(super) async fn create_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<FunctionForm>,
) -> PageResult {
    let mut errors = FieldErrors::default();
    let key = errors.take("key", parse_function_key(&form.key));
    let names = LadderNames::parse(&form.name_de, &form.name_en);
    let result = match (key, names.map_err(|e| errors.0.extend(e.0))) {
        (Some(key), Ok(names)) => {
            state
                .app
                .create_function(&ctx.principal(), key, names, form.is_assistant == "1")
                .await
        }
        _ => Err(Error::Invalid(errors)),
    };
    answer(&state, &ctx, List::Functions, 0, result).await
}

pub(super) async fn update_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<FunctionId>,
    Form(form): Form<FunctionForm>,
) -> PageResult {
    let result = match LadderNames::parse(&form.name_de, &form.name_en) {
        Ok(names) => {
            state
                .app
                .update_function(
                    &ctx.principal(),
                    id,
                    form.version,
                    names,
                    form.is_assistant == "1",
                )
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    answer(&state, &ctx, List::Functions, id.get(), result).await
}

pub(super) async fn move_function(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<FunctionId>,
    Form(form): Form<MoveForm>,
) -> PageResult {
    let result = state
        .app
        .move_function(&ctx.principal(), id, form.direction)
        .await;
    answer(&state, &ctx, List::Functions, id.get(), result).await
}
