//! Accepting counterpart suggestions: each becomes a normal assignment.

use std::collections::HashSet;

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentInput, AssignmentKind};
use counterpart_core::ids::{AccountId, PersonId};

use crate::Actor;
use crate::counterparts::assign_on;
use crate::db::Store;
use crate::error::Result;
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::time::date_to_db;

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
}
