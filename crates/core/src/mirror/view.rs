//! The mirror view of one account as a picture: where every box and every line goes.
//!
//! [`layout`] takes an account (its key contacts and their current assignments) and our staff
//! and returns placed boxes and lines. It computes geometry only; the web layer draws the boxes
//! (name, level, a warning for an uncovered contact), colours the lines by [`Health`] and words
//! every label.
//!
//! # What the picture looks like
//!
//! - **Two columns.** The partner's key contacts ("theirs") stand in the left column at
//!   `x = margin`; the people of ours who hold them (a current primary or deputy assignment)
//!   in the right column at `x = width − margin − node_width`. Boxes are
//!   `node_width × node_height`, `x`/`y` their top-left corner.
//! - **Level bands.** Both columns share horizontal bands, one per level rank that anybody
//!   drawn has, rank 1 (the top of the ladder) at the top, larger ranks below, and last a band
//!   for everyone whose level is unknown. A band holding `n` boxes in its fuller column is
//!   `n × (node_height + row_gap) + 2 × band_padding` high; bands are stacked without gaps from
//!   `y = margin`, and the picture is `margin` taller than the last band. Inside a band, boxes
//!   are stacked from `band top + band_padding`, `node_height + row_gap` apart, in both columns
//!   alike, so the first contact and the first holder of a band stand on the same height.
//! - **Lines.** One line joins a contact and each person of ours holding them, from the
//!   middle of the contact's right edge to the middle of our person's left edge. A
//!   level-matched pair on the same row is horizontal; a line to a lower level of ours slopes
//!   down, one to a higher level slopes up.
//! - **Order.** Contacts in a band by influence (clamped to 1–5) descending, then person id.
//!   Our people in a band by the barycenter of the contacts they hold (the mean of those
//!   contacts' box centres), then person id: a person holding contacts higher up stands higher
//!   up, which avoids the crossings that sorting by id alone would make. The output never
//!   depends on the order of the input slices (apart from which copy of a duplicated entry
//!   counts, below).
//!
//! # Which data count
//!
//! - A person listed twice among the key contacts is drawn once, with the first copy's level
//!   and flags and the higher influence (as in [`super::analysis`]).
//! - Assignments whose partner is not a key contact are ignored (the account also carries the
//!   assignments of assistants' bosses, for the suggestions). The caller passes only current
//!   assignments.
//! - A contact is [`covered`](NodeBox::covered) when at least one current primary holds them;
//!   a contact held only by a deputy is not, but the deputy's line is drawn. When several
//!   current primaries hold one contact (a handover in progress), all are drawn and the one the
//!   analysis counts (the one that started last, ties: the smaller id of ours) has
//!   [`LineBox::counts`] set.
//! - When one person of ours holds a contact both as primary and as deputy (bad data), one
//!   line is drawn, the primary one. Duplicates of the same assignment count once (the first).
//! - Our people are looked up in `people` (the first copy of a duplicated id counts). A holder
//!   missing there still gets a box, with an unknown level and not flagged as an assistant.
//!
//! # Bad input
//!
//! Nothing panics. Non-finite or non-positive sizes (`width`, `node_width`, `node_height`) and
//! non-finite or negative gaps (`row_gap`, `band_padding`, `margin`) fall back to the
//! defaults; all are capped at 10,000 px. The width is widened to at least
//! `2 × margin + 3 × node_width`, so the columns keep one box width between them. The geometry
//! actually used is returned in [`MirrorView::geometry`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::analysis::unique_contacts;
use super::index::{PartnerAssignments, Staff, assignments_by_contact};
use super::{MirrorAccount, MirrorContact, OurPerson, level_distance};
use crate::account::{AssignmentKind, Health};
use crate::ids::PersonId;

/// The largest size or gap taken from a [`Geometry`], px.
const MAX_SIZE: f64 = 10_000.0;

/// Sizes of the picture, px. [`Default`] gives a 760 px wide picture (fits a printed A4 page
/// in portrait) with 220 × 44 boxes, 12 px between rows, 10 px band padding and a 16 px margin.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Geometry {
    /// Width of the whole picture.
    pub width: f64,
    /// Width of every box.
    pub node_width: f64,
    /// Height of every box.
    pub node_height: f64,
    /// Vertical space below every box inside a band.
    pub row_gap: f64,
    /// Space at the top and at the bottom of every band.
    pub band_padding: f64,
    /// Space around the picture: left of the left column, right of the right column, above
    /// the first band and below the last.
    pub margin: f64,
}

