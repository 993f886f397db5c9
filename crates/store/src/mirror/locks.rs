//! Keep/never locks: what users decided a suggestion must keep or never propose.

use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{AccountId, PersonId};
use counterpart_core::mirror::suggest::{Lock, LockRule};
use counterpart_core::validate::{FieldErrors, Problem};
use serde::Serialize;
use sqlx::Row;

use crate::Actor;
use crate::audit::{Change, action_of, conflict, record};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::time::to_db;

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

impl Store {
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

    /// The lock on a pair, if there is one.
    pub async fn lock(&self, partner: PersonId, ours: PersonId) -> Result<Option<LockView>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT rule, created_by_name FROM counterpart_locks WHERE partner_id = $1 AND our_id = $2",
        )
        .bind(partner.get())
        .bind(ours.get())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(rule, by)| LockView {
            partner_id: partner,
            our_id: ours,
            keep: rule == "keep",
            by,
        }))
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
        self.write_lock_rule(actor, partner, ours, None, keep).await
    }

    /// [`Store::set_lock`] only if the pair's lock is still as the caller saw it (`seen`:
    /// its rule, `None` for no lock), compared in the write transaction. Seen none, but there
    /// is one: `our_id` is taken; seen one, but there is none: not found; seen another rule:
    /// a conflict naming who last changed a lock of the partner person.
    pub async fn change_lock(
        &self,
        actor: &Actor,
        partner: PersonId,
        ours: PersonId,
        seen: Option<bool>,
        keep: Option<bool>,
    ) -> Result<()> {
        self.write_lock_rule(actor, partner, ours, Some(seen), keep)
            .await
    }

    /// Writes a pair's lock rule, checking it against `expected` first when given.
    async fn write_lock_rule(
        &self,
        actor: &Actor,
        partner: PersonId,
        ours: PersonId,
        expected: Option<Option<bool>>,
        keep: Option<bool>,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        // PostgreSQL: changes of one partner person's locks queue on their row, so two cannot
        // read the same rule and both write (SQLite's single writer needs no lock).
        sqlx::query("UPDATE persons SET id = id WHERE id = $1")
            .bind(partner.get())
            .execute(&mut *tx)
            .await?;
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
        let rule_of =
            |keep: Option<bool>| keep.map(|k| if k { "keep" } else { "never" }.to_owned());
        if let Some(expected) = expected {
            match (&before, expected) {
                (Some(_), None) => {
                    return Err(FieldErrors::single("our_id", Problem::Taken).into());
                }
                (None, Some(_)) => {
                    return Err(StoreError::not_found(EntityKind::Lock, partner.get()));
                }
                (Some(rule), Some(_)) if Some(rule) != rule_of(expected).as_ref() => {
                    return Err(conflict(&mut tx, EntityKind::Lock, partner.get()).await);
                }
                _ => {}
            }
        }
        let after = rule_of(keep);
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
}
