//! Keep/never locks through the API: what users decided the counterpart suggestions must
//! keep or never propose, listed, set and lifted as the suggestions page does. A lock is the
//! pair of a partner person and one of ours; it carries no version, so its `ETag` is its
//! rule (`"keep"` or `"never"`), and lifting it is made only while it is still that rule.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use counterpart_core::ids::{AccountId, PersonId};
use counterpart_store::LockView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::resources::{QueryParams, parse_id, plain};
use crate::api::write::{IfMatchTag, JsonBody, created_as, tagged_as};
use crate::api::{Bearer, Problem, Writer};

/// What a lock decides.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = LockRule)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ApiLockRule {
    /// Keep this pair in every suggestion.
    Keep,
    /// Never propose this pair.
    Never,
}

impl ApiLockRule {
    /// The rule as its tag reads: `keep` or `never`.
    fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Never => "never",
        }
    }
}

/// A keep/never lock on a pair of a partner person and one of ours.
#[derive(Serialize, ToSchema)]
#[schema(as = Lock)]
pub(crate) struct ApiLock {
    /// The partner person.
    partner_id: i64,
    /// Our person.
    our_id: i64,
    /// Keep or never.
    rule: ApiLockRule,
    /// Who set it, by name.
    set_by: String,
}

impl From<LockView> for ApiLock {
    fn from(lock: LockView) -> Self {
        Self {
            partner_id: lock.partner_id.get(),
            our_id: lock.our_id.get(),
            rule: if lock.keep {
                ApiLockRule::Keep
            } else {
                ApiLockRule::Never
            },
            set_by: lock.by,
        }
    }
}

/// A page of locks.
#[derive(Serialize, ToSchema)]
pub(crate) struct LockPage {
    /// The locks of this page, by partner person and ours.
    items: Vec<ApiLock>,
    /// The address of the next page (path and query), or null on the last.
    next: Option<String>,
}

/// A pair's key in a list: `<partner_id>:<our_id>`.
fn pair_key(lock: &ApiLock) -> String {
    format!("{}:{}", lock.partner_id, lock.our_id)
}

/// The `after` of a list of locks: the key of the last lock of the page before.
fn parse_after(value: &str) -> Result<(i64, i64), Problem> {
    value
        .split_once(':')
        .and_then(|(p, o)| Some((p.parse::<i64>().ok()?, o.parse::<i64>().ok()?)))
        .filter(|(p, o)| *p >= 0 && *o >= 0)
        .ok_or_else(|| {
            Problem::bad_param(
                "after",
                "must be `<partner_id>:<our_id>` of a lock (the `next` address carries it)",
            )
        })
}

/// Lists the keep/never locks by partner person and ours, a page at a time: all of them, or
/// those on the key contacts of one account (as its suggestions list them).
#[utoipa::path(
    get,
    path = "/locks",
    tag = "suggestions",
    operation_id = "listLocks",
    params(
        ("account" = Option<i64>, Query, minimum = 0, description = "Only the locks on this account's key contacts."),
        ("after" = Option<String>, Query, pattern = "^[0-9]{1,18}:[0-9]{1,18}$", description = "Only those after this pair, `<partner_id>:<our_id>`: the last of the page before (the `next` address carries it)."),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "Items per page, 1 to 200 (default 50)."),
    ),
    responses(
        (status = 200, description = "A page of locks, by partner person and ours.", body = LockPage),
        (status = 400, description = "A parameter is wrong; `invalid_params` names it.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No such account.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    bearer: Bearer,
    RawQuery(raw): RawQuery,
) -> Result<Response, Problem> {
    let query = QueryParams::parse(raw.as_deref(), &["account", "after", "limit"])?;
    let account = query.id("account")?.map(AccountId::new);
    let after = query.get("after").map(parse_after).transpose()?;
    let limit = query.limit()?;
    let mut rows: Vec<ApiLock> = state
        .app
        .locks(&bearer.principal, account)
        .await?
        .into_iter()
        .map(ApiLock::from)
        .filter(|l| after.is_none_or(|after| (l.partner_id, l.our_id) > after))
        .take(limit as usize + 1)
        .collect();
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next = more
        .then(|| {
            rows.last()
                .map(|last| query.next_after("/locks", &pair_key(last)))
        })
        .flatten();
    Ok(plain(LockPage { items: rows, next }))
}

/// A new lock.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewLock {
    /// The partner person.
    partner_id: i64,
    /// One of ours (not the partner themselves).
    our_id: i64,
    /// Keep the pair in every suggestion, or never propose it.
    rule: ApiLockRule,
}

