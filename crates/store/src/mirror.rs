//! What the mirror analysis and the counterpart suggestions read, the users' keep/never locks,
//! capacities, accepting suggestions, and the history of mirror scores.
//!
//! Accounts come with their key contacts and current counterparts aggregated as JSON, one row
//! per account, and our people as one JSON array: rows cross from the database one by one, and
//! at the portfolio's size that crossing, not SQL, is what costs.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentInput, AssignmentKind};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::analysis::{AccountAnalysis, analyze_portfolio};
use counterpart_core::mirror::suggest::{Lock, LockRule};
use counterpart_core::mirror::{
    CurrentAssignment, MirrorAccount, MirrorContact, MirrorInput, OurPerson, OurUnit, Settings,
};
use serde::Serialize;
use sqlx::{AnyConnection, FromRow, Row};

use crate::audit::{Change, action_of, record};
use crate::counterparts::assign_on;
use crate::db::Store;
use crate::decode::{decode, json};
use crate::error::{Result, StoreError};
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::time::{date_from_db, date_to_db, to_db};
use crate::{Actor, dialect};

/// A key contact as aggregated: person, level rank, assistant flag, assistant of, reports to,
/// influence, role.
type ContactJson = (i64, Option<i64>, i64, Option<i64>, Option<i64>, i64, String);
/// A current assignment as aggregated: partner, ours, kind, latest rating, its day, from.
type AssignmentJson = (i64, i64, String, Option<i64>, Option<String>, String);
/// One of ours as aggregated: person, level rank, assistant flag, assistant of, unit, capacity.
type PersonJson = (i64, Option<i64>, i64, Option<i64>, Option<i64>, Option<i64>);

/// A keep/never lock with who set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockView {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Keep or never.
    pub keep: bool,
    /// Who set it.
    pub by: String,
}

/// Which of our people the input carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Staff {
    /// Everyone active: the candidates for suggestions.
    All,
    /// Only those holding a current assignment in the accounts read: enough to analyse them.
    Holders,
}

