//! Importing people in the browser: upload, preview with the detected columns (adjustable),
//! the first rows as they will be stored and every problem with row and column, then an
//! explicit confirmation that imports all rows or none.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use std::collections::{BTreeMap, HashMap};

use counterpart_app::imports::{Committed, PeopleExport, RowChange};
use counterpart_core::exchange::export::ExportInsight;
use counterpart_core::exchange::mapping::Column;
use counterpart_core::exchange::preview::PreviewAction;
use counterpart_core::ids::{OrganizationId, PersonId, UploadId};
use counterpart_core::insight::Certainty;
use counterpart_core::org::Organization;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::{PageResult, page, render, see_other};

use crate::UPLOAD_LIMIT;

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
        .route("/imports/{id}/rows", post(fix_rows))
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
    Path(id): Path<OrganizationId>,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), id).await?;
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
    Path(id): Path<OrganizationId>,
    mut multipart: Multipart,
) -> PageResult {
    let org = state.app.organization(&ctx.principal(), id).await?;
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
        .app
        .upload_import(
            &ctx.principal(),
            org.id,
            &filename,
            sheet.as_deref(),
            &bytes,
        )
        .await?;
    Ok(see_other(&format!("/imports/{upload}")))
}

struct PreviewRow {
    row: usize,
    action: &'static str,
    cells: Vec<String>,
}

/// A row with problems as the page shows it: every cell (index, header, text, whether a
/// problem names it) and the problems.
struct ProblemRow {
    row: usize,
    cells: Vec<(usize, String, String, bool)>,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "import/preview.html")]
struct PreviewPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    upload_id: UploadId,
    filename: String,
    sheets: Vec<String>,
    read_error: Option<String>,
    headers: Vec<(usize, String, String)>,
    columns: Vec<(String, String)>,
    rows: Vec<PreviewRow>,
    problems: Vec<String>,
    more_problems: usize,
    problem_rows: Vec<ProblemRow>,
    /// The rows the user left out, "3, 7".
    skipped: String,
    /// The headers no column is mapped to.
    ignored: Vec<String>,
    header_row: usize,
    new_units: Vec<String>,
    counts: (usize, usize, usize),
    error: Option<String>,
}

/// Renders the stored preview of an upload (computing it first for an upload that has none).
async fn preview_page(
    state: &AppState,
    ctx: &Ctx,
    id: UploadId,
    error: Option<String>,
) -> PageResult {
    let t = ctx.t();
    let stored = state.app.import_preview(&ctx.principal(), id).await?;
    let (org, preview) = (stored.organization, stored.preview);
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
        problem_rows: preview
            .problem_rows
            .iter()
            .map(|r| ProblemRow {
                row: r.row,
                cells: r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let header = preview.headers.get(i).cloned().unwrap_or_default();
                        (i, header, text.clone(), r.columns.contains(&i))
                    })
                    .collect(),
                problems: r
                    .problems
                    .iter()
                    .map(|p| p.get(ctx.lang).to_owned())
                    .collect(),
            })
            .collect(),
        skipped: preview
            .fixes
            .skipped
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ignored: preview
            .ignored_headers()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        header_row: preview.header_row,
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
    Path(id): Path<UploadId>,
) -> PageResult {
    preview_page(&state, &ctx, id, None).await
}

/// Maps the columns anew (`m0=family_name&m1=`…): the preview is computed once more and kept.
async fn remap(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
    Form(choices): Form<Vec<(String, String)>>,
) -> PageResult {
    state
        .app
        .remap_import(&ctx.principal(), id, &choices)
        .await?;
    Ok(see_other(&format!("/imports/{id}")))
}

