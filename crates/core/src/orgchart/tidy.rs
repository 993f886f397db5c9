//! Geometry: Reingold–Tilford placement with per-row contours, assistants beside the boss,
//! stacked leaf columns, unit groups side by side.
//!
//! Subtrees are laid out bottom-up. Each keeps its outline (leftmost and rightmost x per row,
//! relative to its own top box's centre) and each of its boxes keeps its offset from its
//! parent; a final top-down pass adds the offsets up. No recursion, so a 100,000-deep chain
//! of bad data cannot overflow the stack.

use super::forest::Forest;
use super::{ChartOptions, Layout, Link, LinkKind, NodeKind, PlacedNode, Route};

/// The largest size or gap accepted, so that sums of many of them stay finite and exact enough.
const MAX_SIZE: f64 = 10_000.0;

/// Sizes from the options, made safe to compute with.
pub(super) struct Geometry {
    box_width: f64,
    box_height: f64,
    h_gap: f64,
    v_gap: f64,
    /// Distance from one row's top to the next.
    pitch: f64,
    /// Vertical space between stacked leaves.
    column_gap: f64,
    /// Distance from a column's trunk to its boxes.
    indent: f64,
    caption_height: f64,
    leaf_column_threshold: usize,
    leaf_column_height: usize,
}

impl Geometry {
    /// Takes the options' sizes, replacing unusable ones by the defaults (see module docs).
    pub(super) fn new(options: &ChartOptions) -> Self {
        let defaults = ChartOptions::default();
        let size = |value: f64, default: f64| {
            if value.is_finite() && value > 0.0 {
                value.min(MAX_SIZE)
            } else {
                default
            }
        };
        let gap = |value: f64, default: f64| {
            if value.is_finite() && value >= 0.0 {
                value.min(MAX_SIZE)
            } else {
                default
            }
        };
        let box_height = size(options.box_height, defaults.box_height);
        let h_gap = gap(options.h_gap, defaults.h_gap);
        let v_gap = gap(options.v_gap, defaults.v_gap);
        Self {
            box_width: size(options.box_width, defaults.box_width),
            box_height,
            h_gap,
            v_gap,
            pitch: box_height + v_gap,
            column_gap: v_gap / 4.0,
            indent: h_gap / 2.0,
            caption_height: size(options.caption_height, defaults.caption_height),
            leaf_column_threshold: options.leaf_column_threshold,
            leaf_column_height: options.leaf_column_height.max(1),
        }
    }
}

/// The outline of a laid-out subtree: per row (row 0 = the subtree's top row) the leftmost
/// and rightmost x taken by a box or a vertical line.
struct Contour {
    /// Left ends, stored deepest row first so that a parent adds its own row on top with a
    /// push instead of moving every row.
    left: Vec<f64>,
    /// Right ends, same order.
    right: Vec<f64>,
    /// Added to every stored x, so moving a whole subtree costs O(1).
    offset: f64,
}

/// Which side of an outline another one goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

impl Contour {
    fn empty() -> Self {
        Self {
            left: Vec::new(),
            right: Vec::new(),
            offset: 0.0,
        }
    }

    fn rows(&self) -> usize {
        self.left.len()
    }

    fn slot(&self, row: usize) -> usize {
        self.left.len() - 1 - row
    }

    fn left_at(&self, row: usize) -> f64 {
        self.left[self.slot(row)] + self.offset
    }

    fn right_at(&self, row: usize) -> f64 {
        self.right[self.slot(row)] + self.offset
    }

    fn set_left(&mut self, row: usize, x: f64) {
        let slot = self.slot(row);
        self.left[slot] = x - self.offset;
    }

    fn set_right(&mut self, row: usize, x: f64) {
        let slot = self.slot(row);
        self.right[slot] = x - self.offset;
    }

    /// Adds a new row 0 above the others.
    fn push_top(&mut self, left: f64, right: f64) {
        self.left.push(left - self.offset);
        self.right.push(right - self.offset);
    }

    fn shift(&mut self, dx: f64) {
        self.offset += dx;
    }

