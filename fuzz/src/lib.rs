//! What every fuzz target shares: small limits, so that each execution is fast and an input
//! cannot grow the run's memory; the checks that must hold for anything a reader accepts.

use counterpart_core::exchange::read::{Limits, Table};

/// Limits small enough for millions of executions, large enough for every seed.
pub const LIMITS: Limits = Limits {
    max_bytes: 1024 * 1024,
    max_rows: 20_000,
    max_columns: 64,
    max_cell_chars: 4_000,
};

/// What a read table must satisfy: no value right of the last header, rows in file order.
pub fn check_table(table: &Table) {
    let mut last = 0;
    for row in &table.rows {
        assert!(
            row.width() <= table.headers.len(),
            "a value beyond the header"
        );
        assert!(row.number > last, "rows out of order");
        last = row.number;
        for (_, cell) in row.iter() {
            assert!(!cell.is_empty(), "an empty cell kept");
            assert!(
                cell.chars().count() <= LIMITS.max_cell_chars,
                "a cell over the limit"
            );
        }
    }
    assert!(table.rows.len() <= LIMITS.max_rows);
}
