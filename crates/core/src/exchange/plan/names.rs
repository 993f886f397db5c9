//! Lookups by name: levels, functions and units by their folded names, and people by the
//! name keys a manager or assistant-of cell is compared with.

use std::collections::hash_map::Entry;

use super::keys::HashMap;
use crate::text::fold;

/// A folded-name index where a name given to two different things is ambiguous.
pub(super) struct Names<T>(HashMap<String, Option<T>>);

impl<T: Copy + PartialEq> Names<T> {
    /// An empty index.
    pub(super) fn new() -> Self {
        Self(HashMap::default())
    }

    /// Adds a folded name (an empty one is ignored).
    pub(super) fn add_folded(&mut self, key: String, value: T) {
        if key.is_empty() {
            return;
        }
        match self.0.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(Some(value));
            }
            Entry::Occupied(mut slot) => {
                if *slot.get() != Some(value) {
                    slot.insert(None);
                }
            }
        }
    }

    /// `None`: unknown; `Some(None)`: ambiguous; `Some(Some(v))`: found.
    pub(super) fn get(&self, key: &str) -> Option<Option<T>> {
        self.0.get(key).copied()
    }
}

/// Names of levels or functions: whole names win over the parts of a name with a slash.
pub(super) struct LadderNames<T> {
    /// Whole names.
    whole: Names<T>,
    /// The parts of names with a slash.
    parts: Names<T>,
}

impl<T: Copy + PartialEq> LadderNames<T> {
    /// The index of levels or functions with their German and English names.
    pub(super) fn new<'n>(entries: impl Iterator<Item = (T, [&'n str; 2])>) -> Self {
        let mut names = Self {
            whole: Names::new(),
            parts: Names::new(),
        };
        for (value, pair) in entries {
            for name in pair {
                names.whole.add_folded(fold(name), value);
                if name.contains('/') {
                    for part in name.split('/') {
                        names.parts.add_folded(fold(part), value);
                    }
                }
            }
        }
        names
    }

    /// The level or function a cell names, `None` when unknown or ambiguous.
    pub(super) fn find(&self, value: &str) -> Option<T> {
        let key = fold(value);
        match self.whole.get(&key) {
            Some(found) => found,
            None => self.parts.get(&key).flatten(),
        }
    }
}

/// One of two kinds of lookup hit where a second, different hit makes it ambiguous.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Hit {
    /// One thing, at this index.
    One(usize),
    /// Several different things.
    Many,
}

/// Adds a hit for `key` (an empty one is ignored); a second, different index makes it
/// [`Hit::Many`].
pub(super) fn add_hit(map: &mut HashMap<String, Hit>, key: String, index: usize) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|hit| {
            if *hit != Hit::One(index) {
                *hit = Hit::Many;
            }
        })
        .or_insert(Hit::One(index));
}

/// Lookup keys of a person's name: "given family" (or "family" alone without given name)
/// and, with an academic title, "title given family"; all folded.
pub(super) fn name_keys(title: &str, given: &str, family: &str) -> [Option<String>; 2] {
    if family.is_empty() {
        return [None, None];
    }
    let plain = if given.is_empty() {
        fold(family)
    } else {
        fold(&format!("{given} {family}"))
    };
    let titled = (!title.is_empty()).then(|| fold(&format!("{title} {given} {family}")));
    [Some(plain), titled]
}

/// The lookup key of a name as written in a manager cell: "Family, Given" is turned around.
pub(super) fn value_key(value: &str) -> String {
    match value.split_once(',') {
        Some((family, given)) => fold(&format!("{} {}", given.trim(), family.trim())),
        None => fold(value),
    }
}
