//! Loads the demo dataset of [`counterpart_core::demo`] through the normal use cases, so the
//! demo exercises the same rules and writes the same audit entries as real work.

use std::collections::HashMap;

use chrono::Months;
use chrono::{Datelike, NaiveDate};
use counterpart_core::account::{
    AccountFields, AccountInput, AssignmentInput, KeyContactInput, RatingInput,
};
use counterpart_core::demo::{self, DemoUser};
use counterpart_core::ids::{OrganizationId, PersonId, UnitId, UserId};
use counterpart_core::importance::CriterionInput;
use counterpart_core::org::{OrganizationInput, UnitInput};
use counterpart_core::person::{Email, PersonInput, Phone};
use counterpart_core::user::{UserInput, Username};
use counterpart_core::validate::FieldErrors;

use crate::Actor;
use crate::db::Store;
use crate::error::{Refusal, Result, StoreError};
use crate::time::date_to_db;

/// The `meta` key that marks a database as holding the demo dataset.
const DEMO_MARKER: &str = "demo_dataset";

/// What the demo loader created.
#[derive(Clone, Debug)]
pub struct DemoReport {
    /// Organizations created.
    pub organizations: usize,
    /// Units created.
    pub units: usize,
    /// People created.
    pub people: usize,
    /// The logins, with their demo passwords.
    pub users: Vec<DemoUser>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl Store {
    /// Whether this database holds the demo dataset.
    pub async fn is_demo(&self) -> Result<bool> {
        Ok(self.meta(DEMO_MARKER).await?.is_some())
    }

    /// Loads the demo dataset into an empty, migrated database.
    pub async fn load_demo(&self) -> Result<DemoReport> {
        if !self.is_empty().await? {
            return Err(StoreError::Refused(Refusal::DatabaseNotEmpty));
        }
        self.seed_defaults().await?;
        let actor = Actor {
            user_id: None,
            name: "Demo-Daten".to_owned(),
        };
        let levels: HashMap<i64, _> = self
            .levels()
            .await?
            .into_iter()
            .map(|l| (l.rank, l.id))
            .collect();
        let functions: HashMap<String, _> = self
            .functions()
            .await?
            .into_iter()
            .map(|f| (f.key, f.id))
            .collect();
        let mut report = DemoReport {
            organizations: 0,
            units: 0,
            people: 0,
            users: demo::users(),
        };
        let mut person_ids: HashMap<String, PersonId> = HashMap::new();
        let mut org_ids = Vec::new();
        let mut own_units: HashMap<&str, UnitId> = HashMap::new();
        for (index, org) in demo::organizations().into_iter().enumerate() {
            let input = OrganizationInput {
                name: org.name.to_owned(),
                kind: org.kind,
                notes: Some(org.notes.to_owned()),
            };
            let created = self.create_organization(&actor, &input).await?;
            org_ids.push(created.id);
            report.organizations += 1;
            let mut unit_ids: HashMap<&str, UnitId> = HashMap::new();
            for unit in &org.units {
                let input = UnitInput {
                    name: unit.name.to_owned(),
                    kind: unit.kind,
                    parent_id: unit.parent.and_then(|p| unit_ids.get(p).copied()),
                };
                let id = self.create_unit(&actor, created.id, &input).await?.id;
                unit_ids.insert(unit.key, id);
                if index == 0 {
                    own_units.insert(unit.key, id);
                }
                report.units += 1;
            }
            for p in &org.people {
                let link =
                    |key: &Option<String>| key.as_ref().and_then(|k| person_ids.get(k).copied());
                let input = PersonInput {
                    given_name: Some(p.given_name.to_owned()),
                    family_name: p.family_name.to_owned(),
                    academic_title: p.academic_title.map(str::to_owned),
                    job_title: Some(p.job_title.clone()),
                    level_id: levels.get(&p.level_rank).copied(),
                    function_id: functions.get(p.function).copied(),
                    unit_id: unit_ids.get(p.unit).copied(),
                    reports_to_id: link(&p.reports_to),
                    assistant_of_id: link(&p.assistant_of),
                    email: Email::parse(&p.email).ok(),
                    phone: Phone::parse(&p.phone).ok(),
                    mobile: None,
                    notes: None,
                };
                // One customer-side manager came over from another company: her history shows it.
                let since = if p.key == "bs-ek-dl" {
                    date(2023, 7, 1)
                } else {
                    date(2019, 1, 1)
                };
                let person = self
                    .create_person(&actor, created.id, &input, since)
                    .await?;
                person_ids.insert(p.key.clone(), person.id);
                report.people += 1;
            }
        }
        self.add_demo_history(&person_ids).await?;
        let hash = self.hash_password("demo").await?;
        let mut user_ids: HashMap<&str, (UserId, String)> = HashMap::new();
        for user in &report.users {
            let username =
                Username::parse(user.username).map_err(|p| FieldErrors::single("username", p))?;
            let person = self.person(person_ids[user.person]).await?;
            let display = person.display_name();
            let details = UserInput {
                display_name: display.clone(),
                email: person
                    .email
                    .as_deref()
                    .map(|email| Email::parse(&email.to_lowercase()))
                    .transpose()
                    .map_err(|p| FieldErrors::single("email", p))?,
                role: user.role,
                person_id: Some(person.id),
            };
            let created = self.insert_user(&actor, &username, &details, &hash).await?;
            user_ids.insert(user.username, (created.id, display));
        }
        self.add_demo_accounts(&actor, &org_ids, &own_units, &person_ids, &user_ids)
            .await?;
        self.add_demo_insights(&person_ids, &user_ids).await?;

        self.add_demo_guiding(&org_ids, &own_units, &user_ids)
            .await?;
        // The counterparts go back two years: so does the mirror score's trend.
        self.backfill_mirror_history(24).await?;
        // The jour fixe's agendas are prepared from the data as the lists show it: importance
        // and mirror first.
        self.run_jobs("demo").await?;
        self.add_demo_jour_fixe(&org_ids, &own_units, &person_ids, &user_ids)
            .await?;
        self.set_meta(DEMO_MARKER, "1").await?;
        Ok(report)
    }

    /// What our people learned about the key people and their contacts with them, recorded
    /// by the demo users.
    async fn add_demo_insights(
        &self,
        people: &HashMap<String, PersonId>,
        users: &HashMap<&str, (UserId, String)>,
    ) -> Result<()> {
        let today = crate::now().date_naive();
        for insight in demo::insights() {
            let (user, name) = &users[insight.user];
            let author_person = demo::users()
                .iter()
                .find(|u| u.username == insight.user)
                .map(|u| people[u.person]);
            let input = counterpart_core::insight::InsightInput {
                category: insight.category.parse().map_err(|_| {
                    FieldErrors::single(
                        "category",
                        counterpart_core::validate::Problem::UnknownChoice,
                    )
                })?,
                text: insight.text.to_owned(),
                learned_on: today - chrono::Days::new(insight.days_ago),
                source_id: None,
                certainty: if insight.confirmed {
                    counterpart_core::insight::Certainty::Confirmed
                } else {
                    counterpart_core::insight::Certainty::Heard
                },
                valid_until: None,
                confidential: insight.confidential,
            };
            let actor = Actor {
                user_id: Some(*user),
                name: name.clone(),
            };
            let about = crate::InsightAbout {
                partner: Some(people[insight.partner]),
                account: None,
                author: *user,
                author_person,
            };
            self.create_insight(&actor, about, &input).await?;
        }
        for contact in demo::contacts() {
            let (user, name) = &users[contact.user];
            let author_person = demo::users()
                .iter()
                .find(|u| u.username == contact.user)
                .map(|u| people[u.person]);
            let input = counterpart_core::interaction::InteractionInput {
                kind: contact.kind.parse().map_err(|_| {
                    FieldErrors::single("kind", counterpart_core::validate::Problem::UnknownChoice)
                })?,
                happened_on: today - chrono::Days::new(contact.days_ago),
                summary: contact.summary.to_owned(),
            };
            let actor = Actor {
                user_id: Some(*user),
                name: name.clone(),
            };
            let also: Vec<PersonId> = contact.also.iter().map(|key| people[*key]).collect();
            self.log_interaction(
                &actor,
                people[contact.partner],
                None,
                (*user, author_person),
                &input,
                &also,
            )
            .await?;
        }
        Ok(())
    }

    /// The monthly customer jour fixe with its three past meetings: agendas prepared on the
    /// day, contributions from several levels, decisions, actions open and done.
    async fn add_demo_jour_fixe(
        &self,
        orgs: &[OrganizationId],
        own_units: &HashMap<&str, UnitId>,
        people: &HashMap<String, PersonId>,
        users: &HashMap<&str, (UserId, String)>,
    ) -> Result<()> {
        use counterpart_core::jour_fixe::{ActionInput, SeriesInput};
        let plan = demo::jour_fixe();
        let tz = chrono_tz::Europe::Berlin;
        let now = crate::now();
        // The first Tuesday of the month four months back, 09:00 in Berlin.
        let today = now.with_timezone(&tz).date_naive();
        let month = today
            .checked_sub_months(Months::new(4))
            .unwrap_or(today)
            .with_day(1)
            .unwrap_or(today);
        let first_tuesday = (0..7)
            .map(|d| month + chrono::Days::new(d))
            .find(|d| d.weekday() == chrono::Weekday::Tue)
            .unwrap_or(month);
        let convenor_user = users
            .get("krueger")
            .map(|(id, name)| Actor {
                user_id: Some(*id),
                name: name.clone(),
            })
            .unwrap_or_else(Actor::system);
        let input = SeriesInput {
            name: plan.name.to_owned(),
            unit_id: own_units[plan.unit],
            first_start: first_tuesday.and_hms_opt(9, 0, 0).unwrap_or_default(),
            time_zone: tz.name().to_owned(),
            rrule: "FREQ=MONTHLY;BYDAY=1TU".to_owned(),
            duration_minutes: 90,
            place: Some(plan.place.to_owned()),
            rule: None,
        };
        let series = self
            .create_series(&convenor_user, people[plan.convenor], &input)
            .await?;
        for key in &plan.participants {
            self.add_participant(&convenor_user, series.id, people[*key])
                .await?;
        }
        let accounts = self
            .accounts(
                &crate::AccountFilter::default(),
                &crate::Visibility::everything(),
            )
            .await?;
        let account_of = |index: usize| {
            accounts
                .iter()
                .find(|a| a.account.organization_id == orgs[index] && a.account.unit_id.is_none())
                .map(|a| a.account.id)
        };
        for index in &plan.accounts {
            if let Some(account) = account_of(*index) {
                self.cover_account(&convenor_user, series.id, account)
                    .await?;
            }
        }
        let schedule = series
            .schedule()
            .map_err(|p| FieldErrors::single("rrule", p))?;
        let held = schedule.between(
            now - chrono::Duration::days(130),
            now - chrono::Duration::hours(2),
            10,
        );
        let held = &held[held.len().saturating_sub(plan.meetings.len())..];
        let actor_of = |user: &str| {
            let (id, name) = &users[user];
            (
                Actor {
                    user_id: Some(*id),
                    name: name.clone(),
                },
                *id,
            )
        };
        let person_of_user = |user: &str| {
            demo::users()
                .iter()
                .find(|u| u.username == user)
                .map(|u| people[u.person])
        };
        for (at, said) in held.iter().zip(&plan.meetings) {
            let day = at.with_timezone(&tz).date_naive();
            let meeting = self.meeting_at(&convenor_user, series.id, *at).await?;
            self.prepare_agenda(&convenor_user, meeting.id, day).await?;
            let agenda = self.agenda(meeting.id).await?;
            let item_of = |index: usize| {
                let account = account_of(index)?;
                agenda
                    .iter()
                    .find(|i| i.account_id == Some(account))
                    .map(|i| i.id)
            };
            for (index, user, category, text) in &said.said {
                let Some(item) = item_of(*index) else {
                    continue;
                };
                let (actor, id) = actor_of(user);
                let input = counterpart_core::insight::InsightInput {
                    category: category.parse().map_err(|_| {
                        FieldErrors::single(
                            "category",
                            counterpart_core::validate::Problem::UnknownChoice,
                        )
                    })?,
                    text: (*text).to_owned(),
                    learned_on: day,
                    source_id: None,
                    certainty: counterpart_core::insight::Certainty::Heard,
                    valid_until: None,
                    confidential: false,
                };
                self.contribute(
                    &actor,
                    (meeting.id, item),
                    (id, person_of_user(user)),
                    &input,
                )
                .await?;
            }
            for (index, user, text) in &said.decided {
                let Some(item) = item_of(*index) else {
                    continue;
                };
                self.decide(&actor_of(user).0, (meeting.id, item), text)
                    .await?;
            }
            for (index, owner, title, due_days, done) in &said.agreed {
                let Some(item) = item_of(*index) else {
                    continue;
                };
                let input = ActionInput {
                    title: (*title).to_owned(),
                    owner_id: people[*owner],
                    due_on: day + chrono::Days::new(*due_days),
                };
                let action = self
                    .create_action(&convenor_user, Some((meeting.id, item)), &input)
                    .await?;
                if *done {
                    self.finish_action(
                        &convenor_user,
                        action.id,
                        action.version,
                        Some(input.due_on - chrono::Days::new(2)),
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// Accounts, key contacts, counterparts with two years of ratings, the team's criteria,
    /// weight proposals and importance ratings.
    async fn add_demo_accounts(
        &self,
        actor: &Actor,
        orgs: &[OrganizationId],
        own_units: &HashMap<&str, UnitId>,
        people: &HashMap<String, PersonId>,
        users: &HashMap<&str, (UserId, String)>,
    ) -> Result<()> {
        let today = crate::now().date_naive();
        let months_ago = |months: u32| {
            today
                .checked_sub_months(Months::new(months))
                .unwrap_or(today)
        };
        let date = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let mut criteria = Vec::new();
        for (de, en, dde, den, scope, weight) in demo::criteria() {
            let input = CriterionInput::parse(de, en, dde, den, scope, &weight.to_string())?;
            criteria.push(self.create_criterion(actor, &input).await?.id);
        }
        for (user, criterion, weight) in demo::weight_proposals() {
            let (id, name) = &users[user];
            let proposer = Actor {
                user_id: Some(*id),
                name: name.clone(),
            };
            self.propose_weights(&proposer, *id, &[(criteria[criterion], Some(weight))])
                .await?;
        }
        // Who rates a relationship: the demo user who holds it, else the demo loader.
        let mut rater_of: HashMap<PersonId, Actor> = HashMap::new();
        for user in demo::users() {
            let (id, name) = &users[user.username];
            rater_of.insert(
                people[user.person],
                Actor {
                    user_id: Some(*id),
                    name: name.clone(),
                },
            );
        }
        let mut accounts = HashMap::new();
        for account in demo::accounts() {
            let fields = AccountFields {
                organization_id: orgs[account.organization].to_string(),
                // A neighbouring department: a unit of our own house.
                unit_id: account
                    .unit
                    .map(|u| own_units[u].to_string())
                    .unwrap_or_default(),
                relation: account.relation.to_owned(),
                mode: account.mode.to_owned(),
                responsible_unit_id: own_units[account.responsible_unit].to_string(),
                manager_id: account
                    .manager
                    .map(|m| people[m].to_string())
                    .unwrap_or_default(),
                notes: account.notes.to_owned(),
                ..Default::default()
            };
            let created = self
                .create_account(actor, &AccountInput::parse(&fields)?)
                .await?;
            accounts.insert(account.organization, created.id);
            for (person, role, stance, influence) in &account.contacts {
                let input = KeyContactInput::parse(
                    &people[*person].to_string(),
                    role,
                    stance,
                    &influence.to_string(),
                )?;
                self.add_key_contact(actor, created.id, &input).await?;
            }
            for (partner, ours, kind, since, ratings) in &account.counterparts {
                let input = AssignmentInput::parse(
                    &people[*partner].to_string(),
                    &people[*ours].to_string(),
                    kind,
                    &date(months_ago(*since)),
                )?;
                let assignment = self.assign(actor, &input).await?;
                let rater = rater_of.get(&people[*ours]).unwrap_or(actor);
                // One rating a quarter, the newest a fortnight ago — or, where the
                // relationship has cooled, longer ago: those pairs are due or overdue.
                let count = ratings.len() as u32;
                let newest = match ratings.last() {
                    Some(1 | 2) => 150,
                    Some(3) => 50,
                    _ => 14,
                };
                for (i, relationship) in ratings.iter().enumerate() {
                    let on =
                        months_ago(3 * (count - 1 - i as u32)) - chrono::Duration::days(newest);
                    let satisfaction =
                        (relationship + i64::from(i % 3 == 1) - i64::from(i % 4 == 3)).clamp(1, 5);
                    let partnership =
                        (relationship - i64::from(i % 2 == 0 && *relationship > 3)).clamp(1, 5);
                    let comment = match (i + 1 == ratings.len(), *relationship) {
                        (true, 5) => "Sehr offenes Gespräch, der Kunde fühlt sich verstanden.",
                        (true, 1 | 2) => {
                            "Spürbare Distanz; ein Termin auf Augenhöhe ist überfällig."
                        }
                        _ => "",
                    };
                    let input = RatingInput::parse(
                        &date(on),
                        &relationship.to_string(),
                        &partnership.to_string(),
                        &satisfaction.to_string(),
                        comment,
                    )?;
                    self.rate(rater, assignment.id, &input).await?;
                }
            }
        }
        for (user, org, criterion, score) in demo::importance_ratings() {
            let (id, name) = &users[user];
            let rater = Actor {
                user_id: Some(*id),
                name: name.clone(),
            };
            self.rate_importance(
                &rater,
                *id,
                accounts[&org],
                &[(criteria[criterion], Some(score))],
            )
            .await?;
        }
        Ok(())
    }

    /// The demo's answers to the guiding questions ([`demo::guiding_answers`]); the newest of
    /// each partner with the pre-answers the data give when the demo is loaded.
    async fn add_demo_guiding(
        &self,
        orgs: &[OrganizationId],
        own_units: &HashMap<&str, UnitId>,
        users: &HashMap<&str, (UserId, String)>,
    ) -> Result<()> {
        use counterpart_core::guiding::{AnswerSetInput, Questionnaire, pre_answers};
        let today = crate::now().date_naive();
        let sets = demo::guiding_answers();
        // What the data suggested months ago is not known: only each partner's newest set
        // gets today's pre-answers and evidence.
        let newest = |set: &demo::DemoAnswerSet| {
            sets.iter()
                .filter(|s| {
                    s.organization == set.organization && s.questionnaire == set.questionnaire
                })
                .all(|s| s.days_ago >= set.days_ago)
        };
        for set in &sets {
            let (account,): (i64,) = sqlx::query_as(
                "SELECT id FROM accounts WHERE organization_id = $1 AND unit_id IS NULL \
                 ORDER BY id LIMIT 1",
            )
            .bind(orgs[set.organization].get())
            .fetch_one(self.pool())
            .await?;
            let account = counterpart_core::ids::AccountId::new(account);
            let questionnaire: Questionnaire = set
                .questionnaire
                .parse()
                .map_err(|p| FieldErrors::single("questionnaire", p))?;
            let mut form: HashMap<String, String> = HashMap::new();
            form.insert("unit_id".to_owned(), own_units[set.unit].to_string());
            for (question, answer, comment) in &set.answers {
                form.insert((*question).to_owned(), (*answer).to_owned());
                form.insert(format!("{question}_comment"), (*comment).to_owned());
            }
            let input = AnswerSetInput::parse(questionnaire, &form)?;
            let answered_on = today - chrono::Days::new(set.days_ago);
            let facts = self
                .guiding_input(account, today, &crate::Visibility::everything())
                .await?;
            let pre = if newest(set) {
                pre_answers(
                    questionnaire,
                    &facts,
                    &counterpart_core::mirror::Settings::new(today),
                )
            } else {
                Vec::new()
            };
            let (user, name) = &users[set.user];
            let actor = Actor {
                user_id: Some(*user),
                name: name.clone(),
            };
            let answering = crate::Answering {
                questionnaire,
                account,
                answered_on,
                author: Some(*user),
            };
            self.record_answer_set(&actor, &answering, &input, &pre)
                .await?;
        }
        Ok(())
    }

    /// Gives one person an earlier employer, to show that a person and what we know about
    /// them stay one record across a change of company.
    async fn add_demo_history(&self, people: &HashMap<String, PersonId>) -> Result<()> {
        let (Some(mover), Some(earlier)) = (people.get("bs-ek-dl"), people.get("ia-am")) else {
            return Ok(());
        };
        let earlier_org = self.person(*earlier).await?.organization_id;
        let level = self
            .levels()
            .await?
            .into_iter()
            .find(|l| l.rank == 4)
            .map(|l| l.id.get());
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO positions (person_id, organization_id, unit_id, job_title, level_id, valid_from, valid_to) \
             VALUES ($1, $2, NULL, $3, $4, $5, $6)",
        )
        .bind(mover.get())
        .bind(earlier_org.get())
        .bind("Teamleiterin Einkauf Facility Services")
        .bind(level)
        .bind(date_to_db(date(2016, 4, 1)))
        .bind(date_to_db(date(2023, 6, 30)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
}
