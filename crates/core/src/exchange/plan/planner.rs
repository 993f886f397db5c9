//! The planner's state between its passes: a [`RowState`] per row of the table, the key
//! indices of the file and of the existing people, and the planned rows being built. The
//! passes themselves are in `rows`, `matching`, `references`, `cycles` and `finish`.

use std::borrow::Cow;

use super::columns::Cols;
use super::keys::{HashMap, KeyIndex, email_key};
use super::names::Hit;
use super::problem::ImportProblem;
use super::types::{PlanContext, PlannedRow};
use crate::exchange::mapping::{Column, Mapping};
use crate::exchange::read::Table;

/// Someone a manager or assistant-of cell points to.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Target {
    /// A row of the file (by index into the table's rows).
    Row(usize),
    /// An existing person (by index into `ctx.existing`).
    Existing(usize),
}

/// What a manager or assistant-of cell resolves to.
#[derive(Clone, Copy)]
pub(super) enum Resolution {
    /// Exactly one person.
    Found(Target),
    /// Nobody.
    NotFound,
    /// Several people.
    Ambiguous,
}

/// A row while it is being planned. It keeps the few cells later passes need, so that the
/// table is read once: its cells are scattered over the heap, and reading a million rows
/// again costs more than everything else a pass does.
#[derive(Default)]
pub(super) struct RowState<'t> {
    /// Row number as a spreadsheet shows it.
    pub(super) number: usize,
    /// The external id cell, if not empty.
    pub(super) external: Option<&'t str>,
    /// The manager cell.
    pub(super) manager_cell: &'t str,
    /// The assistant-of cell.
    pub(super) assistant_cell: &'t str,
    /// The row's problems, with the header index of their column.
    pub(super) problems: Vec<(Option<usize>, ImportProblem)>,
    /// Index into `Planner::candidates` of the row's planned person; `None` when the first
    /// pass found a problem.
    pub(super) slot: Option<usize>,
    /// A new unit (index into `Planner::unit_candidates`), numbered in `new_units` at the end.
    pub(super) new_unit: Option<usize>,
    /// Whom the manager cell names.
    pub(super) manager: Option<Target>,
    /// Whom the assistant-of cell names.
    pub(super) assistant: Option<Target>,
    /// Index into `ctx.existing` of the person this row updates.
    pub(super) matched: Option<usize>,
    /// An earlier row has the same e-mail or external id.
    pub(super) duplicate: bool,
}

/// The state of one planning: the table and context it reads, and what the passes found so
/// far.
pub(super) struct Planner<'t, 'c> {
    /// The file.
    pub(super) table: &'t Table,
    /// Where each column is in the file.
    pub(super) cols: Cols,
    /// What the database holds.
    pub(super) ctx: &'c PlanContext<'c>,
    /// One per row of the table.
    pub(super) rows: Vec<RowState<'t>>,
    /// Row index that updates each existing person.
    pub(super) matched_by: Vec<Option<usize>>,
    // File indices, first row wins.
    /// The file's e-mail keys.
    pub(super) emails: KeyIndex<'t>,
    /// The file's external ids.
    pub(super) externals: KeyIndex<'t>,
    /// The file's name index, built on first use.
    pub(super) row_names: Option<HashMap<String, Hit>>,
    // Existing people.
    /// The existing people's external ids.
    pub(super) existing_externals: KeyIndex<'c>,
    /// The existing people's e-mail keys.
    pub(super) existing_emails: KeyIndex<'c>,
    /// The active existing people's name index, built on first use.
    pub(super) by_name: Option<HashMap<String, Hit>>,
    /// Manager and assistant-of cells resolved so far.
    pub(super) resolved: HashMap<&'t str, Resolution>,
    /// Candidates for new units: first spelling of each folded name.
    pub(super) unit_candidates: Vec<&'t str>,
    /// The planned rows of every row that passed the first pass, in file order. Built once
    /// and compacted at the end: a second copy of a million persons cost more than the
    /// checks.
    pub(super) candidates: Vec<PlannedRow>,
}

impl<'t, 'c> Planner<'t, 'c> {
    /// A planner before its first pass, with the existing people's keys indexed.
    pub(super) fn new(table: &'t Table, mapping: &Mapping, ctx: &'c PlanContext<'c>) -> Self {
        let existing = ctx.existing;
        let hasher = foldhash::fast::RandomState::default();
        let mut existing_externals = KeyIndex::new(existing.len(), hasher);
        let mut existing_emails = KeyIndex::new(existing.len(), hasher);
        for person in existing {
            let external = person.external_id.as_deref().map(str::trim);
            existing_externals.push(external.filter(|x| !x.is_empty()).map(Cow::Borrowed));
            let email = person.fields.email.trim();
            existing_emails.push((!email.is_empty()).then(|| email_key(email)));
        }
        existing_externals.seal();
        existing_emails.seal();
        let cols = Cols::new(mapping);
        let capacity = |column| {
            if cols.has(column) {
                table.rows.len()
            } else {
                0
            }
        };
        Self {
            table,
            rows: Vec::with_capacity(table.rows.len()),
            matched_by: vec![None; existing.len()],
            emails: KeyIndex::new(capacity(Column::Email), hasher),
            externals: KeyIndex::new(capacity(Column::ExternalId), hasher),
            cols,
            ctx,
            row_names: None,
            existing_externals,
            existing_emails,
            by_name: None,
            resolved: HashMap::default(),
            unit_candidates: Vec::new(),
            candidates: Vec::with_capacity(table.rows.len()),
        }
    }

    /// The node of a target in the final reports-to graph: rows are `0..rows`, existing people
    /// not updated by a row follow; an updated person is their row.
    pub(super) fn node(&self, target: Target) -> usize {
        match target {
            Target::Row(row) => row,
            Target::Existing(i) => self.matched_by[i].unwrap_or(self.rows.len() + i),
        }
    }
}
