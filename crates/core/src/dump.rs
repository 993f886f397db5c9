//! Reading the full JSON dump, pure: the file's structure, versions and every value checked
//! against the columns the database has, without touching the database. The store writes the
//! dump and loads what this returns; splitting the two lets the reader be fuzzed on its own.
//!
//! Format (version 1): `{"format":"counterpart-dump","version":1,"schema":N,"tables":{…}}`
//! where each table is `{"columns":[…],"rows":[[…],…]}`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

/// The dump format's name.
pub const DUMP_FORMAT: &str = "counterpart-dump";
/// The dump format's version this program writes and reads.
pub const DUMP_VERSION: i64 = 1;

/// Why a dump cannot be restored, naming what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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

/// How a column's values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// 64-bit integers (ids, counts, booleans as 0/1).
    Integer,
    /// Floating point numbers.
    Real,
    /// Text (also timestamps and dates).
    Text,
}

/// One value of a restored row; a NULL keeps its column's kind, so that the store can bind it
/// with the right type.
#[derive(Clone, Debug, PartialEq)]
pub enum DumpValue {
    /// An integer.
    Integer(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
    /// NULL in a column of this kind.
    Null(ColumnKind),
}

/// A table of the schema as the reader checks a dump against it.
#[derive(Clone, Debug)]
pub struct TableSchema {
    /// The table's name.
    pub name: String,
    /// Its columns and their kinds.
    pub columns: Vec<(String, ColumnKind)>,
    /// Columns that point into the same table: loaded as NULL, set in a second pass.
    pub self_references: Vec<String>,
}

/// One table of a dump, checked, in load order.
#[derive(Clone, Debug, PartialEq)]
pub struct DumpTable {
    /// The table.
    pub name: String,
    /// The columns the dump gives, in its order.
    pub columns: Vec<String>,
    /// The rows, self-references as NULL.
    pub rows: Vec<Vec<DumpValue>>,
    /// For each self-referencing column: (row id, target id) pairs to set after all rows.
    pub deferred: Vec<(String, Vec<(i64, i64)>)>,
}

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

fn table_error(table: &str, message: String) -> DumpError {
    DumpError::Table {
        table: table.to_owned(),
        message,
    }
}

/// A value as an error message shows it: at most 40 characters.
fn shown(value: &Json) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// Reads a dump made for schema version `schema` against the tables of this schema, given in
/// load order (parents before children). Every value is checked: its kind, and for text the
/// rule for text from outside without normalising (tab and line breaks stay, every other
/// control character is refused with its row and column).
pub fn parse(
    json: &[u8],
    schema: i64,
    tables: &[TableSchema],
) -> Result<Vec<DumpTable>, DumpError> {
    let dump: DumpFile =
        serde_json::from_slice(json).map_err(|e| DumpError::Malformed(e.to_string()))?;
    if dump.format != DUMP_FORMAT || dump.version != DUMP_VERSION {
        return Err(DumpError::Version {
            format: dump.format,
            version: dump.version,
        });
    }
    if dump.schema != schema {
        return Err(DumpError::Schema {
            dump: dump.schema,
            database: schema,
        });
    }
    if let Some(stranger) = dump
        .tables
        .keys()
        .find(|t| !tables.iter().any(|s| &s.name == *t))
    {
        return Err(table_error(
            stranger,
            "this program has no such table".into(),
        ));
    }
    let mut out = Vec::new();
    for table in tables {
        let Some(data) = dump.tables.get(&table.name) else {
            continue;
        };
        out.push(parse_table(table, data)?);
    }
    Ok(out)
}

fn parse_table(table: &TableSchema, data: &TableDump) -> Result<DumpTable, DumpError> {
    let name = table.name.as_str();
    let mut kinds = Vec::with_capacity(data.columns.len());
    for column in &data.columns {
        let kind = table
            .columns
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, k)| *k)
            .ok_or_else(|| table_error(name, format!("unknown column {column:?}")))?;
        if kinds.iter().any(|(c, _)| *c == column) {
            return Err(table_error(name, format!("column {column:?} twice")));
        }
        kinds.push((column, kind));
    }
    let id_column = data.columns.iter().position(|c| c == "id");
    let self_refs: Vec<usize> = data
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| table.self_references.contains(c))
        .map(|(i, _)| i)
        .collect();
    let mut deferred: Vec<(String, Vec<(i64, i64)>)> = self_refs
        .iter()
        .map(|&i| (data.columns[i].clone(), Vec::new()))
        .collect();
    let mut rows = Vec::with_capacity(data.rows.len());
    for (r, row) in data.rows.iter().enumerate() {
        if row.len() != data.columns.len() {
            return Err(table_error(
                name,
                format!(
                    "row {} has {} values for {} columns",
                    r + 1,
                    row.len(),
                    data.columns.len()
                ),
            ));
        }
        let mut values = Vec::with_capacity(row.len());
        for (i, (cell, (column, kind))) in row.iter().zip(&kinds).enumerate() {
            let wrong = || {
                let expected = match kind {
                    ColumnKind::Integer => "integer",
                    ColumnKind::Real => "real",
                    ColumnKind::Text => "text",
                };
                table_error(
                    name,
                    format!(
                        "row {}, column {column}: expected {expected}, found {}",
                        r + 1,
                        shown(cell)
                    ),
                )
            };
            let value = match (kind, cell) {
                (_, Json::Null) => DumpValue::Null(*kind),
                (ColumnKind::Integer, Json::Number(n)) => {
                    DumpValue::Integer(n.as_i64().ok_or_else(wrong)?)
                }
                (ColumnKind::Real, Json::Number(n)) => {
                    DumpValue::Real(n.as_f64().filter(|f| f.is_finite()).ok_or_else(wrong)?)
                }
                (ColumnKind::Text, Json::String(s)) => {
                    if let Some(c) = s
                        .chars()
                        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                    {
                        return Err(table_error(
                            name,
                            format!(
                                "row {}, column {column}: control character U+{:04X}",
                                r + 1,
                                u32::from(c)
                            ),
                        ));
                    }
                    DumpValue::Text(s.clone())
                }
                _ => return Err(wrong()),
            };
            if let Some(k) = self_refs.iter().position(|&s| s == i) {
                if let (DumpValue::Integer(target), Some(id)) = (
                    &value,
                    id_column.and_then(|c| row.get(c)).and_then(Json::as_i64),
                ) {
                    deferred[k].1.push((id, *target));
                }
                values.push(DumpValue::Null(ColumnKind::Integer));
            } else {
                values.push(value);
            }
        }
        rows.push(values);
    }
    Ok(DumpTable {
        name: name.to_owned(),
        columns: data.columns.clone(),
        rows,
        deferred,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Vec<TableSchema> {
        vec![TableSchema {
            name: "persons".into(),
            columns: vec![
                ("id".into(), ColumnKind::Integer),
                ("family_name".into(), ColumnKind::Text),
                ("score".into(), ColumnKind::Real),
                ("reports_to_id".into(), ColumnKind::Integer),
            ],
            self_references: vec!["reports_to_id".into()],
        }]
    }

    fn dump(rows: &str) -> Vec<u8> {
        format!(
            r#"{{"format":"counterpart-dump","version":1,"schema":6,"tables":{{"persons":{{"columns":["id","family_name","score","reports_to_id"],"rows":{rows}}}}}}}"#
        )
        .into_bytes()
    }

    #[test]
    fn rows_come_back_typed_with_self_references_deferred() {
        let tables = parse(
            &dump(r#"[[1,"Weiß",1.5,2],[2,"Öz\n\tTab",null,null]]"#),
            6,
            &schema(),
        )
        .unwrap();
        assert_eq!(tables[0].rows[0][1], DumpValue::Text("Weiß".into()));
        assert_eq!(tables[0].rows[0][3], DumpValue::Null(ColumnKind::Integer));
        assert_eq!(tables[0].rows[1][2], DumpValue::Null(ColumnKind::Real));
        assert_eq!(
            tables[0].deferred,
            [("reports_to_id".to_owned(), vec![(1, 2)])]
        );
    }

    proptest::proptest! {
        /// Damaged dumps never make the reader panic; what it accepts has as many values per
        /// row as columns, and no control character but tab and line breaks in any text.
        #[test]
        fn damaged_dumps_are_refused_or_read_consistently(
            edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 0..6),
            cut in proptest::option::of(proptest::prelude::any::<usize>()),
        ) {
            let mut bytes = dump(r#"[[1,"Weiß",1.5,2],[2,"Öz",null,1],[3,"x\u0009y",-0.0,null]]"#);
            for (at, byte) in edits {
                let i = at % bytes.len();
                bytes[i] = byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut % (bytes.len() + 1));
            }
            if let Ok(tables) = parse(&bytes, 6, &schema()) {
                for table in &tables {
                    for row in &table.rows {
                        proptest::prop_assert_eq!(row.len(), table.columns.len());
                        for value in row {
                            if let DumpValue::Text(text) = value {
                                proptest::prop_assert!(!text.chars().any(|c| c.is_control()
                                    && !matches!(c, '\t' | '\n' | '\r')));
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_wrong_value_is_named_with_its_place() {
        let cases = [
            (
                r#"[[1,"a\u0000b",null,null]]"#,
                "row 1, column family_name: control character U+0000",
            ),
            (
                r#"[[1,"a",null,null],["x","b",null,null]]"#,
                "row 2, column id: expected integer",
            ),
            (
                r#"[[1.5,"a",null,null]]"#,
                "row 1, column id: expected integer",
            ),
            (
                r#"[[1,2,null,null]]"#,
                "row 1, column family_name: expected text",
            ),
            (r#"[[1,"a",null]]"#, "row 1 has 3 values for 4 columns"),
        ];
        for (rows, expected) in cases {
            let err = parse(&dump(rows), 6, &schema()).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
        let long = format!(r#"[[1,{},null,null]]"#, "1".repeat(5000));
        let err = parse(&dump(&long), 6, &schema()).unwrap_err().to_string();
        assert!(err.len() < 200, "a wrong value is shown cut short: {err}");
        assert!(matches!(
            parse(&dump("[]"), 7, &schema()),
            Err(DumpError::Schema {
                dump: 6,
                database: 7
            })
        ));
        assert!(matches!(
            parse(b"[1", 6, &schema()),
            Err(DumpError::Malformed(_))
        ));
    }
}
