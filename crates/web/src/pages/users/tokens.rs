//! One page for every way into a user's account (issue 15): the browsers they are logged in
//! at (ended in `security.rs`), whether a second factor guards the login, personal API tokens
//! (created here, the token shown once), the calendar subscription and the digest feed
//! addresses (created where they are used, listed and revoked here); administrators see and
//! revoke everyone's live tokens.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::tokens::{MAX_LABEL, TokenFields};
use counterpart_core::user::{MAX_TOKEN_DAYS, TokenKind, TokenScope};
use counterpart_store::AccessToken;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::forms::error_lines;
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/account/tokens", get(list).post(create))
        .route("/account/tokens/revoke", post(revoke))
        .route("/admin/tokens", get(all))
        .route("/admin/tokens/revoke", post(revoke_any))
}

/// A session as a row.
struct SessionRow {
    id: i64,
    device: String,
    started: String,
    last_seen: String,
    expires: String,
    current: bool,
}

/// The reader's sessions and second factor, above their tokens.
#[derive(Default)]
struct Security {
    sessions: Vec<SessionRow>,
    /// Since when the second factor is on, and how many recovery codes are left.
    second_factor: Option<(String, String)>,
    /// How many sessions were just ended.
    ended: Option<usize>,
}

async fn security(state: &AppState, ctx: &Ctx, ended: Option<usize>) -> Result<Security, AppError> {
    let who = ctx.principal();
    let t = ctx.t();
    let current = ctx.session_token.as_deref().unwrap_or("");
    let sessions = state
        .app
        .own_sessions(&who, current)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            device: if s.device.is_empty() {
                t.sessions_unknown_device.to_owned()
            } else {
                s.device.clone()
            },
            started: ctx.datetime(&s.created_at),
            last_seen: ctx.datetime(&s.last_seen_at.unwrap_or(s.created_at)),
            expires: ctx.datetime(&s.expires_at),
            current: s.current,
        })
        .collect();
    let second_factor = state.app.own_second_factor(&who).await?.map(|on| {
        (
            ctx.datetime(&on.enabled_at),
            t.recovery_left(on.recovery_left),
        )
    });
    Ok(Security {
        sessions,
        second_factor,
        ended,
    })
}

/// A token as a row.
struct Row {
    id: i64,
    kind: &'static str,
    label: String,
    scope: &'static str,
    owner: Option<String>,
    made: String,
    expires: String,
    last_used: String,
    status: &'static str,
    live: bool,
}

fn row(ctx: &Ctx, token: &AccessToken, owner: Option<String>) -> Row {
    let t = ctx.t();
    let now = chrono::Utc::now();
    let status = if token.revoked_at.is_some() {
        t.tokens_revoked
    } else if token.live(now) {
        t.tokens_live
    } else {
        t.tokens_expired
    };
    Row {
        id: token.id,
        kind: match token.kind {
            TokenKind::Api => t.tokens_kind_api,
            TokenKind::Calendar => t.tokens_kind_calendar,
            TokenKind::Digest => t.tokens_kind_digest,
        },
        label: token.label.clone(),
        scope: scope_text(t, token.scope),
        owner,
        made: ctx.datetime(&token.created_at),
        expires: token
            .expires_at
            .map_or_else(|| t.tokens_never.to_owned(), |at| ctx.datetime(&at)),
        last_used: token
            .last_used_at
            .map_or_else(|| t.tokens_never_used.to_owned(), |at| ctx.datetime(&at)),
        status,
        live: token.live(now),
    }
}

fn scope_text(t: &Texts, scope: TokenScope) -> &'static str {
    match scope {
        TokenScope::Read => t.tokens_scope_read,
        TokenScope::Write => t.tokens_scope_write,
    }
}

#[derive(Template)]
#[template(path = "users/tokens.html")]
struct TokensPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    rows: Vec<Row>,
    /// The token just made, shown once, and the address it is used at.
    created: Option<(String, String)>,
    errors: Vec<String>,
    form: TokenFields,
    /// The scopes the reader may give a token: (key, label).
    scopes: Vec<(&'static str, &'static str)>,
    max_label: usize,
    max_days: i64,
    /// The administrators' list of everyone's tokens, else the reader's own.
    everyone: bool,
    /// How many of the rows are live.
    live: usize,
    /// The reader's sessions and second factor (not on the administrators' list).
    security: Security,
}

