//! Analysing accounts and recording their mirror scores.

use std::collections::HashSet;

use chrono::NaiveDate;
use counterpart_core::ids::AccountId;
use counterpart_core::mirror::analysis::{AccountAnalysis, analyze_portfolio};
use counterpart_core::mirror::{MirrorInput, Settings};
use sqlx::AnyConnection;

use super::input::{Staff, input_on};
use crate::db::Store;
use crate::error::Result;
use crate::time::to_db;

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

impl Store {
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
}
