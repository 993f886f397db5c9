//! The portfolio picture: accounts as points, importance against relationship health, in
//! four labelled quadrants. Core computes where everything goes; the web layer draws it.

use serde::Serialize;

use crate::account::Relation;
use crate::ids::AccountId;

/// One account to plot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioAccount {
    /// Its id.
    pub id: AccountId,
    /// Its name, the point's label.
    pub name: String,
    /// Importance 0–100.
    pub score: f64,
    /// Mean of the latest relationship ratings of its key contacts' primary counterparts, 1–5.
    pub health: f64,
    /// An internal department (drawn as a diamond) rather than an external company (circle).
    pub internal: bool,
    /// Customer (filled), supplier (hollow) or both (half).
    pub relation: Relation,
}

/// A plotted account with its label position, in picture coordinates (y grows downward).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedPoint {
    /// The account.
    pub account: PortfolioAccount,
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// Label baseline x.
    pub label_x: f64,
    /// Label baseline y.
    pub label_y: f64,
    /// `start` (label right of the point) or `end` (left of it, near the right edge).
    pub label_anchor: &'static str,
    /// Whether the label is drawn: in a crowd, a label that finds no free place near its
    /// point is left out (the name stays in the point's tooltip and the table below).
    pub labelled: bool,
}

/// The whole picture.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Portfolio {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The plot area: left, top, right, bottom.
    pub area: (f64, f64, f64, f64),
    /// Where the quadrants divide: x of the importance split, y of the health split.
    pub split: (f64, f64),
    /// The points.
    pub points: Vec<PlacedPoint>,
    /// Grid ticks: (x, importance value) and (y, health value).
    pub x_ticks: Vec<(f64, i64)>,
    /// Health ticks.
    pub y_ticks: Vec<(f64, i64)>,
}

/// Height of a label line, for keeping labels apart.
const LABEL_HEIGHT: f64 = 14.0;
/// Rough width of one label character at the chart's font size (12 px).
const CHAR_WIDTH: f64 = 7.0;
/// How far a label stands from its point's centre.
const LABEL_GAP: f64 = 9.0;
/// Half the size of a point's mark.
const MARK: f64 = 7.0;
/// At most this many labels: beyond, a picture is a wall of text (the table names them all).
const MAX_LABELS: usize = 100;
/// Grid cell for finding the marks near a label.
const CELL: f64 = 32.0;

/// A box: left, top, right, bottom.
type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Where a label may go, in order of preference: beside its point on the right, on the left,
/// then a line below or above, then two.
fn label_places(
    x: f64,
    y: f64,
    width: f64,
) -> impl Iterator<Item = (f64, f64, &'static str, Rect)> {
    [0.0, 1.0, -1.0, 2.0, -2.0]
        .into_iter()
        .flat_map(move |line| {
            let baseline = y + 4.0 + line * LABEL_HEIGHT;
            let (top, bottom) = (baseline - LABEL_HEIGHT + 3.0, baseline + 3.0);
            [
                (
                    x + LABEL_GAP,
                    baseline,
                    "start",
                    (x + LABEL_GAP, top, x + LABEL_GAP + width, bottom),
                ),
                (
                    x - LABEL_GAP,
                    baseline,
                    "end",
                    (x - LABEL_GAP - width, top, x - LABEL_GAP, bottom),
                ),
            ]
        })
}

