//! The customer jour fixe through the API (see ADR 0008): its series, a series' meetings
//! (those recorded and the coming occurrences), a meeting and its agenda with what was said
//! on each item; convening and changing a series, scheduling an occurrence (its agenda is
//! prepared then, as "prepare now" on the series page does), moving a meeting, preparing
//! its agenda again and adding a contribution — through the use cases the jour-fixe pages
//! call, with their rules: a series and its meetings are changed by its convenor, its
//! participants and administrators. A series' participants and chosen accounts, and calling
//! a series or an occurrence off, are in [`members`]; agenda items (added and moved),
//! decisions and actions in [`minutes`].
//!
//! A series' and a meeting's `ETag` is its version: what `If-Match` sends back to change it.
//! What is said in a meeting raises no version (every contribution is a row of its own, so
//! two participants writing at once both keep theirs); the agenda is therefore a resource of
//! its own, `/meetings/{id}/agenda`, tagged by what it holds.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, TimeZone, Timelike, Utc};
use counterpart_app::jour_fixe::{MoveFields, Occurrence};
use counterpart_core::ids::{ItemId, MeetingId, SeriesId, UnitId};
use counterpart_core::jour_fixe::recurrence::Repeat;
use counterpart_core::jour_fixe::{Meeting, MeetingStatus, Series, SeriesFields};
use counterpart_store::{ContributionKind, SeriesFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::knowledge::{ApiCategory, ApiCertainty, ApiInsight, renamed};
use super::resources::{ApiTier, QueryParams, page, parse_id, plain, tagged};
use super::write::{IfMatch, JsonBody, changed, created, created_at, versioned};
use super::{Bearer, Problem, Writer};
use crate::AppState;

pub(super) mod members;
pub(super) mod minutes;

/// An instant as the API writes it: RFC 3339 in UTC, to the second.
fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// How a series repeats, as its form offers it.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = Repeat)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiRepeat {
    /// Every week on the first meeting's weekday.
    Weekly,
    /// Every other week on that weekday.
    Fortnightly,
    /// Monthly on the same weekday of the month (the first Tuesday, say).
    MonthlyWeekday,
    /// Monthly on the same day of the month.
    MonthlyDay,
    /// Every three months on the same weekday of the month.
    QuarterlyWeekday,
    /// The RRULE given in `rrule`.
    Custom,
}

impl From<ApiRepeat> for Repeat {
    fn from(r: ApiRepeat) -> Self {
        match r {
            ApiRepeat::Weekly => Self::Weekly,
            ApiRepeat::Fortnightly => Self::Fortnightly,
            ApiRepeat::MonthlyWeekday => Self::MonthlyWeekday,
            ApiRepeat::MonthlyDay => Self::MonthlyDay,
            ApiRepeat::QuarterlyWeekday => Self::QuarterlyWeekday,
            ApiRepeat::Custom => Self::Custom,
        }
    }
}

impl From<Repeat> for ApiRepeat {
    fn from(r: Repeat) -> Self {
        match r {
            Repeat::Weekly => Self::Weekly,
            Repeat::Fortnightly => Self::Fortnightly,
            Repeat::MonthlyWeekday => Self::MonthlyWeekday,
            Repeat::MonthlyDay => Self::MonthlyDay,
            Repeat::QuarterlyWeekday => Self::QuarterlyWeekday,
            Repeat::Custom => Self::Custom,
        }
    }
}

/// Which side an account is on.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = AccountSide)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiSide {
    /// Neighbouring departments.
    Internal,
    /// Companies outside.
    External,
}

/// Which accounts a series covers besides those chosen one by one, evaluated whenever an
/// agenda is prepared.
#[derive(Deserialize, Serialize, ToSchema)]
#[schema(as = CoverageRule)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiRule {
    /// Only internal or external accounts; null: both.
    #[serde(default)]
    side: Option<ApiSide>,
    /// Only accounts of this importance tier; null: every tier.
    #[serde(default)]
    tier: Option<ApiTier>,
    /// Only accounts this unit of ours (or one below it) is responsible for; null: any.
    #[serde(default)]
    unit_id: Option<i64>,
}

