//! Organizations and their units.

use serde::{Deserialize, Serialize};

use crate::ids::{OrganizationId, UnitId};
use crate::macros::string_enum;
use crate::validate::{FieldErrors, optional_multiline, required_text};

string_enum! {
    /// What an organization is to us.
    pub enum OrganizationKind {
        /// Our own house. Exactly one organization has this kind.
        Own = "own",
        /// A company outside: customer, supplier or both.
        External = "external",
        /// A neighbouring department of our own house, treated as an internal customer.
        Internal = "internal",
    }
}

impl OrganizationKind {
    /// True for the partner side (external companies and internal departments).
    pub fn is_partner(self) -> bool {
        self != Self::Own
    }

    /// True when an account of this organization is an internal one: a neighbouring
    /// department kept as an organization of its own (`Internal`), or a unit of our own house
    /// (`Own`, the account naming the unit). Only external companies are external accounts.
    pub fn is_in_house(self) -> bool {
        self != Self::External
    }
}

/// An organization as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Its id.
    pub id: OrganizationId,
    /// Display name, e.g. "Brandt & Söhne Industrie AG".
    pub name: String,
    /// Own, external or internal.
    pub kind: OrganizationKind,
    /// Free notes.
    pub notes: Option<String>,
    /// False once deactivated; inactive organizations are hidden by default but kept.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Validated input for creating or editing an organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationInput {
    /// Display name (1–200 characters).
    pub name: String,
    /// Own, external or internal.
    pub kind: OrganizationKind,
    /// Free notes (up to 4,000 characters).
    pub notes: Option<String>,
}

impl OrganizationInput {
    /// Parses raw form or JSON values, naming every field that is wrong.
    pub fn parse(name: &str, kind: &str, notes: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.take("name", required_text(name, 200));
        let kind = errors.take("kind", kind.parse());
        let notes = errors.take("notes", optional_multiline(notes, 4000));
        errors.into_result(|| Self {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(OrganizationKind::External),
            notes: notes.flatten(),
        })
    }
}

string_enum! {
    /// What kind of organizational unit.
    pub enum UnitKind {
        /// Division (Bereich).
        Division = "division",
        /// Department (Abteilung).
        Department = "department",
        /// Team.
        Team = "team",
        /// Secretariat or office (Sekretariat).
        Secretariat = "secretariat",
        /// Anything else (staff unit, project, site…).
        Other = "other",
    }
}

/// A unit as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    /// Its id.
    pub id: UnitId,
    /// The organization it belongs to.
    pub organization_id: OrganizationId,
    /// The unit above it; `None` for a top unit.
    pub parent_id: Option<UnitId>,
    /// Display name.
    pub name: String,
    /// Division, department, team, secretariat or other.
    pub kind: UnitKind,
    /// False once deactivated.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Validated input for creating or editing a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitInput {
    /// Display name (1–200 characters).
    pub name: String,
    /// Its kind.
    pub kind: UnitKind,
    /// The unit above it, if any. Checked by the store: same organization, no loop.
    pub parent_id: Option<UnitId>,
}

impl UnitInput {
    /// Parses raw form or JSON values; an empty parent means a top unit.
    pub fn parse(name: &str, kind: &str, parent_id: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.take("name", required_text(name, 200));
        let kind = errors.take("kind", kind.parse());
        let parent = errors.take("parent_id", crate::person::optional_id(parent_id));
        errors.into_result(|| Self {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(UnitKind::Other),
            parent_id: parent.flatten(),
        })
    }
}

/// A unit with its children, for drawing the unit tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitNode {
    /// The unit.
    pub unit: Unit,
    /// Depth in the tree, 0 for top units.
    pub depth: usize,
}

/// The part of a unit tree (in [`unit_tree`]'s order) a page shows of a large organization:
/// the units of the top `levels`, and around the unit chosen (if any) the units above it and
/// those right below it — so that choosing a unit opens the next level beneath it.
pub fn tree_around(tree: Vec<UnitNode>, levels: usize, chosen: Option<UnitId>) -> Vec<UnitNode> {
    use std::collections::{HashMap, HashSet};
    let parents: HashMap<UnitId, Option<UnitId>> =
        tree.iter().map(|n| (n.unit.id, n.unit.parent_id)).collect();
    let mut path = HashSet::new();
    let mut at = chosen;
    while let Some(id) = at {
        if !path.insert(id) {
            break;
        }
        at = parents.get(&id).copied().flatten();
    }
    tree.into_iter()
        .filter(|n| {
            n.depth < levels
                || path.contains(&n.unit.id)
                || n.unit.parent_id.is_some_and(|p| Some(p) == chosen)
        })
        .collect()
}

/// A unit and every unit below it, however deep.
pub fn subtree(units: &[Unit], root: UnitId) -> std::collections::HashSet<UnitId> {
    let mut set = std::collections::HashSet::from([root]);
    let mut grew = true;
    while grew {
        grew = false;
        for unit in units {
            if let Some(parent) = unit.parent_id
                && set.contains(&parent)
                && set.insert(unit.id)
            {
                grew = true;
            }
        }
    }
    set
}

