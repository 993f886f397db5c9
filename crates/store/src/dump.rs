//! The full JSON dump: every table that holds data, in a canonical form, so that
//! dump → restore into an empty database → dump gives the same bytes on both backends.
//!
//! Format (version 1): `{"format":"counterpart-dump","version":1,"schema":N,"tables":{…}}`
//! where each table is `{"columns":[…],"rows":[[…],…]}`, tables in load order, columns by
//! name, rows by primary key. Sessions and login throttling are left out: they are not data.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde::Deserialize;
use serde_json::Value as Json;
use sqlx::Row;

use crate::bulk::{Value, insert_rows};
use crate::db::Store;
use crate::dialect;
use crate::error::{Refusal, Result, StoreError};

/// The dump format's name and version.
pub const DUMP_FORMAT: &str = "counterpart-dump";
/// The dump format's version this program writes and reads.
pub const DUMP_VERSION: i64 = 1;

/// Tables in load order (parents before children) with the columns that order their rows.
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("meta", "key"),
    ("levels", "id"),
    ("functions", "id"),
    ("organizations", "id"),
    ("units", "id"),
    ("persons", "id"),
    ("positions", "id"),
    ("users", "id"),
    ("audit_log", "id"),
    ("criteria", "id"),
    ("accounts", "id"),
    ("key_contacts", "id"),
    ("assignments", "id"),
    ("ratings", "id"),
    ("weight_proposals", "criterion_id, user_id"),
    ("criterion_ratings", "account_id, criterion_id, user_id"),
    ("score_history", "id"),
    ("counterpart_locks", "partner_id, our_id"),
    ("mirror_history", "id"),
];

/// Columns that point into their own table; restored in a second pass so that the order of
/// rows never violates a foreign key.
const SELF_REFERENCES: &[(&str, &str)] = &[
    ("units", "parent_id"),
    ("persons", "reports_to_id"),
    ("persons", "assistant_of_id"),
];

/// Why a dump cannot be restored, naming what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    /// Not JSON, or not this structure.
    #[error("not a Counterpart dump: {0}")]
    Malformed(String),
    /// Another format or version.
    #[error(
        "unsupported dump: format {format:?} version {version}; this program reads {DUMP_FORMAT} version {DUMP_VERSION}"
    )]
    Version {
        /// The file's format name.
        format: String,
        /// The file's version.
        version: i64,
    },
    /// Made by a program with another schema.
    #[error("the dump has schema version {dump}, this database has {database}")]
    Schema {
        /// The dump's schema version.
        dump: i64,
        /// The database's.
        database: i64,
    },
    /// A table or column this schema does not have, or a value of the wrong type.
    #[error("table {table}: {message}")]
    Table {
        /// The table.
        table: String,
        /// What is wrong.
        message: String,
    },
}

/// A self-referencing column restored after all rows: (table, column, (id, target) pairs).
type Deferred<'a> = (&'a str, &'a str, Vec<(i64, i64)>);

#[derive(Deserialize)]
struct DumpFile {
    format: String,
    version: i64,
    schema: i64,
    tables: BTreeMap<String, TableDump>,
}

#[derive(Deserialize)]
struct TableDump {
    columns: Vec<String>,
    rows: Vec<Vec<Json>>,
}