impl Default for Geometry {
    fn default() -> Self {
        Self {
            width: 760.0,
            node_width: 220.0,
            node_height: 44.0,
            row_gap: 12.0,
            band_padding: 10.0,
            margin: 16.0,
        }
    }
}

impl Geometry {
    /// The geometry made safe to compute with (see the module docs, "Bad input").
    fn sanitized(&self) -> Self {
        let defaults = Self::default();
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
        let node_width = size(self.node_width, defaults.node_width);
        let margin = gap(self.margin, defaults.margin);
        Self {
            width: size(self.width, defaults.width).max(2.0 * margin + 3.0 * node_width),
            node_width,
            node_height: size(self.node_height, defaults.node_height),
            row_gap: gap(self.row_gap, defaults.row_gap),
            band_padding: gap(self.band_padding, defaults.band_padding),
            margin,
        }
    }

    /// The vertical distance from one box of a column to the next in the same band.
    fn pitch(&self) -> f64 {
        self.node_height + self.row_gap
    }
}

/// A level band, spanning the whole width.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BandBox {
    /// The level rank of everybody in it; `None` for the last band, "level unknown".
    pub rank: Option<i64>,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub height: f64,
}

/// A placed box: a key contact of theirs or a person of ours. `node_width × node_height` px
/// (see [`MirrorView::geometry`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeBox {
    /// Who.
    pub person_id: PersonId,
    /// Their level rank; `None` when unknown (the box stands in the last band).
    pub rank: Option<i64>,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Their function is flagged assistant/secretariat.
    pub is_assistant: bool,
    /// Theirs: a current primary holds the contact. Ours: always true.
    pub covered: bool,
    /// Ours: how many key contacts of this account they hold (as primary or deputy). Theirs:
    /// 0.
    pub contacts: usize,
}

/// A line between a key contact and a person of ours holding them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineBox {
    /// The key contact (a box of [`MirrorView::theirs`]).
    pub partner_id: PersonId,
    /// Our person (a box of [`MirrorView::ours`]).
    pub our_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating, 1–5; `None` when never rated.
    pub relationship: Option<i64>,
    /// The traffic-light class of `relationship`.
    pub health: Health,
    /// The level distance of the pair; `None` when either level is unknown.
    pub distance: Option<i64>,
    /// A primary line that the analysis counts as the contact's counterpart: of several
    /// current primaries the one that started last (ties: the smaller id of ours). False for
    /// deputies and for the other primaries of a handover.
    pub counts: bool,
    /// Start: the middle of the contact's right edge, x.
    pub x1: f64,
    /// Start, y.
    pub y1: f64,
    /// End: the middle of our person's left edge, x.
    pub x2: f64,
    /// End, y.
    pub y2: f64,
}

/// The placed mirror view of one account.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MirrorView {
    /// Width of the picture, px: `geometry.width`.
    pub width: f64,
    /// Height of the picture, px: the bands and a margin above and below; `2 × margin` for an
    /// account without key contacts.
    pub height: f64,
    /// The sizes actually used (after the fallbacks of "Bad input").
    pub geometry: Geometry,
    /// The bands that hold anybody, top to bottom, the unknown level last.
    pub bands: Vec<BandBox>,
    /// The key contacts, band by band, top to bottom.
    pub theirs: Vec<NodeBox>,
    /// Our people holding them, band by band, top to bottom.
    pub ours: Vec<NodeBox>,
    /// The lines, ordered by their contact's box and then our person's box (top to bottom).
    pub lines: Vec<LineBox>,
}

/// A band's sort key: known ranks ascending, the unknown level last.
fn band_key(rank: Option<i64>) -> (bool, i64) {
    (rank.is_none(), rank.unwrap_or(0))
}

/// The members of one band, as indices into the contacts and the holders.
#[derive(Default)]
struct Members {
    /// Key contacts, by influence (highest first), then id.
    theirs: Vec<usize>,
    /// Holders, by the barycenter of the contacts they hold, then id.
    ours: Vec<usize>,
}

/// The bands that hold anybody, by [`band_key`].
type Bands = BTreeMap<(bool, i64), Members>;

/// A person of ours holding at least one key contact of the account.
struct Holder {
    /// Who.
    id: PersonId,
    /// Their level rank, if known.
    rank: Option<i64>,
    /// Their function is flagged assistant/secretariat.
    is_assistant: bool,
    /// Indices of the contacts held, each once.
    held: Vec<usize>,
}

/// Everyone of ours holding a key contact of the account, in id order.
struct Holders {
    /// The holders.
    list: Vec<Holder>,
    /// Index into `list` by id.
    index: HashMap<PersonId, usize>,
}