/// A jour-fixe series: a unit's recurring meeting.
#[derive(Serialize, ToSchema)]
#[schema(as = Series)]
pub(crate) struct ApiSeries {
    /// Its id.
    id: i64,
    /// Its name.
    name: String,
    /// The unit of ours it belongs to.
    unit_id: i64,
    /// Who convenes it (a person of ours).
    convenor_id: i64,
    /// The first meeting's day, `YYYY-MM-DD`.
    first_date: String,
    /// The meetings' start, `HH:MM`, wall time in `time_zone`.
    start_time: String,
    /// The IANA time zone it meets in, e.g. `Europe/Berlin`.
    time_zone: String,
    /// How it repeats.
    repeat: ApiRepeat,
    /// The recurrence as an iCalendar RRULE (without `RRULE:`).
    rrule: String,
    /// How long a meeting lasts, in minutes.
    duration_minutes: i64,
    /// A room, an address or a video link.
    place: Option<String>,
    /// The rule covering accounts besides those chosen, if any.
    rule: Option<ApiRule>,
    /// When it was called off (RFC 3339); null while it runs.
    cancelled_at: Option<String>,
    /// Counts up with every change.
    version: i64,
}

impl ApiSeries {
    fn id(&self) -> i64 {
        self.id
    }
}

impl From<Series> for ApiSeries {
    fn from(s: Series) -> Self {
        let first = s.first_start.date();
        Self {
            id: s.id.get(),
            name: s.name,
            unit_id: s.unit_id.get(),
            convenor_id: s.convenor_id.get(),
            first_date: first.to_string(),
            start_time: s.first_start.format("%H:%M").to_string(),
            time_zone: s.time_zone,
            repeat: Repeat::of(&s.rrule, first).into(),
            rrule: s.rrule,
            duration_minutes: s.duration_minutes,
            place: s.place,
            rule: s.rule.map(|r| ApiRule {
                side: r.internal.map(|internal| {
                    if internal {
                        ApiSide::Internal
                    } else {
                        ApiSide::External
                    }
                }),
                tier: r.tier.map(Into::into),
                unit_id: r.unit_id.map(UnitId::get),
            }),
            cancelled_at: s.cancelled_at.map(instant),
            version: s.version,
        }
    }
}

/// A page of series.
#[derive(Serialize, ToSchema)]
pub(crate) struct SeriesPage {
    /// The series of this page, by id.
    items: Vec<ApiSeries>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// A series' fields, new or as they are to be (as the series form has them).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SeriesBody {
    /// Its name, up to 120 characters.
    name: String,
    /// The unit of ours it belongs to.
    unit_id: i64,
    /// The first meeting's day, `YYYY-MM-DD`.
    first_date: String,
    /// The meetings' start, `HH:MM`, wall time in `time_zone`.
    start_time: String,
    /// How long a meeting lasts, 15 to 480 minutes; left out: 60.
    #[serde(default)]
    duration_minutes: Option<i64>,
    /// The IANA time zone; left out: the server's.
    #[serde(default)]
    time_zone: Option<String>,
    /// How it repeats.
    repeat: ApiRepeat,
    /// The RRULE (without `RRULE:`) when `repeat` is `custom`: at most daily, no BYHOUR,
    /// BYMINUTE or BYSECOND.
    #[serde(default)]
    rrule: Option<String>,
    /// A room, an address or a video link, up to 300 characters.
    #[serde(default)]
    place: Option<String>,
    /// A rule covering accounts besides those chosen one by one; left out: none.
    #[serde(default)]
    rule: Option<ApiRule>,
}

/// The body's field names for those the series form names.
const SERIES_FIELDS: &[(&str, &str)] = &[
    ("rule_internal", "rule.side"),
    ("rule_tier", "rule.tier"),
    ("rule_unit_id", "rule.unit_id"),
];

impl SeriesBody {
    fn fields(&self) -> SeriesFields {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let rule = self.rule.as_ref();
        SeriesFields {
            name: self.name.clone(),
            unit_id: self.unit_id.to_string(),
            first_date: self.first_date.clone(),
            start_time: self.start_time.clone(),
            duration_minutes: self
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            time_zone: text(&self.time_zone),
            repeat: Repeat::from(self.repeat).as_str().to_owned(),
            rrule: text(&self.rrule),
            place: text(&self.place),
            rule: if rule.is_some() { "1" } else { "" }.to_owned(),
            rule_internal: match rule.and_then(|r| r.side) {
                Some(ApiSide::Internal) => "internal",
                Some(ApiSide::External) => "external",
                None => "",
            }
            .to_owned(),
            rule_tier: rule
                .and_then(|r| r.tier)
                .map(|t| {
                    counterpart_core::importance::Tier::from(t)
                        .as_str()
                        .to_owned()
                })
                .unwrap_or_default(),
            rule_unit_id: rule
                .and_then(|r| r.unit_id)
                .map(|u| u.to_string())
                .unwrap_or_default(),
        }
    }
}

