//! Mirror scores over time: one account's history, the portfolio's trend.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::ids::AccountId;
use counterpart_core::mirror::analysis::MirrorBrief;
use serde::Serialize;

use crate::db::Store;
use crate::error::Result;
use crate::time::date_to_db;

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

/// Whether a recorded score measured nothing: every part 0, as before an account has any
/// counterpart.
fn nothing_mirrored(coverage: f64, level_match: f64, spread: f64) -> bool {
    coverage == 0.0 && level_match == 0.0 && spread == 0.0
}

impl Store {
    /// The mirror of an active account in brief, as its last analysis stored it (`None`: not
    /// analysed since the brief was introduced, deactivated, or stored in a form this program
    /// cannot read, as a newer version's new kind of finding: the caller analyses instead).
    pub async fn mirror_brief(&self, account: AccountId) -> Result<Option<MirrorBrief>> {
        let brief: Option<(Option<String>,)> =
            sqlx::query_as("SELECT mirror_brief FROM accounts WHERE id = $1 AND active = 1")
                .bind(account.get())
                .fetch_optional(self.pool())
                .await?;
        let Some((Some(json),)) = brief else {
            return Ok(None);
        };
        match serde_json::from_str(&json) {
            Ok(brief) => Ok(Some(brief)),
            Err(e) => {
                // Numbers and kinds only: a brief names people by id, never by name.
                tracing::warn!(account.id = account.get(), error.detail = %e, "stored mirror brief unreadable");
                Ok(None)
            }
        }
    }

    /// A mirror score history: (when, score), oldest first. It starts with the first score
    /// that mirrored anything: scores recorded before the account had any counterpart (every
    /// part 0) are not a measurement but the absence of one, and a trend starting there
    /// would look like a collapse.
    pub async fn mirror_history(&self, account: AccountId) -> Result<Vec<(crate::Timestamp, f64)>> {
        let rows: Vec<(String, f64, f64, f64, f64)> = sqlx::query_as(
            "SELECT at, score, coverage, level_match, spread FROM mirror_history \
             WHERE account_id = $1 ORDER BY at, id",
        )
        .bind(account.get())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .skip_while(|&(_, _, c, l, s)| nothing_mirrored(c, l, s))
            .map(|(at, score, ..)| Ok((crate::time::from_db(&at)?, score)))
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
        let rows: Vec<(i64, String, f64, f64, f64, f64)> = sqlx::query_as(
            "SELECT h.account_id, h.at, h.score, h.coverage, h.level_match, h.spread \
             FROM mirror_history h JOIN accounts a ON a.id = h.account_id \
             WHERE a.active = 1 ORDER BY h.at, h.id",
        )
        .fetch_all(self.pool())
        .await?;
        // Each account counts from its first score that mirrored anything.
        let mut started: HashSet<i64> = HashSet::new();
        let rows: Vec<(i64, String, f64)> = rows
            .into_iter()
            .filter(|(id, ..)| accounts.is_none_or(|a| a.contains(&AccountId::new(*id))))
            .filter(|&(id, _, _, c, l, s)| {
                started.contains(&id) || !nothing_mirrored(c, l, s) && started.insert(id)
            })
            .map(|(id, at, score, ..)| (id, at, score))
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

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn a_brief_this_program_cannot_read_is_analysed_again_rather_than_failing() {
        let db = crate::testing::TestDb::sqlite().await;
        let store = &db.store;
        store.load_demo().await.unwrap();
        store.run_jobs("test").await.unwrap();
        let account = store
            .accounts(&Default::default(), &crate::Visibility::everything())
            .await
            .unwrap()[0]
            .account
            .id;
        let brief = store.mirror_brief(account).await.unwrap();
        assert!(brief.is_some(), "the demo's accounts are analysed");
        // As a newer version might store it: a kind of finding this one does not know.
        sqlx::query("UPDATE accounts SET mirror_brief = $1 WHERE id = $2")
            .bind(r#"{"score":{},"top":[{"kind":"from_the_future"}]}"#)
            .bind(account.get())
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(store.mirror_brief(account).await.unwrap(), None);
        db.cleanup().await;
    }
}
