//! Fresh databases for tests, on both backends (feature `test-support`).
//!
//! SQLite: a new file in the temp folder. PostgreSQL: a new schema in the database named by
//! `COUNTERPART_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/test`). When
//! that server cannot be reached, the PostgreSQL half of a test is skipped with a printed
//! reason, except in CI (`CI=true`), where it fails.

mod world;

use std::path::PathBuf;

use sqlx::{Connection, Executor};

pub use world::{WORLD_PASSWORD, World};

use crate::{Backend, Store};

/// The default PostgreSQL URL for tests.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A migrated, empty database that is removed again by [`TestDb::cleanup`].
pub struct TestDb {
    /// The store on it.
    pub store: Store,
    sqlite_file: Option<PathBuf>,
    postgres_schema: Option<(String, String)>,
}

fn unique_name() -> String {
    format!("cp_test_{}", &crate::users::random_token()[..16])
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDb {
    /// A fresh SQLite database file.
    pub async fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        let store = Store::connect(&path.to_string_lossy())
            .await
            .expect("open SQLite test database");
        store.migrate().await.expect("migrate SQLite");
        Self {
            store,
            sqlite_file: Some(path),
            postgres_schema: None,
        }
    }

    /// A fresh SQLite database and, where a server is reachable (always in CI), a fresh
    /// PostgreSQL schema: for a test that runs the same steps on both.
    pub async fn both() -> Vec<Self> {
        let mut dbs = vec![Self::sqlite().await];
        dbs.extend(Self::postgres().await);
        dbs
    }

    /// A fresh PostgreSQL schema, or `None` (with a printed reason) when no server is
    /// reachable outside CI. Panics in CI when the server is missing.
    pub async fn postgres() -> Option<Self> {
        let url = std::env::var("COUNTERPART_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let mut admin = match sqlx::PgConnection::connect(&url).await {
            Ok(conn) => conn,
            Err(e) if !in_ci() => {
                eprintln!("skipping the PostgreSQL half: cannot connect to {url}: {e}");
                return None;
            }
            Err(e) => panic!("CI requires PostgreSQL at {url}: {e}"),
        };
        // pg_trgm (schema version 5) lives once in the database's public schema: installed by
        // a test into its own schema, it would vanish when that schema is dropped. Tests that
        // start together may race to install it; whichever loses finds it there.
        let _ = admin
            .execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            .await;
        let schema = unique_name();
        admin
            .execute(format!("CREATE SCHEMA {schema}").as_str())
            .await
            .expect("create test schema");
        let separator = if url.contains('?') { '&' } else { '?' };
        let store = Store::connect(&format!(
            "{url}{separator}options=-c%20search_path%3D{schema}"
        ))
        .await
        .expect("connect to PostgreSQL test schema");
        assert_eq!(store.backend(), Backend::Postgres);
        store.migrate().await.expect("migrate PostgreSQL");
        Some(Self {
            store,
            sqlite_file: None,
            postgres_schema: Some((url, schema)),
        })
    }

    /// The URL that reaches this database (for a PostgreSQL schema, with its search path), for
    /// other processes such as a `counterpart serve` under test.
    pub fn url(&self) -> String {
        match (&self.sqlite_file, &self.postgres_schema) {
            (Some(path), _) => path.to_string_lossy().into_owned(),
            (None, Some((url, schema))) => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}options=-c%20search_path%3D{schema}")
            }
            (None, None) => String::new(),
        }
    }

    /// Closes the store and removes the database.
    pub async fn cleanup(mut self) {
        self.store.close().await;
        remove_sqlite_files(self.sqlite_file.take());
        if let Some((url, schema)) = self.postgres_schema.take()
            && let Ok(mut admin) = sqlx::PgConnection::connect(&url).await
        {
            let _ = admin
                .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
                .await;
        }
    }
}

/// A test that ends without [`TestDb::cleanup`] (most web tests, every failed one) still
/// leaves no SQLite file behind: hundreds of them filled the disk of a CI machine.
impl Drop for TestDb {
    fn drop(&mut self) {
        remove_sqlite_files(self.sqlite_file.take());
    }
}

