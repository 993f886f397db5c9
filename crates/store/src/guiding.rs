//! The guiding questions: answer sets of our units about their partners, dated and never
//! changed (a new set each time), with the facts their pre-answers are computed from.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use counterpart_core::account::{DecisionRole, Stance};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::guiding::{
    Advocate, AnswerSet, AnswerSetInput, Evidence, GuidingInput, Knowledge, PreAnswer,
    Questionnaire, Recorded, StoredAnswer, WINDOW_DAYS,
};
use counterpart_core::ids::{AccountId, PersonId, UnitId, UserId};
use counterpart_core::mirror::OurPerson;
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{Change, record};
use crate::db::Store;
use crate::decode::decode;
use crate::error::{Result, StoreError};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::{Actor, Visibility};

/// Answer sets a page lists at most.
pub const ANSWER_SETS_SHOWN: i64 = 200;

/// Which answer sets to read.
#[derive(Clone, Copy, Debug, Default)]
pub struct AnswerSetFilter {
    /// Only about this account.
    pub account: Option<AccountId>,
    /// Only answered by this unit.
    pub unit: Option<UnitId>,
    /// Only of this questionnaire.
    pub questionnaire: Option<Questionnaire>,
}

/// Who enters an answer set and on which day.
#[derive(Clone, Debug)]
pub struct Answering {
    /// The questionnaire.
    pub questionnaire: Questionnaire,
    /// The partner's account.
    pub account: AccountId,
    /// The day.
    pub answered_on: NaiveDate,
    /// The user, if a user answers.
    pub author: Option<UserId>,
}

/// The columns of a set joined with its answers (sets `s`, answers `g`).
const COLUMNS: &str = "s.id, s.questionnaire, s.unit_id, s.account_id, s.answered_on, \
    s.author_id, s.author_name, g.question, g.answer, g.suggested, g.evidence, g.comment";

/// Groups joined rows (ordered by set) into answer sets, answers in questionnaire order.
fn answer_sets(rows: &[AnyRow]) -> Result<Vec<AnswerSet>, sqlx::Error> {
    let mut sets: Vec<AnswerSet> = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id")?;
        if sets.last().is_none_or(|s| s.id != id) {
            sets.push(AnswerSet {
                id,
                questionnaire: row
                    .try_get::<String, _>("questionnaire")?
                    .parse()
                    .map_err(decode)?,
                unit_id: UnitId::new(row.try_get("unit_id")?),
                account_id: AccountId::new(row.try_get("account_id")?),
                answered_on: date_from_db(&row.try_get::<String, _>("answered_on")?)?,
                author_id: row.try_get::<Option<i64>, _>("author_id")?.map(UserId::new),
                author_name: row.try_get("author_name")?,
                answers: Vec::new(),
            });
        }
        let Some(question) = row.try_get::<Option<String>, _>("question")? else {
            continue;
        };
        let evidence: Vec<Evidence> = serde_json::from_str(&row.try_get::<String, _>("evidence")?)
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let answer = StoredAnswer {
            question: question.parse().map_err(decode)?,
            answer: row
                .try_get::<String, _>("answer")?
                .parse()
                .map_err(decode)?,
            suggested: row
                .try_get::<Option<String>, _>("suggested")?
                .map(|s| s.parse().map_err(decode))
                .transpose()?,
            evidence,
            comment: row.try_get("comment")?,
        };
        if let Some(set) = sets.last_mut() {
            set.answers.push(answer);
        }
    }
    for set in &mut sets {
        let order = set.questionnaire.questions();
        set.answers
            .sort_by_key(|a| order.iter().position(|q| *q == a.question));
    }
    Ok(sets)
}

/// An answer set as the audit log shows it: one field per question, "answer (suggested:
/// suggestion): comment", beside the unit, the account and the day.
#[derive(Serialize)]
struct Audited {
    questionnaire: Questionnaire,
    unit_id: i64,
    account_id: i64,
    answered_on: NaiveDate,
    #[serde(flatten)]
    answers: BTreeMap<&'static str, String>,
}