    /// Leftmost and rightmost x over all rows.
    fn extent(&self) -> (f64, f64) {
        let left = self.left.iter().copied().fold(f64::INFINITY, f64::min);
        let right = self.right.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (left + self.offset, right + self.offset)
    }
}

/// Moves `other`, whose row 0 lies on row `start` of `base`, as close as possible to `base`
/// on the given side while keeping `gap` between them on every row both have. Returns the
/// shift applied to `other` and the outline of both together. Costs the number of shared rows
/// plus, when `other` reaches deeper than `base`, `start`.
fn attach(
    mut base: Contour,
    mut other: Contour,
    start: usize,
    side: Side,
    gap: f64,
) -> (f64, Contour) {
    debug_assert!(
        start == 0 || start < base.rows(),
        "other must start on a row of base"
    );
    let shared = other.rows().min(base.rows().saturating_sub(start));
    let mut shift: Option<f64> = None;
    for row in 0..shared {
        shift = Some(match side {
            Side::Right => {
                let need = base.right_at(start + row) + gap - other.left_at(row);
                shift.map_or(need, |s: f64| s.max(need))
            }
            Side::Left => {
                let need = base.left_at(start + row) - gap - other.right_at(row);
                shift.map_or(need, |s: f64| s.min(need))
            }
        });
    }
    let shift = shift.unwrap_or(0.0);
    other.shift(shift);
    if base.rows() >= start + other.rows() {
        // `other` ends within `base`: its outer side replaces base's on the shared rows.
        for row in 0..other.rows() {
            match side {
                Side::Right => base.set_right(start + row, other.right_at(row)),
                Side::Left => base.set_left(start + row, other.left_at(row)),
            }
        }
        (shift, base)
    } else {
        // `other` reaches deeper: keep its rows, take base's outer side where both have rows
        // and put base's rows above `start` on top.
        for row in 0..shared {
            match side {
                Side::Right => other.set_left(row, base.left_at(start + row)),
                Side::Left => other.set_right(row, base.right_at(start + row)),
            }
        }
        for row in (0..start.min(base.rows())).rev() {
            other.push_top(base.left_at(row), base.right_at(row));
        }
        (shift, other)
    }
}

/// Puts `next` right of the outline built so far and returns where its anchor went.
fn append(row: &mut Option<Contour>, next: Contour, gap: f64) -> f64 {
    match row.take() {
        None => {
            *row = Some(next);
            0.0
        }
        Some(base) => {
            let (shift, merged) = attach(base, next, 0, Side::Right, gap);
            *row = Some(merged);
            shift
        }
    }
}

/// The bottom-up pass and what it records per item.
struct Placer<'a> {
    forest: &'a Forest,
    geo: &'a Geometry,
    /// Offset of an item's box centre from its parent's box centre, and of its top from the
    /// parent's top.
    offset: Vec<(f64, f64)>,
    /// Items stacked in a leaf column.
    in_column: Vec<bool>,
    /// Rows of assistants between an item's row and its reports' row.
    assistant_rows: Vec<usize>,
    /// Outlines of laid-out subtrees until their parent takes them.
    contours: Vec<Option<Contour>>,
}

