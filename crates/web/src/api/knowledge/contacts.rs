//! The contact log through the API: the contacts with a partner person or on an account, one
//! contact, and logging one (with who else was there and, if anything, what was learned in
//! it), through the use case the person and account pages' quick forms call. A logged contact
//! is not changed or removed afterwards: the pages offer neither. And finding the partner
//! person a contact was with by their e-mail address, across organizations (`GET /people`).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use counterpart_app::interactions::MAX_ALSO;
use counterpart_core::ids::{AccountId, InteractionId, PersonId};
use counterpart_core::insight::{Certainty, InsightFields};
use counterpart_core::interaction::{InteractionFields, Kind};
use counterpart_store::{ContactFilter, LoggedContact, Subject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::master::PersonPage;
use super::super::resources::{ApiPerson, QueryParams, page, parse_id, plain};
use super::super::write::{JsonBody, created, versioned};
use super::super::{Bearer, Problem, Writer};
use super::{ApiCategory, ApiCertainty, not_a_partner, renamed};
use crate::AppState;

/// How a contact happened.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[schema(as = ContactKind)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiKind {
    /// A meeting.
    Meeting,
    /// A phone or video call.
    Call,
    /// An e-mail.
    Email,
    /// A visit, at theirs or ours.
    Visit,
    /// An event: a fair, a dinner, a conference.
    Event,
}

impl From<ApiKind> for Kind {
    fn from(k: ApiKind) -> Self {
        match k {
            ApiKind::Meeting => Self::Meeting,
            ApiKind::Call => Self::Call,
            ApiKind::Email => Self::Email,
            ApiKind::Visit => Self::Visit,
            ApiKind::Event => Self::Event,
        }
    }
}

impl From<Kind> for ApiKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Meeting => Self::Meeting,
            Kind::Call => Self::Call,
            Kind::Email => Self::Email,
            Kind::Visit => Self::Visit,
            Kind::Event => Self::Event,
        }
    }
}

/// A contact with a partner person as logged.
#[derive(Serialize, ToSchema)]
#[schema(as = Contact)]
pub(crate) struct ApiContact {
    /// Its id.
    id: i64,
    /// The partner person met.
    partner_id: i64,
    /// The account it was about, if any.
    account_id: Option<i64>,
    /// How.
    kind: ApiKind,
    /// When, `YYYY-MM-DD`.
    happened_on: String,
    /// What it was about.
    summary: String,
    /// The user who logged it.
    author_id: i64,
    /// The person of our house that user is, if linked: who of ours was there.
    author_person_id: Option<i64>,
    /// Who else was there (people of either side), by id.
    also_ids: Vec<i64>,
    /// Counts up with every change.
    version: i64,
}

impl ApiContact {
    fn id(&self) -> i64 {
        self.id
    }
}

impl From<LoggedContact> for ApiContact {
    fn from(c: LoggedContact) -> Self {
        let i = c.interaction;
        Self {
            id: i.id.get(),
            partner_id: i.partner_id.get(),
            account_id: i.account_id.map(AccountId::get),
            kind: i.kind.into(),
            happened_on: i.happened_on.to_string(),
            summary: i.summary,
            author_id: i.author_id.get(),
            author_person_id: i.author_person_id.map(PersonId::get),
            also_ids: c.also.iter().map(|p| p.get()).collect(),
            version: i.version,
        }
    }
}

/// A page of contacts.
#[derive(Serialize, ToSchema)]
pub(crate) struct ContactPage {
    /// The contacts of this page, by id.
    items: Vec<ApiContact>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// What was learned in a contact: recorded as an insight about the partner person, dated the
/// day of the contact.
#[derive(Deserialize, ToSchema)]
#[schema(as = LearnedInContact)]
#[serde(deny_unknown_fields)]
pub(crate) struct Learned {
    /// Its category.
    category: ApiCategory,
    /// What was learned, up to 4,000 characters.
    text: String,
    /// Heard (the default) or confirmed.
    #[serde(default)]
    certainty: Option<ApiCertainty>,
    /// Read only by its author, their unit, the units above it and administrators (default
    /// false).
    #[serde(default)]
    confidential: bool,
}

/// A contact with a partner person to log.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewContact {
    /// How it happened.
    kind: ApiKind,
    /// What it was about, up to 2,000 characters (line breaks allowed).
    summary: String,
    /// When, `YYYY-MM-DD`, not after today; left out: today.
    #[serde(default)]
    happened_on: Option<String>,
    /// The account it was about, if any.
    #[serde(default)]
    account_id: Option<i64>,
    /// Who else was there (people of either side), at most 20.
    #[serde(default)]
    also_ids: Vec<i64>,
    /// What was learned in it, if anything.
    #[serde(default)]
    learned: Option<Learned>,
}

/// A contact with one of an account's people to log.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewAccountContact {
    /// The partner person met.
    partner_id: i64,
    /// How it happened.
    kind: ApiKind,
    /// What it was about, up to 2,000 characters (line breaks allowed).
    summary: String,
    /// When, `YYYY-MM-DD`, not after today; left out: today.
    #[serde(default)]
    happened_on: Option<String>,
    /// Who else was there (people of either side), at most 20.
    #[serde(default)]
    also_ids: Vec<i64>,
    /// What was learned in it, if anything.
    #[serde(default)]
    learned: Option<Learned>,
}

