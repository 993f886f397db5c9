//! Unit tests of the org chart layout: one per rule of the module docs.

use super::*;

fn person(id: i64, reports_to: Option<i64>) -> ChartPerson {
    ChartPerson {
        id: PersonId::new(id),
        unit_id: None,
        reports_to: reports_to.map(PersonId::new),
        assistant_of: None,
        level_rank: None,
        sort_key: format!("{id:04}"),
    }
}

fn assistant(id: i64, of: i64) -> ChartPerson {
    ChartPerson {
        assistant_of: Some(PersonId::new(of)),
        ..person(id, Some(of))
    }
}

fn in_unit(unit: i64, p: ChartPerson) -> ChartPerson {
    ChartPerson {
        unit_id: Some(UnitId::new(unit)),
        ..p
    }
}

fn ranked(rank: i64, p: ChartPerson) -> ChartPerson {
    ChartPerson {
        level_rank: Some(rank),
        ..p
    }
}

fn unit(id: i64, parent: Option<i64>, name: &str) -> ChartUnit {
    ChartUnit {
        id: UnitId::new(id),
        parent_id: parent.map(UnitId::new),
        name: name.into(),
    }
}

fn person_of(node: &PlacedNode) -> Option<PersonId> {
    match node.kind {
        NodeKind::Person { id, .. } | NodeKind::Assistant { id, .. } => Some(id),
        NodeKind::CollapsedUnit { .. } | NodeKind::UnitCaption { .. } => None,
    }
}

/// The index of the box of person `id`, which must be drawn exactly once.
fn index(layout: &Layout, id: i64) -> usize {
    let found: Vec<usize> = (0..layout.nodes.len())
        .filter(|&i| person_of(&layout.nodes[i]) == Some(PersonId::new(id)))
        .collect();
    assert_eq!(found.len(), 1, "person {id} drawn {} times", found.len());
    found[0]
}

fn node(layout: &Layout, id: i64) -> &PlacedNode {
    &layout.nodes[index(layout, id)]
}

fn drawn(layout: &Layout, id: i64) -> bool {
    layout
        .nodes
        .iter()
        .any(|n| person_of(n) == Some(PersonId::new(id)))
}

fn centre(node: &PlacedNode) -> f64 {
    node.x + node.width / 2.0
}

fn link(layout: &Layout, from: usize, to: usize) -> Link {
    let found: Vec<&Link> = layout
        .links
        .iter()
        .filter(|l| l.from == from && l.to == to)
        .collect();
    assert_eq!(found.len(), 1, "one link {from} -> {to}");
    *found[0]
}

/// The superior drawn above `to`, if any.
fn superior(layout: &Layout, to: usize) -> Option<usize> {
    layout.links.iter().find(|l| l.to == to).map(|l| l.from)
}

