//! Import and export of people: CSV, Excel (XLSX) and vCard files.
//!
//! Users arrive with their own org chart from HR and their customers' org charts in Excel or
//! CSV, and with vCard contacts from their address books. This module is the pure part of
//! that exchange: bytes in, a validated import plan out, and records back to bytes. It never
//! touches a database, so everything here is fast to test and the store stays the only
//! place that writes.
//!
//! The import pipeline:
//!
//! 1. [`read`] turns bytes into a [`read::Table`]: [`read::read_csv`], [`read::read_xlsx`] or
//!    [`read::read_vcards`] followed by [`read::vcards_to_table`].
//! 2. [`mapping::detect`] guesses which column holds what from the header row; the user can
//!    correct it ([`mapping::Mapping::set`], [`mapping::Mapping::from_keys`]).
//! 3. [`plan::plan`] validates every row against what the database already holds and decides
//!    per row: create, update or unchanged. It lists every problem, with row and column.
//! 4. The store applies a plan without problems in one transaction (see below).
//!
//! Export goes the other way: [`write::write_csv`], [`write::write_xlsx`] and
//! [`write::write_vcards`]. A table written with canonical headers
//! ([`mapping::Column::header`]) and read back is the same table, so an export can be edited
//! in Excel and imported again.
//!
//! # Applying a plan (for the store)
//!
//! An [`plan::ImportPlan`] is all or nothing: refuse it while `problems` is non-empty. Because
//! the plan is a snapshot of the database taken when it was computed, compute it again inside
//! the commit transaction from freshly read levels, functions, units and people (it is pure and
//! fast) and refuse if it now has problems or other counts than the user confirmed. Then:
//!
//! 1. Create one unit per entry of `new_units`, in order (top-level; the user arranges them
//!    later), giving `unit_ids[i]` for `new_units[i]`.
//! 2. Walk `rows` in order: `Create` inserts the person *without* manager and assistant-of
//!    (they may point to rows not yet inserted); `Update(id)` and `Unchanged(id)` just take `id`.
//!    This gives `person_ids[j]` for `rows[j]`.
//! 3. For every `Create` and `Update` row, clear manager and assistant-of first, then write
//!    [`plan::PlannedPerson::to_input`]`(&unit_ids, &person_ids)` as the person's data, store
//!    `external_id`, and set the person active where `reactivate` is true. Clearing first
//!    matters: the plan checked that the *final* reports-to graph has no loop, but setting
//!    managers one by one onto the old graph could pass through a temporary loop that a
//!    per-row loop check would refuse. `Unchanged` rows need no write.
//!
//! The store fills [`plan::PlanContext::existing`] with every person of the target
//! organization, active or not, their current values as text ([`crate::person::PersonFields`],
//! ids as decimal text) and the external id it keeps for imports (a column the store adds).
//!
//! For an `Update`, the planned person already carries the stored values of every column the
//! file does not contain: writing it whole never wipes what the file did not mention.

pub mod export;
pub mod mapping;
pub mod plan;
pub mod preview;
pub mod read;
pub mod write;

pub use read::vcard;
