//! Properties of `orgchart::layout` on random charts: forests with loops, dangling references,
//! assistants, nested units, level filters and collapsed units. Whatever the input, boxes do
//! not overlap, every person who passes the filters is drawn exactly once and nobody else,
//! links join drawn boxes along orthogonal paths inside the picture, superiors sit over their
//! reports, roots sit under their unit's caption, and the result does not depend on the order
//! of the people.

use std::collections::{BTreeMap, BTreeSet};

use counterpart_core::ids::{PersonId, UnitId};
use counterpart_core::orgchart::{
    ChartOptions, ChartPerson, ChartUnit, Layout, LinkKind, NodeKind, PlacedNode, Route, layout,
};
use proptest::prelude::*;

/// One random chart.
#[derive(Clone, Debug)]
struct Case {
    units: Vec<ChartUnit>,
    people: Vec<ChartPerson>,
    options: ChartOptions,
    /// Seeds the reshuffle of `people` for the order-independence check.
    seed: u64,
}

/// A unit id that is in no chart.
const UNKNOWN_UNIT: i64 = 555;

fn person_id(index: usize) -> PersonId {
    // Gaps between ids, and ids unrelated to sort keys.
    PersonId::new(index as i64 * 3 + 1)
}

/// Raw choices for one person: (manager kind, manager pick, assistant roll, assistant pick,
/// unit pick, level, sort key).
type RawPerson = (u8, usize, u8, usize, Option<usize>, Option<i64>, u8);

fn pick_person(kind: u8, pick: usize, own: usize, count: usize) -> Option<PersonId> {
    match kind {
        0 => None,
        // Anyone at all: self, loops, or someone not in the chart.
        1 => Some(if pick % (count + 2) >= count {
            PersonId::new(1_000_000 + pick as i64 % 7)
        } else {
            person_id(pick % count)
        }),
        // Mostly a proper tree: someone earlier.
        _ => (own > 0).then(|| person_id(pick % own)),
    }
}

fn case() -> impl Strategy<Value = Case> {
    let units = prop::collection::vec((any::<bool>(), any::<usize>(), any::<bool>()), 0..8);
    let people = prop::collection::vec(
        (
            0u8..6,
            any::<usize>(),
            0u8..10,
            any::<usize>(),
            prop::option::of(any::<usize>()),
            prop::option::weighted(0.8, 1i64..=6),
            0u8..5,
        ),
        0..250,
    );
    let options = (
        prop::option::of(1i64..=6),
        0usize..7,
        prop_oneof![Just(12usize), 1usize..15],
    );
    (units, people, options, any::<u64>()).prop_map(|(raw_units, raw_people, options, seed)| {
        let unit_id = |i: usize| UnitId::new(i as i64 * 2 + 10);
        let units: Vec<ChartUnit> = raw_units
            .iter()
            .enumerate()
            .map(|(i, &(has_parent, pick, _))| ChartUnit {
                id: unit_id(i),
                parent_id: has_parent.then(|| match pick % (i + 1) {
                    p if p == i => UnitId::new(UNKNOWN_UNIT),
                    p => unit_id(p),
                }),
                name: format!("Unit {i}"),
            })
            .collect();
        let mut collapsed_units: BTreeSet<UnitId> = raw_units
            .iter()
            .enumerate()
            .filter(|(_, raw)| raw.2)
            .map(|(i, _)| unit_id(i))
            .collect();
        collapsed_units.insert(UnitId::new(UNKNOWN_UNIT + 1));
        let count = raw_people.len();
        let people = raw_people
            .iter()
            .enumerate()
            .map(|(i, raw): (usize, &RawPerson)| {
                let &(kind, pick, roll, assistant_pick, unit_pick, level_rank, key) = raw;
                ChartPerson {
                    id: person_id(i),
                    unit_id: unit_pick.map(|u| match u % (units.len() + 1) {
                        u if u == units.len() => UnitId::new(UNKNOWN_UNIT),
                        u => unit_id(u),
                    }),
                    reports_to: pick_person(kind, pick, i, count),
                    assistant_of: match roll {
                        0 => pick_person(1, assistant_pick, i, count),
                        1 => pick_person(2, assistant_pick, i, count),
                        _ => None,
                    },
                    level_rank,
                    sort_key: format!("{}", char::from(b'a' + key)),
                }
            })
            .collect();
        let (max_level_rank, leaf_column_threshold, leaf_column_height) = options;
        Case {
            units,
            people,
            options: ChartOptions {
                max_level_rank,
                collapsed_units,
                leaf_column_threshold,
                leaf_column_height,
                ..ChartOptions::default()
            },
            seed,
        }
    })
}

/// What the chart must show, worked out independently of the layout.
struct Expected {
    /// People to draw.
    drawn: BTreeSet<PersonId>,
    /// Placeholders: outermost collapsed unit → how many people it stands for.
    placeholders: BTreeMap<UnitId, usize>,
    /// People not drawn.
    hidden: usize,
}

