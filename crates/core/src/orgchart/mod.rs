//! The org chart as a picture: where every box and every line goes.
//!
//! [`layout`] takes the units (in unit-tree order) and the people of a chart and returns placed
//! boxes and the links between them. It computes geometry only; the web layer draws the boxes
//! (name, job title, a colour band per level) and strokes each [`Link::path`].
//!
//! # What the picture looks like
//!
//! - **Rows.** Boxes are `box_width × box_height` and sit on rows `box_height + v_gap` apart;
//!   only stacked leaves (below) sit between row lines.
//! - **Tidy tree.** Every person is centred over their reports (the outermost two, so over the
//!   whole row of them). Sibling subtrees, ordered by `sort_key` and then id, are pushed
//!   together until their outlines are `h_gap` apart on some row: Reingold–Tilford with
//!   per-row contours. Moving a subtree costs O(1) (an offset) and joining two outlines costs
//!   the smaller depth, so the whole layout is linear apart from sorting siblings.
//! - **Assistants** (`assistant_of`) are never among the reports. The first stands right of
//!   the boss on the boss's row, the second left of the boss; a link runs from the boss's side.
//!   Any further ones hang off the vertical trunk below the boss, in pairs (right, left) on rows
//!   of their own, and the reports start below them. An assistant's own reports hang below the
//!   assistant as a normal subtree; such a team is kept clear of the boss's team, so its side
//!   link grows as long as needed (it never crosses a box or line). An assistant whose boss is
//!   not drawn as a box of their own (filtered out or collapsed) becomes an ordinary report of
//!   whatever box stands for the boss.
//! - **Leaf columns.** When a box has more than `leaf_column_threshold` reports without reports
//!   or assistants of their own, those leaves are stacked in columns of at most
//!   `leaf_column_height` boxes (evenly filled, in sort order, top to bottom then left to right)
//!   with `v_gap / 4` between boxes. Each column has a vertical trunk `h_gap / 2` left of its
//!   boxes. The block of columns takes the middle place among the other reports (or is alone).
//!   100 leaves with the defaults make 9 columns of 11–12 boxes, about 2,100 px wide.
//! - **Unit groups.** Items without a drawn superior are roots. Roots are grouped by their unit
//!   (a collapsed unit's placeholder by that unit); groups follow the order of the `units`
//!   slice, people without a known unit come last. Each group is packed like siblings, gets a
//!   [`NodeKind::UnitCaption`] box spanning the group's width and `caption_height` high at the
//!   top (`y = 0`), and groups stand side by side `2 × h_gap` apart; rows start
//!   `caption_height + v_gap / 2` below the top when there is any caption.
//! - **Level filter.** With `max_level_rank = Some(m)`, people whose `level_rank` is above `m`
//!   are not drawn (people without a level always are). A drawn person under a hidden one hangs
//!   below their nearest drawn superior. `hidden_reports` of a drawn person counts every person
//!   not drawn whose nearest drawn superior they are: direct and indirect reports and
//!   assistants, the "+37" of the UI.
//! - **Collapsed units.** The people of a unit in `collapsed_units` and of all units below it
//!   are drawn as one [`NodeKind::CollapsedUnit`] box (the outermost collapsed unit wins when
//!   nested ones are collapsed too). `people` counts all of them, whatever the level filter.
//!   The box stands where the unit's topmost person stands: the member highest up in the
//!   reporting tree (ties by `sort_key`, then id) gives it its superior and its sort key.
//!   People outside who report to a member hang below the box. A collapsed unit whose people
//!   are all hidden by the level filter is not drawn; its people count as hidden. A collapsed
//!   unit without people is not drawn. People hidden by the level filter whose nearest drawn
//!   superior is such a box are not counted anywhere (the box has no "+N").
//!
//! # Bad input
//!
//! Nothing panics or loops, and every person who passes the filters is placed exactly once:
//!
//! - A `reports_to` or `assistant_of` naming the person themselves or an id not in `people` is
//!   ignored. A valid `assistant_of` wins over `reports_to`.
//! - Loops (through `reports_to` and `assistant_of` alike) are cut at their member with the
//!   smallest id, who becomes a root. Loops in the unit tree are cut at the unit with the
//!   smallest id, which becomes a top unit.
//! - A unit parent not in `units` makes a top unit. A person's `unit_id` not in `units` counts
//!   as no unit. Ids in `collapsed_units` that are not in `units` are ignored.
//! - Duplicate unit ids: the first one counts. Duplicate person ids: the one that is smallest
//!   by all fields counts, so the result never depends on the order of `people`.
//! - Non-finite, negative or zero sizes fall back to the defaults; sizes and gaps are capped
//!   at 10,000 px; a `leaf_column_height` of 0 counts as 1.