fn remove_sqlite_files(path: Option<std::path::PathBuf>) {
    let Some(path) = path else {
        return;
    };
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.clone().into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

/// Gives every nullable column of every dumped table both NULLs and values, so that a dump
/// of it meets both in one multi-row insert and across batches: NULL on every other row of
/// the first half of each stretch of 101 keys (a pattern no batch size lines up with, so a slot
/// of the insert statement holds NULL in one batch and a value in the next), and a value where
/// a column held none (text, a number, or the id of a
/// row the column may point to). Returns the columns left without both, with the reason.
pub async fn mix_nulls(store: &Store) -> Vec<String> {
    let columns = store.schema_columns().await.expect("schema");
    let mut left = Vec::new();
    for table in crate::registry::dumped() {
        let (table, order) = (table.name, table.order);
        let key = order.split(',').next().unwrap_or("id").trim();
        for (t, column, kind, not_null) in &columns {
            if t.as_str() != table || *not_null || column == key {
                continue;
            }
            let run = |sql: String| async move {
                sqlx::query(&sql).execute(store.pool()).await.map(|_| ())
            };
            let counts = |sql: String| async move {
                sqlx::query_as::<_, (i64, i64)>(&sql)
                    .fetch_one(store.pool())
                    .await
                    .expect("count")
            };
            let count = format!("SELECT COUNT({column}), COUNT(*) - COUNT({column}) FROM {table}");
            let (values, nulls) = counts(count.clone()).await;
            if values > 0 && nulls > 0 {
                // Mixed already (as a table whose rows must keep one of two references).
                continue;
            }
            if values == 0 {
                // A value that every column of its kind takes: a timestamp-shaped text, a
                // small number, or for a reference the smallest id of the table it points to.
                let value = match kind.as_str() {
                    // A unique column takes a value of its own per row.
                    "text" if (table, column.as_str()) == ("users", "email") => {
                        format!("'user' || {key} || '@mixed.example'")
                    }
                    "text" => "'2026-01-01T00:00:00.000000Z'".to_owned(),
                    "real" => "1.5".to_owned(),
                    _ => match reference_target(table, column) {
                        Some(target) => format!("(SELECT MIN(id) FROM {target})"),
                        None => "3".to_owned(),
                    },
                };
                if let Err(e) = run(format!(
                    "UPDATE {table} SET {column} = {value} WHERE {key} IN \
                     (SELECT {key} FROM {table} ORDER BY {key} LIMIT 50)"
                ))
                .await
                {
                    left.push(format!("{table}.{column}: no value can be set ({e})"));
                    continue;
                }
            }
            if let Err(e) = run(format!(
                "UPDATE {table} SET {column} = NULL WHERE {key} IN \
                 (SELECT {key} FROM {table} ORDER BY {key}) AND {key} % 2 = 0 AND {key} % 101 < 50"
            ))
            .await
            {
                left.push(format!("{table}.{column}: cannot be NULL ({e})"));
                continue;
            }
            let (values, nulls) = counts(count).await;
            if values == 0 || nulls == 0 {
                left.push(format!("{table}.{column}: {values} values, {nulls} NULLs"));
            }
        }
    }
    left
}

/// The table a nullable reference column points to, by the schema's naming.
fn reference_target(table: &str, column: &str) -> Option<&'static str> {
    Some(match (table, column) {
        (_, "parent_id") => "units",
        (_, "unit_id" | "responsible_unit_id") => "units",
        (_, "level_id") => "levels",
        (_, "function_id") => "functions",
        (_, "reports_to_id" | "assistant_of_id" | "person_id" | "manager_id") => "persons",
        (_, "user_id" | "rated_by" | "actor_user_id") => "users",
        _ => return None,
    })
}

/// The number of rows of a table (for tests that prove something stored nothing).
pub async fn count_rows(store: &Store, table: &str) -> i64 {
    assert!(
        table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "a table name"
    );
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(store.pool())
        .await
        .expect("count");
    n
}

