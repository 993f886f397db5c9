//! The customer jour fixe: convening a series ("invite yourself"), announcing it (invitations
//! as `.ics`, a calendar subscription, My day), preparing and holding its meetings, and the
//! minutes. See `counterpart_core::jour_fixe`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use counterpart_core::ids::{
    AccountId, ActionId, InsightId, ItemId, MeetingId, PersonId, SeriesId, UnitId,
};
use counterpart_core::insight::{InsightFields, InsightInput};
use counterpart_core::jour_fixe::ics::{self, CalendarEvent, Invitee, Method};
use counterpart_core::jour_fixe::{
    Action, ActionFields, ActionInput, Meeting, MeetingStatus, Series, SeriesFields, SeriesInput,
    parse_note,
};
use counterpart_core::user::TokenKind;
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{
    AccessToken, ActionView, AgendaItem, Contribution, InsightView, NewToken, Participant,
    SeriesFilter, SeriesSummary, Visibility,
};

use crate::error::{Error, Result};
use crate::{App, Principal};

mod cache;

pub(crate) use cache::MeetingCache;

/// How many coming occurrences a series page lists.
pub const COMING_SHOWN: u16 = 6;

/// How far ahead coming occurrences are computed, in days (far enough for a yearly series).
pub const COMING_DAYS: i64 = 800;

/// A coming occurrence of a series, with its meeting if one is recorded.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// When the recurrence has it.
    pub at: DateTime<Utc>,
    /// Its meeting (prepared, moved or cancelled), if recorded.
    pub meeting: Option<Meeting>,
}

impl Occurrence {
    /// When it takes place.
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.meeting.as_ref().map_or(self.at, |m| m.starts_at)
    }

    /// Whether it was called off.
    pub fn cancelled(&self) -> bool {
        self.meeting
            .as_ref()
            .is_some_and(|m| m.status == MeetingStatus::Cancelled)
    }
}

/// A series' page.
#[derive(Clone, Debug)]
pub struct SeriesPage {
    /// The series.
    pub series: Series,
    /// Its unit's name.
    pub unit_name: String,
    /// Its convenor's name.
    pub convenor_name: String,
    /// Who takes part.
    pub participants: Vec<Participant>,
    /// The accounts chosen one by one.
    pub chosen: Vec<(AccountId, String)>,
    /// How many accounts it covers now (chosen and by its rule).
    pub covered: usize,
    /// The coming occurrences.
    pub coming: Vec<Occurrence>,
    /// The meetings held or prepared so far, newest first.
    pub past: Vec<Meeting>,
    /// Whether the reader may change it (its convenor, a participant, an administrator).
    pub may_change: bool,
}

/// A meeting's page: the agenda with what was said, decided and agreed on each item; also
/// the minutes.
#[derive(Clone, Debug)]
pub struct MeetingPage {
    /// The meeting.
    pub meeting: Meeting,
    /// Its series.
    pub series: Series,
    /// Who takes part.
    pub participants: Arc<[Participant]>,
    /// The agenda, in order.
    pub agenda: Arc<[AgendaItem]>,
    /// Contributions and decisions, in the order made.
    pub contributions: Arc<[Contribution]>,
    /// The contributions' insights as the reader may see them (a confidential one only by
    /// those allowed).
    pub insights: HashMap<counterpart_core::ids::InsightId, InsightView>,
    /// The actions agreed.
    pub actions: Arc<[ActionView]>,
    /// Whether the reader may write in it (a participant or an administrator).
    pub may_change: bool,
    /// Whether nothing happened in it yet (its agenda may be prepared again).
    pub untouched: bool,
}

impl App {
    /// Every series.
    pub async fn series_list(&self, _who: &Principal) -> Result<Vec<SeriesSummary>> {
        Ok(self.store.series_list().await?)
    }

    /// One series.
    pub async fn series(&self, _who: &Principal, id: SeriesId) -> Result<Series> {
        Ok(self.store.series(id).await?)
    }

    /// Up to `limit` series passing `filter` with an id above `after`, by id (seek
    /// pagination, as the API reads lists).
    pub async fn series_after(
        &self,
        _who: &Principal,
        filter: &SeriesFilter,
        after: Option<SeriesId>,
        limit: u32,
    ) -> Result<Vec<Series>> {
        Ok(self.store.series_after(filter, after, limit).await?)
    }