impl Store {
    /// The schema version (the newest applied migration).
    async fn schema_version(&self) -> Result<i64> {
        let (v,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(self.pool())
            .await?;
        Ok(v.unwrap_or(0))
    }

    /// Column names and kinds (`integer`, `text`, `real`) per table, by column name.
    async fn column_kinds(&self) -> Result<HashMap<String, Vec<(String, String)>>> {
        let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for (table, column, kind, _) in self.schema_columns().await? {
            out.entry(table).or_default().push((column, kind));
        }
        Ok(out)
    }

    /// Writes the whole database as a canonical JSON dump.
    pub async fn dump(&self, out: &mut impl Write) -> Result<()> {
        let io = |e: std::io::Error| StoreError::Dump(DumpError::Malformed(e.to_string()));
        let kinds = self.column_kinds().await?;
        let schema = self.schema_version().await?;
        write!(out, "{{\"format\":\"{DUMP_FORMAT}\",\"version\":{DUMP_VERSION},\"schema\":{schema},\"tables\":{{").map_err(io)?;
        // Tables sorted by name, as a JSON reader would too; load order is a restore concern.
        let mut tables: Vec<&(&str, &str)> = TABLES.iter().collect();
        tables.sort_by_key(|(name, _)| *name);
        for (t, (table, order)) in tables.iter().enumerate() {
            let columns = kinds.get(*table).cloned().unwrap_or_default();
            let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
            if t > 0 {
                out.write_all(b",").map_err(io)?;
            }
            write!(
                out,
                "\"{table}\":{{\"columns\":{},\"rows\":[",
                serde_json::to_string(&names).unwrap_or_default()
            )
            .map_err(io)?;
            let select = names
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = sqlx::query(&format!("SELECT {select} FROM {table} ORDER BY {order}"))
                .fetch_all(self.pool())
                .await?;
            for (r, row) in rows.iter().enumerate() {
                let mut values = Vec::with_capacity(columns.len());
                for (i, (_, kind)) in columns.iter().enumerate() {
                    values.push(match kind.as_str() {
                        "integer" => row
                            .try_get::<Option<i64>, _>(i)?
                            .map_or(Json::Null, Json::from),
                        "real" => row
                            .try_get::<Option<f64>, _>(i)?
                            .map_or(Json::Null, Json::from),
                        _ => row
                            .try_get::<Option<String>, _>(i)?
                            .map_or(Json::Null, Json::from),
                    });
                }
                if r > 0 {
                    out.write_all(b",").map_err(io)?;
                }
                serde_json::to_writer(&mut *out, &values).map_err(|e| io(e.into()))?;
            }
            out.write_all(b"]}").map_err(io)?;
        }
        out.write_all(b"}}\n").map_err(io)?;
        Ok(())
    }

    /// Loads a dump into an empty, migrated database in one transaction: all or nothing.
    /// Returns the number of rows per table.
    pub async fn restore(&self, json: &[u8]) -> Result<Vec<(String, usize)>> {
        let dump: DumpFile = serde_json::from_slice(json)
            .map_err(|e| StoreError::Dump(DumpError::Malformed(e.to_string())))?;
        if dump.format != DUMP_FORMAT || dump.version != DUMP_VERSION {
            return Err(StoreError::Dump(DumpError::Version {
                format: dump.format,
                version: dump.version,
            }));
        }
        let database = self.schema_version().await?;
        if dump.schema != database {
            return Err(StoreError::Dump(DumpError::Schema {
                dump: dump.schema,
                database,
            }));
        }
        if !self.is_empty().await? {
            return Err(StoreError::Refused(Refusal::DatabaseNotEmpty));
        }
        let kinds = self.column_kinds().await?;
        let known: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
        if let Some(stranger) = dump.tables.keys().find(|t| !known.contains(&t.as_str())) {
            return Err(table_error(
                stranger,
                "this program has no such table".into(),
            ));
        }
        let mut tx = self.write().await?;
        // A fresh database already has the default ladder; the dump brings its own.
        for table in ["functions", "levels", "meta"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        let mut counts = Vec::new();
        let mut deferred: Vec<Deferred<'_>> = Vec::new();
        for (table, _) in TABLES {
            let Some(data) = dump.tables.get(*table) else {
                continue;
            };
            let columns = kinds.get(*table).cloned().unwrap_or_default();
            let mut types = Vec::with_capacity(data.columns.len());
            for name in &data.columns {
                let kind = columns
                    .iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, k)| k.clone())
                    .ok_or_else(|| table_error(table, format!("unknown column {name:?}")))?;
                types.push(kind);
            }
            let self_refs: Vec<usize> = data
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| SELF_REFERENCES.contains(&(table, c.as_str())))
                .map(|(i, _)| i)
                .collect();
            let id_column = data.columns.iter().position(|c| c == "id");
            for &i in &self_refs {
                let pairs = data
                    .rows
                    .iter()
                    .filter_map(|row| Some((row.get(id_column?)?.as_i64()?, row.get(i)?.as_i64()?)))
                    .collect();
                let column = SELF_REFERENCES
                    .iter()
                    .find(|(t, c)| t == table && *c == data.columns[i])
                    .map_or("", |(_, c)| *c);
                deferred.push((table, column, pairs));
            }
            let mut rows = Vec::with_capacity(data.rows.len());
            for (r, row) in data.rows.iter().enumerate() {
                if row.len() != data.columns.len() {
                    return Err(table_error(
                        table,
                        format!(
                            "row {} has {} values for {} columns",
                            r + 1,
                            row.len(),
                            data.columns.len()
                        ),
                    ));
                }
                let mut values = Vec::with_capacity(row.len());
                for (i, (cell, kind)) in row.iter().zip(&types).enumerate() {
                    let value = if self_refs.contains(&i) {
                        Value::NullI
                    } else {
                        match (kind.as_str(), cell) {
                            ("integer", Json::Null) => Value::NullI,
                            ("real", Json::Null) => Value::NullF,
                            (_, Json::Null) => Value::NullT,
                            ("integer", Json::Number(n)) if n.is_i64() => {
                                Value::I(n.as_i64().unwrap_or_default())
                            }
                            ("real", Json::Number(n)) => Value::F(n.as_f64().unwrap_or_default()),
                            ("text", Json::String(s)) => {
                                // The one rule for text from outside, without normalising (a
                                // restore is lossless): tab and line breaks stay, every other
                                // control character is refused with its place.
                                if let Some(c) = s
                                    .chars()
                                    .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                                {
                                    return Err(table_error(
                                        table,
                                        format!(
                                            "row {}, column {}: control character U+{:04X}",
                                            r + 1,
                                            data.columns[i],
                                            u32::from(c)
                                        ),
                                    ));
                                }
                                Value::T(s.clone())
                            }
                            _ => {
                                return Err(table_error(
                                    table,
                                    format!(
                                        "row {}, column {}: expected {kind}, found {cell}",
                                        r + 1,
                                        data.columns[i]
                                    ),
                                ));
                            }
                        }
                    };
                    values.push(value);
                }
                rows.push(values);
            }
            let names: Vec<&str> = data.columns.iter().map(String::as_str).collect();
            let n = insert_rows(&mut tx, self.backend(), table, &names, rows).await?;
            counts.push(((*table).to_owned(), n));
        }
        for (table, column, pairs) in deferred {
            for (id, target) in pairs {
                sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
                    .bind(target)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for (table, order) in TABLES {
            if *order == "id"
                && let Some(sql) = dialect::reset_identity(self.backend(), table)
            {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(counts)
    }
}

fn table_error(table: &str, message: String) -> StoreError {
    StoreError::Dump(DumpError::Table {
        table: table.to_owned(),
        message,
    })
}
