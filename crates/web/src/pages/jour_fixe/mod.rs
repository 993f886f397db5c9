//! The customer jour fixe: the list of series with the user's calendar subscription, a
//! series' form and page (participants, accounts, coming meetings, invitations as `.ics`), and
//! the meetings themselves ([`meetings`]).

mod meetings;
mod prepared;

pub(crate) use prepared::PreparedBlocks;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, Utc};
use counterpart_app::jour_fixe::{Occurrence, SeriesPage};
use counterpart_core::ids::{AccountId, PersonId, SeriesId};
use counterpart_core::jour_fixe::recurrence::Repeat;
use counterpart_core::jour_fixe::{Series, SeriesFields};
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::SeriesSummary;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::forms::{FormPage, error_lines, rejected, unit_field};
use crate::render::picker::{PickScope, Picker};
use crate::render::{Field, FormState, PageResult, page, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/jour-fixe", get(list))
        .route("/jour-fixe/new", get(new_form).post(create))
        .route("/jour-fixe/calendar", post(create_calendar))
        .route("/jour-fixe/calendar/revoke", post(revoke_calendar))
        .route("/jour-fixe/{id}", get(show))
        .route("/jour-fixe/{id}/edit", get(edit_form).post(edit))
        .route("/jour-fixe/{id}/cancel", post(cancel))
        .route("/jour-fixe/{id}/participants", post(add_participant))
        .route(
            "/jour-fixe/{id}/participants/remove",
            post(remove_participant),
        )
        .route("/jour-fixe/{id}/accounts", post(cover_account))
        .route("/jour-fixe/{id}/accounts/remove", post(uncover_account))
        .route("/jour-fixe/{id}/occurrences/prepare", post(prepare))
        .route(
            "/jour-fixe/{id}/occurrences/cancel",
            post(cancel_occurrence),
        )
        .route("/jour-fixe/{id}/invitation.ics", get(invitation))
        .route("/feeds/calendar/{file}", get(feed))
        .route("/accounts/{id}/jour-fixe", post(add_to_series))
        .merge(meetings::router())
}

/// A calendar file as a response: `text/calendar`, offered for download as `name`.
pub(crate) fn calendar_response(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// How a recurrence reads: "monatlich, jeden 1. Dienstag" or the RRULE itself.
pub(crate) fn recurrence_text(t: &Texts, series: &Series) -> String {
    let first = series.first_start.date();
    let repeat = Repeat::of(&series.rrule, first);
    let weekday = t.weekday(first);
    match repeat {
        Repeat::Weekly => format!("{} {weekday}", t.jf_repeat_weekly_on),
        Repeat::Fortnightly => format!("{} {weekday}", t.jf_repeat_fortnightly_on),
        Repeat::MonthlyWeekday | Repeat::QuarterlyWeekday => {
            let nth = match counterpart_core::jour_fixe::recurrence::week_of_month(first) {
                -1 => t.jf_last.to_owned(),
                n => format!("{n}."),
            };
            let every = if repeat == Repeat::MonthlyWeekday {
                t.jf_repeat_monthly_on
            } else {
                t.jf_repeat_quarterly_on
            };
            format!("{every} {nth} {weekday}")
        }
        Repeat::MonthlyDay => format!("{} {}.", t.jf_repeat_monthly_day, first.format("%-d")),
        Repeat::Custom => format!("RRULE:{}", series.rrule),
    }
}

/// The repeat choices the form offers for a first day.
fn repeat_choices(t: &Texts) -> Vec<(String, String)> {
    Repeat::ALL
        .iter()
        .map(|r| {
            let label = match r {
                Repeat::Weekly => t.jf_repeat_weekly,
                Repeat::Fortnightly => t.jf_repeat_fortnightly,
                Repeat::MonthlyWeekday => t.jf_repeat_monthly_weekday,
                Repeat::MonthlyDay => t.jf_repeat_monthly_day_choice,
                Repeat::QuarterlyWeekday => t.jf_repeat_quarterly,
                Repeat::Custom => t.jf_repeat_custom,
            };
            (r.as_str().to_owned(), label.to_owned())
        })
        .collect()
}

#[derive(Template)]
#[template(path = "jour_fixe/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    rows: Vec<ListRow>,
    /// A calendar address made just now, shown this once.
    new_calendar: Option<String>,
    /// The reader's calendar addresses: (id, made, last used, revoked).
    calendars: Vec<(i64, String, Option<String>, Option<String>)>,
}

