//! Changing master data through the API: organizations, their units, people and their
//! positions (and two records of one human merged), accounts. Each write calls the use case the form calls (so the same rules,
//! checks and audit rows apply), takes the version the client read from `If-Match`, and
//! answers with the resource as it is now and its new `ETag`.
//!
//! An update is a `PUT` of every field the form edits: a field left out is emptied, as the
//! form's empty field would be. `active` is the one exception: left out, it stays as it is.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use counterpart_app::people::PositionFields;
use counterpart_core::account::{AccountFields, ManagementMode, Relation};
use counterpart_core::ids::{AccountId, OrganizationId, PersonId, UnitId};
use counterpart_core::org::{OrganizationInput, OrganizationKind, UnitInput, UnitKind};
use counterpart_core::person::PersonFields;
use counterpart_store::{PeopleFilter, PositionView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::knowledge::renamed;
use super::resources::{
    ApiAccount, ApiManagementMode, ApiOrganization, ApiOrganizationKind, ApiPerson, ApiRelation,
    ApiUnit, ApiUnitKind, QueryParams, page, parse_id, plain, tagged,
};
use super::write::{IfMatch, JsonBody, changed, created, versioned};
use super::{Problem, Writer};
use crate::AppState;
use crate::api::Bearer;

/// An id as the form sends it: empty for none.
fn id_text(id: Option<i64>) -> String {
    id.map(|id| id.to_string()).unwrap_or_default()
}

/// A new organization.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewOrganization {
    /// Its name, 1 to 200 characters.
    name: String,
    /// Own, external or internal (only one organization can be our own).
    kind: ApiOrganizationKind,
    /// Free notes, up to 4,000 characters.
    #[serde(default)]
    notes: Option<String>,
}

/// An organization's fields as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrganizationChange {
    /// Its name, 1 to 200 characters.
    name: String,
    /// Own, external or internal.
    kind: ApiOrganizationKind,
    /// Free notes, up to 4,000 characters; left out, they are emptied.
    #[serde(default)]
    notes: Option<String>,
    /// False to deactivate, true to reactivate; left out, it stays as it is.
    #[serde(default)]
    active: Option<bool>,
}

fn organization_input(
    name: &str,
    kind: ApiOrganizationKind,
    notes: Option<&str>,
) -> Result<OrganizationInput, Problem> {
    Ok(OrganizationInput::parse(
        name,
        OrganizationKind::from(kind).as_str(),
        notes.unwrap_or(""),
    )?)
}

/// Creates an organization.
#[utoipa::path(
    post,
    path = "/organizations",
    tag = "organizations",
    operation_id = "createOrganization",
    request_body = NewOrganization,
    responses(
        (status = 201, description = "Created; `Location` is its address.", body = ApiOrganization, headers(("Location" = String, description = "The new organization's address."), ("ETag" = String, description = "Its version."))),
        (status = 409, description = "Refused: there is an own organization already.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_organization(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<NewOrganization>,
) -> Result<Response, Problem> {
    let input = organization_input(&body.name, body.kind, body.notes.as_deref())?;
    let organization = state
        .app
        .create_organization(&bearer.principal, &input)
        .await?;
    let location = format!("/api/v1/organizations/{}", organization.id.get());
    Ok(created(
        location,
        organization.version,
        &ApiOrganization::from(organization),
    ))
}

/// Changes an organization.
#[utoipa::path(
    put,
    path = "/organizations/{id}",
    tag = "organizations",
    operation_id = "updateOrganization",
    params(("id" = i64, Path, minimum = 0, description = "The organization's id.")),
    request_body = OrganizationChange,
    responses(
        (status = 200, description = "Changed; the organization as it is now.", body = ApiOrganization, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "Refused: a second own organization, or deactivating our own.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_organization(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<OrganizationChange>,
) -> Result<Response, Problem> {
    let id = OrganizationId::new(parse_id("id", &id)?);
    let input = organization_input(&body.name, body.kind, body.notes.as_deref())?;
    let who = &bearer.principal;
    let mut organization = state
        .app
        .update_organization(who, id, version, &input)
        .await?;
    if let Some(active) = body.active.filter(|a| *a != organization.active) {
        organization = state
            .app
            .set_organization_active(who, id, organization.version, active)
            .await?;
    }
    Ok(changed(
        organization.version,
        &ApiOrganization::from(organization),
    ))
}

/// A new unit.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewUnit {
    /// Its name, 1 to 200 characters.
    name: String,
    /// Its kind.
    kind: ApiUnitKind,
    /// The unit above it (of the same organization); left out for a top unit.
    #[serde(default)]
    parent_id: Option<i64>,
}

/// A unit's fields as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct UnitChange {
    /// Its name, 1 to 200 characters.
    name: String,
    /// Its kind.
    kind: ApiUnitKind,
    /// The unit above it (of the same organization, not below it); left out, it becomes a
    /// top unit.
    #[serde(default)]
    parent_id: Option<i64>,
    /// False to deactivate, true to reactivate; left out, it stays as it is.
    #[serde(default)]
    active: Option<bool>,
}

