//! Writing tables as CSV and Excel files, and contacts as vCards.
//!
//! Everything written here reads back with [`crate::exchange::read`] as the same table (see
//! [`write_csv`] for the fine print), so an export can be edited and imported again.

use rust_xlsxwriter::{Color, Format, FormatBorder, FormatPattern, Workbook, XlsxError};

use super::read::{Table, TableRow, column_letter, guard_formula};
use crate::user::Language;

pub use super::read::vcard::write_vcards;

/// Writes a table as CSV that German Excel opens with a double click: UTF-8 with byte-order
/// mark, semicolons, CRLF line ends.
///
/// A cell is quoted when it holds a semicolon, comma, tab, quotation mark or line break, when
/// it has leading or trailing spaces, or when it starts with `sep=`. A cell that Excel would
/// run as a formula (`=`, `+`, `-`, `@` followed by more than a phone number) gets an
/// apostrophe in front, which Excel shows as text and [`super::read::read_csv`] removes.
///
/// Reading the output with [`super::read::read_csv`] gives the same table when its cells are
/// trimmed (as read cells are), no data row is completely empty, rows have as many cells as
/// there are headers and the last header is not empty; row numbers are then 2, 3, … .
pub fn write_csv(table: &Table) -> Vec<u8> {
    let estimate = table
        .rows
        .iter()
        .take(100)
        .map(|r| r.iter().map(|(_, c)| c.len() + 1).sum::<usize>() + 2 + table.headers.len())
        .sum::<usize>()
        .saturating_mul(table.rows.len())
        / table.rows.len().clamp(1, 100);
    let mut out = String::with_capacity(estimate + 64);
    out.push('\u{FEFF}');
    write_record(&mut out, table.headers.iter().map(String::as_str));
    for row in &table.rows {
        write_record(&mut out, row.cells(table.headers.len().max(row.width())));
    }
    out.into_bytes()
}

fn write_record<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        write_cell(out, cell);
    }
    out.push_str("\r\n");
}

fn write_cell(out: &mut String, cell: &str) {
    let guard = guard_formula(cell);
    let quote = cell.contains([';', ',', '\t', '"', '\n', '\r'])
        || cell.trim().len() != cell.len()
        || cell
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("sep="));
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    if quote {
        for (i, part) in cell.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Why a workbook could not be written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// Excel does not allow this sheet name (empty, over 31 characters, one of `[]:*?/\`,
    /// or used twice).
    #[error(
        "\"{name}\" cannot be a sheet name: at most 31 characters, none of [ ] : * ? / \\, \
         and each name once."
    )]
    SheetName {
        /// The name.
        name: String,
    },
    /// More rows than a worksheet holds (1,048,576 including the header).
    #[error(
        "Sheet \"{sheet}\" has {rows} rows; an Excel sheet holds at most 1,048,575 plus the header."
    )]
    TooManyRows {
        /// The sheet.
        sheet: String,
        /// Its number of data rows.
        rows: usize,
    },
    /// More columns than a worksheet holds (16,384).
    #[error("Sheet \"{sheet}\" has {columns} columns; an Excel sheet holds at most 16,384.")]
    TooManyColumns {
        /// The sheet.
        sheet: String,
        /// Its number of columns.
        columns: usize,
    },
    /// A cell longer than the 32,767 characters Excel allows.
    #[error("Cell {cell} of sheet \"{sheet}\" is longer than the 32,767 characters Excel allows.")]
    CellTooLong {
        /// The sheet.
        sheet: String,
        /// The cell, e.g. "C7".
        cell: String,
    },
    /// Anything else the XLSX writer refused.
    #[error("The Excel file could not be written: {detail}")]
    Xlsx {
        /// The writer's message.
        detail: String,
    },
}

impl WriteError {
    /// The error as a sentence in the user's language.
    pub fn message(&self, lang: Language) -> String {
        match lang {
            Language::En => self.to_string(),
            Language::De => match self {
                Self::SheetName { name } => format!(
                    "„{name}“ kann kein Tabellenblattname sein: höchstens 31 Zeichen, keines \
                     von [ ] : * ? / \\ und jeder Name nur einmal."
                ),
                Self::TooManyRows { sheet, rows } => format!(
                    "Das Blatt „{sheet}“ hat {rows} Zeilen; ein Excel-Blatt fasst höchstens \
                     1.048.575 und die Kopfzeile."
                ),
                Self::TooManyColumns { sheet, columns } => format!(
                    "Das Blatt „{sheet}“ hat {columns} Spalten; ein Excel-Blatt fasst \
                     höchstens 16.384."
                ),
                Self::CellTooLong { sheet, cell } => format!(
                    "Zelle {cell} des Blatts „{sheet}“ ist länger als die 32.767 Zeichen, die \
                     Excel erlaubt."
                ),
                Self::Xlsx { detail } => {
                    format!("Die Excel-Datei konnte nicht geschrieben werden: {detail}")
                }
            },
        }
    }
}

fn other(error: XlsxError) -> WriteError {
    WriteError::Xlsx {
        detail: error.to_string(),
    }
}

