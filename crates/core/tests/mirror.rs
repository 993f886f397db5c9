//! Proof of the mirror: every finding kind, the shapes, the scores (hand-computed), the level
//! matrix and the roll-ups of `mirror::analysis`; the cost model, locks, capacity, deputies and
//! scopes of `mirror::suggest`; and property tests: the flow's answer equals a brute-force
//! optimum over the same candidate set, the answer's invariants hold on larger instances and it
//! is never worse than a greedy one, the candidate rule takes exactly the documented cheapest
//! people, and the analysis' scores stay in range.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentKind, DecisionRole, ManagementMode};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::analysis::{
    AccountAnalysis, Band, FindingDetail, FindingKind, ScoreWeights, Shape, analyze_account,
    analyze_portfolio, attention, attention_list, rollup,
};
use counterpart_core::mirror::suggest::{
    CandidateRule, Change, CostModel, Lock, LockConflict, LockRule, Need, NoBetter, Plan, Reason,
    Scope, SuggestOptions, Suggestions, prepare, suggest,
};
use counterpart_core::mirror::{
    CurrentAssignment, MirrorAccount, MirrorContact, MirrorInput, OurPerson, OurUnit, Settings,
    default_capacity, level_distance,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn days_ago(n: u64) -> NaiveDate {
    today() - chrono::Days::new(n)
}

fn pid(n: i64) -> PersonId {
    PersonId::new(n)
}

fn contact(id: i64, rank: Option<i64>, influence: i64) -> MirrorContact {
    MirrorContact {
        person_id: pid(id),
        level_rank: rank,
        is_assistant: false,
        assistant_of: None,
        reports_to: None,
        influence,
        role: DecisionRole::DecisionMaker,
    }
}

fn assistant_contact(id: i64, rank: Option<i64>, boss: i64) -> MirrorContact {
    MirrorContact {
        is_assistant: true,
        assistant_of: Some(pid(boss)),
        role: DecisionRole::Gatekeeper,
        ..contact(id, rank, 2)
    }
}

fn ours(id: i64, rank: Option<i64>) -> OurPerson {
    OurPerson {
        person_id: pid(id),
        level_rank: rank,
        is_assistant: false,
        assistant_of: None,
        unit_id: None,
        unit_ancestors: Vec::new(),
        capacity: None,
        load: 0,
    }
}

fn in_unit(mut p: OurPerson, unit: i64, ancestors: &[i64]) -> OurPerson {
    p.unit_id = Some(UnitId::new(unit));
    p.unit_ancestors = ancestors.iter().map(|&u| UnitId::new(u)).collect();
    p
}

fn assign(partner: i64, our: i64, kind: AssignmentKind, rating: Option<i64>) -> CurrentAssignment {
    CurrentAssignment {
        partner_id: pid(partner),
        our_id: pid(our),
        kind,
        relationship: rating,
        last_contact: rating.map(|_| days_ago(10)),
        contact_every_days: None,
        valid_from: days_ago(30),
    }
}

fn primary(partner: i64, our: i64) -> CurrentAssignment {
    assign(partner, our, AssignmentKind::Primary, Some(4))
}

fn account(
    id: i64,
    contacts: Vec<MirrorContact>,
    assignments: Vec<CurrentAssignment>,
) -> MirrorAccount {
    MirrorAccount {
        id: AccountId::new(id),
        mode: ManagementMode::Hierarchical,
        manager_id: None,
        responsible_unit_id: None,
        partner_unit: None,
        importance: None,
        tier: None,
        contacts,
        assignments,
        jour_fixe: Default::default(),
    }
}

fn settings() -> Settings {
    Settings::new(today())
}

fn kinds(a: &AccountAnalysis) -> Vec<FindingKind> {
    a.findings.iter().map(|f| f.kind()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---------------------------------------------------------------------------------------------
// Analysis: findings
// ---------------------------------------------------------------------------------------------

#[test]
fn uncovered_severity_grows_with_influence_and_seniority() {
    let acc = account(
        1,
        vec![
            contact(10, Some(1), 5),
            contact(11, Some(5), 1),
            contact(12, None, 3),
            contact(13, Some(3), 3),
        ],
        vec![assign(13, 100, AssignmentKind::Deputy, None)],
    );
    let a = analyze_account(&acc, &[ours(100, Some(3))], &settings());
    let by_contact: HashMap<PersonId, (u8, Band)> = a
        .findings
        .iter()
        .filter(|f| f.kind() == FindingKind::Uncovered)
        .map(|f| (f.detail.contact().unwrap(), (f.severity, f.band)))
        .collect();
    // 20 + 10 × (influence − 1) + 10 × seniority (5 − rank, unknown 2), − 20 with a deputy.
    assert_eq!(by_contact[&pid(10)], (100, Band::High));
    assert_eq!(by_contact[&pid(11)], (20, Band::Info));
    assert_eq!(by_contact[&pid(12)], (60, Band::Medium));
    assert_eq!(
        by_contact[&pid(13)],
        (40, Band::Low),
        "the deputy softens it"
    );
    let deputy = a.findings.iter().find_map(|f| match f.detail {
        FindingDetail::Uncovered {
            contact, deputy, ..
        } if contact == pid(13) => deputy,
        _ => None,
    });
    assert_eq!(deputy, Some(pid(100)));
    assert!(
        a.findings[0].severity >= a.findings.last().unwrap().severity,
        "most severe first"
    );
}

#[test]
fn level_mismatch_in_both_directions() {
    let acc = account(
        1,
        vec![
            contact(10, Some(1), 3),
            contact(11, Some(5), 3),
            contact(12, Some(3), 3),
        ],
        vec![primary(10, 100), primary(11, 101), primary(12, 102)],
    );
    let people = [ours(100, Some(4)), ours(101, Some(4)), ours(102, Some(3))];
    let a = analyze_account(&acc, &people, &settings());
    let theirs = a
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::TheirsAbove)
        .unwrap();
    assert_eq!(
        theirs.detail,
        FindingDetail::TheirsAbove {
            contact: pid(10),
            ours: pid(100),
            their_rank: 1,
            our_rank: 4,
            distance: 3
        }
    );
    assert_eq!((theirs.severity, theirs.band), (75, Band::High));
    let ours_above = a
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::OursAbove)
        .unwrap();
    assert_eq!((ours_above.severity, ours_above.band), (25, Band::Low));
    assert_eq!(
        a.findings
            .iter()
            .filter(|f| f.detail.contact() == Some(pid(12)))
            .count(),
        0,
        "the same level is no finding"
    );
}

#[test]
fn assistants_pair_with_assistants() {
    let mut their_clerk = contact(11, Some(4), 2);
    their_clerk.is_assistant = false;
    let acc = account(
        1,
        vec![
            assistant_contact(10, Some(4), 99),
            their_clerk,
            assistant_contact(12, Some(4), 99),
        ],
        vec![primary(10, 100), primary(11, 101), primary(12, 101)],
    );
    let mut our_assistant = ours(101, Some(4));
    our_assistant.is_assistant = true;
    let a = analyze_account(&acc, &[ours(100, Some(4)), our_assistant], &settings());
    assert!(a.findings.iter().any(|f| f.detail
        == FindingDetail::AssistantUnpaired {
            contact: pid(10),
            ours: pid(100)
        }
        && f.severity == 40));
    assert!(a.findings.iter().any(|f| f.detail
        == FindingDetail::AssistantReversed {
            contact: pid(11),
            ours: pid(101)
        }));
    assert!(
        !a.findings
            .iter()
            .any(|f| f.detail.contact() == Some(pid(12))),
        "secretariat to secretariat is fine"
    );
}

#[test]
fn shapes_bow_tie_diamond_mixed_empty() {
    let people: Vec<OurPerson> = (100..110).map(|i| ours(i, Some(3))).collect();
    let contacts: Vec<MirrorContact> = (10..14).map(|i| contact(i, Some(3), 3)).collect();
    // One person holds 3 of 4: a bow tie (≥ 50 % and ≥ 3).
    let bow = account(
        1,
        contacts.clone(),
        vec![
            primary(10, 100),
            primary(11, 100),
            primary(12, 100),
            primary(13, 101),
        ],
    );
    let a = analyze_account(&bow, &people, &settings());
    assert_eq!(a.shape, Shape::BowTie);
    let f = a
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::BowTie)
        .unwrap();
    assert_eq!(
        f.detail,
        FindingDetail::BowTie {
            ours: pid(100),
            held: 3,
            contacts: 4,
            share_pct: 75,
            by_design: false
        }
    );
    assert_eq!((f.severity, f.band), (75, Band::High));
    // Four people at the same level: a diamond.
    let diamond = account(
        2,
        contacts.clone(),
        (0..4).map(|i| primary(10 + i, 100 + i)).collect(),
    );
    assert_eq!(
        analyze_account(&diamond, &people, &settings()).shape,
        Shape::Diamond
    );
    // Two holders, but only one contact covered within one level of 4: mixed.
    let mut far = people.clone();
    far.push(ours(200, Some(1)));
    let mixed = account(
        3,
        contacts.clone(),
        vec![primary(10, 100), primary(11, 200)],
    );
    assert_eq!(
        analyze_account(&mixed, &far, &settings()).shape,
        Shape::Mixed
    );
    // 2 of 2 with one person: not ≥ 3, so no bow tie.
    let small = account(
        4,
        contacts[..2].to_vec(),
        vec![primary(10, 100), primary(11, 100)],
    );
    let s = analyze_account(&small, &people, &settings());
    assert_eq!(s.shape, Shape::Mixed);
    assert!(!kinds(&s).contains(&FindingKind::BowTie));
    assert_eq!(
        analyze_account(&account(5, contacts, vec![]), &people, &settings()).shape,
        Shape::Empty
    );
}

