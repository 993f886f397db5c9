//! My day: the landing page of a user who is a person of our house — the partner people they
//! hold with what is due, what colleagues learned on their accounts since the last visit, key
//! contacts whose satisfaction fell, their unit's accounts that need attention, and what to do
//! first.

use chrono::{DateTime, Utc};
use counterpart_core::account::AssignmentKind;
use counterpart_core::cadence::{Cadence, State};
use counterpart_core::ids::{AssignmentId, PersonId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::person::Person;
use counterpart_store::{AccountFilter, AccountSummary, InsightView};

use crate::counterparts::level_of;
use crate::error::{Error, Result};
use crate::home::WEAK_MIRROR;
use crate::{App, Principal};

/// How far back "new" looks on a first visit.
const FIRST_VISIT_DAYS: i64 = 14;
/// The unit's accounts listed at most.
const UNIT_ACCOUNTS_SHOWN: usize = 5;
/// Pairs My day lists, the most urgent first; the person's own page has them all (the
/// managing director of the enterprise dataset holds 1,557).
pub const PAIRS_SHOWN: usize = 50;
/// Key contacts with falling satisfaction My day names, the largest drop first.
pub const FELL_SHOWN: usize = 20;
/// How far ahead My day announces jour-fixe meetings.
pub const MEETINGS_DAYS: i64 = 14;

/// A partner person the user holds, with where the pair stands.
#[derive(Clone, Debug)]
pub struct MyPair {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person.
    pub partner: Person,
    /// Their organization's name.
    pub organization: String,
    /// Their level, if set.
    pub level: Option<Level>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating.
    pub rating: Option<i64>,
    /// Whether a contact is due.
    pub cadence: Cadence,
}

/// A key contact of the user's whose latest satisfaction rating is below the one before.
#[derive(Clone, Debug)]
pub struct FallingSatisfaction {
    /// The assignment.
    pub assignment_id: AssignmentId,
    /// The partner person.
    pub partner_id: PersonId,
    /// Their name.
    pub name: String,
    /// The rating before.
    pub from: i64,
    /// The latest rating.
    pub to: i64,
}

/// One thing to do first, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextStep {
    /// Get in touch: this many pairs are overdue.
    Overdue(usize),
    /// This many pairs are due.
    Due(usize),
    /// Read what colleagues learned: this many new insights.
    Read(usize),
    /// Ask why: satisfaction fell with this many key contacts.
    Fell(usize),
    /// The unit's accounts have this many key contacts without a counterpart.
    UnitGaps(i64),
    /// This many of one's actions are due today or overdue.
    Actions(usize),
}

/// What My day shows.
#[derive(Clone, Debug)]
pub struct MyDay {
    /// The person of our house the user is.
    pub person: Person,
    /// Their unit, if any: (id, name).
    pub unit: Option<(UnitId, String)>,
    /// The partner people they hold: overdue first, then due, then the rest; the longest
    /// without contact first within each.
    pub pairs: Vec<MyPair>,
    /// What colleagues recorded on the user's accounts since `since`, newest first, as far
    /// as the user may see it.
    pub new_insights: Vec<InsightView>,
    /// The last view of the previous visit; `None` on the first one (then the last
    /// [`FIRST_VISIT_DAYS`] days count as new).
    pub since: Option<DateTime<Utc>>,
    /// Key contacts whose satisfaction fell, the largest drop first.
    pub fell: Vec<FallingSatisfaction>,
    /// The unit's accounts with gaps or a weak mirror, most important first.
    pub unit_accounts: Vec<AccountSummary>,
    /// Key contacts without a counterpart on the unit's accounts.
    pub unit_gaps: i64,
    /// The user's open actions from jour-fixe meetings, the earliest due first.
    pub actions: Vec<counterpart_store::ActionView>,
    /// The coming meetings of the user's jour-fixe series within [`MEETINGS_DAYS`] days: the
    /// announcement.
    pub meetings: Vec<(
        counterpart_core::jour_fixe::Series,
        crate::jour_fixe::Occurrence,
    )>,
    /// Today, in the configured time zone.
    pub today: chrono::NaiveDate,
    /// What to do first.
    pub next: Vec<NextStep>,
}

impl MyDay {
    /// The pairs in a state.
    pub fn count(&self, state: State) -> usize {
        self.pairs
            .iter()
            .filter(|p| p.cadence.state == state)
            .count()
    }
}

