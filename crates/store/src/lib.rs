//! Counterpart's persistence: one code path for SQLite (the embedded default) and PostgreSQL
//! (for several server instances sharing one database).
//!
//! Everything goes through `sqlx`'s `Any` driver with `$N` placeholders and a schema whose types
//! both engines read alike (see `docs/adr/0001-storage.md`). The few places where the dialects
//! differ live in [`dialect`]. Every public method is one use case: it opens one transaction,
//! writes its audit entries inside it, and commits once.

mod accounts;
mod audit;
mod bulk;
mod counterparts;
mod db;
mod decode;
pub mod demo;
mod dialect;
mod digest;
mod dump;
mod erasure;
mod error;
mod guiding;
mod hashing;
mod import;
mod importance;
mod insights;
mod interactions;
pub mod jobs;
mod jour_fixe;
mod ladder;
mod login;
mod login_throttle;
mod matrix;
mod matrix_import;
mod migrate;
mod mirror;
mod orgs;
mod people;
mod privacy;
pub mod registry;
mod second_factor;
mod sessions;
#[cfg(feature = "test-support")]
pub mod testing;
mod time;
mod tokens;
mod uploads;
mod users;
mod versioned;
mod visibility;

pub use accounts::{AccountFilter, AccountSummary, AttentionCounts, PagedAccounts};
pub use audit::{AuditEntry, AuditFilter};
pub use bulk::LoadReport;
pub use counterpart_core::dump::{DUMP_FORMAT, DUMP_VERSION, DumpError};
pub use counterparts::CounterpartView;
pub use db::{Backend, Store};
pub use digest::{DIGEST_ROWS, NewFinding, PairChange, PairRhythm, RatingChange, UnitKeyContact};
pub use erasure::{Dormant, Erased, ErasureCount, ErasurePlan, activity_date};
pub use error::{Refusal, Result, StoreError};
pub use guiding::{ANSWER_SETS_SHOWN, AnswerSetFilter, Answering};
pub use import::{ImportOutcome, ImportPhase, ImportProgress, ImportTarget};
pub use insights::{INSIGHTS_SHOWN, InsightAbout, InsightFilter, InsightView, Subject};
pub use interactions::{CONTACTS_SHOWN, ContactFilter, InteractionView, LoggedContact};
pub use jour_fixe::{
    ActionView, AgendaItem, Contribution, ContributionKind, MeetingStamp, MeetingSummary,
    Participant, SeriesFilter, SeriesSummary,
};
pub use login::{
    CHALLENGE_LIFETIME, CodeAttempt, CodeOutcome, LoginAttempt, LoginOutcome, LoginSuccess,
};
pub use matrix::MatrixData;
pub use matrix_import::{MatrixImportOutcome, MatrixProblem, MatrixProblemKind};
pub use mirror::{Accepted, LockView, PersonLabel, TrendPoint};
pub use orgs::{ORGANIZATIONS_PER_PAGE, OrganizationFilter, OrganizationSummary};
pub use people::{ChartRow, PeopleFilter, PersonDetail, PersonSummary, Pick, PositionView};
pub use privacy::{AccessReport, AccessSection};
pub use second_factor::{SecondFactorOff, SecondFactorStatus};
pub use sessions::{LoginNotice, NewSession, SESSIONS_SHOWN, SessionInfo, SessionUser};
pub use time::{Timestamp, now};
pub use tokens::{AccessToken, NewToken, TokenOfUser};
pub use uploads::{Upload, UploadPreview};
pub use users::{
    EmailLink, NewUser, OwnPassword, USERS_PER_PAGE, UserListEntry, UserPage, UserQuery,
    random_bytes, random_token,
};
pub use visibility::Visibility;

/// Who is making a change: written into every audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The user, if the change comes from a logged-in user.
    pub user_id: Option<counterpart_core::ids::UserId>,
    /// The name shown in the audit log and in "changed meanwhile by …".
    pub name: String,
}

impl Actor {
    /// The actor for changes made by the command-line tool or at start-up.
    pub fn system() -> Self {
        Self {
            user_id: None,
            name: "System".to_owned(),
        }
    }
}
