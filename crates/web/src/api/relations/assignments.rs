//! Counterpart assignments through the API: who of ours holds the relationship to whom,
//! listed by account (as its page shows the counterparts of its key contacts) and by person
//! (as the person page shows them, from either side); assigned, given a contact interval and
//! ended through the use cases of the person and relationship pages; and the ratings of a
//! relationship, read and recorded as on the relationship page. The `ETag` of an assignment
//! is its version; a rating never changes, so its `ETag` is its id.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use counterpart_app::Error;
use counterpart_app::counterparts::{AssignmentFields, RatingFields};
use counterpart_core::account::{AssignmentKind, Health, Rating};
use counterpart_core::ids::{AccountId, AssignmentId, PersonId, RatingId};
use counterpart_store::CounterpartView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiAssignmentKind, ApiHealth, day};
use crate::AppState;
use crate::api::resources::{QueryParams, page, parse_id, plain};
use crate::api::write::{IfMatch, JsonBody, changed, created, created_as, tagged_as, versioned};
use crate::api::{Bearer, Problem, Writer};

/// A counterpart assignment: one of ours holds the relationship to a partner person.
#[derive(Serialize, ToSchema)]
#[schema(as = Assignment)]
pub(crate) struct ApiAssignment {
    /// Its id.
    id: i64,
    /// The partner person (`/people/{id}`).
    partner_id: i64,
    /// Our person who holds the relationship.
    our_id: i64,
    /// Primary (owns it) or deputy (stands in).
    kind: ApiAssignmentKind,
    /// The first day, `YYYY-MM-DD`.
    valid_from: String,
    /// The last day, `YYYY-MM-DD`; null while it holds.
    valid_to: Option<String>,
    /// The latest relationship rating, 1–5; null before the first.
    relationship: Option<i64>,
    /// The traffic light by that rating.
    health: ApiHealth,
    /// The pair's last contact (logged or rated), `YYYY-MM-DD`.
    last_contact_on: Option<String>,
    /// The pair's own expected contact interval in days; null: the default by level and
    /// tier.
    contact_every_days: Option<i64>,
    /// Counts up with every change.
    version: i64,
}

impl ApiAssignment {
    /// The assignment's id.
    fn id(&self) -> i64 {
        self.id
    }
}

impl From<CounterpartView> for ApiAssignment {
    fn from(view: CounterpartView) -> Self {
        let a = view.assignment;
        Self {
            id: a.id.get(),
            partner_id: a.partner_id.get(),
            our_id: a.our_id.get(),
            kind: a.kind.into(),
            valid_from: day(a.valid_from),
            valid_to: a.valid_to.map(day),
            relationship: view.relationship,
            health: Health::of(view.relationship).into(),
            last_contact_on: view.last_contact.map(day),
            contact_every_days: view.contact_every_days,
            version: a.version,
        }
    }
}

/// A page of assignments.
#[derive(Serialize, ToSchema)]
pub(crate) struct AssignmentPage {
    /// The assignments of this page, by id.
    items: Vec<ApiAssignment>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// The page of `views` after `after` (they are by id).
fn paged(
    views: Vec<CounterpartView>,
    query: &QueryParams,
    path: &str,
) -> Result<AssignmentPage, Problem> {
    let (after, limit) = query.seek()?;
    let rows: Vec<CounterpartView> = views
        .into_iter()
        .filter(|v| after.is_none_or(|after| v.assignment.id.get() > after))
        .take(limit as usize + 1)
        .collect();
    let (items, next) = page(rows, limit, query, path, ApiAssignment::id);
    Ok(AssignmentPage { items, next })
}

/// Lists the current counterpart assignments of an account's key contacts by id, a page at a
/// time: the counterparts its page shows.
#[utoipa::path(
    get,
    path = "/accounts/{id}/assignments",
    tag = "counterparts",
    operation_id = "listAccountAssignments",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of current assignments, by id.", body = AssignmentPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn of_account(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["after", "limit"])?;
    query.seek()?;
    let views = state
        .app
        .assignments_of_account(&bearer.principal, account)
        .await?;
    let path = format!("/accounts/{}/assignments", account.get());
    Ok(plain(paged(views, &query, &path)?))
}

/// Lists a person's counterpart assignments by id, a page at a time, from either side: for a
/// partner person who of ours holds them, for one of ours whom they hold.
#[utoipa::path(
    get,
    path = "/people/{id}/assignments",
    tag = "counterparts",
    operation_id = "listPersonAssignments",
    params(
        ("id" = i64, Path, minimum = 0, description = "The person's id."),
        ("ended" = Option<bool>, Query, description = "Include ended assignments (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of the person's assignments, by id.", body = AssignmentPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn of_person(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let person = PersonId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["ended", "after", "limit"])?;
    let history = query.flag("ended")?;
    query.seek()?;
    let views = state
        .app
        .assignments_of_person(&bearer.principal, person, history)
        .await?;
    let path = format!("/people/{}/assignments", person.get());
    Ok(plain(paged(views, &query, &path)?))
}

/// A new counterpart assignment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAssignment {
    /// The partner person: of a partner organization, or one of ours inside the partner
    /// unit of an account of our own house (a neighbouring department).
    partner_id: i64,
    /// One of ours to hold the relationship (not inside the partner's own unit).
    our_id: i64,
    /// Primary or deputy. A new primary ends the current primary the day before.
    kind: ApiAssignmentKind,
    /// The first day, `YYYY-MM-DD`; left out, today.
    #[serde(default)]
    valid_from: Option<String>,
}