/// The bands placed top to bottom, with the contacts' rows in them.
struct BandLayout {
    /// The bands' boxes, in band order.
    boxes: Vec<BandBox>,
    /// The top edge of each contact's box.
    their_y: Vec<f64>,
    /// The height of the picture.
    height: f64,
}

/// The placed boxes of both columns.
struct Nodes {
    /// The key contacts' boxes, band by band.
    theirs: Vec<NodeBox>,
    /// Our holders' boxes, band by band.
    ours: Vec<NodeBox>,
    /// The top edge of each holder's box.
    our_y: Vec<f64>,
    /// Each contact's position in `theirs`.
    their_slot: Vec<usize>,
    /// Each holder's position in `ours`.
    our_slot: Vec<usize>,
}

/// Lays out the mirror view of `account`; `people` are our staff (any superset of the holders,
/// looked up by id). See the module docs for the picture.
pub fn layout(account: &MirrorAccount, people: &[OurPerson], geometry: &Geometry) -> MirrorView {
    let g = geometry.sanitized();
    let staff = Staff::new(people);
    let contacts = unique_contacts(account);
    let assigned = assignments_by_contact(account, &contacts);
    let holders = holders(&assigned, &staff);
    let mut bands = bands(&contacts, &holders.list);
    // Place the bands and the contacts first: the holders' order needs the contacts' heights.
    let placed = place_bands(&g, &bands, contacts.len());
    order_by_barycenter(&mut bands, &holders.list, &placed.their_y);
    let nodes = place_nodes(&g, &contacts, &assigned, &holders.list, &bands, &placed);
    let lines = lines(&g, &contacts, &assigned, &holders, &placed.their_y, &nodes);
    MirrorView {
        width: g.width,
        height: placed.height,
        geometry: g,
        bands: placed.boxes,
        theirs: nodes.theirs,
        ours: nodes.ours,
        lines,
    }
}