impl Placer<'_> {
    /// The outline of a finished subtree; leaves are a single box and built on demand.
    fn take(&mut self, item: usize) -> Contour {
        self.contours[item].take().unwrap_or_else(|| {
            let half = self.geo.box_width / 2.0;
            Contour {
                left: vec![-half],
                right: vec![half],
                offset: 0.0,
            }
        })
    }

    /// Lays out the subtree of `item` from its children's subtrees.
    fn subtree(&mut self, item: usize) -> Contour {
        let forest = self.forest;
        let geo = self.geo;
        let reports = forest.reports.get(item);
        let assistants = forest.assistants.get(item);
        // Two assistants fit on the boss's row, the others take rows of two below it.
        let assistant_rows = assistants.len().saturating_sub(1) / 2;
        self.assistant_rows[item] = assistant_rows;
        let reports_top = (assistant_rows + 1) as f64 * geo.pitch;

        let leaves: Vec<usize> = reports
            .iter()
            .copied()
            .filter(|&r| forest.is_leaf(r))
            .collect();
        let stacked = leaves.len() > geo.leaf_column_threshold;
        let singles: Vec<usize> = if stacked {
            reports
                .iter()
                .copied()
                .filter(|&r| !forest.is_leaf(r))
                .collect()
        } else {
            reports.to_vec()
        };
        let block_at = stacked.then_some(singles.len() / 2);

        // The row of reports, left to right; `None` stands for the block of leaf columns.
        let mut row: Option<Contour> = None;
        let mut parts: Vec<(Option<usize>, f64)> = Vec::with_capacity(singles.len() + 1);
        for i in 0..=singles.len() {
            if block_at == Some(i) {
                let block = self.columns(&leaves);
                parts.push((None, append(&mut row, block, geo.h_gap)));
            }
            if let Some(&report) = singles.get(i) {
                let contour = self.take(report);
                parts.push((Some(report), append(&mut row, contour, geo.h_gap)));
            }
        }
        if let (Some(&(_, first)), Some(&(_, last))) = (parts.first(), parts.last()) {
            // Centre the parent over the outermost reports.
            let middle = (first + last) / 2.0;
            if let Some(row) = row.as_mut() {
                row.shift(-middle);
            }
            for (part, at) in parts {
                match part {
                    Some(report) => self.offset[report] = (at - middle, reports_top),
                    None => {
                        for &leaf in &leaves {
                            self.offset[leaf].0 += at - middle;
                            self.offset[leaf].1 += reports_top;
                        }
                    }
                }
            }
        }

        let mut outline = row.unwrap_or_else(Contour::empty);
        // The trunk runs down from the boss through the assistant rows.
        for _ in 0..assistant_rows {
            outline.push_top(0.0, 0.0);
        }
        let half = geo.box_width / 2.0;
        outline.push_top(-half, half);
        // Assistants alternate right and left. Each side is filled from the lowest row up, so
        // a higher assistant's team goes outside a lower one's and no side link crosses it.
        for side in [Side::Right, Side::Left] {
            for (i, &assistant) in assistants.iter().enumerate().rev() {
                if (i % 2 == 0) != (side == Side::Right) {
                    continue;
                }
                let at_row = i / 2;
                let contour = self.take(assistant);
                let (shift, merged) = attach(outline, contour, at_row, side, geo.h_gap);
                outline = merged;
                self.offset[assistant] = (shift, at_row as f64 * geo.pitch);
            }
        }
        outline
    }

    /// Stacks `leaves` in columns centred on x = 0, records their offsets from that centre and
    /// the block's top, and returns the block's outline.
    fn columns(&mut self, leaves: &[usize]) -> Contour {
        let geo = self.geo;
        let columns = leaves.len().div_ceil(geo.leaf_column_height).max(1);
        let (short, longer) = (leaves.len() / columns, leaves.len() % columns);
        let column_width = geo.indent + geo.box_width;
        let width = columns as f64 * column_width + (columns - 1) as f64 * geo.h_gap;
        let left = -width / 2.0;
        let mut rest = leaves;
        for column in 0..columns {
            let length = short + usize::from(column < longer);
            let (these, others) = rest.split_at(length.min(rest.len()));
            rest = others;
            let centre = left
                + column as f64 * (column_width + geo.h_gap)
                + geo.indent
                + geo.box_width / 2.0;
            for (k, &leaf) in these.iter().enumerate() {
                self.offset[leaf] = (centre, k as f64 * (geo.box_height + geo.column_gap));
                self.in_column[leaf] = true;
            }
        }
        let tallest = (short + usize::from(longer > 0)).max(1);
        let height = tallest as f64 * geo.box_height + (tallest - 1) as f64 * geo.column_gap;
        // Claim whole rows, down to at least one column gap below the lowest box.
        let rows = ((height + geo.column_gap) / geo.pitch).ceil().max(1.0) as usize;
        Contour {
            left: vec![left; rows],
            right: vec![-left; rows],
            offset: 0.0,
        }
    }
}

