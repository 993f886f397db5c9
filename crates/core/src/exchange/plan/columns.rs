//! Where each column is in the table, and a row's cells read by column.

use crate::exchange::mapping::{Column, Mapping};
use crate::exchange::read::TableRow;

/// Header index of each column, the first one where a mapping has a column twice.
pub(super) struct Cols([Option<usize>; Column::ALL.len()]);

impl Cols {
    /// The columns of a mapping.
    pub(super) fn new(mapping: &Mapping) -> Self {
        let mut index = [None; Column::ALL.len()];
        for (i, column) in mapping.mapped() {
            index[column as usize].get_or_insert(i);
        }
        Self(index)
    }

    /// The header index of a column, if mapped.
    pub(super) fn get(&self, column: Column) -> Option<usize> {
        self.0[column as usize]
    }

    /// Whether a column is mapped.
    pub(super) fn has(&self, column: Column) -> bool {
        self.get(column).is_some()
    }

    /// A row's cell of a column, trimmed; empty when the column is not mapped.
    pub(super) fn cell<'t>(&self, row: &'t TableRow, column: Column) -> &'t str {
        self.get(column).map_or("", |i| trim(row.get(i)))
    }
}

/// `str::trim` with a shortcut for the common case of nothing to trim: cells from the readers
/// are trimmed already, and the planner looks at each one several times.
fn trim(value: &str) -> &str {
    match (value.as_bytes().first(), value.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => value,
        _ => value.trim(),
    }
}