/// Excel's limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLUMNS: usize = 16_384;
const MAX_CELL_CHARS: usize = 32_767;

/// Writes tables as the sheets of one workbook, in order. Each sheet gets a bold header row
/// with a light blue fill, frozen so it stays visible, an autofilter over the data, and
/// column widths that fit the content (between 8 and 60 characters).
///
/// Every cell is written as text, so phone numbers keep their leading zero and "+", and no
/// cell can become a formula. [`super::read::read_xlsx`] reads a sheet back as the same table
/// under the conditions given for [`write_csv`].
pub fn write_xlsx(sheets: &[(&str, &Table)]) -> Result<Vec<u8>, WriteError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border_bottom(FormatBorder::Thin);
    let mut names = std::collections::HashSet::new();
    for &(name, table) in sheets {
        let sheet_name = || name.to_owned();
        // Excel compares sheet names case-insensitively; the writer would only notice a
        // duplicate when saving, with a less helpful error.
        if !names.insert(name.to_lowercase()) {
            return Err(WriteError::SheetName { name: sheet_name() });
        }
        let columns = table
            .rows
            .iter()
            .map(TableRow::width)
            .chain([table.headers.len()])
            .max()
            .unwrap_or(0);
        if table.rows.len() >= MAX_ROWS {
            return Err(WriteError::TooManyRows {
                sheet: sheet_name(),
                rows: table.rows.len(),
            });
        }
        if columns > MAX_COLUMNS {
            return Err(WriteError::TooManyColumns {
                sheet: sheet_name(),
                columns,
            });
        }
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(name)
            .map_err(|_| WriteError::SheetName { name: sheet_name() })?;
        // Both limits are checked above, so the casts cannot truncate.
        let position = |row: usize, col: usize| (row as u32, col as u16);
        let mut widths = vec![0usize; columns];
        let mut write = |row: usize, col: usize, text: &str, format: Option<&Format>| {
            let chars = text.chars().count();
            if chars > MAX_CELL_CHARS {
                return Err(WriteError::CellTooLong {
                    sheet: sheet_name(),
                    cell: format!("{}{}", column_letter(col), row + 1),
                });
            }
            // Widths from the first rows are enough and keep big exports fast.
            if row <= 1000 {
                let longest_line = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
                widths[col] = widths[col].max(longest_line);
            }
            if text.is_empty() {
                return Ok(());
            }
            let (r, c) = position(row, col);
            match format {
                Some(format) => sheet.write_string_with_format(r, c, text, format),
                None => sheet.write_string(r, c, text),
            }
            .map(|_| ())
            .map_err(other)
        };
        for (col, text) in table.headers.iter().enumerate() {
            write(0, col, text, Some(&header))?;
        }
        for (i, row) in table.rows.iter().enumerate() {
            for (col, text) in row.iter() {
                write(i + 1, col, text, None)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(other)?;
        if !table.headers.is_empty() {
            let (last_row, last_col) = position(table.rows.len(), table.headers.len() - 1);
            sheet.autofilter(0, 0, last_row, last_col).map_err(other)?;
        }
        for (col, width) in widths.into_iter().enumerate() {
            // Room for the autofilter button and a little air.
            let width = (width + 3).clamp(8, 60);
            let (_, c) = position(0, col);
            sheet.set_column_width(c, width as f64).map_err(other)?;
        }
    }
    workbook.save_to_buffer().map_err(other)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_text(table: &Table) -> String {
        String::from_utf8(write_csv(table)).unwrap()
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let t = Table::from_rows(
            vec!["Name".into(), "Notizen".into()],
            vec![
                vec!["Weiß".into(), "a;b \"c\"\nd".into()],
                vec!["=HYPERLINK(\"x\")".into(), "+49 221 123".into()],
                vec!["sep=,".into(), "x, y".into()],
            ],
        );
        assert_eq!(
            csv_text(&t),
            "\u{FEFF}Name;Notizen\r\n\
             Weiß;\"a;b \"\"c\"\"\nd\"\r\n\
             \"'=HYPERLINK(\"\"x\"\")\";+49 221 123\r\n\
             \"sep=,\";\"x, y\"\r\n"
        );
    }

    #[test]
    fn bad_sheet_names_and_long_cells_are_refused() {
        let t = Table::from_rows(vec!["a".into()], vec![vec!["x".repeat(32_768)]]);
        assert_eq!(
            write_xlsx(&[("Personen", &t)]),
            Err(WriteError::CellTooLong {
                sheet: "Personen".into(),
                cell: "A2".into()
            })
        );
        let empty = Table::default();
        for name in ["", "a/b", "x".repeat(32).as_str()] {
            assert!(matches!(
                write_xlsx(&[(name, &empty)]),
                Err(WriteError::SheetName { .. })
            ));
        }
        assert!(matches!(
            write_xlsx(&[("Liste", &empty), ("LISTE", &empty)]),
            Err(WriteError::SheetName { .. })
        ));
        let err = WriteError::SheetName { name: "a/b".into() };
        assert_ne!(err.message(Language::De), err.message(Language::En));
    }
}
