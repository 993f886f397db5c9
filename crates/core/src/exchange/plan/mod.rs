//! The import plan: validates a [`Table`] against what the database holds and decides per
//! row whether it creates a person, updates one or leaves one unchanged. Pure: the store
//! passes in what it read and applies the result (see [`crate::exchange`]).
//!
//! Rules, in the order they are applied:
//!
//! - Text columns are validated exactly like the person form
//!   ([`PersonInput::parse`](crate::person::PersonInput::parse)); the family name is required.
//!   An external id has at most [`MAX_EXTERNAL_ID`] characters.
//! - Level: rank number ("3"), or the German or English name, or one part of a name with a
//!   slash ("Geschäftsführung" for "Vorstand/Geschäftsführung"); compared folded
//!   ([`crate::text::fold`]: case, umlauts and ß do not matter). Function: key or either
//!   name, the same way. Unit: an active unit of the organization by folded name, otherwise
//!   a new unit listed in [`ImportPlan::new_units`].
//! - Duplicates within the file: a later row with the same e-mail (case-insensitive) or the
//!   same external id is a problem naming the first row.
//! - Matching existing people: by external id when that column is mapped and the cell is not
//!   empty; otherwise (or when no one has that id) by e-mail, case-insensitive, but never to a
//!   person who has a different external id. Deactivated people match too and are
//!   reactivated, because a person is one record for life.
//! - Manager and assistant-of: by e-mail (when the value has an `@`), by external id, or by
//!   name ("Given Family", "Family, Given", with or without academic title; a family name
//!   alone for people without given name). First among the rows of the file, then among the
//!   active existing people; a name that fits several is ambiguous.
//! - Reports-to loops in the final state (file rows plus existing people) are a problem on
//!   every row in the loop.
//! - An update keeps the stored value of every column the mapping leaves out; a mapped column
//!   with an empty cell clears the value, except the external id, which an empty cell never
//!   clears (it links the next import). A row is unchanged when every mapped column equals
//!   the stored value and the person is active.
//!
//! A row with any problem gets no [`PlannedRow`]; the plan is only applied when
//! [`ImportPlan::problems`] is empty.
//!
//! Planning a million rows takes about 1.5 s of CPU (see `benches/exchange.rs`). What made
//! it that fast: the table is read once (its cells are scattered over the heap), the file's
//! e-mails and external ids are sorted (hash, row) pairs instead of million-entry hash tables
//! (every insert was a cache miss), existing people are matched by merging sorted indices,
//! and level, function, unit and manager cells are resolved once per distinct value.
//!
//! # Where things are
//!
//! [`plan`] runs the passes over a `planner::Planner` in order: `rows` (the first pass, the
//! only one that reads the table), `matching` (duplicates in the file, existing people),
//! `references` (manager and assistant-of), `cycles` (reports-to loops) and `finish` (the
//! plan). The plan's types are in `types`, the problems in `problem`; `text` validates the
//! text columns, `columns` reads cells by column, `names` and `keys` are the lookups.

mod columns;
mod cycles;
mod finish;
mod keys;
mod matching;
mod names;
mod planner;
mod problem;
mod references;
mod rows;
mod text;
mod types;

pub use self::problem::{ImportProblem, RowProblem};
pub use self::rows::{MAX_EXTERNAL_ID, MAX_UNIT_NAME};
pub use self::types::{
    ExistingPerson, ImportPlan, PersonRef, PlanContext, PlannedPerson, PlannedRow, RowAction,
    UnitRef,
};
use super::mapping::Mapping;
use super::read::Table;
use planner::Planner;

/// Plans the import of `table` into the organization described by `ctx`. Never fails: every
/// problem is listed in the plan. See the module documentation for the rules.
pub fn plan(table: &Table, mapping: &Mapping, ctx: &PlanContext<'_>) -> ImportPlan {
    let mut planner = Planner::new(table, mapping, ctx);
    planner.validate_rows();
    planner.mark_duplicates();
    planner.match_existing();
    planner.resolve_people();
    planner.find_cycles();
    planner.finish()
}

#[cfg(test)]
mod tests;