struct ListRow {
    id: SeriesId,
    name: String,
    unit: String,
    convenor: String,
    participants: i64,
    recurrence: String,
    cancelled: bool,
}

async fn list_page(state: &AppState, ctx: &Ctx, new_calendar: Option<String>) -> PageResult {
    let who = ctx.principal();
    let t = ctx.t();
    let (series, calendars) =
        tokio::try_join!(state.app.series_list(&who), state.app.calendar_tokens(&who),)?;
    let rows = series
        .into_iter()
        .map(|s: SeriesSummary| ListRow {
            id: s.series.id,
            recurrence: recurrence_text(t, &s.series),
            cancelled: s.series.cancelled_at.is_some(),
            name: s.series.name,
            unit: s.unit_name,
            convenor: s.convenor_name,
            participants: s.participants,
        })
        .collect();
    let calendars = calendars
        .into_iter()
        .map(|c| {
            (
                c.id,
                ctx.datetime(&c.created_at),
                c.last_used_at.map(|at| ctx.datetime(&at)),
                c.revoked_at.map(|at| ctx.datetime(&at)),
            )
        })
        .collect();
    Ok(page(&ListPage {
        ctx,
        t,
        rows,
        new_calendar,
        calendars,
    }))
}

async fn list(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    list_page(&state, &ctx, None).await
}

/// The calendar form: a button that says what it makes.
#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    create: String,
}

async fn create_calendar(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<CreateForm>,
) -> PageResult {
    if form.create != "calendar" {
        return Err(AppError::BadRequest);
    }
    let token = state.app.create_calendar_token(&ctx.principal()).await?;
    let address = format!("{}/feeds/calendar/{token}.ics", state.public_base());
    list_page(&state, &ctx, Some(address)).await
}

#[derive(Deserialize)]
struct IdForm {
    #[serde(default)]
    id: String,
}

async fn revoke_calendar(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<IdForm>,
) -> PageResult {
    let id = form
        .id
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    state
        .app
        .revoke_calendar_token(&ctx.principal(), id)
        .await?;
    Ok(see_other("/jour-fixe#calendar"))
}

/// The calendar subscription: no login, the token is the key. An unknown or revoked token is
/// a 404 like any other unknown address.
async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let body = state
        .app
        .calendar_feed(token, &state.public_base())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(calendar_response(body, "jour-fixe.ics"))
}

/// The series form's values as sent, with the version it was read at.
#[derive(Deserialize, Default)]
struct SeriesForm {
    #[serde(flatten)]
    fields: SeriesFields,
    #[serde(default)]
    version: String,
}

async fn series_form(
    state: &AppState,
    ctx: &Ctx,
    f: &SeriesFields,
    version: Option<i64>,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let chosen = [&f.unit_id, &f.rule_unit_id].map(|id| id.trim().parse().ok());
    let units = state
        .app
        .our_unit_choice(&ctx.principal(), chosen.into_iter().flatten())
        .await?;
    let every = |_: &_| true;
    let kinds = [
        (String::new(), t.jf_rule_any_kind.to_owned()),
        ("internal".to_owned(), t.jf_rule_internal.to_owned()),
        ("external".to_owned(), t.jf_rule_external.to_owned()),
    ];
    let tiers = [
        (String::new(), t.jf_rule_any_tier.to_owned()),
        ("A".to_owned(), "A".to_owned()),
        ("B".to_owned(), "B".to_owned()),
        ("C".to_owned(), "C".to_owned()),
    ];
    let rule = [
        (String::new(), t.jf_rule_off.to_owned()),
        ("1".to_owned(), t.jf_rule_on.to_owned()),
    ];
    let mut fields = vec![
        Field::text("name", t.jf_field_name, &f.name).required(),
        unit_field(
            "unit_id",
            t.jf_field_unit,
            &f.unit_id,
            units.clone(),
            None,
            every,
        )
        .required(),
        Field::input("date", "first_date", t.jf_field_first_date, &f.first_date).required(),
        Field::input("time", "start_time", t.jf_field_start_time, &f.start_time).required(),
        Field::input(
            "number",
            "duration_minutes",
            t.jf_field_duration,
            &f.duration_minutes,
        )
        .hint(t.jf_field_duration_hint),
        Field::select("repeat", t.jf_field_repeat, &f.repeat, repeat_choices(t)).required(),
        Field::text("rrule", t.jf_field_rrule, &f.rrule).hint(t.jf_field_rrule_hint),
        Field::text("time_zone", t.jf_field_time_zone, &f.time_zone)
            .hint(t.jf_field_time_zone_hint),
        Field::text("place", t.jf_field_place, &f.place),
        Field::select("rule", t.jf_field_rule, &f.rule, rule).hint(t.jf_field_rule_hint),
        Field::select(
            "rule_internal",
            t.jf_field_rule_internal,
            &f.rule_internal,
            kinds,
        ),
        Field::select("rule_tier", t.jf_field_rule_tier, &f.rule_tier, tiers),
        unit_field(
            "rule_unit_id",
            t.jf_field_rule_unit,
            &f.rule_unit_id,
            units,
            Some(t.jf_rule_any_unit),
            every,
        ),
    ];
    if let Some(version) = version {
        fields.push(Field::hidden("version", version.to_string()));
    }
    Ok(FormState::new(fields))
}