/// Places the accounts. `importance_split` is where "important" begins (e.g. the tier-A
/// threshold); the health split is 3 ("fair"). Each label takes the first free place beside
/// its point (right, left, a line or two below or above) where it covers no other label and
/// stays inside the picture, preferring places that cover no other account's mark; the most
/// important accounts are placed first, and a label that finds no room is left out (the name
/// stays in the point's tooltip and in the table).
pub fn layout(
    accounts: Vec<PortfolioAccount>,
    importance_split: f64,
    width: f64,
    height: f64,
) -> Portfolio {
    let (left, top, right, bottom) = (56.0, 16.0, width - 16.0, height - 44.0);
    let x_of = |score: f64| left + score.clamp(0.0, 100.0) / 100.0 * (right - left);
    let y_of = |health: f64| top + (5.0 - health.clamp(1.0, 5.0)) / 4.0 * (bottom - top);
    let mut points: Vec<PlacedPoint> = accounts
        .into_iter()
        .map(|account| {
            let (x, y) = (x_of(account.score), y_of(account.health));
            PlacedPoint {
                label_x: x + LABEL_GAP,
                label_y: y + 4.0,
                label_anchor: "start",
                labelled: false,
                account,
                x,
                y,
            }
        })
        .collect();
    // The marks, by grid cell, to test a label against the few near it.
    let cell = |v: f64| (v / CELL).floor() as i64;
    let mut marks: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for (i, p) in points.iter().enumerate() {
        marks.entry((cell(p.x), cell(p.y))).or_default().push(i);
    }
    // Labels go to the most important accounts first.
    let mut by_importance: Vec<usize> = (0..points.len()).collect();
    by_importance.sort_by(|&a, &b| {
        let (a, b) = (&points[a], &points[b]);
        b.account
            .score
            .total_cmp(&a.account.score)
            .then(a.account.id.cmp(&b.account.id))
    });
    let mut placed: Vec<Rect> = Vec::new();
    for i in by_importance {
        if placed.len() == MAX_LABELS {
            break;
        }
        let (x, y) = (points[i].x, points[i].y);
        let label_width = points[i].account.name.chars().count() as f64 * CHAR_WIDTH;
        let covers_a_mark = |r: Rect| {
            (cell(r.0 - MARK)..=cell(r.2 + MARK)).any(|cx| {
                (cell(r.1 - MARK)..=cell(r.3 + MARK)).any(|cy| {
                    marks.get(&(cx, cy)).is_some_and(|list| {
                        list.iter().any(|&j| {
                            let q = &points[j];
                            j != i && overlaps(r, (q.x - MARK, q.y - MARK, q.x + MARK, q.y + MARK))
                        })
                    })
                })
            })
        };
        let open = |r: Rect| {
            r.0 >= 0.0
                && r.2 <= width
                && r.1 >= top
                && r.3 <= bottom
                && !placed.iter().any(|&p| overlaps(p, r))
        };
        // In a crowd every place covers some mark: then a label only keeps off the others.
        let free = label_places(x, y, label_width)
            .find(|&(_, _, _, r)| open(r) && !covers_a_mark(r))
            .or_else(|| label_places(x, y, label_width).find(|&(_, _, _, r)| open(r)));
        if let Some((lx, ly, anchor, rect)) = free {
            let point = &mut points[i];
            (point.label_x, point.label_y, point.label_anchor) = (lx, ly, anchor);
            point.labelled = true;
            placed.push(rect);
        }
    }
    // Deterministic drawing order: top to bottom, then left to right, then by id.
    points.sort_by(|a, b| {
        a.y.total_cmp(&b.y)
            .then(a.x.total_cmp(&b.x))
            .then(a.account.id.cmp(&b.account.id))
    });
    Portfolio {
        width,
        height,
        area: (left, top, right, bottom),
        split: (x_of(importance_split), y_of(3.0)),
        points,
        x_ticks: (0..=100).step_by(20).map(|v| (x_of(v as f64), v)).collect(),
        y_ticks: (1..=5).map(|v| (y_of(v as f64), v)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: i64, score: f64, health: f64) -> PortfolioAccount {
        PortfolioAccount {
            id: AccountId::new(id),
            name: format!("A{id}"),
            score,
            health,
            internal: false,
            relation: Relation::Customer,
        }
    }

    #[test]
    fn points_land_in_their_quadrants() {
        let p = layout(
            vec![account(1, 90.0, 4.5), account(2, 10.0, 1.5)],
            70.0,
            600.0,
            400.0,
        );
        let (sx, sy) = p.split;
        let important = p
            .points
            .iter()
            .find(|q| q.account.id == AccountId::new(1))
            .unwrap();
        let minor = p
            .points
            .iter()
            .find(|q| q.account.id == AccountId::new(2))
            .unwrap();
        assert!(important.x > sx && important.y < sy, "right and up");
        assert!(minor.x < sx && minor.y > sy, "left and down");
        let (left, top, right, bottom) = p.area;
        for q in &p.points {
            assert!((left..=right).contains(&q.x) && (top..=bottom).contains(&q.y));
        }
    }

    /// The box a placed label covers.
    fn label_box(p: &PlacedPoint) -> Rect {
        let w = p.account.name.chars().count() as f64 * CHAR_WIDTH;
        let (top, bottom) = (p.label_y - LABEL_HEIGHT + 3.0, p.label_y + 3.0);
        match p.label_anchor {
            "start" => (p.label_x, top, p.label_x + w, bottom),
            _ => (p.label_x - w, top, p.label_x, bottom),
        }
    }

    fn assert_apart(p: &Portfolio) {
        assert_labels_apart(p);
        let labels: Vec<&PlacedPoint> = p.points.iter().filter(|q| q.labelled).collect();
        for a in &labels {
            for q in &p.points {
                let mark = (q.x - MARK, q.y - MARK, q.x + MARK, q.y + MARK);
                assert!(
                    q.account.id == a.account.id || !overlaps(label_box(a), mark),
                    "{} covers {}",
                    a.account.name,
                    q.account.name
                );
            }
        }
    }

    fn assert_labels_apart(p: &Portfolio) {
        let labels: Vec<&PlacedPoint> = p.points.iter().filter(|q| q.labelled).collect();
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!(
                    !overlaps(label_box(a), label_box(b)),
                    "{} over {}",
                    a.account.name,
                    b.account.name
                );
            }
        }
    }

    #[test]
    fn labels_do_not_overlap() {
        let accounts = (0..6).map(|i| account(i, 50.0, 3.0)).collect();
        let p = layout(accounts, 70.0, 600.0, 400.0);
        assert_apart(&p);
        assert!(p.points.iter().filter(|q| q.labelled).count() >= 4);
    }

    #[test]
    fn long_names_close_together_move_apart_instead_of_printing_over_each_other() {
        // As in the demo: two long names a few points apart at nearly the same health.
        let mut hansa = account(1, 62.0, 3.4);
        hansa.name = "Hansa Bürodienste GmbH".into();
        let mut brandt = account(2, 58.0, 3.5);
        brandt.name = "Brandt & Söhne Industriewerke AG".into();
        let mut isar = account(3, 66.0, 3.3);
        isar.name = "Isar Asset & Property Management GmbH".into();
        let p = layout(vec![hansa, brandt, isar], 70.0, 860.0, 520.0);
        assert!(
            p.points.iter().all(|q| q.labelled),
            "room enough for all three"
        );
        assert_apart(&p);
    }

    #[test]
    fn a_crowd_labels_the_most_important_and_keeps_labels_inside() {
        let accounts = (0..2000)
            .map(|i| account(i, (i % 100) as f64, 1.0 + (i % 41) as f64 / 10.0))
            .collect();
        let p = layout(accounts, 70.0, 860.0, 520.0);
        assert_eq!(p.points.len(), 2000, "every account is a point");
        let labels: Vec<&PlacedPoint> = p.points.iter().filter(|q| q.labelled).collect();
        assert!(!labels.is_empty() && labels.len() < 400, "{}", labels.len());
        assert_labels_apart(&p);
        let (_, _, _, bottom) = p.area;
        assert!(labels.iter().all(|q| q.label_y <= bottom));
        let top = p
            .points
            .iter()
            .filter(|q| q.account.score == 99.0)
            .find(|q| q.labelled);
        assert!(
            top.is_some(),
            "some of the most important accounts are named"
        );
    }

    #[test]
    fn labels_near_the_right_edge_flip_to_the_left() {
        let p = layout(vec![account(1, 99.0, 3.0)], 70.0, 600.0, 400.0);
        assert_eq!(p.points[0].label_anchor, "end");
        assert!(p.points[0].label_x < p.points[0].x);
    }

    #[test]
    fn out_of_range_values_are_clamped() {
        let p = layout(vec![account(1, 140.0, 9.0)], 70.0, 600.0, 400.0);
        assert_eq!(p.points[0].x, p.area.2);
        assert_eq!(p.points[0].y, p.area.1);
    }
}