/// Skips or corrects the rows the preview shows with problems: `r5=1` says row 5 was shown,
/// `c5_2=…` is its third cell as left, `skip5=1` leaves it out; `restore=1` takes every
/// skipped row back. A refused correction shows the preview again with the reason.
async fn fix_rows(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut changes: BTreeMap<usize, RowChange> = BTreeMap::new();
    let mut restore = false;
    let number = |s: &str| s.parse::<usize>().ok();
    for (key, value) in &pairs {
        if key == "restore" {
            restore = value == "1";
        } else if let Some(row) = key.strip_prefix("skip").and_then(number) {
            changes.entry(row).or_default().skip = value == "1";
        } else if let Some(row) = key.strip_prefix('r').and_then(number) {
            changes.entry(row).or_default();
        } else if let Some((row, column)) = key
            .strip_prefix('c')
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(r, c)| Some((number(r)?, number(c)?)))
        {
            changes
                .entry(row)
                .or_default()
                .cells
                .push((column, value.clone()));
        }
    }
    let changes: Vec<RowChange> = changes
        .into_iter()
        .map(|(row, change)| RowChange { row, ..change })
        .collect();
    match state
        .app
        .fix_import_rows(&ctx.principal(), id, &changes, restore)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/imports/{id}#problem-rows"))),
        Err(counterpart_app::Error::Invalid(errors)) => {
            let why = errors
                .0
                .iter()
                .map(|e| crate::i18n::problem(ctx.lang, &e.problem))
                .collect::<Vec<_>>()
                .join(" ");
            let message = format!("{} {why}", ctx.t().import_fix_refused);
            preview_page(&state, &ctx, id, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Imports what the preview showed, or shows what it would do now if the data changed.
async fn commit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
) -> PageResult {
    match state.app.commit_import(&ctx.principal(), id).await? {
        Committed::Done {
            organization,
            outcome,
            skipped,
        } => Ok(see_other(&format!(
            "/organizations/{organization}?imported={},{},{}&skipped={}",
            outcome.created,
            outcome.updated,
            outcome.unchanged,
            skipped
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ))),
        Committed::Changed => {
            let message = ctx.t().import_changed.to_owned();
            preview_page(&state, &ctx, id, Some(message)).await
        }
    }
}

async fn cancel(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<UploadId>,
) -> PageResult {
    let organization = state.app.cancel_import(&ctx.principal(), id).await?;
    Ok(see_other(&format!("/organizations/{organization}")))
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

/// What we know about an exported organization's people, as rows in the reader's words.
fn export_insights(export: &PeopleExport, t: &Texts) -> Vec<ExportInsight> {
    let emails: HashMap<PersonId, &str> = export
        .people
        .iter()
        .filter_map(|p| Some((p.id?, p.email.as_str())))
        .collect();
    export
        .insights
        .iter()
        .map(|view| {
            let i = &view.insight;
            ExportInsight {
                person_id: i.partner_id,
                person: view.partner_name.clone().unwrap_or_default(),
                person_email: i
                    .partner_id
                    .and_then(|id| emails.get(&id))
                    .map(|e| (*e).to_owned())
                    .unwrap_or_default(),
                account: i
                    .account_id
                    .and_then(|id| export.accounts.get(&id))
                    .cloned()
                    .unwrap_or_default(),
                category: crate::render::insights::category(t, i.category).to_owned(),
                text: i.text.clone(),
                learned_on: i.learned_on.to_string(),
                author: view.author_name.clone(),
                source: view.source_name.clone().unwrap_or_default(),
                certainty: match i.certainty {
                    Certainty::Confirmed => t.insight_confirmed,
                    Certainty::Heard => t.insight_heard,
                }
                .to_owned(),
                valid_until: i.valid_until.map(|d| d.to_string()).unwrap_or_default(),
                confidential: if i.confidential { t.yes } else { t.no }.to_owned(),
            }
        })
        .collect()
}

/// The people of an organization as XLSX, CSV or vCard, in a form that imports back, with
/// what the reader may see about them: a second sheet of the workbook, the vCards' notes, or
/// a CSV file of its own (`format=insights-csv`).
async fn export(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<OrganizationId>,
    Query(q): Query<ExportQuery>,
) -> PageResult {
    use axum::http::header;
    use axum::response::IntoResponse;
    use counterpart_core::exchange::export::{insights_table, people_table, people_vcards};
    use counterpart_core::exchange::write::{write_csv, write_vcards, write_xlsx};
    let export = state
        .app
        .export_people(&ctx.principal(), id, ctx.lang)
        .await?;
    let t = ctx.t();
    let insights = export_insights(&export, t);
    let people = &export.people;
    let org = &export.organization;
    let stem = file_stem(&org.name);
    let (bytes, content_type, stem, extension) = match q.format.as_str() {
        "csv" => (
            write_csv(&people_table(people, ctx.lang)),
            "text/csv; charset=utf-8",
            stem,
            "csv",
        ),
        "insights-csv" => (
            write_csv(&insights_table(&insights, ctx.lang)),
            "text/csv; charset=utf-8",
            format!("{stem}-{}", file_stem(t.insights_title)),
            "csv",
        ),
        "vcf" => (
            write_vcards(&people_vcards(people, &org.name, &insights, ctx.lang)).into_bytes(),
            "text/vcard; charset=utf-8",
            stem,
            "vcf",
        ),
        _ => (
            write_xlsx(&[
                (t.people_title, &people_table(people, ctx.lang)),
                (t.insights_title, &insights_table(&insights, ctx.lang)),
            ])
            .map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            stem,
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
