//! Choosing one person among thousands: a search field that lists matches as you type (htmx),
//! each match a radio button, so that the keyboard and a screen reader use it like any radio
//! group. A page costs what its subject's neighbourhood costs: no picker lists a whole
//! organization, and anyone in it can be found.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_store::{PersonSummary, Pick, Store, StoreError};

use super::{PageResult, render};
use crate::AppState;
use crate::context::{Ctx, Viewer};
use crate::error::AppError;
use crate::i18n;

/// Matches shown at most; the user narrows the search to find others.
const RESULTS: i64 = 20;
/// Letters a search needs before it runs.
const MIN_QUERY: usize = 2;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/pick", get(results))
}

/// Whom a picker offers, as its URL names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PickScope {
    /// The people of one organization.
    Organization(OrganizationId),
    /// The key contacts of every account.
    KeyContacts,
}

impl PickScope {
    fn key(self) -> String {
        match self {
            Self::Organization(id) => format!("org-{id}"),
            Self::KeyContacts => "key-contacts".to_owned(),
        }
    }

    fn parse(key: &str) -> Option<Self> {
        match key {
            "key-contacts" => Some(Self::KeyContacts),
            _ => key
                .strip_prefix("org-")?
                .parse()
                .ok()
                .map(|id| Self::Organization(OrganizationId::new(id))),
        }
    }

    fn store_scope(self) -> Pick {
        match self {
            Self::Organization(id) => Pick::Organization(id),
            Self::KeyContacts => Pick::KeyContacts,
        }
    }
}

/// One choice of a picker.
#[derive(Clone, Debug)]
pub(crate) struct PickOption {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

/// A person picker as a form shows it (`picker.html`).
#[derive(Clone, Debug)]
pub(crate) struct Picker {
    /// The form field that carries the chosen person's id.
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    scope: String,
    pub(crate) required: bool,
    /// The label of the "nobody" choice of an optional picker.
    pub(crate) none_label: Option<&'static str>,
    pub(crate) options: Vec<PickOption>,
    pub(crate) error: Option<String>,
}

impl Picker {
    /// A picker over a scope, nothing chosen yet.
    pub(crate) fn new(name: &'static str, label: &'static str, scope: PickScope) -> Self {
        Self {
            name,
            label,
            scope: scope.key(),
            required: false,
            none_label: None,
            options: Vec::new(),
            error: None,
        }
    }

    /// The element id.
    pub(crate) fn id(&self) -> String {
        format!("f-{}", self.name)
    }

    /// The URL the search field asks as the user types.
    pub(crate) fn search_url(&self) -> String {
        let optional = if self.none_label.is_some() {
            "&optional=1"
        } else {
            ""
        };
        format!("/pick?scope={}&name={}{optional}", self.scope, self.name)
    }

    /// The person chosen now, checked and shown first.
    pub(crate) fn current(mut self, value: String, label: String) -> Self {
        self.options.insert(
            0,
            PickOption {
                value,
                label,
                checked: true,
            },
        );
        self
    }

    /// An optional picker with a "nobody" choice.
    pub(crate) fn optional(mut self, none_label: &'static str) -> Self {
        self.none_label = Some(none_label);
        self
    }

    /// A picker that needs a choice.
    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Whether the "nobody" choice is the chosen one.
    pub(crate) fn nobody_chosen(&self) -> bool {
        !self.options.iter().any(|o| o.checked)
    }
}

/// How a person reads in a picker: "Weiß, Jürgen – Head of purchasing".
pub(crate) fn pick_label(s: &PersonSummary) -> String {
    let given = s.person.given_name.as_deref().unwrap_or("");
    let name = if given.is_empty() {
        s.person.family_name.clone()
    } else {
        format!("{}, {given}", s.person.family_name)
    };
    match &s.person.job_title {
        Some(title) => format!("{name} – {title}"),
        None => name,
    }
}

/// The label of a stored person id for a picker's current choice, if the person exists.
pub(crate) async fn current_label(store: &Store, id: &str) -> Result<Option<String>, StoreError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    Ok(store
        .persons(&[PersonId::new(id)])
        .await?
        .remove(&PersonId::new(id))
        .map(|p| p.label()))
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
/// choice kept first.
async fn results(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(params): Query<HashMap<String, String>>,
) -> PageResult {
    let scope = params
        .get("scope")
        .and_then(|s| PickScope::parse(s))
        .ok_or(AppError::BadRequest)?;
    // The field name comes back into the page: only our own names, a short identifier.
    let name: &'static str = match params.get("name").map(String::as_str) {
        Some("reports_to_id") => "reports_to_id",
        Some("assistant_of_id") => "assistant_of_id",
        Some("other_id") => "other_id",
        Some("person_id") => "person_id",
        Some("manager_id") => "manager_id",
        _ => return Err(AppError::BadRequest),
    };
    let query = params
        .get(&format!("{name}_q"))
        .map(|q| q.trim())
        .unwrap_or("");
    let mut picker = Picker::new(name, "", scope);
    if params.get("optional").is_some_and(|o| o == "1") {
        picker = picker.optional(ctx.t().nobody_option);
    }
    let current = params.get(name).filter(|v| !v.is_empty()).cloned();
    if let Some(current) = &current
        && let Some(label) = current_label(state.store(), current).await?
    {
        picker = picker.current(current.clone(), label);
    }
    let found = if query.chars().count() < MIN_QUERY {
        None
    } else {
        let found = state
            .store()
            .search_pickable(query, scope.store_scope(), RESULTS)
            .await?;
        let count = found.len();
        for (summary, extra) in found {
            let value = summary.person.id.to_string();
            if current.as_deref() == Some(value.as_str()) {
                continue;
            }
            let mut label = pick_label(&summary);
            if !extra.is_empty() {
                label.push_str(&format!(" ({extra})"));
            }
            picker.options.push(PickOption {
                value,
                label,
                checked: false,
            });
        }
        Some(count)
    };
    Ok(fragment(&ctx, &picker, found))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_their_keys() {
        for scope in [
            PickScope::Organization(OrganizationId::new(7)),
            PickScope::KeyContacts,
        ] {
            assert_eq!(PickScope::parse(&scope.key()), Some(scope));
        }
        assert_eq!(PickScope::parse("org-x"), None);
        assert_eq!(PickScope::parse("everyone"), None);
    }
}
