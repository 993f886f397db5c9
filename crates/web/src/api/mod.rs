//! The JSON API under `/api/v1` (issue 15): authenticated by a personal API token alone
//! (`Authorization: Bearer …`; cookies are not read here, so CSRF does not apply), each token
//! held to a request rate, every error as Problem Details (RFC 9457). It calls the same use
//! cases as the pages with the token's user as the principal, so visibility and audit are the
//! same. It reads organizations, their units, people and accounts (`resources`); lists are
//! read by seek pagination, single resources carry an `ETag`. The OpenAPI 3.1 document and a
//! reference page rendered from it are generated from the handlers (`openapi`): every route
//! is added through [`documented!`], which takes its path and methods from the handler's
//! `#[utoipa::path]`, so the router and the document cannot drift apart.

mod guiding;
mod jour_fixe;
mod knowledge;
mod master;
mod openapi;
mod relations;
mod resources;
mod write;

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use counterpart_app::Principal;
use counterpart_core::user::TokenScope;
use counterpart_store::AccessToken;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;

/// How many requests one token may make per [`WINDOW`] unless the operator set another rate
/// (`--api-rate-limit`).
pub const RATE: u32 = 600;
/// The window [`RATE`] counts in.
const WINDOW: Duration = Duration::from_secs(60);

/// Adds each handler at the path and methods of its `#[utoipa::path]` (the `__path_…` type
/// utoipa makes of it), and lists them for [`routes`]: the one way a route enters the API.
macro_rules! documented {
    ($($handler:path => $doc:ty),* $(,)?) => {
        /// Every route of the API as (path, methods), as the router serves them.
        #[cfg(test)]
        pub(crate) fn routes() -> Vec<(String, Vec<utoipa::openapi::path::HttpMethod>)> {
            vec![$((<$doc as utoipa::Path>::path(), <$doc as utoipa::Path>::methods())),*]
        }

        fn documented_routes() -> Router<AppState> {
            let router = Router::new();
            $(
                let router = router.route(
                    &<$doc as utoipa::Path>::path(),
                    axum::routing::on(
                        method_filter(&<$doc as utoipa::Path>::methods()),
                        $handler,
                    ),
                );
            )*
            router
        }
    };
}