fn unit_input(name: &str, kind: ApiUnitKind, parent: Option<i64>) -> Result<UnitInput, Problem> {
    Ok(UnitInput::parse(
        name,
        UnitKind::from(kind).as_str(),
        &id_text(parent),
    )?)
}

/// A unit as the API shows it, with its depth in its organization's tree.
async fn unit_answer(
    state: &AppState,
    bearer: &Bearer,
    id: UnitId,
) -> Result<(i64, ApiUnit), Problem> {
    let (unit, _) = state.app.unit(&bearer.principal, id).await?;
    let node = state
        .app
        .unit_tree(&bearer.principal, unit.organization_id)
        .await?
        .into_iter()
        .find(|n| n.unit.id == id)
        .ok_or(Problem::from(counterpart_app::Error::NotFound))?;
    Ok((node.unit.version, ApiUnit::from(node)))
}

/// One unit.
#[utoipa::path(
    get,
    path = "/units/{id}",
    tag = "organizations",
    operation_id = "getUnit",
    params(("id" = i64, Path, minimum = 0, description = "The unit's id.")),
    responses(
        (status = 200, description = "The unit.", body = ApiUnit, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such unit.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn unit(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = UnitId::new(parse_id("id", &id)?);
    let (version, unit) = unit_answer(&state, &bearer, id).await?;
    Ok(versioned(&headers, version, &unit))
}

/// Creates a unit in an organization.
#[utoipa::path(
    post,
    path = "/organizations/{id}/units",
    tag = "organizations",
    operation_id = "createUnit",
    params(("id" = i64, Path, minimum = 0, description = "The organization's id.")),
    request_body = NewUnit,
    responses(
        (status = 201, description = "Created; `Location` is its address.", body = ApiUnit, headers(("Location" = String, description = "The new unit's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_unit(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewUnit>,
) -> Result<Response, Problem> {
    let organization = OrganizationId::new(parse_id("id", &id)?);
    let input = unit_input(&body.name, body.kind, body.parent_id)?;
    let unit = state
        .app
        .create_unit(&bearer.principal, organization, &input)
        .await?;
    let (version, answer) = unit_answer(&state, &bearer, unit.id).await?;
    Ok(created(
        format!("/api/v1/units/{}", unit.id.get()),
        version,
        &answer,
    ))
}

/// Changes a unit: renames it, moves it under another unit, deactivates it.
#[utoipa::path(
    put,
    path = "/units/{id}",
    tag = "organizations",
    operation_id = "updateUnit",
    params(("id" = i64, Path, minimum = 0, description = "The unit's id.")),
    request_body = UnitChange,
    responses(
        (status = 200, description = "Changed; the unit as it is now.", body = ApiUnit, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such unit.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_unit(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<UnitChange>,
) -> Result<Response, Problem> {
    let id = UnitId::new(parse_id("id", &id)?);
    let input = unit_input(&body.name, body.kind, body.parent_id)?;
    let who = &bearer.principal;
    let unit = state.app.update_unit(who, id, version, &input).await?;
    if let Some(active) = body.active.filter(|a| *a != unit.active) {
        state
            .app
            .set_unit_active(who, id, unit.version, active)
            .await?;
    }
    let (version, answer) = unit_answer(&state, &bearer, id).await?;
    Ok(changed(version, &answer))
}

/// A page of people.
#[derive(Serialize, ToSchema)]
pub(crate) struct PersonPage {
    /// The people of this page, by id.
    pub(super) items: Vec<ApiPerson>,
    /// The address of the next page (path and query), or null on the last.
    pub(super) next: Option<String>,
}

/// Lists the people of an organization by id, a page at a time: all of them, those of one
/// unit, or those with one e-mail address (how an HR system finds whom it has sent before).
#[utoipa::path(
    get,
    path = "/organizations/{id}/people",
    tag = "people",
    operation_id = "listOrganizationPeople",
    params(
        ("id" = i64, Path, minimum = 0, description = "The organization's id."),
        ("unit" = Option<i64>, Query, minimum = 0, description = "Only the people of this unit."),
        ("email" = Option<String>, Query, min_length = 1, description = "Only those with this e-mail address (compared without regard to case)."),
        ("inactive" = Option<bool>, Query, description = "Include deactivated ones (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of people, by id.", body = PersonPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn organization_people(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let organization = OrganizationId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(
        raw.as_deref(),
        &["unit", "email", "inactive", "after", "limit"],
    )?;
    let email = query.get("email").map(str::to_owned);
    if email.as_ref().is_some_and(|e| e.chars().count() > 254) {
        return Err(Problem::bad_param("email", "at most 254 characters"));
    }
    let filter = PeopleFilter {
        unit_id: query.id("unit")?.map(UnitId::new),
        email,
        include_inactive: query.flag("inactive")?,
    };
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .people_after(
            &bearer.principal,
            organization,
            &filter,
            after.map(PersonId::new),
            limit + 1,
        )
        .await?;
    let path = format!("/organizations/{}/people", organization.get());
    let (items, next) = page(rows, limit, &query, &path, |p: &ApiPerson| p.id());
    Ok(plain(PersonPage { items, next }))
}

/// A person's fields, new or as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonBody {
    /// Given name(s).
    #[serde(default)]
    given_name: Option<String>,
    /// Family name (required).
    family_name: String,
    /// Academic title, e.g. "Dr.".
    #[serde(default)]
    academic_title: Option<String>,
    /// Job title in the person's own organization.
    #[serde(default)]
    job_title: Option<String>,
    /// Rung on the shared ladder.
    #[serde(default)]
    level_id: Option<i64>,
    /// Function (sales, assistant…).
    #[serde(default)]
    function_id: Option<i64>,
    /// Unit of the person's organization.
    #[serde(default)]
    unit_id: Option<i64>,
    /// Direct manager, a person of the same organization.
    #[serde(default)]
    reports_to_id: Option<i64>,
    /// The boss this person assists, a person of the same organization.
    #[serde(default)]
    assistant_of_id: Option<i64>,
    /// E-mail address.
    #[serde(default)]
    email: Option<String>,
    /// Office phone.
    #[serde(default)]
    phone: Option<String>,
    /// Mobile phone.
    #[serde(default)]
    mobile: Option<String>,
    /// Free notes.
    #[serde(default)]
    notes: Option<String>,
    /// On a change only: false to deactivate, true to reactivate; left out, it stays as it
    /// is. A new person is active.
    #[serde(default)]
    active: Option<bool>,
}

impl PersonBody {
    fn fields(&self) -> PersonFields {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        PersonFields {
            given_name: text(&self.given_name),
            family_name: self.family_name.clone(),
            academic_title: text(&self.academic_title),
            job_title: text(&self.job_title),
            level_id: id_text(self.level_id),
            function_id: id_text(self.function_id),
            unit_id: id_text(self.unit_id),
            reports_to_id: id_text(self.reports_to_id),
            assistant_of_id: id_text(self.assistant_of_id),
            email: text(&self.email),
            phone: text(&self.phone),
            mobile: text(&self.mobile),
            notes: text(&self.notes),
        }
    }
}

/// Creates a person in an organization, in their first position from today.
#[utoipa::path(
    post,
    path = "/organizations/{id}/people",
    tag = "people",
    operation_id = "createPerson",
    params(("id" = i64, Path, minimum = 0, description = "The organization's id.")),
    request_body = PersonBody,
    responses(
        (status = 201, description = "Created; `Location` is their address.", body = ApiPerson, headers(("Location" = String, description = "The new person's address."), ("ETag" = String, description = "Their version."))),
        (status = 404, description = "No such organization.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_person(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<PersonBody>,
) -> Result<Response, Problem> {
    let organization = OrganizationId::new(parse_id("id", &id)?);
    if body.active == Some(false) {
        return Err(Problem::bad_field(
            "active",
            "a new person is active; deactivate them afterwards",
        ));
    }
    let person = state
        .app
        .create_person(&bearer.principal, organization, &body.fields())
        .await?;
    Ok(created(
        format!("/api/v1/people/{}", person.id.get()),
        person.version,
        &ApiPerson::from(person),
    ))
}

/// Changes a person (corrections; a promotion or a move is a new position, which keeps the
/// history: `PUT /people/{id}/position`).
#[utoipa::path(
    put,
    path = "/people/{id}",
    tag = "people",
    operation_id = "updatePerson",
    params(("id" = i64, Path, minimum = 0, description = "The person's id.")),
    request_body = PersonBody,
    responses(
        (status = 200, description = "Changed; the person as they are now.", body = ApiPerson, headers(("ETag" = String, description = "Their new version."))),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_person(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<PersonBody>,
) -> Result<Response, Problem> {
    let id = PersonId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let mut person = state
        .app
        .update_person(who, id, version, &body.fields())
        .await?;
    if let Some(active) = body.active.filter(|a| *a != person.active) {
        person = state
            .app
            .set_person_active(who, id, person.version, active)
            .await?;
    }
    Ok(changed(person.version, &ApiPerson::from(person)))
}

/// A new position of a person: from a day on, in an organization, a unit, a job and a rung.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPosition {
    /// The employer from then on (may be the same).
    organization_id: i64,
    /// The unit there.
    #[serde(default)]
    unit_id: Option<i64>,
    /// The job title there.
    #[serde(default)]
    job_title: Option<String>,
    /// The rung on the shared ladder.
    #[serde(default)]
    level_id: Option<i64>,
    /// The first day, `YYYY-MM-DD`.
    valid_from: String,
}

/// Gives a person a new position (a promotion, a move, a change of employer); the old one is
/// kept in their history, and their counterpart assignments are reviewed as on the page.
#[utoipa::path(
    put,
    path = "/people/{id}/position",
    tag = "people",
    operation_id = "changePosition",
    params(("id" = i64, Path, minimum = 0, description = "The person's id.")),
    request_body = NewPosition,
    responses(
        (status = 200, description = "The person in their new position.", body = ApiPerson, headers(("ETag" = String, description = "Their new version."))),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn change_position(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<NewPosition>,
) -> Result<Response, Problem> {
    let id = PersonId::new(parse_id("id", &id)?);
    let fields = PositionFields {
        organization_id: body.organization_id.to_string(),
        unit_id: id_text(body.unit_id),
        job_title: body.job_title.unwrap_or_default(),
        level_id: id_text(body.level_id),
        valid_from: body.valid_from,
    };
    let person = state
        .app
        .change_position(&bearer.principal, id, version, &fields)
        .await?;
    Ok(changed(person.version, &ApiPerson::from(person)))
}

/// The second record of the same human, to merge into the one addressed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeBody {
    /// The duplicate: a person of the same organization, who is deleted once merged.
    duplicate_id: i64,
}

/// The use case's field for the duplicate, as the merge form names it, and the body's.
const MERGE_FIELDS: &[(&str, &str)] = &[("other_id", "duplicate_id")];

/// Merges two records of one human (an import under a new e-mail address, a person entered
/// twice), as the person page's merge form does: the person addressed is kept, its empty
/// fields take the duplicate's values, and everything known about the duplicate — its
/// positions, key-contact roles, counterpart assignments with their ratings, locks, the
/// accounts it manages, the people reporting to it, its user — moves to the kept person;
/// where both held the same role, the kept person's stays. Then the duplicate is deleted.
/// The audit log records both. `If-Match` is the kept person's `ETag`: the merge is made
/// only to the version the client read (412 naming who changed it since). A duplicate that
/// does not exist, is the kept person, is of another organization, is a user as the kept
/// person is, or would end up above itself is 422 naming `duplicate_id`.
#[utoipa::path(
    post,
    path = "/people/{id}/merge",
    tag = "people",
    operation_id = "mergePeople",
    params(("id" = i64, Path, minimum = 0, description = "The id of the person kept.")),
    request_body = MergeBody,
    responses(
        (status = 200, description = "Merged; the kept person as they are now.", body = ApiPerson, headers(("ETag" = String, description = "Their new version."))),
        (status = 400, description = "The id is not a number, or the body is not JSON.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person to keep (or the two hold roles on an account the token's user may not see).", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 412, description = "The kept person changed after the version in `If-Match`; `changed_by` and `changed_at` say who changed them and when.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`duplicate_id` names no person, the kept person, one of another organization, a second user, or a merge that puts someone above themselves; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing (or `*`).", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn merge_people(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<MergeBody>,
) -> Result<Response, Problem> {
    let id = PersonId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    // The person addressed must be there: a 404 is about it, never about the duplicate.
    state.app.person(who, id).await?;
    let duplicate = body.duplicate_id.to_string();
    let person = match state.app.merge_people(who, id, version, &duplicate).await {
        Ok(person) => person,
        Err(counterpart_app::Error::NotFound) => {
            // The duplicate named in the body is a field of the body, not the resource.
            let gone = PersonId::new(body.duplicate_id);
            if body.duplicate_id < 0 || state.app.person(who, gone).await.is_err() {
                return Err(Problem::bad_field("duplicate_id", "names no person"));
            }
            return Err(counterpart_app::Error::NotFound.into());
        }
        Err(other) => return Err(renamed(other, MERGE_FIELDS)),
    };
    Ok(changed(person.version, &ApiPerson::from(person)))
}

/// One position in a person's history.
#[derive(Serialize, ToSchema)]
#[schema(as = Position)]
pub(crate) struct ApiPosition {
    /// Its id.
    id: i64,
    /// The employer then.
    organization_id: i64,
    /// The employer's name (as it is now).
    organization_name: String,
    /// The unit there.
    unit_id: Option<i64>,
    /// The unit's name (as it is now).
    unit_name: Option<String>,
    /// The job title there.
    job_title: Option<String>,
    /// The rung on the shared ladder.
    level_id: Option<i64>,
    /// The first day, `YYYY-MM-DD`.
    valid_from: String,
    /// The last day, `YYYY-MM-DD`; null for the current position.
    valid_to: Option<String>,
}

impl From<PositionView> for ApiPosition {
    fn from(v: PositionView) -> Self {
        let p = v.position;
        Self {
            id: p.id.get(),
            organization_id: p.organization_id.get(),
            organization_name: v.organization_name,
            unit_id: p.unit_id.map(UnitId::get),
            unit_name: v.unit_name,
            job_title: p.job_title,
            level_id: p.level_id.map(|l| l.get()),
            valid_from: p.valid_from.to_string(),
            valid_to: p.valid_to.map(|d| d.to_string()),
        }
    }
}

/// A person's positions.
#[derive(Serialize, ToSchema)]
pub(crate) struct PositionList {
    /// The person.
    person_id: i64,
    /// Their positions, newest first: the current one (without `valid_to`) leads.
    items: Vec<ApiPosition>,
}

/// A person's history: every position they held, newest first — promotions, moves and
/// changes of employer, as `PUT /people/{id}/position` records them.
#[utoipa::path(
    get,
    path = "/people/{id}/positions",
    tag = "people",
    operation_id = "listPositions",
    params(("id" = i64, Path, minimum = 0, description = "The person's id.")),
    responses(
        (status = 200, description = "Their positions, newest first.", body = PositionList, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while they are unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn positions(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = PersonId::new(parse_id("id", &id)?);
    let positions = state.app.person_positions(&bearer.principal, id).await?;
    tagged(
        &headers,
        &PositionList {
            person_id: id.get(),
            items: positions.into_iter().map(ApiPosition::from).collect(),
        },
    )
}

/// An account's fields, new or as they are to be.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountBody {
    /// Its name; left out, the organization's (or unit's) name.
    #[serde(default)]
    name: Option<String>,
    /// The partner organization.
    organization_id: i64,
    /// A unit of that organization, when the account is only part of it (required for a
    /// neighbouring department of our own house).
    #[serde(default)]
    unit_id: Option<i64>,
    /// Customer, supplier or both.
    relation: ApiRelation,
    /// How the relationship is organized.
    mode: ApiManagementMode,
    /// Our responsible unit.
    #[serde(default)]
    responsible_unit_id: Option<i64>,
    /// Our key account manager, a person of our house.
    #[serde(default)]
    manager_id: Option<i64>,
    /// Free notes.
    #[serde(default)]
    notes: Option<String>,
    /// Seen only by the responsible unit, the units above it and administrators (needs a
    /// responsible unit). Left out, a new account is not restricted and a changed one stays
    /// as it is — an integration that does not know the field never lifts a restriction.
    #[serde(default)]
    restricted: Option<bool>,
    /// On a change only: false to deactivate, true to reactivate; left out, it stays as it
    /// is. A new account is active.
    #[serde(default)]
    active: Option<bool>,
}

impl AccountBody {
    /// The form's fields, with `restricted` as it is to be (the body's, or `current`).
    fn fields(&self, current: bool) -> AccountFields {
        AccountFields {
            name: self.name.clone().unwrap_or_default(),
            organization_id: self.organization_id.to_string(),
            unit_id: id_text(self.unit_id),
            relation: Relation::from(self.relation).as_str().to_owned(),
            mode: ManagementMode::from(self.mode).as_str().to_owned(),
            responsible_unit_id: id_text(self.responsible_unit_id),
            manager_id: id_text(self.manager_id),
            notes: self.notes.clone().unwrap_or_default(),
            restricted: if self.restricted.unwrap_or(current) {
                "1".to_owned()
            } else {
                String::new()
            },
        }
    }
}

/// Creates an account.
#[utoipa::path(
    post,
    path = "/accounts",
    tag = "accounts",
    operation_id = "createAccount",
    request_body = AccountBody,
    responses(
        (status = 201, description = "Created; `Location` is its address.", body = ApiAccount, headers(("Location" = String, description = "The new account's address."), ("ETag" = String, description = "Its version."))),
    ),
)]
pub(crate) async fn create_account(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<AccountBody>,
) -> Result<Response, Problem> {
    if body.active == Some(false) {
        return Err(Problem::bad_field(
            "active",
            "a new account is active; deactivate it afterwards",
        ));
    }
    let account = state
        .app
        .create_account(&bearer.principal, &body.fields(false))
        .await?;
    Ok(created(
        format!("/api/v1/accounts/{}", account.id.get()),
        account.version,
        &ApiAccount::from(account),
    ))
}

/// Changes an account.
#[utoipa::path(
    put,
    path = "/accounts/{id}",
    tag = "accounts",
    operation_id = "updateAccount",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    request_body = AccountBody,
    responses(
        (status = 200, description = "Changed; the account as it is now.", body = ApiAccount, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such account.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_account(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<AccountBody>,
) -> Result<Response, Problem> {
    let id = AccountId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let current = match body.restricted {
        Some(_) => false,
        None => state.app.account(who, id).await?.restricted,
    };
    let mut account = state
        .app
        .update_account(who, id, version, &body.fields(current))
        .await?;
    if let Some(active) = body.active.filter(|a| *a != account.active) {
        account = state
            .app
            .set_account_active(who, id, account.version, active)
            .await?;
    }
    Ok(changed(account.version, &ApiAccount::from(account)))
}
