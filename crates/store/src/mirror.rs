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
use counterpart_core::mirror::analysis::analyze_portfolio;
use counterpart_core::mirror::suggest::{Lock, LockRule};
use counterpart_core::mirror::{
    CurrentAssignment, MirrorAccount, MirrorContact, MirrorInput, OurPerson, OurUnit, Settings,
};
use counterpart_core::validate::Problem;
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::audit::{Change, record};
use crate::counterparts::assign_on;
use crate::db::Store;
use crate::error::{Result, StoreError};
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

fn decode(p: Problem) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored value rejected: {p:?}").into())
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Reads the mirror's input: one account (`Some`) or the whole portfolio, with every person of
/// ours (candidates for suggestions) and our unit tree.
async fn input_on(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    account: Option<AccountId>,
) -> Result<MirrorInput> {
    let today = date_to_db(crate::now().date_naive());
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
    let loads: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT our_id, COUNT(*) FROM assignments WHERE kind = 'primary' AND valid_from <= $1 \
         AND (valid_to IS NULL OR valid_to >= $1) GROUP BY our_id",
    )
    .bind(&today)
    .fetch_all(&mut *conn)
    .await?;
    let loads: HashMap<i64, i64> = loads.into_iter().collect();
    let people_sql = format!(
        "SELECT {} FROM persons p JOIN organizations o ON o.id = p.organization_id \
         LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
         WHERE o.kind = 'own' AND p.active = 1",
        dialect::json_rows(
            backend,
            "p.id, l.rank, COALESCE(f.is_assistant, 0), p.assistant_of_id, p.unit_id, p.capacity"
        )
    );
    let (people_json,): (String,) = sqlx::query_as(&people_sql).fetch_one(&mut *conn).await?;
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

/// Analyses accounts and stores their mirror scores: on the account (for lists) and, when the
/// score moved, in the history (for trends).
async fn record_scores_on(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    accounts: &[AccountId],
) -> Result<()> {
    for &account in accounts {
        let input = input_on(conn, backend, Some(account)).await?;
        let settings = Settings::new(crate::now().date_naive());
        let analysis = analyze_portfolio(&input, &settings);
        let Some(a) = analysis.accounts.first() else {
            continue;
        };
        let score = (a.score.value * 10.0).round() / 10.0;
        let last: Option<(f64,)> =
            sqlx::query_as("SELECT score FROM mirror_history WHERE account_id = $1 ORDER BY at DESC, id DESC LIMIT 1")
                .bind(account.get())
                .fetch_optional(&mut *conn)
                .await?;
        sqlx::query("UPDATE accounts SET mirror_score = $1 WHERE id = $2")
            .bind(score)
            .bind(account.get())
            .execute(&mut *conn)
            .await?;
        if last.is_none_or(|(s,)| (s - score).abs() >= 0.05) {
            sqlx::query(
                "INSERT INTO mirror_history (account_id, at, score, coverage, level_match, spread) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(account.get())
            .bind(to_db(crate::now()))
            .bind(score)
            .bind(a.score.parts.coverage)
            .bind(a.score.parts.level_match)
            .bind(a.score.parts.spread)
            .execute(&mut *conn)
            .await?;
        }
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
    /// The mirror's input for one account, or for the whole portfolio.
    pub async fn mirror_input(&self, account: Option<AccountId>) -> Result<MirrorInput> {
        input_on(&mut *self.pool().acquire().await?, self.backend(), account).await
    }

    /// Re-analyses accounts after their counterparts changed and records their scores.
    pub async fn refresh_mirror_scores(&self, accounts: &[AccountId]) -> Result<()> {
        let mut tx = self.write().await?;
        record_scores_on(&mut tx, self.backend(), accounts).await?;
        tx.commit().await
    }

    /// Accounts in which a person is a key contact (whose mirror changes with them).
    pub async fn accounts_of_contact(&self, person: PersonId) -> Result<Vec<AccountId>> {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT account_id FROM key_contacts WHERE person_id = $1")
                .bind(person.get())
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(|(id,)| AccountId::new(id)).collect())
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
        record_scores_on(&mut tx, self.backend(), &touched).await?;
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

    /// Sets (`Some(true)` keep, `Some(false)` never) or removes (`None`) a lock on a pair.
    pub async fn set_lock(
        &self,
        actor: &Actor,
        partner: PersonId,
        ours: PersonId,
        keep: Option<bool>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM counterpart_locks WHERE partner_id = $1 AND our_id = $2")
            .bind(partner.get())
            .bind(ours.get())
            .execute(&mut *tx)
            .await?;
        if let Some(keep) = keep {
            sqlx::query(
                "INSERT INTO counterpart_locks (partner_id, our_id, rule, created_by_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(partner.get())
            .bind(ours.get())
            .bind(if keep { "keep" } else { "never" })
            .bind(&actor.name)
            .bind(to_db(crate::now()))
            .execute(&mut *tx)
            .await?;
        }
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
