//! Multi-row inserts: rows of values bound by their column's type, in batches.

use sqlx::AnyConnection;

use crate::dialect;
use crate::error::Result;

/// One value of a bulk row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// An integer.
    I(i64),
    /// A float.
    F(f64),
    /// Text.
    T(String),
    /// SQL NULL in an integer column.
    NullI,
    /// SQL NULL in a real column.
    NullF,
    /// SQL NULL in a text column.
    NullT,
}

impl From<&counterpart_core::dump::DumpValue> for Value {
    fn from(value: &counterpart_core::dump::DumpValue) -> Self {
        use counterpart_core::dump::{ColumnKind, DumpValue};
        match value {
            DumpValue::Integer(v) => Self::I(*v),
            DumpValue::Real(v) => Self::F(*v),
            DumpValue::Text(v) => Self::T(v.clone()),
            DumpValue::Null(ColumnKind::Integer) => Self::NullI,
            DumpValue::Null(ColumnKind::Real) => Self::NullF,
            DumpValue::Null(ColumnKind::Text) => Self::NullT,
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::I(v)
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Self::NullI, Self::I)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::T(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::T(v)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        v.map_or(Self::NullT, Self::T)
    }
}

/// At most this many bound values per statement (SQLite allows 32,766; PostgreSQL 65,535).
const MAX_PARAMS: usize = 8_000;

/// Inserts rows into `table` in multi-row statements. Every row must have `columns.len()`
/// values.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    backend: crate::Backend,
    table: &str,
    columns: &[&str],
    rows: impl IntoIterator<Item = Vec<Value>>,
) -> Result<usize> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_statement);
    let mut total = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        batch.clear();
        batch.extend(rows.by_ref().take(per_statement));
        let mut sql = String::with_capacity(head.len() + batch.len() * columns.len() * 6);
        sql.push_str(&head);
        let mut n = 0;
        for (i, _) in batch.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push(',');
                }
                n += 1;
                dialect::push_placeholder(backend, &mut sql, n);
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in batch.drain(..) {
            debug_assert_eq!(row.len(), columns.len());
            for value in row {
                query = match value {
                    Value::I(v) => query.bind(v),
                    Value::F(v) => query.bind(v),
                    Value::T(v) => query.bind(v),
                    // A NULL is bound with its column's type: PostgreSQL prepares a statement
                    // once with the types of its first binding, so a NULL typed as an integer
                    // in a text column's slot breaks every later batch with text there.
                    Value::NullI => query.bind(None::<i64>),
                    Value::NullF => query.bind(dialect::NULL_DOUBLE),
                    Value::NullT => query.bind(None::<String>),
                };
            }
        }
        total += query.execute(&mut *conn).await?.rows_affected() as usize;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two full batches of one statement: a NULL first where the next batch has a number.
    async fn nulls_and_numbers_share_a_real_column(store: &crate::Store) {
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("CREATE TABLE bulk_reals (x DOUBLE PRECISION)")
            .execute(&mut *conn)
            .await
            .unwrap();
        let rows = (0..2 * MAX_PARAMS).map(|i| {
            vec![match i {
                0 => Value::NullF,
                _ => Value::F(0.5),
            }]
        });
        let backend = store.backend();
        let written = insert_rows(&mut conn, backend, "bulk_reals", &["x"], rows)
            .await
            .unwrap();
        assert_eq!(written, 2 * MAX_PARAMS);
        let (nulls, sum): (i64, f64) =
            sqlx::query_as("SELECT COUNT(*) - COUNT(x), SUM(x) FROM bulk_reals")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(nulls, 1);
        assert!((sum - 0.5 * (2 * MAX_PARAMS - 1) as f64).abs() < 1e-9);
        sqlx::query("DROP TABLE bulk_reals")
            .execute(&mut *conn)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn nulls_and_numbers_share_a_real_column_on_both_backends() {
        for db in crate::testing::TestDb::both().await {
            nulls_and_numbers_share_a_real_column(&db.store).await;
            db.cleanup().await;
        }
    }
}
