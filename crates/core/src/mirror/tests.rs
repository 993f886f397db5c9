//! Unit tests of the mirror's internals (the public behaviour is tested in `tests/mirror.rs`).

use super::index::{PartnerAssignments, UnitTree};
use super::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
}

fn assignment(ours: i64, kind: AssignmentKind, from: u32) -> CurrentAssignment {
    CurrentAssignment {
        partner_id: PersonId::new(1),
        our_id: PersonId::new(ours),
        kind,
        relationship: None,
        last_contact: None,
        contact_every_days: None,
        valid_from: day(from),
    }
}

#[test]
fn the_latest_primary_counts_and_duplicates_are_dropped() {
    let a = assignment(5, AssignmentKind::Primary, 3);
    let b = assignment(4, AssignmentKind::Primary, 9);
    let c = assignment(3, AssignmentKind::Primary, 9);
    let d = assignment(3, AssignmentKind::Primary, 9);
    let e = assignment(7, AssignmentKind::Deputy, 1);
    let mut p = PartnerAssignments::default();
    for x in [&a, &b, &c, &d, &e] {
        p.push(x);
    }
    assert_eq!(p.all.len(), 4, "the duplicate of ours 3 is dropped");
    assert_eq!(
        p.primary.map(|x| x.our_id),
        Some(PersonId::new(3)),
        "latest, then smaller id"
    );
    assert_eq!(p.deputy.map(|x| x.our_id), Some(PersonId::new(7)));
    assert_eq!(
        p.with(PersonId::new(7)).map(|x| x.kind),
        Some(AssignmentKind::Deputy)
    );
    assert!(p.with(PersonId::new(99)).is_none());
}

#[test]
fn unit_tree_walks_up_and_survives_loops() {
    let u = UnitId::new;
    let tree = UnitTree::new(&[
        OurUnit {
            id: u(1),
            parent_id: None,
        },
        OurUnit {
            id: u(2),
            parent_id: Some(u(1)),
        },
        OurUnit {
            id: u(3),
            parent_id: Some(u(2)),
        },
        OurUnit {
            id: u(8),
            parent_id: Some(u(9)),
        },
        OurUnit {
            id: u(9),
            parent_id: Some(u(8)),
        },
    ]);
    assert_eq!(tree.self_and_ancestors(u(3)), vec![u(3), u(2), u(1)]);
    assert!(tree.is_within(u(3), u(1)));
    assert!(!tree.is_within(u(1), u(3)));
    assert_eq!(
        tree.self_and_ancestors(u(8)),
        vec![u(8), u(9)],
        "the loop is cut"
    );
    assert_eq!(
        tree.self_and_ancestors(u(42)),
        vec![u(42)],
        "unknown units stand alone"
    );
}

#[test]
fn default_capacities_by_level() {
    let caps: Vec<i64> = (1..=6).map(|r| default_capacity(Some(r))).collect();
    assert_eq!(caps, [4, 6, 8, 10, 12, 12]);
    assert_eq!(default_capacity(Some(0)), 4);
    assert_eq!(default_capacity(None), 8);
}
