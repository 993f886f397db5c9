//! Importing people in the browser: upload, preview with the detected columns (adjustable),
//! the first rows as they will be stored and every problem with row and column, then an
//! explicit confirmation that imports all rows or none.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::exchange::mapping::{Column, Mapping, detect};
use counterpart_core::exchange::plan::{ImportPlan, RowAction};
use counterpart_core::exchange::read::{
    Table, read_csv, read_vcards, read_xlsx, vcards_to_table_in, xlsx_sheets,
};
use counterpart_core::ids::OrganizationId;
use counterpart_core::org::Organization;
use counterpart_core::user::Language;
use counterpart_store::{ImportTarget, StoreError, Upload};
use serde::Deserialize;

use super::{PageResult, page, render, see_other};
use crate::AppState;
use crate::context::{Ctx, Editor};
use crate::error::AppError;
use crate::i18n::Texts;

/// The largest file accepted for an import.
pub(crate) const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;
/// Rows shown in the preview.
const PREVIEW_ROWS: usize = 10;
/// Problems listed in full; the rest are counted.
const PROBLEM_LIST: usize = 300;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/organizations/{id}/import",
            get(upload_form)
                .post(upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route("/organizations/{id}/export", get(export))
        .route("/imports/{id}", get(preview))
        .route("/imports/{id}/commit", post(commit))
        .route("/imports/{id}/cancel", post(cancel))
}

#[derive(Template)]
#[template(path = "import/upload.html")]
struct UploadPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    error: Option<String>,
}

async fn upload_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
) -> PageResult {
    let org = state.store.organization(OrganizationId::new(id)).await?;
    Ok(page(&UploadPage {
        t: ctx.t(),
        ctx: &ctx,
        org,
        error: None,
    }))
}

async fn upload(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> PageResult {
    let org = state.store.organization(OrganizationId::new(id)).await?;
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut sheet = None;
    loop {
        let Some(field) = multipart.next_field().await? else {
            break;
        };
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("upload").to_owned();
                let bytes = field.bytes().await?;
                file = Some((name, bytes.to_vec()));
            }
            Some("sheet") => {
                let text = field.text().await?;
                sheet = Some(text.trim().to_owned()).filter(|s| !s.is_empty());
            }
            _ => {}
        }
    }
    let t = ctx.t();
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(render(
            &UploadPage {
                ctx: &ctx,
                t,
                org,
                error: Some(t.import_no_file.to_owned()),
            },
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let upload = state
        .store
        .save_upload(user, org.id, &name, sheet.as_deref(), &bytes)
        .await?;
    Ok(see_other(&format!("/imports/{upload}")))
}

/// Reads an upload into a table by its file name.
fn table_of(upload: &Upload, lang: Language) -> Result<Table, String> {
    let lower = upload.filename.to_lowercase();
    let read = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(&upload.content, upload.sheet.as_deref())
    } else if lower.ends_with(".vcf") || lower.ends_with(".vcard") {
        read_vcards(&upload.content).map(|cards| vcards_to_table_in(&cards, lang))
    } else {
        read_csv(&upload.content)
    };
    read.map_err(|e| e.message(lang))
}

/// The mapping: as chosen in the query (`m0=family_name&m1=`…), else as detected.
fn mapping_of(table: &Table, choices: &[(String, String)]) -> Mapping {
    let mut mapping = detect(&table.headers);
    for (key, value) in choices {
        let Some(index) = key.strip_prefix('m').and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        if index < table.headers.len() {
            mapping.set(index, value.parse::<Column>().ok());
        }
    }
    mapping
}

struct PreviewRow {
    row: usize,
    action: &'static str,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "import/preview.html")]
struct PreviewPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    upload_id: i64,
    filename: String,
    sheets: Vec<String>,
    read_error: Option<String>,
    headers: Vec<(usize, String, String)>,
    columns: Vec<(String, String)>,
    rows: Vec<PreviewRow>,
    problems: Vec<String>,
    more_problems: usize,
    new_units: Vec<String>,
    counts: (usize, usize, usize),
    mapping_query: String,
    error: Option<String>,
}

