//! What we know about partners through the API: insights (what our people learned about a
//! partner person or an account) and the contact log ([`contacts`]), read, recorded, changed
//! and withdrawn through the use cases the person and account pages call. A confidential
//! insight is there only for those who read it on the pages (its author, their unit and the
//! units above it, administrators); for anyone else it does not exist (404, in no list).

pub(super) mod contacts;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use counterpart_core::ids::{AccountId, InsightId, PersonId};
use counterpart_core::insight::{Category, Certainty, Insight, InsightFields};
use counterpart_store::{InsightFilter, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::resources::{QueryParams, page, parse_id, plain};
use super::write::{IfMatch, JsonBody, changed, created, versioned};
use super::{Bearer, Problem, Writer};
use crate::AppState;

/// What an insight is about, in the brief's words.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = InsightCategory)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiCategory {
    /// What they need.
    Needs,
    /// How satisfied they are.
    Satisfaction,
    /// What they plan or dream of.
    FutureIdeas,
    /// What is changing for them now.
    Developments,
    /// Their environment: market, competitors, their own partners.
    Environment,
    /// Anything else.
    Other,
}

impl From<ApiCategory> for Category {
    fn from(c: ApiCategory) -> Self {
        match c {
            ApiCategory::Needs => Self::Needs,
            ApiCategory::Satisfaction => Self::Satisfaction,
            ApiCategory::FutureIdeas => Self::FutureIdeas,
            ApiCategory::Developments => Self::Developments,
            ApiCategory::Environment => Self::Environment,
            ApiCategory::Other => Self::Other,
        }
    }
}

impl From<Category> for ApiCategory {
    fn from(c: Category) -> Self {
        match c {
            Category::Needs => Self::Needs,
            Category::Satisfaction => Self::Satisfaction,
            Category::FutureIdeas => Self::FutureIdeas,
            Category::Developments => Self::Developments,
            Category::Environment => Self::Environment,
            Category::Other => Self::Other,
        }
    }
}

/// How sure the one who learned it is.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Certainty)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiCertainty {
    /// Heard, not checked.
    Heard,
    /// Confirmed.
    Confirmed,
}

impl From<ApiCertainty> for Certainty {
    fn from(c: ApiCertainty) -> Self {
        match c {
            ApiCertainty::Heard => Self::Heard,
            ApiCertainty::Confirmed => Self::Confirmed,
        }
    }
}

impl From<Certainty> for ApiCertainty {
    fn from(c: Certainty) -> Self {
        match c {
            Certainty::Heard => Self::Heard,
            Certainty::Confirmed => Self::Confirmed,
        }
    }
}

/// What one of ours learned about a partner person or an account.
#[derive(Serialize, ToSchema)]
#[schema(as = Insight)]
pub(crate) struct ApiInsight {
    /// Its id.
    id: i64,
    /// The partner person it is about, if any.
    partner_id: Option<i64>,
    /// The account it is about, if any (at least one of the two is set).
    account_id: Option<i64>,
    /// Its category.
    category: ApiCategory,
    /// What was learned.
    text: String,
    /// When it was learned, `YYYY-MM-DD`.
    learned_on: String,
    /// The user who wrote it down.
    author_id: i64,
    /// The person of our house that user is, if linked (`/people/{id}`).
    author_person_id: Option<i64>,
    /// From whom (a partner person), if said.
    source_id: Option<i64>,
    /// Heard or confirmed.
    certainty: ApiCertainty,
    /// Until when it holds, `YYYY-MM-DD`, if it expires.
    valid_until: Option<String>,
    /// Read only by its author, their unit, the units above it and administrators.
    confidential: bool,
    /// Counts up with every change.
    version: i64,
}

impl ApiInsight {
    /// The insight's id.
    pub(super) fn id(&self) -> i64 {
        self.id
    }
}

impl From<Insight> for ApiInsight {
    fn from(i: Insight) -> Self {
        Self {
            id: i.id.get(),
            partner_id: i.partner_id.map(PersonId::get),
            account_id: i.account_id.map(AccountId::get),
            category: i.category.into(),
            text: i.text,
            learned_on: i.learned_on.to_string(),
            author_id: i.author_id.get(),
            author_person_id: i.author_person_id.map(PersonId::get),
            source_id: i.source_id.map(PersonId::get),
            certainty: i.certainty.into(),
            valid_until: i.valid_until.map(|d| d.to_string()),
            confidential: i.confidential,
            version: i.version,
        }
    }
}

