//! A meeting, used live: the agenda account by account with what the data said when it was
//! prepared and the brief's three questions; each participant adds what they know (an insight
//! of theirs), decisions and actions. Others' contributions arrive by polling (htmx, every few
//! seconds, on any server instance: the meeting's revision is in the database). The minutes
//! are the same meeting, printable and as Markdown.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::jour_fixe::MeetingPage;
use counterpart_core::ids::{ActionId, ItemId, MeetingId};
use counterpart_core::insight::InsightFields;
use counterpart_core::jour_fixe::{ActionFields, MeetingStatus};
use counterpart_core::ladder::Level;
use counterpart_store::ContributionKind;
use serde::Deserialize;

use super::prepared::PreparedBlock;
use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::forms::error_lines;
use crate::render::insights::category;
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}", get(show))
        .route("/meetings/{id}/live", get(live))
        .route("/meetings/{id}/minutes", get(minutes))
        .route("/meetings/{id}/minutes.md", get(minutes_markdown))
        .route("/meetings/{id}/invitation.ics", get(invitation))
        .route("/meetings/{id}/move", post(move_meeting))
        .route("/meetings/{id}/prepare-again", post(prepare_again))
        .route("/meetings/{id}/items", post(add_item))
        .route("/meetings/{id}/items/{item}/move", post(move_item))
        .route(
            "/meetings/{id}/items/{item}/contributions",
            post(contribute),
        )
        .route("/meetings/{id}/items/{item}/decisions", post(decide))
        .route("/meetings/{id}/items/{item}/actions", post(create_action))
        .route("/actions/{id}/done", post(finish_action))
}

/// One entry of an item's log: a contribution, a decision or an action.
pub(crate) struct LogEntry {
    pub(crate) kind: &'static str,
    pub(crate) badge: String,
    pub(crate) text: String,
    pub(crate) note: String,
}

/// An agenda item as shown.
pub(crate) struct ItemView {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) account: Option<i64>,
    pub(crate) prepared: Option<Arc<PreparedBlock>>,
    pub(crate) log: Vec<LogEntry>,
}

/// The items with their logs, in agenda order.
pub(crate) fn item_views(
    state: &AppState,
    ctx: &Ctx,
    page: &MeetingPage,
    levels: &[Level],
) -> Result<Vec<ItemView>, askama::Error> {
    let t = ctx.t();
    page.agenda
        .iter()
        .map(|item| {
            let mut log: Vec<LogEntry> = page
                .contributions
                .iter()
                .filter(|c| c.item_id == item.id)
                .filter_map(|c| match c.kind {
                    ContributionKind::Note => Some(LogEntry {
                        kind: "note",
                        badge: t.jf_note.to_owned(),
                        text: c.text.clone().unwrap_or_default(),
                        note: c.author_name.clone(),
                    }),
                    ContributionKind::Decision => Some(LogEntry {
                        kind: "decision",
                        badge: t.jf_decision.to_owned(),
                        text: c.text.clone().unwrap_or_default(),
                        note: c.author_name.clone(),
                    }),
                    // A contribution the reader may not see (confidential) is left out.
                    ContributionKind::Insight => {
                        let view = page.insights.get(&c.insight_id?)?;
                        Some(LogEntry {
                            kind: "insight",
                            badge: category(t, view.insight.category).to_owned(),
                            text: view.insight.text.clone(),
                            note: if view.insight.confidential {
                                format!("{} · {}", c.author_name, t.insight_confidential_badge)
                            } else {
                                c.author_name.clone()
                            },
                        })
                    }
                })
                .collect();
            log.extend(
                page.actions
                    .iter()
                    .filter(|a| a.item_id == Some(item.id))
                    .map(|a| LogEntry {
                        kind: "action",
                        badge: if a.action.done_on.is_some() {
                            t.jf_action_done.to_owned()
                        } else {
                            t.jf_action.to_owned()
                        },
                        text: a.action.title.clone(),
                        note: format!(
                            "{} · {} {}",
                            a.owner_name,
                            t.jf_due,
                            ctx.date(&a.action.due_on)
                        ),
                    }),
            );
            Ok(ItemView {
                id: item.id.get(),
                title: item.title.clone(),
                account: item.account_id.map(|a| a.get()),
                prepared: state
                    .prepared_blocks
                    .get(ctx, levels, page.meeting.prepared_at, item)?,
                log,
            })
        })
        .collect()
}