fn form_page<'a>(ctx: &'a Ctx, series: Option<&Series>, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    match series {
        None => FormPage {
            ctx,
            t,
            crumbs: vec![(t.jf_title.to_owned(), "/jour-fixe".to_owned())],
            heading: t.jf_new.to_owned(),
            intro: Some(t.jf_new_intro),
            action: "/jour-fixe/new".to_owned(),
            submit: t.jf_convene,
            cancel: "/jour-fixe".to_owned(),
            form,
        },
        Some(s) => FormPage {
            ctx,
            t,
            crumbs: vec![
                (t.jf_title.to_owned(), "/jour-fixe".to_owned()),
                (s.name.clone(), format!("/jour-fixe/{}", s.id)),
            ],
            heading: t.jf_edit.to_owned(),
            intro: Some(t.jf_edit_intro),
            action: format!("/jour-fixe/{}/edit", s.id),
            submit: t.save,
            cancel: format!("/jour-fixe/{}", s.id),
            form,
        },
    }
}

async fn new_form(State(state): State<AppState>, Editor(ctx): Editor) -> PageResult {
    let fields = SeriesFields {
        start_time: "09:00".to_owned(),
        duration_minutes: "60".to_owned(),
        repeat: Repeat::MonthlyWeekday.as_str().to_owned(),
        time_zone: state.app.config().time_zone.name().to_owned(),
        unit_id: state
            .app
            .own_unit_of(&ctx.principal())
            .await?
            .map(|u| u.to_string())
            .unwrap_or_default(),
        ..SeriesFields::default()
    };
    let form = series_form(&state, &ctx, &fields, None).await?;
    Ok(page(&form_page(&ctx, None, form)))
}

async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(form): Form<SeriesForm>,
) -> PageResult {
    match state
        .app
        .create_series(&ctx.principal(), &form.fields)
        .await
    {
        Ok(series) => Ok(see_other(&format!("/jour-fixe/{}", series.id))),
        Err(counterpart_app::Error::NotApplicable) => {
            let state_form = series_form(&state, &ctx, &form.fields, None)
                .await?
                .with_conflict(ctx.t().jf_needs_person.to_owned());
            Ok(rejected(&form_page(&ctx, None, state_form)))
        }
        Err(error) => {
            let refused = series_form(&state, &ctx, &form.fields, None)
                .await?
                .refused(&ctx, error, 0)?;
            Ok(rejected(&form_page(&ctx, None, refused)))
        }
    }
}

