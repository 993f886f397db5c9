//! A series' participants and the accounts it covers by choice, calling a series off and
//! calling off one of its occurrences, through the use cases the series page calls, with its
//! rules: its convenor, its participants and administrators change a running series; a
//! restricted account the token's user may not see is neither listed nor added.
//!
//! Who takes part and which accounts are chosen are links of the series, not versioned
//! records: adding one is answered 201 (or 200 when it was there already, changing nothing),
//! and removing one takes no `If-Match`. Calling the series off changes the series itself,
//! so it takes the series' `ETag` as `If-Match`, as every change of a versioned record does.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use counterpart_core::ids::{AccountId, PersonId, SeriesId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::resources::{parse_id, plain};
use super::super::write::{IfMatch, JsonBody, created};
use super::super::{Bearer, Problem, Writer};
use super::{ApiMeeting, NewMeeting, parse_instant};
use crate::AppState;

/// Someone of ours who takes part in a series.
#[derive(Serialize, ToSchema)]
#[schema(as = SeriesParticipant)]
pub(crate) struct ApiParticipant {
    /// The person of ours (`/people/{id}`).
    person_id: i64,
    /// Their name.
    name: String,
    /// Whether they convene the series (the convenor cannot be taken out of it).
    convenor: bool,
}

/// Who takes part in a series.
#[derive(Serialize, ToSchema)]
pub(crate) struct ParticipantList {
    /// The participants, by family name.
    items: Vec<ApiParticipant>,
}

/// An account a series covers by choice.
#[derive(Serialize, ToSchema)]
#[schema(as = SeriesAccount)]
pub(crate) struct ApiChosenAccount {
    /// The account (`/accounts/{id}`).
    account_id: i64,
    /// Its name.
    name: String,
}

/// The accounts a series covers.
#[derive(Serialize, ToSchema)]
pub(crate) struct SeriesAccountList {
    /// The accounts chosen one by one that the token's user sees, by name.
    items: Vec<ApiChosenAccount>,
    /// How many accounts the series covers now, chosen and by its rule, of those the token's
    /// user sees.
    covered: usize,
}

/// A person of ours to add to a series.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewParticipant {
    /// The person (one of our house, active).
    person_id: i64,
}

/// An account to add to those a series covers.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewSeriesAccount {
    /// The account (active, and one the token's user sees).
    account_id: i64,
}

/// 409 for a change of a series that was called off.
fn called_off() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "The series was called off: it is not changed any more.",
    )
}

/// Refuses a change of a series that was called off (404 for one that does not exist).
async fn still_running(state: &AppState, bearer: &Bearer, id: SeriesId) -> Result<(), Problem> {
    if state
        .app
        .series(&bearer.principal, id)
        .await?
        .cancelled_at
        .is_some()
    {
        return Err(called_off());
    }
    Ok(())
}

/// The participants of a series as the series page lists them.
async fn participants_of(
    state: &AppState,
    bearer: &Bearer,
    id: SeriesId,
) -> Result<Vec<ApiParticipant>, Problem> {
    let page = state.app.series_page(&bearer.principal, id).await?;
    let convenor = page.series.convenor_id;
    Ok(page
        .participants
        .into_iter()
        .map(|p| ApiParticipant {
            person_id: p.person_id.get(),
            name: p.name,
            convenor: p.person_id == convenor,
        })
        .collect())
}