/// Lists the jour-fixe series by id, a page at a time.
#[utoipa::path(
    get,
    path = "/series",
    tag = "jour-fixe",
    operation_id = "listSeries",
    params(
        ("unit" = Option<i64>, Query, minimum = 0, description = "Only the series of this unit of ours."),
        ("cancelled" = Option<bool>, Query, description = "Include those called off (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of series, by id.", body = SeriesPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn series_list(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw.as_deref(), &["unit", "cancelled", "after", "limit"])?;
    let filter = SeriesFilter {
        unit_id: query.id("unit")?.map(UnitId::new),
        include_cancelled: query.flag("cancelled")?,
    };
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .series_after(
            &bearer.principal,
            &filter,
            after.map(SeriesId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(rows, limit, &query, "/series", ApiSeries::id);
    Ok(plain(SeriesPage { items, next }))
}

/// One series.
#[utoipa::path(
    get,
    path = "/series/{id}",
    tag = "jour-fixe",
    operation_id = "getSeries",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    responses(
        (status = 200, description = "The series.", body = ApiSeries, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to change it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn series(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let series = state.app.series(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        series.version,
        &ApiSeries::from(series),
    ))
}

/// Convenes a series: the token's user (a person of our house) is its convenor and first
/// participant ("invite yourself").
#[utoipa::path(
    post,
    path = "/series",
    tag = "jour-fixe",
    operation_id = "createSeries",
    request_body = SeriesBody,
    responses(
        (status = 201, description = "Convened; `Location` is its address.", body = ApiSeries, headers(("Location" = String, description = "The new series' address."), ("ETag" = String, description = "Its version."))),
    ),
)]
pub(crate) async fn create_series(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<SeriesBody>,
) -> Result<Response, Problem> {
    let who = &bearer.principal;
    if who.person.is_none() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The token's user is linked to no person of our house: a series is convened by \
             one, who takes part in it.",
        ));
    }
    let series = state
        .app
        .create_series(who, &body.fields())
        .await
        .map_err(|e| renamed(e, SERIES_FIELDS))?;
    Ok(created(
        format!("/api/v1/series/{}", series.id.get()),
        series.version,
        &ApiSeries::from(series),
    ))
}

/// Changes a series: its convenor, a participant or an administrator. Its invitees are sent
/// the change; coming meetings not prepared yet follow the new recurrence.
#[utoipa::path(
    put,
    path = "/series/{id}",
    tag = "jour-fixe",
    operation_id = "updateSeries",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    request_body = SeriesBody,
    responses(
        (status = 200, description = "Changed; the series as it is now.", body = ApiSeries, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such series.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The series was called off: it is not changed any more.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn update_series(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<SeriesBody>,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    if state.app.series(who, id).await?.cancelled_at.is_some() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "The series was called off: it is not changed any more.",
        ));
    }
    let series = state
        .app
        .update_series(who, id, version, &body.fields())
        .await
        .map_err(|e| renamed(e, SERIES_FIELDS))?;
    Ok(changed(series.version, &ApiSeries::from(series)))
}

/// Whether a meeting takes place.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = MeetingStatus)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiMeetingStatus {
    /// It takes (or took) place.
    Planned,
    /// It was called off; the series goes on.
    Cancelled,
}

impl From<MeetingStatus> for ApiMeetingStatus {
    fn from(s: MeetingStatus) -> Self {
        match s {
            MeetingStatus::Planned => Self::Planned,
            MeetingStatus::Cancelled => Self::Cancelled,
        }
    }
}

