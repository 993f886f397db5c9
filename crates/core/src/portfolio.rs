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
/// Rough width of one label character at the chart's font size.
const CHAR_WIDTH: f64 = 7.0;
/// Width within which two labels at similar heights collide.
const LABEL_SPAN: f64 = 120.0;
/// How many lines a label may be pushed down from its point before it is left out.
const LABEL_SHIFTS: usize = 2;

/// Places the accounts. `importance_split` is where "important" begins (e.g. the tier-A
/// threshold); the health split is 3 ("fair"). Labels sit right of their point and are pushed
/// down a line or two when they would overlap a label placed before; the most important
/// accounts are placed first, and a label that still finds no room is left out.
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
            // A label that would run past the right edge goes to the left of its point.
            let fits = x + 9.0 + account.name.chars().count() as f64 * CHAR_WIDTH <= width;
            PlacedPoint {
                label_x: if fits { x + 9.0 } else { x - 9.0 },
                label_y: y + 4.0,
                label_anchor: if fits { "start" } else { "end" },
                labelled: false,
                account,
                x,
                y,
            }
        })
        .collect();
    // Labels go to the most important accounts first.
    let mut by_importance: Vec<usize> = (0..points.len()).collect();
    by_importance.sort_by(|&a, &b| {
        let (a, b) = (&points[a], &points[b]);
        b.account
            .score
            .total_cmp(&a.account.score)
            .then(a.account.id.cmp(&b.account.id))
    });
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for i in by_importance {
        let point = &mut points[i];
        let free = (0..=LABEL_SHIFTS)
            .map(|shift| point.label_y + shift as f64 * LABEL_HEIGHT)
            .take_while(|y| *y <= bottom)
            .find(|y| {
                !placed.iter().any(|(lx, ly)| {
                    (lx - point.label_x).abs() < LABEL_SPAN && (ly - y).abs() < LABEL_HEIGHT
                })
            });
        if let Some(y) = free {
            point.label_y = y;
            point.labelled = true;
            placed.push((point.label_x, y));
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

    #[test]
    fn labels_do_not_overlap() {
        let accounts = (0..6).map(|i| account(i, 50.0, 3.0)).collect();
        let p = layout(accounts, 70.0, 600.0, 400.0);
        let labels: Vec<&PlacedPoint> = p.points.iter().filter(|q| q.labelled).collect();
        assert_eq!(
            labels.len(),
            1 + LABEL_SHIFTS,
            "one line each, then no more room"
        );
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert!((a.label_y - b.label_y).abs() >= LABEL_HEIGHT - 1e-9);
            }
        }
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
