//! What is written down in a meeting through the API: an item added to its agenda or moved
//! up or down it, a decision and an action agreed on an item, and an action marked done —
//! through the use cases the meeting page calls, with its rules: a participant of the series
//! (or an administrator) writes in a prepared meeting that was not called off.
//!
//! An action is a versioned record (its `ETag` is `"v<version>"`, given when it is agreed and
//! in the agenda as `version`). Marking it done or open again changes its state, so it is a
//! `PUT` of that state with `If-Match`, as an insight or a key contact is changed: the
//! change is made only to the version the client read. Items and decisions carry no
//! version; they are rows of their own and appear in the meeting's agenda.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use counterpart_core::ids::{ActionId, ItemId, MeetingId};
use counterpart_core::jour_fixe::{Action, ActionFields, parse_note};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::knowledge::renamed;
use super::super::resources::{parse_id, tagged};
use super::super::write::{IfMatch, JsonBody, changed, created_at};
use super::super::{Problem, Writer};
use super::{ApiAction, ApiAgendaItem, agenda_items, agenda_of};
use crate::AppState;

/// 409 for writing in a meeting that is not open for it.
fn not_open() -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "This meeting is not open for writing: its agenda is not prepared yet, or it was \
         called off.",
    )
}

/// A use case's refusal as the API answers it: a meeting not open for writing is 409.
fn refused(error: counterpart_app::Error, names: &[(&str, &'static str)]) -> Problem {
    match error {
        counterpart_app::Error::NotApplicable => not_open(),
        other => renamed(other, names),
    }
}

/// An item to add to a meeting's agenda.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAgendaItem {
    /// Its title, up to 300 characters.
    title: String,
}

/// Adds an item to the end of a prepared meeting's agenda: a participant's (or an
/// administrator's). It is about no account; what is said on it is a note.
#[utoipa::path(
    post,
    path = "/meetings/{id}/items",
    tag = "jour-fixe",
    operation_id = "createAgendaItem",
    params(("id" = i64, Path, minimum = 0, description = "The meeting's id.")),
    request_body = NewAgendaItem,
    responses(
        (status = 201, description = "Added; the item as the agenda has it. `Location` is the agenda.", body = ApiAgendaItem, headers(("Location" = String, description = "The meeting's agenda."))),
        (status = 400, description = "The id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is not prepared yet, or was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`title` is empty, too long or holds control characters, or the agenda is full; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn add_item(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewAgendaItem>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let item = state
        .app
        .add_agenda_item(who, id, &body.title)
        .await
        .map_err(|e| refused(e, &[]))?;
    let page = state.app.meeting_page(who, id).await?;
    let added = agenda_items(&page)
        .into_iter()
        .find(|i| i.id == item.get())
        .ok_or_else(|| Problem::from(counterpart_app::Error::NotFound))?;
    Ok(created_at(
        &format!("/api/v1/meetings/{}/agenda", id.get()),
        &added,
    ))
}

/// Which way an agenda item moves.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[schema(as = ItemDirection)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// One place up, before the item above it.
    Up,
    /// One place down, after the item below it.
    Down,
}

/// How an agenda item moves.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ItemMove {
    /// Up or down, one place.
    direction: Direction,
}

/// Moves an item of a prepared meeting's agenda one place up or down, swapping it with its
/// neighbour, as the arrows on the meeting page do: a participant's (or an administrator's).
/// At the top (or the bottom) nothing moves, and the agenda is answered as it is.
///
/// It takes no `If-Match`. The agenda's `ETag` is a weak fingerprint of everything in it, so
/// it changes with every contribution a participant makes while the meeting runs: asking for
/// it would refuse a reorder whenever anyone had said something since it was read, although
/// the order was not touched (and a weak tag never matches `If-Match`, which compares
/// strongly). The move is relative to the order as it is when the request arrives, as on the
/// page; the answer is the whole agenda in its new order, with its new `ETag`, so the client
/// sees where every item now stands.
#[utoipa::path(
    post,
    path = "/meetings/{id}/items/{item}/move",
    tag = "jour-fixe",
    operation_id = "moveAgendaItem",
    params(
        ("id" = i64, Path, minimum = 0, description = "The meeting's id."),
        ("item" = i64, Path, minimum = 0, description = "The agenda item's id."),
    ),
    request_body = ItemMove,
    responses(
        (status = 200, description = "Moved; the agenda in its new order.", body = super::ApiAgenda, headers(("ETag" = String, description = "The agenda's new tag, as `GET /meetings/{id}/agenda` gives it."))),
        (status = 400, description = "An id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or no such item on its agenda.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is not prepared yet, or was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`direction` is neither `up` nor `down`; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn move_item(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, item)): Path<(String, String)>,
    JsonBody(body): JsonBody<ItemMove>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let item = ItemId::new(parse_id("item", &item)?);
    let who = &bearer.principal;
    let up = matches!(body.direction, Direction::Up);
    state
        .app
        .move_agenda_item(who, id, item, up)
        .await
        .map_err(|e| refused(e, &[]))?;
    let page = state.app.meeting_page(who, id).await?;
    tagged(&HeaderMap::new(), &agenda_of(&page))
}

/// A decision taken on an agenda item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewDecision {
    /// What was decided, up to 2,000 characters (line breaks allowed).
    text: String,
}