mod forest;
mod outline;
mod tidy;

pub use outline::outline;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::ids::{PersonId, UnitId};

/// A unit of the chart. The order of the `units` slice is the order of the unit groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartUnit {
    /// Its id.
    pub id: UnitId,
    /// The unit above it; `None`, an unknown id or its own id make it a top unit.
    pub parent_id: Option<UnitId>,
    /// Display name. Not used for geometry; the web layer prints it in captions and
    /// placeholders.
    pub name: String,
}

/// A person of the chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartPerson {
    /// Its id.
    pub id: PersonId,
    /// The unit the person belongs to, if any.
    pub unit_id: Option<UnitId>,
    /// The manager. Ignored when `assistant_of` names a person in the chart.
    pub reports_to: Option<PersonId>,
    /// The boss this person assists; the person is then drawn beside that boss.
    pub assistant_of: Option<PersonId>,
    /// Rank of the hierarchy level, 1 at the top; `None` when unknown (always drawn).
    pub level_rank: Option<i64>,
    /// Orders siblings (ties by id), e.g. the level rank zero-padded followed by the name.
    pub sort_key: String,
}

/// What to draw and how big. [`Default`] gives 200×64 boxes, gaps 24/48, leaf columns for
/// more than 4 leaves with up to 12 boxes each, 28 px captions, no filter, nothing collapsed.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    /// Draw only people with this level rank or a smaller one (and people without a level).
    pub max_level_rank: Option<i64>,
    /// Units drawn as one placeholder box each, together with all units below them.
    pub collapsed_units: BTreeSet<UnitId>,
    /// Width of every person and placeholder box, px.
    pub box_width: f64,
    /// Height of every person and placeholder box, px.
    pub box_height: f64,
    /// Least horizontal space between boxes (and between a box and a vertical line), px.
    pub h_gap: f64,
    /// Vertical space between rows, px; a quarter of it separates stacked leaves.
    pub v_gap: f64,
    /// Leaf reports are stacked in columns when a box has more than this many of them.
    pub leaf_column_threshold: usize,
    /// The most boxes in one stacked column.
    pub leaf_column_height: usize,
    /// Height of a unit group's caption box, px.
    pub caption_height: f64,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            max_level_rank: None,
            collapsed_units: BTreeSet::new(),
            box_width: 200.0,
            box_height: 64.0,
            h_gap: 24.0,
            v_gap: 48.0,
            leaf_column_threshold: 4,
            leaf_column_height: 12,
            caption_height: 28.0,
        }
    }
}

/// What a placed box shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeKind {
    /// A person in the tree.
    Person {
        /// Who.
        id: PersonId,
        /// People not drawn whose nearest drawn superior this person is (for a "+N" badge).
        hidden_reports: usize,
    },
    /// An assistant drawn beside their boss.
    Assistant {
        /// Who.
        id: PersonId,
        /// The boss, who is drawn as well.
        of: PersonId,
        /// People not drawn whose nearest drawn superior this assistant is.
        hidden_reports: usize,
    },
    /// The people of a collapsed unit and its sub-units, drawn as one box.
    CollapsedUnit {
        /// The collapsed unit.
        unit_id: UnitId,
        /// How many people it stands for (all levels).
        people: usize,
    },
    /// The caption over a group of roots: spans the group's width, `caption_height` high.
    UnitCaption {
        /// The unit whose roots are below.
        unit_id: UnitId,
    },
}