/// One meeting of a series: an occurrence that was prepared, moved or cancelled.
#[derive(Serialize, ToSchema)]
#[schema(as = Meeting)]
pub(crate) struct ApiMeeting {
    /// Its id.
    id: i64,
    /// Its series.
    series_id: i64,
    /// The occurrence of the recurrence it is (RFC 3339): the key it is scheduled by.
    occurrence: String,
    /// When it starts (RFC 3339); a moved meeting's differs from `occurrence`.
    starts_at: String,
    /// When it ends (RFC 3339).
    ends_at: String,
    /// How long, in minutes.
    duration_minutes: i64,
    /// Where, if other than the series' place.
    place: Option<String>,
    /// Whether it takes place.
    status: ApiMeetingStatus,
    /// Counts up with every move or cancellation (not with what is said in it: see its
    /// agenda).
    version: i64,
}

impl From<Meeting> for ApiMeeting {
    fn from(m: Meeting) -> Self {
        Self {
            id: m.id.get(),
            series_id: m.series_id.get(),
            occurrence: instant(m.occurrence),
            starts_at: instant(m.starts_at),
            ends_at: instant(m.starts_at + chrono::Duration::minutes(m.duration_minutes)),
            duration_minutes: m.duration_minutes,
            place: m.place,
            status: m.status.into(),
            version: m.version,
        }
    }
}

/// An occurrence of a series: a recorded meeting, or a coming one not recorded yet.
#[derive(Serialize, ToSchema)]
#[schema(as = Occurrence)]
pub(crate) struct ApiOccurrence {
    /// The occurrence of the recurrence (RFC 3339): its key, and what `POST
    /// /series/{id}/meetings` schedules.
    occurrence: String,
    /// When it starts (RFC 3339): moved meetings differ from `occurrence`.
    starts_at: String,
    /// How long, in minutes.
    duration_minutes: i64,
    /// Whether it takes place.
    status: ApiMeetingStatus,
    /// Whether its agenda is prepared (then participants contribute to it).
    prepared: bool,
    /// Its meeting (`/meetings/{id}`), once recorded; null for a coming occurrence nobody
    /// prepared, moved or cancelled yet.
    meeting_id: Option<i64>,
}

impl ApiOccurrence {
    fn of(o: Occurrence, series: &Series) -> Self {
        match o.meeting {
            Some(m) => Self {
                occurrence: instant(m.occurrence),
                starts_at: instant(m.starts_at),
                duration_minutes: m.duration_minutes,
                status: m.status.into(),
                prepared: m.prepared_at.is_some(),
                meeting_id: Some(m.id.get()),
            },
            None => Self {
                occurrence: instant(o.at),
                starts_at: instant(o.at),
                duration_minutes: series.duration_minutes,
                status: ApiMeetingStatus::Planned,
                prepared: false,
                meeting_id: None,
            },
        }
    }
}

/// A page of a series' occurrences.
#[derive(Serialize, ToSchema)]
pub(crate) struct OccurrencePage {
    /// The occurrences of this page, by time.
    items: Vec<ApiOccurrence>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// An instant from a query or a body: RFC 3339.
fn parse_instant(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|at| at.to_utc())
}

