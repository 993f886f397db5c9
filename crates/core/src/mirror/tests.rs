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

#[test]
fn a_brief_keeps_the_most_severe_findings_and_reads_back_as_stored() {
    use analysis::{
        AccountAnalysis, Finding, FindingDetail, LevelMatrix, MirrorBrief, MirrorScore, ScoreParts,
        ScoreWeights, Shape,
    };
    let (a, b) = (PersonId::new(1), PersonId::new(2));
    // One finding of every kind, with every optional part both set and not.
    let details = vec![
        FindingDetail::Uncovered {
            contact: a,
            influence: 5,
            role: DecisionRole::DecisionMaker,
            level_rank: Some(1),
            deputy: Some(b),
        },
        FindingDetail::TheirsAbove {
            contact: a,
            ours: b,
            their_rank: 1,
            our_rank: 3,
            distance: 2,
        },
        FindingDetail::OursAbove {
            contact: a,
            ours: b,
            their_rank: 3,
            our_rank: 1,
            distance: 2,
        },
        FindingDetail::AssistantUnpaired {
            contact: a,
            ours: b,
        },
        FindingDetail::AssistantReversed {
            contact: a,
            ours: b,
        },
        FindingDetail::BowTie {
            ours: b,
            held: 4,
            contacts: 5,
            share_pct: 80,
            by_design: false,
        },
        FindingDetail::NobodyResponsible {
            mode: ManagementMode::JourFixe,
            counterparts: 0,
            manager: None,
        },
        FindingDetail::OverCapacity {
            ours: b,
            load: 9,
            capacity: 8,
        },
        FindingDetail::Stale {
            contact: a,
            ours: b,
            last_contact: None,
            days: 400,
            limit_days: 90,
        },
        FindingDetail::Stale {
            contact: a,
            ours: b,
            last_contact: Some(day(2)),
            days: 120,
            limit_days: 90,
        },
    ];
    let findings: Vec<Finding> = details
        .into_iter()
        .enumerate()
        .map(|(i, d)| Finding::new(10 * i as i64, d))
        .collect();
    let analysis = AccountAnalysis {
        account_id: AccountId::new(7),
        importance: Some(3.5),
        shape: Shape::Diamond,
        score: MirrorScore {
            value: 61.5,
            parts: ScoreParts {
                coverage: 80.0,
                level_match: 50.0,
                spread: 33.3,
            },
            weights: ScoreWeights::default(),
            contacts: 5,
            covered: 4,
            influence_total: 17,
            influence_covered: 14,
            matched: 3,
            unknown_levels: 1,
            holders: 2,
            concentration: 0.5,
        },
        findings: findings.clone(),
        matrix: LevelMatrix {
            ranks: Vec::new(),
            cells: Vec::new(),
        },
        holders: Vec::new(),
    };
    let brief = MirrorBrief::of(&analysis);
    let severities: Vec<u8> = brief.top.iter().map(|f| f.severity).collect();
    assert_eq!(severities, [90, 80, 70]);
    assert_eq!(brief.more, findings.len() - MirrorBrief::FINDINGS);
    // Every kind reads back as it was written.
    let all = MirrorBrief {
        top: findings,
        ..brief.clone()
    };
    for b in [brief, all] {
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(
            serde_json::from_str::<MirrorBrief>(&json).unwrap(),
            b,
            "{json}"
        );
    }
}