/// Checks the table registry against the live schema: every table is registered, every
/// foreign key points to a table registered before it (or is a registered self-reference),
/// and no registered table is missing from the schema. Returns what is wrong.
pub async fn registry_problems(store: &Store) -> Vec<String> {
    use crate::registry::TABLES;
    let table = |name: &str| TABLES.iter().find(|t| t.name == name);
    let mut problems = Vec::new();
    let live: std::collections::BTreeSet<String> = store
        .schema_columns()
        .await
        .expect("schema")
        .into_iter()
        .map(|(t, ..)| t)
        .collect();
    for name in &live {
        if table(name).is_none() {
            problems.push(format!("table {name} is not in the registry"));
        }
    }
    for registered in TABLES {
        if !live.contains(registered.name) {
            problems.push(format!(
                "the registry names {}, the schema has no such table",
                registered.name
            ));
        }
    }
    let position = |name: &str| TABLES.iter().position(|t| t.name == name);
    let references = store.schema_references().await.expect("references");
    if references.len() < 20 {
        problems.push(format!("only {} foreign keys found", references.len()));
    }
    for (from, column, to) in references.clone() {
        let (Some(f), Some(t)) = (position(&from), position(&to)) else {
            continue;
        };
        let self_listed = TABLES[f].self_references.contains(&column.as_str());
        if from == to && !self_listed {
            problems.push(format!("{from}.{column} points into its own table but is not a self-reference of the registry"));
        } else if from != to && t > f {
            problems.push(format!(
                "{from}.{column} points to {to}, which the registry loads later"
            ));
        }
    }
    for registered in TABLES {
        for column in registered.self_references {
            if !references
                .iter()
                .any(|(f, c, t)| f == registered.name && c == column && t == registered.name)
            {
                problems.push(format!(
                    "{}.{column} is registered as a self-reference but has no such key",
                    registered.name
                ));
            }
        }
    }
    problems
}

