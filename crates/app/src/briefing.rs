//! The briefing, read before a meeting: who a partner person is, who of ours knows them and
//! the people around them, and what we know — on one screen, printable.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::ids::{AccountId, AssignmentId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_store::{CounterpartView, InsightView, PairChange, PersonDetail, RatingChange};

use crate::error::Result;
use crate::{App, Principal};

/// The people around a partner person with their counterparts of ours.
#[derive(Clone, Debug)]
pub struct AroundPerson {
    /// Who (their boss, a report or an assistant).
    pub person: counterpart_store::PersonSummary,
    /// Their current counterparts of ours.
    pub counterparts: Vec<CounterpartView>,
}

/// A person's briefing.
#[derive(Clone, Debug)]
pub struct PersonBriefing {
    /// Who they are, with manager, reports, assistants and positions.
    pub detail: PersonDetail,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// Their counterparts of ours, current ones first, with the latest ratings.
    pub counterparts: Vec<CounterpartView>,
    /// Their boss, reports and assistants with who of ours holds each.
    pub around: Vec<AroundPerson>,
    /// What we know about them that the reader may see, newest first.
    pub insights: Vec<InsightView>,
    /// The latest contacts with them.
    pub contacts: Vec<counterpart_store::InteractionView>,
    /// The last [`TREND_RATINGS`] relationship ratings of each counterpart pair, oldest
    /// first: the trend.
    pub series: HashMap<AssignmentId, Vec<i64>>,
}

/// What changed on an account in the last [`CHANGES_DAYS`] days.
#[derive(Clone, Debug, Default)]
pub struct AccountChanges {
    /// The first day looked at.
    pub since: NaiveDate,
    /// Ratings given, newest first, with the value before.
    pub ratings: Vec<RatingChange>,
    /// Counterparts begun or ended, newest first.
    pub pairs: Vec<PairChange>,
}

/// The relationship ratings of each pair a briefing reads: its trend shows the last five.
pub const TREND_RATINGS: usize = 5;

/// How far back an account briefing looks for changes.
pub const CHANGES_DAYS: u64 = 90;

impl App {
    /// The briefing about a person, as `who` may read it.
    pub async fn person_briefing(&self, who: &Principal, id: PersonId) -> Result<PersonBriefing> {
        let (detail, levels, counterparts, insights, contacts) = tokio::try_join!(
            async { Ok::<_, crate::Error>(self.store.person_detail(id).await?) },
            async { Ok(self.store.levels().await?) },
            async { Ok(self.store.counterparts_of(id, false).await?) },
            self.insights_about_person(who, id),
            self.contacts_with_person(who, id)
        )?;
        let people: Vec<counterpart_store::PersonSummary> = detail
            .manager
            .iter()
            .chain(&detail.reports)
            .chain(&detail.assistants)
            .cloned()
            .collect();
        let ids: Vec<PersonId> = people.iter().map(|p| p.person.id).collect();
        let pairs: Vec<AssignmentId> = counterparts.iter().map(|c| c.assignment.id).collect();
        let (held, series) = tokio::try_join!(
            self.store.counterparts_of_each(&ids),
            self.store.recent_relationship_series(&pairs, TREND_RATINGS),
        )?;
        let around = people
            .into_iter()
            .map(|person| AroundPerson {
                counterparts: held
                    .iter()
                    .filter(|c| c.assignment.partner_id == person.person.id)
                    .cloned()
                    .collect(),
                person,
            })
            .collect();
        Ok(PersonBriefing {
            detail,
            levels,
            counterparts,
            around,
            insights,
            contacts,
            series,
        })
    }

    /// What changed on an account in the last [`CHANGES_DAYS`] days: ratings and
    /// counterparts begun or ended.
    pub async fn account_changes(
        &self,
        _who: &Principal,
        account: AccountId,
    ) -> Result<AccountChanges> {
        let since = self.today() - chrono::Days::new(CHANGES_DAYS);
        let (ratings, pairs) = tokio::try_join!(
            self.store.account_rating_changes_since(account, since),
            self.store.account_pair_changes_since(account, since),
        )?;
        Ok(AccountChanges {
            since,
            ratings,
            pairs,
        })
    }
}