impl Audited {
    fn of(set: &AnswerSet) -> Self {
        let answers = set
            .answers
            .iter()
            .map(|a| {
                let mut text = a.answer.as_str().to_owned();
                if let Some(suggested) = a.suggested.filter(|s| *s != a.answer) {
                    text.push_str(&format!(" (suggested: {suggested})"));
                }
                if let Some(comment) = &a.comment {
                    text.push_str(": ");
                    text.push_str(comment);
                }
                (a.question.as_str(), text)
            })
            .collect();
        Self {
            questionnaire: set.questionnaire,
            unit_id: set.unit_id.get(),
            account_id: set.account_id.get(),
            answered_on: set.answered_on,
            answers,
        }
    }
}

impl Store {
    /// Stores a unit's answers about a partner as a new set, with what the data suggested
    /// (`pre`, by question) and one audit row. The unit must be one of our own house.
    pub async fn record_answer_set(
        &self,
        actor: &Actor,
        answering: &Answering,
        input: &AnswerSetInput,
        pre: &[PreAnswer],
    ) -> Result<AnswerSet> {
        let mut tx = self.write().await?;
        let unit: Option<(String, String)> = sqlx::query_as(
            "SELECT o.kind, u.name FROM units u JOIN organizations o ON o.id = u.organization_id \
             WHERE u.id = $1",
        )
        .bind(input.unit_id.get())
        .fetch_optional(&mut *tx)
        .await?;
        let unit_name = match unit {
            None => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "unit_id",
                    Problem::NotFound,
                )));
            }
            Some((kind, _)) if kind != "own" => {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "unit_id",
                    Problem::NotOwnOrganization,
                )));
            }
            Some((_, name)) => name,
        };
        let account: Option<(String,)> = sqlx::query_as("SELECT name FROM accounts WHERE id = $1")
            .bind(answering.account.get())
            .fetch_optional(&mut *tx)
            .await?;
        let Some((account_name,)) = account else {
            return Err(StoreError::not_found(
                EntityKind::Account,
                answering.account.get(),
            ));
        };
        let id: i64 = sqlx::query(
            "INSERT INTO guiding_answer_sets (questionnaire, unit_id, account_id, answered_on, \
             author_id, author_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(answering.questionnaire.as_str())
        .bind(input.unit_id.get())
        .bind(answering.account.get())
        .bind(date_to_db(answering.answered_on))
        .bind(answering.author.map(UserId::get))
        .bind(&actor.name)
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let mut answers = Vec::with_capacity(input.answers.len());
        for given in &input.answers {
            let suggested = pre.iter().find(|p| p.question == given.question);
            let answer = StoredAnswer {
                question: given.question,
                answer: given.answer,
                suggested: suggested.and_then(|p| p.suggested),
                evidence: suggested.map(|p| p.evidence.clone()).unwrap_or_default(),
                comment: given.comment.clone(),
            };
            let evidence = serde_json::to_string(&answer.evidence)
                .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
            sqlx::query(
                "INSERT INTO guiding_answers (set_id, question, answer, suggested, evidence, \
                 comment) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(answer.question.as_str())
            .bind(answer.answer.as_str())
            .bind(answer.suggested.map(|s| s.as_str()))
            .bind(evidence)
            .bind(answer.comment.as_deref())
            .execute(&mut *tx)
            .await?;
            answers.push(answer);
        }
        let set = AnswerSet {
            id,
            questionnaire: answering.questionnaire,
            unit_id: input.unit_id,
            account_id: answering.account,
            answered_on: answering.answered_on,
            author_id: answering.author,
            author_name: actor.name.clone(),
            answers,
        };
        let label = format!(
            "{}: {account_name} ({unit_name}), {}",
            answering.questionnaire, answering.answered_on
        );
        record(
            &mut tx,
            actor,
            Change {
                entity: EntityKind::GuidingAnswers,
                id,
                action: AuditAction::Create,
                label: &label,
            },
            None,
            Some(&Audited::of(&set)),
        )
        .await?;
        tx.commit().await?;
        Ok(set)
    }

    /// Answer sets, oldest first (by day, then as entered); at most
    /// [`ANSWER_SETS_SHOWN`], the newest of them.
    pub async fn answer_sets(&self, filter: AnswerSetFilter) -> Result<Vec<AnswerSet>> {
        let mut conditions = Vec::new();
        let mut binds: Vec<String> = Vec::new();
        let mut ids: Vec<i64> = Vec::new();
        if let Some(account) = filter.account {
            ids.push(account.get());
            conditions.push(format!("x.account_id = ${}", ids.len()));
        }
        if let Some(unit) = filter.unit {
            ids.push(unit.get());
            conditions.push(format!("x.unit_id = ${}", ids.len()));
        }
        if let Some(questionnaire) = filter.questionnaire {
            binds.push(questionnaire.as_str().to_owned());
            conditions.push(format!("x.questionnaire = ${}", ids.len() + binds.len()));
        }
        let condition = if conditions.is_empty() {
            "1 = 1".to_owned()
        } else {
            conditions.join(" AND ")
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM guiding_answer_sets s \
             LEFT JOIN guiding_answers g ON g.set_id = s.id \
             WHERE s.id IN (SELECT x.id FROM guiding_answer_sets x WHERE {condition} \
               ORDER BY x.answered_on DESC, x.id DESC LIMIT {ANSWER_SETS_SHOWN}) \
             ORDER BY s.answered_on, s.id"
        );
        let query = ids.into_iter().fold(sqlx::query(&sql), |q, id| q.bind(id));
        let query = binds.into_iter().fold(query, |q, b| q.bind(b));
        let rows = query.fetch_all(self.pool()).await?;
        Ok(answer_sets(&rows)?)
    }

    /// The latest answer set of a questionnaire about each of `accounts` that has one (by any
    /// unit): what the matrix shows beside them.
    pub async fn latest_answer_sets(
        &self,
        accounts: &[AccountId],
        questionnaire: Questionnaire,
    ) -> Result<HashMap<AccountId, AnswerSet>> {
        let ids: Vec<i64> = accounts.iter().map(|a| a.get()).collect();
        let q = questionnaire.as_str();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT {COLUMNS} FROM guiding_answer_sets s \
                     LEFT JOIN guiding_answers g ON g.set_id = s.id \
                     WHERE s.id IN (SELECT MAX(x.id) FROM guiding_answer_sets x \
                       WHERE x.account_id IN ({list}) AND x.questionnaire = '{q}' \
                       AND x.answered_on = (SELECT MAX(y.answered_on) FROM guiding_answer_sets y \
                         WHERE y.account_id = x.account_id AND y.questionnaire = '{q}') \
                       GROUP BY x.account_id) \
                     ORDER BY s.id"
                )
            })
            .await?;
        Ok(answer_sets(&rows)?
            .into_iter()
            .map(|s| (s.account_id, s))
            .collect())
    }

    /// What our people recorded about an account or its key contacts from `since` on, as far
    /// as the reader may see: one entry per insight and per contact logged, with its author.
    pub async fn guiding_knowledge(
        &self,
        account: AccountId,
        since: NaiveDate,
        visibility: &Visibility,
    ) -> Result<Knowledge> {
        // As the account's lists read them: two index lookups, not one `OR` (see `Subject`).
        let about =
            |alias: &str, table: &str| crate::Subject::Account(account).condition(alias, table);
        let (visible, mut binds) =
            visibility.condition("i.confidential", "i.author_id", "i.author_unit_id", 3);
        // Nor what a shared key contact's entries recorded on a hidden account say.
        let (on_account, hidden) = visibility.accounts("i.account_id", 3 + binds.len());
        binds.extend(hidden);
        let sql = format!(
            "SELECT i.author_id, i.author_person_id FROM insights i \
             WHERE {} AND i.learned_on >= $2 AND i.withdrawn = 0 AND {visible} AND {on_account}",
            about("i", "insights")
        );
        let query = sqlx::query(&sql)
            .bind(account.get())
            .bind(date_to_db(since));
        let query = binds.into_iter().fold(query, |q, b| q.bind(b));
        let recorded = |row: &AnyRow| -> Result<Recorded, sqlx::Error> {
            Ok(Recorded {
                user: UserId::new(row.try_get(0)?),
                person: row.try_get::<Option<i64>, _>(1)?.map(PersonId::new),
            })
        };
        let insights = query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(recorded)
            .collect::<Result<_, _>>()?;
        let (on_account, hidden) = visibility.accounts("c.account_id", 3);
        let sql = format!(
            "SELECT c.author_id, c.author_person_id FROM interactions c \
             WHERE {} AND c.happened_on >= $2 AND {on_account}",
            about("c", "interactions")
        );
        let query = sqlx::query(&sql)
            .bind(account.get())
            .bind(date_to_db(since));
        let contacts = hidden
            .into_iter()
            .fold(query, |q, b| q.bind(b))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(recorded)
            .collect::<Result<_, _>>()?;
        Ok(Knowledge { insights, contacts })
    }

    /// Everything the pre-answers about an account read, as of `today`, with what the reader
    /// may see of the insights.
    pub async fn guiding_input(
        &self,
        account: AccountId,
        today: NaiveDate,
        visibility: &Visibility,
    ) -> Result<GuidingInput> {
        let stored = self.account(account).await?;
        let mirror = self.mirror_input(Some(account)).await?;
        let our_side = self
            .our_people_in(stored.responsible_unit_id, stored.manager_id)
            .await?;
        let since = today - chrono::Days::new(WINDOW_DAYS.unsigned_abs());
        let knowledge = self.guiding_knowledge(account, since, visibility).await?;
        let advocates = self
            .key_contacts(account)
            .await?
            .into_iter()
            .map(|k| Advocate {
                argues_for_us: k.role == DecisionRole::Champion || k.stance == Stance::Supporter,
                influence: k.influence,
            })
            .collect();
        Ok(GuidingInput {
            account: mirror.accounts.into_iter().next(),
            people: mirror.people,
            our_side,
            knowledge,
            advocates,
        })
    }

    /// The active people of ours in a unit (not below it), and `also` (a key account
    /// manager, say) wherever they work: our side of a relationship, for the reversed mirror.
    /// At most 500, top levels first.
    pub async fn our_people_in(
        &self,
        unit: Option<UnitId>,
        also: Option<PersonId>,
    ) -> Result<Vec<OurPerson>> {
        let rows = sqlx::query(
            "SELECT p.id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.unit_id \
             FROM persons p JOIN organizations o ON o.id = p.organization_id \
             LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
             WHERE o.kind = 'own' AND p.active = 1 AND (p.unit_id = $1 OR p.id = $2) \
             ORDER BY l.rank, p.id LIMIT 500",
        )
        .bind(unit.map(UnitId::get))
        .bind(also.map(PersonId::get))
        .fetch_all(self.pool())
        .await?;
        let mut people: BTreeMap<i64, OurPerson> = BTreeMap::new();
        for row in &rows {
            let id: i64 = row.try_get(0)?;
            people.insert(
                id,
                OurPerson {
                    person_id: PersonId::new(id),
                    level_rank: row.try_get(1)?,
                    is_assistant: row.try_get::<i64, _>(2)? != 0,
                    assistant_of: row.try_get::<Option<i64>, _>(3)?.map(PersonId::new),
                    unit_id: row.try_get::<Option<i64>, _>(4)?.map(UnitId::new),
                    unit_ancestors: Vec::new(),
                    capacity: None,
                    load: 0,
                },
            );
        }
        Ok(people.into_values().collect())
    }
}
