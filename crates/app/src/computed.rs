//! Results worked out from the whole portfolio — the mirror analysis of every account, the
//! optimal counterpart suggestions over all of them — kept between requests while the data
//! they come from are unchanged, instead of worked out again for every request.
//!
//! Whether the data changed is the store's [`DataStamp`]: the newest audit row and the job
//! queue's state, read in one statement at every request (on every instance, so a change made
//! through another instance is seen too). A result is kept under its key (what it was worked
//! out for: the scope, the accounts hidden from the reader, the day) with the stamp read
//! before it was worked out; a write while it was being worked out leaves it with an older
//! stamp than its data, so the next request works it out again. Requests for one key while it
//! is being worked out wait for that one result rather than each working out their own (32 at
//! once took 5 GB when each did).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use counterpart_store::Store;
use counterpart_store::jobs::DataStamp;

use crate::error::Result;

/// How many results are kept; beyond it, those nobody is working out are dropped.
const CAPACITY: usize = 32;
/// How long a result is kept even while the stamp is unchanged: a safety net for a change
/// that leaves no trace in the stamp.
const MAX_AGE: Duration = Duration::from_secs(600);

/// A result with the stamp of the data it was worked out from.
struct Kept<V> {
    stamp: DataStamp,
    at: Instant,
    value: Arc<V>,
}

/// One key's place: locked while its result is worked out.
type Slot<V> = Arc<tokio::sync::Mutex<Option<Kept<V>>>>;

/// Results by key, each kept while the data are unchanged.
pub(crate) struct Computed<K, V> {
    slots: Mutex<HashMap<K, Slot<V>>>,
}

impl<K, V> Default for Computed<K, V> {
    fn default() -> Self {
        Self {
            slots: Mutex::new(HashMap::new()),
        }
    }
}

impl<K, V> std::fmt::Debug for Computed<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Computed").finish_non_exhaustive()
    }
}

impl<K: Eq + Hash + Clone, V> Computed<K, V> {
    /// The result for `key` as the data are now: the kept one if the data did not change
    /// since it was worked out, else `work`'s (then kept). Those asking for the same key
    /// meanwhile wait for it.
    pub(crate) async fn get<W, F>(&self, store: &Store, key: K, work: W) -> Result<Arc<V>>
    where
        W: FnOnce() -> F,
        F: Future<Output = Result<V>>,
    {
        let slot = self.slot(key);
        let mut kept = slot.lock().await;
        let stamp = store.data_stamp().await?;
        if let Some(k) = kept.as_ref()
            && k.stamp == stamp
            && k.at.elapsed() < MAX_AGE
        {
            return Ok(Arc::clone(&k.value));
        }
        let value = Arc::new(work().await?);
        *kept = Some(Kept {
            stamp,
            at: Instant::now(),
            value: Arc::clone(&value),
        });
        Ok(value)
    }

    /// The slot of `key`, made if new. At capacity, the slots nobody holds are dropped first.
    fn slot(&self, key: K) -> Slot<V> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if slots.len() >= CAPACITY && !slots.contains_key(&key) {
            slots.retain(|_, slot| Arc::strong_count(slot) > 1);
        }
        Arc::clone(slots.entry(key).or_default())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use counterpart_store::testing::TestDb;

    use super::*;

    #[tokio::test]
    async fn a_result_is_worked_out_once_per_change_of_the_data() {
        let db = TestDb::sqlite().await;
        let computed: Arc<Computed<u8, usize>> = Arc::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let work = |runs: Arc<AtomicUsize>| {
            move || async move {
                // Slow enough for the others to arrive while it is worked out.
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(runs.fetch_add(1, Ordering::SeqCst) + 1)
            }
        };

        // Eight at once work it out once; asked again, it is kept.
        let mut at_once = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let (computed, store, runs) =
                (Arc::clone(&computed), db.store.clone(), Arc::clone(&runs));
            at_once.spawn(async move { *computed.get(&store, 1, work(runs)).await.unwrap() });
        }
        assert_eq!(at_once.join_all().await, [1; 8]);
        let again = |key| computed.get(&db.store, key, work(Arc::clone(&runs)));
        assert_eq!(*again(1).await.unwrap(), 1);
        // Another key is its own result.
        assert_eq!(*again(2).await.unwrap(), 2);

        // A write (an audit row) changes the stamp: worked out again, then kept again.
        db.store.seed_defaults().await.unwrap();
        db.store
            .create_organization(
                &counterpart_store::Actor::system(),
                &counterpart_core::org::OrganizationInput {
                    name: "Nordlicht".into(),
                    kind: counterpart_core::org::OrganizationKind::Own,
                    notes: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(*again(1).await.unwrap(), 3);
        assert_eq!(*again(1).await.unwrap(), 3);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        db.cleanup().await;
    }
}
