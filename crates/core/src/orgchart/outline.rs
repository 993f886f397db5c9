//! The org chart as an indented list, for the list view beside the picture and for screen
//! readers: depth-first through reports-to, assistants right after their boss.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::ChartPerson;
use crate::ids::PersonId;

/// People in outline order with their depth (0 for people without a manager in the list).
///
/// Siblings follow `sort_key`, then id. A manager or boss not in `people` makes a root; loops
/// are broken so that everyone appears exactly once.
pub fn outline(people: &[ChartPerson]) -> Vec<(PersonId, usize)> {
    let present: HashSet<PersonId> = people.iter().map(|p| p.id).collect();
    let superior = |p: &ChartPerson| {
        p.assistant_of
            .filter(|b| *b != p.id && present.contains(b))
            .or(p.reports_to.filter(|b| *b != p.id && present.contains(b)))
    };
    let mut children: Children<'_> = HashMap::new();
    for p in people {
        // Assistants sort before the reports of the same boss.
        let key = (p.assistant_of.is_none(), p.sort_key.as_str(), p.id);
        children.entry(superior(p)).or_default().insert(key, p.id);
    }
    let mut out = Vec::with_capacity(people.len());
    let mut seen = HashSet::new();
    let roots: Vec<PersonId> = children
        .get(&None)
        .map(|r| r.values().copied().collect())
        .unwrap_or_default();
    for root in roots {
        walk(root, &children, &mut seen, &mut out);
    }
    // People caught in a loop never reach a root: start from the smallest id of what is left.
    let mut rest: Vec<PersonId> = people
        .iter()
        .map(|p| p.id)
        .filter(|id| !seen.contains(id))
        .collect();
    rest.sort();
    for id in rest {
        walk(id, &children, &mut seen, &mut out);
    }
    out
}

type Children<'a> = HashMap<Option<PersonId>, BTreeMap<(bool, &'a str, PersonId), PersonId>>;

/// Appends `start` and everyone below it, depth first, skipping people already listed.
fn walk(
    start: PersonId,
    children: &Children<'_>,
    seen: &mut HashSet<PersonId>,
    out: &mut Vec<(PersonId, usize)>,
) {
    let mut stack = vec![(start, 0)];
    while let Some((id, depth)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        out.push((id, depth));
        if let Some(kids) = children.get(&Some(id)) {
            stack.extend(kids.values().rev().map(|k| (*k, depth + 1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(
        id: i64,
        reports_to: Option<i64>,
        assistant_of: Option<i64>,
        key: &str,
    ) -> ChartPerson {
        ChartPerson {
            id: PersonId::new(id),
            unit_id: None,
            reports_to: reports_to.map(PersonId::new),
            assistant_of: assistant_of.map(PersonId::new),
            level_rank: None,
            sort_key: key.into(),
        }
    }

    #[test]
    fn depth_first_with_assistants_first() {
        let people = [
            person(1, None, None, "a"),
            person(2, Some(1), None, "c"),
            person(3, Some(1), Some(1), "z"),
            person(4, Some(2), None, "b"),
            person(5, Some(1), None, "b"),
        ];
        let order: Vec<(i64, usize)> = outline(&people)
            .into_iter()
            .map(|(p, d)| (p.get(), d))
            .collect();
        assert_eq!(order, [(1, 0), (3, 1), (5, 1), (2, 1), (4, 2)]);
    }

    #[test]
    fn loops_and_strangers_keep_everyone_once() {
        let people = [
            person(1, Some(2), None, "a"),
            person(2, Some(1), None, "b"),
            person(3, Some(99), None, "c"),
        ];
        let order = outline(&people);
        assert_eq!(order.len(), 3);
        assert_eq!(
            order[0],
            (PersonId::new(3), 0),
            "an unknown manager makes a root"
        );
    }
}
