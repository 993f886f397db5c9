//! From the raw input to a clean forest of items to draw: duplicates dropped, dangling
//! references ignored, loops cut, the level filter and collapsed units applied, siblings
//! sorted. Everything is indexed by position in id-sorted (or unit-slice) order, so nothing
//! depends on the order of `people` or on hash iteration.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{ChartOptions, ChartPerson, ChartUnit, NodeKind};
use crate::ids::UnitId;

/// Lists of members per owner in one allocation: the members of `v` are
/// `list[start[v]..start[v + 1]]`.
pub(super) struct Lists {
    start: Vec<usize>,
    list: Vec<usize>,
}

impl Lists {
    /// Groups `(owner, member)` pairs by owner, keeping their order within each owner.
    fn new(owners: usize, pairs: &[(usize, usize)]) -> Self {
        let mut start = vec![0; owners + 1];
        for &(owner, _) in pairs {
            start[owner + 1] += 1;
        }
        for i in 0..owners {
            start[i + 1] += start[i];
        }
        let mut next = start.clone();
        let mut list = vec![0; pairs.len()];
        for &(owner, member) in pairs {
            list[next[owner]] = member;
            next[owner] += 1;
        }
        Self { start, list }
    }

    /// The members of `owner`.
    pub(super) fn get(&self, owner: usize) -> &[usize] {
        &self.list[self.start[owner]..self.start[owner + 1]]
    }
}

/// The roots drawn under one caption.
pub(super) struct Group {
    /// The unit of the caption; `None` for people without a known unit (no caption).
    pub(super) unit: Option<UnitId>,
    /// Its roots in sibling order.
    pub(super) roots: Vec<usize>,
}

/// The items to draw (people, assistants, placeholders) as a forest.
pub(super) struct Forest {
    /// What each item shows, hidden counts filled in.
    pub(super) kinds: Vec<NodeKind>,
    /// The item each one hangs below.
    pub(super) parent: Vec<Option<usize>>,
    /// Whether an item is an assistant beside its parent rather than a report.
    pub(super) is_assistant: Vec<bool>,
    /// Reports per item, in sibling order.
    pub(super) reports: Lists,
    /// Assistants per item, in sibling order.
    pub(super) assistants: Lists,
    /// Root groups in display order.
    pub(super) groups: Vec<Group>,
}

impl Forest {
    /// An item with neither reports nor assistants.
    pub(super) fn is_leaf(&self, item: usize) -> bool {
        self.reports.get(item).is_empty() && self.assistants.get(item).is_empty()
    }

    /// Every item, parents before children (breadth first from the roots, in group order).
    pub(super) fn top_down(&self) -> Vec<usize> {
        let mut order: Vec<usize> = Vec::with_capacity(self.kinds.len());
        for group in &self.groups {
            order.extend_from_slice(&group.roots);
        }
        let mut next = 0;
        while let Some(&item) = order.get(next) {
            order.extend_from_slice(self.assistants.get(item));
            order.extend_from_slice(self.reports.get(item));
            next += 1;
        }
        order
    }
}

/// Cuts every loop of a parent array at its member with the smallest `key`, which loses its
/// parent. Linear: each node is walked once.
fn break_cycles<K: Ord>(parent: &mut [Option<usize>], key: impl Fn(usize) -> K) {
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; parent.len()];
    let mut path = Vec::new();
    for start in 0..parent.len() {
        let mut node = start;
        while state[node] == NEW {
            state[node] = ON_PATH;
            path.push(node);
            match parent[node] {
                Some(up) if state[up] == ON_PATH => {
                    // The walk came back to itself: the loop is the path from `up` on.
                    let from = path.iter().rposition(|&n| n == up).unwrap_or(0);
                    if let Some(&cut) = path[from..].iter().min_by_key(|&&n| key(n)) {
                        parent[cut] = None;
                    }
                }
                Some(up) => node = up,
                None => {}
            }
        }
        for node in path.drain(..) {
            state[node] = DONE;
        }
    }
}

/// The nodes of a loop-free parent array, parents before children.
fn top_down(parent: &[Option<usize>]) -> Vec<usize> {
    let pairs: Vec<(usize, usize)> = parent
        .iter()
        .enumerate()
        .filter_map(|(child, up)| up.map(|up| (up, child)))
        .collect();
    let children = Lists::new(parent.len(), &pairs);
    let mut order: Vec<usize> = (0..parent.len()).filter(|&n| parent[n].is_none()).collect();
    let mut next = 0;
    while let Some(&node) = order.get(next) {
        order.extend_from_slice(children.get(node));
        next += 1;
    }
    order
}