#[test]
fn single_manager_bow_tie_is_by_design() {
    let mut acc = account(
        1,
        (10..13).map(|i| contact(i, Some(3), 3)).collect(),
        (10..13).map(|i| primary(i, 100)).collect(),
    );
    acc.mode = ManagementMode::SingleManager;
    acc.manager_id = Some(pid(100));
    let a = analyze_account(&acc, &[ours(100, Some(3))], &settings());
    assert_eq!(a.shape, Shape::BowTie);
    let f = a
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::BowTie)
        .unwrap();
    assert_eq!((f.severity, f.band), (10, Band::Info));
    assert!(matches!(
        f.detail,
        FindingDetail::BowTie {
            by_design: true,
            share_pct: 100,
            ..
        }
    ));
}

#[test]
fn nobody_responsible_by_mode() {
    let people = [ours(100, Some(3))];
    let nobody = |mode, manager: Option<i64>, assignments: Vec<CurrentAssignment>| {
        let mut acc = account(1, vec![contact(10, Some(3), 3)], assignments);
        acc.mode = mode;
        acc.manager_id = manager.map(pid);
        analyze_account(&acc, &people, &settings())
            .findings
            .iter()
            .find(|f| f.kind() == FindingKind::NobodyResponsible)
            .map(|f| (f.severity, f.detail.clone()))
    };
    let deputy = || vec![assign(10, 100, AssignmentKind::Deputy, None)];
    // Hierarchical: any current counterpart counts, a manager alone does not.
    assert_eq!(
        nobody(ManagementMode::Hierarchical, Some(100), vec![]),
        Some((
            80,
            FindingDetail::NobodyResponsible {
                mode: ManagementMode::Hierarchical,
                counterparts: 0,
                manager: Some(pid(100))
            }
        ))
    );
    assert_eq!(nobody(ManagementMode::Hierarchical, None, deputy()), None);
    // Single manager: only the manager counts.
    assert!(nobody(ManagementMode::SingleManager, None, vec![primary(10, 100)]).is_some());
    assert_eq!(
        nobody(ManagementMode::SingleManager, Some(100), vec![]),
        None
    );
    // Jour fixe: either.
    assert!(nobody(ManagementMode::JourFixe, None, vec![]).is_some());
    assert_eq!(nobody(ManagementMode::JourFixe, Some(100), vec![]), None);
    assert_eq!(nobody(ManagementMode::JourFixe, None, deputy()), None);
}

#[test]
fn over_capacity_is_load_above_capacity() {
    let mut busy = ours(100, Some(1));
    busy.load = 6; // default capacity of rank 1 is 4
    let mut set = ours(101, Some(3));
    set.capacity = Some(2);
    set.load = 2;
    let acc = account(
        1,
        vec![contact(10, Some(1), 3), contact(11, Some(3), 3)],
        vec![primary(10, 100), primary(11, 101)],
    );
    let a = analyze_account(&acc, &[busy, set], &settings());
    let over: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.kind() == FindingKind::OverCapacity)
        .collect();
    assert_eq!(over.len(), 1, "load equal to capacity is fine");
    assert_eq!(
        over[0].detail,
        FindingDetail::OverCapacity {
            ours: pid(100),
            load: 6,
            capacity: 4
        }
    );
    assert_eq!(over[0].severity, 70);
}

#[test]
fn overdue_pairs_are_stale() {
    // Working-level contacts, no tier: every 45 days, overdue after 67.
    let contacted = |partner, days| CurrentAssignment {
        last_contact: Some(days_ago(days)),
        valid_from: days_ago(days + 100),
        ..primary(partner, 100)
    };
    let never = |partner, days| CurrentAssignment {
        relationship: None,
        last_contact: None,
        valid_from: days_ago(days),
        ..primary(partner, 100)
    };
    let own_interval = CurrentAssignment {
        contact_every_days: Some(10),
        ..contacted(15, 16)
    };
    let acc = account(
        1,
        (10..16).map(|i| contact(i, Some(3), 3)).collect(),
        vec![
            contacted(10, 67),
            contacted(11, 68),
            contacted(12, 600),
            never(13, 60),
            never(14, 90),
            own_interval,
        ],
    );
    let a = analyze_account(&acc, &[ours(100, Some(3))], &settings());
    let stale: HashMap<PersonId, (u8, i64, i64)> = a
        .findings
        .iter()
        .filter_map(|f| match f.detail {
            FindingDetail::Stale {
                contact,
                days,
                limit_days,
                ..
            } => Some((contact, (f.severity, days, limit_days))),
            _ => None,
        })
        .collect();
    assert!(
        !stale.contains_key(&pid(10)),
        "67 days is due, not yet overdue"
    );
    assert_eq!(stale[&pid(11)], (37, 68, 45));
    assert_eq!(stale[&pid(12)], (75, 600, 45), "capped at 75");
    assert!(!stale.contains_key(&pid(13)), "never in contact, 60 days");
    assert_eq!(stale[&pid(14)], (50, 90, 45));
    assert_eq!(stale[&pid(15)], (40, 16, 10), "the pair's own interval");

    // A tier-A account expects the working level every 30 days: 46 days is overdue there.
    let tier_a = MirrorAccount {
        tier: Some(counterpart_core::importance::Tier::A),
        ..account(2, vec![contact(10, Some(3), 3)], vec![contacted(10, 46)])
    };
    let a = analyze_account(&tier_a, &[ours(100, Some(3))], &settings());
    assert!(a.findings.iter().any(|f| matches!(
        f.detail,
        FindingDetail::Stale {
            days: 46,
            limit_days: 30,
            ..
        }
    )));
}

// ---------------------------------------------------------------------------------------------
// Analysis: scores, matrix, roll-ups
// ---------------------------------------------------------------------------------------------

#[test]
fn scores_hand_computed() {
    // Influences 5, 3, 2, 1 (total 11). A (5): same level, X. B (3): one level off, X.
    // C (2): level unknown, Y. D (1): uncovered.
    let acc = account(
        1,
        vec![
            contact(10, Some(2), 5),
            contact(11, Some(3), 3),
            contact(12, None, 2),
            contact(13, Some(4), 1),
        ],
        vec![primary(10, 100), primary(11, 100), primary(12, 101)],
    );
    let a = analyze_account(&acc, &[ours(100, Some(2)), ours(101, Some(4))], &settings());
    let s = &a.score;
    // coverage = 10 / 11; level match = (1 + 0.75 + 0.5) / 3 = 0.75;
    // spread: H = (2/3)² + (1/3)² = 5/9, (1 − 5/9) / (1 − 1/3) = 2/3.
    assert!(close(s.parts.coverage, 1000.0 / 11.0));
    assert!(close(s.parts.level_match, 75.0));
    assert!(close(s.parts.spread, 200.0 / 3.0));
    assert!(close(s.concentration, 5.0 / 9.0));
    assert!(close(
        s.value,
        0.5 * 1000.0 / 11.0 + 0.3 * 75.0 + 0.2 * 200.0 / 3.0
    ));
    assert_eq!(
        (
            s.contacts,
            s.covered,
            s.influence_total,
            s.influence_covered
        ),
        (4, 3, 11, 10)
    );
    assert_eq!((s.matched, s.unknown_levels, s.holders), (2, 1, 2));
    // A perfect diamond scores 100, one person holding everything at the same level 80.
    let perfect = account(
        2,
        (10..13).map(|i| contact(i, Some(3), 3)).collect(),
        (0..3).map(|i| primary(10 + i, 100 + i)).collect(),
    );
    let people: Vec<OurPerson> = (100..103).map(|i| ours(i, Some(3))).collect();
    assert!(close(
        analyze_account(&perfect, &people, &settings()).score.value,
        100.0
    ));
    let tie = account(
        3,
        (10..13).map(|i| contact(i, Some(3), 3)).collect(),
        (10..13).map(|i| primary(i, 100)).collect(),
    );
    let t = analyze_account(&tie, &people, &settings()).score;
    assert!(close(t.parts.spread, 0.0) && close(t.value, 80.0));
}

#[test]
fn empty_accounts_score_zero_and_weights_normalize() {
    let a = analyze_account(&account(1, vec![], vec![]), &[], &settings());
    assert_eq!(a.score.value, 0.0);
    assert_eq!(a.shape, Shape::Empty);
    assert!(kinds(&a).contains(&FindingKind::NobodyResponsible));
    let w = ScoreWeights {
        coverage: 1.0,
        level_match: 1.0,
        spread: 2.0,
    }
    .normalized();
    assert!(close(w.coverage, 25.0) && close(w.spread, 50.0));
    let zero = ScoreWeights {
        coverage: 0.0,
        level_match: -1.0,
        spread: f64::NAN,
    };
    assert_eq!(zero.normalized(), ScoreWeights::default());
    // Custom weights: coverage only.
    let mut s = settings();
    s.weights = ScoreWeights {
        coverage: 1.0,
        level_match: 0.0,
        spread: 0.0,
    };
    let half = account(
        2,
        vec![contact(10, Some(3), 3), contact(11, Some(3), 3)],
        vec![primary(10, 100)],
    );
    assert!(close(
        analyze_account(&half, &[ours(100, Some(3))], &s)
            .score
            .value,
        50.0
    ));
}

#[test]
fn duplicates_count_once() {
    let acc = account(
        1,
        vec![
            contact(10, Some(3), 2),
            contact(10, Some(3), 5),
            contact(11, Some(3), 1),
        ],
        vec![primary(10, 100), primary(10, 100), primary(99, 100)],
    );
    let a = analyze_account(&acc, &[ours(100, Some(3))], &settings());
    assert_eq!(a.score.contacts, 2);
    assert_eq!(a.score.influence_total, 6, "the higher influence wins");
    assert_eq!(
        a.matrix.total().primary,
        1,
        "duplicate and non-key assignments ignored"
    );
}