    /// A series' meetings after the occurrence `after` (from the first, without it), by
    /// occurrence, at most `limit`: every meeting recorded (prepared, moved or cancelled), and
    /// the coming occurrences of a running series within [`COMING_DAYS`], with their meeting
    /// where one is recorded. What the series page shows, as a list to page through.
    pub async fn series_occurrences(
        &self,
        _who: &Principal,
        id: SeriesId,
        after: Option<DateTime<Utc>>,
        limit: u16,
    ) -> Result<Vec<Occurrence>> {
        let series = self.store.series(id).await?;
        let recorded = self.store.meetings_of(id).await?;
        let after_all = |at: &DateTime<Utc>| after.is_none_or(|after| *at > after);
        let mut occurrences: Vec<Occurrence> = recorded
            .iter()
            .filter(|m| after_all(&m.occurrence))
            .map(|m| Occurrence {
                at: m.occurrence,
                meeting: Some(m.clone()),
            })
            .collect();
        if let (None, Ok(schedule)) = (&series.cancelled_at, series.schedule()) {
            let now = counterpart_store::now();
            let from = after.map_or(now, |after| after.max(now));
            let wanted = usize::from(limit).saturating_add(recorded.len());
            let coming = schedule.between(
                from,
                now + chrono::Duration::days(COMING_DAYS),
                u16::try_from(wanted).unwrap_or(u16::MAX),
            );
            occurrences.extend(
                coming
                    .into_iter()
                    .filter(|at| after_all(at) && !recorded.iter().any(|m| m.occurrence == *at))
                    .map(|at| Occurrence { at, meeting: None }),
            );
        }
        occurrences.sort_by_key(|o| o.at);
        occurrences.truncate(usize::from(limit));
        Ok(occurrences)
    }

    /// One meeting (without its agenda: see [`App::meeting_page`]).
    pub async fn meeting(&self, _who: &Principal, id: MeetingId) -> Result<Meeting> {
        Ok(self.store.meeting(id).await?)
    }