/// Checks that the access report (Art. 15 DSGVO) covers every column that points to a person
/// or a user: each foreign key of the live schema into `persons` or `users` must be covered by
/// a link of its table's registry line, each column a link names must exist, and each link's
/// shown columns must exist and never be a secret. Returns what is wrong.
pub async fn access_report_problems(store: &Store) -> Vec<String> {
    use crate::registry::{Columns, NEVER_SHOWN, TABLES};
    let mut problems = Vec::new();
    let columns = store.schema_columns().await.expect("schema");
    let exists = |table: &str, column: &str| {
        columns
            .iter()
            .any(|(t, c, ..)| t.as_str() == table && c.as_str() == column)
    };
    let references = store.schema_references().await.expect("references");
    let personal: Vec<_> = references
        .iter()
        .filter(|(_, _, to)| to == "persons" || to == "users")
        .collect();
    if personal.len() < 20 {
        problems.push(format!(
            "only {} foreign keys into persons and users found",
            personal.len()
        ));
    }
    for (from, column, to) in personal {
        let covered = TABLES
            .iter()
            .find(|t| t.name == from.as_str())
            .is_some_and(|t| t.personal_columns().any(|c| c == column.as_str()));
        if !covered {
            problems.push(format!(
                "{from}.{column} points to {to} but no link of the registry covers it: \
                 the access report would leave it out"
            ));
        }
    }
    for table in TABLES {
        for link in table.links {
            for column in link.covers {
                if !exists(table.name, column) {
                    problems.push(format!(
                        "{}.{column} is covered by {:?} but has no such column",
                        table.name, link.section
                    ));
                }
            }
            if let Columns::Only(only) = link.columns {
                for column in only {
                    if !exists(table.name, column) || NEVER_SHOWN.contains(column) {
                        problems.push(format!(
                            "{}.{column} is shown by {:?} but is missing or secret",
                            table.name, link.section
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// The ids of a probe table's rows that a visibility lets through, applied in SQL the way
/// every read of confidential records applies it: rows `(id, confidential, author, author's
/// unit)` are created once, then filtered by [`crate::Visibility::condition`].
pub async fn visible_probe_rows(
    store: &Store,
    rows: &[(i64, bool, Option<i64>, Option<i64>)],
    visibility: &crate::Visibility,
) -> Vec<i64> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS visibility_probe (id BIGINT PRIMARY KEY, \
         confidential BIGINT NOT NULL, author_id BIGINT, author_unit_id BIGINT)",
    )
    .execute(store.pool())
    .await
    .expect("probe table");
    sqlx::query("DELETE FROM visibility_probe")
        .execute(store.pool())
        .await
        .expect("empty probe");
    for (id, confidential, author, unit) in rows {
        sqlx::query("INSERT INTO visibility_probe VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i64::from(*confidential))
            .bind(author)
            .bind(unit)
            .execute(store.pool())
            .await
            .expect("probe row");
    }
    let (condition, binds) = visibility.condition("confidential", "author_id", "author_unit_id", 1);
    let sql = format!("SELECT id FROM visibility_probe WHERE {condition} ORDER BY id");
    let query = binds
        .iter()
        .fold(sqlx::query_as::<_, (i64,)>(&sql), |q, b| q.bind(*b));
    let ids = query.fetch_all(store.pool()).await.expect("visible rows");
    ids.into_iter().map(|(id,)| id).collect()
}

/// A digest feed address for `unit`, as the digest page makes one.
pub fn digest_feed(unit: counterpart_core::ids::UnitId) -> crate::NewToken {
    crate::NewToken::digest(unit)
}

/// A calendar subscription address, as the jour-fixe page makes one.
pub fn calendar_feed() -> crate::NewToken {
    crate::NewToken::calendar()
}

/// Every `table.column` of text whose value holds `text` somewhere, over the whole database
/// (for the erasure's proof: nothing of an erased person is left but the pseudonym).
pub async fn text_found(store: &Store, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (table, column, kind, _) in store.schema_columns().await.expect("schema") {
        if kind != "text" {
            continue;
        }
        let values: Vec<(Option<String>,)> = sqlx::query_as(&format!(
            "SELECT \"{column}\" FROM {table} WHERE \"{column}\" LIKE $1"
        ))
        .bind(format!("%{text}%"))
        .fetch_all(store.pool())
        .await
        .expect("search a text column");
        if values
            .iter()
            .any(|(v,)| v.as_deref().is_some_and(|v| v.contains(text)))
        {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

/// The links of the registry marked [`crate::registry::Erase::Delete`] that still select rows
/// for a person and their user account, with the count (none after an erasure).
pub async fn rows_left_after_erasure(
    store: &Store,
    person: counterpart_core::ids::PersonId,
    user: Option<counterpart_core::ids::UserId>,
) -> Vec<String> {
    use crate::erasure::{Bound, bind_template};
    use crate::registry::{Erase, links};
    let mut left = Vec::new();
    for (table, link) in links() {
        if link.erase != Erase::Delete {
            continue;
        }
        let (sql, binds) = bind_template(
            &format!(
                "SELECT COUNT(*) FROM {} WHERE {}",
                table.name, link.condition
            ),
            person,
            user,
            "",
        );
        let query =
            binds
                .into_iter()
                .fold(sqlx::query_as::<_, (i64,)>(&sql), |q, value| match value {
                    Bound::Id(id) => q.bind(id),
                    Bound::Text(text) => q.bind(text),
                });
        let (n,) = query.fetch_one(store.pool()).await.expect("count");
        if n > 0 {
            left.push(format!("{}: {:?} ({n})", table.name, link.section));
        }
    }
    left
}

/// Moves a person's creation and the audit entries about them `days` into the past (for
/// tests of the retention review, which looks for people without activity for years).
pub async fn backdate_person(store: &Store, person: counterpart_core::ids::PersonId, days: i64) {
    let when = crate::time::to_db(crate::now() - chrono::Duration::days(days));
    sqlx::query("UPDATE persons SET created_at = $1, updated_at = $1 WHERE id = $2")
        .bind(&when)
        .bind(person.get())
        .execute(store.pool())
        .await
        .expect("backdate the person");
    sqlx::query("UPDATE audit_log SET at = $1 WHERE entity = 'person' AND entity_id = $2")
        .bind(&when)
        .bind(person.get())
        .execute(store.pool())
        .await
        .expect("backdate their audit entries");
}