impl App {
    /// My day for `who`; `None` for a user who is not linked to a person of our house (they
    /// see the portfolio overview instead). Marks the visit: what is new counts from the
    /// previous one.
    pub async fn my_day(&self, who: &Principal) -> Result<Option<MyDay>> {
        let (Some(user), Some(person_id)) = (who.user, who.person) else {
            return Ok(None);
        };
        let store = &self.store;
        let now = counterpart_store::now();
        let seen = self.visibility(who).await?;
        let seen = &seen;
        // Four independent chains, each read as soon as what it needs is there: the unit
        // from the person, the trends from the pairs, what is new from the last visit.
        let unit = async {
            let person = store.person(person_id).await?;
            let (unit_name, unit_accounts) = match person.unit_id {
                Some(unit) => {
                    let filter = AccountFilter {
                        responsible_unit_id: Some(unit),
                        ..AccountFilter::default()
                    };
                    let (unit, accounts) =
                        tokio::try_join!(store.unit(unit), store.accounts(&filter, seen))?;
                    (Some((unit.id, unit.name)), accounts)
                }
                None => (None, Vec::new()),
            };
            Ok::<_, Error>((person, unit_name, unit_accounts))
        };
        let pairs = async {
            let held = store.counterparts_held_by(person_id, false, seen).await?;
            let partners: Vec<PersonId> = held.iter().map(|v| v.assignment.partner_id).collect();
            let ids: Vec<AssignmentId> = held.iter().map(|v| v.assignment.id).collect();
            let (tiers, satisfaction) = tokio::try_join!(
                store.partner_tiers(&partners, seen),
                store.recent_satisfaction_series(&ids, 2)
            )?;
            Ok::<_, Error>((held, tiers, satisfaction))
        };
        let new = async {
            let previous = store.visit_my_day(user, now).await?;
            let since = previous.unwrap_or(now - chrono::TimeDelta::days(FIRST_VISIT_DAYS));
            let insights = store
                .insights_for_holder(person_id, user, since, seen)
                .await?;
            Ok::<_, Error>((previous, insights))
        };
        // The fifth: the jour fixe (one's actions and coming meetings).
        let jour_fixe = async {
            tokio::try_join!(
                async { Ok::<_, Error>(store.open_actions_of(person_id, seen).await?) },
                self.coming_meetings(who, person_id, MEETINGS_DAYS),
            )
        };
        let (
            levels,
            (person, unit_name, unit_accounts),
            (held, tiers, satisfaction),
            (previous, new_insights),
            (actions, meetings),
        ) = tokio::try_join!(
            async { Ok::<_, Error>(store.levels().await?) },
            unit,
            pairs,
            new,
            jour_fixe
        )?;
        let today = self.today();
        let mut fell = Vec::new();
        let mut pairs: Vec<MyPair> = held
            .into_iter()
            .map(|view| {
                let partner = view.person.person;
                let level = level_of(&levels, partner.level_id);
                if let Some([.., from, to]) =
                    satisfaction.get(&view.assignment.id).map(Vec::as_slice)
                    && to < from
                {
                    fell.push(FallingSatisfaction {
                        assignment_id: view.assignment.id,
                        partner_id: partner.id,
                        name: partner.display_name(),
                        from: *from,
                        to: *to,
                    });
                }
                MyPair {
                    assignment_id: view.assignment.id,
                    cadence: Cadence::on(
                        today,
                        view.assignment.valid_from,
                        view.last_contact,
                        view.contact_every_days,
                        level.as_ref().map(|l| l.rank),
                        tiers.get(&partner.id).copied(),
                    ),
                    organization: view.person.organization_name,
                    level,
                    kind: view.assignment.kind,
                    rating: view.relationship,
                    partner,
                }
            })
            .collect();
        pairs.sort_by_key(|p| {
            (
                std::cmp::Reverse((p.cadence.state, p.cadence.days - p.cadence.every_days)),
                p.partner.display_name(),
            )
        });
        fell.sort_by(|a, b| {
            (b.from - b.to)
                .cmp(&(a.from - a.to))
                .then_with(|| a.name.cmp(&b.name))
        });
        let unit_gaps = unit_accounts.iter().map(|a| a.gaps).sum();
        let unit_accounts: Vec<AccountSummary> = unit_accounts
            .into_iter()
            .filter(|a| a.gaps > 0 || a.mirror_score.is_some_and(|m| m < WEAK_MIRROR))
            .take(UNIT_ACCOUNTS_SHOWN)
            .collect();
        let mut day = MyDay {
            person,
            unit: unit_name,
            pairs,
            new_insights,
            since: previous,
            fell,
            unit_accounts,
            unit_gaps,
            actions,
            meetings,
            today,
            next: Vec::new(),
        };
        day.next = next_steps(&day);
        Ok(Some(day))
    }
}

/// What to do first, most urgent first; empty when all is well.
fn next_steps(day: &MyDay) -> Vec<NextStep> {
    let counted = [
        (
            day.count(State::Overdue),
            NextStep::Overdue as fn(usize) -> NextStep,
        ),
        (day.count(State::Due), NextStep::Due),
        (day.fell.len(), NextStep::Fell),
        (day.new_insights.len(), NextStep::Read),
    ];
    let mut next: Vec<NextStep> = counted
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, step)| step(n))
        .collect();
    let due = day
        .actions
        .iter()
        .filter(|a| a.action.due_on <= day.today)
        .count();
    if due > 0 {
        next.insert(0, NextStep::Actions(due));
    }
    if day.unit_gaps > 0 {
        next.push(NextStep::UnitGaps(day.unit_gaps));
    }
    next
}