documented! {
    me => __path_me,
    resources::organizations => resources::__path_organizations,
    resources::organization => resources::__path_organization,
    resources::organization_units => resources::__path_organization_units,
    resources::person => resources::__path_person,
    resources::accounts => resources::__path_accounts,
    resources::account => resources::__path_account,
    master::create_organization => master::__path_create_organization,
    master::update_organization => master::__path_update_organization,
    master::unit => master::__path_unit,
    master::create_unit => master::__path_create_unit,
    master::update_unit => master::__path_update_unit,
    master::organization_people => master::__path_organization_people,
    master::create_person => master::__path_create_person,
    master::update_person => master::__path_update_person,
    master::change_position => master::__path_change_position,
    master::merge_people => master::__path_merge_people,
    master::positions => master::__path_positions,
    master::create_account => master::__path_create_account,
    master::update_account => master::__path_update_account,
    knowledge::person_insights => knowledge::__path_person_insights,
    knowledge::create_person_insight => knowledge::__path_create_person_insight,
    knowledge::account_insights => knowledge::__path_account_insights,
    knowledge::create_account_insight => knowledge::__path_create_account_insight,
    knowledge::insight => knowledge::__path_insight,
    knowledge::update_insight => knowledge::__path_update_insight,
    knowledge::withdraw_insight => knowledge::__path_withdraw_insight,
    knowledge::contacts::person_contacts => knowledge::contacts::__path_person_contacts,
    knowledge::contacts::create_person_contact => knowledge::contacts::__path_create_person_contact,
    knowledge::contacts::account_contacts => knowledge::contacts::__path_account_contacts,
    knowledge::contacts::create_account_contact => knowledge::contacts::__path_create_account_contact,
    knowledge::contacts::contact => knowledge::contacts::__path_contact,
    knowledge::contacts::people => knowledge::contacts::__path_people,
    jour_fixe::series_list => jour_fixe::__path_series_list,
    jour_fixe::create_series => jour_fixe::__path_create_series,
    jour_fixe::series => jour_fixe::__path_series,
    jour_fixe::update_series => jour_fixe::__path_update_series,
    jour_fixe::series_meetings => jour_fixe::__path_series_meetings,
    jour_fixe::schedule_meeting => jour_fixe::__path_schedule_meeting,
    jour_fixe::meeting => jour_fixe::__path_meeting,
    jour_fixe::move_meeting => jour_fixe::__path_move_meeting,
    jour_fixe::prepare_again => jour_fixe::__path_prepare_again,
    jour_fixe::agenda => jour_fixe::__path_agenda,
    jour_fixe::contribute => jour_fixe::__path_contribute,
    jour_fixe::members::cancel_series => jour_fixe::members::__path_cancel_series,
    jour_fixe::members::participants => jour_fixe::members::__path_participants,
    jour_fixe::members::add_participant => jour_fixe::members::__path_add_participant,
    jour_fixe::members::remove_participant => jour_fixe::members::__path_remove_participant,
    jour_fixe::members::accounts => jour_fixe::members::__path_accounts,
    jour_fixe::members::add_account => jour_fixe::members::__path_add_account,
    jour_fixe::members::remove_account => jour_fixe::members::__path_remove_account,
    jour_fixe::members::cancel_meeting => jour_fixe::members::__path_cancel_meeting,
    jour_fixe::minutes::add_item => jour_fixe::minutes::__path_add_item,
    jour_fixe::minutes::move_item => jour_fixe::minutes::__path_move_item,
    jour_fixe::minutes::decide => jour_fixe::minutes::__path_decide,
    jour_fixe::minutes::create_action => jour_fixe::minutes::__path_create_action,
    jour_fixe::minutes::finish_action => jour_fixe::minutes::__path_finish_action,
    relations::key_contacts::list => relations::key_contacts::__path_list,
    relations::key_contacts::add => relations::key_contacts::__path_add,
    relations::key_contacts::one => relations::key_contacts::__path_one,
    relations::key_contacts::update => relations::key_contacts::__path_update,
    relations::key_contacts::remove => relations::key_contacts::__path_remove,
    relations::assignments::of_account => relations::assignments::__path_of_account,
    relations::assignments::of_person => relations::assignments::__path_of_person,
    relations::assignments::assign => relations::assignments::__path_assign,
    relations::assignments::one => relations::assignments::__path_one,
    relations::assignments::update => relations::assignments::__path_update,
    relations::assignments::end => relations::assignments::__path_end,
    relations::assignments::ratings => relations::assignments::__path_ratings,
    relations::assignments::rate => relations::assignments::__path_rate,
    relations::assignments::rating => relations::assignments::__path_rating,
    relations::importance::criteria => relations::importance::__path_criteria,
    relations::importance::create_criterion => relations::importance::__path_create_criterion,
    relations::importance::criterion => relations::importance::__path_criterion,
    relations::importance::update_criterion => relations::importance::__path_update_criterion,
    relations::importance::account_importance => relations::importance::__path_account_importance,
    relations::importance::my_importance => relations::importance::__path_my_importance,
    relations::importance::rate_importance => relations::importance::__path_rate_importance,
    relations::locks::list => relations::locks::__path_list,
    relations::locks::create => relations::locks::__path_create,
    relations::locks::one => relations::locks::__path_one,
    relations::locks::remove => relations::locks::__path_remove,
    relations::suggestions::of_account => relations::suggestions::__path_of_account,
    relations::suggestions::portfolio => relations::suggestions::__path_portfolio,
    relations::suggestions::accept => relations::suggestions::__path_accept,
    relations::matrix::matrix => relations::matrix::__path_matrix,
    guiding::guiding => guiding::__path_guiding,
    guiding::answer => guiding::__path_answer,
    openapi::document => openapi::__path_document,
    openapi::reference => openapi::__path_reference,
}

/// The methods of a documented route as axum's filter.
fn method_filter(methods: &[utoipa::openapi::path::HttpMethod]) -> axum::routing::MethodFilter {
    use axum::routing::MethodFilter;
    use utoipa::openapi::path::HttpMethod;
    methods
        .iter()
        .map(|m| match m {
            HttpMethod::Get => MethodFilter::GET,
            HttpMethod::Post => MethodFilter::POST,
            HttpMethod::Put => MethodFilter::PUT,
            HttpMethod::Delete => MethodFilter::DELETE,
            HttpMethod::Options => MethodFilter::OPTIONS,
            HttpMethod::Head => MethodFilter::HEAD,
            HttpMethod::Patch => MethodFilter::PATCH,
            HttpMethod::Trace => MethodFilter::TRACE,
        })
        .reduce(MethodFilter::or)
        .unwrap_or(MethodFilter::GET)
}