    /// A series' page.
    pub async fn series_page(&self, who: &Principal, id: SeriesId) -> Result<SeriesPage> {
        let store = &self.store;
        let series = store.series(id).await?;
        let seen = self.visibility(who).await?;
        let (unit, convenor, participants, chosen, mut covered, meetings) = tokio::try_join!(
            store.unit(series.unit_id),
            store.person(series.convenor_id),
            store.participants(id),
            store.chosen_accounts(id, &seen),
            store.covered_accounts(&series),
            store.meetings_of(id),
        )?;
        covered.retain(|a| seen.sees_account(*a));
        let now = counterpart_store::now();
        let coming = match (&series.cancelled_at, series.schedule()) {
            (None, Ok(schedule)) => schedule
                .between(now, now + chrono::Duration::days(COMING_DAYS), COMING_SHOWN)
                .into_iter()
                .map(|at| Occurrence {
                    meeting: meetings.iter().find(|m| m.occurrence == at).cloned(),
                    at,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut past: Vec<Meeting> = meetings
            .into_iter()
            .filter(|m| m.prepared_at.is_some() && !coming.iter().any(|c| c.at == m.occurrence))
            .collect();
        past.reverse();
        let may_change = may_change(who, &participants);
        Ok(SeriesPage {
            may_change,
            unit_name: unit.name,
            convenor_name: convenor.display_name(),
            participants,
            chosen,
            covered: covered.len(),
            coming,
            past,
            series,
        })
    }

    /// Whether `who` may change a series, its participants, accounts and meetings: its
    /// convenor, its participants and administrators (anyone may convene a series of their
    /// own; nobody changes another's from outside).
    pub async fn may_change_series(&self, who: &Principal, id: SeriesId) -> Result<bool> {
        if who.role.is_admin() {
            return Ok(true);
        }
        Ok(may_change(who, &self.store.participants(id).await?))
    }

    /// The running series `who` may change: all for an administrator, else those they take
    /// part in.
    pub async fn series_i_may_change(&self, who: &Principal) -> Result<Vec<(SeriesId, String)>> {
        if !who.role.can_edit() {
            return Ok(Vec::new());
        }
        let series = if who.role.is_admin() {
            self.store
                .series_list()
                .await?
                .into_iter()
                .map(|s| s.series)
                .filter(|s| s.cancelled_at.is_none())
                .collect()
        } else {
            match who.person {
                Some(person) => self.store.series_of_person(person).await?,
                None => Vec::new(),
            }
        };
        Ok(series.into_iter().map(|s| (s.id, s.name)).collect())
    }

    async fn may_run(&self, who: &Principal, id: SeriesId) -> Result<()> {
        who.may_edit()?;
        self.store.series(id).await?;
        if self.may_change_series(who, id).await? {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Checks that the units a series names are ours.
    async fn check_series_units(&self, input: &SeriesInput) -> Result<()> {
        let own = self
            .store
            .own_organization()
            .await?
            .ok_or(Error::NotApplicable)?;
        let mut errors = FieldErrors::default();
        let units = [
            ("unit_id", Some(input.unit_id)),
            ("rule_unit_id", input.rule.as_ref().and_then(|r| r.unit_id)),
        ];
        for (field, unit) in units {
            if let Some(unit) = unit {
                match self.store.unit(unit).await {
                    Ok(u) if u.organization_id == own.id && u.active => {}
                    Ok(_) => errors.add(field, Problem::NotOwnOrganization),
                    Err(counterpart_store::StoreError::NotFound { .. }) => {
                        errors.add(field, Problem::NotFound);
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
        errors.into_result(|| ()).map_err(Error::Invalid)
    }

    /// Convenes a series: `who` (a person of ours) is its convenor and first participant.
    pub async fn create_series(&self, who: &Principal, fields: &SeriesFields) -> Result<Series> {
        who.may_edit()?;
        let convenor = who.person.ok_or(Error::NotApplicable)?;
        let input = SeriesInput::parse(fields, self.config.time_zone.name())?;
        self.check_series_units(&input).await?;
        Ok(self
            .store
            .create_series(&who.actor(), convenor, &input)
            .await?)
    }

    /// Changes a series as read at `version`.
    pub async fn update_series(
        &self,
        who: &Principal,
        id: SeriesId,
        version: i64,
        fields: &SeriesFields,
    ) -> Result<Series> {
        self.may_run(who, id).await?;
        let input = SeriesInput::parse(fields, self.config.time_zone.name())?;
        self.check_series_units(&input).await?;
        Ok(self
            .store
            .update_series(&who.actor(), id, version, &input)
            .await?)
    }

    /// Calls a series off.
    pub async fn cancel_series(
        &self,
        who: &Principal,
        id: SeriesId,
        version: i64,
    ) -> Result<Series> {
        self.may_run(who, id).await?;
        Ok(self.store.cancel_series(&who.actor(), id, version).await?)
    }

    /// Adds a person of ours to a series; `false` if they took part already.
    pub async fn add_participant(
        &self,
        who: &Principal,
        id: SeriesId,
        person: PersonId,
    ) -> Result<bool> {
        self.may_run(who, id).await?;
        self.check_own_person("person_id", person).await?;
        Ok(self.store.add_participant(&who.actor(), id, person).await?)
    }

    /// Takes someone out of a series.
    pub async fn remove_participant(
        &self,
        who: &Principal,
        id: SeriesId,
        person: PersonId,
    ) -> Result<()> {
        self.may_run(who, id).await?;
        Ok(self
            .store
            .remove_participant(&who.actor(), id, person)
            .await?)
    }

    /// Adds an account to a series; `false` if the series covered it already.
    pub async fn cover_account(
        &self,
        who: &Principal,
        id: SeriesId,
        account: AccountId,
    ) -> Result<bool> {
        self.may_run(who, id).await?;
        // A hidden account is as unknown as one that does not exist.
        let seen = self.visibility(who).await?.sees_account(account);
        let found = self.store.account(account).await;
        match found {
            Ok(a) if a.active && seen => {}
            Ok(_) | Err(counterpart_store::StoreError::NotFound { .. }) => {
                return Err(Error::Invalid(FieldErrors::single(
                    "account_id",
                    Problem::NotFound,
                )));
            }
            Err(e) => return Err(e.into()),
        }
        Ok(self.store.cover_account(&who.actor(), id, account).await?)
    }

    /// Takes an account off a series.
    pub async fn uncover_account(
        &self,
        who: &Principal,
        id: SeriesId,
        account: AccountId,
    ) -> Result<()> {
        self.may_run(who, id).await?;
        self.may_see_account(who, account).await?;
        Ok(self
            .store
            .uncover_account(&who.actor(), id, account)
            .await?)
    }

    /// The running series covering an account by choice.
    pub async fn series_covering(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<(SeriesId, String)>> {
        self.may_see_account(who, account).await?;
        Ok(self.store.series_covering(account).await?)
    }

    async fn check_own_person(&self, field: &'static str, person: PersonId) -> Result<()> {
        let own = self
            .store
            .own_organization()
            .await?
            .ok_or(Error::NotApplicable)?;
        match self.store.person(person).await {
            Ok(p) if p.organization_id == own.id && p.active => Ok(()),
            Ok(_) => Err(Error::Invalid(FieldErrors::single(
                field,
                Problem::NotOwnOrganization,
            ))),
            Err(counterpart_store::StoreError::NotFound { .. }) => Err(Error::Invalid(
                FieldErrors::single(field, Problem::NotFound),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// The meeting of an occurrence, recorded if it was not; `NotFound` for a moment the
    /// series does not meet.
    async fn occurrence(
        &self,
        who: &Principal,
        id: SeriesId,
        at: DateTime<Utc>,
    ) -> Result<Meeting> {
        let series = self.store.series(id).await?;
        let schedule = series.schedule().map_err(|_| Error::NotFound)?;
        if series.cancelled_at.is_some() || !schedule.is_occurrence(at) {
            return Err(Error::NotFound);
        }
        Ok(self.store.meeting_at(&who.actor(), id, at).await?)
    }

    /// Prepares the agenda of an occurrence now (the job does it a few days before).
    pub async fn prepare_occurrence(
        &self,
        who: &Principal,
        id: SeriesId,
        at: DateTime<Utc>,
    ) -> Result<Meeting> {
        self.may_run(who, id).await?;
        let meeting = self.occurrence(who, id, at).await?;
        if meeting.status == MeetingStatus::Cancelled {
            return Err(Error::NotApplicable);
        }
        Ok(self
            .store
            .prepare_agenda(&who.actor(), meeting.id, self.today())
            .await?)
    }

    /// Prepares a meeting's agenda again, as long as nothing happened in it.
    pub async fn prepare_again(&self, who: &Principal, id: MeetingId) -> Result<Meeting> {
        let meeting = self.store.meeting(id).await?;
        self.may_run(who, meeting.series_id).await?;
        if meeting.status == MeetingStatus::Cancelled || !self.store.meeting_untouched(id).await? {
            return Err(Error::NotApplicable);
        }
        Ok(self
            .store
            .prepare_agenda_again(&who.actor(), id, self.today())
            .await?)
    }

    /// Calls one occurrence off.
    pub async fn cancel_occurrence(
        &self,
        who: &Principal,
        id: SeriesId,
        at: DateTime<Utc>,
    ) -> Result<Meeting> {
        self.may_run(who, id).await?;
        let meeting = self.occurrence(who, id, at).await?;
        Ok(self
            .store
            .cancel_meeting(&who.actor(), meeting.id, meeting.version)
            .await?)
    }

    /// Moves one meeting to another day and time (wall time in the series' zone), length or
    /// place; its invitees get the update.
    pub async fn move_meeting(
        &self,
        who: &Principal,
        id: MeetingId,
        version: i64,
        fields: &MoveFields,
    ) -> Result<Meeting> {
        who.may_edit()?;
        let meeting = self.store.meeting(id).await?;
        self.may_run(who, meeting.series_id).await?;
        let series = self.store.series(meeting.series_id).await?;
        let tz: chrono_tz::Tz = series.time_zone.parse().map_err(|_| Error::NotApplicable)?;
        let mut errors = FieldErrors::default();
        let date = errors.take("date", counterpart_core::person::parse_date(&fields.date));
        let time = errors.take(
            "time",
            chrono::NaiveTime::parse_from_str(fields.time.trim(), "%H:%M")
                .map_err(|_| Problem::InvalidDate),
        );
        let (min, max) = counterpart_core::jour_fixe::DURATION_MINUTES;
        let duration = errors.take(
            "duration_minutes",
            fields
                .duration_minutes
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|d| (min..=max).contains(d))
                .ok_or(Problem::OutOfRange { min, max }),
        );
        let place = errors.take(
            "place",
            counterpart_core::validate::optional_text(
                &fields.place,
                counterpart_core::jour_fixe::MAX_PLACE,
            ),
        );
        let starts_at = match (date, time) {
            (Some(d), Some(t)) => {
                use chrono::TimeZone;
                match tz.from_local_datetime(&d.and_time(t)).earliest() {
                    Some(at) => Some(at.with_timezone(&Utc)),
                    None => {
                        errors.add("time", Problem::InvalidDate);
                        None
                    }
                }
            }
            _ => None,
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let (Some(starts_at), Some(duration)) = (starts_at, duration) else {
            return Err(Error::NotApplicable);
        };
        Ok(self
            .store
            .move_meeting(
                &who.actor(),
                id,
                version,
                (starts_at, duration, place.flatten()),
            )
            .await?)
    }

    /// A meeting's page (and its minutes).
    pub async fn meeting_page(&self, who: &Principal, id: MeetingId) -> Result<MeetingPage> {
        let data = self.meetings.get(&self.store, id).await?;
        // Who may see what is read only when the meeting holds a confidential insight of
        // someone else's or some account is restricted: most meetings hold neither, and a
        // division head's subtree is a few hundred units to read.
        let visibility =
            if data.confidential_beyond(who.user) || self.store.any_restricted().await? {
                self.visibility(who).await?
            } else {
                Visibility::everything()
            };
        let insights = data
            .insights_for(&visibility)
            .into_iter()
            .map(|v| (v.insight.id, v))
            .collect();
        let untouched = data.contributions.is_empty()
            && data.actions.is_empty()
            && data.agenda.iter().all(|i| i.added_by.is_none());
        let (agenda, contributions, actions) = data.seen_by(&visibility);
        Ok(MeetingPage {
            untouched,
            may_change: may_change(who, &data.participants),
            meeting: data.meeting.clone(),
            series: data.series.clone(),
            participants: Arc::clone(&data.participants),
            agenda,
            contributions,
            insights,
            actions,
        })
    }

    /// Refuses, as if it did not exist, an agenda item about an account `who` may not see.
    async fn may_see_item(&self, who: &Principal, id: MeetingId, item: ItemId) -> Result<()> {
        let data = self.meetings.get(&self.store, id).await?;
        match data.agenda.iter().find(|i| i.id == item) {
            Some(found) => match found.account_id {
                Some(account) => self.may_see_account(who, account).await,
                None => Ok(()),
            },
            // Not an item of this meeting: the store says so.
            None => Ok(()),
        }
    }

    /// A meeting's revision: what the live page polls.
    pub async fn meeting_revision(&self, _who: &Principal, id: MeetingId) -> Result<i64> {
        Ok(self.store.meeting_revision(id).await?)
    }

    async fn open_meeting(&self, who: &Principal, id: MeetingId) -> Result<Meeting> {
        let meeting = self.store.meeting(id).await?;
        self.may_run(who, meeting.series_id).await?;
        if meeting.status == MeetingStatus::Cancelled || meeting.prepared_at.is_none() {
            return Err(Error::NotApplicable);
        }
        Ok(meeting)
    }

    /// Adds an item to a meeting's agenda.
    pub async fn add_agenda_item(
        &self,
        who: &Principal,
        id: MeetingId,
        title: &str,
    ) -> Result<ItemId> {
        who.may_edit()?;
        let title = counterpart_core::validate::required_text(
            title,
            counterpart_core::jour_fixe::MAX_TITLE,
        )
        .map_err(|p| Error::Invalid(FieldErrors::single("title", p)))?;
        self.open_meeting(who, id).await?;
        Ok(self.store.add_agenda_item(&who.actor(), id, &title).await?)
    }

    /// Moves an item up or down the agenda.
    pub async fn move_agenda_item(
        &self,
        who: &Principal,
        id: MeetingId,
        item: ItemId,
        up: bool,
    ) -> Result<()> {
        who.may_edit()?;
        self.open_meeting(who, id).await?;
        self.may_see_item(who, id, item).await?;
        Ok(self
            .store
            .move_agenda_item(&who.actor(), id, item, up)
            .await?)
    }

    /// What `who` contributes on an item: an insight of theirs about its account (its id
    /// returned), or a note on an item about no account.
    pub async fn contribute(
        &self,
        who: &Principal,
        (id, item): (MeetingId, ItemId),
        fields: &InsightFields,
    ) -> Result<Option<InsightId>> {
        who.may_edit()?;
        let author = who.user()?;
        let input = InsightInput::parse(fields, self.today())?;
        // As when an insight is recorded on a page: a source that does not exist is the
        // field's problem (it was a failed foreign key, a 500).
        if let Some(source) = input.source_id
            && self.store.person(source).await.is_err()
        {
            return Err(Error::Invalid(FieldErrors::single(
                "source_id",
                Problem::NotFound,
            )));
        }
        self.open_meeting(who, id).await?;
        self.may_see_item(who, id, item).await?;
        Ok(self
            .store
            .contribute(&who.actor(), (id, item), (author, who.person), &input)
            .await?)
    }

    /// Notes a decision on an item.
    pub async fn decide(
        &self,
        who: &Principal,
        (id, item): (MeetingId, ItemId),
        text: &str,
    ) -> Result<()> {
        who.may_edit()?;
        who.user()?;
        let text = parse_note("decision", text)?;
        self.open_meeting(who, id).await?;
        self.may_see_item(who, id, item).await?;
        Ok(self.store.decide(&who.actor(), (id, item), &text).await?)
    }

    /// Agrees an action on an item: its owner is a person of ours.
    pub async fn create_action(
        &self,
        who: &Principal,
        (id, item): (MeetingId, ItemId),
        fields: &ActionFields,
    ) -> Result<Action> {
        who.may_edit()?;
        let input = ActionInput::parse(fields)?;
        self.check_own_person("owner_id", input.owner_id).await?;
        self.open_meeting(who, id).await?;
        self.may_see_item(who, id, item).await?;
        Ok(self
            .store
            .create_action(&who.actor(), Some((id, item)), &input)
            .await?)
    }

    /// Marks an action done today (or open again).
    pub async fn finish_action(
        &self,
        who: &Principal,
        id: ActionId,
        version: i64,
        done: bool,
    ) -> Result<Action> {
        who.may_edit()?;
        if let Some(account) = self.store.action(id).await?.account_id {
            self.may_see_account(who, account).await?;
        }
        Ok(self
            .store
            .finish_action(&who.actor(), id, version, done.then(|| self.today()))
            .await?)
    }

    /// The open actions of a person of ours.
    pub async fn open_actions_of(
        &self,
        who: &Principal,
        person: PersonId,
    ) -> Result<Vec<ActionView>> {
        let seen = self.visibility(who).await?;
        Ok(self.store.open_actions_of(person, &seen).await?)
    }

    /// The open actions on an account and the meetings it was discussed in.
    pub async fn jour_fixe_of_account(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<AccountJourFixe> {
        self.may_see_account(who, account).await?;
        let (actions, meetings, series) = tokio::try_join!(
            self.store.open_actions_on(account),
            self.store.meetings_about(account),
            self.store.series_covering(account),
        )?;
        Ok(AccountJourFixe {
            actions,
            meetings,
            series,
        })
    }

    /// The coming meetings of the series a person of ours takes part in, within `days`.
    pub async fn coming_meetings(
        &self,
        _who: &Principal,
        person: PersonId,
        days: i64,
    ) -> Result<Vec<(Series, Occurrence)>> {
        let now = counterpart_store::now();
        let until = now + chrono::Duration::days(days);
        let (series, recorded) = tokio::try_join!(
            self.store.series_of_person(person),
            self.store.meetings_of_person(
                person,
                now - chrono::Duration::days(1),
                until + chrono::Duration::days(1)
            ),
        )?;
        let mut coming = Vec::new();
        for s in series {
            let Ok(schedule) = s.schedule() else { continue };
            for at in schedule.between(now, until, 4) {
                let meeting = recorded
                    .iter()
                    .find(|m| m.meeting.series_id == s.id && m.meeting.occurrence == at)
                    .map(|m| m.meeting.clone());
                coming.push((s.clone(), Occurrence { at, meeting }));
            }
        }
        coming.sort_by_key(|(_, o)| o.starts_at());
        Ok(coming)
    }

    /// The invitation to a series (METHOD:REQUEST, or CANCEL for a cancelled series): the
    /// recurring event with every cancelled meeting excluded and every moved one as its own
    /// event. `base` is the product's address for links.
    pub async fn series_calendar(
        &self,
        _who: &Principal,
        id: SeriesId,
        base: &str,
    ) -> Result<String> {
        let series = self.store.series(id).await?;
        let (events, method) = self.series_events(&series, base).await?;
        Ok(ics::calendar(
            method,
            &series.name,
            &events,
            counterpart_store::now(),
        ))
    }

    /// The invitation to one meeting (REQUEST, or CANCEL if it was called off).
    pub async fn meeting_calendar(
        &self,
        _who: &Principal,
        id: MeetingId,
        base: &str,
    ) -> Result<String> {
        let meeting = self.store.meeting(id).await?;
        let series = self.store.series(meeting.series_id).await?;
        let participants = self.store.participants(series.id).await?;
        let event = single_event(&series, &meeting, &participants, base)?;
        let method = if event.cancelled {
            Method::Cancel
        } else {
            Method::Request
        };
        Ok(ics::calendar(
            method,
            &series.name,
            &[event],
            counterpart_store::now(),
        ))
    }

    /// A user's calendar subscription: every series their person takes part in.
    pub async fn calendar_feed(&self, token: &str, base: &str) -> Result<Option<String>> {
        let Some(found) = self.store.use_token(token, TokenKind::Calendar).await? else {
            return Ok(None);
        };
        let user = self.store.user(found.user_id).await?;
        let mut events = Vec::new();
        if let Some(person) = user.person_id {
            for series in self.store.series_of_person(person).await? {
                events.extend(self.series_events(&series, base).await?.0);
            }
        }
        Ok(Some(ics::calendar(
            Method::Publish,
            "Counterpart – Jour fixe",
            &events,
            counterpart_store::now(),
        )))
    }

    async fn series_events(
        &self,
        series: &Series,
        base: &str,
    ) -> Result<(Vec<CalendarEvent>, Method)> {
        let (participants, meetings, convenor) = tokio::try_join!(
            self.store.participants(series.id),
            self.store.meetings_of(series.id),
            self.store.person(series.convenor_id),
        )?;
        let tz: chrono_tz::Tz = series.time_zone.parse().map_err(|_| Error::NotApplicable)?;
        let wall = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
        let mut main = CalendarEvent {
            uid: series.uid.clone(),
            sequence: series.sequence,
            summary: series.name.clone(),
            description: format!("{base}/jour-fixe/{}", series.id),
            location: series.place.clone(),
            url: Some(format!("{base}/jour-fixe/{}", series.id)),
            start: series.first_start,
            end: series.first_start + chrono::Duration::minutes(series.duration_minutes),
            zone: series.time_zone.clone(),
            rrule: Some(series.rrule.clone()),
            exdates: Vec::new(),
            recurrence_id: None,
            cancelled: series.cancelled_at.is_some(),
            organizer: Some(Invitee {
                name: convenor.display_name(),
                email: convenor.email.clone(),
            }),
            attendees: invitees(&participants),
        };
        let mut events = Vec::new();
        for meeting in &meetings {
            if meeting.status == MeetingStatus::Cancelled {
                main.exdates.push(wall(meeting.occurrence));
            } else if meeting.starts_at != meeting.occurrence
                || meeting.duration_minutes != series.duration_minutes
                || meeting.place.is_some()
            {
                events.push(single_event(series, meeting, &participants, base)?);
            }
        }
        let method = if main.cancelled {
            Method::Cancel
        } else {
            Method::Request
        };
        events.insert(0, main);
        Ok((events, method))
    }
}

impl App {
    /// `who`'s calendar addresses.
    pub async fn calendar_tokens(&self, who: &Principal) -> Result<Vec<AccessToken>> {
        Ok(self
            .store
            .tokens_of(who.user()?, Some(TokenKind::Calendar))
            .await?)
    }

    /// Makes a calendar address for `who`; the token is shown once.
    pub async fn create_calendar_token(&self, who: &Principal) -> Result<String> {
        let (_, token) = self
            .store
            .create_token(&who.actor(), who.user()?, &NewToken::calendar())
            .await?;
        Ok(token)
    }

    /// Revokes one of `who`'s calendar addresses (any, for an administrator).
    pub async fn revoke_calendar_token(&self, who: &Principal, id: i64) -> Result<()> {
        self.revoke_token(who, id).await?;
        Ok(())
    }

    /// The unit of ours `who` belongs to, if they are a person of ours with one.
    pub async fn own_unit_of(&self, who: &Principal) -> Result<Option<UnitId>> {
        match who.person {
            Some(person) => Ok(self.store.person(person).await?.unit_id),
            None => Ok(None),
        }
    }

    /// Our own organization's id, if there is one.
    pub async fn own_organization_id(
        &self,
        _who: &Principal,
    ) -> Result<Option<counterpart_core::ids::OrganizationId>> {
        Ok(self.store.own_organization().await?.map(|o| o.id))
    }

    /// Up to ten active accounts whose name holds `query` (folded as the search folds).
    pub async fn accounts_named(
        &self,
        who: &Principal,
        query: &str,
    ) -> Result<Vec<(AccountId, String)>> {
        let folded = counterpart_core::text::fold(query.trim());
        if folded.is_empty() || query.len() > 200 {
            return Ok(Vec::new());
        }
        let seen = self.visibility(who).await?;
        Ok(self.store.search_accounts(&folded, 10, &seen).await?)
    }
}

/// The form that moves a meeting.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct MoveFields {
    /// The new day.
    #[serde(default)]
    pub date: String,
    /// The new start, `HH:MM`, wall time in the series' zone.
    #[serde(default)]
    pub time: String,
    /// Minutes.
    #[serde(default)]
    pub duration_minutes: String,
    /// Another place, or empty for the series' own.
    #[serde(default)]
    pub place: String,
}

/// An invitation mail as the job queue's key names it: what to send to whom.
#[derive(Clone, Debug)]
pub struct InvitationMail {
    /// The series' name.
    pub series_name: String,
    /// The calendar file.
    pub calendar: String,
    /// Whether it calls off (METHOD:CANCEL) rather than invites.
    pub cancel: bool,
    /// The participants with an e-mail address: (name, address).
    pub recipients: Vec<(String, String)>,
}

impl App {
    /// The invitation a job key (`series:{id}` or `meeting:{id}`) stands for now; `None` for
    /// a key of something that no longer exists or a key of another form.
    pub async fn invitation_mail(&self, key: &str, base: &str) -> Result<Option<InvitationMail>> {
        let who = Principal::system("Einladungen");
        let (calendar, series) = if let Some(id) = key.strip_prefix("series:") {
            let Ok(id) = id.parse::<SeriesId>() else {
                return Ok(None);
            };
            let series = match self.store.series(id).await {
                Ok(s) => s,
                Err(counterpart_store::StoreError::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            (self.series_calendar(&who, id, base).await?, series)
        } else if let Some(id) = key.strip_prefix("meeting:") {
            let Ok(id) = id.parse::<MeetingId>() else {
                return Ok(None);
            };
            let meeting = match self.store.meeting(id).await {
                Ok(m) => m,
                Err(counterpart_store::StoreError::NotFound { .. }) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let series = self.store.series(meeting.series_id).await?;
            (self.meeting_calendar(&who, id, base).await?, series)
        } else {
            return Ok(None);
        };
        let recipients = self
            .store
            .participants(series.id)
            .await?
            .into_iter()
            .filter_map(|p| p.email.map(|e| (p.name, e)))
            .collect();
        Ok(Some(InvitationMail {
            cancel: calendar.contains("METHOD:CANCEL"),
            series_name: series.name,
            calendar,
            recipients,
        }))
    }
}

/// The open actions on an account, the meetings it was discussed in and the series covering it.
#[derive(Clone, Debug)]
pub struct AccountJourFixe {
    /// Open actions, earliest due first.
    pub actions: Vec<ActionView>,
    /// Meetings it was on the agenda of, newest first: (meeting, series name, start).
    pub meetings: Vec<(MeetingId, String, DateTime<Utc>)>,
    /// Running series that cover it by choice.
    pub series: Vec<(SeriesId, String)>,
}

/// The rule of [`App::may_change_series`] for participants already read.
fn may_change(who: &Principal, participants: &[Participant]) -> bool {
    who.role.is_admin()
        || (who.role.can_edit()
            && who
                .person
                .is_some_and(|me| participants.iter().any(|p| p.person_id == me)))
}

fn invitees(participants: &[Participant]) -> Vec<Invitee> {
    participants
        .iter()
        .map(|p| Invitee {
            name: p.name.clone(),
            email: p.email.clone(),
        })
        .collect()
}

fn single_event(
    series: &Series,
    meeting: &Meeting,
    participants: &[Participant],
    base: &str,
) -> Result<CalendarEvent> {
    let tz: chrono_tz::Tz = series.time_zone.parse().map_err(|_| Error::NotApplicable)?;
    let wall = |at: DateTime<Utc>| at.with_timezone(&tz).naive_local();
    Ok(CalendarEvent {
        uid: series.uid.clone(),
        sequence: meeting.sequence.max(series.sequence),
        summary: series.name.clone(),
        description: format!("{base}/meetings/{}", meeting.id),
        location: meeting.place.clone().or_else(|| series.place.clone()),
        url: Some(format!("{base}/meetings/{}", meeting.id)),
        start: wall(meeting.starts_at),
        end: wall(meeting.starts_at + chrono::Duration::minutes(meeting.duration_minutes)),
        zone: series.time_zone.clone(),
        rrule: None,
        exdates: Vec::new(),
        recurrence_id: Some(wall(meeting.occurrence)),
        cancelled: meeting.status == MeetingStatus::Cancelled || series.cancelled_at.is_some(),
        organizer: None,
        attendees: invitees(participants),
    })
}