#[test]
fn level_matrix_counts_by_rank_pairs() {
    let acc = account(
        1,
        vec![
            contact(10, Some(1), 3),
            contact(11, Some(3), 3),
            contact(12, None, 3),
            contact(13, Some(7), 3),
        ],
        vec![
            primary(10, 100),
            assign(10, 101, AssignmentKind::Deputy, None),
            primary(11, 101),
            primary(12, 101),
            primary(13, 102),
        ],
    );
    let people = [ours(100, Some(1)), ours(101, Some(3)), ours(102, None)];
    let m = analyze_account(&acc, &people, &settings()).matrix;
    assert_eq!(m.ranks, vec![1, 2, 3, 4, 5, 7], "ladder plus data");
    assert_eq!(m.cells.len(), 7);
    assert!(m.cells.iter().all(|row| row.len() == 7));
    assert_eq!(m.cell(Some(1), Some(1)).primary, 1);
    assert_eq!(m.cell(Some(1), Some(3)).deputy, 1);
    assert_eq!(m.cell(Some(3), Some(3)).primary, 1);
    assert_eq!(m.cell(None, Some(3)).primary, 1);
    assert_eq!(m.cell(Some(7), None).primary, 1);
    assert_eq!(m.diagonal().primary, 2);
    assert_eq!(m.total().total(), 5);
}

#[test]
fn rollups_per_unit_and_portfolio() {
    let u = UnitId::new;
    let units = vec![
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
            parent_id: Some(u(1)),
        },
        OurUnit {
            id: u(4),
            parent_id: None,
        },
    ];
    let people: Vec<OurPerson> = (100..103).map(|i| ours(i, Some(3))).collect();
    let mut full = account(
        1,
        vec![contact(10, Some(3), 3), contact(11, Some(3), 3)],
        vec![primary(10, 100), primary(11, 101)],
    );
    full.responsible_unit_id = Some(u(2));
    full.importance = Some(90.0);
    let mut empty = account(2, vec![contact(12, Some(3), 3)], vec![]);
    empty.responsible_unit_id = Some(u(3));
    empty.importance = Some(10.0);
    let loose = account(3, vec![contact(13, Some(3), 3)], vec![primary(13, 102)]);
    let input = MirrorInput {
        accounts: vec![full, empty, loose],
        people,
        units,
    };
    let p = analyze_portfolio(&input, &settings());
    assert_eq!(p.accounts.len(), 3);
    assert_eq!(p.portfolio.accounts, 3);
    assert_eq!(p.portfolio.contacts, 4);
    let scores: Vec<f64> = p.accounts.iter().map(|a| a.score.value).collect();
    assert!(close(scores[0], 100.0) && close(scores[1], 0.0) && close(scores[2], 100.0));
    assert!(close(p.portfolio.mean_score.unwrap(), 200.0 / 3.0));
    assert!(close(p.portfolio.weighted_score.unwrap(), 90.0));
    assert_eq!(p.portfolio.shapes.empty, 1);
    let by_unit: HashMap<UnitId, _> = p.units.iter().map(|r| (r.unit_id, &r.rollup)).collect();
    assert_eq!(p.units.len(), 4);
    assert_eq!(by_unit[&u(1)].accounts, 2, "the unit and everything below");
    assert!(close(by_unit[&u(1)].mean_score.unwrap(), 50.0));
    assert_eq!(by_unit[&u(2)].accounts, 1);
    assert_eq!(by_unit[&u(4)].accounts, 0);
    assert_eq!(by_unit[&u(4)].mean_score, None);
    let uncovered = p
        .portfolio
        .findings
        .iter()
        .find(|k| k.kind == FindingKind::Uncovered)
        .unwrap();
    assert_eq!(uncovered.counts.total(), 1);
    assert_eq!(p.portfolio.findings.len(), FindingKind::ALL.len());
    assert_eq!(
        p.portfolio.bands.total(),
        p.accounts.iter().map(|a| a.findings.len()).sum::<usize>()
    );
    assert_eq!(p.attention[0].account_id, AccountId::new(2), "empty first");
    assert_eq!(rollup(&p.accounts), p.portfolio);
}

#[test]
fn attention_weighs_importance_score_and_findings() {
    // (0.5 + importance / 100) × ((100 − score) + 10 × high + 3 × medium)
    assert!(close(attention(Some(100.0), 40.0, 2, 1), 1.5 * 83.0));
    assert!(close(attention(None, 40.0, 0, 0), 60.0));
    assert!(close(attention(Some(0.0), 100.0, 0, 0), 0.0));
    assert!(close(attention(Some(250.0), -5.0, 0, 0), 150.0), "clamped");
    let mut people: Vec<OurPerson> = (100..104).map(|i| ours(i, Some(3))).collect();
    people.push(ours(200, Some(1)));
    let mk = |id, importance, covered: bool| {
        let mut a = account(
            id,
            vec![contact(id * 10, Some(3), 3)],
            if covered {
                vec![primary(id * 10, 100)]
            } else {
                vec![]
            },
        );
        a.importance = importance;
        analyze_account(&a, &people, &settings())
    };
    let list = attention_list(&[
        mk(1, Some(10.0), false),
        mk(2, Some(90.0), false),
        mk(3, Some(90.0), true),
    ]);
    let order: Vec<i64> = list.iter().map(|a| a.account_id.get()).collect();
    assert_eq!(order, [2, 1, 3]);
}

// ---------------------------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------------------------

fn portfolio_of(accounts: Vec<MirrorAccount>, people: Vec<OurPerson>) -> MirrorInput {
    MirrorInput {
        accounts,
        people,
        units: Vec::new(),
    }
}

fn run(input: &MirrorInput, options: &SuggestOptions) -> Suggestions {
    suggest(input, options, &settings()).expect("always feasible")
}

fn portfolio_options() -> SuggestOptions {
    SuggestOptions::new(Scope::Portfolio)
}

#[test]
fn suggests_the_same_level_and_explains_why() {
    let input = portfolio_of(
        vec![account(1, vec![contact(10, Some(3), 4)], vec![])],
        vec![ours(100, Some(1)), ours(101, Some(3)), ours(102, Some(5))],
    );
    let r = run(&input, &portfolio_options());
    assert_eq!(r.proposals.len(), 1);
    let p = &r.proposals[0];
    assert_eq!(
        (p.partner_id, p.ours, p.change, p.kind),
        (pid(10), pid(101), Change::New, AssignmentKind::Primary)
    );
    assert_eq!(p.needs, vec![Need::NoPrimary]);
    assert_eq!(
        p.reasons,
        vec![
            Reason::SameLevel { rank: 3 },
            Reason::Load {
                after: 1,
                capacity: 8
            }
        ]
    );
    assert_eq!(p.cost.total, 140, "just the offset");
    assert_eq!(r.flow_cost, 140);
    assert_eq!(
        (r.objective_before, r.objective_after),
        (10_000, 140),
        "unserved before"
    );
    assert_eq!((r.mirror_before, r.mirror_after), (Some(0.0), Some(100.0)));
    assert_eq!(r.optimality.demands, 1);
    assert_eq!(
        r.optimality.candidate_pairs, 3,
        "ranks 1 and 5 are within ± 2"
    );
    assert!(r.unserved.is_empty() && r.conflicts.is_empty());
}

#[test]
fn contacts_left_as_they_are_say_why_nobody_at_their_level_took_over() {
    // 10 (rank 1) is served two levels below by 102; our only rank-1 person 100 is full.
    // 11 (rank 1) is served one level below by 101: not up for decision, and 100 is full.
    // 13 (rank 4) is served by 104 one level below; 105 at rank 4 is free.
    let mut full = ours(100, Some(1));
    full.capacity = Some(1);
    full.load = 1;
    // 101 (rank 2) is full too, so that 10 cannot move one level closer instead.
    let mut busy = ours(101, Some(2));
    busy.capacity = Some(1);
    busy.load = 1;
    let input = portfolio_of(
        vec![account(
            1,
            vec![
                contact(10, Some(1), 5),
                contact(11, Some(1), 5),
                contact(13, Some(4), 2),
            ],
            vec![primary(10, 102), primary(11, 101), primary(13, 104)],
        )],
        vec![
            full,
            busy,
            ours(102, Some(3)),
            ours(104, Some(5)),
            ours(105, Some(4)),
        ],
    );
    let r = run(&input, &portfolio_options());
    let ten = r.proposals.iter().find(|p| p.partner_id == pid(10));
    let why_ten = ten.and_then(|p| p.why_not_better).or_else(|| {
        r.unserved
            .iter()
            .find(|u| u.partner_id == pid(10))
            .map(|u| u.why)
    });
    assert_eq!(why_ten, Some(NoBetter::AllAtCapacity { at_level: 1 }));
    let near: HashMap<PersonId, NoBetter> = r
        .near_misses
        .iter()
        .map(|m| (m.partner_id, m.why))
        .collect();
    assert_eq!(
        near.get(&pid(11)),
        Some(&NoBetter::AllAtCapacity { at_level: 1 })
    );
    assert_eq!(near.get(&pid(13)), Some(&NoBetter::SomeoneFree));
    assert!(
        !near.contains_key(&pid(10)),
        "two levels apart is decided by the run"
    );
}