/// Builds the forest of items to draw; see the module docs of `orgchart` for the rules.
pub(super) fn build(units: &[ChartUnit], people: &[ChartPerson], options: &ChartOptions) -> Forest {
    let units = Units::new(units, options);
    let people = People::new(people, &units, options);
    let placeholders = Placeholders::new(&people, units.list.len());
    let mut items = Items::new(&people, &units, &placeholders);
    let (stands_for, hidden) = stand_ins(&people, &items);
    let (parent, mut is_assistant) = hang_items(&people, &placeholders, &mut items, &stands_for);
    settle_kinds(&mut items.kinds, &parent, &mut is_assistant, &hidden);
    assemble(items, parent, is_assistant, &units)
}

/// Our units, the first of each id in slice order (the order of the groups), their tree with
/// loops cut, and what each one's placeholder is.
struct Units<'u> {
    /// The units.
    list: Vec<&'u ChartUnit>,
    /// Index into `list` by id.
    index: HashMap<UnitId, usize>,
    /// The outermost collapsed unit at or above each unit: its placeholder covers this unit.
    collapsed_into: Vec<Option<usize>>,
}

impl<'u> Units<'u> {
    /// The units of the chart, with the collapsed ones of `options`.
    fn new(units: &'u [ChartUnit], options: &ChartOptions) -> Self {
        let mut index: HashMap<UnitId, usize> = HashMap::new();
        let mut list: Vec<&ChartUnit> = Vec::new();
        for unit in units {
            if let Entry::Vacant(slot) = index.entry(unit.id) {
                slot.insert(list.len());
                list.push(unit);
            }
        }
        let mut parent: Vec<Option<usize>> = list
            .iter()
            .enumerate()
            .map(|(u, unit)| {
                let up = unit.parent_id.and_then(|p| index.get(&p).copied());
                up.filter(|&up| up != u)
            })
            .collect();
        break_cycles(&mut parent, |u| list[u].id);
        let mut collapsed_into: Vec<Option<usize>> = vec![None; list.len()];
        for u in top_down(&parent) {
            let own = options.collapsed_units.contains(&list[u].id);
            collapsed_into[u] = parent[u]
                .and_then(|up| collapsed_into[up])
                .or(own.then_some(u));
        }
        Self {
            list,
            index,
            collapsed_into,
        }
    }
}

/// Our people, one per id, and where each stands: below whom, how deep, in which unit, and
/// whether they are drawn at all.
struct People<'p> {
    /// Sorted by id; a duplicate id keeps the entry smallest by all fields, which does not
    /// depend on input order.
    list: Vec<&'p ChartPerson>,
    /// The boss they assist, else their manager; loops cut at the smallest id.
    parent: Vec<Option<usize>>,
    /// Whether `parent` is the boss they assist.
    via_assist: Vec<bool>,
    /// Everyone, parents before children.
    order: Vec<usize>,
    /// Steps below their root.
    depth: Vec<usize>,
    /// Their unit (index into `Units::list`).
    unit_of: Vec<Option<usize>>,
    /// The collapsed unit whose placeholder covers them.
    collapsed: Vec<Option<usize>>,
    /// Whether they pass the level filter.
    passes_level: Vec<bool>,
}

impl<'p> People<'p> {
    /// The people of the chart in the tree of `units`.
    fn new(people: &'p [ChartPerson], units: &Units<'_>, options: &ChartOptions) -> Self {
        let mut list: Vec<&ChartPerson> = people.iter().collect();
        list.sort_by(|a, b| {
            let key =
                |p: &ChartPerson| (p.id, p.unit_id, p.reports_to, p.assistant_of, p.level_rank);
            key(a)
                .cmp(&key(b))
                .then_with(|| a.sort_key.cmp(&b.sort_key))
        });
        list.dedup_by_key(|p| p.id);
        let count = list.len();
        let find = |id| list.binary_search_by_key(&id, |p| p.id).ok();
        let mut parent: Vec<Option<usize>> = Vec::with_capacity(count);
        let mut via_assist: Vec<bool> = Vec::with_capacity(count);
        for (p, person) in list.iter().enumerate() {
            let boss = person.assistant_of.and_then(find).filter(|&b| b != p);
            let manager = person.reports_to.and_then(find).filter(|&m| m != p);
            parent.push(boss.or(manager));
            via_assist.push(boss.is_some());
        }
        // Indexes follow ids, so the smallest index is the smallest id.
        break_cycles(&mut parent, |p| p);
        let order = top_down(&parent);
        let mut depth = vec![0usize; count];
        for &p in &order {
            depth[p] = parent[p].map_or(0, |up| depth[up] + 1);
        }
        let unit_of: Vec<Option<usize>> = list
            .iter()
            .map(|p| p.unit_id.and_then(|u| units.index.get(&u).copied()))
            .collect();
        let collapsed = unit_of
            .iter()
            .map(|u| u.and_then(|u| units.collapsed_into[u]))
            .collect();
        let passes_level = list
            .iter()
            .map(|p| match (options.max_level_rank, p.level_rank) {
                (Some(max), Some(rank)) => rank <= max,
                _ => true,
            })
            .collect();
        Self {
            list,
            parent,
            via_assist,
            order,
            depth,
            unit_of,
            collapsed,
            passes_level,
        }
    }
}