/// The address of a lock.
fn address(partner: PersonId, ours: PersonId) -> String {
    format!("/api/v1/locks/{}/{}", partner.get(), ours.get())
}

/// Locks a pair that has no lock yet, as the suggestions page's keep and never buttons do (to
/// change a lock's rule, lift it first): a pair locked already is 422 naming `our_id`.
#[utoipa::path(
    post,
    path = "/locks",
    tag = "suggestions",
    operation_id = "createLock",
    request_body = NewLock,
    responses(
        (status = 201, description = "Locked; `Location` is its address.", body = ApiLock, headers(("Location" = String, description = "The lock's address."), ("ETag" = String, description = "Its rule, \"keep\" or \"never\"."))),
    ),
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    JsonBody(body): JsonBody<NewLock>,
) -> Result<Response, Problem> {
    let (partner, ours) = (PersonId::new(body.partner_id), PersonId::new(body.our_id));
    let lock = state
        .app
        .create_lock(
            &bearer.principal,
            partner,
            ours,
            body.rule == ApiLockRule::Keep,
        )
        .await?;
    let lock = ApiLock::from(lock);
    Ok(created_as(
        address(partner, ours),
        lock.rule.as_str(),
        &lock,
    ))
}

/// The two ids of a lock's address.
fn pair(partner: &str, ours: &str) -> Result<(PersonId, PersonId), Problem> {
    Ok((
        PersonId::new(parse_id("partner_id", partner)?),
        PersonId::new(parse_id("our_id", ours)?),
    ))
}

/// The lock on a pair.
#[utoipa::path(
    get,
    path = "/locks/{partner_id}/{our_id}",
    tag = "suggestions",
    operation_id = "getLock",
    params(
        ("partner_id" = i64, Path, minimum = 0, description = "The partner person's id."),
        ("our_id" = i64, Path, minimum = 0, description = "Our person's id."),
    ),
    responses(
        (status = 200, description = "The lock.", body = ApiLock, headers(("ETag" = String, description = "Its rule, \"keep\" or \"never\": send it as `If-Match` to lift the lock."))),
        (status = 304, description = "Unchanged since the `ETag` sent."),
        (status = 400, description = "An id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No lock on this pair.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn one(
    State(state): State<AppState>,
    bearer: Bearer,
    Path((partner, ours)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (partner, ours) = pair(&partner, &ours)?;
    let lock = ApiLock::from(state.app.lock(&bearer.principal, partner, ours).await?);
    Ok(tagged_as(&headers, lock.rule.as_str(), &lock))
}

/// Lifts the lock on a pair, as the suggestions page's lift button does, if it is still the
/// rule sent in `If-Match` (412 naming who changed it otherwise).
#[utoipa::path(
    delete,
    path = "/locks/{partner_id}/{our_id}",
    tag = "suggestions",
    operation_id = "removeLock",
    params(
        ("partner_id" = i64, Path, minimum = 0, description = "The partner person's id."),
        ("our_id" = i64, Path, minimum = 0, description = "Our person's id."),
    ),
    responses(
        (status = 204, description = "Lifted."),
        (status = 400, description = "An id is not a number.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
        (status = 404, description = "No lock on this pair.", body = crate::api::ProblemBody, content_type = "application/problem+json"),
    ),
)]
pub(crate) async fn remove(
    State(state): State<AppState>,
    Writer(bearer): Writer,
    Path((partner, ours)): Path<(String, String)>,
    IfMatchTag(seen): IfMatchTag,
) -> Result<Response, Problem> {
    let (partner, ours) = pair(&partner, &ours)?;
    let keep = match seen.as_str() {
        "keep" => true,
        "never" => false,
        _ => {
            return Err(Problem::new(
                StatusCode::PRECONDITION_FAILED,
                "`If-Match` names no rule of a lock; send its `ETag` unchanged (\"keep\" or \
                 \"never\").",
            ));
        }
    };
    state
        .app
        .remove_lock(&bearer.principal, partner, ours, keep)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
