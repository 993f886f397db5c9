//! Counterpart's web interface: server-rendered HTML pages (askama templates, htmx for partial
//! updates), database sessions, CSRF protection, German and English.
//!
//! [`app`] builds the router; [`serve`] runs it on a bound listener until a shutdown signal,
//! so tests bind port 0 and never sleep.

mod assets;
mod client;
mod context;
mod error;
mod i18n;
mod pages;
mod wording;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use counterpart_store::Store;
use tokio::net::TcpListener;

pub use client::TrustedProxy;
pub use context::{Ctx, SESSION_COOKIE};
pub use error::AppError;

/// Largest request body accepted (forms); larger bodies get 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Send cookies with the `Secure` flag (serve over HTTPS, or behind a TLS proxy).
    pub secure_cookies: bool,
    /// How long a session stays valid after its last use.
    pub session_ttl: chrono::Duration,
    /// The address users reach Counterpart at (`https://kam.example.com/`): state-changing
    /// requests whose `Origin` is another are refused. Without it, the `Origin` must name the
    /// host the request was sent to.
    pub public_url: Option<url::Url>,
    /// Proxies whose `X-Forwarded-For` names the client (for login throttling by address).
    pub trusted_proxies: Vec<TrustedProxy>,
    /// How much of an uploaded file an import reads (besides the upload's own size cap).
    pub import_limits: counterpart_core::exchange::read::Limits,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: chrono::Duration::hours(12),
            public_url: None,
            trusted_proxies: Vec::new(),
            import_limits: Default::default(),
        }
    }
}

/// What every request handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Web settings.
    pub config: Arc<WebConfig>,
}

/// The whole application: pages, static assets, and the middleware that every request passes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(assets::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::context,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(context::log_request))
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