#[test]
fn cost_model_hand_computed() {
    // Their assistant 11 (rank 4) assists boss 10, whose counterpart of ours is 100. Our 101
    // assists 100, sits in the responsible unit 7 (below 5) and holds 3 primaries.
    let mut acc = account(
        1,
        vec![contact(10, Some(1), 5), assistant_contact(11, Some(4), 10)],
        vec![primary(10, 100)],
    );
    acc.responsible_unit_id = Some(UnitId::new(5));
    let mut our_assistant = in_unit(ours(101, Some(4)), 7, &[5, 1]);
    our_assistant.is_assistant = true;
    our_assistant.assistant_of = Some(pid(100));
    our_assistant.load = 3;
    let clerk = in_unit(ours(102, Some(4)), 7, &[5, 1]);
    let input = portfolio_of(vec![acc], vec![ours(100, Some(1)), our_assistant, clerk]);
    let settings = settings();
    let plan = prepare(&input, &portfolio_options(), &settings);
    assert_eq!(plan.demands().len(), 1, "contact 10 is well served");
    let costs: HashMap<PersonId, i64> = plan.candidates(0).map(|c| (c.ours, c.cost)).collect();
    // 140 + 0 level + 0 function − 30 unit − 50 boss's counterpart's assistant + 2 × 3 load.
    assert_eq!(costs[&pid(101)], 66);
    // 140 + 0 + 40 function mismatch − 30 unit.
    assert_eq!(costs[&pid(102)], 150);
    assert!(!costs.contains_key(&pid(100)), "rank 1 is outside ± 2 of 4");
    let r = plan.solve().unwrap();
    let p = &r.proposals[0];
    assert_eq!(p.ours, pid(101));
    assert_eq!(
        (
            p.cost.offset,
            p.cost.unit,
            p.cost.boss_assistant,
            p.cost.load
        ),
        (140, -30, -50, 6)
    );
    assert!(p.reasons.contains(&Reason::SecretariatToSecretariat));
    assert!(p.reasons.contains(&Reason::AssistantOfBossCounterpart {
        boss: pid(10),
        boss_counterpart: pid(100)
    }));
    assert!(p.reasons.contains(&Reason::WithinResponsibleUnit {
        unit: UnitId::new(5)
    }));
    assert!(p.reasons.contains(&Reason::Load {
        after: 4,
        capacity: 10
    }));
    assert_eq!(CostModel::default().offset(), 140);
}

#[test]
fn poor_matches_are_reviewed_and_good_ones_kept() {
    let mut our_assistant = ours(103, Some(3));
    our_assistant.is_assistant = true;
    let acc = account(
        1,
        vec![
            contact(10, Some(3), 3), // good: same level, rated 4
            contact(11, Some(1), 3), // level gap 2
            contact(12, Some(3), 3), // function mismatch
            contact(13, Some(3), 3), // rated 2
            contact(14, Some(2), 3), // one level off, rated 3: fine
        ],
        vec![
            primary(10, 100),
            primary(11, 100),
            primary(12, 103),
            assign(13, 101, AssignmentKind::Primary, Some(2)),
            assign(14, 101, AssignmentKind::Primary, Some(3)),
        ],
    );
    let input = portfolio_of(
        vec![acc],
        vec![
            ours(100, Some(3)),
            ours(101, Some(3)),
            ours(102, Some(1)),
            our_assistant,
        ],
    );
    let plan = prepare(&input, &portfolio_options(), &settings());
    let needs: HashMap<PersonId, Vec<Need>> = plan
        .demands()
        .iter()
        .map(|d| (d.partner_id, d.needs.clone()))
        .collect();
    assert_eq!(needs.len(), 3);
    assert_eq!(
        needs[&pid(11)],
        vec![Need::LevelGap {
            ours: pid(100),
            distance: 2
        }]
    );
    assert_eq!(
        needs[&pid(12)],
        vec![Need::FunctionMismatch {
            ours: pid(103),
            their_assistant: false
        }]
    );
    assert_eq!(
        needs[&pid(13)],
        vec![Need::PoorRating {
            ours: pid(101),
            rating: 2
        }]
    );
    let r = plan.solve().unwrap();
    let by: HashMap<PersonId, _> = r.proposals.iter().map(|p| (p.partner_id, p)).collect();
    assert_eq!(
        by[&pid(11)].ours,
        pid(102),
        "the board member for the board"
    );
    assert_eq!(by[&pid(11)].change, Change::Replace);
    assert!(by[&pid(11)].reasons.contains(&Reason::Replaces {
        previous: pid(100),
        distance: Some(2),
        rating: Some(4)
    }));
    assert!(r.objective_after < r.objective_before);
}

#[test]
fn a_full_person_can_keep_a_poor_match_through_the_freed_slot() {
    let mut full = ours(100, Some(3));
    full.capacity = Some(1);
    full.load = 1;
    let acc = account(
        1,
        vec![contact(10, Some(3), 3)],
        vec![assign(10, 100, AssignmentKind::Primary, Some(1))],
    );
    let input = portfolio_of(vec![acc], vec![full]);
    let plan = prepare(&input, &portfolio_options(), &settings());
    assert_eq!(
        plan.remaining_capacity(pid(100)),
        Some(1),
        "1 − 1 + 1 freed"
    );
    let r = plan.solve().unwrap();
    assert_eq!(r.proposals[0].change, Change::Stay);
    assert!(r.over_capacity.is_empty());
    assert_eq!(r.objective_before, r.objective_after);
}

#[test]
fn unserved_contacts_do_not_make_the_problem_infeasible() {
    let mut busy = ours(100, Some(3));
    busy.capacity = Some(1);
    let input = portfolio_of(
        vec![account(
            1,
            vec![
                contact(10, Some(3), 5),
                contact(11, Some(3), 1),
                contact(12, Some(1), 3),
            ],
            vec![],
        )],
        vec![busy, ours(101, Some(5)), ours(102, Some(5))],
    );
    let r = run(&input, &portfolio_options());
    // One slot at rank 3 and two at rank 5: contact 12 (rank 1) has nobody within ± 2.
    let unserved: HashMap<PersonId, usize> = r
        .unserved
        .iter()
        .map(|u| (u.partner_id, u.candidates))
        .collect();
    assert_eq!(unserved, HashMap::from([(pid(12), 0)]));
    assert_eq!(r.proposals.len(), 2);
    let ranks: HashMap<PersonId, PersonId> =
        r.proposals.iter().map(|p| (p.partner_id, p.ours)).collect();
    assert_eq!(
        ranks[&pid(10)],
        pid(100),
        "both cost the same; the flow is exact"
    );
    assert_eq!(r.flow_cost, 140 + 340 + 10_000);
}

#[test]
fn keep_locks_fix_pairs_and_take_capacity() {
    let mut one = ours(101, Some(5));
    one.capacity = Some(1);
    let acc = account(
        1,
        vec![
            contact(10, Some(3), 5),
            contact(11, Some(5), 1),
            contact(12, Some(1), 3),
        ],
        vec![
            primary(10, 100),
            assign(12, 100, AssignmentKind::Primary, Some(1)),
        ],
    );
    let input = portfolio_of(vec![acc], vec![ours(100, Some(3)), one, ours(102, Some(5))]);
    let mut options = portfolio_options();
    options.locks = vec![
        // New primary for the well-served contact 10: takes 101's only slot.
        Lock {
            partner_id: pid(10),
            our_id: pid(101),
            rule: LockRule::Keep,
        },
        // Keep 12's poor current primary as it is.
        Lock {
            partner_id: pid(12),
            our_id: pid(100),
            rule: LockRule::Keep,
        },
    ];
    let plan = prepare(&input, &options, &settings());
    assert_eq!(plan.remaining_capacity(pid(101)), Some(0));
    assert_eq!(
        plan.remaining_capacity(pid(100)),
        Some(8 + 1),
        "load 0, and 10's slot is freed"
    );
    let demands: Vec<PersonId> = plan.demands().iter().map(|d| d.partner_id).collect();
    assert_eq!(demands, vec![pid(11)], "10 is fixed, 12 is kept");
    let r = plan.solve().unwrap();
    let locked: Vec<_> = r.proposals.iter().filter(|p| p.locked).collect();
    assert_eq!(locked.len(), 1);
    assert_eq!(
        (
            locked[0].partner_id,
            locked[0].ours,
            locked[0].change,
            locked[0].current
        ),
        (pid(10), pid(101), Change::Replace, Some(pid(100)))
    );
    assert!(locked[0].reasons.contains(&Reason::LockedByUser));
    let eleven = r
        .proposals
        .iter()
        .find(|p| p.partner_id == pid(11))
        .unwrap();
    assert_eq!(eleven.ours, pid(102), "101 is full");
    assert_eq!(
        r.objective_after,
        r.flow_cost + locked[0].cost.total,
        "fixed pairs are counted"
    );
}

#[test]
fn never_locks_exclude_pairs_and_replace_current_ones() {
    let acc = account(
        1,
        vec![contact(10, Some(3), 3), contact(11, Some(3), 3)],
        vec![primary(10, 100)],
    );
    let input = portfolio_of(vec![acc], vec![ours(100, Some(3)), ours(101, Some(3))]);
    let mut options = portfolio_options();
    options.locks = vec![
        Lock {
            partner_id: pid(10),
            our_id: pid(100),
            rule: LockRule::Never,
        },
        Lock {
            partner_id: pid(11),
            our_id: pid(101),
            rule: LockRule::Never,
        },
    ];
    let r = run(&input, &options);
    let by: HashMap<PersonId, _> = r.proposals.iter().map(|p| (p.partner_id, p)).collect();
    assert_eq!(by[&pid(10)].ours, pid(101));
    assert_eq!(
        by[&pid(10)].needs,
        vec![Need::NeverLocked { ours: pid(100) }]
    );
    assert_eq!(by[&pid(11)].ours, pid(100));
}