/// Orders units depth-first (parents before children, siblings by name) with their depth.
/// Units whose parent is missing from the list are treated as top units, so nothing is lost.
pub fn unit_tree(units: &[Unit]) -> Vec<UnitNode> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<UnitId> = units.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<UnitId>, Vec<&Unit>> = HashMap::new();
    for unit in units {
        let parent = unit.parent_id.filter(|p| ids.contains(p) && *p != unit.id);
        children.entry(parent).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by_key(|u| u.name.to_lowercase());
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = HashSet::new();
    let mut stack: Vec<(&Unit, usize)> = children
        .get(&None)
        .map(|top| top.iter().rev().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        if !seen.insert(unit.id) {
            continue;
        }
        out.push(UnitNode {
            unit: unit.clone(),
            depth,
        });
        if let Some(kids) = children.get(&Some(unit.id)) {
            stack.extend(kids.iter().rev().map(|u| (*u, depth + 1)));
        }
    }
    // Units caught in a (corrupt) loop never reach a top unit; show them at the top level.
    for unit in units {
        if !seen.contains(&unit.id) {
            seen.insert(unit.id);
            out.push(UnitNode {
                unit: unit.clone(),
                depth: 0,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Problem;

    fn unit(id: i64, parent: Option<i64>, name: &str) -> Unit {
        Unit {
            id: UnitId::new(id),
            organization_id: OrganizationId::new(1),
            parent_id: parent.map(UnitId::new),
            name: name.into(),
            kind: UnitKind::Department,
            active: true,
            version: 1,
        }
    }

    #[test]
    fn tree_is_depth_first_with_sorted_siblings() {
        let units = vec![
            unit(1, None, "Vorstand"),
            unit(2, Some(1), "Vertrieb"),
            unit(3, Some(1), "Einkauf"),
            unit(4, Some(2), "Key Accounts"),
        ];
        let tree = unit_tree(&units);
        let order: Vec<(&str, usize)> = tree
            .iter()
            .map(|n| (n.unit.name.as_str(), n.depth))
            .collect();
        assert_eq!(
            order,
            [
                ("Vorstand", 0),
                ("Einkauf", 1),
                ("Vertrieb", 1),
                ("Key Accounts", 2)
            ]
        );
    }

    /// A board, two departments below it, and a team three levels down.
    fn house() -> Vec<Unit> {
        vec![
            unit(1, None, "Vorstand"),
            unit(2, Some(1), "Vertrieb"),
            unit(3, Some(1), "Einkauf"),
            unit(4, Some(2), "Key Accounts"),
            unit(5, Some(4), "Team Nord"),
        ]
    }

    #[test]
    fn around_a_chosen_unit_the_tree_opens_its_path_and_next_level() {
        let mut units = house();
        units.extend([
            unit(6, Some(5), "Nord 1"),
            unit(7, Some(3), "Strategischer Einkauf"),
        ]);
        let ids =
            |nodes: Vec<UnitNode>| -> Vec<i64> { nodes.iter().map(|n| n.unit.id.get()).collect() };
        assert_eq!(ids(tree_around(unit_tree(&units), 2, None)), [1, 3, 2]);
        // Team Nord chosen: the units above it, it, and Nord 1 below it; not Einkauf's.
        assert_eq!(
            ids(tree_around(unit_tree(&units), 2, Some(UnitId::new(5)))),
            [1, 3, 2, 4, 5, 6]
        );
        // Nothing is lost when all fit.
        assert_eq!(tree_around(unit_tree(&units), 9, None).len(), units.len());
    }

    #[test]
    fn a_subtree_holds_the_unit_and_everything_below_it() {
        let units = house();
        let mut below: Vec<i64> = subtree(&units, UnitId::new(2))
            .into_iter()
            .map(UnitId::get)
            .collect();
        below.sort_unstable();
        assert_eq!(
            below,
            [2, 4, 5],
            "a sibling (3) and the parent (1) are not below"
        );
        // A loop ends rather than running forever.
        let looped = vec![unit(1, Some(2), "A"), unit(2, Some(1), "B")];
        assert_eq!(subtree(&looped, UnitId::new(1)).len(), 2);
    }

    #[test]
    fn tree_keeps_every_unit_even_when_corrupt() {
        let units = vec![
            unit(1, Some(2), "A"),
            unit(2, Some(1), "B"),
            unit(3, Some(99), "C"),
        ];
        assert_eq!(unit_tree(&units).len(), 3);
    }

    #[test]
    fn organization_input_names_each_bad_field() {
        let err = OrganizationInput::parse(" ", "partner", "").unwrap_err();
        assert_eq!(err.get("name"), Some(&Problem::Required));
        assert_eq!(err.get("kind"), Some(&Problem::UnknownChoice));
        let ok = OrganizationInput::parse(" Brandt & Söhne AG ", "external", "").unwrap();
        assert_eq!(ok.name, "Brandt & Söhne AG");
        assert_eq!(ok.notes, None);
    }
}