/// A decision as noted.
#[derive(Serialize, ToSchema)]
#[schema(as = DecisionMade)]
pub(crate) struct ApiDecision {
    /// The meeting.
    meeting_id: i64,
    /// The item.
    item_id: i64,
    /// What was decided, as noted (surrounding blanks trimmed).
    text: String,
}

/// Notes a decision on an item of a prepared meeting: a participant's (or an
/// administrator's). It appears in the agenda among the item's contributions, as a
/// `decision`.
#[utoipa::path(
    post,
    path = "/meetings/{id}/items/{item}/decisions",
    tag = "jour-fixe",
    operation_id = "createDecision",
    params(
        ("id" = i64, Path, minimum = 0, description = "The meeting's id."),
        ("item" = i64, Path, minimum = 0, description = "The agenda item's id."),
    ),
    request_body = NewDecision,
    responses(
        (status = 201, description = "Noted; `Location` is the agenda.", body = ApiDecision, headers(("Location" = String, description = "The meeting's agenda."))),
        (status = 400, description = "An id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or no such item on its agenda.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is not prepared yet, or was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "`text` is empty, too long or holds control characters; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn decide(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, item)): Path<(String, String)>,
    JsonBody(body): JsonBody<NewDecision>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let item = ItemId::new(parse_id("item", &item)?);
    state
        .app
        .decide(&bearer.principal, (id, item), &body.text)
        .await
        .map_err(|e| refused(e, &[("decision", "text")]))?;
    let text = parse_note("decision", &body.text).unwrap_or_default();
    Ok(created_at(
        &format!("/api/v1/meetings/{}/agenda", id.get()),
        &ApiDecision {
            meeting_id: id.get(),
            item_id: item.get(),
            text,
        },
    ))
}

/// An action to agree on an agenda item.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAction {
    /// What is to be done, up to 300 characters.
    title: String,
    /// Who does it: an active person of our house.
    owner_id: i64,
    /// By when, `YYYY-MM-DD`.
    due_on: String,
}

/// An action as the API answers it, with its owner's name.
async fn answer(
    state: &AppState,
    who: &counterpart_app::Principal,
    action: Action,
) -> Result<ApiAction, Problem> {
    let owner = state.app.person(who, action.owner_id).await?;
    Ok(ApiAction {
        id: action.id.get(),
        title: action.title,
        owner_id: action.owner_id.get(),
        owner_name: owner.display_name(),
        due_on: action.due_on.to_string(),
        done_on: action.done_on.map(|d| d.to_string()),
        version: action.version,
    })
}

/// Agrees an action on an item of a prepared meeting: a participant's (or an
/// administrator's). It appears in the agenda under the item, and among its owner's open
/// actions; on an item about an account it is the account's too.
#[utoipa::path(
    post,
    path = "/meetings/{id}/items/{item}/actions",
    tag = "jour-fixe",
    operation_id = "createAction",
    params(
        ("id" = i64, Path, minimum = 0, description = "The meeting's id."),
        ("item" = i64, Path, minimum = 0, description = "The agenda item's id."),
    ),
    request_body = NewAction,
    responses(
        (status = 201, description = "Agreed; the action.", body = ApiAction, headers(("ETag" = String, description = "Its version: send it as `If-Match` to mark it done."))),
        (status = 400, description = "An id is not a number, or the body is not JSON.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting, or no such item on its agenda.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is not prepared yet, or was called off.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 422, description = "A field is wrong (an empty or over-long title, an owner not of our house, no day); `invalid_params` names each.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_action(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, item)): Path<(String, String)>,
    JsonBody(body): JsonBody<NewAction>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let item = ItemId::new(parse_id("item", &item)?);
    let who = &bearer.principal;
    let fields = ActionFields {
        title: body.title,
        owner_id: body.owner_id.to_string(),
        due_on: body.due_on,
    };
    let action = state
        .app
        .create_action(who, (id, item), &fields)
        .await
        .map_err(|e| refused(e, &[]))?;
    let version = action.version;
    let answer = answer(&state, who, action).await?;
    let mut response = changed(version, &answer);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// An action's state.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionState {
    /// True: done today; false: open again.
    done: bool,
}

/// Marks an action done today, or open again: anyone who may change data (as the meeting
/// page and My day offer it), an action about a restricted account only for those who see
/// it. `If-Match` is the action's `ETag` (from when it was agreed, or `"v<version>"` from
/// the agenda); someone's change since is 412. A state change of a versioned record is a
/// `PUT` of that state, as insights and key contacts are changed.
#[utoipa::path(
    put,
    path = "/actions/{id}",
    tag = "jour-fixe",
    operation_id = "updateActionState",
    params(("id" = i64, Path, minimum = 0, description = "The action's id.")),
    request_body = ActionState,
    responses(
        (status = 200, description = "Changed; the action as it is now.", body = ApiAction, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such action (or one about an account the token's user may not see).", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn finish_action(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<ActionState>,
) -> Result<Response, Problem> {
    let id = ActionId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let action = state.app.finish_action(who, id, version, body.done).await?;
    let version = action.version;
    let answer = answer(&state, who, action).await?;
    Ok(changed(version, &answer))
}
