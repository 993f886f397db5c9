//! Counterpart's use cases: one function per thing a user does or sees, between the pages (and
//! the command line, and the coming API) and the store. Each takes the one who asks, a
//! [`Principal`], decides what they may see and do, and returns a read model or an outcome; the
//! web layer parses, calls one use case and renders. Derived work runs on the store's job queue;
//! this crate runs its worker. See `docs/adr/0007-use-case-layer.md`.

pub mod accounts;
pub mod audit;
pub mod briefing;
pub mod charts;
mod computed;
mod config;
pub mod counterparts;
pub mod digest;
pub mod erasure;
mod error;
pub mod guiding;
pub mod home;
pub mod importance;
pub mod imports;
pub mod insights;
pub mod interactions;
pub mod jour_fixe;
mod ladder;
pub mod matrix;
pub mod mirror;
pub mod my_day;
pub mod organizations;
pub mod people;
mod principal;
pub mod privacy;
pub mod search;
pub mod security;
pub mod tokens;
pub mod users;
mod visibility;
mod work;

use std::sync::Arc;

pub use config::{Config, ConfigError, Smtp, TrustedProxy, canonical_address};
pub use counterpart_store as store;
pub use counterpart_store::{Backend, Store};
pub use error::{Error, Result};
pub use principal::Principal;
pub use visibility::Visibility;

/// The application: the store and the configuration, cheap to clone and share.
#[derive(Clone, Debug)]
pub struct App {
    store: Store,
    config: Arc<Config>,
    /// The live meetings' data, shared by their readers.
    meetings: Arc<jour_fixe::MeetingCache>,
    /// The portfolio-wide analyses and suggestions, kept while the data are unchanged.
    portfolio: Arc<mirror::PortfolioResults>,
    /// The start page's overviews, kept while the data are unchanged.
    overviews: Arc<home::Overviews>,
    /// The unit digests, kept while the data are unchanged.
    digests: Arc<digest::Digests>,
}

impl App {
    /// The application on a store with a configuration.
    pub fn new(store: Store, config: Config) -> Self {
        Self {
            store,
            config: Arc::new(config),
            meetings: Arc::default(),
            portfolio: Arc::default(),
            overviews: Arc::default(),
            digests: Arc::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.config.time_zone)
            .date_naive()
    }

    /// The store, for the few things that are not a use case: sessions, health, the job
    /// worker, tests.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Works the job queue until `shutdown` (one worker per server instance).
    pub async fn work_jobs(&self, worker: String, shutdown: impl std::future::Future<Output = ()>) {
        self.store
            .work_jobs(worker, std::time::Duration::from_secs(2), shutdown)
            .await;
    }
}
