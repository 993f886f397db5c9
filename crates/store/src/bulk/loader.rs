//! A generated load in progress: its transaction, what it wrote so far, and how it ends.

use std::collections::HashMap;

use counterpart_core::audit::{AuditAction, EntityKind};
use sqlx::AnyConnection;

use super::insert::{Value, insert_rows};
use crate::audit::{Change, record};
use crate::error::Result;
use crate::jobs::{Accounts, Job, enqueue_on};
use crate::{Actor, Backend, dialect};

/// What a bulk load wrote.
#[derive(Clone, Debug, Default)]
pub struct LoadReport {
    /// Rows per table, in load order.
    pub rows: Vec<(&'static str, usize)>,
}

impl LoadReport {
    /// All rows together.
    pub fn total(&self) -> usize {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// A load in progress: the transaction it writes in and the rows it reports.
pub(super) struct Loader<'t> {
    /// The load's one transaction.
    tx: &'t mut AnyConnection,
    /// The engine, for the multi-row statements.
    backend: Backend,
    /// The tables counted so far, in load order.
    report: LoadReport,
}

impl<'t> Loader<'t> {
    /// Starts a load in `tx`.
    pub(super) fn new(tx: &'t mut AnyConnection, backend: Backend) -> Self {
        Self {
            tx,
            backend,
            report: LoadReport::default(),
        }
    }

    /// Inserts rows into `table` and reports how many.
    pub(super) async fn counted(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Value>>,
    ) -> Result<()> {
        let n = self.uncounted(table, columns, rows).await?;
        self.report.rows.push((table, n));
        Ok(())
    }

    /// Inserts rows into `table` and reports how many, with the table's indexes built
    /// afterwards rather than kept up to date row by row: for the tables of millions of rows
    /// in random order of every indexed column (insights, contacts), where updating the
    /// indexes row by row spills the page cache over and over. The indexes are the schema's
    /// own, read from the database, dropped and made again in the same transaction. On SQLite
    /// the triggers that keep a trigram search table in step are dropped likewise, and the
    /// search table is rebuilt from the rows at the end.
    pub(super) async fn counted_then_indexed(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Value>>,
    ) -> Result<()> {
        let indexes = self.indexes(table).await?;
        let (triggers, searches) = self.text_search_of(table).await?;
        for (kind, name) in indexes
            .iter()
            .map(|(name, _)| ("INDEX", name))
            .chain(triggers.iter().map(|(name, _)| ("TRIGGER", name)))
        {
            sqlx::query(&format!("DROP {kind} {name}"))
                .execute(&mut *self.tx)
                .await?;
        }
        self.counted(table, columns, rows).await?;
        for (_, create) in indexes.iter().chain(&triggers) {
            sqlx::query(create).execute(&mut *self.tx).await?;
        }
        for search in &searches {
            sqlx::query(&format!(
                "INSERT INTO {search} ({search}) VALUES ('rebuild')"
            ))
            .execute(&mut *self.tx)
            .await?;
        }
        Ok(())
    }

    /// On SQLite, the triggers on `table` (name, statement) and the FTS5 tables whose content
    /// it is; on PostgreSQL none (its trigram indexes are plain indexes).
    async fn text_search_of(
        &mut self,
        table: &str,
    ) -> Result<(Vec<(String, String)>, Vec<String>)> {
        if self.backend != Backend::Sqlite {
            return Ok((Vec::new(), Vec::new()));
        }
        let triggers = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 \
             ORDER BY name",
        )
        .bind(table)
        .fetch_all(&mut *self.tx)
        .await?;
        let searches: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND sql LIKE 'CREATE VIRTUAL TABLE%' AND sql LIKE $1 ORDER BY name",
        )
        .bind(format!("%content = '{table}'%"))
        .fetch_all(&mut *self.tx)
        .await?;
        Ok((triggers, searches.into_iter().map(|(n,)| n).collect()))
    }

    /// The secondary indexes of `table` (not those behind its key or constraints): name and
    /// the statement that makes each.
    async fn indexes(&mut self, table: &str) -> Result<Vec<(String, String)>> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name, sql FROM sqlite_master \
                 WHERE type = 'index' AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT c.relname::text, pg_get_indexdef(i.indexrelid) FROM pg_index i \
                 JOIN pg_class c ON c.oid = i.indexrelid \
                 WHERE i.indrelid = $1::text::regclass \
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) \
                 ORDER BY c.relname"
            }
        };
        Ok(sqlx::query_as(sql)
            .bind(table)
            .fetch_all(&mut *self.tx)
            .await?)
    }

    /// Inserts rows into `table` without reporting them (the logins, the criteria, the score
    /// history); returns how many.
    pub(super) async fn uncounted(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: impl IntoIterator<Item = Vec<Value>>,
    ) -> Result<usize> {
        insert_rows(&mut *self.tx, self.backend, table, columns, rows).await
    }

    /// Ends the load: moves the id generators past the loaded rows, records the dataset's
    /// `label`, writes one audit entry for the whole load and enqueues the mirror of every
    /// account. The caller commits.
    pub(super) async fn finish(self, label: &str) -> Result<LoadReport> {
        for table in crate::registry::dumped().filter(|t| t.has_identity()) {
            if let Some(sql) = dialect::reset_identity(self.backend, table.name) {
                sqlx::query(&sql).execute(&mut *self.tx).await?;
            }
        }
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
            .bind("demo_dataset")
            .bind(label)
            .execute(&mut *self.tx)
            .await?;
        let summary: HashMap<&str, usize> = self.report.rows.iter().copied().collect();
        let change = Change {
            entity: EntityKind::Organization,
            id: 1,
            action: AuditAction::Create,
            label,
        };
        record(
            &mut *self.tx,
            &Actor::system(),
            change,
            None,
            Some(&summary),
        )
        .await?;
        enqueue_on(&mut *self.tx, Job::MirrorScores(Accounts::All)).await?;
        Ok(self.report)
    }
}