/// A page of insights.
#[derive(Serialize, ToSchema)]
pub(crate) struct InsightPage {
    /// The insights of this page, by id.
    items: Vec<ApiInsight>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// An insight's fields, new or as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct InsightBody {
    /// Its category.
    category: ApiCategory,
    /// What was learned, up to 4,000 characters (line breaks allowed).
    text: String,
    /// When it was learned, `YYYY-MM-DD`; left out: today (on a change: the day it had).
    #[serde(default)]
    learned_on: Option<String>,
    /// From whom (a partner person's id).
    #[serde(default)]
    source_id: Option<i64>,
    /// Heard (the default) or confirmed.
    #[serde(default)]
    certainty: Option<ApiCertainty>,
    /// Until when it holds, `YYYY-MM-DD`, not before it was learned.
    #[serde(default)]
    valid_until: Option<String>,
    /// Read only by its author, their unit, the units above it and administrators. Left out:
    /// false for a new insight; on a change it stays as it is (a change that leaves it out
    /// never opens a confidential insight to everyone).
    #[serde(default)]
    confidential: Option<bool>,
}

impl InsightBody {
    /// The form's fields; `confidential` as given, else `was` (false for a new insight).
    fn fields(&self, was: bool) -> InsightFields {
        InsightFields {
            category: Category::from(self.category).as_str().to_owned(),
            text: self.text.clone(),
            learned_on: self.learned_on.clone().unwrap_or_default(),
            source_id: self.source_id.map(|s| s.to_string()).unwrap_or_default(),
            certainty: self
                .certainty
                .map(|c| Certainty::from(c).as_str().to_owned())
                .unwrap_or_default(),
            valid_until: self.valid_until.clone().unwrap_or_default(),
            confidential: if self.confidential.unwrap_or(was) {
                "1"
            } else {
                ""
            }
            .to_owned(),
        }
    }
}

