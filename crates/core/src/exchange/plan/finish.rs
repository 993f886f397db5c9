//! The last pass: the plan itself. References and new units of the rows without problems,
//! updates merged with the stored values, the counts, and every problem in row order.

use super::columns::Cols;
use super::keys::HashMap;
use super::planner::{Planner, RowState, Target};
use super::problem::{ImportProblem, RowProblem};
use super::types::{ExistingPerson, ImportPlan, PersonRef, PlannedRow, RowAction, UnitRef};
use crate::exchange::mapping::Column;

impl Planner<'_, '_> {
    /// Last pass: references and new units of the rows without problems, merging with
    /// stored values, counts; then the candidates of rows with problems are dropped.
    pub(super) fn finish(mut self) -> ImportPlan {
        let mut plan = ImportPlan::default();
        if !self.cols.has(Column::FamilyName) {
            plan.problems.push(RowProblem {
                row: 1,
                column: None,
                problem: ImportProblem::NoFamilyNameColumn,
            });
        }
        let (planned, keep) = self.final_positions();
        self.complete_rows(&planned, &mut plan);
        let mut index = 0;
        self.candidates.retain(|_| {
            index += 1;
            keep[index - 1]
        });
        plan.rows = self.candidates;
        let headers = &self.table.headers;
        plan.problems.extend(row_problems(self.rows, headers));
        plan.problems.sort_by_key(|p| p.row);
        plan
    }

    /// For each row, its index in the final `plan.rows` when it has no problems; and for each
    /// candidate, whether it is kept.
    fn final_positions(&self) -> (Vec<Option<usize>>, Vec<bool>) {
        let mut planned: Vec<Option<usize>> = Vec::with_capacity(self.rows.len());
        let mut keep = vec![false; self.candidates.len()];
        let mut next = 0;
        for row in &self.rows {
            let slot = row.slot.filter(|_| row.problems.is_empty());
            if let Some(slot) = slot {
                keep[slot] = true;
            }
            planned.push(slot.map(|_| {
                next += 1;
                next - 1
            }));
        }
        (planned, keep)
    }

    /// Completes the planned row of every row without problems: its new unit (numbered in
    /// order of first use), manager and assistant-of, and for a matched person the stored
    /// values and the action; counts each action.
    fn complete_rows(&mut self, planned: &[Option<usize>], plan: &mut ImportPlan) {
        let existing = self.ctx.existing;
        let rows = &self.rows;
        let person_ref = |target: Option<Target>| -> Option<PersonRef> {
            match target? {
                Target::Existing(i) => Some(PersonRef::Existing(existing[i].id)),
                Target::Row(r) => match rows[r].matched {
                    Some(i) => Some(PersonRef::Existing(existing[i].id)),
                    None => planned[r].map(PersonRef::Row),
                },
            }
        };
        let mut new_unit_index: HashMap<usize, usize> = HashMap::default();
        for row in rows {
            let Some(slot) = row.slot.filter(|_| row.problems.is_empty()) else {
                continue;
            };
            let planned_row = &mut self.candidates[slot];
            let person = &mut planned_row.person;
            if let Some(candidate) = row.new_unit {
                let next = plan.new_units.len();
                let i = *new_unit_index.entry(candidate).or_insert(next);
                if i == next {
                    plan.new_units
                        .push(self.unit_candidates[candidate].to_owned());
                }
                person.unit = Some(UnitRef::New(i));
            }
            person.manager = person_ref(row.manager);
            person.assistant_of = person_ref(row.assistant);
            match row.matched {
                None => plan.created += 1,
                Some(i) => {
                    if merge_with_stored(&self.cols, planned_row, &existing[i]) {
                        plan.unchanged += 1;
                    } else {
                        plan.updated += 1;
                    }
                }
            }
        }
    }
}

/// Merges the planned row of a row that updates `who` with what is stored: a column the file
/// does not have keeps the stored value, and so does a missing external id. Sets the action
/// and returns whether the row is unchanged: every mapped column and the external id as
/// stored, and the person active.
fn merge_with_stored(cols: &Cols, planned_row: &mut PlannedRow, who: &ExistingPerson) -> bool {
    let person = &mut planned_row.person;
    let mut same = true;
    for &column in Column::ALL {
        if cols.has(column) {
            same = same && person.same_as_stored(who, column);
        } else {
            person.keep_stored(who, column);
        }
    }
    let stored_external = who
        .external_id
        .as_deref()
        .map(str::trim)
        .filter(|x| !x.is_empty());
    if planned_row.external_id.is_none() {
        planned_row.external_id = stored_external.map(str::to_owned);
    }
    let same = same && planned_row.external_id.as_deref() == stored_external;
    if same && who.active {
        planned_row.action = RowAction::Unchanged(who.id);
        true
    } else {
        planned_row.action = RowAction::Update(who.id);
        planned_row.reactivate = !who.active;
        false
    }
}

/// Every row's problems, ordered by row, then column, with the column's header.
fn row_problems(rows: Vec<RowState<'_>>, headers: &[String]) -> impl Iterator<Item = RowProblem> {
    let mut problems = Vec::new();
    for row in rows {
        let number = row.number;
        problems.extend(row.problems.into_iter().map(|(col, p)| (number, col, p)));
    }
    problems.sort_by_key(|&(row, col, _)| (row, col));
    problems
        .into_iter()
        .map(move |(row, column, problem)| RowProblem {
            row,
            column: column.and_then(|i| headers.get(i).cloned()),
            problem,
        })
}