/// Places every item of `forest`.
pub(super) fn place(forest: &Forest, geo: &Geometry) -> Layout {
    let items = forest.kinds.len();
    let mut placer = Placer {
        forest,
        geo,
        offset: vec![(0.0, 0.0); items],
        in_column: vec![false; items],
        assistant_rows: vec![0; items],
        contours: std::iter::repeat_with(|| None).take(items).collect(),
    };
    let order = forest.top_down();
    for &item in order.iter().rev() {
        if !forest.is_leaf(item) {
            let contour = placer.subtree(item);
            placer.contours[item] = Some(contour);
        }
    }

    // Groups side by side, each packed like siblings, captions on top.
    let has_caption = forest.groups.iter().any(|g| g.unit.is_some());
    let top = if has_caption {
        geo.caption_height + geo.v_gap / 2.0
    } else {
        0.0
    };
    let mut centre_x = vec![0.0_f64; items];
    let mut top_y = vec![0.0_f64; items];
    let mut captions = Vec::new();
    let mut cursor = 0.0;
    for group in &forest.groups {
        let mut row: Option<Contour> = None;
        let mut at = Vec::with_capacity(group.roots.len());
        for &root in &group.roots {
            let contour = placer.take(root);
            at.push(append(&mut row, contour, geo.h_gap));
        }
        let (lo, hi) = row.map_or((0.0, 0.0), |row| row.extent());
        for (&root, at) in group.roots.iter().zip(at) {
            centre_x[root] = cursor - lo + at;
            top_y[root] = top;
        }
        captions.push((cursor, hi - lo));
        cursor += hi - lo + 2.0 * geo.h_gap;
    }
    for &item in &order {
        if let Some(up) = forest.parent[item] {
            let (dx, dy) = placer.offset[item];
            centre_x[item] = centre_x[up] + dx;
            top_y[item] = top_y[up] + dy;
        }
    }

    // Emit per group: caption, then preorder (box, assistants, reports).
    let mut node_of = vec![usize::MAX; items];
    let mut nodes = Vec::with_capacity(items + captions.len());
    let mut links = Vec::with_capacity(items);
    let mut stack: Vec<usize> = Vec::new();
    for (group, &(x, width)) in forest.groups.iter().zip(&captions) {
        if let Some(unit_id) = group.unit {
            nodes.push(PlacedNode {
                kind: NodeKind::UnitCaption { unit_id },
                x,
                y: 0.0,
                width,
                height: geo.caption_height,
            });
        }
        stack.extend(group.roots.iter().rev());
        while let Some(item) = stack.pop() {
            node_of[item] = nodes.len();
            // Rounding can leave a left edge a hair below zero; never hand out negatives.
            let x = (centre_x[item] - geo.box_width / 2.0).max(0.0);
            nodes.push(PlacedNode {
                kind: forest.kinds[item],
                x,
                y: top_y[item],
                width: geo.box_width,
                height: geo.box_height,
            });
            if let Some(up) = forest.parent[item] {
                let bus_y = top_y[up] + (placer.assistant_rows[up] + 1) as f64 * geo.pitch
                    - geo.v_gap / 2.0;
                let (kind, route) = if forest.is_assistant[item] {
                    (LinkKind::Assists, Route::Side)
                } else if placer.in_column[item] {
                    let trunk_x = (x - geo.indent).max(0.0);
                    (LinkKind::Reports, Route::Column { bus_y, trunk_x })
                } else {
                    (LinkKind::Reports, Route::Elbow { bus_y })
                };
                links.push(Link {
                    from: node_of[up],
                    to: node_of[item],
                    kind,
                    route,
                });
            }
            stack.extend(forest.reports.get(item).iter().rev());
            stack.extend(forest.assistants.get(item).iter().rev());
        }
    }
    let width = nodes.iter().map(|n| n.x + n.width).fold(0.0, f64::max);
    let height = nodes.iter().map(|n| n.y + n.height).fold(0.0, f64::max);
    Layout {
        nodes,
        links,
        width,
        height,
    }
}