#[test]
fn lock_conflicts_are_reported_and_resolved_safely() {
    let acc = account(
        1,
        vec![contact(10, Some(3), 3), contact(11, Some(3), 3)],
        vec![primary(10, 100)],
    );
    let input = portfolio_of(
        vec![acc],
        vec![ours(100, Some(3)), ours(101, Some(3)), ours(102, Some(3))],
    );
    let lock = |p, o, rule| Lock {
        partner_id: pid(p),
        our_id: pid(o),
        rule,
    };
    let mut options = portfolio_options();
    options.locks = vec![
        lock(10, 100, LockRule::Keep),
        lock(10, 101, LockRule::Keep), // a second primary while 100 is kept
        lock(11, 101, LockRule::Keep),
        lock(11, 101, LockRule::Never), // never wins
        lock(11, 999, LockRule::Keep),  // not among our people
        lock(77, 100, LockRule::Never), // not in scope: ignored
    ];
    let r = run(&input, &options);
    assert_eq!(
        r.conflicts,
        vec![
            LockConflict::SecondPrimary {
                partner: pid(10),
                ours: pid(101),
                primary: pid(100)
            },
            LockConflict::KeepAndNever {
                partner: pid(11),
                ours: pid(101)
            },
            LockConflict::NotInStaff {
                partner: pid(11),
                ours: pid(999)
            },
        ]
    );
    assert!(
        !r.proposals
            .iter()
            .any(|p| p.partner_id == pid(10) && p.ours != pid(100))
    );
    let eleven = r
        .proposals
        .iter()
        .find(|p| p.partner_id == pid(11))
        .unwrap();
    assert_ne!(eleven.ours, pid(101));
}

#[test]
fn a_neighbouring_department_is_never_served_from_inside() {
    // Our house: 1 on top, 2 the neighbouring department (the partner), 4 below 2, 3 another
    // department. The key contacts 10 (in 2) and 11 (in 4) are people of ours as well.
    let acc = MirrorAccount {
        partner_unit: Some(UnitId::new(2)),
        ..account(
            1,
            vec![contact(10, Some(3), 5), contact(11, Some(3), 4)],
            // 11 is served from inside its own department (12 moved there, say).
            vec![primary(11, 12)],
        )
    };
    let people = vec![
        in_unit(ours(10, Some(3)), 2, &[1]),
        in_unit(ours(11, Some(3)), 4, &[2, 1]),
        in_unit(ours(12, Some(3)), 2, &[1]),
        in_unit(ours(13, Some(3)), 3, &[1]),
        in_unit(ours(14, Some(4)), 3, &[1]),
        ours(15, Some(5)),
    ];
    let input = portfolio_of(vec![acc], people);
    let mut options = portfolio_options();
    options.deputies = true;
    // A keep on a pair from inside is not applied.
    options.locks = vec![Lock {
        partner_id: pid(10),
        our_id: pid(12),
        rule: LockRule::Keep,
    }];
    let settings = settings();
    let plan = prepare(&input, &options, &settings);
    let inside = [pid(10), pid(11), pid(12)];
    for d in demands_of(&plan) {
        assert!(!d.candidates.is_empty(), "{:?} has candidates", d.partner);
        for (ours, _) in &d.candidates {
            assert!(
                !inside.contains(ours),
                "{ours:?} is offered to {:?} from inside",
                d.partner
            );
        }
    }
    let r = plan.solve().unwrap();
    assert_eq!(
        r.conflicts,
        vec![LockConflict::InsidePartnerUnit {
            partner: pid(10),
            ours: pid(12)
        }]
    );
    let eleven = r
        .proposals
        .iter()
        .find(|p| p.partner_id == pid(11) && p.kind == AssignmentKind::Primary)
        .unwrap();
    assert_eq!(
        eleven.needs,
        vec![Need::InsidePartnerUnit { ours: pid(12) }]
    );
    let mut proposed: Vec<(PersonId, AssignmentKind, PersonId)> = r
        .proposals
        .iter()
        .map(|p| (p.partner_id, p.kind, p.ours))
        .collect();
    proposed.sort();
    // Served from department 3 and from 15 (no unit): the same level first.
    assert_eq!(proposed.len(), 4, "{proposed:?}");
    assert!(
        proposed
            .iter()
            .all(|(_, _, o)| [13, 14, 15].map(pid).contains(o))
    );
    assert_eq!(
        proposed
            .iter()
            .find(|(p, k, _)| *p == pid(10) && *k == AssignmentKind::Primary)
            .map(|x| x.2),
        Some(pid(13)),
        "the most influential contact gets the one of its level"
    );
}

#[test]
fn deputies_differ_from_primaries() {
    // The current primary 100 is two levels off but rated 5: it may stay on as the deputy.
    let acc = account(
        1,
        vec![contact(10, Some(3), 5)],
        vec![assign(10, 100, AssignmentKind::Primary, Some(5))],
    );
    let input = portfolio_of(vec![acc], vec![ours(100, Some(5)), ours(101, Some(3))]);
    let mut options = portfolio_options();
    options.deputies = true;
    let plan = prepare(&input, &options, &settings());
    let d = plan.demands();
    assert_eq!(d.len(), 2);
    assert_eq!(
        (d[0].kind, d[1].kind),
        (AssignmentKind::Primary, AssignmentKind::Deputy)
    );
    assert_eq!((d[0].paired_with, d[1].paired_with), (Some(1), Some(0)));
    assert_eq!(d[1].needs, vec![Need::NoDeputy]);
    let r = plan.solve().unwrap();
    let role: HashMap<AssignmentKind, PersonId> =
        r.proposals.iter().map(|p| (p.kind, p.ours)).collect();
    assert_eq!(role[&AssignmentKind::Primary], pid(101));
    assert_eq!(role[&AssignmentKind::Deputy], pid(100));
    let deputy = r
        .proposals
        .iter()
        .find(|p| p.kind == AssignmentKind::Deputy)
        .unwrap();
    assert!(deputy.reasons.contains(&Reason::KeepsGoodRelationship {
        kind: AssignmentKind::Primary,
        rating: 5
    }));
    // 101: 140; 100 as deputy: 140 + 200 − 60 + 2 × 0.
    assert_eq!(r.flow_cost, 140 + 280);

    // With only one person, the primary is served and the deputy is not.
    let lone = portfolio_of(
        vec![account(1, vec![contact(10, Some(3), 5)], vec![])],
        vec![ours(101, Some(3))],
    );
    let r = run(&lone, &options);
    assert_eq!(r.proposals.len(), 1);
    assert_eq!(r.proposals[0].kind, AssignmentKind::Primary);
    assert_eq!(r.unserved.len(), 1);
    assert_eq!(r.unserved[0].kind, AssignmentKind::Deputy);
    assert_eq!(r.flow_cost, 140 + 5_000);
}

#[test]
fn a_contact_key_in_two_accounts_is_one_demand() {
    let mut a = account(1, vec![contact(10, Some(3), 2)], vec![]);
    a.responsible_unit_id = Some(UnitId::new(5));
    let mut b = account(2, vec![contact(10, Some(3), 4)], vec![]);
    b.responsible_unit_id = Some(UnitId::new(6));
    let input = portfolio_of(
        vec![a, b],
        vec![
            in_unit(ours(100, Some(3)), 6, &[]),
            in_unit(ours(101, Some(3)), 9, &[]),
        ],
    );
    let r = run(&input, &portfolio_options());
    assert_eq!(r.optimality.demands, 1);
    let p = &r.proposals[0];
    assert_eq!(p.accounts, vec![AccountId::new(1), AccountId::new(2)]);
    assert_eq!(p.ours, pid(100), "in the responsible unit of account 2");
    assert_eq!(r.accounts.len(), 2);
    assert!(r.accounts.iter().all(|a| close(a.after, 100.0)));
}

#[test]
fn scopes_select_accounts() {
    let u = UnitId::new;
    let mut a = account(1, vec![contact(10, Some(3), 3)], vec![]);
    a.responsible_unit_id = Some(u(2));
    let mut b = account(2, vec![contact(11, Some(3), 3)], vec![]);
    b.responsible_unit_id = Some(u(3));
    let mut input = portfolio_of(vec![a, b], vec![ours(100, Some(3))]);
    input.units = vec![
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
            parent_id: None,
        },
    ];
    let partners = |scope| -> Vec<PersonId> {
        run(&input, &SuggestOptions::new(scope))
            .proposals
            .iter()
            .map(|p| p.partner_id)
            .collect()
    };
    assert_eq!(partners(Scope::Account(AccountId::new(2))), vec![pid(11)]);
    assert_eq!(partners(Scope::Unit(u(1))), vec![pid(10)]);
    assert_eq!(partners(Scope::Portfolio).len(), 2);
    assert!(partners(Scope::Unit(u(9))).is_empty());
}

#[test]
fn candidate_rule_limits_and_unit_minimum() {
    // Ten people at the contact's level 3 with loads 0..9, and three members of the
    // responsible unit one level below. K = 3 takes the three cheapest: 100, 101, 102 (140,
    // 142, 144); the unit members cost 140 + 100 − 30 + 2 × load ≥ 210, so only the unit
    // minimum of 2 brings in the two cheapest of them, 200 and 201.
    let mut people: Vec<OurPerson> = (0..10)
        .map(|i| {
            let mut p = ours(100 + i, Some(3));
            p.load = i;
            p.capacity = Some(20);
            p
        })
        .collect();
    for i in 0..3 {
        let mut p = in_unit(ours(200 + i, Some(4)), 5, &[]);
        p.load = i;
        people.push(p);
    }
    people.push(ours(300, Some(6)));
    let mut acc = account(1, vec![contact(10, Some(3), 3)], vec![]);
    acc.responsible_unit_id = Some(UnitId::new(5));
    let input = portfolio_of(vec![acc], people);
    let mut options = portfolio_options();
    options.candidates = CandidateRule {
        level_window: 2,
        per_contact: 3,
        unit_minimum: 2,
    };
    let settings = settings();
    let plan = prepare(&input, &options, &settings);
    let mut ids: Vec<i64> = plan.candidates(0).map(|c| c.ours.get()).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![100, 101, 102, 200, 201]);
    assert!(plan.demands()[0].truncated);
    // Without the limit, everyone within ± 2 with capacity: not 300 (rank 6).
    options.candidates.per_contact = 100;
    let plan = prepare(&input, &options, &settings);
    assert_eq!(plan.candidates(0).count(), 13);
    assert!(!plan.demands()[0].truncated);
}