/// Who takes part in a series: its convenor and those added since, by family name.
#[utoipa::path(
    get,
    path = "/series/{id}/participants",
    tag = "jour-fixe",
    operation_id = "listSeriesParticipants",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    responses(
        (status = 200, description = "The participants.", body = ParticipantList),
        (status = 400, description = "The id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn participants(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let items = participants_of(&state, &bearer, id).await?;
    Ok(plain(ParticipantList { items }))
}

/// Adds a person of ours to a running series: its convenor, a participant or an
/// administrator may. The invitees are sent the series' invitation again. Adding someone who
/// takes part already changes nothing and answers 200.
#[utoipa::path(
    post,
    path = "/series/{id}/participants",
    tag = "jour-fixe",
    operation_id = "addSeriesParticipant",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    request_body = NewParticipant,
    responses(
        (status = 201, description = "Added; the participant.", body = ApiParticipant),
        (status = 200, description = "They took part already; nothing changed.", body = ApiParticipant),
        (status = 400, description = "The id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`person_id` is no active person of our house, or the series has as many participants as it may; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn add_participant(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewParticipant>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    still_running(&state, &bearer, id).await?;
    let person = PersonId::new(body.person_id);
    let joined = state
        .app
        .add_participant(&bearer.principal, id, person)
        .await?;
    let participant = participants_of(&state, &bearer, id)
        .await?
        .into_iter()
        .find(|p| p.person_id == person.get())
        .ok_or_else(|| Problem::from(counterpart_app::Error::NotFound))?;
    Ok(added(joined, participant))
}

/// 201 with what a write added, or 200 with it when it was there already.
fn added<T: Serialize>(new: bool, body: T) -> Response {
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, axum::Json(body)).into_response()
}

/// Takes someone out of a running series: its convenor, a participant or an administrator
/// may (a participant may leave). The convenor cannot be taken out. They are sent a
/// cancellation of the series' invitation. A link of the series, not a versioned record: no
/// `If-Match`.
#[utoipa::path(
    delete,
    path = "/series/{id}/participants/{person}",
    tag = "jour-fixe",
    operation_id = "removeSeriesParticipant",
    params(
        ("id" = i64, Path, minimum = 0, description = "The series' id."),
        ("person" = i64, Path, minimum = 0, description = "The participant's person id."),
    ),
    responses(
        (status = 204, description = "Taken out."),
        (status = 400, description = "An id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series, or the person takes no part in it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off, or the person is its convenor.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn remove_participant(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, person)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let person = parse_id("person", &person)?;
    still_running(&state, &bearer, id).await?;
    let current = participants_of(&state, &bearer, id).await?;
    if !current.iter().any(|p| p.person_id == person) {
        return Err(counterpart_app::Error::NotFound.into());
    }
    match state
        .app
        .remove_participant(&bearer.principal, id, PersonId::new(person))
        .await
    {
        Ok(()) => {}
        // The store refuses to take out the convenor, naming the form's field; here the
        // person is the path's, so it is a conflict with the series' state.
        Err(counterpart_app::Error::Invalid(_)) => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "This person convenes the series and takes part in it as long as it runs.",
            ));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The accounts of a series chosen one by one, as the series page shows them to the token's
/// user.
async fn chosen_of(
    state: &AppState,
    bearer: &Bearer,
    id: SeriesId,
) -> Result<SeriesAccountList, Problem> {
    let page = state.app.series_page(&bearer.principal, id).await?;
    Ok(SeriesAccountList {
        items: page
            .chosen
            .into_iter()
            .map(|(account, name)| ApiChosenAccount {
                account_id: account.get(),
                name,
            })
            .collect(),
        covered: page.covered,
    })
}

/// The accounts a series covers by choice that the token's user sees (a restricted account
/// only for those who may see it), and how many it covers in all, chosen and by its rule.
#[utoipa::path(
    get,
    path = "/series/{id}/accounts",
    tag = "jour-fixe",
    operation_id = "listSeriesAccounts",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    responses(
        (status = 200, description = "The accounts chosen, by name.", body = SeriesAccountList),
        (status = 400, description = "The id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn accounts(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    Ok(plain(chosen_of(&state, &bearer, id).await?))
}

/// Adds an account to those a running series covers: its convenor, a participant or an
/// administrator may. An account the token's user may not see is as unknown as one that
/// does not exist. Adding one chosen already changes nothing and answers 200.
#[utoipa::path(
    post,
    path = "/series/{id}/accounts",
    tag = "jour-fixe",
    operation_id = "addSeriesAccount",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    request_body = NewSeriesAccount,
    responses(
        (status = 201, description = "Added; the account as the series lists it.", body = ApiChosenAccount),
        (status = 200, description = "It was chosen already; nothing changed.", body = ApiChosenAccount),
        (status = 400, description = "The id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`account_id` is no active account the token's user sees, or the series has as many accounts as it may; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn add_account(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewSeriesAccount>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    still_running(&state, &bearer, id).await?;
    let account = AccountId::new(body.account_id);
    let covered = state
        .app
        .cover_account(&bearer.principal, id, account)
        .await?;
    let chosen = chosen_of(&state, &bearer, id)
        .await?
        .items
        .into_iter()
        .find(|a| a.account_id == account.get())
        .ok_or_else(|| Problem::from(counterpart_app::Error::NotFound))?;
    Ok(added(covered, chosen))
}

/// Takes an account off those a running series covers by choice (one its rule covers stays
/// covered): its convenor, a participant or an administrator may. A link of the series, not
/// a versioned record: no `If-Match`.
#[utoipa::path(
    delete,
    path = "/series/{id}/accounts/{account}",
    tag = "jour-fixe",
    operation_id = "removeSeriesAccount",
    params(
        ("id" = i64, Path, minimum = 0, description = "The series' id."),
        ("account" = i64, Path, minimum = 0, description = "The account's id."),
    ),
    responses(
        (status = 204, description = "Taken off."),
        (status = 400, description = "An id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series, or the account is not chosen for it (or not one the token's user sees).", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn remove_account(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, account)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let account = parse_id("account", &account)?;
    still_running(&state, &bearer, id).await?;
    let chosen = chosen_of(&state, &bearer, id).await?;
    if !chosen.items.iter().any(|a| a.account_id == account) {
        return Err(counterpart_app::Error::NotFound.into());
    }
    state
        .app
        .uncover_account(&bearer.principal, id, AccountId::new(account))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Calls a series off: no more meetings (those not prepared yet are dropped; those held keep
/// their minutes), and its invitees are sent a cancellation. Its convenor, a participant or
/// an administrator may; `If-Match` is the series' `ETag`, and someone's change since is
/// 412. The series stays readable (with `cancelled_at`) and is not changed any more.
#[utoipa::path(
    delete,
    path = "/series/{id}",
    tag = "jour-fixe",
    operation_id = "cancelSeries",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    responses(
        (status = 204, description = "Called off."),
        (status = 400, description = "The id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off already.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn cancel_series(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    if state
        .app
        .series(&bearer.principal, id)
        .await?
        .cancelled_at
        .is_some()
    {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "The series was called off already.",
        ));
    }
    state
        .app
        .cancel_series(&bearer.principal, id, version)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Calls off one occurrence of a running series (the series goes on): its meeting is
/// recorded as called off and its invitees are sent a cancellation, as "call off" on the
/// series page does. Its convenor, a participant or an administrator may. The occurrence is
/// named as for scheduling it (`POST /series/{id}/meetings`); a called-off meeting takes
/// place again when it is moved (`PUT /meetings/{id}`).
#[utoipa::path(
    post,
    path = "/series/{id}/cancellations",
    tag = "jour-fixe",
    operation_id = "cancelMeeting",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    request_body = NewMeeting,
    responses(
        (status = 201, description = "Called off; `Location` is the meeting's address.", body = ApiMeeting, headers(("Location" = String, description = "The meeting's address."), ("ETag" = String, description = "Its version."))),
        (status = 400, description = "The id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off, or the meeting was changed at the same moment (send it again).", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`occurrence` is no coming occurrence of the series; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn cancel_meeting(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewMeeting>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let Some(at) = parse_instant(&body.occurrence) else {
        return Err(Problem::bad_field(
            "occurrence",
            "must be an instant, RFC 3339 (such as 2027-01-05T08:00:00Z)",
        ));
    };
    still_running(&state, &bearer, id).await?;
    let meeting = match state.app.cancel_occurrence(&bearer.principal, id, at).await {
        Ok(meeting) => meeting,
        Err(counterpart_app::Error::NotFound) => {
            return Err(Problem::bad_field(
                "occurrence",
                "is no coming occurrence of this series (see its meetings)",
            ));
        }
        // The meeting's version was read inside the use case: a change between is no
        // version the client sent, so not 412.
        Err(counterpart_app::Error::Conflict { .. }) => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "The meeting was changed at the same moment; send the cancellation again.",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    Ok(created(
        format!("/api/v1/meetings/{}", meeting.id.get()),
        meeting.version,
        &ApiMeeting::from(meeting),
    ))
}