/// The agenda's items in order, as the live page compares them: "3,1,2".
fn signature(page: &MeetingPage) -> String {
    page.agenda
        .iter()
        .map(|i| i.id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

#[derive(Template)]
#[template(path = "jour_fixe/meeting.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: i64,
    series_id: i64,
    series_name: String,
    when: String,
    place: Option<String>,
    prepared: bool,
    open: bool,
    cancelled: bool,
    participants: Vec<String>,
    items: Vec<ItemView>,
    revision: i64,
    signature: String,
    /// Whom an action can be given to: the participants, (person id, name).
    owner_choices: Vec<(i64, String)>,
    /// The move form's values: day, time, minutes, place, version.
    moving: (String, String, i64, String, i64),
    /// Whether the reader may change the meeting (a participant or an administrator).
    may_change: bool,
    /// Whether its agenda may be prepared again (nothing happened in it yet).
    untouched: bool,
    errors: Vec<String>,
}

async fn show_page(state: &AppState, ctx: &Ctx, id: MeetingId, errors: Vec<String>) -> PageResult {
    let who = ctx.principal();
    let t = ctx.t();
    let (page, levels) =
        tokio::try_join!(state.app.meeting_page(&who, id), state.app.levels(&who),)?;
    let prepared = page.meeting.prepared_at.is_some();
    let cancelled = page.meeting.status == MeetingStatus::Cancelled;
    let open = prepared && !cancelled && page.may_change;
    let tz: chrono_tz::Tz = page
        .series
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Berlin);
    let local = page.meeting.starts_at.with_timezone(&tz);
    let moving = (
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
        page.meeting.duration_minutes,
        page.meeting.place.clone().unwrap_or_default(),
        page.meeting.version,
    );
    let owner_choices = page
        .participants
        .iter()
        .map(|p| (p.person_id.get(), p.name.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ShowPage {
            ctx,
            t,
            id: id.get(),
            series_id: page.series.id.get(),
            series_name: page.series.name.clone(),
            when: ctx.datetime(&page.meeting.starts_at),
            place: page
                .meeting
                .place
                .clone()
                .or_else(|| page.series.place.clone()),
            prepared,
            open,
            cancelled,
            participants: page.participants.iter().map(|p| p.name.clone()).collect(),
            items: item_views(state, ctx, &page, &levels)?,
            revision: page.meeting.revision,
            signature: signature(&page),
            owner_choices,
            moving,
            may_change: page.may_change,
            untouched: page.untouched,
            errors,
        },
        status,
    ))
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<MeetingId>,
) -> PageResult {
    show_page(&state, &ctx, id, Vec::new()).await
}

#[derive(Deserialize, Default)]
struct LiveQuery {
    #[serde(default)]
    rev: i64,
    #[serde(default)]
    items: String,
}

#[derive(Template)]
#[template(path = "jour_fixe/live.html")]
struct LiveFragment<'a> {
    t: &'static Texts,
    id: i64,
    revision: i64,
    signature: String,
    /// The agenda itself changed: the page offers to reload.
    reordered: bool,
    items: Vec<ItemView>,
    _ctx: &'a Ctx,
}