/// Reads the mirror's input as it stood on `as_of`: one account (`Some`) or the whole
/// portfolio, with our people and our unit tree.
async fn input_on(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    account: Option<AccountId>,
    staff: Staff,
    as_of: NaiveDate,
) -> Result<MirrorInput> {
    let today = date_to_db(as_of);
    let contacts = dialect::json_rows(
        backend,
        "k.person_id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.reports_to_id, k.influence, k.role",
    );
    // Current assignments of the key contacts and of the bosses of assistant key contacts
    // (the suggestion pairs an assistant with the assistant of their boss's counterpart).
    let assignments = dialect::json_rows(
        backend,
        "s.partner_id, s.our_id, s.kind, s.latest_relationship, s.latest_rated_on, s.valid_from",
    );
    let sql = format!(
        "SELECT a.id, a.mode, a.manager_id, a.responsible_unit_id, a.score, \
         (SELECT {contacts} FROM key_contacts k JOIN persons p ON p.id = k.person_id \
          LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
          WHERE k.account_id = a.id AND p.active = 1) AS contacts, \
         (SELECT {assignments} FROM assignments s WHERE s.valid_from <= $2 \
          AND (s.valid_to IS NULL OR s.valid_to >= $2) AND s.partner_id IN ( \
            SELECT k.person_id FROM key_contacts k WHERE k.account_id = a.id \
            UNION SELECT COALESCE(p.assistant_of_id, p.reports_to_id) FROM key_contacts k \
            JOIN persons p ON p.id = k.person_id WHERE k.account_id = a.id)) AS assignments \
         FROM accounts a WHERE a.active = 1 AND ($1 IS NULL OR a.id = $1) ORDER BY a.id"
    );
    let rows = sqlx::query(&sql)
        .bind(account.map(AccountId::get))
        .bind(&today)
        .fetch_all(&mut *conn)
        .await?;
    let mut accounts = Vec::with_capacity(rows.len());
    for row in &rows {
        let contacts = json::<ContactJson>(&row.try_get::<String, _>(5)?)?
            .into_iter()
            .map(
                |(person, rank, assistant, assistant_of, reports_to, influence, role)| {
                    Ok(MirrorContact {
                        person_id: PersonId::new(person),
                        level_rank: rank,
                        is_assistant: assistant != 0,
                        assistant_of: assistant_of.map(PersonId::new),
                        reports_to: reports_to.map(PersonId::new),
                        influence,
                        role: role.parse().map_err(decode)?,
                    })
                },
            )
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let assignments = json::<AssignmentJson>(&row.try_get::<String, _>(6)?)?
            .into_iter()
            .map(|(partner, ours, kind, rating, rated_on, from)| {
                Ok(CurrentAssignment {
                    partner_id: PersonId::new(partner),
                    our_id: PersonId::new(ours),
                    kind: kind.parse().map_err(decode)?,
                    relationship: rating,
                    rated_on: rated_on.as_deref().map(date_from_db).transpose()?,
                    valid_from: date_from_db(&from)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        accounts.push(MirrorAccount {
            id: AccountId::new(row.try_get(0)?),
            mode: row.try_get::<String, _>(1)?.parse().map_err(decode)?,
            manager_id: row.try_get::<Option<i64>, _>(2)?.map(PersonId::new),
            responsible_unit_id: row.try_get::<Option<i64>, _>(3)?.map(UnitId::new),
            importance: row.try_get(4)?,
            contacts,
            assignments,
        });
    }
    // Our people with their current primary load, portfolio-wide, and our unit tree.
    let units: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT u.id, u.parent_id FROM units u JOIN organizations o ON o.id = u.organization_id \
         WHERE o.kind = 'own' ORDER BY u.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let parents: HashMap<i64, Option<i64>> = units.iter().copied().collect();
    let ancestors = |unit: Option<i64>| {
        let mut chain = Vec::new();
        let mut seen = HashSet::new();
        let mut current = unit.and_then(|u| parents.get(&u).copied().flatten());
        while let Some(u) = current {
            if !seen.insert(u) {
                break;
            }
            chain.push(UnitId::new(u));
            current = parents.get(&u).copied().flatten();
        }
        chain
    };
    // Holders of one account: their loads only, through the index on our_id.
    let holders_of = account.filter(|_| staff == Staff::Holders);
    let loads_sql = format!(
        "SELECT our_id, COUNT(*) FROM assignments WHERE kind = 'primary' AND valid_from <= $1 \
         AND (valid_to IS NULL OR valid_to >= $1) {} GROUP BY our_id",
        if holders_of.is_some() {
            "AND our_id IN (SELECT s.our_id FROM assignments s \
             JOIN key_contacts k ON k.person_id = s.partner_id WHERE k.account_id = $2)"
        } else {
            ""
        }
    );
    let mut loads_query = sqlx::query_as(&loads_sql).bind(&today);
    if let Some(account) = holders_of {
        loads_query = loads_query.bind(account.get());
    }
    let loads: Vec<(i64, i64)> = loads_query.fetch_all(&mut *conn).await?;
    let loads: HashMap<i64, i64> = loads.into_iter().collect();
    let people_sql = format!(
        "SELECT {} FROM persons p JOIN organizations o ON o.id = p.organization_id \
         LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
         WHERE o.kind = 'own' AND p.active = 1 {}",
        dialect::json_rows(
            backend,
            "p.id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.unit_id, p.capacity"
        ),
        // Holders: $1 is the day; for one account, $2 is it (a direct filter lets the index
        // on key contacts' accounts do the work).
        match (staff, account) {
            (Staff::All, _) => "",
            (Staff::Holders, None) => {
                "AND p.id IN (SELECT s.our_id FROM assignments s \
                 JOIN key_contacts k ON k.person_id = s.partner_id \
                 WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to >= $1))"
            }
            (Staff::Holders, Some(_)) => {
                "AND p.id IN (SELECT s.our_id FROM assignments s \
                 JOIN key_contacts k ON k.person_id = s.partner_id \
                 WHERE k.account_id = $2 AND s.valid_from <= $1 \
                 AND (s.valid_to IS NULL OR s.valid_to >= $1))"
            }
        }
    );
    let mut people_query = sqlx::query_as(&people_sql);
    if staff == Staff::Holders {
        people_query = people_query.bind(&today);
        if let Some(account) = account {
            people_query = people_query.bind(account.get());
        }
    }
    let (people_json,): (String,) = people_query.fetch_one(&mut *conn).await?;
    let people = json::<PersonJson>(&people_json)?
        .into_iter()
        .map(
            |(id, rank, assistant, assistant_of, unit, capacity)| OurPerson {
                person_id: PersonId::new(id),
                level_rank: rank,
                is_assistant: assistant != 0,
                assistant_of: assistant_of.map(PersonId::new),
                unit_id: unit.map(UnitId::new),
                unit_ancestors: ancestors(unit),
                capacity,
                load: loads.get(&id).copied().unwrap_or(0),
            },
        )
        .collect();
    Ok(MirrorInput {
        accounts,
        people,
        units: units
            .into_iter()
            .map(|(id, parent)| OurUnit {
                id: UnitId::new(id),
                parent_id: parent.map(UnitId::new),
            })
            .collect(),
    })
}

/// Scores are kept to a tenth: what pages show, and what a dump restores exactly.
fn tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Beyond this many accounts, one portfolio-wide read beats one read per account.
const PER_ACCOUNT_READS: usize = 16;

/// Analyses accounts as they stood on `as_of` (`None`: every active account).
async fn analyses_on(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    accounts: Option<&[AccountId]>,
    as_of: NaiveDate,
) -> Result<Vec<AccountAnalysis>> {
    let settings = Settings::new(as_of);
    let mut analyses = Vec::new();
    match accounts {
        Some(list) if list.len() <= PER_ACCOUNT_READS => {
            for &account in list {
                let input = input_on(conn, backend, Some(account), Staff::Holders, as_of).await?;
                analyses.extend(analyze(input, settings.clone()).await?);
            }
        }
        _ => {
            let input = input_on(conn, backend, None, Staff::Holders, as_of).await?;
            let wanted: Option<HashSet<AccountId>> = accounts.map(|l| l.iter().copied().collect());
            analyses.extend(
                analyze(input, settings)
                    .await?
                    .into_iter()
                    .filter(|a| wanted.as_ref().is_none_or(|w| w.contains(&a.account_id))),
            );
        }
    }
    Ok(analyses)
}

/// The analysis, off the async threads: the whole portfolio takes a noticeable moment.
async fn analyze(input: MirrorInput, settings: Settings) -> Result<Vec<AccountAnalysis>> {
    tokio::task::spawn_blocking(move || analyze_portfolio(&input, &settings).accounts)
        .await
        .map_err(|e| crate::StoreError::Hash(format!("mirror analysis: {e}")))
}

/// Stores mirror scores: on the account (for lists) and, when the score moved, in the history
/// (for trends), stamped `at`.
async fn store_scores_on(
    conn: &mut AnyConnection,
    analyses: &[AccountAnalysis],
    at: crate::Timestamp,
) -> Result<()> {
    let at = to_db(at);
    for a in analyses {
        let id = a.account_id.get();
        let score = tenth(a.score.value);
        // The account keeps its latest score, the history every change of it: an unchanged
        // score updates nothing and adds no history.
        let moved = sqlx::query(
            "UPDATE accounts SET mirror_score = $1 WHERE id = $2 \
             AND (mirror_score IS NULL OR mirror_score <> $1)",
        )
        .bind(score)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        if moved == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO mirror_history (account_id, at, score, coverage, level_match, spread) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&at)
        .bind(score)
        .bind(tenth(a.score.parts.coverage))
        .bind(tenth(a.score.parts.level_match))
        .bind(tenth(a.score.parts.spread))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// One proposal to accept: the partner person, our person, primary or deputy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
}

impl Store {
    /// The mirror's input: for one account, with the people of ours who hold its counterparts
    /// (enough to analyse and draw it); for the whole portfolio (`None`), with every active
    /// person of ours, the candidates for suggestions. Both with our unit tree.
    pub async fn mirror_input(&self, account: Option<AccountId>) -> Result<MirrorInput> {
        let today = crate::now().date_naive();
        let staff = if account.is_some() {
            Staff::Holders
        } else {
            Staff::All
        };
        let mut conn = self.pool().acquire().await?;
        input_on(&mut conn, self.backend(), account, staff, today).await
    }

    /// What a suggestion for one account needs: that account, with every active person of
    /// ours as a candidate (their loads count portfolio-wide).
    pub async fn suggestion_input(&self, account: AccountId) -> Result<MirrorInput> {
        let today = crate::now().date_naive();
        let mut conn = self.pool().acquire().await?;
        input_on(&mut conn, self.backend(), Some(account), Staff::All, today).await
    }

    /// Re-analyses accounts (`None`: all) and records today's scores: read, analysed off the
    /// async threads, then written in a short transaction (the mirror job; also for scores
    /// computed under older rules).
    pub async fn refresh_mirror_scores(&self, accounts: Option<&[AccountId]>) -> Result<()> {
        if accounts.is_some_and(<[AccountId]>::is_empty) {
            return Ok(());
        }
        let now = crate::now();
        let analyses = {
            let mut conn = self.pool().acquire().await?;
            analyses_on(&mut conn, self.backend(), accounts, now.date_naive()).await?
        };
        let mut tx = self.write().await?;
        store_scores_on(&mut tx, &analyses, now).await?;
        tx.commit().await
    }

    /// Rebuilds the score history from the assignments' dates: one point per month end over
    /// the last `months` months where a score moved, then today's. For a database whose
    /// counterparts are older than its history (the demo, an import of older data).
    pub async fn backfill_mirror_history(&self, months: u32) -> Result<()> {
        use chrono::{Datelike, Months};
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM mirror_history")
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE accounts SET mirror_score = NULL")
            .execute(&mut *tx)
            .await?;
        let today = crate::now().date_naive();
        let first_of_month = today.with_day(1).unwrap_or(today);
        for back in (1..=months).rev() {
            let Some(month_end) = first_of_month
                .checked_sub_months(Months::new(back - 1))
                .and_then(|d| d.pred_opt())
            else {
                continue;
            };
            let at = month_end
                .and_hms_opt(23, 59, 59)
                .unwrap_or_default()
                .and_utc();
            let analyses = analyses_on(&mut tx, self.backend(), None, month_end).await?;
            store_scores_on(&mut tx, &analyses, at).await?;
        }
        let now = crate::now();
        let analyses = analyses_on(&mut tx, self.backend(), None, now.date_naive()).await?;
        store_scores_on(&mut tx, &analyses, now).await?;
        tx.commit().await
    }

    /// A mirror score history: (when, score), oldest first.
    pub async fn mirror_history(&self, account: AccountId) -> Result<Vec<(crate::Timestamp, f64)>> {
        let rows: Vec<(String, f64)> = sqlx::query_as(
            "SELECT at, score FROM mirror_history WHERE account_id = $1 ORDER BY at, id",
        )
        .bind(account.get())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(at, s)| Ok((crate::time::from_db(&at)?, s)))
            .collect()
    }

    /// Accepts proposals in one transaction: each becomes a normal assignment from `from`
    /// (a new primary ends the old one), with its audit entry; the accounts' mirror scores are
    /// recorded. Proposals that keep the current holder need not be passed.
    pub async fn accept_suggestions(
        &self,
        actor: &Actor,
        accepted: &[Accepted],
        from: NaiveDate,
    ) -> Result<usize> {
        let mut tx = self.write().await?;
        let mut made = 0;
        let mut touched = HashSet::new();
        for a in accepted {
            let current: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM assignments WHERE partner_id = $1 AND our_id = $2 AND kind = $3 AND valid_to IS NULL",
            )
            .bind(a.partner_id.get())
            .bind(a.our_id.get())
            .bind(a.kind.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if current.is_some() {
                continue;
            }
            // The same person as deputy becoming primary (or the reverse) ends the old role first.
            let other: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, valid_from FROM assignments WHERE partner_id = $1 AND our_id = $2 AND valid_to IS NULL",
            )
            .bind(a.partner_id.get())
            .bind(a.our_id.get())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id, _)) = other {
                sqlx::query(
                    "UPDATE assignments SET valid_to = $1, version = version + 1 WHERE id = $2",
                )
                .bind(date_to_db(from - chrono::Duration::days(1)))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let input = AssignmentInput {
                partner_id: a.partner_id,
                our_id: a.our_id,
                kind: a.kind,
                valid_from: from,
            };
            assign_on(&mut tx, actor, &input).await?;
            made += 1;
            let accounts: Vec<(i64,)> =
                sqlx::query_as("SELECT account_id FROM key_contacts WHERE person_id = $1")
                    .bind(a.partner_id.get())
                    .fetch_all(&mut *tx)
                    .await?;
            touched.extend(accounts.into_iter().map(|(id,)| AccountId::new(id)));
        }
        let mut touched: Vec<AccountId> = touched.into_iter().collect();
        touched.sort();
        for account in touched {
            enqueue_on(&mut tx, Job::MirrorScores(Accounts::One(account))).await?;
        }
        tx.commit().await?;
        Ok(made)
    }

    /// Every keep/never lock.
    pub async fn locks(&self) -> Result<Vec<LockView>> {
        let rows: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT partner_id, our_id, rule, created_by_name FROM counterpart_locks ORDER BY partner_id, our_id")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(p, o, rule, by)| LockView {
                partner_id: PersonId::new(p),
                our_id: PersonId::new(o),
                keep: rule == "keep",
                by,
            })
            .collect())
    }

    /// The locks on key contacts of these accounts.
    pub async fn locks_on_accounts(&self, accounts: &[AccountId]) -> Result<Vec<LockView>> {
        let ids: Vec<i64> = accounts.iter().map(|a| a.get()).collect();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT DISTINCT l.partner_id, l.our_id, l.rule, l.created_by_name \
                     FROM counterpart_locks l JOIN key_contacts k ON k.person_id = l.partner_id \
                     WHERE k.account_id IN ({list})"
                )
            })
            .await?;
        let mut locks = rows
            .iter()
            .map(|row| {
                Ok(LockView {
                    partner_id: PersonId::new(row.try_get("partner_id")?),
                    our_id: PersonId::new(row.try_get("our_id")?),
                    keep: row.try_get::<String, _>("rule")? == "keep",
                    by: row.try_get("created_by_name")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        locks.sort_by_key(|l| (l.partner_id, l.our_id));
        locks.dedup_by_key(|l| (l.partner_id, l.our_id));
        Ok(locks)
    }

    /// The locks as the suggestion needs them.
    pub async fn suggestion_locks(&self) -> Result<Vec<Lock>> {
        Ok(self
            .locks()
            .await?
            .into_iter()
            .map(|l| Lock {
                partner_id: l.partner_id,
                our_id: l.our_id,
                rule: if l.keep {
                    LockRule::Keep
                } else {
                    LockRule::Never
                },
            })
            .collect())
    }

    /// Sets (`Some(true)` keep, `Some(false)` never) or removes (`None`) a lock on a pair,
    /// with an audit entry when it changes. Both people must exist.
    pub async fn set_lock(
        &self,
        actor: &Actor,
        partner: PersonId,
        ours: PersonId,
        keep: Option<bool>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let partner_person = crate::people::person_on(&mut tx, partner).await?;
        let our_person = crate::people::person_on(&mut tx, ours).await?;
        let before: Option<(String,)> = sqlx::query_as(
            "SELECT rule FROM counterpart_locks WHERE partner_id = $1 AND our_id = $2",
        )
        .bind(partner.get())
        .bind(ours.get())
        .fetch_optional(&mut *tx)
        .await?;
        let before = before.map(|(rule,)| rule);
        let after = keep.map(|k| if k { "keep" } else { "never" }.to_owned());
        if before == after {
            return Ok(());
        }
        sqlx::query("DELETE FROM counterpart_locks WHERE partner_id = $1 AND our_id = $2")
            .bind(partner.get())
            .bind(ours.get())
            .execute(&mut *tx)
            .await?;
        if let Some(rule) = &after {
            sqlx::query(
                "INSERT INTO counterpart_locks (partner_id, our_id, rule, created_by_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(partner.get())
            .bind(ours.get())
            .bind(rule)
            .bind(&actor.name)
            .bind(to_db(crate::now()))
            .execute(&mut *tx)
            .await?;
        }
        let label = format!(
            "{} – {}",
            partner_person.display_name(),
            our_person.display_name()
        );
        let json = |rule: &Option<String>| {
            rule.as_ref()
                .map(|r| serde_json::json!({ "partner_id": partner, "our_id": ours, "rule": r }))
        };
        let change = Change {
            entity: EntityKind::Lock,
            id: partner.get(),
            action: action_of(before.is_some(), after.is_some()),
            label: &label,
        };
        record(
            &mut tx,
            actor,
            change,
            json(&before).as_ref(),
            json(&after).as_ref(),
        )
        .await?;
        tx.commit().await
    }

    /// Sets how many counterparts one of ours can hold (`None`: the default of their level).
    pub async fn set_capacity(
        &self,
        actor: &Actor,
        person: PersonId,
        capacity: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let before = crate::people::person_on(&mut tx, person).await?;
        let old: (Option<i64>,) = sqlx::query_as("SELECT capacity FROM persons WHERE id = $1")
            .bind(person.get())
            .fetch_one(&mut *tx)
            .await?;
        if old.0 == capacity {
            return Ok(());
        }
        sqlx::query("UPDATE persons SET capacity = $1 WHERE id = $2")
            .bind(capacity)
            .bind(person.get())
            .execute(&mut *tx)
            .await?;
        let change = Change {
            entity: EntityKind::Person,
            id: person.get(),
            action: AuditAction::Update,
            label: &before.display_name(),
        };
        let json = |c: Option<i64>| serde_json::json!({ "capacity": c });
        record(
            &mut tx,
            actor,
            change,
            Some(&json(old.0)),
            Some(&json(capacity)),
        )
        .await?;
        tx.commit().await
    }

    /// How many counterparts one of ours can hold, if set.
    pub async fn capacity(&self, person: PersonId) -> Result<Option<i64>> {
        let (c,): (Option<i64>,) = sqlx::query_as("SELECT capacity FROM persons WHERE id = $1")
            .bind(person.get())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::not_found(EntityKind::Person, person.get()))?;
        Ok(c)
    }
}

/// How a person is named in mirror pages and sentences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonLabel {
    /// Display name with title.
    pub name: String,
    /// Rank of their level, if set.
    pub level_rank: Option<i64>,
    /// Their job title, if set.
    pub job_title: Option<String>,
    /// Their organization's name.
    pub organization: String,
}

/// The portfolio's mean mirror score at one month end.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// The last day of the month (today for the current month).
    pub day: NaiveDate,
    /// Mean of the accounts' latest scores on that day.
    pub mean: f64,
    /// Accounts with a score by then.
    pub accounts: usize,
}

