//! Mirror scores over time: one account's history, the portfolio's trend.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::ids::AccountId;
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

impl Store {
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