/// A box of the picture. Coordinates are px, `x`/`y` the top-left corner, never negative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlacedNode {
    /// What it shows.
    pub kind: NodeKind,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// What a link means (for styling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// From a superior (person or collapsed unit) to a report.
    Reports,
    /// From a boss to their assistant.
    Assists,
}

/// How a link runs; [`Link::path`] turns it into points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Route {
    /// Down from the bottom centre of `from` to `bus_y`, across, and down to the top centre of
    /// `to`. All reports of one superior share `bus_y`, so their lines form one bus.
    Elbow {
        /// Height of the horizontal segment (in the gap above the row of reports).
        bus_y: f64,
    },
    /// A stacked leaf: down from `from` to `bus_y`, across to the column's trunk at `trunk_x`,
    /// down the trunk to the middle of `to` and right into its left edge.
    Column {
        /// Height of the horizontal segment, shared with the other reports of `from`.
        bus_y: f64,
        /// The x of the column's vertical trunk, `h_gap / 2` left of its boxes.
        trunk_x: f64,
    },
    /// An assistant: on the boss's row, a horizontal line from the boss's side to the
    /// assistant's near side; below it, down the boss's trunk and across to the near side.
    Side,
}

/// A line between two placed boxes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Link {
    /// Index into [`Layout::nodes`] of the superior or boss.
    pub from: usize,
    /// Index into [`Layout::nodes`] of the report or assistant.
    pub to: usize,
    /// Report or assistant.
    pub kind: LinkKind,
    /// How the line runs.
    pub route: Route,
}

impl Link {
    /// The orthogonal polyline to stroke, in px, with no two equal points in a row. Empty when
    /// `from` or `to` is not a node of `layout`.
    pub fn path(&self, layout: &Layout) -> Vec<(f64, f64)> {
        let (Some(from), Some(to)) = (layout.nodes.get(self.from), layout.nodes.get(self.to))
        else {
            return Vec::new();
        };
        let from_x = from.x + from.width / 2.0;
        let from_bottom = from.y + from.height;
        let to_x = to.x + to.width / 2.0;
        let to_middle = to.y + to.height / 2.0;
        let mut points = match self.route {
            Route::Elbow { bus_y } => vec![
                (from_x, from_bottom),
                (from_x, bus_y),
                (to_x, bus_y),
                (to_x, to.y),
            ],
            Route::Column { bus_y, trunk_x } => vec![
                (from_x, from_bottom),
                (from_x, bus_y),
                (trunk_x, bus_y),
                (trunk_x, to_middle),
                (to.x, to_middle),
            ],
            Route::Side => {
                let rightwards = to_x >= from_x;
                let near_edge = if rightwards { to.x } else { to.x + to.width };
                if to.y < from_bottom {
                    // Same row: straight across from the boss's side.
                    let side = if rightwards {
                        from.x + from.width
                    } else {
                        from.x
                    };
                    vec![(side, to_middle), (near_edge, to_middle)]
                } else {
                    vec![
                        (from_x, from_bottom),
                        (from_x, to_middle),
                        (near_edge, to_middle),
                    ]
                }
            }
        };
        points.dedup();
        points
    }
}

/// The placed chart: boxes, links and the size of the picture (px).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Layout {
    /// Every box: per unit group its caption (if any), then its items in preorder (a box, its
    /// assistants, its reports).
    pub nodes: Vec<PlacedNode>,
    /// Every line; each box except captions and roots is the `to` of exactly one link.
    pub links: Vec<Link>,
    /// Right edge of the rightmost box.
    pub width: f64,
    /// Bottom edge of the lowest box.
    pub height: f64,
}

/// Places the chart; see the [module docs](self) for the rules. Deterministic: the same units
/// and the same people in any order give the same layout.
pub fn layout(units: &[ChartUnit], people: &[ChartPerson], options: &ChartOptions) -> Layout {
    let forest = forest::build(units, people, options);
    tidy::place(&forest, &tidy::Geometry::new(options))
}
