//! Analysing accounts and recording their mirror scores.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use counterpart_core::ids::AccountId;
use counterpart_core::mirror::analysis::{AccountAnalysis, MirrorBrief, analyze_portfolio};
use counterpart_core::mirror::{MirrorInput, Settings};
use sqlx::{AnyConnection, Row};

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
        let brief = serde_json::to_string(&MirrorBrief::of(a))
            .map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query(
            "UPDATE accounts SET mirror_brief = $1 WHERE id = $2 \
             AND (mirror_brief IS NULL OR mirror_brief <> $1)",
        )
        .bind(&brief)
        .bind(id)
        .execute(&mut *conn)
        .await?;
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

/// A finding as the history tells one from another: its kind and the people it is about.
type FindingKey = (i64, String, Option<i64>, Option<i64>);

/// Accounts whose open findings are read at once.
const ACCOUNTS_PER_READ: usize = 500;
/// New findings written by one statement (six values each, well below every backend's limit).
const FINDINGS_PER_INSERT: usize = 200;

/// Records what the analyses found: a finding not open yet opens, stamped `at` (`None`:
/// already there when recording began), and an open one of an analysed account that the
/// analysis no longer finds closes at `closed`.
async fn record_findings_on(
    conn: &mut AnyConnection,
    analyses: &[AccountAnalysis],
    at: Option<crate::Timestamp>,
    closed: crate::Timestamp,
    backend: crate::Backend,
) -> Result<()> {
    // Two analyses at once (two instances' workers) would both open what neither saw open.
    if let Some(lock) = crate::dialect::serialize(backend, crate::dialect::Serialized::Findings) {
        sqlx::query(&lock).execute(&mut *conn).await?;
    }
    let mut open: HashMap<FindingKey, (i64, i64)> = HashMap::new();
    let accounts: Vec<i64> = analyses.iter().map(|a| a.account_id.get()).collect();
    for chunk in accounts.chunks(ACCOUNTS_PER_READ) {
        let sql = format!(
            "SELECT id, account_id, kind, contact_id, ours_id, severity FROM findings \
             WHERE resolved_at IS NULL AND account_id IN ({})",
            crate::dialect::placeholders(1, chunk.len())
        );
        let rows = chunk
            .iter()
            .fold(sqlx::query(&sql), |q, id| q.bind(*id))
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            let key = (
                row.try_get("account_id")?,
                row.try_get("kind")?,
                row.try_get("contact_id")?,
                row.try_get("ours_id")?,
            );
            open.insert(key, (row.try_get("id")?, row.try_get("severity")?));
        }
    }
    // What is still found stays open (its severity kept current); what is new opens.
    let mut seen: HashSet<FindingKey> = HashSet::new();
    let mut opened: Vec<(FindingKey, i64)> = Vec::new();
    for analysis in analyses {
        for finding in &analysis.findings {
            let detail = &finding.detail;
            let key: FindingKey = (
                analysis.account_id.get(),
                finding.kind().as_str().to_owned(),
                detail.contact().map(|p| p.get()),
                detail.ours().map(|p| p.get()),
            );
            if !seen.insert(key.clone()) {
                continue;
            }
            let severity = i64::from(finding.severity);
            match open.remove(&key) {
                Some((_, before)) if before == severity => {}
                Some((id, _)) => {
                    sqlx::query("UPDATE findings SET severity = $1 WHERE id = $2")
                        .bind(severity)
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                }
                None => opened.push((key, severity)),
            }
        }
    }
    let at = at.map(to_db);
    for chunk in opened.chunks(FINDINGS_PER_INSERT) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", crate::dialect::placeholders(i * 6 + 1, 6)))
            .collect();
        let sql = format!(
            "INSERT INTO findings (account_id, kind, contact_id, ours_id, severity, \
             first_seen_at) VALUES {}",
            rows.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for ((account, kind, contact, ours), severity) in chunk {
            query = query
                .bind(*account)
                .bind(kind.as_str())
                .bind(*contact)
                .bind(*ours)
                .bind(*severity)
                .bind(at.as_deref());
        }
        query.execute(&mut *conn).await?;
    }
    let closed = to_db(closed);
    let gone: Vec<i64> = open.into_values().map(|(id, _)| id).collect();
    for chunk in gone.chunks(crate::dialect::IDS_PER_QUERY) {
        let sql = format!(
            "UPDATE findings SET resolved_at = $1 WHERE id IN ({})",
            crate::dialect::placeholders(2, chunk.len())
        );
        chunk
            .iter()
            .fold(sqlx::query(&sql).bind(&closed), |q, id| q.bind(*id))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Records the findings of every active account as already there, not new: when the
    /// findings begin to be recorded (migration 15).
    pub(crate) async fn record_findings_baseline(&self) -> Result<()> {
        let now = crate::now();
        let analyses = {
            let mut conn = self.pool().acquire().await?;
            analyses_on(&mut conn, self.backend(), None, now.date_naive()).await?
        };
        let mut tx = self.write().await?;
        record_findings_on(&mut tx, &analyses, None, now, self.backend()).await?;
        tx.commit().await
    }

    /// Re-analyses accounts (`None`: all) and records today's scores and findings: read,
    /// analysed off the async threads, then written in a short transaction (the mirror job;
    /// also for scores computed under older rules).
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
        // The findings first: their lock is taken before any row is.
        record_findings_on(&mut tx, &analyses, Some(now), now, self.backend()).await?;
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
        record_findings_on(&mut tx, &analyses, Some(now), now, self.backend()).await?;
        tx.commit().await
    }
}