/// No two boxes touch or overlap, everything lies inside the picture.
fn assert_clean(layout: &Layout) {
    for (i, a) in layout.nodes.iter().enumerate() {
        assert!(a.x >= 0.0 && a.y >= 0.0, "{a:?} off the picture");
        assert!(a.x + a.width <= layout.width + 1e-6);
        assert!(a.y + a.height <= layout.height + 1e-6);
        for b in &layout.nodes[i + 1..] {
            let apart = a.x + a.width < b.x
                || b.x + b.width < a.x
                || a.y + a.height < b.y
                || b.y + b.height < a.y;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn assistant_stands_beside_the_boss_not_among_the_reports() {
    let people = vec![
        person(1, None),
        person(2, Some(1)),
        person(3, Some(1)),
        person(4, Some(1)),
        assistant(5, 1),
    ];
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    let (boss, helper) = (node(&layout, 1), node(&layout, 5));
    assert_eq!(
        helper.kind,
        NodeKind::Assistant {
            id: PersonId::new(5),
            of: PersonId::new(1),
            hidden_reports: 0
        }
    );
    assert_eq!(helper.y, boss.y, "on the boss's row");
    assert_eq!(
        helper.x,
        boss.x + boss.width + 24.0,
        "right beside the boss"
    );
    for report in [2, 3, 4] {
        assert!(node(&layout, report).y > boss.y);
    }
    // The boss stays centred over the reports, not over reports and assistant.
    let middle = (centre(node(&layout, 2)) + centre(node(&layout, 4))) / 2.0;
    assert!((centre(boss) - middle).abs() < 1e-9);
    let side = link(&layout, index(&layout, 1), index(&layout, 5));
    assert_eq!((side.kind, side.route), (LinkKind::Assists, Route::Side));
    let mid = boss.y + boss.height / 2.0;
    assert_eq!(
        side.path(&layout),
        [(boss.x + boss.width, mid), (helper.x, mid)]
    );
}

#[test]
fn further_assistants_hang_off_the_trunk_in_pairs() {
    let mut people = vec![person(1, None), person(2, Some(1)), person(3, Some(1))];
    people.extend((10..14).map(|id| assistant(id, 1)));
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    let boss = node(&layout, 1).clone();
    let pitch = 64.0 + 48.0;
    // Sort order 10, 11, 12, 13: right and left of the boss, then right and left one row down.
    assert_eq!(node(&layout, 10).y, boss.y);
    assert!(node(&layout, 10).x > boss.x);
    assert_eq!(node(&layout, 11).y, boss.y);
    assert!(node(&layout, 11).x < boss.x);
    assert_eq!(node(&layout, 12).y, boss.y + pitch);
    assert!(node(&layout, 12).x > centre(&boss));
    assert_eq!(node(&layout, 13).y, boss.y + pitch);
    assert!(node(&layout, 13).x + 200.0 < centre(&boss));
    assert_eq!(
        node(&layout, 2).y,
        boss.y + 2.0 * pitch,
        "reports below them"
    );
    // Down the trunk, then across into the near side.
    let lower = node(&layout, 13).clone();
    let path = link(&layout, index(&layout, 1), index(&layout, 13)).path(&layout);
    let mid = lower.y + lower.height / 2.0;
    assert_eq!(
        path,
        [
            (centre(&boss), boss.y + boss.height),
            (centre(&boss), mid),
            (lower.x + lower.width, mid)
        ]
    );
}

#[test]
fn an_assistants_own_team_hangs_below_the_assistant_clear_of_the_bosss_team() {
    let mut people = vec![person(1, None), assistant(2, 1)];
    for lead in 3..6 {
        people.push(person(lead, Some(1)));
        people.extend((0..3).map(|k| person(lead * 10 + k, Some(lead))));
    }
    people.extend([person(90, Some(2)), person(91, Some(2))]);
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    let helper = node(&layout, 2);
    assert_eq!(helper.y, node(&layout, 1).y);
    let (a, b) = (node(&layout, 90), node(&layout, 91));
    assert!(a.y > helper.y && b.y > helper.y);
    assert!((centre(helper) - (centre(a) + centre(b)) / 2.0).abs() < 1e-9);
    // On their row the assistant's team lies right of the boss's team.
    let leads_right = (3..6)
        .map(|id| node(&layout, id).x + 200.0)
        .fold(0.0, f64::max);
    assert_eq!(a.y, node(&layout, 3).y);
    assert!(a.x >= leads_right + 24.0);
    // No report hangs between the boss and the assistant on the boss's row.
    let link = link(&layout, index(&layout, 1), index(&layout, 2));
    assert_eq!(link.path(&layout).len(), 2, "a straight side link");
}

#[test]
fn roots_are_grouped_by_unit_in_the_order_of_the_units() {
    let units = vec![unit(2, None, "Einkauf"), unit(1, None, "Vertrieb")];
    let people = vec![
        in_unit(1, person(1, None)),
        in_unit(2, person(2, None)),
        in_unit(2, person(3, None)),
        in_unit(2, person(4, Some(1))),
        person(5, None),
        in_unit(77, person(6, None)),
    ];
    let layout = layout(&units, &people, &ChartOptions::default());
    assert_clean(&layout);
    let captions: Vec<(UnitId, f64, f64)> = layout
        .nodes
        .iter()
        .filter_map(|n| match n.kind {
            NodeKind::UnitCaption { unit_id } => Some((unit_id, n.x, n.x + n.width)),
            _ => None,
        })
        .collect();
    assert_eq!(captions.len(), 2);
    let (einkauf, vertrieb) = (captions[0], captions[1]);
    assert_eq!((einkauf.0, vertrieb.0), (UnitId::new(2), UnitId::new(1)));
    assert_eq!(einkauf.2 + 48.0, vertrieb.1, "groups 2 × h_gap apart");
    let within = |id, caption: (UnitId, f64, f64)| {
        let n = node(&layout, id);
        n.x >= caption.1 && n.x + n.width <= caption.2 && n.y == 28.0 + 24.0
    };
    assert!(within(2, einkauf) && within(3, einkauf));
    assert!(within(1, vertrieb), "4 is not a root: it hangs below 1");
    assert_eq!(
        superior(&layout, index(&layout, 4)),
        Some(index(&layout, 1))
    );
    // No unit or an unknown unit: a last group without caption.
    for id in [5, 6] {
        assert!(node(&layout, id).x > vertrieb.2);
    }
}

#[test]
fn level_filter_hides_lower_levels_and_counts_them() {
    let people = vec![
        ranked(1, person(1, None)),
        ranked(2, person(2, Some(1))),
        ranked(3, person(3, Some(2))),
        ranked(4, person(4, Some(3))),
        ranked(3, person(5, Some(2))),
        // Odd data: a level-1 person below a hidden one is still drawn.
        ranked(1, person(6, Some(5))),
        person(7, Some(2)),
        ranked(3, assistant(8, 1)),
    ];
    let options = ChartOptions {
        max_level_rank: Some(2),
        ..ChartOptions::default()
    };
    let layout = layout(&[], &people, &options);
    assert_clean(&layout);
    for hidden in [3, 4, 5, 8] {
        assert!(!drawn(&layout, hidden), "{hidden} is hidden");
    }
    assert_eq!(
        node(&layout, 2).kind,
        NodeKind::Person {
            id: PersonId::new(2),
            hidden_reports: 3
        }
    );
    assert_eq!(
        node(&layout, 1).kind,
        NodeKind::Person {
            id: PersonId::new(1),
            hidden_reports: 1
        },
        "the hidden assistant"
    );
    // 6 hangs below its nearest drawn superior; 7 has no level and is drawn.
    assert_eq!(
        superior(&layout, index(&layout, 6)),
        Some(index(&layout, 2))
    );
    assert_eq!(
        superior(&layout, index(&layout, 7)),
        Some(index(&layout, 2))
    );
    assert_eq!(layout.nodes.len(), 4);
}

fn sales_organisation() -> (Vec<ChartUnit>, Vec<ChartPerson>) {
    let units = vec![
        unit(1, None, "Vorstand"),
        unit(2, Some(1), "Vertrieb"),
        unit(3, Some(2), "Key Accounts"),
        unit(4, Some(1), "Einkauf"),
    ];
    let people = vec![
        ranked(1, in_unit(1, person(1, None))),
        ranked(2, in_unit(2, person(2, Some(1)))),
        ranked(3, in_unit(2, person(3, Some(2)))),
        ranked(3, in_unit(2, person(4, Some(2)))),
        ranked(3, in_unit(3, person(5, Some(2)))),
        ranked(4, in_unit(3, person(6, Some(5)))),
        ranked(4, in_unit(3, person(7, Some(5)))),
        ranked(2, in_unit(4, person(8, Some(1)))),
        // Works in purchasing but reports to someone in sales.
        ranked(3, in_unit(4, person(9, Some(3)))),
    ];
    (units, people)
}

fn collapsed(layout: &Layout) -> Vec<(usize, UnitId, usize)> {
    (0..layout.nodes.len())
        .filter_map(|i| match layout.nodes[i].kind {
            NodeKind::CollapsedUnit { unit_id, people } => Some((i, unit_id, people)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_collapsed_unit_is_one_box_for_its_people_and_those_of_its_sub_units() {
    let (units, people) = sales_organisation();
    let options = ChartOptions {
        collapsed_units: [UnitId::new(2), UnitId::new(3)].into(),
        ..ChartOptions::default()
    };
    let layout = layout(&units, &people, &options);
    assert_clean(&layout);
    let boxes = collapsed(&layout);
    assert_eq!(
        boxes.len(),
        1,
        "the nested collapsed unit is inside the outer one"
    );
    let (placeholder, unit_id, count) = boxes[0];
    assert_eq!((unit_id, count), (UnitId::new(2), 6));
    for hidden in 2..=7 {
        assert!(!drawn(&layout, hidden));
    }
    // Where the head of sales would be: below the chief, beside purchasing.
    assert_eq!(superior(&layout, placeholder), Some(index(&layout, 1)));
    assert_eq!(layout.nodes[placeholder].y, node(&layout, 8).y);
    assert_eq!(
        link(&layout, index(&layout, 1), placeholder).kind,
        LinkKind::Reports
    );
    // Someone outside reporting into the unit hangs below the box.
    assert_eq!(superior(&layout, index(&layout, 9)), Some(placeholder));
    assert_eq!(layout.nodes.len(), 5, "caption, placeholder, 1, 8, 9");
}

#[test]
fn a_collapsed_top_unit_stands_among_the_roots() {
    let (units, people) = sales_organisation();
    let options = ChartOptions {
        collapsed_units: [UnitId::new(1)].into(),
        ..ChartOptions::default()
    };
    let layout = layout(&units, &people, &options);
    assert_clean(&layout);
    assert_eq!(layout.nodes.len(), 2);
    assert_eq!(
        layout.nodes[0].kind,
        NodeKind::UnitCaption {
            unit_id: UnitId::new(1)
        }
    );
    assert_eq!(collapsed(&layout), [(1, UnitId::new(1), 9)]);
    assert!(layout.links.is_empty());
}

#[test]
fn a_collapsed_unit_hidden_by_the_level_filter_counts_as_hidden() {
    let (units, people) = sales_organisation();
    let options = ChartOptions {
        max_level_rank: Some(3),
        collapsed_units: [UnitId::new(3)].into(),
        ..ChartOptions::default()
    };
    let level3 = layout(&units, &people, &options);
    assert_eq!(collapsed(&level3).len(), 1, "5 is level 3: drawn");
    let options = ChartOptions {
        max_level_rank: Some(2),
        ..options
    };
    let layout = layout(&units, &people, &options);
    assert!(collapsed(&layout).is_empty());
    // 3, 4 and 9 (level 3) and the whole of Key Accounts (5, 6, 7) are below 2.
    assert_eq!(
        node(&layout, 2).kind,
        NodeKind::Person {
            id: PersonId::new(2),
            hidden_reports: 6
        }
    );
}

#[test]
fn many_leaves_are_stacked_in_columns() {
    let mut people = vec![person(1, None)];
    people.extend((100..130).map(|id| person(id, Some(1))));
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    let boss = node(&layout, 1).clone();
    let mut xs: Vec<f64> = (100..130).map(|id| node(&layout, id).x).collect();
    xs.dedup();
    assert_eq!(
        xs.len(),
        3,
        "30 leaves: 3 columns of 10, filled in sort order"
    );
    let column: Vec<f64> = (100..110).map(|id| node(&layout, id).y).collect();
    for pair in column.windows(2) {
        assert_eq!(pair[1] - pair[0], 64.0 + 12.0, "stacked v_gap / 4 apart");
    }
    assert_eq!(column[0], boss.y + 64.0 + 48.0);
    assert!(centre(&boss) > xs[0] && centre(&boss) < xs[2] + 200.0);
    assert!(
        layout.width < 3.0 * 236.0,
        "three columns wide, not thirty boxes"
    );
    // Down, across to the column's trunk, down it and into the box.
    let leaf = node(&layout, 103).clone();
    let link = link(&layout, index(&layout, 1), index(&layout, 103));
    let bus_y = boss.y + 64.0 + 24.0;
    let trunk_x = leaf.x - 12.0;
    assert_eq!(link.route, Route::Column { bus_y, trunk_x });
    let mid = leaf.y + 32.0;
    assert_eq!(
        link.path(&layout),
        [
            (centre(&boss), boss.y + 64.0),
            (centre(&boss), bus_y),
            (trunk_x, bus_y),
            (trunk_x, mid),
            (leaf.x, mid)
        ]
    );
}

#[test]
fn the_column_threshold_is_more_than_four_leaves() {
    let four: Vec<ChartPerson> = std::iter::once(person(1, None))
        .chain((2..6).map(|id| person(id, Some(1))))
        .collect();
    let layout4 = layout(&[], &four, &ChartOptions::default());
    let ys: Vec<f64> = (2..6).map(|id| node(&layout4, id).y).collect();
    assert!(ys.iter().all(|&y| y == ys[0]), "four leaves side by side");
    assert!(
        layout4
            .links
            .iter()
            .all(|l| matches!(l.route, Route::Elbow { .. }))
    );
    let mut five = four;
    five.push(person(6, Some(1)));
    let layout5 = layout(&[], &five, &ChartOptions::default());
    let xs: Vec<f64> = (2..7).map(|id| node(&layout5, id).x).collect();
    assert!(xs.iter().all(|&x| x == xs[0]), "five leaves in one column");
    assert_eq!(layout5.width, 12.0 + 200.0);
}

#[test]
fn the_leaf_block_takes_the_middle_among_the_other_reports() {
    let mut people = vec![person(1, None), person(2, Some(1)), person(3, Some(1))];
    people.extend([person(20, Some(2)), person(30, Some(3))]);
    people.extend((40..46).map(|id| person(id, Some(1))));
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    let block_x = node(&layout, 40).x;
    assert!(node(&layout, 2).x < block_x && block_x < node(&layout, 3).x);
    let middle = (centre(node(&layout, 2)) + centre(node(&layout, 3))) / 2.0;
    assert!((centre(node(&layout, 1)) - middle).abs() < 1e-9);
}

#[test]
fn reporting_loops_are_cut_at_the_smallest_id() {
    let mut people = vec![
        person(5, Some(3)),
        person(3, Some(4)),
        person(4, Some(5)),
        person(6, Some(6)),
        person(7, Some(99)),
        ChartPerson {
            assistant_of: Some(PersonId::new(8)),
            ..person(8, None)
        },
        ChartPerson {
            assistant_of: Some(PersonId::new(98)),
            ..person(9, Some(3))
        },
        // A loop through an assistant link: 11 assists 10, 10 reports to 11.
        person(10, Some(11)),
        assistant(11, 10),
    ];
    people.push(person(12, Some(12)));
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_clean(&layout);
    // 3 -> 4 -> 5 -> 3 is cut at 3, which becomes a root; 3 <- 5 <- 4 remains.
    assert_eq!(superior(&layout, index(&layout, 3)), None);
    assert_eq!(
        superior(&layout, index(&layout, 5)),
        Some(index(&layout, 3))
    );
    assert_eq!(
        superior(&layout, index(&layout, 4)),
        Some(index(&layout, 5))
    );
    for root in [6, 7, 8, 10, 12] {
        assert_eq!(superior(&layout, index(&layout, root)), None, "{root}");
    }
    assert_eq!(
        superior(&layout, index(&layout, 9)),
        Some(index(&layout, 3)),
        "a dangling assistant_of falls back to reports_to"
    );
    assert!(matches!(node(&layout, 11).kind, NodeKind::Assistant { .. }));
    assert_eq!(layout.nodes.len(), 10);
}

#[test]
fn unit_loops_and_unknown_parents_do_not_hang() {
    let units = vec![
        unit(2, Some(1), "B"),
        unit(1, Some(2), "A"),
        unit(3, Some(99), "C"),
        unit(3, None, "C again"),
        unit(4, Some(4), "D"),
    ];
    let people = vec![
        in_unit(1, person(1, None)),
        in_unit(2, person(2, Some(1))),
        in_unit(3, person(3, None)),
        in_unit(4, person(4, None)),
    ];
    let collapse = |ids: &[i64]| ChartOptions {
        collapsed_units: ids.iter().copied().map(UnitId::new).collect(),
        ..ChartOptions::default()
    };
    // The loop is cut at unit 1, which becomes a top unit with 2 below it.
    let whole = layout(&units, &people, &collapse(&[1, 77]));
    assert_eq!(
        collapsed(&whole)
            .iter()
            .map(|c| (c.1, c.2))
            .collect::<Vec<_>>(),
        [(UnitId::new(1), 2)]
    );
    let part = layout(&units, &people, &collapse(&[2, 3, 4]));
    assert_clean(&part);
    let boxes: Vec<(UnitId, usize)> = collapsed(&part).iter().map(|c| (c.1, c.2)).collect();
    assert_eq!(
        boxes,
        [
            (UnitId::new(2), 1),
            (UnitId::new(3), 1),
            (UnitId::new(4), 1)
        ]
    );
    assert!(drawn(&part, 1));
}

#[test]
fn duplicates_and_input_order_do_not_change_the_layout() {
    let (units, mut people) = sales_organisation();
    people.push(ranked(2, in_unit(4, person(8, Some(2)))));
    people.extend((20..40).map(|id| in_unit(3, person(id, Some(5)))));
    let options = ChartOptions {
        max_level_rank: Some(3),
        ..ChartOptions::default()
    };
    let first = layout(&units, &people, &options);
    people.reverse();
    people.rotate_left(7);
    assert_eq!(layout(&units, &people, &options), first);
    assert_clean(&first);
    index(&first, 8);
}

#[test]
fn unusable_sizes_fall_back_to_the_defaults() {
    let people = vec![person(1, None), person(2, Some(1)), assistant(3, 1)];
    let options = ChartOptions {
        box_width: f64::NAN,
        box_height: -5.0,
        h_gap: f64::INFINITY,
        v_gap: f64::NEG_INFINITY,
        caption_height: 0.0,
        leaf_column_height: 0,
        leaf_column_threshold: 0,
        ..ChartOptions::default()
    };
    let odd = layout(&[], &people, &options);
    assert_clean(&odd);
    assert_eq!(node(&odd, 1).width, 200.0);
    assert_eq!(node(&odd, 1).height, 64.0);
    assert!(odd.width.is_finite() && odd.height.is_finite());
}

#[test]
fn a_very_deep_chain_neither_overflows_nor_slows_down() {
    let people: Vec<ChartPerson> = (1..=100_000)
        .map(|id| person(id, (id > 1).then_some(id - 1)))
        .collect();
    let layout = layout(&[], &people, &ChartOptions::default());
    assert_eq!(layout.nodes.len(), 100_000);
    assert_eq!(layout.width, 200.0);
    assert_eq!(layout.height, 99_999.0 * 112.0 + 64.0);
}

#[test]
fn a_unit_of_two_thousand_stays_narrow() {
    let units = vec![unit(1, None, "Vertrieb")];
    let mut people = vec![in_unit(1, person(1, None)), in_unit(1, assistant(2, 1))];
    for lead in 0..20 {
        let lead_id = 10 + lead;
        people.push(in_unit(1, person(lead_id, Some(1))));
        people.extend((0..100).map(|k| in_unit(1, person(1000 + lead * 100 + k, Some(lead_id)))));
    }
    let layout = layout(&units, &people, &ChartOptions::default());
    assert_eq!(layout.nodes.len(), 2_022 + 1);
    assert!(layout.width < 50_000.0, "width {}", layout.width);
    assert!(layout.height < 1_500.0, "height {}", layout.height);
}

#[test]
fn nothing_in_nothing_out() {
    let empty = layout(&[], &[], &ChartOptions::default());
    assert_eq!(empty, Layout::default());
    let stray = Link {
        from: 0,
        to: 1,
        kind: LinkKind::Reports,
        route: Route::Side,
    };
    assert!(stray.path(&empty).is_empty());
    // Units without people draw nothing, not even captions.
    let units = vec![unit(1, None, "Leer")];
    let options = ChartOptions {
        collapsed_units: [UnitId::new(1)].into(),
        ..ChartOptions::default()
    };
    assert_eq!(layout(&units, &[], &options), Layout::default());
}
