//! The second pass: the person each manager and assistant-of cell names, among the rows of
//! the file first, then among the active existing people.

use super::keys::{HashMap, email_key, map_with};
use super::names::{Hit, add_hit, name_keys, value_key};
use super::planner::{Planner, Resolution, Target};
use super::problem::ImportProblem;
use crate::exchange::mapping::Column;
use crate::validate::Problem;

impl<'t> Planner<'t, '_> {
    /// Second pass: manager and assistant-of, now that every row is known.
    pub(super) fn resolve_people(&mut self) {
        let (manager_col, assistant_col) = (
            self.cols.get(Column::Manager),
            self.cols.get(Column::AssistantOf),
        );
        if manager_col.is_none() && assistant_col.is_none() {
            return;
        }
        for index in 0..self.rows.len() {
            let manager = self.rows[index].manager_cell;
            if !manager.is_empty() {
                match self.resolve(manager) {
                    Resolution::Found(target) => self.rows[index].manager = Some(target),
                    Resolution::NotFound => self.rows[index].problems.push((
                        manager_col,
                        ImportProblem::ManagerNotFound {
                            value: manager.to_owned(),
                        },
                    )),
                    Resolution::Ambiguous => self.rows[index].problems.push((
                        manager_col,
                        ImportProblem::ManagerAmbiguous {
                            value: manager.to_owned(),
                        },
                    )),
                }
            }
            let assistant = self.rows[index].assistant_cell;
            if !assistant.is_empty() {
                let problem = match self.resolve(assistant) {
                    Resolution::Found(target) if self.node(target) == index => {
                        Some(ImportProblem::Invalid(Problem::SelfReference))
                    }
                    Resolution::Found(target) => {
                        self.rows[index].assistant = Some(target);
                        None
                    }
                    Resolution::NotFound => Some(ImportProblem::AssistantOfNotFound {
                        value: assistant.to_owned(),
                    }),
                    Resolution::Ambiguous => Some(ImportProblem::AssistantOfAmbiguous {
                        value: assistant.to_owned(),
                    }),
                };
                if let Some(problem) = problem {
                    self.rows[index].problems.push((assistant_col, problem));
                }
            }
        }
    }

    /// Finds the person a manager or assistant-of cell names.
    fn resolve(&mut self, value: &'t str) -> Resolution {
        if let Some(&known) = self.resolved.get(value) {
            return known;
        }
        let found = self.lookup(value);
        self.resolved.insert(value, found);
        found
    }

    /// Looks a cell up: an e-mail (with an `@`), an external id, or a name; rows of the file
    /// first, then the active existing people.
    fn lookup(&mut self, value: &str) -> Resolution {
        let existing = self.ctx.existing;
        let active = |i: usize| existing[i].active;
        if value.contains('@') {
            let email = email_key(value);
            if let Some(row) = self.emails.get(&email) {
                return Resolution::Found(Target::Row(row));
            }
            return match self.existing_emails.candidates(&email).find(|&i| active(i)) {
                Some(i) => Resolution::Found(Target::Existing(i)),
                None => Resolution::NotFound,
            };
        }
        if let Some(row) = self.externals.get(value) {
            return Resolution::Found(Target::Row(row));
        }
        if let Some(i) = self
            .existing_externals
            .candidates(value)
            .find(|&i| active(i))
        {
            return Resolution::Found(Target::Existing(i));
        }
        let key = value_key(value);
        if key.is_empty() {
            return Resolution::NotFound;
        }
        match self.row_names().get(&key) {
            Some(Hit::One(row)) => return Resolution::Found(Target::Row(*row)),
            Some(Hit::Many) => return Resolution::Ambiguous,
            None => {}
        }
        match self.existing_names().get(&key) {
            Some(Hit::One(i)) => Resolution::Found(Target::Existing(*i)),
            Some(Hit::Many) => Resolution::Ambiguous,
            None => Resolution::NotFound,
        }
    }

    /// Name index of the file's rows, built on first use.
    fn row_names(&mut self) -> &HashMap<String, Hit> {
        let (table, cols) = (self.table, &self.cols);
        self.row_names.get_or_insert_with(|| {
            let mut names = map_with(table.rows.len());
            for (i, row) in table.rows.iter().enumerate() {
                let keys = name_keys(
                    cols.cell(row, Column::AcademicTitle),
                    cols.cell(row, Column::GivenName),
                    cols.cell(row, Column::FamilyName),
                );
                for key in keys.into_iter().flatten() {
                    add_hit(&mut names, key, i);
                }
            }
            names
        })
    }

    /// Name index of the active existing people, built on first use.
    fn existing_names(&mut self) -> &HashMap<String, Hit> {
        let existing = self.ctx.existing;
        self.by_name.get_or_insert_with(|| {
            let mut names = HashMap::default();
            for (i, person) in existing.iter().enumerate().filter(|(_, p)| p.active) {
                let f = &person.fields;
                let keys = name_keys(
                    f.academic_title.trim(),
                    f.given_name.trim(),
                    f.family_name.trim(),
                );
                for key in keys.into_iter().flatten() {
                    add_hit(&mut names, key, i);
                }
            }
            names
        })
    }
}