/// Assigns one of ours as the counterpart of a partner person, as the person page does; the
/// use case checks both sides (the level-by-level mirror is for the suggestions to weigh,
/// not a rule).
#[utoipa::path(
    post,
    path = "/assignments",
    tag = "counterparts",
    operation_id = "assignCounterpart",
    request_body = NewAssignment,
    responses(
        (status = 201, description = "Assigned; `Location` is its address.", body = ApiAssignment, headers(("Location" = String, description = "The new assignment's address."), ("ETag" = String, description = "Its version."))),
    ),
)]
pub(crate) async fn assign(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<NewAssignment>,
) -> Result<Response, Problem> {
    let fields = AssignmentFields {
        other_id: String::new(),
        our_id: body.our_id.to_string(),
        kind: AssignmentKind::from(body.kind).as_str().to_owned(),
        valid_from: body.valid_from.unwrap_or_else(|| day(state.app.today())),
    };
    // The person named is the partner; one that does not exist is a wrong field, not a
    // wrong address.
    let assignment = match state
        .app
        .assign_counterpart(&bearer.principal, PersonId::new(body.partner_id), &fields)
        .await
    {
        Err(Error::NotFound) => {
            return Err(Problem::bad_field("partner_id", "no such person"));
        }
        other => other?,
    };
    let view = state
        .app
        .assignment_view(&bearer.principal, assignment.id)
        .await?;
    Ok(created(
        format!("/api/v1/assignments/{}", assignment.id.get()),
        assignment.version,
        &ApiAssignment::from(view),
    ))
}

/// One assignment, current or ended.
#[utoipa::path(
    get,
    path = "/assignments/{id}",
    tag = "counterparts",
    operation_id = "getAssignment",
    params(("id" = i64, Path, minimum = 0, description = "The assignment's id.")),
    responses(
        (status = 200, description = "The assignment.", body = ApiAssignment, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change or end it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let view = state.app.assignment_view(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        view.assignment.version,
        &ApiAssignment::from(view),
    ))
}

/// What the relationship page edits of an assignment.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignmentChange {
    /// The pair's own expected contact interval in days, 1 to 730; left out or null, the
    /// default by level and tier.
    #[serde(default)]
    contact_every_days: Option<i64>,
}