/// The holders, in id order, each with the contacts they hold.
fn holders(assigned: &[PartnerAssignments<'_>], staff: &Staff<'_>) -> Holders {
    let holder_ids: BTreeSet<PersonId> = assigned
        .iter()
        .flat_map(|a| a.all.iter().map(|x| x.our_id))
        .collect();
    let index: HashMap<PersonId, usize> = holder_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let mut list: Vec<Holder> = holder_ids
        .iter()
        .map(|&id| {
            let person = staff.get(id);
            Holder {
                id,
                rank: person.and_then(|p| p.level_rank),
                is_assistant: person.is_some_and(|p| p.is_assistant),
                held: Vec::new(),
            }
        })
        .collect();
    for (c, a) in assigned.iter().enumerate() {
        for x in &a.all {
            let h = &mut list[index[&x.our_id]];
            if h.held.last() != Some(&c) {
                h.held.push(c);
            }
        }
    }
    Holders { list, index }
}

/// Bands and their members; contacts sorted by influence, then id.
fn bands(contacts: &[MirrorContact], holders: &[Holder]) -> Bands {
    let mut bands = Bands::new();
    for (i, c) in contacts.iter().enumerate() {
        bands
            .entry(band_key(c.level_rank))
            .or_default()
            .theirs
            .push(i);
    }
    for (i, h) in holders.iter().enumerate() {
        bands.entry(band_key(h.rank)).or_default().ours.push(i);
    }
    for m in bands.values_mut() {
        m.theirs.sort_by_key(|&i| {
            (
                std::cmp::Reverse(contacts[i].weight()),
                contacts[i].person_id,
            )
        });
    }
    bands
}

/// Places the bands top to bottom, each as high as its longer column, and the contacts in
/// their rows.
fn place_bands(g: &Geometry, bands: &Bands, contacts: usize) -> BandLayout {
    let pitch = g.pitch();
    let mut boxes = Vec::with_capacity(bands.len());
    let mut their_y = vec![0.0; contacts];
    let mut top = g.margin;
    for (&(unknown, rank), m) in bands {
        let rows = m.theirs.len().max(m.ours.len());
        let height = rows as f64 * pitch + 2.0 * g.band_padding;
        for (row, &i) in m.theirs.iter().enumerate() {
            their_y[i] = top + g.band_padding + row as f64 * pitch;
        }
        boxes.push(BandBox {
            rank: (!unknown).then_some(rank),
            y: top,
            height,
        });
        top += height;
    }
    BandLayout {
        boxes,
        their_y,
        height: top + g.margin,
    }
}

/// Orders our people in each band by the barycenter of the contacts they hold, then id.
fn order_by_barycenter(bands: &mut Bands, holders: &[Holder], their_y: &[f64]) {
    let barycenter: Vec<f64> = holders
        .iter()
        .map(|h| h.held.iter().map(|&c| their_y[c]).sum::<f64>() / h.held.len().max(1) as f64)
        .collect();
    for m in bands.values_mut() {
        m.ours.sort_by(|&a, &b| {
            barycenter[a]
                .total_cmp(&barycenter[b])
                .then(holders[a].id.cmp(&holders[b].id))
        });
    }
}

/// The boxes of both columns, band by band: contacts on the left in their rows, our people
/// on the right in their order.
fn place_nodes(
    g: &Geometry,
    contacts: &[MirrorContact],
    assigned: &[PartnerAssignments<'_>],
    holders: &[Holder],
    bands: &Bands,
    placed: &BandLayout,
) -> Nodes {
    let pitch = g.pitch();
    let left_x = g.margin;
    let right_x = g.width - g.margin - g.node_width;
    let mut nodes = Nodes {
        theirs: Vec::with_capacity(contacts.len()),
        ours: Vec::with_capacity(holders.len()),
        our_y: vec![0.0; holders.len()],
        their_slot: vec![0; contacts.len()],
        our_slot: vec![0; holders.len()],
    };
    for (band, m) in placed.boxes.iter().zip(bands.values()) {
        for &i in &m.theirs {
            let c = &contacts[i];
            nodes.their_slot[i] = nodes.theirs.len();
            nodes.theirs.push(NodeBox {
                person_id: c.person_id,
                rank: c.level_rank,
                x: left_x,
                y: placed.their_y[i],
                is_assistant: c.is_assistant,
                covered: assigned[i].primary.is_some(),
                contacts: 0,
            });
        }
        for (row, &i) in m.ours.iter().enumerate() {
            let h = &holders[i];
            nodes.our_y[i] = band.y + g.band_padding + row as f64 * pitch;
            nodes.our_slot[i] = nodes.ours.len();
            nodes.ours.push(NodeBox {
                person_id: h.id,
                rank: h.rank,
                x: right_x,
                y: nodes.our_y[i],
                is_assistant: h.is_assistant,
                covered: true,
                contacts: h.held.len(),
            });
        }
    }
    nodes
}

/// Lines: one per contact and holder, the primary assignment when there are both; ordered by
/// the contact's box, then our person's box.
fn lines(
    g: &Geometry,
    contacts: &[MirrorContact],
    assigned: &[PartnerAssignments<'_>],
    holders: &Holders,
    their_y: &[f64],
    nodes: &Nodes,
) -> Vec<LineBox> {
    let left_x = g.margin;
    let right_x = g.width - g.margin - g.node_width;
    let mut lines: Vec<((usize, usize), LineBox)> = Vec::new();
    for (c, a) in assigned.iter().enumerate() {
        let contact = &contacts[c];
        for (k, x) in a.all.iter().enumerate() {
            if a.all[..k].iter().any(|y| y.our_id == x.our_id) {
                continue;
            }
            let Some(chosen) = a.with(x.our_id) else {
                continue;
            };
            let h = holders.index[&chosen.our_id];
            let line = LineBox {
                partner_id: contact.person_id,
                our_id: chosen.our_id,
                kind: chosen.kind,
                relationship: chosen.relationship,
                health: Health::of(chosen.relationship),
                distance: level_distance(contact.level_rank, holders.list[h].rank),
                counts: chosen.kind == AssignmentKind::Primary
                    && a.primary.is_some_and(|p| p.our_id == chosen.our_id),
                x1: left_x + g.node_width,
                y1: their_y[c] + g.node_height / 2.0,
                x2: right_x,
                y2: nodes.our_y[h] + g.node_height / 2.0,
            };
            lines.push(((nodes.their_slot[c], nodes.our_slot[h]), line));
        }
    }
    lines.sort_by_key(|(slots, _)| *slots);
    lines.into_iter().map(|(_, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use proptest::prelude::*;

    use super::*;
    use crate::account::{DecisionRole, ManagementMode};
    use crate::ids::AccountId;
    use crate::mirror::{CurrentAssignment, MirrorContact};

    fn pid(n: i64) -> PersonId {
        PersonId::new(n)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
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

    fn assign(partner: i64, our: i64, kind: AssignmentKind) -> CurrentAssignment {
        CurrentAssignment {
            partner_id: pid(partner),
            our_id: pid(our),
            kind,
            relationship: None,
            last_contact: None,
            contact_every_days: None,
            valid_from: day(1),
        }
    }

    fn primary(partner: i64, our: i64) -> CurrentAssignment {
        assign(partner, our, AssignmentKind::Primary)
    }

    fn deputy(partner: i64, our: i64) -> CurrentAssignment {
        assign(partner, our, AssignmentKind::Deputy)
    }

    fn account(contacts: Vec<MirrorContact>, assignments: Vec<CurrentAssignment>) -> MirrorAccount {
        MirrorAccount {
            id: AccountId::new(1),
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

    fn view(account: &MirrorAccount, people: &[OurPerson]) -> MirrorView {
        layout(account, people, &Geometry::default())
    }

    fn node(nodes: &[NodeBox], id: i64) -> &NodeBox {
        nodes
            .iter()
            .find(|n| n.person_id == pid(id))
            .unwrap_or_else(|| panic!("no box for person {id}"))
    }

    fn line(v: &MirrorView, partner: i64, our: i64) -> &LineBox {
        v.lines
            .iter()
            .find(|l| l.partner_id == pid(partner) && l.our_id == pid(our))
            .unwrap_or_else(|| panic!("no line {partner} → {our}"))
    }

    fn ids(nodes: &[NodeBox]) -> Vec<i64> {
        nodes.iter().map(|n| n.person_id.get()).collect()
    }

    /// The invariants every layout keeps, whatever the input.
    fn check_invariants(v: &MirrorView) {
        let g = &v.geometry;
        assert_eq!(v.width, g.width);
        for column in [&v.theirs, &v.ours] {
            for (i, a) in column.iter().enumerate() {
                assert!(a.x >= 0.0 && a.y >= 0.0, "{a:?} starts inside");
                assert!(
                    a.x + g.node_width <= v.width && a.y + g.node_height <= v.height,
                    "{a:?} ends inside {} × {}",
                    v.width,
                    v.height
                );
                let band = v
                    .bands
                    .iter()
                    .find(|b| b.rank == a.rank)
                    .unwrap_or_else(|| panic!("no band for {a:?}"));
                assert!(
                    a.y >= band.y + g.band_padding
                        && a.y + g.node_height <= band.y + band.height - g.band_padding,
                    "{a:?} lies inside its band {band:?}"
                );
                for b in &column[i + 1..] {
                    assert!(
                        a.y + g.node_height <= b.y || b.y + g.node_height <= a.y,
                        "{a:?} and {b:?} overlap"
                    );
                    assert!(a.y < b.y, "a column runs top to bottom");
                }
            }
        }
        assert!(
            v.theirs.iter().all(|n| n.x == g.margin)
                && v.ours
                    .iter()
                    .all(|n| n.x == v.width - g.margin - g.node_width)
        );
        assert!(
            v.ours.is_empty() || v.theirs.iter().all(|n| n.x + g.node_width < v.ours[0].x),
            "the columns do not touch"
        );
        let mut top = g.margin;
        for w in v.bands.windows(2) {
            assert!(
                band_key(w[0].rank) < band_key(w[1].rank),
                "bands in rank order"
            );
        }
        for b in &v.bands {
            assert_eq!(b.y, top, "bands are stacked without gaps");
            top += b.height;
        }
        assert_eq!(v.height, top + g.margin);
        for l in &v.lines {
            let their = node(&v.theirs, l.partner_id.get());
            let our = node(&v.ours, l.our_id.get());
            assert_eq!(
                (l.x1, l.y1, l.x2, l.y2),
                (
                    their.x + g.node_width,
                    their.y + g.node_height / 2.0,
                    our.x,
                    our.y + g.node_height / 2.0
                )
            );
            assert_eq!(l.distance, level_distance(their.rank, our.rank));
            assert_eq!(l.health, Health::of(l.relationship));
        }
        for n in &v.theirs {
            assert_eq!(n.contacts, 0);
            let primary = v
                .lines
                .iter()
                .any(|l| l.partner_id == n.person_id && l.kind == AssignmentKind::Primary);
            assert_eq!(n.covered, primary, "covered iff a primary line");
        }
        for n in &v.ours {
            assert!(n.covered);
            let held = v.lines.iter().filter(|l| l.our_id == n.person_id).count();
            assert_eq!(n.contacts, held);
            assert!(held > 0, "only holders are drawn");
        }
    }

    #[test]
    fn a_level_matched_primary_pair_is_horizontal() {
        let a = account(vec![contact(1, Some(2), 3)], vec![primary(1, 10)]);
        let v = view(&a, &[ours(10, Some(2))]);
        check_invariants(&v);
        let l = line(&v, 1, 10);
        assert_eq!(l.y1, l.y2);
        assert!(l.x1 < l.x2);
        assert_eq!(l.kind, AssignmentKind::Primary);
        assert_eq!(l.distance, Some(0));
        assert!(l.counts);
        assert_eq!(v.bands.len(), 1);
        assert_eq!(v.bands[0].rank, Some(2));
    }

    #[test]
    fn a_mismatch_slopes_toward_the_lower_level() {
        let a = account(
            vec![contact(1, Some(1), 5), contact(2, Some(3), 3)],
            vec![primary(1, 10), primary(2, 11)],
        );
        let v = view(&a, &[ours(10, Some(3)), ours(11, Some(1))]);
        check_invariants(&v);
        let down = line(&v, 1, 10);
        assert!(
            down.y2 > down.y1,
            "their board member, our rank 3: slopes down"
        );
        assert_eq!(down.distance, Some(2));
        let up = line(&v, 2, 11);
        assert!(up.y2 < up.y1, "their rank 3, our board member: slopes up");
        assert_eq!(up.distance, Some(2));
        assert_eq!(
            v.bands.iter().map(|b| b.rank).collect::<Vec<_>>(),
            [Some(1), Some(3)],
            "only bands that hold somebody"
        );
    }

    #[test]
    fn uncovered_and_deputy_only_contacts_are_flagged() {
        let a = account(
            vec![
                contact(1, Some(2), 3),
                contact(2, Some(2), 3),
                contact(3, Some(2), 3),
            ],
            vec![primary(1, 10), deputy(2, 11)],
        );
        let v = view(&a, &[ours(10, Some(2)), ours(11, Some(2))]);
        check_invariants(&v);
        assert!(node(&v.theirs, 1).covered);
        assert!(!node(&v.theirs, 2).covered, "a deputy does not cover");
        assert!(!node(&v.theirs, 3).covered);
        let d = line(&v, 2, 11);
        assert_eq!(d.kind, AssignmentKind::Deputy);
        assert!(!d.counts);
        assert!(v.lines.iter().all(|l| l.partner_id != pid(3)));
        assert_eq!(v.lines.len(), 2);
    }

    #[test]
    fn unknown_levels_go_to_the_last_band() {
        let a = account(
            vec![
                contact(1, None, 5),
                contact(2, Some(4), 3),
                contact(3, Some(1), 3),
            ],
            vec![primary(1, 10), primary(2, 11), primary(3, 12)],
        );
        let v = view(&a, &[ours(10, Some(1)), ours(11, None), ours(12, Some(2))]);
        check_invariants(&v);
        assert_eq!(
            v.bands.iter().map(|b| b.rank).collect::<Vec<_>>(),
            [Some(1), Some(2), Some(4), None]
        );
        let last = v.bands.last().unwrap();
        for n in [node(&v.theirs, 1), node(&v.ours, 11)] {
            assert!(n.y >= last.y && n.y < last.y + last.height);
        }
        assert_eq!(line(&v, 1, 10).distance, None);
        assert_eq!(ids(&v.theirs), [3, 2, 1]);
        assert_eq!(ids(&v.ours), [10, 12, 11]);
    }

    #[test]
    fn a_holder_missing_from_people_gets_a_node_of_unknown_level() {
        let a = account(
            vec![contact(1, Some(2), 3), contact(2, Some(2), 3)],
            vec![primary(1, 10), deputy(2, 99)],
        );
        let v = view(&a, &[ours(10, Some(2))]);
        check_invariants(&v);
        let ghost = node(&v.ours, 99);
        assert_eq!(ghost.rank, None);
        assert!(!ghost.is_assistant);
        assert_eq!(ghost.contacts, 1);
        assert_eq!(v.bands.last().unwrap().rank, None);
        assert_eq!(line(&v, 2, 99).distance, None);
    }

    #[test]
    fn duplicates_appear_once() {
        let a = account(
            vec![
                contact(1, Some(2), 1),
                contact(2, Some(2), 3),
                contact(1, Some(2), 5),
                contact(2, Some(2), 2),
            ],
            vec![
                primary(1, 10),
                primary(1, 10),
                deputy(1, 10),
                primary(2, 10),
            ],
        );
        let v = view(&a, &[ours(10, Some(2)), ours(10, Some(5))]);
        check_invariants(&v);
        assert_eq!(
            ids(&v.theirs),
            [1, 2],
            "each contact once, the higher influence (5 over 3) orders"
        );
        assert_eq!(ids(&v.ours), [10]);
        assert_eq!(
            node(&v.ours, 10).rank,
            Some(2),
            "the first copy of ours counts"
        );
        assert_eq!(node(&v.ours, 10).contacts, 2);
        assert_eq!(v.lines.len(), 2, "one line per pair, primary over deputy");
        assert_eq!(line(&v, 1, 10).kind, AssignmentKind::Primary);
    }

    #[test]
    fn assignments_of_partners_who_are_not_contacts_are_ignored() {
        let a = account(
            vec![contact(1, Some(2), 3)],
            vec![primary(1, 10), primary(7, 11), deputy(8, 10)],
        );
        let v = view(&a, &[ours(10, Some(2)), ours(11, Some(2))]);
        check_invariants(&v);
        assert_eq!(ids(&v.ours), [10]);
        assert_eq!(node(&v.ours, 10).contacts, 1);
        assert_eq!(v.lines.len(), 1);
    }

    #[test]
    fn the_barycenter_order_avoids_a_crossing() {
        // Contacts 1 (influence 5) above 2 (influence 3) above 3 (influence 1). By id, ours 10
        // would stand above 11 and 12, and both lines would cross. By barycenter, 12 (holding
        // 1) comes first, then 11 (holding 1 and 3, mean row 1), then 10 (holding 3).
        let a = account(
            vec![
                contact(2, Some(2), 3),
                contact(3, Some(2), 1),
                contact(1, Some(2), 5),
            ],
            vec![
                primary(3, 10),
                deputy(1, 11),
                primary(3, 11),
                primary(1, 12),
            ],
        );
        let people = [ours(10, Some(2)), ours(11, Some(2)), ours(12, Some(2))];
        let v = view(&a, &people);
        check_invariants(&v);
        assert_eq!(ids(&v.theirs), [1, 2, 3]);
        assert_eq!(ids(&v.ours), [12, 11, 10]);
        // No two lines cross: ordered by start, their ends never go back up.
        for (i, a) in v.lines.iter().enumerate() {
            for b in &v.lines[i + 1..] {
                let crossing = (a.y1 - b.y1) * (a.y2 - b.y2) < 0.0;
                assert!(!crossing, "{a:?} crosses {b:?}");
            }
        }
        assert_eq!(line(&v, 1, 12).y1, line(&v, 1, 12).y2);
        assert_eq!(line(&v, 3, 10).y1, line(&v, 3, 10).y2);
        // The input order does not matter.
        let mut b = a.clone();
        b.contacts.reverse();
        b.assignments.reverse();
        let mut reversed = people.to_vec();
        reversed.reverse();
        assert_eq!(view(&b, &reversed), v);
    }

    #[test]
    fn bands_and_columns_follow_the_geometry() {
        let a = account(
            vec![
                contact(1, Some(1), 5),
                contact(2, Some(3), 4),
                contact(3, Some(3), 3),
            ],
            vec![primary(1, 10), primary(1, 11), primary(2, 12)],
        );
        let g = Geometry::default();
        let v = layout(
            &a,
            &[ours(10, Some(1)), ours(11, Some(1)), ours(12, Some(3))],
            &g,
        );
        check_invariants(&v);
        let pitch = g.node_height + g.row_gap;
        assert_eq!(v.bands.len(), 2);
        assert_eq!(v.bands[0].y, g.margin);
        assert_eq!(v.bands[0].height, 2.0 * pitch + 2.0 * g.band_padding);
        assert_eq!(v.bands[1].y, g.margin + v.bands[0].height);
        assert_eq!(v.bands[1].height, 2.0 * pitch + 2.0 * g.band_padding);
        assert_eq!(v.height, v.bands[1].y + v.bands[1].height + g.margin);
        assert_eq!(v.width, 760.0);
        assert_eq!(node(&v.theirs, 1).x, g.margin);
        assert_eq!(node(&v.ours, 10).x, 760.0 - g.margin - g.node_width);
        assert_eq!(node(&v.ours, 10).y, g.margin + g.band_padding);
        assert_eq!(node(&v.ours, 11).y, g.margin + g.band_padding + pitch);
        assert_eq!(node(&v.theirs, 3).y, v.bands[1].y + g.band_padding + pitch);
        let l = line(&v, 1, 11);
        assert_eq!((l.x1, l.x2), (g.margin + g.node_width, node(&v.ours, 11).x));
        assert_eq!(l.y1, g.margin + g.band_padding + g.node_height / 2.0);
        assert_eq!(l.y2, l.y1 + pitch);
    }

    #[test]
    fn an_account_without_contacts_has_no_bands() {
        let a = account(Vec::new(), vec![primary(1, 10)]);
        let v = view(&a, &[ours(10, Some(1))]);
        check_invariants(&v);
        assert!(v.bands.is_empty() && v.theirs.is_empty() && v.ours.is_empty());
        assert!(v.lines.is_empty());
        assert_eq!(v.height, 2.0 * Geometry::default().margin);
        assert_eq!(v.width, 760.0);
    }

    #[test]
    fn lines_carry_rating_health_and_the_primary_that_counts() {
        let mut old = primary(1, 10);
        old.relationship = Some(2);
        let mut new = primary(1, 11);
        new.valid_from = day(9);
        new.relationship = Some(5);
        let mut stand_in = deputy(1, 12);
        stand_in.relationship = Some(3);
        let a = account(vec![contact(1, Some(2), 3)], vec![old, new, stand_in]);
        let mut assistant = ours(12, Some(4));
        assistant.is_assistant = true;
        let v = view(&a, &[ours(10, Some(2)), ours(11, Some(2)), assistant]);
        check_invariants(&v);
        let (o, n, d) = (line(&v, 1, 10), line(&v, 1, 11), line(&v, 1, 12));
        assert_eq!(
            (o.health, n.health, d.health),
            (Health::Poor, Health::Good, Health::Fair)
        );
        assert_eq!((o.counts, n.counts, d.counts), (false, true, false));
        assert_eq!(d.distance, Some(2));
        assert!(node(&v.ours, 12).is_assistant);
        assert!(node(&v.theirs, 1).covered);
    }

    #[test]
    fn bad_geometry_falls_back_and_keeps_the_columns_apart() {
        let a = account(vec![contact(1, Some(1), 3)], vec![primary(1, 10)]);
        let bad = Geometry {
            width: 100.0,
            node_width: f64::NAN,
            node_height: -4.0,
            row_gap: f64::INFINITY,
            band_padding: -1.0,
            margin: 1e9,
        };
        let v = layout(&a, &[ours(10, Some(1))], &bad);
        let d = Geometry::default();
        assert_eq!(v.geometry.node_width, d.node_width);
        assert_eq!(v.geometry.node_height, d.node_height);
        assert_eq!(v.geometry.row_gap, d.row_gap);
        assert_eq!(v.geometry.band_padding, d.band_padding);
        assert_eq!(v.geometry.margin, MAX_SIZE);
        assert_eq!(v.width, 2.0 * MAX_SIZE + 3.0 * d.node_width);
        check_invariants(&v);
    }

    /// An account with up to `n` contacts and 8 people of ours; ranks follow from the ids so
    /// duplicated entries agree, and some of ours are missing from `people`.
    fn arbitrary_account() -> impl Strategy<Value = (MirrorAccount, Vec<OurPerson>)> {
        let rank = |id: i64, salt: i64| match (id * 7 + salt) % 6 {
            0 => None,
            r => Some(r),
        };
        (
            prop::collection::vec((1i64..20, 1i64..6), 0..14),
            prop::collection::vec((1i64..20, 100i64..108, any::<bool>(), 0u32..3), 0..24),
        )
            .prop_map(move |(cs, xs)| {
                let contacts = cs
                    .into_iter()
                    .map(|(id, influence)| contact(id, rank(id, 0), influence))
                    .collect();
                let assignments = xs
                    .into_iter()
                    .map(|(partner, our, is_primary, from)| {
                        let mut a = if is_primary {
                            primary(partner, our)
                        } else {
                            deputy(partner, our)
                        };
                        a.valid_from = day(1 + from);
                        a.relationship = Some(i64::from(from) + partner % 3);
                        a
                    })
                    .collect();
                let people = (100..106).map(|id| ours(id, rank(id, 3))).collect();
                (account(contacts, assignments), people)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn random_accounts_keep_the_picture_sound((a, people) in arbitrary_account()) {
            let v = view(&a, &people);
            check_invariants(&v);
            let contacts: std::collections::BTreeSet<_> =
                a.contacts.iter().map(|c| c.person_id).collect();
            prop_assert_eq!(v.theirs.len(), contacts.len());
            prop_assert!(v.lines.iter().all(|l| contacts.contains(&l.partner_id)));
            for n in &v.theirs {
                let counted = v.lines.iter().filter(|l| l.partner_id == n.person_id && l.counts);
                prop_assert_eq!(counted.count(), usize::from(n.covered));
            }
            // The boxes do not depend on the input order.
            let mut b = a.clone();
            b.contacts.reverse();
            b.assignments.reverse();
            let w = view(&b, &people);
            prop_assert_eq!(&w.theirs, &v.theirs);
            prop_assert_eq!(&w.ours, &v.ours);
            prop_assert_eq!(&w.bands, &v.bands);
            prop_assert_eq!(view(&a, &people), v);
        }
    }
}
