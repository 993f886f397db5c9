//! Connecting, pooling and transactions.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, ConnectOptions, Executor, Transaction};
use tokio::sync::{Mutex, MutexGuard};

pub use crate::dialect::Backend;
use crate::dialect::{IDS_PER_QUERY, placeholders};
use crate::error::{Result, StoreError};

/// A handle to the database; cheap to clone and share between requests.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time. Serializing write transactions inside the process
    /// avoids `SQLITE_BUSY` on lock upgrades; PostgreSQL needs no such lock.
    write_lock: Arc<Mutex<()>>,
    /// Password hashing, bounded to a few at a time.
    hash_pool: crate::hashing::HashPool,
    /// Woken after every commit, so that the job worker looks for work at once.
    committed: Arc<tokio::sync::Notify>,
}

/// A write transaction. Holds the in-process write lock on SQLite until it ends.
pub(crate) struct WriteTx<'s> {
    pub(crate) tx: Transaction<'static, Any>,
    _guard: Option<MutexGuard<'s, ()>>,
    committed: &'s tokio::sync::Notify,
}

impl WriteTx<'_> {
    /// Commits everything written in this transaction, and wakes the job worker.
    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        self.committed.notify_one();
        Ok(())
    }

    /// Undoes everything written in this transaction (dropping it does the same, later).
    pub(crate) async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Turns what a user typed into a URL sqlx understands: a bare path means a SQLite file, which
/// is created when missing.
fn normalize_url(url: &str) -> Result<(String, Backend)> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_owned(), Backend::Postgres));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(StoreError::Url(
            "empty database URL; use a file path, sqlite://FILE or postgres://…".into(),
        ));
    }
    if path.contains("://") {
        return Err(StoreError::Url(format!(
            "unsupported scheme in {url:?}; use a file path, sqlite://FILE or postgres://…"
        )));
    }
    if path.starts_with(":memory:") {
        return Err(StoreError::Url(
            "in-memory SQLite is not supported (each connection would see another database); use a file".into(),
        ));
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    let with_mode = if path.contains("mode=") {
        path.to_owned()
    } else {
        format!("{path}{separator}mode=rwc")
    };
    Ok((format!("sqlite://{with_mode}"), Backend::Sqlite))
}