/// The API's routes, nested under `/api/v1`.
pub(crate) fn router() -> Router<AppState> {
    documented_routes()
        .fallback(not_found)
        .layer(axum::extract::DefaultBodyLimit::max(write::API_BODY_LIMIT))
        .layer(axum::middleware::map_response(api_headers))
}

/// What every API answer carries: never sniffed as another type, not cached unless the
/// handler said how (it speaks for one token's user); and every error as Problem Details,
/// also those axum answers itself (405 with its `Allow`, a rejected body or path).
async fn api_headers(response: Response) -> Response {
    let mut response = as_problem(response);
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// An error response that is not Problem Details yet (axum's own 405, 415, 413, 400…) made
/// one, keeping its headers (such as `Allow`).
fn as_problem(response: Response) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "This resource does not answer this method; see `Allow`.",
        StatusCode::PAYLOAD_TOO_LARGE => "The request body is too large.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "The request body is not of a type this resource takes."
        }
        _ if status.is_server_error() => "Something went wrong.",
        _ => "The request is malformed.",
    };
    let (mut parts, _) = response.into_parts();
    let mut problem = Problem::new(status, detail).into_response();
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    for (name, value) in &parts.headers {
        problem.headers_mut().insert(name.clone(), value.clone());
    }
    problem
}

/// An error as Problem Details (RFC 9457): `type`, `title`, `status`, `detail`.
#[derive(Debug)]
pub(crate) struct Problem {
    status: StatusCode,
    detail: String,
    /// Seconds to wait, for 429.
    retry_after: Option<u64>,
    /// The query or path parameters, or the body's fields, that were wrong.
    invalid_params: Vec<InvalidParam>,
    /// On 412: who changed the resource since the sender read it, and when.
    changed: Option<(Option<String>, Option<String>)>,
}

/// Problem Details (RFC 9457) as every error of the API reads.
#[derive(Serialize, ToSchema)]
#[schema(as = Problem)]
struct ProblemBody<'a> {
    /// Always `about:blank`: the status says what kind of problem it is.
    #[serde(rename = "type")]
    kind: &'a str,
    /// The status's name, e.g. "Not Found".
    title: &'a str,
    /// The HTTP status.
    status: u16,
    /// What went wrong, in a sentence.
    detail: &'a str,
    /// The parameters or fields that were wrong, each with why (on 400 and 422).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    invalid_params: &'a [InvalidParam],
    /// On 412: who changed the resource since the sender read it (null when the change
    /// left no name, such as a change by the command line).
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_by: Option<Option<&'a str>>,
    /// On 412: when it was changed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_at: Option<Option<&'a str>>,
}

/// A parameter of a request, or a field of its body, that was wrong.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub(crate) struct InvalidParam {
    /// The parameter's or field's name, e.g. `limit` or `family_name` (a path such as
    /// `items[2].name` inside a body).
    name: String,
    /// Why it was refused.
    reason: String,
}