#[test]
fn never_worse_than_now_when_nothing_can_improve() {
    let acc = account(
        1,
        vec![contact(10, Some(1), 3)],
        vec![assign(10, 100, AssignmentKind::Primary, Some(2))],
    );
    let input = portfolio_of(vec![acc], vec![ours(100, Some(1))]);
    let r = run(&input, &portfolio_options());
    assert_eq!(r.proposals[0].change, Change::Stay);
    assert_eq!(r.objective_before, r.objective_after);
    assert_eq!(r.mirror_before, r.mirror_after);
}

#[test]
fn helpers_of_the_mirror_module() {
    assert_eq!(default_capacity(Some(1)), 4);
    assert_eq!(default_capacity(Some(5)), 12);
    assert_eq!(level_distance(Some(1), Some(4)), Some(3));
    assert_eq!(level_distance(None, Some(4)), None);
    let mut p = ours(1, Some(2));
    assert_eq!(p.capacity(), 6);
    p.capacity = Some(-3);
    assert_eq!(p.capacity(), 0);
    let q = in_unit(ours(2, Some(3)), 7, &[5, 1]);
    assert!(q.is_within(UnitId::new(1)) && q.is_within(UnitId::new(7)));
    assert!(!q.is_within(UnitId::new(6)));
}

// ---------------------------------------------------------------------------------------------
// Random instances
// ---------------------------------------------------------------------------------------------

/// A random contact: rank, assistant, influence, boss (contact index), in account 1 / 2 /
/// both (0 / 1 / 2).
type SpecContact = (Option<i64>, bool, i64, Option<usize>, u8);

/// A random person of ours: rank, assistant, unit (0: none, 1..=3), load, capacity, assists
/// (person index).
type SpecPerson = (Option<i64>, bool, u8, i64, Option<i64>, Option<usize>);

/// A random instance: indices are reduced modulo the lengths when it is built.
#[derive(Clone, Debug)]
struct Spec {
    contacts: Vec<SpecContact>,
    people: Vec<SpecPerson>,
    /// contact, person, primary?, rating
    assignments: Vec<(usize, usize, bool, Option<i64>)>,
    /// contact, person, keep?
    locks: Vec<(usize, usize, bool)>,
    /// responsible units of accounts 1 and 2 (0: none)
    units: (u8, u8),
    /// account 2's partner unit, a unit of ours (0: an external account)
    inside: u8,
    deputies: bool,
}

fn spec(
    contacts: std::ops::RangeInclusive<usize>,
    people: std::ops::RangeInclusive<usize>,
    locks: usize,
) -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(
            (
                prop::option::weighted(0.9, 1i64..=5),
                prop::bool::weighted(0.35),
                1i64..=5,
                prop::option::weighted(0.7, 0usize..64),
                0u8..3,
            ),
            contacts,
        ),
        prop::collection::vec(
            (
                prop::option::weighted(0.9, 1i64..=5),
                prop::bool::weighted(0.25),
                0u8..4,
                0i64..4,
                prop::option::weighted(0.7, 0i64..4),
                prop::option::weighted(0.6, 0usize..64),
            ),
            people,
        ),
        prop::collection::vec(
            (
                0usize..64,
                0usize..64,
                any::<bool>(),
                prop::option::weighted(0.8, 1i64..=5),
            ),
            0..16,
        ),
        prop::collection::vec((0usize..64, 0usize..64, any::<bool>()), 0..=locks),
        (0u8..4, 0u8..4),
        any::<bool>(),
        0u8..4,
    )
        .prop_map(
            |(contacts, people, assignments, locks, units, deputies, inside)| Spec {
                contacts,
                people,
                assignments,
                locks,
                units,
                inside,
                deputies,
            },
        )
}

const PARTNER: i64 = 1000;
const OURS: i64 = 100;

impl Spec {
    fn input(&self) -> MirrorInput {
        let u = UnitId::new;
        let unit = |k: u8| (k > 0).then(|| u(i64::from(k)));
        let n = self.contacts.len();
        let contacts: Vec<MirrorContact> = self
            .contacts
            .iter()
            .enumerate()
            .map(|(i, &(rank, assistant, influence, boss, _))| {
                let boss = boss
                    .map(|b| b % n)
                    .filter(|&b| b != i)
                    .map(|b| pid(PARTNER + b as i64));
                MirrorContact {
                    is_assistant: assistant,
                    assistant_of: if assistant { boss } else { None },
                    reports_to: boss,
                    ..contact(PARTNER + i as i64, rank, influence)
                }
            })
            .collect();
        let m = self.people.len();
        let people: Vec<OurPerson> = self
            .people
            .iter()
            .enumerate()
            .map(|(i, &(rank, assistant, k, load, capacity, assists))| {
                let mut p = ours(OURS + i as i64, rank);
                p.is_assistant = assistant;
                p.load = load;
                p.capacity = capacity;
                p.assistant_of = assists
                    .map(|a| a % m)
                    .filter(|&a| a != i)
                    .map(|a| pid(OURS + a as i64));
                // Units: 1 is the top, 2 and 3 lie below it.
                if let Some(unit) = unit(k) {
                    p.unit_id = Some(unit);
                    if k > 1 {
                        p.unit_ancestors = vec![u(1)];
                    }
                }
                p
            })
            .collect();
        // At most one primary and one deputy per contact, different people.
        let mut roles: HashMap<(usize, bool), usize> = HashMap::new();
        let mut assignments = Vec::new();
        for &(c, p, is_primary, rating) in &self.assignments {
            let (c, p) = (c % n, p % m);
            let other = roles.get(&(c, !is_primary)).copied();
            if roles.contains_key(&(c, is_primary)) || other == Some(p) {
                continue;
            }
            roles.insert((c, is_primary), p);
            let kind = if is_primary {
                AssignmentKind::Primary
            } else {
                AssignmentKind::Deputy
            };
            assignments.push(assign(PARTNER + c as i64, OURS + p as i64, kind, rating));
        }
        let mut accounts = Vec::new();
        for (a, resp) in [(1u8, self.units.0), (2u8, self.units.1)] {
            let members: Vec<MirrorContact> = contacts
                .iter()
                .zip(&self.contacts)
                .filter(|(_, spec)| spec.4 == a - 1 || spec.4 == 2)
                .map(|(c, _)| c.clone())
                .collect();
            let keys: HashSet<PersonId> = members.iter().map(|c| c.person_id).collect();
            let mut acc = account(
                i64::from(a),
                members,
                assignments
                    .iter()
                    .filter(|x| keys.contains(&x.partner_id))
                    .cloned()
                    .collect(),
            );
            // Bosses' assignments travel with their assistants' accounts.
            let bosses: HashSet<PersonId> = acc.contacts.iter().filter_map(|c| c.boss()).collect();
            acc.assignments.extend(
                assignments
                    .iter()
                    .filter(|x| bosses.contains(&x.partner_id) && !keys.contains(&x.partner_id))
                    .cloned(),
            );
            acc.responsible_unit_id = unit(resp);
            if a == 2 {
                acc.partner_unit = unit(self.inside);
            }
            accounts.push(acc);
        }
        MirrorInput {
            accounts,
            people,
            units: vec![
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
                    parent_id: Some(u(1)),
                },
            ],
        }
    }

    fn options(&self) -> SuggestOptions {
        let (n, m) = (self.contacts.len(), self.people.len());
        let mut options = portfolio_options();
        options.deputies = self.deputies;
        options.locks = self
            .locks
            .iter()
            .map(|&(c, p, keep)| Lock {
                partner_id: pid(PARTNER + (c % n) as i64),
                our_id: pid(OURS + (p % m) as i64),
                rule: if keep {
                    LockRule::Keep
                } else {
                    LockRule::Never
                },
            })
            .collect();
        options
    }
}

/// The documented cost of a pair, computed from the instance without the library.
fn documented_cost(input: &MirrorInput, partner: PersonId, our: PersonId) -> i64 {
    let c = input
        .accounts
        .iter()
        .flat_map(|a| &a.contacts)
        .find(|c| c.person_id == partner)
        .unwrap();
    let p = input.people.iter().find(|p| p.person_id == our).unwrap();
    let units: Vec<UnitId> = input
        .accounts
        .iter()
        .filter(|a| a.contacts.iter().any(|x| x.person_id == partner))
        .filter_map(|a| a.responsible_unit_id)
        .collect();
    let all: Vec<&CurrentAssignment> = input.accounts.iter().flat_map(|a| &a.assignments).collect();
    let existing = all
        .iter()
        .filter(|a| a.partner_id == partner && a.our_id == our)
        .min_by_key(|a| a.kind != AssignmentKind::Primary);
    let distance = match (c.level_rank, p.level_rank) {
        (Some(a), Some(b)) => (a - b).abs(),
        _ => 2,
    };
    let boss_counterpart = c.boss().and_then(|b| {
        all.iter()
            .find(|a| a.partner_id == b && a.kind == AssignmentKind::Primary)
            .map(|a| a.our_id)
    });
    let mut cost = 140 + 100 * distance + 2 * p.load.max(0);
    if c.is_assistant != p.is_assistant {
        cost += 40;
    }
    cost -= match existing.map(|a| a.relationship) {
        Some(Some(4..)) => 60,
        Some(Some(..=2)) => 0,
        Some(_) => 20,
        None => 0,
    };
    if units.iter().any(|&u| p.is_within(u)) {
        cost -= 30;
    }
    if c.is_assistant && boss_counterpart.is_some() && p.assistant_of == boss_counterpart {
        cost -= 50;
    }
    cost
}

