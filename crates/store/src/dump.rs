//! The full JSON dump: every table that holds data, in a canonical form, so that
//! dump → restore into an empty database → dump gives the same bytes on both backends.
//!
//! Format (version 1): `{"format":"counterpart-dump","version":1,"schema":N,"tables":{…}}`
//! where each table is `{"columns":[…],"rows":[[…],…]}`, tables in load order, columns by
//! name, rows by primary key. Sessions and login throttling are left out: they are not data.

use std::collections::HashMap;
use std::io::Write;

use counterpart_core::dump::{self, ColumnKind, DUMP_FORMAT, DUMP_VERSION, DumpError, TableSchema};
use serde_json::Value as Json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::bulk::{Value, insert_rows};
use crate::db::Store;
use crate::dialect;
use crate::error::{Refusal, Result, StoreError};
use crate::registry::{self, Table};

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
        let kinds = self.column_kinds().await?;
        let schema = self.schema_version().await?;
        write!(out, "{{\"format\":\"{DUMP_FORMAT}\",\"version\":{DUMP_VERSION},\"schema\":{schema},\"tables\":{{").map_err(io)?;
        // Tables sorted by name, as a JSON reader would too; load order is a restore concern.
        let mut tables: Vec<&Table> = registry::dumped().collect();
        tables.sort_by_key(|t| t.name);
        for (t, table) in tables.iter().enumerate() {
            if t > 0 {
                out.write_all(b",").map_err(io)?;
            }
            let columns = kinds.get(table.name).cloned().unwrap_or_default();
            self.dump_table(out, table, &columns).await?;
        }
        writeln!(out, "}}}}").map_err(io)?;
        Ok(())
    }

    /// Writes one table of the dump: `"name":{"columns":[…],"rows":[[…],…]}`, its rows in the
    /// table's order, each value as its column's kind (`columns`: name and kind) reads it.
    async fn dump_table(
        &self,
        out: &mut impl Write,
        table: &Table,
        columns: &[(String, String)],
    ) -> Result<()> {
        let names: Vec<&str> = columns.iter().map(|(c, _)| c.as_str()).collect();
        write!(
            out,
            "\"{}\":{{\"columns\":{},\"rows\":[",
            table.name,
            serde_json::to_string(&names).unwrap_or_default()
        )
        .map_err(io)?;
        let select = names
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {select} FROM {} ORDER BY {}",
            table.name, table.order
        ))
        .fetch_all(self.pool())
        .await?;
        for (r, row) in rows.iter().enumerate() {
            if r > 0 {
                out.write_all(b",").map_err(io)?;
            }
            serde_json::to_writer(&mut *out, &row_values(row, columns)?)
                .map_err(|e| io(e.into()))?;
        }
        write!(out, "]}}").map_err(io)?;
        Ok(())
    }

    /// Loads a dump into an empty, migrated database in one transaction: all or nothing.
    /// Returns the number of rows per table.
    pub async fn restore(&self, json: &[u8]) -> Result<Vec<(String, usize)>> {
        let kinds = self.column_kinds().await?;
        let schema: Vec<TableSchema> = registry::dumped()
            .map(|table| TableSchema {
                name: table.name.to_owned(),
                columns: kinds
                    .get(table.name)
                    .map(|columns| {
                        columns
                            .iter()
                            .map(|(name, kind)| (name.clone(), column_kind(kind)))
                            .collect()
                    })
                    .unwrap_or_default(),
                self_references: table
                    .self_references
                    .iter()
                    .map(|c| (*c).to_owned())
                    .collect(),
            })
            .collect();
        let tables = dump::parse(json, self.schema_version().await?, &schema)?;
        if !self.is_empty().await? {
            return Err(StoreError::Refused(Refusal::DatabaseNotEmpty));
        }
        let mut tx = self.write().await?;
        // A fresh database already has the default ladder; the dump brings its own.
        for table in ["functions", "levels", "meta"] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        let mut counts = Vec::new();
        for table in &tables {
            let names: Vec<&str> = table.columns.iter().map(String::as_str).collect();
            let rows = table
                .rows
                .iter()
                .map(|row| row.iter().map(Value::from).collect::<Vec<_>>());
            let n = insert_rows(&mut tx, self.backend(), &table.name, &names, rows).await?;
            counts.push((table.name.clone(), n));
        }
        for table in &tables {
            for (column, pairs) in &table.deferred {
                for (id, target) in pairs {
                    sqlx::query(&format!(
                        "UPDATE {} SET {column} = $1 WHERE id = $2",
                        table.name
                    ))
                    .bind(target)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        for table in registry::dumped().filter(|t| t.has_identity()) {
            if let Some(sql) = dialect::reset_identity(self.backend(), table.name) {
                sqlx::query(&sql).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(counts)
    }
}

/// A dump that cannot be written.
fn io(e: std::io::Error) -> StoreError {
    StoreError::Dump(DumpError::Malformed(e.to_string()))
}

/// One row's values as JSON, each read as its column's kind (`integer`, `real`, else text).
pub(crate) fn row_values(
    row: &AnyRow,
    columns: &[(String, String)],
) -> Result<Vec<Json>, sqlx::Error> {
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
    Ok(values)
}

/// The reader's kind of a column as the schema reports it.
fn column_kind(kind: &str) -> ColumnKind {
    match kind {
        "integer" => ColumnKind::Integer,
        "real" => ColumnKind::Real,
        _ => ColumnKind::Text,
    }
}