/// Per collapsed unit: how many people, whether any passes the level filter, and the topmost
/// member (least depth, then sort key, then id), who gives the placeholder its place. No
/// ancestor of the topmost member is a member (it would be higher up), so the placeholder
/// never ends up below itself.
struct Placeholders {
    /// People covered, per unit.
    members: Vec<usize>,
    /// Whether anyone covered passes the level filter, per unit.
    shown: Vec<bool>,
    /// The topmost member, per unit.
    anchor: Vec<Option<usize>>,
}

impl Placeholders {
    /// Counts the members of each of `units` collapsed units.
    fn new(people: &People<'_>, units: usize) -> Self {
        let mut members = vec![0usize; units];
        let mut shown = vec![false; units];
        let mut anchor: Vec<Option<usize>> = vec![None; units];
        for p in 0..people.list.len() {
            let Some(u) = people.collapsed[p] else {
                continue;
            };
            members[u] += 1;
            shown[u] |= people.passes_level[p];
            let rank = |p: usize| (people.depth[p], &people.list[p].sort_key, p);
            if anchor[u].is_none_or(|a| rank(p) < rank(a)) {
                anchor[u] = Some(p);
            }
        }
        Self {
            members,
            shown,
            anchor,
        }
    }
}

/// The items to draw: drawn people (id order), then one placeholder per drawn collapsed unit.
struct Items<'p> {
    /// What each item shows.
    kinds: Vec<NodeKind>,
    /// Each item's sibling order key: sort key, kind (people first), id.
    keys: Vec<(&'p str, u8, i64)>,
    /// Each item's unit (index into `Units::list`), for the root groups.
    home: Vec<Option<usize>>,
    /// Each person's own item, if drawn as themselves.
    person_item: Vec<Option<usize>>,
    /// Each unit's placeholder item, if drawn.
    unit_item: Vec<Option<usize>>,
}

impl<'p> Items<'p> {
    /// The items of the people who are drawn and of the placeholders that are.
    fn new(people: &People<'p>, units: &Units<'_>, placeholders: &Placeholders) -> Self {
        let mut items = Items {
            kinds: Vec::new(),
            keys: Vec::new(),
            home: Vec::new(),
            person_item: vec![None; people.list.len()],
            unit_item: vec![None; units.list.len()],
        };
        for (p, person) in people.list.iter().enumerate() {
            if people.collapsed[p].is_none() && people.passes_level[p] {
                items.person_item[p] = Some(items.kinds.len());
                items.kinds.push(NodeKind::Person {
                    id: person.id,
                    hidden_reports: 0,
                });
                items
                    .keys
                    .push((person.sort_key.as_str(), 0, person.id.get()));
                items.home.push(people.unit_of[p]);
            }
        }
        for (u, unit) in units.list.iter().enumerate() {
            if let (Some(a), true) = (placeholders.anchor[u], placeholders.shown[u]) {
                items.unit_item[u] = Some(items.kinds.len());
                items.kinds.push(NodeKind::CollapsedUnit {
                    unit_id: unit.id,
                    people: placeholders.members[u],
                });
                items
                    .keys
                    .push((people.list[a].sort_key.as_str(), 1, unit.id.get()));
                items.home.push(Some(u));
            }
        }
        items
    }
}

