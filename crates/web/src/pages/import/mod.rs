//! Importing people in the browser: upload, preview with the detected columns (adjustable),
//! the first rows as they will be stored and every problem with row and column, then an
//! explicit confirmation that imports all rows or none.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::exchange::mapping::{Column, Mapping, detect};
use counterpart_core::exchange::preview::{ImportPreview, PreviewAction};
use counterpart_core::exchange::read::{ReadError, Table, read_table, xlsx_sheets};
use counterpart_core::ids::OrganizationId;
use counterpart_core::org::Organization;
use counterpart_core::user::Language;
use counterpart_store::{ImportTarget, StoreError};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::{PageResult, page, render, see_other};

/// The largest file accepted for an import.
pub(crate) const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

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
        .route("/imports/{id}/mapping", post(remap))
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
    let org = state.store().organization(OrganizationId::new(id)).await?;
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
    let org = state.store().organization(OrganizationId::new(id)).await?;
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
    let filename = name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect::<String>();
    let upload = state
        .store()
        .save_upload(
            &ctx.actor(),
            user,
            org.id,
            &filename,
            sheet.as_deref(),
            &bytes,
        )
        .await?;
    let preview = compute_preview(&state, org.id, &filename, sheet, bytes, &[]).await?;
    state
        .store()
        .set_upload_preview(upload, &preview, None)
        .await?;
    Ok(see_other(&format!("/imports/{upload}")))
}

/// Reads a file within the configured limits, off the async threads (a large file takes
/// seconds), and adds the workbook's sheets.
async fn read_file(
    state: &AppState,
    filename: &str,
    sheet: Option<String>,
    content: Vec<u8>,
) -> Result<(Vec<String>, Result<Table, ReadError>), AppError> {
    let limits = state.settings().import_limits;
    let filename = filename.to_owned();
    tokio::task::spawn_blocking(move || {
        let lower = filename.to_lowercase();
        let sheets = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            xlsx_sheets(&content, &limits).unwrap_or_default()
        } else {
            Vec::new()
        };
        // vCard headers are made in German; the mapping recognises both languages.
        let table = read_table(&filename, &content, sheet.as_deref(), Language::De, &limits);
        (sheets, table)
    })
    .await
    .map_err(AppError::internal)
}

/// Reads the file, maps its columns (as detected, then as chosen: `m0=family_name&m1=`…) and
/// plans the import against the database: the preview the user reviews.
async fn compute_preview(
    state: &AppState,
    org: OrganizationId,
    filename: &str,
    sheet: Option<String>,
    content: Vec<u8>,
    choices: &[(String, String)],
) -> Result<ImportPreview, AppError> {
    let (sheets, table) = read_file(state, filename, sheet, content).await?;
    let table = match table {
        Ok(table) => table,
        Err(error) => return Ok(ImportPreview::unreadable(sheets, &error)),
    };
    let mapping = mapping_of(&table, choices);
    let plan = state.store().plan_import(org, &table, &mapping).await?;
    Ok(ImportPreview::of(sheets, &table, &mapping, &plan))
}

/// The mapping: as chosen (`m0=family_name&m1=`…), else as detected.
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
    error: Option<String>,
}

