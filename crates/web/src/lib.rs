//! Counterpart's web interface: server-rendered HTML pages (askama templates, htmx for partial
//! updates), database sessions, CSRF protection, German and English.
//!
//! [`app`] builds the router; [`serve`] runs it on a bound listener until a shutdown signal,
//! so tests bind port 0 and never sleep.

mod api;
mod assets;
mod client;
mod ctx;
mod error;
mod i18n;
mod mail;
mod middleware;
mod pages;
mod render;
mod wording;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use counterpart_app::App;
use counterpart_store::Store;
use tokio::net::TcpListener;

pub use api::RATE as DEFAULT_API_RATE_LIMIT;
pub use ctx::{Ctx, SESSION_COOKIE};
pub use error::AppError;
pub use mail::{MailError, send_invitations, send_weekly_digests};

/// Largest request body accepted (forms); larger bodies get 413.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// The largest file accepted for an import (people, the KAM matrix).
pub(crate) const UPLOAD_LIMIT: usize = 50 * 1024 * 1024;

/// Settings of the web layer alone; what other layers need too (the public address, trusted
/// proxies, import limits, time zone) is in the application's [`counterpart_app::Config`].
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Send cookies with the `Secure` flag (serve over HTTPS, or behind a TLS proxy).
    pub secure_cookies: bool,
    /// How long a session stays valid after its last use.
    pub session_ttl: chrono::Duration,
    /// How many API requests one token may make a minute on this instance
    /// ([`DEFAULT_API_RATE_LIMIT`] unless the operator says otherwise, e.g. for a conformance
    /// run).
    pub api_rate_limit: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            api_rate_limit: api::RATE,
        }
    }
}

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The use cases, with the store and the configuration.
    pub app: App,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// Agenda items' prepared parts, rendered once (see `pages::jour_fixe`).
    pub(crate) prepared_blocks: Arc<pages::jour_fixe::PreparedBlocks>,
    /// The API's requests per token (see `api`).
    pub(crate) rate_limits: Arc<api::RateLimits>,
}

impl AppState {
    /// The state for an application and web settings.
    pub fn new(app: App, config: WebConfig) -> Self {
        let rate_limits = Arc::new(api::RateLimits::new(config.api_rate_limit));
        Self {
            app,
            config: Arc::new(config),
            prepared_blocks: Arc::default(),
            rate_limits,
        }
    }

    /// The store, for what is not yet a use case.
    pub(crate) fn store(&self) -> &Store {
        self.app.store()
    }

    /// The application's configuration.
    pub(crate) fn settings(&self) -> &counterpart_app::Config {
        self.app.config()
    }

    /// The configured public address without its trailing slash, to make absolute links
    /// (feeds, mails); empty when none is configured (links are then relative).
    pub(crate) fn public_base(&self) -> String {
        self.settings()
            .public_url
            .as_ref()
            .map(|u| u.as_str().trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
}

/// The whole application: pages, static assets, and the middleware that every request passes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(assets::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::context,
        ))
        // Added after the session layer, so it does not wrap them: the API reads no cookie.
        .nest("/api/v1", api::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(axum::middleware::from_fn(middleware::run_to_completion))
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes, then finishes the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