fn expected(case: &Case) -> Expected {
    let parent: BTreeMap<UnitId, Option<UnitId>> =
        case.units.iter().map(|u| (u.id, u.parent_id)).collect();
    // Units are generated as a forest (parents come first), so the walk ends.
    let outermost_collapsed = |unit: UnitId| {
        let mut found = None;
        let mut at = Some(unit);
        while let Some(u) = at.filter(|u| parent.contains_key(u)) {
            if case.options.collapsed_units.contains(&u) {
                found = Some(u);
            }
            at = parent[&u];
        }
        found
    };
    let mut drawn = BTreeSet::new();
    let mut members: BTreeMap<UnitId, (usize, bool)> = BTreeMap::new();
    for p in &case.people {
        let passes = match (case.options.max_level_rank, p.level_rank) {
            (Some(max), Some(rank)) => rank <= max,
            _ => true,
        };
        match p.unit_id.and_then(outermost_collapsed) {
            Some(unit) => {
                let entry = members.entry(unit).or_default();
                entry.0 += 1;
                entry.1 |= passes;
            }
            None if passes => {
                drawn.insert(p.id);
            }
            None => {}
        }
    }
    let placeholders = members
        .into_iter()
        .filter(|(_, (_, shown))| *shown)
        .map(|(unit, (count, _))| (unit, count))
        .collect();
    Expected {
        hidden: case.people.len() - drawn.len(),
        drawn,
        placeholders,
    }
}

fn centre(n: &PlacedNode) -> f64 {
    n.x + n.width / 2.0
}

fn check(case: &Case, layout: &Layout) -> Result<(), TestCaseError> {
    let nodes = &layout.nodes;
    let expect = expected(case);

    // Exactly the expected people and placeholders, each once.
    let mut people = BTreeSet::new();
    let mut placeholders = BTreeMap::new();
    let mut hidden_counted = 0;
    for n in nodes {
        match n.kind {
            NodeKind::Person { id, hidden_reports }
            | NodeKind::Assistant {
                id, hidden_reports, ..
            } => {
                prop_assert!(people.insert(id), "{id} drawn twice");
                hidden_counted += hidden_reports;
            }
            NodeKind::CollapsedUnit { unit_id, people } => {
                prop_assert!(placeholders.insert(unit_id, people).is_none());
            }
            NodeKind::UnitCaption { .. } => {}
        }
    }
    prop_assert_eq!(&people, &expect.drawn);
    prop_assert_eq!(&placeholders, &expect.placeholders);
    prop_assert!(hidden_counted <= expect.hidden);

    // Inside the picture, finite, and apart: every pair is separated on one axis.
    for (i, a) in nodes.iter().enumerate() {
        for v in [a.x, a.y, a.width, a.height] {
            prop_assert!(v.is_finite() && v >= 0.0, "{a:?}");
        }
        prop_assert!(a.x + a.width <= layout.width + 1e-6);
        prop_assert!(a.y + a.height <= layout.height + 1e-6);
        for b in &nodes[i + 1..] {
            let apart = a.x + a.width + 1.0 <= b.x
                || b.x + b.width + 1.0 <= a.x
                || a.y + a.height + 1.0 <= b.y
                || b.y + b.height + 1.0 <= a.y;
            prop_assert!(apart, "{a:?} and {b:?} overlap or touch");
        }
    }

    // Links join existing boxes; each box has at most one superior; no loops; captions alone.
    let mut superior: Vec<Option<usize>> = vec![None; nodes.len()];
    for link in &layout.links {
        prop_assert!(link.from < nodes.len() && link.to < nodes.len() && link.from != link.to);
        prop_assert!(
            superior[link.to].replace(link.from).is_none(),
            "two links into {}",
            link.to
        );
        let (from, to) = (&nodes[link.from], &nodes[link.to]);
        let caption = |n: &PlacedNode| matches!(n.kind, NodeKind::UnitCaption { .. });
        prop_assert!(!caption(from) && !caption(to), "a link to a caption");
        match (link.kind, to.kind) {
            (LinkKind::Assists, NodeKind::Assistant { of, .. }) => {
                let boss = match from.kind {
                    NodeKind::Person { id, .. } | NodeKind::Assistant { id, .. } => Some(id),
                    _ => None,
                };
                prop_assert_eq!(boss, Some(of));
            }
            (LinkKind::Reports, NodeKind::Assistant { .. }) | (LinkKind::Assists, _) => {
                prop_assert!(false, "assistant links and assistants go together");
            }
            (LinkKind::Reports, _) => {}
        }
        // An orthogonal path inside the picture from `from` to the edge of `to`.
        let path = link.path(layout);
        prop_assert!(path.len() >= 2);
        for &(x, y) in &path {
            prop_assert!(x.is_finite() && y.is_finite());
            prop_assert!((-1e-6..=layout.width + 1e-6).contains(&x));
            prop_assert!((-1e-6..=layout.height + 1e-6).contains(&y));
        }
        for pair in path.windows(2) {
            prop_assert!(pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1, "{path:?}");
        }
        let (last_x, last_y) = path[path.len() - 1];
        let on_edge = (last_x == to.x || last_x == to.x + to.width)
            && last_y == to.y + to.height / 2.0
            || last_y == to.y && last_x == centre(to);
        prop_assert!(on_edge, "{path:?} ends off {to:?}");
    }
    for start in 0..nodes.len() {
        let mut at = start;
        for _ in 0..=nodes.len() {
            match superior[at] {
                Some(up) => at = up,
                None => break,
            }
        }
        prop_assert!(superior[at].is_none(), "loop through {start}");
    }
    for (i, n) in nodes.iter().enumerate() {
        if matches!(n.kind, NodeKind::Assistant { .. }) {
            prop_assert!(superior[i].is_some());
        }
    }

    // Superiors sit over their reports: centred unless some are stacked in columns.
    for (i, boss) in nodes.iter().enumerate() {
        let reports: Vec<_> = layout
            .links
            .iter()
            .filter(|l| l.from == i && l.kind == LinkKind::Reports)
            .collect();
        if reports.is_empty() {
            continue;
        }
        let left = reports
            .iter()
            .map(|l| nodes[l.to].x)
            .fold(f64::INFINITY, f64::min);
        let right = reports
            .iter()
            .map(|l| nodes[l.to].x + nodes[l.to].width)
            .fold(f64::NEG_INFINITY, f64::max);
        let c = centre(boss);
        prop_assert!(left - 1e-6 <= c && c <= right + 1e-6);
        for l in &reports {
            prop_assert!(nodes[l.to].y > boss.y + boss.height);
        }
        if reports
            .iter()
            .all(|l| matches!(l.route, Route::Elbow { .. }))
        {
            let centres = reports.iter().map(|l| centre(&nodes[l.to]));
            let lo = centres.clone().fold(f64::INFINITY, f64::min);
            let hi = centres.fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(
                (c - (lo + hi) / 2.0).abs() < 1e-6,
                "not centred: {c} vs {lo}..{hi}"
            );
        }
    }

    // Roots of a known unit stand below their unit's caption.
    let units: BTreeSet<UnitId> = case.units.iter().map(|u| u.id).collect();
    let unit_of: BTreeMap<PersonId, Option<UnitId>> =
        case.people.iter().map(|p| (p.id, p.unit_id)).collect();
    for (i, n) in nodes.iter().enumerate() {
        if superior[i].is_some() {
            continue;
        }
        let unit = match n.kind {
            NodeKind::Person { id, .. } | NodeKind::Assistant { id, .. } => unit_of[&id],
            NodeKind::CollapsedUnit { unit_id, .. } => Some(unit_id),
            NodeKind::UnitCaption { .. } => continue,
        };
        if let Some(unit) = unit.filter(|u| units.contains(u)) {
            let under_caption = nodes.iter().any(|c| {
                c.kind == NodeKind::UnitCaption { unit_id: unit }
                    && c.x <= n.x
                    && n.x + n.width <= c.x + c.width + 1e-6
                    && c.y + c.height < n.y
            });
            prop_assert!(under_caption, "root {n:?} outside the group of {unit}");
        }
    }
    Ok(())
}