impl TokensPage<'_> {
    /// Whether the reader is logged in anywhere but here.
    fn others(&self) -> bool {
        self.security.sessions.iter().any(|s| !s.current)
    }
}

async fn tokens_page(
    state: &AppState,
    ctx: &Ctx,
    created: Option<(String, String)>,
    errors: Vec<String>,
    form: TokenFields,
    ended: Option<usize>,
) -> PageResult {
    let who = ctx.principal();
    let security = security(state, ctx, ended).await?;
    let t = ctx.t();
    let rows: Vec<Row> = state
        .app
        .tokens(&who)
        .await?
        .iter()
        .map(|token| row(ctx, token, None))
        .collect();
    let live = rows.iter().filter(|r| r.live).count();
    let mut scopes = vec![("read", t.tokens_scope_read)];
    if who.role.can_edit() {
        scopes.push(("write", t.tokens_scope_write));
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &TokensPage {
            ctx,
            t,
            rows,
            created,
            errors,
            form,
            scopes,
            max_label: MAX_LABEL,
            max_days: MAX_TOKEN_DAYS,
            everyone: false,
            live,
            security,
        },
        status,
    ))
}

#[derive(Deserialize)]
struct ListQuery {
    /// How many sessions were just ended.
    ended: Option<usize>,
}

async fn list(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let form = TokenFields {
        scope: "read".to_owned(),
        days: "90".to_owned(),
        ..TokenFields::default()
    };
    tokens_page(&state, &ctx, None, Vec::new(), form, q.ended).await
}

/// Where the API is, for the example: the configured public address, else the address this
/// request came to (shown only to the one who asked).
fn api_base(state: &AppState, headers: &HeaderMap) -> String {
    let configured = state.public_base();
    if !configured.is_empty() {
        return format!("{configured}/api/v1");
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost:8080");
    format!("http://{host}/api/v1")
}

async fn create(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    headers: HeaderMap,
    Form(form): Form<TokenFields>,
) -> PageResult {
    match state.app.create_api_token(&ctx.principal(), &form).await {
        Ok((_, secret)) => {
            let api = api_base(&state, &headers);
            let blank = TokenFields {
                scope: "read".to_owned(),
                days: "90".to_owned(),
                ..TokenFields::default()
            };
            tokens_page(&state, &ctx, Some((secret, api)), Vec::new(), blank, None).await
        }
        Err(counterpart_app::Error::Invalid(errors)) => {
            let lines = error_lines(&ctx, &errors);
            tokens_page(&state, &ctx, None, lines, form, None).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct IdForm {
    #[serde(default)]
    id: String,
}

async fn revoke(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<IdForm>,
) -> PageResult {
    let id = form.id.trim().parse().map_err(|_| AppError::BadRequest)?;
    state.app.revoke_token(&ctx.principal(), id).await?;
    Ok(see_other("/account/tokens"))
}

async fn all(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    let rows: Vec<Row> = state
        .app
        .all_tokens(&ctx.principal())
        .await?
        .iter()
        .map(|o| row(&ctx, &o.token, Some(o.username.clone())))
        .collect();
    let live = rows.len();
    Ok(render(
        &TokensPage {
            ctx: &ctx,
            t: ctx.t(),
            rows,
            created: None,
            errors: Vec::new(),
            form: TokenFields::default(),
            scopes: Vec::new(),
            max_label: MAX_LABEL,
            max_days: MAX_TOKEN_DAYS,
            everyone: true,
            live,
            security: Security::default(),
        },
        StatusCode::OK,
    ))
}

async fn revoke_any(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(form): Form<IdForm>,
) -> PageResult {
    let id = form.id.trim().parse().map_err(|_| AppError::BadRequest)?;
    state.app.revoke_token(&ctx.principal(), id).await?;
    Ok(see_other("/admin/tokens"))
}
