//! The full-dump reader on arbitrary bytes, against a schema of two tables.
use counterpart_core::dump::{ColumnKind, DumpValue, TableSchema, parse};

fn main() {
    let schema = vec![
        TableSchema {
            name: "organizations".into(),
            columns: vec![
                ("id".into(), ColumnKind::Integer),
                ("name".into(), ColumnKind::Text),
            ],
            self_references: Vec::new(),
        },
        TableSchema {
            name: "persons".into(),
            columns: vec![
                ("id".into(), ColumnKind::Integer),
                ("family_name".into(), ColumnKind::Text),
                ("score".into(), ColumnKind::Real),
                ("reports_to_id".into(), ColumnKind::Integer),
            ],
            self_references: vec!["reports_to_id".into()],
        },
    ];
    afl::fuzz!(|data: &[u8]| {
        if let Ok(tables) = parse(data, 6, &schema) {
            for table in &tables {
                for row in &table.rows {
                    assert_eq!(row.len(), table.columns.len());
                    for value in row {
                        if let DumpValue::Text(text) = value {
                            assert!(
                                !text
                                    .chars()
                                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                            );
                        }
                    }
                }
            }
        }
    });
}