/// Reorders `people` by a seeded Fisher–Yates shuffle.
fn shuffled(people: &[ChartPerson], mut seed: u64) -> Vec<ChartPerson> {
    let mut out = people.to_vec();
    for i in (1..out.len()).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.swap(i, (seed >> 33) as usize % (i + 1));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_charts_are_laid_out_cleanly(case in case()) {
        let first = layout(&case.units, &case.people, &case.options);
        check(&case, &first)?;
        let again = layout(&case.units, &case.people, &case.options);
        prop_assert_eq!(&again, &first, "same input, same layout");
        let reordered = layout(&case.units, &shuffled(&case.people, case.seed), &case.options);
        prop_assert_eq!(&reordered, &first, "people in another order, same layout");
    }

    /// Without filters, loops or dangling references, everyone is drawn.
    #[test]
    fn a_clean_forest_draws_everyone(parents in prop::collection::vec(any::<usize>(), 1..300)) {
        let people: Vec<ChartPerson> = parents
            .iter()
            .enumerate()
            .map(|(i, &pick)| ChartPerson {
                id: person_id(i),
                unit_id: None,
                reports_to: (i > 0 && pick % 5 != 0).then(|| person_id(pick % i)),
                assistant_of: None,
                level_rank: None,
                sort_key: String::new(),
            })
            .collect();
        let chart = layout(&[], &people, &ChartOptions::default());
        prop_assert_eq!(chart.nodes.len(), people.len());
        prop_assert_eq!(
            chart.links.len(),
            people.iter().filter(|p| p.reports_to.is_some()).count()
        );
    }
}
