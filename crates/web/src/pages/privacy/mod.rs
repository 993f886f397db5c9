//! Data protection for administrators: the records of processing (Art. 30 DSGVO) generated
//! from the table registry, with the search for a person (`/privacy`), and the access report
//! about one person (Art. 15 DSGVO) as a printable page and as a JSON download (`access.rs`),
//! the erasure of one person (Art. 17 DSGVO, `erase.rs`) and the retention review with its
//! bulk erasure (`retention.rs`).

mod access;
mod erase;
mod retention;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use counterpart_core::ids::PersonId;
use counterpart_store::registry::{Purpose, Table};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::Texts;
use crate::render::picker::{PickScope, Picker};
use crate::render::{PageResult, page, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/privacy", get(overview))
        .route("/privacy/access", get(find))
        .route("/privacy/people/{id}/access", get(access::report))
        .route("/privacy/people/{id}/access.json", get(access::json))
        .route(
            "/privacy/people/{id}/erase",
            get(erase::confirm).post(erase::erase),
        )
        .route("/privacy/retention", get(retention::review))
        .route("/privacy/retention/erase", post(retention::erase))
}

/// One table as the records of processing list it.
struct TableRow {
    name: &'static str,
    personal: String,
    retention: &'static str,
    audience: &'static str,
    backup: &'static str,
}

/// The tables of one purpose.
struct PurposeGroup {
    id: String,
    name: &'static str,
    reason: &'static str,
    tables: Vec<TableRow>,
}

#[derive(Template)]
#[template(path = "privacy/index.html")]
struct PrivacyPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    picker: Picker,
    groups: Vec<PurposeGroup>,
    erased: bool,
    years: i64,
}

/// The tables grouped by purpose, in the order of the purposes, each in load order.
fn groups(t: &'static Texts, tables: &[&'static Table]) -> Vec<PurposeGroup> {
    let mut purposes: Vec<Purpose> = tables.iter().map(|t| t.purpose).collect();
    purposes.sort();
    purposes.dedup();
    purposes
        .into_iter()
        .map(|purpose| PurposeGroup {
            id: format!("purpose-{}", format!("{purpose:?}").to_lowercase()),
            name: t.purpose(&purpose),
            reason: t.purpose_reason(&purpose),
            tables: tables
                .iter()
                .filter(|table| table.purpose == purpose)
                .map(|table| {
                    let mut columns: Vec<&str> = Vec::new();
                    for column in table.personal_columns() {
                        if !columns.contains(&column) {
                            columns.push(column);
                        }
                    }
                    TableRow {
                        name: table.name,
                        personal: if columns.is_empty() {
                            t.privacy_no_link.to_owned()
                        } else {
                            columns.join(", ")
                        },
                        retention: t.retention(&table.retention),
                        audience: t.audience(&table.audience),
                        backup: t.holds(&table.holds),
                    }
                })
                .collect(),
        })
        .collect()
}

/// `GET /privacy`: the records of processing and the search for a person.
#[derive(Deserialize)]
struct OverviewQuery {
    #[serde(default)]
    erased: Option<String>,
}

async fn overview(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Query(q): Query<OverviewQuery>,
) -> PageResult {
    let t = ctx.t();
    let tables = state.app.records_of_processing(&ctx.principal())?;
    let picker = Picker::new("person_id", t.privacy_person, PickScope::Everyone).required();
    Ok(page(&PrivacyPage {
        ctx: &ctx,
        t,
        picker,
        groups: groups(t, &tables),
        erased: q.erased.is_some(),
        years: counterpart_app::erasure::REVIEW_YEARS_DEFAULT,
    }))
}

#[derive(Deserialize)]
struct FindQuery {
    #[serde(default)]
    person_id: String,
}

/// `GET /privacy/access?person_id=…`: the picker's choice, on to that person's report (back
/// to the search when nobody was chosen).
async fn find(Admin(_ctx): Admin, Query(q): Query<FindQuery>) -> Response {
    match q.person_id.trim().parse::<PersonId>() {
        Ok(id) => see_other(&format!("/privacy/people/{id}/access")),
        Err(_) => see_other("/privacy"),
    }
}