fn fields_of(series: &Series) -> SeriesFields {
    let first = series.first_start.date();
    let repeat = Repeat::of(&series.rrule, first);
    let rule = series.rule.clone().unwrap_or_default();
    SeriesFields {
        name: series.name.clone(),
        unit_id: series.unit_id.to_string(),
        first_date: first.to_string(),
        start_time: series.first_start.format("%H:%M").to_string(),
        duration_minutes: series.duration_minutes.to_string(),
        time_zone: series.time_zone.clone(),
        repeat: repeat.as_str().to_owned(),
        rrule: if repeat == Repeat::Custom {
            series.rrule.clone()
        } else {
            String::new()
        },
        place: series.place.clone().unwrap_or_default(),
        rule: if series.rule.is_some() { "1" } else { "" }.to_owned(),
        rule_internal: match rule.internal {
            Some(true) => "internal",
            Some(false) => "external",
            None => "",
        }
        .to_owned(),
        rule_tier: rule.tier.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        rule_unit_id: rule.unit_id.map(|u| u.to_string()).unwrap_or_default(),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
) -> PageResult {
    let series = state.app.series_page(&ctx.principal(), id).await?.series;
    let form = series_form(&state, &ctx, &fields_of(&series), Some(series.version)).await?;
    Ok(page(&form_page(&ctx, Some(&series), form)))
}

async fn edit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<SeriesForm>,
) -> PageResult {
    let version = form.version.trim().parse().unwrap_or(0);
    match state
        .app
        .update_series(&ctx.principal(), id, version, &form.fields)
        .await
    {
        Ok(series) => Ok(see_other(&format!("/jour-fixe/{}", series.id))),
        Err(error) => {
            let current = state.app.series_page(&ctx.principal(), id).await?.series;
            let refused = series_form(&state, &ctx, &form.fields, Some(version))
                .await?
                .refused(&ctx, error, current.version)?;
            Ok(rejected(&form_page(&ctx, Some(&current), refused)))
        }
    }
}

#[derive(Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: String,
}

async fn cancel(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<VersionForm>,
) -> PageResult {
    let version = form
        .version
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    state
        .app
        .cancel_series(&ctx.principal(), id, version)
        .await?;
    Ok(see_other(&format!("/jour-fixe/{id}")))
}

#[derive(Template)]
#[template(path = "jour_fixe/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    page: SeriesPage,
    recurrence: String,
    coming: Vec<ComingRow>,
    past: Vec<(i64, String)>,
    picker: Option<Picker>,
    /// Accounts whose name matches `account_q`, to add.
    accounts: Vec<(AccountId, String)>,
    account_q: String,
    errors: Vec<String>,
}

struct ComingRow {
    /// The occurrence, as the forms send it back.
    at: String,
    when: String,
    meeting: Option<i64>,
    prepared: bool,
    cancelled: bool,
    moved: bool,
}

fn coming_row(ctx: &Ctx, o: &Occurrence) -> ComingRow {
    ComingRow {
        at: o.at.to_rfc3339(),
        when: ctx.datetime(&o.starts_at()),
        meeting: o.meeting.as_ref().map(|m| m.id.get()),
        prepared: o.meeting.as_ref().is_some_and(|m| m.prepared_at.is_some()),
        cancelled: o.cancelled(),
        moved: o
            .meeting
            .as_ref()
            .is_some_and(|m| m.starts_at != m.occurrence),
    }
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: SeriesId,
    account_q: &str,
    errors: Vec<String>,
) -> PageResult {
    let who = ctx.principal();
    let t = ctx.t();
    let page = state.app.series_page(&who, id).await?;
    let own = state.app.own_organization_id(&who).await?;
    let picker = own
        .filter(|_| page.may_change && page.series.cancelled_at.is_none())
        .map(|own| {
            Picker::new(
                "person_id",
                t.jf_add_participant,
                PickScope::Organization(own),
            )
            .required()
        });
    let accounts = if page.may_change && page.series.cancelled_at.is_none() {
        state.app.accounts_named(&who, account_q).await?
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ShowPage {
            recurrence: recurrence_text(t, &page.series),
            coming: page.coming.iter().map(|o| coming_row(ctx, o)).collect(),
            past: page
                .past
                .iter()
                .map(|m| (m.id.get(), ctx.datetime(&m.starts_at)))
                .collect(),
            ctx,
            t,
            page,
            picker,
            accounts,
            account_q: account_q.to_owned(),
            errors,
        },
        status,
    ))
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    #[serde(default)]
    account_q: String,
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<SeriesId>,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    show_page(&state, &ctx, id, &query.account_q, Vec::new()).await
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    person_id: String,
}

/// A refused membership change: the series page with the problem named on top.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    id: SeriesId,
    error: counterpart_app::Error,
) -> PageResult {
    match error {
        counterpart_app::Error::Invalid(errors) => {
            show_page(state, ctx, id, "", error_lines(ctx, &errors)).await
        }
        other => Err(other.into()),
    }
}