/// A demand as the tests see it, copied out of the plan.
#[derive(Clone, Debug)]
struct TestDemand {
    partner: PersonId,
    kind: AssignmentKind,
    unserved: i64,
    paired: Option<usize>,
    candidates: Vec<(PersonId, i64)>,
}

fn demands_of(plan: &Plan<'_>) -> Vec<TestDemand> {
    plan.demands()
        .iter()
        .enumerate()
        .map(|(i, d)| TestDemand {
            partner: d.partner_id,
            kind: d.kind,
            unserved: d.unserved_cost,
            paired: d.paired_with,
            candidates: plan.candidates(i).map(|c| (c.ours, c.cost)).collect(),
        })
        .collect()
}

fn capacities_of(plan: &Plan<'_>, input: &MirrorInput) -> HashMap<PersonId, i64> {
    input
        .people
        .iter()
        .map(|p| (p.person_id, plan.remaining_capacity(p.person_id).unwrap()))
        .collect()
}

/// The optimum by enumeration: every demand takes one of its candidates or stays unserved,
/// within capacities, a paired deputy differing from its primary.
fn brute_force(demands: &[TestDemand], capacity: &HashMap<PersonId, i64>) -> i64 {
    fn go(
        i: usize,
        demands: &[TestDemand],
        left: &mut HashMap<PersonId, i64>,
        chosen: &mut Vec<Option<PersonId>>,
        cost: i64,
        best: &mut i64,
    ) {
        if cost >= *best {
            return;
        }
        let Some(d) = demands.get(i) else {
            *best = cost;
            return;
        };
        chosen.push(None);
        go(i + 1, demands, left, chosen, cost + d.unserved, best);
        chosen.pop();
        for &(p, c) in &d.candidates {
            let partner_choice = d.paired.filter(|&j| j < i).and_then(|j| chosen[j]);
            if left[&p] <= 0 || partner_choice == Some(p) {
                continue;
            }
            *left.get_mut(&p).unwrap() -= 1;
            chosen.push(Some(p));
            go(i + 1, demands, left, chosen, cost + c, best);
            chosen.pop();
            *left.get_mut(&p).unwrap() += 1;
        }
    }
    let mut best = i64::MAX;
    go(
        0,
        demands,
        &mut capacity.clone(),
        &mut Vec::new(),
        0,
        &mut best,
    );
    best
}

/// A greedy answer on the same candidates: demands in order, each its cheapest candidate with
/// capacity left (a paired deputy not its primary's).
fn greedy(demands: &[TestDemand], capacity: &HashMap<PersonId, i64>) -> i64 {
    let mut left = capacity.clone();
    let mut chosen: Vec<Option<PersonId>> = Vec::new();
    let mut total = 0;
    for (i, d) in demands.iter().enumerate() {
        let taken = d.paired.filter(|&j| j < i).and_then(|j| chosen[j]);
        let pick = d
            .candidates
            .iter()
            .filter(|(p, _)| left[p] > 0 && Some(*p) != taken)
            .min_by_key(|(p, c)| (*c, *p));
        match pick {
            Some(&(p, c)) => {
                *left.get_mut(&p).unwrap() -= 1;
                total += c;
                chosen.push(Some(p));
            }
            None => {
                total += d.unserved;
                chosen.push(None);
            }
        }
    }
    total
}

fn counting_primary(input: &MirrorInput, partner: PersonId) -> Option<PersonId> {
    input
        .accounts
        .iter()
        .flat_map(|a| &a.assignments)
        .find(|a| a.partner_id == partner && a.kind == AssignmentKind::Primary)
        .map(|a| a.our_id)
}

