//! Duplicates within the file, and which existing person each row updates: by external id,
//! else by e-mail, never to someone with another external id.

use super::planner::Planner;
use super::problem::ImportProblem;
use super::types::ExistingPerson;
use crate::exchange::mapping::Column;

impl Planner<'_, '_> {
    /// A later row with the e-mail or external id of an earlier one is a problem naming the
    /// first.
    pub(super) fn mark_duplicates(&mut self) {
        self.externals.seal();
        self.emails.seal();
        let duplicates = [
            (Column::ExternalId, self.externals.duplicates()),
            (Column::Email, self.emails.duplicates()),
        ];
        for (column, pairs) in duplicates {
            for (row, first) in pairs {
                let first_row = self.rows[first].number;
                let problem = match column {
                    Column::Email => ImportProblem::DuplicateEmail { first_row },
                    _ => ImportProblem::DuplicateExternalId { first_row },
                };
                let state = &mut self.rows[row];
                state.duplicate = true;
                state.problems.push((self.cols.get(column), problem));
            }
        }
    }

    /// Which existing person each row updates: by external id, else by e-mail.
    pub(super) fn match_existing(&mut self) {
        let existing = self.ctx.existing;
        if existing.is_empty() {
            return;
        }
        let problem_column = self
            .cols
            .get(Column::ExternalId)
            .or(self.cols.get(Column::Email));
        let by_external = self
            .externals
            .join(&self.existing_externals, |same| same.next());
        // An active person wins over a deactivated one with the same address.
        let by_email = self
            .emails
            .join(&self.existing_emails, |same| prefer_active(existing, same));
        for index in 0..self.rows.len() {
            let state = &self.rows[index];
            if state.duplicate {
                continue;
            }
            let external = state.external;
            let by_external = by_external.get(index).copied().flatten();
            let matched = by_external.or_else(|| {
                let candidate = by_email.get(index).copied().flatten()?;
                let theirs = existing[candidate]
                    .external_id
                    .as_deref()
                    .is_some_and(|x| !x.trim().is_empty());
                // Someone with another external id is another person who shares the address.
                (external.is_none() || !theirs).then_some(candidate)
            });
            let Some(person) = matched else {
                continue;
            };
            match self.matched_by[person] {
                None => {
                    self.matched_by[person] = Some(index);
                    self.rows[index].matched = Some(person);
                }
                Some(first) => {
                    let first_row = self.rows[first].number;
                    self.rows[index]
                        .problems
                        .push((problem_column, ImportProblem::SamePerson { first_row }));
                }
            }
        }
    }
}

/// The first active person among `candidates`, else the first one.
fn prefer_active(
    existing: &[ExistingPerson],
    candidates: &mut dyn Iterator<Item = usize>,
) -> Option<usize> {
    let mut first = None;
    for i in candidates {
        if existing[i].active {
            return Some(i);
        }
        first.get_or_insert(i);
    }
    first
}