/// Sets the pair's own expected contact interval, as the relationship page does.
#[utoipa::path(
    put,
    path = "/assignments/{id}",
    tag = "counterparts",
    operation_id = "updateAssignment",
    params(("id" = i64, Path, minimum = 0, description = "The assignment's id.")),
    request_body = AssignmentChange,
    responses(
        (status = 200, description = "Changed; the assignment as it is now.", body = ApiAssignment, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such assignment.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<AssignmentChange>,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let every = body
        .contact_every_days
        .map(|d| d.to_string())
        .unwrap_or_default();
    state
        .app
        .set_contact_interval(&bearer.principal, id, version, &every)
        .await?;
    let view = state.app.assignment_view(&bearer.principal, id).await?;
    Ok(changed(view.assignment.version, &ApiAssignment::from(view)))
}

/// Ends an assignment (its history stays), as the relationship page's end button does.
#[utoipa::path(
    delete,
    path = "/assignments/{id}",
    tag = "counterparts",
    operation_id = "endAssignment",
    params(
        ("id" = i64, Path, minimum = 0, description = "The assignment's id."),
        ("valid_to" = Option<String>, Query, format = Date, description = "The last day, `YYYY-MM-DD`, not before the first (default today)."),
    ),
    responses(
        (status = 204, description = "Ended: it holds until `valid_to`."),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`valid_to` is no day or lies before the first day; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn end(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["valid_to"])?;
    let valid_to = match query.get("valid_to") {
        Some(v) => v.to_owned(),
        None => day(state.app.today()),
    };
    state
        .app
        .end_assignment(&bearer.principal, id, version, &valid_to)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A rating of a relationship.
#[derive(Serialize, ToSchema)]
#[schema(as = RelationshipRating)]
pub(crate) struct ApiRating {
    /// Its id.
    id: i64,
    /// The assignment rated.
    assignment_id: i64,
    /// The day it speaks for, `YYYY-MM-DD`.
    rated_on: String,
    /// Relationship (Beziehung), 1–5.
    relationship: i64,
    /// Partnership (Partnerschaft), 1–5.
    partnership: i64,
    /// The partner's perceived satisfaction (Zufriedenheit), 1–5.
    satisfaction: i64,
    /// Why.
    comment: Option<String>,
    /// Who rated, by name at the time.
    rated_by_name: String,
}

impl ApiRating {
    /// The rating's id.
    fn id(&self) -> i64 {
        self.id
    }
}

impl From<Rating> for ApiRating {
    fn from(r: Rating) -> Self {
        Self {
            id: r.id.get(),
            assignment_id: r.assignment_id.get(),
            rated_on: day(r.rated_on),
            relationship: r.relationship,
            partnership: r.partnership,
            satisfaction: r.satisfaction,
            comment: r.comment,
            rated_by_name: r.rated_by_name,
        }
    }
}

/// A page of ratings.
#[derive(Serialize, ToSchema)]
pub(crate) struct RatingPage {
    /// The ratings of this page, by id (the order they were recorded in).
    items: Vec<ApiRating>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// Lists the ratings of a relationship by id (the order they were recorded in), a page at a
/// time.
#[utoipa::path(
    get,
    path = "/assignments/{id}/ratings",
    tag = "counterparts",
    operation_id = "listRatings",
    params(
        ("id" = i64, Path, minimum = 0, description = "The assignment's id."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of ratings, by id.", body = RatingPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn ratings(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["after", "limit"])?;
    let (after, limit) = query.seek()?;
    let rows: Vec<Rating> = state
        .app
        .relationship_ratings(&bearer.principal, id)
        .await?
        .into_iter()
        .filter(|r| after.is_none_or(|after| r.id.get() > after))
        .take(limit as usize + 1)
        .collect();
    let path = format!("/assignments/{}/ratings", id.get());
    let (items, next) = page(rows, limit, &query, &path, ApiRating::id);
    Ok(plain(RatingPage { items, next }))
}

/// A rating of a relationship.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewRating {
    /// The day it speaks for, `YYYY-MM-DD`; left out, today.
    #[serde(default)]
    rated_on: Option<String>,
    /// Relationship, 1–5.
    relationship: i64,
    /// Partnership, 1–5.
    partnership: i64,
    /// The partner's perceived satisfaction, 1–5.
    satisfaction: i64,
    /// Why, up to 2,000 characters.
    #[serde(default)]
    comment: Option<String>,
}

/// The address of a rating.
fn rating_address(assignment: AssignmentId, rating: RatingId) -> String {
    format!(
        "/api/v1/assignments/{}/ratings/{}",
        assignment.get(),
        rating.get()
    )
}

/// Rates a relationship, as the relationship page does: a rating is added, never changed.
#[utoipa::path(
    post,
    path = "/assignments/{id}/ratings",
    tag = "counterparts",
    operation_id = "rateRelationship",
    params(("id" = i64, Path, minimum = 0, description = "The assignment's id.")),
    request_body = NewRating,
    responses(
        (status = 201, description = "Recorded; `Location` is its address.", body = ApiRating, headers(("Location" = String, description = "The new rating's address."), ("ETag" = String, description = "Its tag (it never changes)."))),
        (status = 404, description = "No such assignment.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn rate(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewRating>,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let fields = RatingFields {
        rated_on: body.rated_on.unwrap_or_else(|| day(state.app.today())),
        relationship: body.relationship.to_string(),
        partnership: body.partnership.to_string(),
        satisfaction: body.satisfaction.to_string(),
        comment: body.comment.unwrap_or_default(),
    };
    let rating = state
        .app
        .rate_relationship(&bearer.principal, id, &fields)
        .await?;
    let tag = format!("r{}", rating.id.get());
    Ok(created_as(
        rating_address(id, rating.id),
        &tag,
        &ApiRating::from(rating),
    ))
}

/// One rating of a relationship.
#[utoipa::path(
    get,
    path = "/assignments/{id}/ratings/{rating_id}",
    tag = "counterparts",
    operation_id = "getRating",
    params(
        ("id" = i64, Path, minimum = 0, description = "The assignment's id."),
        ("rating_id" = i64, Path, minimum = 0, description = "The rating's id."),
    ),
    responses(
        (status = 200, description = "The rating.", body = ApiRating, headers(("ETag" = String, description = "Its tag, such as \"r12\" (a rating never changes)."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "An id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment, or no such rating of it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn rating(
    State(state): State<AppState>,
    bearer: Bearer,
    Path((id, rating_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = AssignmentId::new(parse_id("id", &id)?);
    let rating_id = RatingId::new(parse_id("rating_id", &rating_id)?);
    let rating = state
        .app
        .relationship_ratings(&bearer.principal, id)
        .await?
        .into_iter()
        .find(|r| r.id == rating_id)
        .ok_or(Error::NotFound)?;
    Ok(tagged_as(
        &headers,
        &format!("r{}", rating_id.get()),
        &ApiRating::from(rating),
    ))
}
