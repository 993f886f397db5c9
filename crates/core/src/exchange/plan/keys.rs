//! Keys and the indices over them: the plan's hash maps, the sorted key indices of the
//! file's and the existing people's external ids and e-mails, and the key an e-mail address is
//! compared by.

use std::borrow::Cow;
use std::hash::BuildHasher;

/// The hash maps of a plan. foldhash rather than std's SipHash: hashing cells was a good part
/// of planning a million rows, and foldhash's random seed still keeps a crafted file from
/// forcing collisions.
pub(super) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// An empty map with room for `capacity` entries.
pub(super) fn map_with<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, foldhash::fast::RandomState::default())
}

/// An index of one key column of the file (external id or e-mail key): each row's key, and
/// (hash, row) pairs sorted once all rows are in. A million random inserts into a hash table
/// cost more than all other checks of a row (each is a cache and TLB miss); pushing pairs and
/// sorting them once is sequential, and the sort finds the duplicates on the way.
pub(super) struct KeyIndex<'t> {
    /// The hasher of the keys.
    hasher: foldhash::fast::RandomState,
    /// The key of every row, by row index; empty when the column is not mapped.
    keys: Vec<Option<Cow<'t, str>>>,
    /// (hash of the key, row index), sorted by [`KeyIndex::seal`].
    sorted: Vec<(u64, usize)>,
}

impl<'t> KeyIndex<'t> {
    /// An empty index. Indices that are joined must share the hasher.
    pub(super) fn new(capacity: usize, hasher: foldhash::fast::RandomState) -> Self {
        Self {
            hasher,
            keys: Vec::with_capacity(capacity),
            sorted: Vec::with_capacity(capacity),
        }
    }

    /// Adds the key of the next row.
    pub(super) fn push(&mut self, key: Option<Cow<'t, str>>) {
        if let Some(key) = &key {
            let hash = self.hasher.hash_one::<&str>(key);
            self.sorted.push((hash, self.keys.len()));
        }
        self.keys.push(key);
    }

    /// The key of a row, if it has one.
    fn key(&self, row: usize) -> Option<&str> {
        self.keys.get(row)?.as_deref()
    }

    /// Sorts the index once every row is in; needed before any lookup.
    pub(super) fn seal(&mut self) {
        self.sorted.sort_unstable();
    }

    /// `(row, first row with the same key)` for every row whose key an earlier row has.
    pub(super) fn duplicates(&self) -> Vec<(usize, usize)> {
        let mut duplicates = Vec::new();
        for group in self.sorted.chunk_by(|a, b| a.0 == b.0) {
            for (i, &(_, row)) in group.iter().enumerate().skip(1) {
                let key = self.key(row);
                // Equal hashes almost always mean equal keys; compare to be sure.
                if let Some(&(_, first)) = group[..i].iter().find(|e| self.key(e.1) == key) {
                    duplicates.push((row, first));
                }
            }
        }
        duplicates
    }

    /// The rows with this key, in order.
    pub(super) fn candidates<'a>(&'a self, key: &'a str) -> impl Iterator<Item = usize> + 'a {
        let hash = self.hasher.hash_one(key);
        let from = self.sorted.partition_point(|e| e.0 < hash);
        self.sorted[from..]
            .iter()
            .take_while(move |e| e.0 == hash)
            .map(|e| e.1)
            .filter(move |&row| self.key(row) == Some(key))
    }

    /// The first row with this key.
    pub(super) fn get(&self, key: &str) -> Option<usize> {
        self.candidates(key).next()
    }

    /// For each of this index's rows, the entry of `other` with the same key that `choose`
    /// picks from all of them (in order). A merge of the two sorted indices: a million
    /// lookups into another million-entry index would each miss the cache.
    pub(super) fn join(
        &self,
        other: &KeyIndex<'_>,
        mut choose: impl FnMut(&mut dyn Iterator<Item = usize>) -> Option<usize>,
    ) -> Vec<Option<usize>> {
        let mut found = vec![None; self.keys.len()];
        let (mine, theirs) = (&self.sorted, &other.sorted);
        let (mut i, mut j) = (0, 0);
        while i < mine.len() && j < theirs.len() {
            let hash = mine[i].0;
            match hash.cmp(&theirs[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let i_end = i + mine[i..].iter().take_while(|e| e.0 == hash).count();
                    let j_end = j + theirs[j..].iter().take_while(|e| e.0 == hash).count();
                    for &(_, row) in &mine[i..i_end] {
                        let key = self.key(row);
                        let mut same = theirs[j..j_end]
                            .iter()
                            .map(|e| e.1)
                            .filter(|&x| other.key(x) == key);
                        found[row] = choose(&mut same);
                    }
                    (i, j) = (i_end, j_end);
                }
            }
        }
        found
    }
}

/// The key an e-mail address is compared by: lowercase. Borrowed when it already is, since
/// most addresses are and a million rows should not mean a million copies.
pub(super) fn email_key(email: &str) -> Cow<'_, str> {
    if email.is_ascii() && !email.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(email)
    } else {
        Cow::Owned(email.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    //! Unit tests of the key index: duplicates, lookups and joins, also when hashes collide.

    use std::borrow::Cow;

    use super::KeyIndex;

    fn index<'a>(keys: &[Option<&'a str>], hasher: foldhash::fast::RandomState) -> KeyIndex<'a> {
        let mut index = KeyIndex::new(keys.len(), hasher);
        for key in keys {
            index.push(key.map(Cow::Borrowed));
        }
        index.seal();
        index
    }

    #[test]
    fn duplicates_and_lookups() {
        let hasher = foldhash::fast::RandomState::default();
        let rows = index(&[Some("a"), None, Some("b"), Some("a"), Some("a")], hasher);
        let mut duplicates = rows.duplicates();
        duplicates.sort_unstable();
        assert_eq!(duplicates, [(3, 0), (4, 0)]);
        assert_eq!(rows.get("a"), Some(0));
        assert_eq!(rows.get("b"), Some(2));
        assert_eq!(rows.get("c"), None);
        assert_eq!(rows.candidates("a").collect::<Vec<_>>(), [0, 3, 4]);
    }

    #[test]
    fn equal_hashes_are_checked_against_the_keys() {
        // Force every hash to collide: only the key comparison keeps them apart.
        let hasher = foldhash::fast::RandomState::default();
        let mut rows = KeyIndex::new(4, hasher);
        for key in ["x", "y", "x", "z"] {
            rows.push(Some(Cow::Borrowed(key)));
        }
        for entry in &mut rows.sorted {
            entry.0 = 7;
        }
        rows.seal();
        assert_eq!(rows.duplicates(), [(2, 0)]);
        let mut other = KeyIndex::new(3, hasher);
        for key in ["z", "q", "x"] {
            other.push(Some(Cow::Borrowed(key)));
        }
        for entry in &mut other.sorted {
            entry.0 = 7;
        }
        other.seal();
        let joined = rows.join(&other, |same| same.next());
        assert_eq!(joined, [Some(2), None, Some(2), Some(0)]);
    }

    #[test]
    fn join_picks_among_all_matches() {
        let hasher = foldhash::fast::RandomState::default();
        let rows = index(&[Some("a"), Some("b"), None], hasher);
        let existing = index(&[Some("b"), Some("a"), Some("a"), None], hasher);
        assert_eq!(
            rows.join(&existing, |same| same.last()),
            [Some(2), Some(0), None]
        );
        let unmapped = index(&[], hasher);
        assert!(unmapped.join(&existing, |same| same.next()).is_empty());
    }
}