fn person_of(raw: &str, field: &'static str) -> Result<PersonId, counterpart_app::Error> {
    match raw.trim() {
        "" => Err(counterpart_app::Error::Invalid(FieldErrors::single(
            field,
            Problem::Required,
        ))),
        id => id.parse().map_err(|_| {
            counterpart_app::Error::Invalid(FieldErrors::single(field, Problem::NotFound))
        }),
    }
}

async fn add_participant(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<PersonForm>,
) -> PageResult {
    let result = match person_of(&form.person_id, "person_id") {
        Ok(person) => {
            state
                .app
                .add_participant(&ctx.principal(), id, person)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/jour-fixe/{id}#participants"))),
        Err(error) => refused(&state, &ctx, id, error).await,
    }
}

async fn remove_participant(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<PersonForm>,
) -> PageResult {
    let result = match person_of(&form.person_id, "person_id") {
        Ok(person) => {
            state
                .app
                .remove_participant(&ctx.principal(), id, person)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/jour-fixe/{id}#participants"))),
        Err(error) => refused(&state, &ctx, id, error).await,
    }
}

#[derive(Deserialize)]
struct AccountForm {
    #[serde(default)]
    account_id: String,
}

#[derive(Deserialize)]
struct SeriesChoice {
    #[serde(default)]
    series_id: String,
}

/// The account page's "add to series": back to the account's jour-fixe section.
async fn add_to_series(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(account): Path<AccountId>,
    Form(form): Form<SeriesChoice>,
) -> PageResult {
    let series: SeriesId = form
        .series_id
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest)?;
    state
        .app
        .cover_account(&ctx.principal(), series, account)
        .await?;
    Ok(see_other(&format!("/accounts/{account}#jour-fixe")))
}

fn account_of(raw: &str) -> Result<AccountId, counterpart_app::Error> {
    match raw.trim() {
        "" => Err(counterpart_app::Error::Invalid(FieldErrors::single(
            "account_id",
            Problem::Required,
        ))),
        id => id.parse().map_err(|_| {
            counterpart_app::Error::Invalid(FieldErrors::single("account_id", Problem::NotFound))
        }),
    }
}

async fn cover_account(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<AccountForm>,
) -> PageResult {
    let result = match account_of(&form.account_id) {
        Ok(account) => state
            .app
            .cover_account(&ctx.principal(), id, account)
            .await
            .map(|_| account),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/jour-fixe/{id}#accounts"))),
        Err(error) => refused(&state, &ctx, id, error).await,
    }
}

async fn uncover_account(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<AccountForm>,
) -> PageResult {
    let result = match account_of(&form.account_id) {
        Ok(account) => {
            state
                .app
                .uncover_account(&ctx.principal(), id, account)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/jour-fixe/{id}#accounts"))),
        Err(error) => refused(&state, &ctx, id, error).await,
    }
}

#[derive(Deserialize)]
struct OccurrenceForm {
    #[serde(default)]
    at: String,
}

fn occurrence_of(form: &OccurrenceForm) -> Result<DateTime<Utc>, AppError> {
    DateTime::parse_from_rfc3339(form.at.trim())
        .map(|at| at.to_utc())
        .map_err(|_| AppError::BadRequest)
}

async fn prepare(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<OccurrenceForm>,
) -> PageResult {
    let at = occurrence_of(&form)?;
    let meeting = state
        .app
        .prepare_occurrence(&ctx.principal(), id, at)
        .await?;
    Ok(see_other(&format!("/meetings/{}", meeting.id)))
}

async fn cancel_occurrence(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<SeriesId>,
    Form(form): Form<OccurrenceForm>,
) -> PageResult {
    let at = occurrence_of(&form)?;
    state
        .app
        .cancel_occurrence(&ctx.principal(), id, at)
        .await?;
    Ok(see_other(&format!("/jour-fixe/{id}#coming")))
}

async fn invitation(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<SeriesId>,
) -> Result<Response, AppError> {
    let body = state
        .app
        .series_calendar(&ctx.principal(), id, &state.public_base())
        .await?;
    Ok(calendar_response(body, &format!("jour-fixe-{id}.ics")))
}