/// Lists a series' meetings by occurrence, a page at a time: every meeting recorded (past
/// ones that were prepared, moved or cancelled), then the coming occurrences of a running
/// series for about two years ahead, each with its meeting if one is recorded.
#[utoipa::path(
    get,
    path = "/series/{id}/meetings",
    tag = "jour-fixe",
    operation_id = "listSeriesMeetings",
    params(
        ("id" = i64, Path, minimum = 0, description = "The series' id."),
        ("after" = Option<String>, Query, format = DateTime, description = "Only occurrences after this instant (RFC 3339): the last of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of occurrences, by time.", body = OccurrencePage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such series.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn series_meetings(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let id = SeriesId::new(parse_id("id", &id)?);
    let query = QueryParams::parse(raw.as_deref(), &["after", "limit"])?;
    let after = query
        .get("after")
        .map(|v| {
            parse_instant(v).ok_or_else(|| {
                Problem::bad_param(
                    "after",
                    "must be an instant, RFC 3339 (such as 2027-01-05T08:00:00Z)",
                )
            })
        })
        .transpose()?;
    let limit = query.limit()?;
    let who = &bearer.principal;
    let series = state.app.series(who, id).await?;
    let mut rows = state
        .app
        .series_occurrences(who, id, after, u16::try_from(limit + 1).unwrap_or(u16::MAX))
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = more
        .then(|| rows.last().map(|o| o.at))
        .flatten()
        .map(|last| query.next_after(&format!("/series/{}/meetings", id.get()), &instant(last)));
    let items = rows
        .into_iter()
        .map(|o| ApiOccurrence::of(o, &series))
        .collect();
    Ok(plain(OccurrencePage { items, next }))
}

/// An occurrence to schedule.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewMeeting {
    /// One of the series' occurrences (RFC 3339), as its list of meetings names it.
    occurrence: String,
}

/// Schedules an occurrence of a series now: its meeting is recorded and its agenda prepared
/// from the data as it is (the server does this itself three days before; this is "prepare
/// now" on the series page). Scheduling one already prepared answers with its meeting as it
/// is.
#[utoipa::path(
    post,
    path = "/series/{id}/meetings",
    tag = "jour-fixe",
    operation_id = "scheduleMeeting",
    params(("id" = i64, Path, minimum = 0, description = "The series' id.")),
    request_body = NewMeeting,
    responses(
        (status = 201, description = "Scheduled; `Location` is the meeting's address.", body = ApiMeeting, headers(("Location" = String, description = "The meeting's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such series.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The occurrence was called off.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn schedule_meeting(
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
    let who = &bearer.principal;
    state.app.series(who, id).await?;
    let meeting = match state.app.prepare_occurrence(who, id, at).await {
        Ok(meeting) => meeting,
        Err(counterpart_app::Error::NotFound) => {
            return Err(Problem::bad_field(
                "occurrence",
                "is no coming occurrence of this series (see its meetings)",
            ));
        }
        Err(counterpart_app::Error::NotApplicable) => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "This occurrence was called off.",
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

/// Prepares a meeting's agenda again from the data as it is now (accounts added to the
/// series or its rule since, say), as "prepare again" on the meeting page does: its
/// convenor, a participant or an administrator. Only while nothing happened in the meeting —
/// no contribution, no decision, no action, no item a participant added — so that nothing
/// anyone wrote is lost; a meeting not prepared yet is prepared now. It takes no body and no
/// `If-Match`: the rule that nothing happened in it is what guards it, and the meeting's
/// version does not count what is said in it. The new agenda is `/meetings/{id}/agenda`.
#[utoipa::path(
    post,
    path = "/meetings/{id}/preparation",
    tag = "jour-fixe",
    operation_id = "prepareMeetingAgain",
    params(("id" = i64, Path, minimum = 0, description = "The meeting's id.")),
    responses(
        (status = 200, description = "Prepared again; the meeting (its agenda is `/meetings/{id}/agenda`).", body = ApiMeeting, headers(("ETag" = String, description = "Its version."))),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting was called off, or something happened in it already; the detail says which.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn prepare_again(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let meeting = match state.app.prepare_again(who, id).await {
        Ok(meeting) => meeting,
        Err(counterpart_app::Error::NotApplicable) => {
            let meeting = state.app.meeting(who, id).await?;
            let detail = if meeting.status == MeetingStatus::Cancelled {
                "This meeting was called off: its agenda is not prepared again."
            } else {
                "Something happened in this meeting already (a contribution, a decision, an \
                 action or an item a participant added): its agenda is not prepared again, so \
                 that nothing written in it is lost."
            };
            return Err(Problem::new(StatusCode::CONFLICT, detail));
        }
        Err(other) => return Err(other.into()),
    };
    Ok(changed(meeting.version, &ApiMeeting::from(meeting)))
}

/// One meeting (its agenda is `/meetings/{id}/agenda`).
#[utoipa::path(
    get,
    path = "/meetings/{id}",
    tag = "jour-fixe",
    operation_id = "getMeeting",
    params(("id" = i64, Path, minimum = 0, description = "The meeting's id.")),
    responses(
        (status = 200, description = "The meeting.", body = ApiMeeting, headers(("ETag" = String, description = "The version, such as \"v3\": send it as `If-None-Match` to be told 304 while it is unchanged, and as `If-Match` to move it."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn meeting(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let meeting = state.app.meeting(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        meeting.version,
        &ApiMeeting::from(meeting),
    ))
}

/// Where and when a meeting is to take place.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeetingMove {
    /// When it starts (RFC 3339, to the minute).
    starts_at: String,
    /// How long, 15 to 480 minutes.
    duration_minutes: i64,
    /// Another place than the series', up to 300 characters; left out: the series' place.
    #[serde(default)]
    place: Option<String>,
}

/// Moves a meeting to another time, length or place (a called-off one takes place again);
/// its invitees are sent the change. Its convenor, a participant or an administrator.
#[utoipa::path(
    put,
    path = "/meetings/{id}",
    tag = "jour-fixe",
    operation_id = "moveMeeting",
    params(("id" = i64, Path, minimum = 0, description = "The meeting's id.")),
    request_body = MeetingMove,
    responses(
        (status = 200, description = "Moved; the meeting as it is now.", body = ApiMeeting, headers(("ETag" = String, description = "Its new version."))),
        (status = 404, description = "No such meeting.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn move_meeting(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody<MeetingMove>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let who = &bearer.principal;
    let current = state.app.meeting(who, id).await?;
    let series = state.app.series(who, current.series_id).await?;
    let Some(starts_at) = parse_instant(&body.starts_at) else {
        return Err(Problem::bad_field(
            "starts_at",
            "must be an instant, RFC 3339 (such as 2027-01-05T10:30:00+01:00)",
        ));
    };
    if starts_at.second() != 0 || starts_at.nanosecond() != 0 {
        return Err(Problem::bad_field("starts_at", "must be a whole minute"));
    }
    // The use case takes the wall time in the series' zone, as the form does; an instant
    // whose wall time is another's too (the hour the clocks go back) is refused rather than
    // moved to the other.
    let zone: chrono_tz::Tz = series.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let wall = starts_at.with_timezone(&zone).naive_local();
    if zone
        .from_local_datetime(&wall)
        .earliest()
        .map(|at| at.to_utc())
        != Some(starts_at)
    {
        return Err(Problem::bad_field(
            "starts_at",
            "falls in the hour the clocks go back, which the series' time zone has twice; \
             choose another time",
        ));
    }
    let fields = MoveFields {
        date: wall.date().to_string(),
        time: wall.format("%H:%M").to_string(),
        duration_minutes: body.duration_minutes.to_string(),
        place: body.place.unwrap_or_default(),
    };
    let meeting = state
        .app
        .move_meeting(who, id, version, &fields)
        .await
        .map_err(|e| renamed(e, &[("date", "starts_at"), ("time", "starts_at")]))?;
    Ok(changed(meeting.version, &ApiMeeting::from(meeting)))
}

/// What a contribution is.
#[derive(Clone, Copy, Serialize, ToSchema)]
#[schema(as = ContributionKind)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiContributionKind {
    /// What someone knows about the item's account, recorded as their insight.
    Insight,
    /// What someone said on an item about no account.
    Note,
    /// A decision.
    Decision,
}

impl From<ContributionKind> for ApiContributionKind {
    fn from(k: ContributionKind) -> Self {
        match k {
            ContributionKind::Insight => Self::Insight,
            ContributionKind::Note => Self::Note,
            ContributionKind::Decision => Self::Decision,
        }
    }
}

/// What was said or decided on an agenda item.
#[derive(Serialize, ToSchema)]
#[schema(as = Contribution)]
pub(crate) struct ApiContribution {
    /// Its id.
    id: i64,
    /// What it is.
    kind: ApiContributionKind,
    /// What was said or decided (an insight's text as the insight has it now).
    text: String,
    /// The insight it became (`/insights/{id}`), for an insight.
    insight_id: Option<i64>,
    /// The insight's category, for an insight.
    category: Option<ApiCategory>,
    /// Whether the insight is confidential (shown only to those who may read it).
    confidential: bool,
    /// Who made it.
    author_name: String,
    /// When (RFC 3339).
    at: String,
}

/// An action agreed on an agenda item.
#[derive(Serialize, ToSchema)]
#[schema(as = AgreedAction)]
pub(crate) struct ApiAction {
    /// Its id.
    id: i64,
    /// What is to be done.
    title: String,
    /// Who does it (a person of ours).
    owner_id: i64,
    /// Their name.
    owner_name: String,
    /// By when, `YYYY-MM-DD`.
    due_on: String,
    /// When it was done, `YYYY-MM-DD`; null while open.
    done_on: Option<String>,
    /// Counts up with every change: send `"v<version>"` as `If-Match` to mark it done
    /// (`PUT /actions/{id}`).
    version: i64,
}

/// An item on a meeting's agenda with what was said, decided and agreed on it.
#[derive(Serialize, ToSchema)]
#[schema(as = AgendaItem)]
pub(crate) struct ApiAgendaItem {
    /// Its id (what a contribution is posted to).
    id: i64,
    /// Its place in the order, from 1.
    position: i64,
    /// Its title: the account's name, or what a participant wrote.
    title: String,
    /// The account it is about, for a prepared item.
    account_id: Option<i64>,
    /// Whether a participant added it (rather than the preparation).
    added: bool,
    /// Contributions and decisions in the order made (a confidential insight only for
    /// those who may read it).
    contributions: Vec<ApiContribution>,
    /// The actions agreed on it.
    actions: Vec<ApiAction>,
}

/// A meeting's agenda.
#[derive(Serialize, ToSchema)]
#[schema(as = Agenda)]
pub(crate) struct ApiAgenda {
    /// The meeting.
    meeting_id: i64,
    /// When the agenda was prepared (RFC 3339); null: not yet (then it has no items).
    prepared_at: Option<String>,
    /// The items, in order.
    items: Vec<ApiAgendaItem>,
}

/// A meeting's agenda items as the meeting page shows them to its reader: each with what was
/// said, decided and agreed on it (a confidential contribution only for those who may read
/// it).
fn agenda_items(page: &counterpart_app::jour_fixe::MeetingPage) -> Vec<ApiAgendaItem> {
    page.agenda
        .iter()
        .map(|item| ApiAgendaItem {
            id: item.id.get(),
            position: item.position,
            title: item.title.clone(),
            account_id: item.account_id.map(|a| a.get()),
            added: item.added_by.is_some(),
            contributions: page
                .contributions
                .iter()
                .filter(|c| c.item_id == item.id)
                .filter_map(|c| {
                    let insight = match c.kind {
                        // One the reader may not see is left out, as on the page.
                        ContributionKind::Insight => Some(page.insights.get(&c.insight_id?)?),
                        _ => None,
                    };
                    Some(ApiContribution {
                        id: c.id,
                        kind: c.kind.into(),
                        text: insight
                            .map(|v| v.insight.text.clone())
                            .or_else(|| c.text.clone())
                            .unwrap_or_default(),
                        insight_id: insight.map(|v| v.insight.id.get()),
                        category: insight.map(|v| v.insight.category.into()),
                        confidential: insight.is_some_and(|v| v.insight.confidential),
                        author_name: c.author_name.clone(),
                        at: instant(c.at),
                    })
                })
                .collect(),
            actions: page
                .actions
                .iter()
                .filter(|a| a.item_id == Some(item.id))
                .map(|a| ApiAction {
                    id: a.action.id.get(),
                    title: a.action.title.clone(),
                    owner_id: a.action.owner_id.get(),
                    owner_name: a.owner_name.clone(),
                    due_on: a.action.due_on.to_string(),
                    done_on: a.action.done_on.map(|d| d.to_string()),
                    version: a.action.version,
                })
                .collect(),
        })
        .collect()
}

/// A meeting's agenda: each item with what was said, decided and agreed on it, as the
/// meeting page shows it to the token's user (a confidential contribution only to those who
/// may read it).
#[utoipa::path(
    get,
    path = "/meetings/{id}/agenda",
    tag = "jour-fixe",
    operation_id = "getMeetingAgenda",
    params(("id" = i64, Path, minimum = 0, description = "The meeting's id.")),
    responses(
        (status = 200, description = "The agenda.", body = ApiAgenda, headers(("ETag" = String, description = "Send it as `If-None-Match` to be told 304 while nothing was said or changed."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such meeting.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn agenda(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let page = state.app.meeting_page(&bearer.principal, id).await?;
    tagged(&headers, &agenda_of(&page))
}

/// A meeting's agenda as the API answers it, from its page as the reader sees it.
fn agenda_of(page: &counterpart_app::jour_fixe::MeetingPage) -> ApiAgenda {
    ApiAgenda {
        meeting_id: page.meeting.id.get(),
        prepared_at: page.meeting.prepared_at.map(instant),
        items: agenda_items(page),
    }
}

/// What a participant says on an agenda item: on an item about an account, what they know,
/// recorded as their insight about it; on another item, a note (its text only).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContributionBody {
    /// Its category.
    category: ApiCategory,
    /// What they say, up to 4,000 characters (line breaks allowed).
    text: String,
    /// When it was learned, `YYYY-MM-DD`; left out: today.
    #[serde(default)]
    learned_on: Option<String>,
    /// Heard (the default) or confirmed.
    #[serde(default)]
    certainty: Option<ApiCertainty>,
    /// Until when it holds, `YYYY-MM-DD`.
    #[serde(default)]
    valid_until: Option<String>,
    /// Read only by its author, their unit, the units above it and administrators (default
    /// false).
    #[serde(default)]
    confidential: bool,
}

/// A contribution as made.
#[derive(Serialize, ToSchema)]
#[schema(as = ContributionMade)]
pub(crate) struct ApiContributionMade {
    /// The meeting.
    meeting_id: i64,
    /// The item.
    item_id: i64,
    /// `insight` on an item about an account, else `note`.
    kind: ApiContributionKind,
    /// The insight it became, for an insight.
    insight: Option<ApiInsight>,
    /// The note's text, for a note.
    text: Option<String>,
}

/// Adds a contribution to an item of a prepared meeting: a participant's (or an
/// administrator's). Several participants writing at once each keep theirs.
#[utoipa::path(
    post,
    path = "/meetings/{id}/items/{item}/contributions",
    tag = "jour-fixe",
    operation_id = "createContribution",
    params(
        ("id" = i64, Path, minimum = 0, description = "The meeting's id."),
        ("item" = i64, Path, minimum = 0, description = "The agenda item's id."),
    ),
    request_body = ContributionBody,
    responses(
        (status = 201, description = "Made; `Location` is the insight it became (or, for a note, the agenda).", body = ApiContributionMade, headers(("Location" = String, description = "The insight's address, or the agenda's."))),
        (status = 404, description = "No such meeting, or no such item on its agenda.", body = super::ProblemBody, content_type = "application/problem+json"),
        (status = 409, description = "The meeting is not prepared yet, or was called off.", body = super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn contribute(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((id, item)): Path<(String, String)>,
    JsonBody(body): JsonBody<ContributionBody>,
) -> Result<Response, Problem> {
    let id = MeetingId::new(parse_id("id", &id)?);
    let item = ItemId::new(parse_id("item", &item)?);
    let fields = counterpart_core::insight::InsightFields {
        category: counterpart_core::insight::Category::from(body.category)
            .as_str()
            .to_owned(),
        text: body.text.clone(),
        learned_on: body.learned_on.clone().unwrap_or_default(),
        source_id: String::new(),
        certainty: body
            .certainty
            .map(|c| {
                counterpart_core::insight::Certainty::from(c)
                    .as_str()
                    .to_owned()
            })
            .unwrap_or_default(),
        valid_until: body.valid_until.clone().unwrap_or_default(),
        confidential: if body.confidential { "1" } else { "" }.to_owned(),
    };
    let who = &bearer.principal;
    let made = match state.app.contribute(who, (id, item), &fields).await {
        Ok(made) => made,
        Err(counterpart_app::Error::NotApplicable) => {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "This meeting is not open for contributions: its agenda is not prepared yet, \
                 or it was called off.",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    let (location, answer) = match made {
        Some(insight) => {
            let insight = state.app.insight(who, insight).await?;
            (
                format!("/api/v1/insights/{}", insight.id.get()),
                ApiContributionMade {
                    meeting_id: id.get(),
                    item_id: item.get(),
                    kind: ApiContributionKind::Insight,
                    insight: Some(insight.into()),
                    text: None,
                },
            )
        }
        None => (
            format!("/api/v1/meetings/{}/agenda", id.get()),
            ApiContributionMade {
                meeting_id: id.get(),
                item_id: item.get(),
                kind: ApiContributionKind::Note,
                insight: None,
                text: counterpart_core::validate::optional_multiline(
                    &body.text,
                    counterpart_core::insight::MAX_TEXT,
                )
                .ok()
                .flatten(),
            },
        ),
    };
    Ok(created_at(&location, &answer))
}