/// The item standing for each person: their own box, their unit's placeholder, or (when not
/// drawn) the nearest drawn superior, who then counts them as hidden. Returns the stand-ins
/// and each item's hidden count.
fn stand_ins(people: &People<'_>, items: &Items<'_>) -> (Vec<Option<usize>>, Vec<usize>) {
    let mut stands_for: Vec<Option<usize>> = vec![None; people.list.len()];
    let mut hidden = vec![0usize; items.kinds.len()];
    for &p in &people.order {
        let own =
            items.person_item[p].or_else(|| people.collapsed[p].and_then(|u| items.unit_item[u]));
        let above = people.parent[p].and_then(|up| stands_for[up]);
        stands_for[p] = own.or(above);
        if let (None, Some(superior)) = (own, above) {
            hidden[superior] += 1;
        }
    }
    (stands_for, hidden)
}

/// Each item's parent item and whether it stands beside it as an assistant (an assistant's
/// kind is set here); loops cut.
fn hang_items(
    people: &People<'_>,
    placeholders: &Placeholders,
    items: &mut Items<'_>,
    stands_for: &[Option<usize>],
) -> (Vec<Option<usize>>, Vec<bool>) {
    let count = items.kinds.len();
    let mut item_parent: Vec<Option<usize>> = vec![None; count];
    let mut is_assistant = vec![false; count];
    for (p, person) in people.list.iter().enumerate() {
        let (Some(item), Some(up)) = (items.person_item[p], people.parent[p]) else {
            continue;
        };
        item_parent[item] = stands_for[up];
        // Only beside a boss who is drawn as themselves; otherwise an ordinary report.
        if people.via_assist[p] && items.person_item[up].is_some() {
            is_assistant[item] = true;
            items.kinds[item] = NodeKind::Assistant {
                id: person.id,
                of: people.list[up].id,
                hidden_reports: 0,
            };
        }
    }
    for (u, item) in items.unit_item.iter().enumerate() {
        if let (Some(item), Some(a)) = (*item, placeholders.anchor[u]) {
            item_parent[item] = people.parent[a].and_then(|up| stands_for[up]);
        }
    }
    // Every item hangs below one that is strictly higher up, so there is no loop; cut anyway,
    // so that a slip could never drop a person or hang the layout.
    break_cycles(&mut item_parent, |i| i);
    (item_parent, is_assistant)
}

/// Fills in the hidden counts; an assistant left without a parent is drawn as a person.
fn settle_kinds(
    kinds: &mut [NodeKind],
    item_parent: &[Option<usize>],
    is_assistant: &mut [bool],
    hidden: &[usize],
) {
    for (item, kind) in kinds.iter_mut().enumerate() {
        match kind {
            NodeKind::Person { hidden_reports, .. } => *hidden_reports = hidden[item],
            NodeKind::Assistant {
                id, hidden_reports, ..
            } => {
                if item_parent[item].is_none() {
                    is_assistant[item] = false;
                    *kind = NodeKind::Person {
                        id: *id,
                        hidden_reports: hidden[item],
                    };
                } else {
                    *hidden_reports = hidden[item];
                }
            }
            NodeKind::CollapsedUnit { .. } | NodeKind::UnitCaption { .. } => {}
        }
    }
}

/// The forest: siblings and roots in key order, roots grouped by unit in the units' order.
fn assemble(
    items: Items<'_>,
    item_parent: Vec<Option<usize>>,
    is_assistant: Vec<bool>,
    units: &Units<'_>,
) -> Forest {
    let count = items.kinds.len();
    // Keys are unique (kind and id), so sorting is stable.
    let mut by_key: Vec<usize> = (0..count).collect();
    by_key.sort_unstable_by(|&a, &b| items.keys[a].cmp(&items.keys[b]));
    let mut report_pairs = Vec::new();
    let mut assistant_pairs = Vec::new();
    let mut roots_per_unit: Vec<Vec<usize>> = vec![Vec::new(); units.list.len() + 1];
    for &item in &by_key {
        match item_parent[item] {
            Some(up) if is_assistant[item] => assistant_pairs.push((up, item)),
            Some(up) => report_pairs.push((up, item)),
            None => roots_per_unit[items.home[item].unwrap_or(units.list.len())].push(item),
        }
    }
    let groups = roots_per_unit
        .into_iter()
        .enumerate()
        .filter(|(_, roots)| !roots.is_empty())
        .map(|(u, roots)| Group {
            unit: units.list.get(u).map(|unit| unit.id),
            roots,
        })
        .collect();
    Forest {
        kinds: items.kinds,
        parent: item_parent,
        is_assistant,
        reports: Lists::new(count, &report_pairs),
        assistants: Lists::new(count, &assistant_pairs),
        groups,
    }
}
