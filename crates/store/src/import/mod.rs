//! Importing people from a table (CSV, XLSX, vCard): preview and commit, all or nothing.
//!
//! The plan is pure ([`counterpart_core::exchange::plan`]); this module reads what it checks
//! against and writes a plan without problems in one transaction. New people are inserted in
//! bulk with ids reserved up front, managers before their reports, so that even a million rows
//! take seconds. Updates keep what the file does not mention.
//!
//! [`plan`] reads what a plan checks against (the preview), [`apply`] commits an import and
//! [`write`](mod@write) writes its people; [`export`] writes people out in the form an import
//! reads back. [`progress`] is what a progress bar is told.

mod apply;
mod export;
mod plan;
mod progress;
mod write;

pub use apply::{ImportOutcome, ImportTarget};
pub use progress::{ImportPhase, ImportProgress};
