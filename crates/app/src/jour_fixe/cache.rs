//! What a live meeting page shows, read once per change and shared by every reader: thirty
//! participants load the page and each of their contributions reloads it, so reading the
//! agenda, the contributions, the actions and the insights anew for each of them would cost
//! the store seven reads per page. A stamp read first (one indexed read, see
//! [`Store::meeting_stamp`]) tells whether the shared copy is still what the database holds, on
//! this instance and after writes through any other; what each reader may see is filtered per
//! request. Names of people changed elsewhere are the one thing the stamp does not see: an
//! entry is read anew after [`MAX_AGE`] at the latest.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use counterpart_core::ids::{AccountId, ItemId, MeetingId, UserId};
use counterpart_core::jour_fixe::{Meeting, Series};
use counterpart_store::{
    ActionView, AgendaItem, Contribution, InsightView, MeetingStamp, Participant, Store, Visibility,
};

use crate::error::Result;

/// How long a shared copy serves at most.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(60);

/// How many meetings are kept at most (a few are live at once; the oldest go first).
const CAPACITY: usize = 64;

/// A meeting's data as every reader shares it; confidential insights included (each reader's
/// page filters them).
#[derive(Debug)]
pub(crate) struct MeetingData {
    pub(crate) meeting: Meeting,
    pub(crate) series: Series,
    pub(crate) participants: Arc<[Participant]>,
    pub(crate) agenda: Arc<[AgendaItem]>,
    pub(crate) contributions: Arc<[Contribution]>,
    pub(crate) actions: Arc<[ActionView]>,
    pub(crate) insights: Vec<InsightView>,
}

impl MeetingData {
    /// Reads it from the store.
    async fn read(store: &Store, id: MeetingId) -> Result<Self> {
        let meeting = store.meeting(id).await?;
        let (series, participants, agenda, contributions, actions) = tokio::try_join!(
            store.series(meeting.series_id),
            store.participants(meeting.series_id),
            store.agenda(id),
            store.contributions(id),
            store.actions_of_meeting(id),
        )?;
        let ids: Vec<_> = contributions.iter().filter_map(|c| c.insight_id).collect();
        let insights = store
            .insights_by_ids(&ids, &Visibility::everything())
            .await?;
        Ok(Self {
            meeting,
            series,
            participants: participants.into(),
            agenda: agenda.into(),
            contributions: contributions.into(),
            actions: actions.into(),
            insights,
        })
    }

    /// Whether an insight in it is confidential and not written by `reader`: only then does
    /// what a reader may see need to be known.
    pub(crate) fn confidential_beyond(&self, reader: Option<UserId>) -> bool {
        self.insights
            .iter()
            .any(|v| v.insight.confidential && Some(v.insight.author_id) != reader)
    }

    /// The insights a reader may see.
    pub(crate) fn insights_for(&self, visibility: &Visibility) -> Vec<InsightView> {
        self.insights
            .iter()
            .filter(|v| {
                visibility.sees(
                    v.insight.confidential,
                    Some(v.insight.author_id),
                    v.insight.author_unit_id,
                ) && v
                    .insight
                    .account_id
                    .is_none_or(|a| visibility.sees_account(a))
            })
            .cloned()
            .collect()
    }

    /// The agenda, contributions and actions a reader sees: without the items about hidden
    /// accounts and what was said, decided and agreed on them. Shared as they are when
    /// nothing is hidden (the common case: no copy).
    #[expect(
        clippy::type_complexity,
        reason = "the three shared lists of the page, as its read model holds them"
    )]
    pub(crate) fn seen_by(
        &self,
        visibility: &Visibility,
    ) -> (Arc<[AgendaItem]>, Arc<[Contribution]>, Arc<[ActionView]>) {
        let hidden =
            |account: Option<AccountId>| account.is_some_and(|a| !visibility.sees_account(a));
        let gone: HashSet<ItemId> = self
            .agenda
            .iter()
            .filter(|i| hidden(i.account_id))
            .map(|i| i.id)
            .collect();
        let actions_hidden = self.actions.iter().any(|a| hidden(a.action.account_id));
        if gone.is_empty() && !actions_hidden {
            return (
                Arc::clone(&self.agenda),
                Arc::clone(&self.contributions),
                Arc::clone(&self.actions),
            );
        }
        (
            self.agenda
                .iter()
                .filter(|i| !gone.contains(&i.id))
                .cloned()
                .collect(),
            self.contributions
                .iter()
                .filter(|c| !gone.contains(&c.item_id))
                .cloned()
                .collect(),
            self.actions
                .iter()
                .filter(|a| {
                    !hidden(a.action.account_id) && !a.item_id.is_some_and(|i| gone.contains(&i))
                })
                .cloned()
                .collect(),
        )
    }
}

struct Entry {
    stamp: MeetingStamp,
    read_at: Instant,
    data: Arc<MeetingData>,
}

/// The shared copies, by meeting.
#[derive(Default)]
pub(crate) struct MeetingCache {
    entries: Mutex<HashMap<MeetingId, Entry>>,
}

impl std::fmt::Debug for MeetingCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeetingCache").finish_non_exhaustive()
    }
}

impl MeetingCache {
    /// A meeting's data as the database holds it now: the shared copy if its stamp is
    /// current and it is young enough, else read anew (and shared).
    pub(crate) async fn get(&self, store: &Store, id: MeetingId) -> Result<Arc<MeetingData>> {
        let stamp = store.meeting_stamp(id).await?;
        if let Some(data) = self.current(id, stamp) {
            return Ok(data);
        }
        let data = Arc::new(MeetingData::read(store, id).await?);
        // The stamp was read before the data: a write between the two leaves the entry with
        // a stamp older than its data, so the next request reads again; data older than its
        // stamp is never kept.
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&id) {
            let oldest = entries
                .iter()
                .min_by_key(|(_, e)| e.read_at)
                .map(|(id, _)| *id);
            entries.remove(&oldest.unwrap_or(id));
        }
        entries.insert(
            id,
            Entry {
                stamp,
                read_at: Instant::now(),
                data: Arc::clone(&data),
            },
        );
        Ok(data)
    }

    fn current(&self, id: MeetingId, stamp: MeetingStamp) -> Option<Arc<MeetingData>> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(&id)?;
        (entry.stamp == stamp && entry.read_at.elapsed() < MAX_AGE).then(|| Arc::clone(&entry.data))
    }
}