fn counting_deputy(input: &MirrorInput, partner: PersonId) -> Option<PersonId> {
    input
        .accounts
        .iter()
        .flat_map(|a| &a.assignments)
        .find(|a| a.partner_id == partner && a.kind == AssignmentKind::Deputy)
        .map(|a| a.our_id)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// (a) On tiny instances the flow's cost equals the brute-force optimum over the same
    /// candidates and capacities, and every candidate's cost is the documented formula.
    #[test]
    fn flow_equals_brute_force_on_tiny_instances(s in spec(1..=6, 1..=5, 3)) {
        let mut s = s;
        if s.deputies {
            // Two demands per contact: keep the enumeration small.
            s.contacts.truncate(3);
        }
        let input = s.input();
        let settings = settings();
        let plan = prepare(&input, &s.options(), &settings);
        let demands = demands_of(&plan);
        let capacity = capacities_of(&plan, &input);
        for d in &demands {
            for &(p, cost) in &d.candidates {
                prop_assert_eq!(cost, documented_cost(&input, d.partner, p), "{:?} {:?}", d.partner, p);
            }
        }
        let best = brute_force(&demands, &capacity);
        let r = plan.solve().unwrap();
        prop_assert_eq!(r.flow_cost, best);
    }

    /// (b) On larger instances: every demand is served or reported, capacities hold, keep locks
    /// are honoured, never locks are, deputies differ from primaries, the costs add up, and the
    /// answer is never worse than a greedy one on the same candidates.
    #[test]
    fn invariants_on_larger_instances(s in spec(5..=40, 2..=20, 10)) {
        let input = s.input();
        let options = s.options();
        let settings = settings();
        let plan = prepare(&input, &options, &settings);
        let demands = demands_of(&plan);
        let capacity = capacities_of(&plan, &input);
        let greedy_cost = greedy(&demands, &capacity);
        let r = plan.solve().unwrap();
        prop_assert!(r.flow_cost <= greedy_cost, "{} > greedy {}", r.flow_cost, greedy_cost);

        // Served or reported, exactly once.
        let mut outcome: HashMap<(PersonId, AssignmentKind), usize> = HashMap::new();
        for p in r.proposals.iter().filter(|p| !p.locked) {
            *outcome.entry((p.partner_id, p.kind)).or_default() += 1;
        }
        for u in &r.unserved {
            *outcome.entry((u.partner_id, u.kind)).or_default() += 1;
        }
        prop_assert_eq!(outcome.len(), demands.len());
        for d in &demands {
            prop_assert_eq!(outcome.get(&(d.partner, d.kind)), Some(&1));
        }
        // Each chosen pair is a candidate; capacities hold.
        let mut used: HashMap<PersonId, i64> = HashMap::new();
        for p in r.proposals.iter().filter(|p| !p.locked) {
            let d = demands.iter().find(|d| d.partner == p.partner_id && d.kind == p.kind).unwrap();
            prop_assert!(d.candidates.iter().any(|(o, _)| *o == p.ours));
            *used.entry(p.ours).or_default() += 1;
        }
        for (p, n) in &used {
            prop_assert!(*n <= capacity[p], "{:?} used {} of {}", p, n, capacity[p]);
        }
        // Nobody serves a contact of an internal account from inside its partner unit.
        for p in &r.proposals {
            let ours = input.people.iter().find(|o| o.person_id == p.ours).unwrap();
            for a in &input.accounts {
                if let Some(u) = a.partner_unit
                    && a.contacts.iter().any(|c| c.person_id == p.partner_id)
                {
                    prop_assert!(!ours.is_within(u), "{:?} serves {:?} from inside", p.ours, p.partner_id);
                }
            }
        }
        // Locks.
        let conflicted: HashSet<(PersonId, PersonId)> = r.conflicts.iter().map(|c| match *c {
            LockConflict::KeepAndNever { partner, ours }
            | LockConflict::SecondPrimary { partner, ours, .. }
            | LockConflict::NotInStaff { partner, ours }
            | LockConflict::InsidePartnerUnit { partner, ours } => (partner, ours),
        }).collect();
        for lock in &options.locks {
            let pair = (lock.partner_id, lock.our_id);
            let in_scope = input.accounts.iter().any(|a| a.contacts.iter().any(|c| c.person_id == lock.partner_id));
            match lock.rule {
                LockRule::Never => prop_assert!(
                    !r.proposals.iter().any(|p| (p.partner_id, p.ours) == pair),
                    "never lock {:?} used", pair
                ),
                LockRule::Keep if in_scope && !conflicted.contains(&pair) => {
                    let current_primary = counting_primary(&input, lock.partner_id) == Some(lock.our_id);
                    let current_deputy = counting_deputy(&input, lock.partner_id) == Some(lock.our_id);
                    let mine = |kind| r.proposals.iter().find(|p| p.partner_id == lock.partner_id && p.kind == kind);
                    if current_primary {
                        prop_assert!(mine(AssignmentKind::Primary).is_none_or(|p| p.ours == lock.our_id));
                    } else if current_deputy {
                        prop_assert!(mine(AssignmentKind::Deputy).is_none());
                        prop_assert!(mine(AssignmentKind::Primary).is_none_or(|p| p.ours != lock.our_id));
                    } else {
                        prop_assert!(r.proposals.iter().any(|p| p.locked && (p.partner_id, p.ours) == pair));
                    }
                }
                LockRule::Keep => {}
            }
        }
        // Deputies differ from the primary that holds afterwards.
        for d in r.proposals.iter().filter(|p| p.kind == AssignmentKind::Deputy) {
            let primary = r.proposals.iter()
                .find(|p| p.partner_id == d.partner_id && p.kind == AssignmentKind::Primary)
                .map(|p| p.ours)
                .or_else(|| counting_primary(&input, d.partner_id));
            prop_assert_ne!(primary, Some(d.ours));
        }
        // The costs add up.
        let served: i64 = r.proposals.iter().filter(|p| !p.locked).map(|p| p.cost.total).sum();
        let unserved: i64 = r.unserved.iter().map(|u| demands.iter()
            .find(|d| d.partner == u.partner_id && d.kind == u.kind).unwrap().unserved).sum();
        prop_assert_eq!(r.flow_cost, served + unserved);
        let fixed: i64 = r.proposals.iter().filter(|p| p.locked).map(|p| p.cost.total).sum();
        prop_assert_eq!(r.objective_after, r.flow_cost + fixed);
        for p in &r.proposals {
            prop_assert_eq!(p.cost.total, documented_cost(&input, p.partner_id, p.ours));
            prop_assert!(p.cost.total >= 0);
        }
        for a in &r.accounts {
            prop_assert!((0.0..=100.0).contains(&a.before) && (0.0..=100.0).contains(&a.after));
        }
    }

    /// (d) The first contact in priority order gets exactly its specific candidates plus the
    /// K cheapest people with capacity within ± window by the general cost (ties by id).
    #[test]
    fn the_first_contact_gets_the_k_cheapest(s in spec(1..=4, 2..=24, 4), k in 0usize..8, window in 0i64..3) {
        let input = s.input();
        let mut options = s.options();
        options.candidates = CandidateRule { level_window: window, per_contact: k, unit_minimum: 0 };
        let settings = settings();
        let plan = prepare(&input, &options, &settings);
        let Some(first) = plan.demands().first() else { return Ok(()) };
        let partner = first.partner_id;
        let got: HashSet<PersonId> = plan.candidates(0).map(|c| c.ours).collect();
        let c = input.accounts.iter().flat_map(|a| &a.contacts).find(|c| c.person_id == partner).unwrap();
        let never: HashSet<PersonId> = options.locks.iter()
            .filter(|l| l.partner_id == partner && l.rule == LockRule::Never)
            .map(|l| l.our_id).collect();
        // Nobody inside the partner unit of an internal account of the contact.
        let inside: Vec<UnitId> = input.accounts.iter()
            .filter(|a| a.contacts.iter().any(|x| x.person_id == partner))
            .filter_map(|a| a.partner_unit).collect();
        let never: HashSet<PersonId> = never.into_iter()
            .chain(input.people.iter().filter(|p| inside.iter().any(|&u| p.is_within(u))).map(|p| p.person_id))
            .collect();
        let has_room = |p: &OurPerson| plan.remaining_capacity(p.person_id).unwrap() > 0;
        // Specific: current counterparts and the boss's counterpart's assistants.
        let all: Vec<&CurrentAssignment> = input.accounts.iter().flat_map(|a| &a.assignments).collect();
        let boss_counterpart = c.boss().and_then(|b| counting_primary(&input, b));
        let specific: HashSet<PersonId> = input.people.iter()
            .filter(|p| has_room(p) && !never.contains(&p.person_id))
            .filter(|p| all.iter().any(|a| a.partner_id == partner && a.our_id == p.person_id)
                || (boss_counterpart.is_some() && p.assistant_of == boss_counterpart))
            .map(|p| p.person_id)
            .collect();
        let units: Vec<UnitId> = input.accounts.iter()
            .filter(|a| a.contacts.iter().any(|x| x.person_id == partner))
            .filter_map(|a| a.responsible_unit_id).collect();
        let mut general: Vec<(i64, PersonId)> = input.people.iter()
            .filter(|p| has_room(p) && !never.contains(&p.person_id) && !specific.contains(&p.person_id))
            .filter(|p| match (c.level_rank, p.level_rank) {
                (Some(a), Some(b)) => (a - b).abs() <= window,
                _ => true,
            })
            .map(|p| {
                let distance = level_distance(c.level_rank, p.level_rank).unwrap_or(2);
                let cost = 140 + 100 * distance + 2 * p.load.max(0)
                    + if c.is_assistant != p.is_assistant { 40 } else { 0 }
                    - if units.iter().any(|&u| p.is_within(u)) { 30 } else { 0 };
                (cost, p.person_id)
            })
            .collect();
        general.sort_unstable();
        // A kept current deputy (or a fixed primary) is excluded from the primary's list.
        let excluded: HashSet<PersonId> = options.locks.iter()
            .filter(|l| l.partner_id == partner && l.rule == LockRule::Keep)
            .map(|l| l.our_id).collect();
        let expected: HashSet<PersonId> = specific.iter().copied()
            .chain(general.iter().filter(|(_, p)| !excluded.contains(p)).take(k).map(|&(_, p)| p))
            .collect();
        if excluded.is_empty() {
            prop_assert_eq!(got, expected);
        } else {
            prop_assert!(got.is_subset(&expected.union(&excluded).copied().collect()));
        }
    }

    /// (c) Analysis invariants: every score within 0–100, coverage 100 % exactly when every key
    /// contact has a current primary, and a bow tie when one person holds all of ≥ 3 contacts.
    #[test]
    fn analysis_invariants(s in spec(1..=12, 1..=6, 0), one_holder in any::<bool>()) {
        let mut input = s.input();
        if one_holder && s.contacts.len() >= 3 {
            let a = &mut input.accounts[0];
            a.contacts = (0..s.contacts.len()).map(|i| contact(PARTNER + i as i64, Some(3), 3)).collect();
            a.assignments = a.contacts.iter().map(|c| primary(c.person_id.get(), OURS)).collect();
        }
        let p = analyze_portfolio(&input, &settings());
        for (a, acc) in p.accounts.iter().zip(&input.accounts) {
            let sc = &a.score;
            for v in [sc.value, sc.parts.coverage, sc.parts.level_match, sc.parts.spread] {
                prop_assert!((0.0..=100.0).contains(&v), "{} out of range", v);
            }
            let keys: HashSet<PersonId> = acc.contacts.iter().map(|c| c.person_id).collect();
            let covered: HashSet<PersonId> = acc.assignments.iter()
                .filter(|x| x.kind == AssignmentKind::Primary && keys.contains(&x.partner_id))
                .map(|x| x.partner_id).collect();
            if !keys.is_empty() {
                prop_assert_eq!(close(sc.parts.coverage, 100.0), covered.len() == keys.len());
            }
            prop_assert_eq!(sc.covered, covered.len());
            prop_assert_eq!(a.shape == Shape::Empty, covered.is_empty());
            let uncovered = a.findings.iter().filter(|f| f.kind() == FindingKind::Uncovered).count();
            prop_assert_eq!(uncovered, keys.len() - covered.len());
            prop_assert!(a.findings.iter().all(|f| f.band == Band::of(f.severity) && f.severity <= 100));
        }
        if one_holder && s.contacts.len() >= 3 {
            prop_assert_eq!(p.accounts[0].shape, Shape::BowTie);
            prop_assert!(kinds(&p.accounts[0]).contains(&FindingKind::BowTie));
        }
        prop_assert_eq!(p.portfolio.accounts, input.accounts.len());
    }
}

/// The jour fixe's findings: an account in jour-fixe mode needs a series that meets (twice
/// its interval at the most between meetings), and actions past their day are found on any
/// account.
#[test]
fn a_jour_fixe_account_without_meetings_and_overdue_actions_are_findings() {
    use counterpart_core::mirror::JourFixeFacts;
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let with = |mode, jour_fixe| MirrorAccount {
        mode,
        jour_fixe,
        ..account(1, vec![contact(10, Some(2), 5)], vec![primary(10, 100)])
    };
    let people = [ours(100, Some(2))];
    let found = |acc: &MirrorAccount| kinds(&analyze_account(acc, &people, &settings()));

    // Jour-fixe mode, no series: found.
    let none = with(ManagementMode::JourFixe, JourFixeFacts::default());
    let analysis = analyze_account(&none, &people, &settings());
    let finding = analysis
        .findings
        .iter()
        .find(|f| f.kind() == FindingKind::NoJourFixe)
        .expect("no series is a finding");
    assert_eq!(
        finding.detail,
        FindingDetail::NoJourFixe {
            last_meeting: None,
            interval_days: None
        }
    );
    // A monthly series that met 40 days ago: fine; 61 days ago: lapsed.
    let monthly = |last: &str| JourFixeFacts {
        interval_days: Some(30),
        last_meeting: Some(day(last)),
        ..JourFixeFacts::default()
    };
    assert!(
        !found(&with(ManagementMode::JourFixe, monthly("2026-10-18")))
            .contains(&FindingKind::NoJourFixe)
    );
    assert!(
        found(&with(ManagementMode::JourFixe, monthly("2026-09-27")))
            .contains(&FindingKind::NoJourFixe)
    );
    // A series that has not met yet is not lapsed; another mode needs no jour fixe.
    let new_series = JourFixeFacts {
        interval_days: Some(30),
        ..JourFixeFacts::default()
    };
    assert!(!found(&with(ManagementMode::JourFixe, new_series)).contains(&FindingKind::NoJourFixe));
    assert!(
        !found(&with(
            ManagementMode::Hierarchical,
            JourFixeFacts::default()
        ))
        .contains(&FindingKind::NoJourFixe)
    );

    // Two actions overdue, the older three weeks: found on a hierarchical account too, more
    // severe than one overdue by a day.
    let overdue = |n, oldest: &str| JourFixeFacts {
        overdue_actions: n,
        oldest_overdue: Some(day(oldest)),
        ..JourFixeFacts::default()
    };
    let severity = |facts| {
        analyze_account(
            &with(ManagementMode::Hierarchical, facts),
            &people,
            &settings(),
        )
        .findings
        .into_iter()
        .find(|f| f.kind() == FindingKind::OverdueActions)
        .map(|f| f.severity)
    };
    assert_eq!(severity(overdue(2, "2026-11-06")), Some(50));
    assert_eq!(severity(overdue(1, "2026-11-26")), Some(30));
    assert_eq!(severity(JourFixeFacts::default()), None);
}
