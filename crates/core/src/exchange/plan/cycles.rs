//! The third pass: reports-to loops in the final state, the file's rows together with the
//! existing people they do not update.

use super::planner::{Planner, Target};
use super::problem::ImportProblem;
use super::types::{ExistingPerson, parse_id};
use crate::exchange::mapping::Column;
use crate::ids::PersonId;

impl Planner<'_, '_> {
    /// Third pass: marks every row on a reports-to loop of the final state.
    pub(super) fn find_cycles(&mut self) {
        let n = self.rows.len();
        let existing = self.ctx.existing;
        let manager_mapped = self.cols.has(Column::Manager);
        let managers = stored_managers(existing);
        let stored_parent = |this: &Self, i: usize| {
            let manager = managers[i]?;
            Some(this.node(Target::Existing(manager)))
        };
        let mut parent: Vec<Option<usize>> = Vec::with_capacity(n + existing.len());
        for row in &self.rows {
            parent.push(if manager_mapped {
                row.manager.map(|t| self.node(t))
            } else {
                row.matched.and_then(|i| stored_parent(self, i))
            });
        }
        for i in 0..existing.len() {
            parent.push(stored_parent(self, i));
        }
        // 0 = unvisited, 1 = on the current path, 2 = done.
        let mut state = vec![0u8; parent.len()];
        let mut path = Vec::new();
        let manager_col = self.cols.get(Column::Manager);
        for start in 0..n {
            let mut node = start;
            let loop_start = loop {
                match state[node] {
                    1 => break Some(node),
                    2 => break None,
                    _ => {}
                }
                state[node] = 1;
                path.push(node);
                match parent[node] {
                    Some(next) => node = next,
                    None => break None,
                }
            };
            if let Some(first) = loop_start {
                let at = path.iter().position(|&x| x == first).unwrap_or(path.len());
                for &x in &path[at..] {
                    if x < n {
                        self.rows[x]
                            .problems
                            .push((manager_col, ImportProblem::Cycle));
                    }
                }
            }
            for x in path.drain(..) {
                state[x] = 2;
            }
        }
    }
}

/// For each existing person, the index of their stored manager in `existing`: a merge of
/// sorted ids, for the same reason as [`KeyIndex::join`](super::keys::KeyIndex::join).
fn stored_managers(existing: &[ExistingPerson]) -> Vec<Option<usize>> {
    let mut ids: Vec<(PersonId, usize)> = existing.iter().map(|p| p.id).zip(0..).collect();
    ids.sort_unstable();
    let mut wanted: Vec<(PersonId, usize)> = existing
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((parse_id(&p.fields.reports_to_id)?, i)))
        .collect();
    wanted.sort_unstable();
    let mut managers = vec![None; existing.len()];
    let mut j = 0;
    for (id, child) in wanted {
        while j < ids.len() && ids[j].0 < id {
            j += 1;
        }
        if let Some(&(found, manager)) = ids.get(j)
            && found == id
        {
            managers[child] = Some(manager);
        }
    }
    managers
}