/// Renders the stored preview of an upload (computing it first for an upload that has none).
async fn preview_page(state: &AppState, ctx: &Ctx, id: i64, error: Option<String>) -> PageResult {
    let t = ctx.t();
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let stored = state
        .store()
        .upload_preview(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let preview = match stored.preview {
        Some(preview) => preview,
        None => {
            let upload = state
                .store()
                .upload(id, user)
                .await?
                .ok_or(AppError::NotFound)?;
            let preview = compute_preview(
                state,
                upload.organization_id,
                &upload.filename,
                upload.sheet,
                upload.content,
                &[],
            )
            .await?;
            state.store().set_upload_preview(id, &preview, None).await?;
            preview
        }
    };
    let org = state.store().organization(stored.organization_id).await?;
    let view = PreviewPage {
        ctx,
        t,
        org,
        upload_id: stored.id,
        filename: stored.filename,
        read_error: preview
            .read_error
            .as_ref()
            .map(|e| e.get(ctx.lang).to_owned()),
        headers: preview
            .headers
            .iter()
            .zip(&preview.mapping)
            .enumerate()
            .map(|(i, (h, key))| (i, h.clone(), key.clone()))
            .collect(),
        columns: std::iter::once((String::new(), t.import_ignore.to_owned()))
            .chain(
                Column::ALL
                    .iter()
                    .map(|c| (c.as_str().to_owned(), c.header(ctx.lang).to_owned())),
            )
            .collect(),
        rows: preview
            .rows
            .iter()
            .map(|r| PreviewRow {
                row: r.row,
                action: match r.action {
                    PreviewAction::Create => t.import_new,
                    PreviewAction::Update => t.import_update,
                    PreviewAction::Unchanged => t.import_unchanged,
                },
                cells: r.cells.clone(),
            })
            .collect(),
        problems: preview
            .problems
            .iter()
            .map(|p| p.get(ctx.lang).to_owned())
            .collect(),
        more_problems: preview.problem_count.saturating_sub(preview.problems.len()),
        new_units: preview.new_units.clone(),
        counts: preview.counts(),
        sheets: preview.sheets.clone(),
        error,
    };
    let status = if preview.is_ok() && view.error.is_none() {
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
) -> PageResult {
    preview_page(&state, &ctx, id, None).await
}

/// Maps the columns anew (`m0=family_name&m1=`…): the preview is computed once more and kept.
async fn remap(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
    Form(choices): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let upload = state
        .store()
        .upload(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let preview = compute_preview(
        &state,
        upload.organization_id,
        &upload.filename,
        upload.sheet,
        upload.content,
        &choices,
    )
    .await?;
    state
        .store()
        .set_upload_preview(id, &preview, Some(&ctx.actor()))
        .await?;
    Ok(see_other(&format!("/imports/{id}")))
}

/// Imports what the preview showed: the file is read once more, with the preview's mapping,
/// and written only if the plan still has the counts the user saw.
async fn commit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<i64>,
) -> PageResult {
    let user = ctx.user.as_ref().ok_or(AppError::Unauthenticated)?.id;
    let stored = state
        .store()
        .upload_preview(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let preview = stored.preview.ok_or(AppError::BadRequest)?;
    if !preview.is_ok() {
        return Err(AppError::BadRequest);
    }
    let upload = state
        .store()
        .upload(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, table) = read_file(&state, &upload.filename, upload.sheet, upload.content).await?;
    let table = table.map_err(|_| AppError::BadRequest)?;
    let result = state
        .store()
        .apply_import(
            &ctx.actor(),
            ImportTarget::Existing(upload.organization_id),
            &table,
            &preview.column_mapping(),
            Some(preview.counts()),
            &|_| {},
        )
        .await;
    match result {
        Ok(done) => {
            state.store().delete_upload(&ctx.actor(), id).await?;
            Ok(see_other(&format!(
                "/organizations/{}?imported={},{},{}",
                upload.organization_id, done.created, done.updated, done.unchanged
            )))
        }
        Err(StoreError::ImportProblems(_)) | Err(StoreError::ImportChanged) => {
            // The data changed since the preview: show what the import would do now.
            let table_preview = {
                let mapping = preview.column_mapping();
                let plan = state
                    .store()
                    .plan_import(upload.organization_id, &table, &mapping)
                    .await?;
                ImportPreview::of(preview.sheets.clone(), &table, &mapping, &plan)
            };
            state
                .store()
                .set_upload_preview(id, &table_preview, None)
                .await?;
            let message = ctx.t().import_changed.to_owned();
            preview_page(&state, &ctx, id, Some(message)).await
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
        .store()
        .upload_preview(id, user)
        .await?
        .ok_or(AppError::NotFound)?;
    state.store().delete_upload(&ctx.actor(), id).await?;
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
    let org = state.store().organization(OrganizationId::new(id)).await?;
    let people = state.store().export_people(org.id, ctx.lang).await?;
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
            write_xlsx(&[(ctx.t().people_title, &table)]).map_err(AppError::internal)?,
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