/// What the live page polls: nothing (204) while the meeting's revision is the one the page
/// shows, else every item's log to swap in, and a note when the agenda itself changed.
async fn live(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<MeetingId>,
    Query(query): Query<LiveQuery>,
) -> Result<Response, AppError> {
    let who = ctx.principal();
    if state.app.meeting_revision(&who, id).await? == query.rev {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let (page, levels) =
        tokio::try_join!(state.app.meeting_page(&who, id), state.app.levels(&who),)?;
    let signature = signature(&page);
    Ok(render(
        &LiveFragment {
            t: ctx.t(),
            id: id.get(),
            revision: page.meeting.revision,
            reordered: signature != query.items,
            items: item_views(&state, &ctx, &page, &levels)?,
            signature,
            _ctx: &ctx,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "jour_fixe/minutes.html")]
struct MinutesPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    id: i64,
    series_id: i64,
    series_name: String,
    when: String,
    place: Option<String>,
    participants: Vec<String>,
    items: Vec<ItemView>,
    open_actions: usize,
}

#[derive(Template)]
#[template(path = "jour_fixe/minutes.md", escape = "none")]
struct MinutesMarkdown<'a> {
    t: &'static Texts,
    series_name: &'a str,
    when: &'a str,
    place: Option<&'a str>,
    participants: &'a [String],
    items: &'a [ItemView],
}

async fn minutes_data(
    state: &AppState,
    ctx: &Ctx,
    id: MeetingId,
) -> Result<(MeetingPage, Vec<ItemView>), AppError> {
    let who = ctx.principal();
    let (page, levels) =
        tokio::try_join!(state.app.meeting_page(&who, id), state.app.levels(&who),)?;
    let items = item_views(state, ctx, &page, &levels)?;
    Ok((page, items))
}

async fn minutes(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<MeetingId>,
) -> PageResult {
    let (page, items) = minutes_data(&state, &ctx, id).await?;
    Ok(render(
        &MinutesPage {
            t: ctx.t(),
            id: id.get(),
            series_id: page.series.id.get(),
            series_name: page.series.name.clone(),
            when: ctx.datetime(&page.meeting.starts_at),
            place: page
                .meeting
                .place
                .clone()
                .or_else(|| page.series.place.clone()),
            participants: page.participants.iter().map(|p| p.name.clone()).collect(),
            open_actions: page
                .actions
                .iter()
                .filter(|a| a.action.done_on.is_none())
                .count(),
            items,
            ctx: &ctx,
        },
        StatusCode::OK,
    ))
}

async fn minutes_markdown(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let (page, items) = minutes_data(&state, &ctx, id).await?;
    let when = ctx.datetime(&page.meeting.starts_at);
    let place = page
        .meeting
        .place
        .clone()
        .or_else(|| page.series.place.clone());
    let participants: Vec<String> = page.participants.iter().map(|p| p.name.clone()).collect();
    let body = MinutesMarkdown {
        t: ctx.t(),
        series_name: &page.series.name,
        when: &when,
        place: place.as_deref(),
        participants: &participants,
        items: &items,
    }
    .render()
    .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/markdown; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"minutes-{id}.md\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn invitation(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let body = state
        .app
        .meeting_calendar(&ctx.principal(), id, &state.public_base())
        .await?;
    Ok(super::calendar_response(body, &format!("meeting-{id}.ics")))
}

/// After a write: back to the item on the meeting page, or the problems named on top.
async fn after(
    state: &AppState,
    ctx: &Ctx,
    id: MeetingId,
    anchor: &str,
    result: Result<(), counterpart_app::Error>,
) -> PageResult {
    match result {
        Ok(()) => Ok(see_other(&format!("/meetings/{id}#{anchor}"))),
        Err(counterpart_app::Error::Invalid(errors)) => {
            show_page(state, ctx, id, error_lines(ctx, &errors)).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct MeetingMoveForm {
    #[serde(flatten)]
    fields: counterpart_app::jour_fixe::MoveFields,
    #[serde(default)]
    version: String,
}

async fn move_meeting(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<MeetingId>,
    Form(form): Form<MeetingMoveForm>,
) -> PageResult {
    let version = form
        .version
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    let result = state
        .app
        .move_meeting(&ctx.principal(), id, version, &form.fields)
        .await
        .map(|_| ());
    after(&state, &ctx, id, "move", result).await
}

async fn prepare_again(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<MeetingId>,
) -> PageResult {
    state.app.prepare_again(&ctx.principal(), id).await?;
    Ok(see_other(&format!("/meetings/{id}")))
}

#[derive(Deserialize)]
struct TitleForm {
    #[serde(default)]
    title: String,
}

async fn add_item(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<MeetingId>,
    Form(form): Form<TitleForm>,
) -> PageResult {
    let result = state
        .app
        .add_agenda_item(&ctx.principal(), id, &form.title)
        .await;
    let anchor = match &result {
        Ok(item) => format!("item-{item}"),
        Err(_) => "add-item".to_owned(),
    };
    after(&state, &ctx, id, &anchor, result.map(|_| ())).await
}

#[derive(Deserialize)]
struct ItemMoveForm {
    #[serde(default)]
    direction: String,
}

async fn move_item(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path((id, item)): Path<(MeetingId, ItemId)>,
    Form(form): Form<ItemMoveForm>,
) -> PageResult {
    let up = match form.direction.as_str() {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::BadRequest),
    };
    let result = state
        .app
        .move_agenda_item(&ctx.principal(), id, item, up)
        .await;
    after(&state, &ctx, id, &format!("item-{item}"), result).await
}

async fn contribute(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path((id, item)): Path<(MeetingId, ItemId)>,
    Form(fields): Form<InsightFields>,
) -> PageResult {
    let result = state
        .app
        .contribute(&ctx.principal(), (id, item), &fields)
        .await
        .map(|_| ());
    after(&state, &ctx, id, &format!("item-{item}"), result).await
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    decision: String,
}

async fn decide(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path((id, item)): Path<(MeetingId, ItemId)>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    let result = state
        .app
        .decide(&ctx.principal(), (id, item), &form.decision)
        .await;
    after(&state, &ctx, id, &format!("item-{item}"), result).await
}

async fn create_action(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path((id, item)): Path<(MeetingId, ItemId)>,
    Form(fields): Form<ActionFields>,
) -> PageResult {
    let result = state
        .app
        .create_action(&ctx.principal(), (id, item), &fields)
        .await
        .map(|_| ());
    after(&state, &ctx, id, &format!("item-{item}"), result).await
}

#[derive(Deserialize)]
struct DoneForm {
    #[serde(default)]
    version: String,
    /// `1`: done; anything else: open again.
    #[serde(default)]
    done: String,
}

async fn finish_action(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<ActionId>,
    Form(form): Form<DoneForm>,
) -> PageResult {
    let version = form
        .version
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    state
        .app
        .finish_action(&ctx.principal(), id, version, form.done == "1")
        .await?;
    Ok(see_other("/#actions"))
}