/// The body's field names for those the use case names.
const CONTACT_FIELDS: &[(&str, &str)] = &[
    ("also", "also_ids"),
    ("category", "learned.category"),
    ("text", "learned.text"),
    ("certainty", "learned.certainty"),
    ("learned_on", "happened_on"),
];

/// What the use case takes: the contact, who else was there, what was learned.
fn contact_input(
    kind: ApiKind,
    summary: &str,
    happened_on: Option<&String>,
    also_ids: &[i64],
    learned: Option<&Learned>,
) -> Result<(InteractionFields, Vec<PersonId>, InsightFields), Problem> {
    if also_ids.len() > MAX_ALSO {
        return Err(Problem::bad_field(
            "also_ids",
            &format!("at most {MAX_ALSO} people"),
        ));
    }
    if also_ids.iter().any(|id| *id < 0) {
        return Err(Problem::bad_field("also_ids", "ids are whole numbers"));
    }
    let contact = InteractionFields {
        kind: Kind::from(kind).as_str().to_owned(),
        happened_on: happened_on.cloned().unwrap_or_default(),
        summary: summary.to_owned(),
    };
    let learned = learned.map_or_else(InsightFields::default, |l| InsightFields {
        category: counterpart_core::insight::Category::from(l.category)
            .as_str()
            .to_owned(),
        text: l.text.clone(),
        certainty: l
            .certainty
            .map(|c| Certainty::from(c).as_str().to_owned())
            .unwrap_or_default(),
        confidential: if l.confidential { "1" } else { "" }.to_owned(),
        ..InsightFields::default()
    });
    if learned.text.trim().is_empty() && !learned.category.is_empty() {
        // A category with no text would be dropped silently: name it.
        return Err(Problem::bad_field(
            "learned.text",
            "what was learned is needed with its category",
        ));
    }
    let also = also_ids.iter().copied().map(PersonId::new).collect();
    Ok((contact, also, learned))
}

/// Logs a contact and answers 201 with it.
async fn log(
    state: &AppState,
    bearer: &Bearer,
    (partner, account): (PersonId, Option<AccountId>),
    (contact, also, learned): (InteractionFields, Vec<PersonId>, InsightFields),
) -> Result<Response, Problem> {
    let who = &bearer.principal;
    let logged = state
        .app
        .log_contact(who, partner, account, (&contact, &also), &learned)
        .await
        .map_err(|e| match e {
            counterpart_app::Error::Invalid(_) => renamed(e, CONTACT_FIELDS),
            other => not_a_partner(other),
        })?;
    let contact = state.app.contact(who, logged.id).await?;
    Ok(created(
        format!("/api/v1/contacts/{}", logged.id.get()),
        logged.version,
        &ApiContact::from(contact),
    ))
}

/// The list filters of contacts, read from a query.
fn contact_filter(query: &QueryParams) -> Result<ContactFilter, Problem> {
    Ok(ContactFilter {
        kind: query.one_of("kind", &["meeting", "call", "email", "visit", "event"])?,
        since: query.date("since")?,
    })
}

