//! Key contacts through the API: the important people of an account, listed, added, changed
//! and removed through the use cases of the account page. The `ETag` of a key contact is its
//! version.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use counterpart_app::accounts::KeyContactFields;
use counterpart_core::account::{DecisionRole, KeyContact, Stance};
use counterpart_core::ids::{AccountId, KeyContactId};
use counterpart_core::person::Person;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiDecisionRole, ApiStance};
use crate::AppState;
use crate::api::resources::{QueryParams, page, parse_id, plain};
use crate::api::write::{IfMatch, JsonBody, changed, created, versioned};
use crate::api::{Bearer, Problem, Writer};

/// A key contact: a partner person who matters in an account.
#[derive(Serialize, ToSchema)]
#[schema(as = KeyContact)]
pub(crate) struct ApiKeyContact {
    /// Its id.
    id: i64,
    /// The account.
    account_id: i64,
    /// The partner person (`/people/{id}`).
    person_id: i64,
    /// Their name as shown, e.g. "Dr. Jens Brandt".
    person_name: String,
    /// Their role in the account's decisions.
    role: ApiDecisionRole,
    /// Their stance toward us.
    stance: ApiStance,
    /// Their influence, 1 (little) to 5 (decisive).
    influence: i64,
    /// Counts up with every change.
    version: i64,
}

impl From<(KeyContact, Person)> for ApiKeyContact {
    fn from((contact, person): (KeyContact, Person)) -> Self {
        Self {
            id: contact.id.get(),
            account_id: contact.account_id.get(),
            person_id: contact.person_id.get(),
            person_name: person.display_name(),
            role: contact.role.into(),
            stance: contact.stance.into(),
            influence: contact.influence,
            version: contact.version,
        }
    }
}

/// A page of key contacts.
#[derive(Serialize, ToSchema)]
pub(crate) struct KeyContactPage {
    /// The key contacts of this page, by id.
    items: Vec<ApiKeyContact>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// A new key contact: a person of the account's organization (of an account of our own
/// house: a person inside its partner unit).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewKeyContact {
    /// The partner person.
    person_id: i64,
    /// Their role in the account's decisions.
    role: ApiDecisionRole,
    /// Their stance toward us.
    stance: ApiStance,
    /// Their influence, 1 to 5.
    influence: i64,
}

/// A key contact's fields as they are to be (the person stays).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyContactChange {
    /// Their role in the account's decisions.
    role: ApiDecisionRole,
    /// Their stance toward us.
    stance: ApiStance,
    /// Their influence, 1 to 5.
    influence: i64,
}

/// The fields as the form sends them.
fn fields(
    person_id: i64,
    role: ApiDecisionRole,
    stance: ApiStance,
    influence: i64,
) -> KeyContactFields {
    KeyContactFields {
        person_id: person_id.to_string(),
        role: DecisionRole::from(role).as_str().to_owned(),
        stance: Stance::from(stance).as_str().to_owned(),
        influence: influence.to_string(),
    }
}

/// Lists an account's key contacts by id, a page at a time.
#[utoipa::path(
    get,
    path = "/accounts/{id}/key-contacts",
    tag = "key contacts",
    operation_id = "listKeyContacts",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of the account's key contacts, by id.", body = KeyContactPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["after", "limit"])?;
    let (after, limit) = query.seek()?;
    let rows: Vec<(KeyContact, Person)> = state
        .app
        .key_contacts_of(&bearer.principal, account)
        .await?
        .into_iter()
        .filter(|(c, _)| after.is_none_or(|after| c.id.get() > after))
        .take(limit as usize + 1)
        .collect();
    let path = format!("/accounts/{}/key-contacts", account.get());
    let (items, next) = page(rows, limit, &query, &path, |c: &ApiKeyContact| c.id);
    Ok(plain(KeyContactPage { items, next }))
}

/// One key contact with its `ETag`.
async fn answer(
    state: &AppState,
    bearer: &Bearer,
    id: KeyContactId,
) -> Result<(i64, ApiKeyContact), Problem> {
    let (contact, person) = state
        .app
        .key_contact_with_person(&bearer.principal, id)
        .await?;
    Ok((contact.version, ApiKeyContact::from((contact, person))))
}

/// Makes a person a key contact of an account.
#[utoipa::path(
    post,
    path = "/accounts/{id}/key-contacts",
    tag = "key contacts",
    operation_id = "addKeyContact",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    request_body = NewKeyContact,
    responses(
        (status = 201, description = "Added; `Location` is its address.", body = ApiKeyContact, headers(("Location" = String, description = "The new key contact's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn add(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewKeyContact>,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let contact = state
        .app
        .add_key_contact(
            &bearer.principal,
            account,
            &fields(body.person_id, body.role, body.stance, body.influence),
        )
        .await?;
    let (version, answer) = answer(&state, &bearer, contact.id).await?;
    Ok(created(
        format!("/api/v1/key-contacts/{}", contact.id.get()),
        version,
        &answer,
    ))
}

/// One key contact.
#[utoipa::path(
    get,
    path = "/key-contacts/{id}",
    tag = "key contacts",
    operation_id = "getKeyContact",
    params(("id" = i64, Path, minimum = 0, description = "The key contact's id.")),
    responses(
        (status = 200, description = "The key contact.", body = ApiKeyContact, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change or remove it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such key contact.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = KeyContactId::new(parse_id("id", &id)?);
    let (version, answer) = answer(&state, &bearer, id).await?;
    Ok(versioned(&headers, version, &answer))
}

/// Changes a key contact's role, stance and influence (the person stays: to name another,
/// remove this one and add them).
#[utoipa::path(
    put,
    path = "/key-contacts/{id}",
    tag = "key contacts",
    operation_id = "updateKeyContact",
    params(("id" = i64, Path, minimum = 0, description = "The key contact's id.")),
    request_body = KeyContactChange,
    responses(
        (status = 200, description = "Changed; the key contact as it is now.", body = ApiKeyContact, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such key contact.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<KeyContactChange>,
) -> Result<Response, Problem> {
    let id = KeyContactId::new(parse_id("id", &id)?);
    state
        .app
        .update_key_contact(
            &bearer.principal,
            id,
            version,
            &fields(0, body.role, body.stance, body.influence),
        )
        .await?;
    let (version, answer) = answer(&state, &bearer, id).await?;
    Ok(changed(version, &answer))
}

/// Removes a person from an account's key contacts (their counterparts stay).
#[utoipa::path(
    delete,
    path = "/key-contacts/{id}",
    tag = "key contacts",
    operation_id = "removeKeyContact",
    params(("id" = i64, Path, minimum = 0, description = "The key contact's id.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 400, description = "The id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such key contact.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<Response, Problem> {
    let id = KeyContactId::new(parse_id("id", &id)?);
    state
        .app
        .remove_key_contact(&bearer.principal, id, version)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