/// A person's label as read: id, title, given name, family name, level rank, job title,
/// organization.
type LabelRow = (
    i64,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
    String,
);

impl Store {
    /// Names, levels and organizations of people, by id (unknown ids are left out).
    pub async fn person_labels(&self, ids: &[PersonId]) -> Result<HashMap<PersonId, PersonLabel>> {
        let mut ids: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = self
            .rows_by_ids(&ids, |list| {
                format!(
                    "SELECT p.id, p.academic_title, p.given_name, p.family_name, l.rank, p.job_title, o.name \
                     FROM persons p JOIN organizations o ON o.id = p.organization_id \
                     LEFT JOIN levels l ON l.id = p.level_id WHERE p.id IN ({list})"
                )
            })
            .await?;
        rows.iter()
            .map(|row| {
                let (id, title, given, family, rank, job, org): LabelRow = FromRow::from_row(row)?;
                let name = counterpart_core::person::display_name(
                    title.as_deref(),
                    given.as_deref(),
                    &family,
                );
                let label = PersonLabel {
                    name,
                    level_rank: rank,
                    job_title: job,
                    organization: org,
                };
                Ok((PersonId::new(id), label))
            })
            .collect()
    }

    /// The mean mirror score of the portfolio (or of some accounts) at each of the last
    /// `months` month ends and today, from the score history; months before the first score
    /// are left out.
    pub async fn mirror_trend(
        &self,
        months: u32,
        accounts: Option<&HashSet<AccountId>>,
    ) -> Result<Vec<TrendPoint>> {
        use chrono::{Datelike, Months};
        let rows: Vec<(i64, String, f64)> = sqlx::query_as(
            "SELECT h.account_id, h.at, h.score FROM mirror_history h \
             JOIN accounts a ON a.id = h.account_id WHERE a.active = 1 ORDER BY h.at, h.id",
        )
        .fetch_all(self.pool())
        .await?;
        let rows: Vec<(i64, String, f64)> = rows
            .into_iter()
            .filter(|(id, _, _)| accounts.is_none_or(|a| a.contains(&AccountId::new(*id))))
            .collect();
        let today = crate::now().date_naive();
        let first_of_month = today.with_day(1).unwrap_or(today);
        let mut days: Vec<NaiveDate> = (1..=months)
            .rev()
            .filter_map(|back| {
                first_of_month
                    .checked_sub_months(Months::new(back - 1))
                    .and_then(|d| d.pred_opt())
            })
            .collect();
        days.push(today);
        let mut latest: HashMap<i64, f64> = HashMap::new();
        let mut rows = rows.into_iter().peekable();
        let mut out = Vec::new();
        for day in days {
            let end = date_to_db(day + chrono::Duration::days(1));
            while let Some((account, _, score)) = rows.next_if(|(_, at, _)| *at < end) {
                latest.insert(account, score);
            }
            if !latest.is_empty() {
                out.push(TrendPoint {
                    day,
                    mean: latest.values().sum::<f64>() / latest.len() as f64,
                    accounts: latest.len(),
                });
            }
        }
        Ok(out)
    }
}

impl Store {
    /// Every account's name, by id (for lists that name accounts by the thousand).
    pub async fn account_names(&self) -> Result<HashMap<AccountId, String>> {
        let rows: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM accounts")
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name)| (AccountId::new(id), name))
            .collect())
    }

    /// The current assignments of an account's key contacts: (assignment, partner, ours), so
    /// that a picture's lines can link to them.
    pub async fn current_assignments_of_account(
        &self,
        account: AccountId,
    ) -> Result<Vec<(counterpart_core::ids::AssignmentId, PersonId, PersonId)>> {
        let today = date_to_db(crate::now().date_naive());
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT s.id, s.partner_id, s.our_id FROM assignments s \
             JOIN key_contacts k ON k.person_id = s.partner_id \
             WHERE k.account_id = $1 AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to >= $2) \
             ORDER BY s.id",
        )
        .bind(account.get())
        .bind(&today)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, partner, ours)| {
                (
                    counterpart_core::ids::AssignmentId::new(id),
                    PersonId::new(partner),
                    PersonId::new(ours),
                )
            })
            .collect())
    }
}