impl Store {
    /// Connects to SQLite (a file path or `sqlite://FILE`) or PostgreSQL (`postgres://…`).
    /// Does not migrate; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let (url, backend) = normalize_url(url)?;
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Url(e.to_string()))?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            // Before lending a connection, the pool pings it by default: for SQLite a round
            // trip to the connection's worker thread per read, which cannot find anything
            // wrong with a file opened in this process. PostgreSQL's connections can drop.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // 8 MB of page cache per connection, at most 64 MB for the pool: with
                        // 32 MB, the connections that once read the whole portfolio kept the
                        // server near 300 MB (BENCHMARKS.md, memory). Pages are read through
                        // a memory map of up to 256 MB, shared by the connections through the
                        // operating system's cache, instead of copied by a system call into
                        // each connection's own cache: My day of the heaviest user 10.2 ->
                        // 6.7 ms, and the server 157 MB instead of 256 MB after the knowledge
                        // benchmark (BENCHMARKS.md). The price is SQLite's: an I/O error
                        // while reading a mapped page (a failing disk) stops the process
                        // instead of failing the query.
                        conn.execute(
                            "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
                             PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA cache_size = -8000; PRAGMA mmap_size = 268435456;",
                        )
                        .await?;
                    } else {
                        // No just-in-time compilation of queries: PostgreSQL compiles a query
                        // whose estimated cost passes `jit_above_cost`, which the whole-portfolio
                        // reads of a page do at enterprise scale, and the compiling took 20-45
                        // ms a time of queries that run in 60 (the organization list: 106 ms
                        // with, 62 without). Pages ask short questions; none gains from it.
                        conn.execute("SET jit = off").await?;
                        // A random read costs about what a sequential one does on solid-state
                        // storage (PostgreSQL's default of 4 assumes spinning disks): with 4,
                        // the planner read all 120,000 people to join the 1,625 key contacts of
                        // a matrix page (143 ms; 19 ms by index).
                        conn.execute("SET random_page_cost = 1.1").await?;
                        // A plan for each execution's values, never the generic one: sqlx
                        // prepares every statement, and from a statement's sixth execution on
                        // a connection PostgreSQL may switch to a plan made without the values.
                        // For the search (trigram matches on the words given) that plan took
                        // 4.8 s instead of 5 ms, on every connection that had served five
                        // searches. The price is planning each query anew.
                        conn.execute("SET plan_cache_mode = force_custom_plan")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            hash_pool: crate::hashing::HashPool::new(),
            committed: Arc::default(),
        })
    }

    /// Which engine this store talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Completes after the next commit of this process.
    pub(crate) async fn committed(&self) {
        self.committed.notified().await;
    }

    /// The bounded pool password hashing runs on.
    pub(crate) fn hash_pool(&self) -> &crate::hashing::HashPool {
        &self.hash_pool
    }

    /// The connection pool, for reads.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The rows a statement gives for a list of ids, however long: `sql` gets the `IN` list's
    /// placeholders (`$1, $2, …`) and runs once per [`IDS_PER_QUERY`] ids.
    pub(crate) async fn rows_by_ids(
        &self,
        ids: &[i64],
        sql: impl Fn(&str) -> String,
    ) -> Result<Vec<AnyRow>> {
        let mut rows = Vec::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let sql = sql(&placeholders(1, chunk.len()));
            let query = chunk
                .iter()
                .fold(sqlx::query(&sql), |query, id| query.bind(*id));
            rows.extend(query.fetch_all(self.pool()).await?);
        }
        Ok(rows)
    }

    /// [`Store::rows_by_ids`] with more values bound after each chunk's ids: `sql` gets the
    /// `IN` list's placeholders and the number of the first placeholder after them.
    pub(crate) async fn rows_by_ids_and(
        &self,
        ids: &[i64],
        more: &[i64],
        sql: impl Fn(&str, usize) -> String,
    ) -> Result<Vec<AnyRow>> {
        let mut rows = Vec::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let sql = sql(&placeholders(1, chunk.len()), chunk.len() + 1);
            let query = chunk
                .iter()
                .chain(more)
                .fold(sqlx::query(&sql), |query, id| query.bind(*id));
            rows.extend(query.fetch_all(self.pool()).await?);
        }
        Ok(rows)
    }

    /// Starts a write transaction. On SQLite it takes the database's write lock at once
    /// (`BEGIN IMMEDIATE`), waiting as long as the busy timeout allows: a transaction that
    /// reads first and writes later would otherwise fail at once with "database is locked"
    /// while a transaction dropped on an error is still being rolled back on its connection.
    pub(crate) async fn write(&self) -> Result<WriteTx<'_>> {
        let guard = match self.backend {
            Backend::Sqlite => Some(self.write_lock.lock().await),
            Backend::Postgres => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            _guard: guard,
            committed: &self.committed,
        })
    }

    /// Closes all connections (waits for running queries).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Makes a consistent copy of a running SQLite database into a new file (`VACUUM INTO`),
    /// while readers and writers go on. PostgreSQL is backed up with `pg_dump`.
    pub async fn backup(&self, target: &std::path::Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Refused(
                crate::error::Refusal::BackupNeedsSqlite,
            ));
        }
        if target.exists() {
            return Err(StoreError::Url(format!(
                "{} exists already; choose a new file",
                target.display()
            )));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(target.to_string_lossy().into_owned())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether the connection to the database is encrypted (PostgreSQL with TLS, see
    /// `sslmode` in the URL). A SQLite file has no connection to encrypt: `false`.
    pub async fn encrypted(&self) -> Result<bool> {
        match self.backend {
            Backend::Sqlite => Ok(false),
            Backend::Postgres => {
                let (ssl,): (Option<bool>,) =
                    sqlx::query_as("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                        .fetch_one(self.pool())
                        .await?;
                Ok(ssl.unwrap_or(false))
            }
        }
    }

    /// Checks the database file for corruption (SQLite's `PRAGMA integrity_check`); `Ok(())`
    /// or the problems found. PostgreSQL checks its own pages: always `Ok(())`.
    pub async fn integrity_check(&self) -> Result<(), String> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
            .fetch_all(self.pool())
            .await
            .map_err(|e| e.to_string())?;
        match rows.as_slice() {
            [(ok,)] if ok == "ok" => Ok(()),
            problems => Err(problems
                .iter()
                .map(|(p,)| p.as_str())
                .collect::<Vec<_>>()
                .join("; ")),
        }
    }

    /// Whether the database holds no organization and no user yet.
    pub async fn is_empty(&self) -> Result<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM organizations) + (SELECT COUNT(*) FROM users)",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(n == 0)
    }

    /// Reads a value from the key/value `meta` table.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let value: Option<(String,)> = sqlx::query_as("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        Ok(value.map(|(v,)| v))
    }

    /// Writes a value to the key/value `meta` table.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalize_url("counterpart.db").unwrap(),
            ("sqlite://counterpart.db?mode=rwc".into(), Backend::Sqlite)
        );
        assert_eq!(
            normalize_url("sqlite:///var/lib/cp.db").unwrap().0,
            "sqlite:///var/lib/cp.db?mode=rwc"
        );
        assert_eq!(
            normalize_url("postgres://postgres@127.0.0.1/test")
                .unwrap()
                .1,
            Backend::Postgres
        );
        assert!(normalize_url("mysql://x").is_err());
        assert!(normalize_url("sqlite::memory:").is_err());
        assert!(normalize_url("").is_err());
    }

    /// Every connection is set up as the pool's `after_connect` says, on both backends.
    #[tokio::test]
    async fn connections_are_set_up_for_short_queries() {
        let sqlite = crate::testing::TestDb::sqlite().await;
        let (keys,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
            .fetch_one(sqlite.store.pool())
            .await
            .unwrap();
        assert_eq!(keys, 1);
        sqlite.cleanup().await;
        if let Some(postgres) = crate::testing::TestDb::postgres().await {
            // Each of several connections at once, not only the first.
            let mut held = Vec::new();
            for _ in 0..3 {
                held.push(postgres.store.pool().acquire().await.unwrap());
            }
            for conn in &mut held {
                for (setting, value) in [
                    ("jit", "off"),
                    ("random_page_cost", "1.1"),
                    ("plan_cache_mode", "force_custom_plan"),
                ] {
                    let (set,): (String,) = sqlx::query_as("SELECT current_setting($1)")
                        .bind(setting)
                        .fetch_one(&mut **conn)
                        .await
                        .unwrap();
                    assert_eq!(set, value, "{setting}");
                }
            }
            drop(held);
            postgres.cleanup().await;
        }
    }
}