impl Problem {
    fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            retry_after: None,
            invalid_params: Vec::new(),
            changed: None,
        }
    }

    /// 422 for one field of a body, naming it.
    fn bad_field(name: &str, reason: &str) -> Self {
        Self::invalid(vec![InvalidParam {
            name: name.to_owned(),
            reason: reason.to_owned(),
        }])
    }

    /// 422 for a use case's field errors, each field named as the body names it (`name`):
    /// two fields of the use case that are one of the body are named once.
    fn fields(
        errors: &counterpart_core::validate::FieldErrors,
        name: impl Fn(&'static str) -> String,
    ) -> Self {
        let mut params: Vec<InvalidParam> = Vec::new();
        for e in &errors.0 {
            let name = name(e.field);
            if !params.iter().any(|p| p.name == name) {
                params.push(InvalidParam {
                    name,
                    reason: crate::i18n::problem(counterpart_core::user::Language::En, &e.problem),
                });
            }
        }
        Self::invalid(params)
    }

    /// 422 for a body whose fields are wrong, naming each.
    fn invalid(params: Vec<InvalidParam>) -> Self {
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        let detail = format!("These fields are wrong: {}.", names.join(", "));
        Self {
            invalid_params: params,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
        }
    }

    /// 400 for a query or path parameter that is wrong, naming it.
    fn bad_param(name: &str, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        Self {
            invalid_params: vec![InvalidParam {
                name: name.to_owned(),
                reason: reason.clone(),
            }],
            ..Self::new(
                StatusCode::BAD_REQUEST,
                format!("The parameter `{name}` is wrong: {reason}"),
            )
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let body = ProblemBody {
            kind: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error"),
            status: self.status.as_u16(),
            detail: &self.detail,
            invalid_params: &self.invalid_params,
            changed_by: self.changed.as_ref().map(|(by, _)| by.as_deref()),
            changed_at: self.changed.as_ref().map(|(_, at)| at.as_deref()),
        };
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<counterpart_core::validate::FieldErrors> for Problem {
    fn from(errors: counterpart_core::validate::FieldErrors) -> Self {
        counterpart_app::Error::Invalid(errors).into()
    }
}

impl From<counterpart_app::Error> for Problem {
    fn from(error: counterpart_app::Error) -> Self {
        use counterpart_app::Error;
        match error {
            Error::Invalid(errors) => Self::fields(&errors, str::to_owned),
            Error::Conflict {
                changed_by,
                changed_at,
            } => {
                let at = changed_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
                let detail = match (&changed_by, &at) {
                    (Some(by), Some(at)) => format!(
                        "{by} changed this resource at {at}, after the version you sent in \
                         `If-Match`; read it again and make your change to that."
                    ),
                    _ => "Someone changed this resource after the version you sent in \
                          `If-Match`; read it again and make your change to that."
                        .to_owned(),
                };
                Self {
                    changed: Some((changed_by, at)),
                    ..Self::new(StatusCode::PRECONDITION_FAILED, detail)
                }
            }
            Error::Refused(refusal) => {
                let reason = refusal.to_string();
                let mut chars = reason.chars();
                let sentence: String = chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
                Self::new(StatusCode::CONFLICT, format!("{sentence}."))
            }
            Error::NotApplicable => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "This change does not apply to this resource.",
            ),
            other => AppError::from(other).into(),
        }
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::new(StatusCode::NOT_FOUND, "No such resource."),
            AppError::Unauthenticated => {
                Self::new(StatusCode::UNAUTHORIZED, "A valid API token is needed.")
            }
            AppError::Forbidden => Self::new(
                StatusCode::FORBIDDEN,
                "The token's user or scope does not allow this.",
            ),
            AppError::BadRequest => Self::new(StatusCode::BAD_REQUEST, "The request is malformed."),
            AppError::PayloadTooLarge => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "The request body is too large.",
            ),
            AppError::Refused(_) => Self::new(StatusCode::CONFLICT, "The change was refused."),
            AppError::Internal(source) => {
                tracing::error!(error.detail = %source, "api request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
            }
        }
    }
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "No such resource.")
}

/// Requests counted per token in the current window, on this instance (several instances
/// each allow the rate: the limit is a brake on a runaway script, not a quota).
#[derive(Debug)]
pub(crate) struct RateLimits {
    /// How many requests a token may make per [`WINDOW`].
    rate: u32,
    windows: Mutex<HashMap<i64, (Instant, u32)>>,
}

impl RateLimits {
    /// Counts at `rate` requests per token a minute.
    pub(crate) fn new(rate: u32) -> Self {
        Self {
            rate,
            windows: Mutex::default(),
        }
    }

    /// Counts a request of `token`; the seconds to wait when it is over the rate.
    fn count(&self, token: i64) -> Result<(), u64> {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget windows long past, so the map stays as small as the tokens in use.
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, used) = windows.entry(token).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *used = 0;
        }
        if *used >= self.rate {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *used += 1;
        Ok(())
    }
}

/// Who an API request speaks for: the user of a valid bearer token, and the token.
pub(crate) struct Bearer {
    pub(crate) principal: Principal,
    pub(crate) token: AccessToken,
}

impl Bearer {
    /// Refuses unless the token may change data (and its user's role allows it, which the
    /// use case checks again).
    pub(crate) fn may_write(&self) -> Result<(), Problem> {
        if self.token.scope == TokenScope::Write {
            Ok(())
        } else {
            Err(Problem::new(
                StatusCode::FORBIDDEN,
                "This token may only read; create a read-write token to change data.",
            ))
        }
    }
}