/// A page of the contacts with a subject.
async fn contact_page(
    state: &AppState,
    bearer: &Bearer,
    subject: Subject,
    path: &str,
    raw: Option<&str>,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw, &["kind", "since", "after", "limit"])?;
    let filter = contact_filter(&query)?;
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .contacts_after(
            &bearer.principal,
            subject,
            &filter,
            after.map(InteractionId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(rows, limit, &query, path, ApiContact::id);
    Ok(plain(ContactPage { items, next }))
}

/// Lists the contacts with a partner person, by id, a page at a time.
#[utoipa::path(
    get,
    path = "/people/{id}/contacts",
    tag = "knowledge",
    operation_id = "listPersonContacts",
    params(
        ("id" = i64, Path, minimum = 0, description = "The partner person's id."),
        ("kind" = Option<ApiKind>, Query, description = "Only contacts of this kind."),
        ("since" = Option<String>, Query, format = Date, description = "Only those on this day (`YYYY-MM-DD`) or later."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of contacts, by id.", body = ContactPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such person.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn person_contacts(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let person = PersonId::new(parse_id("id", &id)?);
    let path = format!("/people/{}/contacts", person.get());
    contact_page(
        &state,
        &bearer,
        Subject::Person(person),
        &path,
        raw.as_deref(),
    )
    .await
}

/// Lists the contacts about an account or with its key people, by id, a page at a time:
/// what the account page's contact log shows.
#[utoipa::path(
    get,
    path = "/accounts/{id}/contacts",
    tag = "knowledge",
    operation_id = "listAccountContacts",
    params(
        ("id" = i64, Path, minimum = 0, description = "The account's id."),
        ("kind" = Option<ApiKind>, Query, description = "Only contacts of this kind."),
        ("since" = Option<String>, Query, format = Date, description = "Only those on this day (`YYYY-MM-DD`) or later."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of contacts, by id.", body = ContactPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn account_contacts(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    let path = format!("/accounts/{}/contacts", account.get());
    contact_page(
        &state,
        &bearer,
        Subject::Account(account),
        &path,
        raw.as_deref(),
    )
    .await
}

/// Logs a contact with a partner person (about an account, if given).
#[utoipa::path(
    post,
    path = "/people/{id}/contacts",
    tag = "knowledge",
    operation_id = "createPersonContact",
    params(("id" = i64, Path, minimum = 0, description = "The partner person's id.")),
    request_body = NewContact,
    responses(
        (status = 201, description = "Logged; `Location` is its address.", body = ApiContact, headers(("Location" = String, description = "The new contact's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such person, or no such account.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_person_contact(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewContact>,
) -> Result<Response, Problem> {
    let person = PersonId::new(parse_id("id", &id)?);
    let input = contact_input(
        body.kind,
        &body.summary,
        body.happened_on.as_ref(),
        &body.also_ids,
        body.learned.as_ref(),
    )?;
    let account = match body.account_id {
        Some(id) if id < 0 => {
            return Err(Problem::bad_field("account_id", "ids are whole numbers"));
        }
        account => account.map(AccountId::new),
    };
    // The person is looked up before the account: an unknown person is 404 whatever the
    // body names; an unknown account the body names is that field's problem.
    state.app.person(&bearer.principal, person).await?;
    if let Some(account) = account
        && let Err(counterpart_app::Error::NotFound) =
            state.app.account(&bearer.principal, account).await
    {
        return Err(Problem::bad_field("account_id", "no such account"));
    }
    log(&state, &bearer, (person, account), input).await
}

/// Logs a contact with one of an account's people, about the account.
#[utoipa::path(
    post,
    path = "/accounts/{id}/contacts",
    tag = "knowledge",
    operation_id = "createAccountContact",
    params(("id" = i64, Path, minimum = 0, description = "The account's id.")),
    request_body = NewAccountContact,
    responses(
        (status = 201, description = "Logged; `Location` is its address.", body = ApiContact, headers(("Location" = String, description = "The new contact's address."), ("ETag" = String, description = "Its version."))),
        (status = 404, description = "No such account, or no such person.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn create_account_contact(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NewAccountContact>,
) -> Result<Response, Problem> {
    let account = AccountId::new(parse_id("id", &id)?);
    if body.partner_id < 0 {
        return Err(Problem::bad_field("partner_id", "ids are whole numbers"));
    }
    let input = contact_input(
        body.kind,
        &body.summary,
        body.happened_on.as_ref(),
        &body.also_ids,
        body.learned.as_ref(),
    )?;
    // The account is looked up before its partner: an unknown account is 404 whoever the
    // body names.
    state.app.account(&bearer.principal, account).await?;
    let partner = PersonId::new(body.partner_id);
    if let Err(counterpart_app::Error::NotFound) =
        state.app.person(&bearer.principal, partner).await
    {
        return Err(Problem::bad_field("partner_id", "no such person"));
    }
    log(&state, &bearer, (partner, Some(account)), input).await
}

/// One logged contact.
#[utoipa::path(
    get,
    path = "/contacts/{id}",
    tag = "knowledge",
    operation_id = "getContact",
    params(("id" = i64, Path, minimum = 0, description = "The contact's id.")),
    responses(
        (status = 200, description = "The contact.", body = ApiContact, headers(("ETag" = String, description = "The version, such as \"v1\": send it as `If-None-Match` to be told 304 while it is unchanged."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "The id is not a number.", body = super::super::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such contact.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn contact(
    State(state): State<AppState>,
    bearer: Bearer,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let id = InteractionId::new(parse_id("id", &id)?);
    let contact = state.app.contact(&bearer.principal, id).await?;
    Ok(versioned(
        &headers,
        contact.interaction.version,
        &ApiContact::from(contact),
    ))
}

/// Lists people of every organization by id, a page at a time: all of them, or those with
/// one e-mail address — how a mail client finds the partner person a message came from.
#[utoipa::path(
    get,
    path = "/people",
    tag = "people",
    operation_id = "listPeople",
    params(
        ("email" = Option<String>, Query, min_length = 1, description = "Only those with this e-mail address (compared without regard to case)."),
        ("inactive" = Option<bool>, Query, description = "Include deactivated ones (default false)."),
        ("after" = Option<i64>, Query, minimum = 0, description = "Only those with an id above this: the last id of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of people, by id.", body = PersonPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = super::super::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn people(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw.as_deref(), &["email", "inactive", "after", "limit"])?;
    let email = query.get("email");
    if email.is_some_and(|e| e.chars().count() > 254) {
        return Err(Problem::bad_param("email", "at most 254 characters"));
    }
    let (after, limit) = query.seek()?;
    let rows = state
        .app
        .people_anywhere_after(
            &bearer.principal,
            email,
            query.flag("inactive")?,
            after.map(PersonId::new),
            limit + 1,
        )
        .await?;
    let (items, next) = page(rows, limit, &query, "/people", ApiPerson::id);
    Ok(plain(PersonPage { items, next }))
}
