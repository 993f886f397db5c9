//! The access report (Art. 15 DSGVO): everything stored about one person, as a printable page
//! and as a JSON download. Producing either is audited by the use case.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use counterpart_app::privacy::Access;
use counterpart_core::ids::PersonId;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::{PageResult, page};

/// One stored row as shown: its filled fields, labelled.
struct Record {
    fields: Vec<(String, String)>,
}

/// One section of the report as shown.
struct SectionView {
    id: &'static str,
    title: &'static str,
    table: &'static str,
    count: String,
    records: Vec<Record>,
}

#[derive(Template)]
#[template(path = "privacy/access.html")]
struct AccessPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    person_id: PersonId,
    name: String,
    produced: String,
    produced_by: String,
    sections: Vec<SectionView>,
}

/// A stored value in words: text as it is, numbers as written, nothing for NULL.
fn shown(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn label(t: &Texts, column: &str) -> String {
    match t.field_label(column) {
        "" => column.to_owned(),
        label => label.to_owned(),
    }
}

/// `GET /privacy/people/{id}/access`: the printable report.
pub(super) async fn report(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<PersonId>,
) -> PageResult {
    let t = ctx.t();
    let access = state.app.access_report(&ctx.principal(), id).await?;
    let sections = access
        .report
        .sections
        .iter()
        .map(|s| SectionView {
            id: s.key,
            title: t.access_section(&s.section),
            table: s.table,
            count: t.entries(s.rows.len()),
            records: s
                .rows
                .iter()
                .map(|row| Record {
                    fields: s
                        .columns
                        .iter()
                        .filter_map(|c| {
                            row.get(c).and_then(shown).map(|value| (label(t, c), value))
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(page(&AccessPage {
        person_id: id,
        name: access.person.display_name(),
        produced: ctx.datetime(&access.report.produced_at),
        produced_by: access.produced_by.clone(),
        sections,
        t,
        ctx: &ctx,
    }))
}

/// The report as JSON: the person, when and by whom, and each section by its key with the
/// table, the columns and every row (NULLs included).
fn report_json(access: &Access) -> Value {
    let sections: Map<String, Value> = access
        .report
        .sections
        .iter()
        .map(|s| {
            (
                s.key.to_owned(),
                json!({
                    "table": s.table,
                    "columns": s.columns,
                    "rows": s.rows,
                }),
            )
        })
        .collect();
    json!({
        "format": "counterpart-access-report",
        "version": 1,
        "person": {
            "id": access.person.id,
            "name": access.person.display_name(),
        },
        "user_id": access.report.user,
        "produced_at": access.report.produced_at,
        "produced_by": access.produced_by,
        "sections": sections,
    })
}

/// `GET /privacy/people/{id}/access.json`: the report as a download.
pub(super) async fn json(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<PersonId>,
) -> Result<Response, AppError> {
    let access = state.app.access_report(&ctx.principal(), id).await?;
    let body = serde_json::to_string_pretty(&report_json(&access))
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"access-report-person-{id}.json\""),
            ),
        ],
        body,
    )
        .into_response())
}
