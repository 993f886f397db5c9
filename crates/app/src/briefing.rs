//! The briefing, read before a meeting: who a partner person is, who of ours knows them and
//! the people around them, and what we know — on one screen, printable.

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::account::Account;
use counterpart_core::ids::{AccountId, AssignmentId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_core::person::Person;
use counterpart_store::{CounterpartView, InsightView, PairChange, PersonDetail, RatingChange};

use crate::counterparts::level_of;
use crate::error::Result;
use crate::mirror::MirrorSummary;
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

/// A key person on the account briefing, with who of ours holds them.
#[derive(Clone, Debug)]
pub struct BriefingContact {
    /// The partner person.
    pub person: Person,
    /// Their level, if set.
    pub level: Option<Level>,
    /// Their current counterparts of ours: name and latest relationship rating, in the order
    /// of [`counterpart_store::Store::counterparts_of`].
    pub ours: Vec<(String, Option<i64>)>,
}

/// An account's briefing: what the account page shows at a glance, without its forms,
/// criteria and trends.
#[derive(Clone, Debug)]
pub struct AccountBriefing {
    /// The account.
    pub account: Account,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// Our unit responsible for it.
    pub responsible_unit: Option<String>,
    /// Our account manager.
    pub manager: Option<(PersonId, String)>,
    /// The importance score, as the lists show it.
    pub importance: Option<f64>,
    /// The key people, top of the ladder first (by level rank, then name), as on the account
    /// page.
    pub contacts: Vec<BriefingContact>,
    /// The mirror in brief; `None` for a deactivated account.
    pub mirror: Option<MirrorSummary>,
    /// What we know about the account and its key people that the reader may see, newest
    /// first.
    pub insights: Vec<InsightView>,
    /// What changed in the last [`CHANGES_DAYS`] days.
    pub changes: AccountChanges,
}

/// The relationship ratings of each pair a briefing reads: its trend shows the last five.
pub const TREND_RATINGS: usize = 5;

/// How far back an account briefing looks for changes.
pub const CHANGES_DAYS: u64 = 90;

impl App {
    /// The briefing about a person, as `who` may read it.
    pub async fn person_briefing(&self, who: &Principal, id: PersonId) -> Result<PersonBriefing> {
        let seen = self.visibility(who).await?;
        let (detail, levels, counterparts, insights, contacts) = tokio::try_join!(
            async { Ok::<_, crate::Error>(self.store.person_detail(id).await?) },
            async { Ok(self.store.levels().await?) },
            async { Ok(self.store.counterparts_of(id, false, &seen).await?) },
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
            self.store.counterparts_of_each(&ids, &seen),
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

    /// The briefing about an account, as `who` may read it. Reads only what it shows: not
    /// the whole account page (criteria, the team's ratings, cadences and trends).
    pub async fn account_briefing(
        &self,
        who: &Principal,
        id: AccountId,
    ) -> Result<AccountBriefing> {
        let store = &self.store;
        let account = self.visible_account(who, id).await?;
        let seen = self.visibility(who).await?;
        let responsible_unit = async {
            match account.responsible_unit_id {
                Some(unit) => Ok(Some(store.unit(unit).await?.name)),
                None => Ok::<_, crate::Error>(None),
            }
        };
        let manager = async {
            match account.manager_id {
                Some(m) => Ok(Some((m, store.person(m).await?.display_name()))),
                None => Ok::<_, crate::Error>(None),
            }
        };
        let contacts = async {
            let key_contacts = store.key_contacts(id).await?;
            let people: Vec<PersonId> = key_contacts.iter().map(|k| k.person_id).collect();
            let (persons, held) = tokio::try_join!(
                store.persons(&people),
                store.counterparts_of_each(&people, &seen)
            )?;
            Ok::<_, crate::Error>((key_contacts, persons, held))
        };
        let (
            levels,
            responsible_unit,
            manager,
            (key_contacts, mut persons, held),
            importance,
            mirror,
            insights,
            changes,
        ) = tokio::try_join!(
            async { Ok::<_, crate::Error>(store.levels().await?) },
            responsible_unit,
            manager,
            contacts,
            async { Ok::<_, crate::Error>(store.account_importance(id).await?) },
            self.mirror_summary(id),
            self.insights_about_account(who, id),
            self.account_changes(who, id),
        )?;
        let mut ours: HashMap<PersonId, Vec<(String, Option<i64>)>> = HashMap::new();
        for view in held {
            ours.entry(view.assignment.partner_id)
                .or_default()
                .push((view.person.person.display_name(), view.relationship));
        }
        let mut contacts: Vec<BriefingContact> = key_contacts
            .into_iter()
            .filter_map(|contact| {
                let person = persons.remove(&contact.person_id)?;
                Some(BriefingContact {
                    level: level_of(&levels, person.level_id),
                    ours: ours.remove(&person.id).unwrap_or_default(),
                    person,
                })
            })
            .collect();
        // Top of the ladder first, like the account page.
        contacts.sort_by_cached_key(|c| {
            (
                c.level.as_ref().map_or(i64::MAX, |l| l.rank),
                c.person.display_name(),
            )
        });
        Ok(AccountBriefing {
            account,
            levels,
            responsible_unit,
            manager,
            importance,
            contacts,
            mirror,
            insights,
            changes,
        })
    }

    /// What changed on an account in the last [`CHANGES_DAYS`] days: ratings and
    /// counterparts begun or ended.
    pub async fn account_changes(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<AccountChanges> {
        self.may_see_account(who, account).await?;
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
