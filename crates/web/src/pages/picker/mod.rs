//! Choosing one person or unit among thousands: a search field that lists matches as you type
//! (htmx), each match a radio button, so that the keyboard and a screen reader use it like any
//! radio group. A page costs what its subject's neighbourhood costs: no picker lists a whole
//! organization, and anyone and any unit in it can be found.

use std::collections::HashMap;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::error::AppError;
use crate::i18n;
use crate::render::picker::{
    PickOption, PickScope, Picker, current_label, organization_label, pick_label, unit_label,
};
use crate::render::{PageResult, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use counterpart_store::Pick;

/// Matches shown at most; the user narrows the search to find others.
const RESULTS: i64 = 20;
/// Letters a search needs before it runs.
const MIN_QUERY: usize = 2;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/pick", get(results))
}

/// The options fragment the search field swaps in.
#[derive(Template)]
#[template(path = "picker_options.html")]
struct OptionsFragment<'a> {
    picker: &'a Picker,
    status: String,
}

/// Renders a picker's options with the line that says what was found.
pub(crate) fn options_status(ctx: &Ctx, found: Option<usize>) -> String {
    match found {
        None => ctx.t().picker_type_more.to_owned(),
        Some(n) => i18n::matches(ctx.lang, n, RESULTS as usize),
    }
}

/// `GET /pick?scope=…&name=…&{name}_q=…&{name}=…`: the matches of a search, with the current
/// choice kept first. The "nobody" choice of an optional picker stays in the page, outside
/// what this replaces.
async fn results(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(params): Query<HashMap<String, String>>,
) -> PageResult {
    let scope = params
        .get("scope")
        .and_then(|s| PickScope::parse(s))
        .ok_or(AppError::BadRequest)?;
    // Everyone, deactivated people too, is the data protection search's: administrators only.
    if scope == PickScope::Everyone && !ctx.is_admin() {
        return Err(AppError::Forbidden);
    }
    // The field name comes back into the page: only our own names, a short identifier.
    let name: &'static str = match params.get("name").map(String::as_str) {
        Some("reports_to_id") => "reports_to_id",
        Some("assistant_of_id") => "assistant_of_id",
        Some("other_id") => "other_id",
        Some("person_id") => "person_id",
        Some("manager_id") => "manager_id",
        Some("unit_id") => "unit_id",
        Some("parent_id") => "parent_id",
        Some("responsible_unit_id") => "responsible_unit_id",
        Some("rule_unit_id") => "rule_unit_id",
        Some("unit") => "unit",
        Some("organization_id") => "organization_id",
        _ => return Err(AppError::BadRequest),
    };
    let query = params
        .get(&format!("{name}_q"))
        .map(|q| q.trim())
        .unwrap_or("");
    let mut picker = Picker::new(name, "", scope);
    let current = params.get(name).filter(|v| !v.is_empty()).cloned();
    if let Some(current) = &current
        && let Some(label) = current_label(&state.app, &ctx.principal(), scope, current).await?
    {
        picker = picker.current(current.clone(), label);
    }
    let found = if query.chars().count() < MIN_QUERY {
        None
    } else {
        let found = matches(&state, &ctx, scope, query).await?;
        let count = found.len();
        picker.options.extend(
            found
                .into_iter()
                .filter(|o| current.as_deref() != Some(o.value.as_str())),
        );
        Some(count)
    };
    Ok(fragment(&ctx, &picker, found))
}

/// The first [`RESULTS`] people or units of a scope that a search finds, as choices.
async fn matches(
    state: &AppState,
    ctx: &Ctx,
    scope: PickScope,
    query: &str,
) -> Result<Vec<PickOption>, AppError> {
    let who = ctx.principal();
    let option = |value: String, label: String| PickOption {
        value,
        label,
        checked: false,
    };
    let people = match scope {
        PickScope::Units(org) => {
            let found = state.app.search_units(&who, org, query, RESULTS).await?;
            return Ok(found
                .into_iter()
                .map(|u| option(u.id.to_string(), unit_label(&u.name, u.parent.as_deref())))
                .collect());
        }
        PickScope::Organizations | PickScope::Partners => {
            let found = state.app.search_organizations(&who, query, RESULTS).await?;
            return Ok(found
                .into_iter()
                .map(|(id, name, kind)| {
                    option(
                        id.to_string(),
                        organization_label(ctx.t(), scope, &name, kind),
                    )
                })
                .collect());
        }
        PickScope::Organization(id) => Pick::Organization(id),
        PickScope::KeyContacts => Pick::KeyContacts,
        PickScope::Everyone => Pick::Everyone,
    };
    let found = state
        .app
        .search_pickable(&who, query, people, RESULTS)
        .await?;
    Ok(found
        .into_iter()
        .map(|(summary, extra)| {
            let mut label = pick_label(&summary);
            if !extra.is_empty() {
                label.push_str(&format!(" ({extra})"));
            }
            option(summary.person.id.to_string(), label)
        })
        .collect())
}

fn fragment(ctx: &Ctx, picker: &Picker, found: Option<usize>) -> Response {
    render(
        &OptionsFragment {
            picker,
            status: options_status(ctx, found),
        },
        axum::http::StatusCode::OK,
    )
}