/// A use case's refusal with the fields it names renamed as the body names them (`also` is
/// the body's `also_ids`, say).
pub(super) fn renamed(error: counterpart_app::Error, names: &[(&str, &'static str)]) -> Problem {
    match error {
        // Two fields of the use case may be one of the body (a contact's day is the day of
        // what was learned in it): named once.
        counterpart_app::Error::Invalid(errors) => Problem::fields(&errors, |field| {
            names
                .iter()
                .find(|(from, _)| *from == field)
                .map_or(field, |(_, to)| to)
                .to_owned()
        }),
        other => other.into(),
    }
}

/// 422 for recording what we learned about a person of our own house: the pages record
/// insights and contacts only about partner people.
pub(super) fn not_a_partner(error: counterpart_app::Error) -> Problem {
    match error {
        counterpart_app::Error::NotApplicable => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "This person is of our own house: insights and contacts are recorded about \
             partner people.",
        ),
        other => other.into(),
    }
}

/// The list filters of insights, read from a query.
fn insight_filter(query: &QueryParams) -> Result<InsightFilter, Problem> {
    Ok(InsightFilter {
        category: query.one_of(
            "category",
            &[
                "needs",
                "satisfaction",
                "future_ideas",
                "developments",
                "environment",
                "other",
            ],
        )?,
        since: query.date("since")?,
    })
}

/// A page of the insights about a subject, as `bearer` may read them.
async fn insight_page(
    state: &AppState,
    bearer: &Bearer,
    subject: Subject,
    path: &str,
    raw: Option<&str>,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw, &["category", "since", "after", "limit"])?;
    let filter = insight_filter(&query)?;
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .insights_after(
            &bearer.principal,
            subject,
            &filter,
            after.map(InsightId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(rows, limit, &query, path, ApiInsight::id);
    Ok(plain(InsightPage { items, next }))
}

/// Lists what we learned about a partner person (that the token's user may read), by id, a
/// page at a time.
#[utoipa::path(
    get,
    path = "/people/{id}/insights",
    tag = "knowledge",
    operation_id = "listPersonInsights",
    params(
        ("id" = i64, Path, minimum = 0, description = "The partner person's id."),
        ("category" = Option<ApiCategory>, Query, description = "Only insights of this category."),
        ("since" = Option<String>, Query, format = Date, description = "Only those learned on this day (`YYYY-MM-DD`) or later."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of insights, by id.", body = InsightPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn person_insights(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let person = PersonId::new(parse_id("id", &id)?);
    let path = format!("/people/{}/insights", person.get());
    insight_page(
        &state,
        &bearer,
        Subject::Person(person),
        &path,
        raw.as_deref(),
    )
    .await
}

/// Lists what we learned about an account and its key contacts (that the token's user may
/// read), by id, a page at a time: what the account page shows.
#[utoipa::path(
    get,
    path = "/accounts/{id}/insights",
    tag = "knowledge",
    operation_id = "listAccountInsights",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("category" = Option<ApiCategory>, Query, description = "Only insights of this category."),
        ("since" = Option<String>, Query, format = Date, description = "Only those learned on this day (`YYYY-MM-DD`) or later."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of insights, by id.", body = InsightPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn account_insights(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let path = format!("/accounts/{}/insights", account.get());
    insight_page(
        &state,
        &bearer,
        Subject::Account(account),
        &path,
        raw.as_deref(),
    )
    .await
}

/// 201 for a recorded insight.
fn recorded(insight: Insight) -> Response {
    created(
        format!("/api/v1/insights/{}", insight.id.get()),
        insight.version,
        &ApiInsight::from(insight),
    )
}

/// Records what the token's user learned about a partner person.
#[utoipa::path(
    post,
    path = "/people/{id}/insights",
    tag = "knowledge",
    operation_id = "createPersonInsight",
    params(("id" = i64, Path, minimum = 0, description = "The partner person's id.")),
    request_body = InsightBody,
    responses(
        (status = 201, description = "Recorded; `Location` is its address.", body = ApiInsight, headers(("Location" = String, description = "The new insight's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_person_insight(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<InsightBody>,
) -> Result<Response, Problem> {
    let person = PersonId::new(parse_id("id", &id)?);
    let insight = state
        .app
        .record_insight(&bearer.principal, Some(person), None, &body.fields(false))
        .await
        .map_err(not_a_partner)?;
    Ok(recorded(insight))
}

/// Records what the token's user learned about an account.
#[utoipa::path(
    post,
    path = "/accounts/{id}/insights",
    tag = "knowledge",
    operation_id = "createAccountInsight",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    request_body = InsightBody,
    responses(
        (status = 201, description = "Recorded; `Location` is its address.", body = ApiInsight, headers(("Location" = String, description = "The new insight's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such account.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_account_insight(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<InsightBody>,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let insight = state
        .app
        .record_insight(&bearer.principal, None, Some(account), &body.fields(false))
        .await?;
    Ok(recorded(insight))
}

/// One insight (404 for one withdrawn, or confidential and not for the token's user).
#[utoipa::path(
    get,
    path = "/insights/{id}",
    tag = "knowledge",
    operation_id = "getInsight",
    params(("id" = i64, Path, minimum = 0, description = "The insight's id.")),
    responses(
        (status = 200, description = "The insight.", body = ApiInsight, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change or withdraw it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such insight (or withdrawn, or not for the token's user).", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn insight(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = InsightId::new(parse_id("id", &id)?);
    let insight = state.app.insight(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        insight.version,
        &ApiInsight::from(insight),
    ))
}

/// Changes an insight: its author's, or any for an administrator (the audit log keeps the
/// earlier wording). Others are told 403, as on the pages.
#[utoipa::path(
    put,
    path = "/insights/{id}",
    tag = "knowledge",
    operation_id = "updateInsight",
    params(("id" = i64, Path, minimum = 0, description = "The insight's id.")),
    request_body = InsightBody,
    responses(
        (status = 200, description = "Changed; the insight as it is now.", body = ApiInsight, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such insight (or withdrawn, or not for the token's user).", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_insight(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<InsightBody>,
) -> Result<Response, Problem> {
    let id = InsightId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    // One the user may not read does not exist for them, here as in every list.
    let current = state.app.insight(who, id).await?;
    let insight = state
        .app
        .edit_insight(who, id, version, &body.fields(current.confidential))
        .await?;
    Ok(changed(insight.version, &ApiInsight::from(insight)))
}

/// Withdraws an insight: its author's, or any for an administrator. It is kept in the
/// history and no longer shown anywhere.
#[utoipa::path(
    delete,
    path = "/insights/{id}",
    tag = "knowledge",
    operation_id = "withdrawInsight",
    params(("id" = i64, Path, minimum = 0, description = "The insight's id.")),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 404, description = "No such insight (or withdrawn already, or not for the token's user).", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn withdraw_insight(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<Response, Problem> {
    let id = InsightId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    state.app.insight(who, id).await?;
    state.app.withdraw_insight(who, id, version).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
