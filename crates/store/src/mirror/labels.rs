//! Names for the mirror pages: people with their level and organization, accounts, and the
//! assignments a picture links to.

use std::collections::HashMap;

use counterpart_core::ids::{AccountId, PersonId};
use serde::Serialize;
use sqlx::FromRow;

use crate::db::Store;
use crate::error::Result;
use crate::time::date_to_db;

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

    /// The names of the active accounts, by id.
    pub async fn active_account_names(&self) -> Result<HashMap<AccountId, String>> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, name FROM accounts WHERE active = 1")
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