async fn preview_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    choices: &[(String, String)],
    error: Option<String>,
) -> PageResult {
    let t = ctx.t();
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let upload = state
        .store
        .upload(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = state.store.organization(upload.organization_id).await?;
    let sheets = if upload.filename.to_lowercase().ends_with(".xlsx") {
        xlsx_sheets(&upload.content).unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut view = PreviewPage {
        ctx,
        t,
        org,
        upload_id: upload.id,
        filename: upload.filename.clone(),
        sheets,
        read_error: None,
        headers: Vec::new(),
        columns: std::iter::once((String::new(), t.import_ignore.to_owned()))
            .chain(
                Column::ALL
                    .iter()
                    .map(|c| (c.as_str().to_owned(), c.header(ctx.lang).to_owned())),
            )
            .collect(),
        rows: Vec::new(),
        problems: Vec::new(),
        more_problems: 0,
        new_units: Vec::new(),
        counts: (0, 0, 0),
        mapping_query: String::new(),
        error,
    };
    let table = match table_of(&upload, ctx.lang) {
        Ok(table) => table,
        Err(message) => {
            view.read_error = Some(message);
            return Ok(render(&view, axum::http::StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let mapping = mapping_of(&table, choices);
    let plan: ImportPlan = state
        .store
        .plan_import(view.org.id, &table, &mapping)
        .await?;
    view.headers = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                i,
                h.clone(),
                mapping
                    .get(i)
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default(),
            )
        })
        .collect();
    view.mapping_query = view
        .headers
        .iter()
        .map(|(i, _, key)| format!("m{i}={key}"))
        .collect::<Vec<_>>()
        .join("&");
    view.rows = plan
        .rows
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| {
            let p = &r.person;
            PreviewRow {
                row: r.row,
                action: match r.action {
                    RowAction::Create => t.import_new,
                    RowAction::Update(_) => t.import_update,
                    RowAction::Unchanged(_) => t.import_unchanged,
                },
                cells: vec![
                    p.academic_title.clone().unwrap_or_default(),
                    p.given_name.clone().unwrap_or_default(),
                    p.family_name.clone(),
                    p.job_title.clone().unwrap_or_default(),
                    p.email
                        .as_ref()
                        .map(|e| e.as_str().to_owned())
                        .unwrap_or_default(),
                ],
            }
        })
        .collect();
    view.problems = plan
        .problems
        .iter()
        .take(PROBLEM_LIST)
        .map(|p| p.message(ctx.lang))
        .collect();
    view.more_problems = plan.problems.len().saturating_sub(PROBLEM_LIST);
    view.new_units = plan.new_units.clone();
    view.counts = (plan.created, plan.updated, plan.unchanged);
    let status = if plan.problems.is_empty() && view.error.is_none() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(&view, status))
}

async fn preview(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Query(choices): Query<Vec<(String, String)>>,
) -> PageResult {
    preview_page(&state, &ctx, id, &choices, None).await
}

#[derive(Deserialize)]
struct CommitForm {
    #[serde(default)]
    mapping: String,
    created: usize,
    updated: usize,
    unchanged: usize,
}

async fn commit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(form): Form<CommitForm>,
) -> PageResult {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let upload = state
        .store
        .upload(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let choices: Vec<(String, String)> =
        serde_urlencoded::from_str(&form.mapping).unwrap_or_default();
    let table = table_of(&upload, ctx.lang).map_err(|_| AppError::BadRequest)?;
    let mapping = mapping_of(&table, &choices);
    let expected = Some((form.created, form.updated, form.unchanged));
    let result = state
        .store
        .apply_import(
            &ctx.actor(),
            ImportTarget::Existing(upload.organization_id),
            &table,
            &mapping,
            expected,
            &|_| {},
        )
        .await;
    match result {
        Ok(done) => {
            state.store.delete_upload(id).await?;
            Ok(see_other(&format!(
                "/organizations/{}?imported={},{},{}",
                upload.organization_id, done.created, done.updated, done.unchanged
            )))
        }
        Err(StoreError::ImportProblems(_)) | Err(StoreError::ImportChanged) => {
            let message = ctx.t().import_changed.to_owned();
            preview_page(&state, &ctx, id, &choices, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn cancel(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
) -> PageResult {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let upload = state
        .store
        .upload(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    state.store.delete_upload(id).await?;
    Ok(see_other(&format!(
        "/organizations/{}",
        upload.organization_id
    )))
}

#[derive(Deserialize)]
struct ExportQuery {
    #[serde(default)]
    format: String,
}

/// A file name that every browser and file system accepts: letters, digits and dashes.
fn file_stem(name: &str) -> String {
    let folded = counterpart_core::text::fold(name);
    let stem: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-').to_owned();
    if stem.is_empty() {
        "export".to_owned()
    } else {
        stem
    }
}

/// The people of an organization as XLSX, CSV or vCard, in a form that imports back.
async fn export(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> PageResult {
    use axum::http::header;
    use axum::response::IntoResponse;
    use counterpart_core::exchange::export::{people_table, people_vcards};
    use counterpart_core::exchange::write::{write_csv, write_vcards, write_xlsx};
    let org = state.store.organization(OrganizationId::new(id)).await?;
    let people = state.store.export_people(org.id, ctx.lang).await?;
    let table = people_table(&people, ctx.lang);
    let stem = file_stem(&org.name);
    let (bytes, content_type, extension) = match q.format.as_str() {
        "csv" => (write_csv(&table), "text/csv; charset=utf-8", "csv"),
        "vcf" => (
            write_vcards(&people_vcards(&people, &org.name)).into_bytes(),
            "text/vcard; charset=utf-8",
            "vcf",
        ),
        _ => (
            write_xlsx(&[(ctx.t().people_title, &table)])
                .map_err(|e| AppError::Internal(e.message(ctx.lang)))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
