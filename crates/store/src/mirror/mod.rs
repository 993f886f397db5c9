//! What the mirror analysis and the counterpart suggestions read, the users' keep/never locks,
//! capacities, accepting suggestions, and the history of mirror scores.
//!
//! Accounts come with their key contacts and current counterparts aggregated as JSON, one row
//! per account, and our people as one JSON array: rows cross from the database one by one, and
//! at the portfolio's size that crossing, not SQL, is what costs.
//!
//! [`input`] reads what the analysis needs, [`scores`] analyses and records mirror scores,
//! [`history`] reads them back over time, [`accept`] turns suggestions into assignments,
//! [`locks`] and [`capacity`] hold what users decided, [`labels`] names people and accounts
//! for the mirror pages.

mod accept;
mod capacity;
mod history;
mod input;
mod labels;
mod locks;
mod scores;

pub use accept::Accepted;
pub use history::TrendPoint;
pub use labels::PersonLabel;
pub use locks::LockView;