impl FromRequestParts<AppState> for Bearer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let unauthenticated = || {
            Problem::new(
                StatusCode::UNAUTHORIZED,
                "A valid API token is needed: send it as `Authorization: Bearer <token>`.",
            )
        };
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| {
                !t.is_empty() && t.len() <= 128 && t.bytes().all(|b| b.is_ascii_alphanumeric())
            })
            .ok_or_else(unauthenticated)?;
        let (principal, token) = state
            .app
            .bearer(secret)
            .await?
            .ok_or_else(unauthenticated)?;
        state.rate_limits.count(token.id).map_err(|wait| Problem {
            retry_after: Some(wait),
            ..Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "More than {} requests a minute with this token; wait {wait} s.",
                    state.rate_limits.rate
                ),
            )
        })?;
        Ok(Self { principal, token })
    }
}

/// A [`Bearer`] whose token may change data: what every write takes first, so that a
/// read-only token is told 403 before anything about its request is looked at.
pub(crate) struct Writer(pub(crate) Bearer);

impl FromRequestParts<AppState> for Writer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let bearer = Bearer::from_request_parts(parts, state).await?;
        bearer.may_write()?;
        Ok(Self(bearer))
    }
}

/// Who the token speaks for.
#[derive(Serialize, ToSchema)]
struct Me {
    /// The user's id.
    user_id: Option<i64>,
    /// The user's name.
    name: String,
    /// `admin`, `editor` or `viewer`.
    role: &'static str,
    /// The person of our house the user is, if linked.
    person_id: Option<i64>,
    /// The token the request was made with.
    token: TokenInfo,
}

/// The token a request was made with.
#[derive(Serialize, ToSchema)]
struct TokenInfo {
    /// The token's id (as listed on /account/tokens).
    id: i64,
    /// Its name.
    label: String,
    /// `read` or `write`.
    scope: &'static str,
    /// When it expires (RFC 3339), if ever.
    expires_at: Option<String>,
}

/// The user and token a request speaks for: the first call of an integration, to check its
/// token.
#[utoipa::path(
    get,
    path = "/me",
    tag = "account",
    operation_id = "me",
    responses((status = 200, description = "Who the token speaks for.", body = Me)),
)]
async fn me(State(_): State<AppState>, bearer: Bearer) -> Json<Me> {
    let Bearer { principal, token } = bearer;
    Json(Me {
        user_id: principal.user.map(|u| u.get()),
        name: principal.name,
        role: principal.role.as_str(),
        person_id: principal.person.map(|p| p.get()),
        token: TokenInfo {
            id: token.id,
            label: token.label,
            scope: token.scope.as_str(),
            expires_at: token.expires_at.map(|at| at.to_rfc3339()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_held_to_its_rate_and_others_are_not() {
        let limits = RateLimits::new(RATE);
        for _ in 0..RATE {
            assert_eq!(limits.count(1), Ok(()));
        }
        let wait = limits.count(1).expect_err("over the rate");
        assert!((1..=60).contains(&wait), "{wait}");
        assert_eq!(limits.count(2), Ok(()), "another token counts on its own");
    }

    /// The router is built from the handlers' `#[utoipa::path]`; this proves the document
    /// lists exactly those routes, with the same methods (a handler left out of
    /// `#[openapi(paths(…))]`, or documented but not routed, fails here).
    #[test]
    fn every_route_is_in_the_openapi_document_and_nothing_else() {
        use utoipa::OpenApi;
        let doc = openapi::ApiDoc::openapi();
        let routed = routes();
        for (path, methods) in &routed {
            let item = doc
                .paths
                .paths
                .get(path)
                .unwrap_or_else(|| panic!("{path} is routed but not documented"));
            for method in methods {
                use utoipa::openapi::path::HttpMethod;
                let operation = match method {
                    HttpMethod::Get => &item.get,
                    HttpMethod::Post => &item.post,
                    HttpMethod::Put => &item.put,
                    HttpMethod::Patch => &item.patch,
                    HttpMethod::Delete => &item.delete,
                    _ => panic!("{path}: a method the API does not use"),
                };
                assert!(
                    operation.is_some(),
                    "a method of {path} is routed but not documented"
                );
            }
        }
        for path in doc.paths.paths.keys() {
            assert!(
                routed.iter().any(|(p, _)| p == path),
                "{path} is documented but not routed"
            );
        }
        let distinct: std::collections::BTreeSet<&String> = routed.iter().map(|(p, _)| p).collect();
        assert_eq!(doc.paths.paths.len(), distinct.len());
    }
}
