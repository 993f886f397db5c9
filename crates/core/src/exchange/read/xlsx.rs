//! Excel workbooks (.xlsx), read with calamine.
//!
//! Cells are streamed rather than loaded as calamine's dense range: a range spans from the
//! first to the last used cell, so one stray cell at XFD1048576 would allocate billions of
//! empty cells. Streaming keeps memory proportional to the cells that hold something.

use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use super::csv::fit;
use super::{ReadError, Table, TableRow, column_letter};

type Workbook<'a> = Xlsx<Cursor<&'a [u8]>>;

fn open(bytes: &[u8]) -> Result<Workbook<'_>, ReadError> {
    Xlsx::new(Cursor::new(bytes)).map_err(convert)
}

fn convert(error: XlsxError) -> ReadError {
    match error {
        XlsxError::Password => ReadError::PasswordProtected,
        XlsxError::WorksheetNotFound(name) => ReadError::UnknownSheet { name },
        other => ReadError::NotXlsx {
            detail: other.to_string(),
        },
    }
}

/// The names of the workbook's worksheets, in tab order (chart sheets are left out). Hidden
/// sheets are listed too; [`read_xlsx`] reads the first visible one by default.
pub fn xlsx_sheets(bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    let workbook = open(bytes)?;
    Ok(workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect())
}

/// Reads one worksheet into a [`Table`]: the named one, or else the first visible worksheet.
///
/// - The first row with any content is the header; row numbers are the sheet's own.
/// - Column A is the table's first column, so column letters in errors match the sheet.
/// - Whole numbers print without ".0" (`4711`, not `4711.0`); other numbers with at most 15
///   significant digits as Excel shows them. Dates print as `YYYY-MM-DD` (with ` HH:MM:SS`
///   when there is a time of day), booleans as `true`/`false`.
/// - A cell with an Excel error (`#REF!`, `#DIV/0!` …) is an error naming the cell, e.g.
///   "C7": importing it as text would hide a broken sheet.
/// - Trimming, padding and the check for values right of the last header are as for CSV
///   ([`super::read_csv`]).
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    let mut workbook = open(bytes)?;
    let name = choose_sheet(&workbook, sheet)?;
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(convert)?;
    // (row, column, text) of every cell with content, in the order the file lists them.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let mut sorted = true;
    while let Some(cell) = reader.next_cell().map_err(convert)? {
        let (row, col) = cell.get_position();
        let Some(text) = cell_text(cell.get_value(), row, col)? else {
            continue;
        };
        if let Some(&(r, c, _)) = cells.last() {
            sorted &= (r, c) < (row, col);
        }
        cells.push((row, col, text));
    }
    if !sorted {
        // Excel writes cells in order; other producers may not. Keep the last of duplicates.
        cells.sort_by_key(|&(r, c, _)| (r, c));
        cells.dedup_by(|later, earlier| {
            let same = (later.0, later.1) == (earlier.0, earlier.1);
            if same {
                std::mem::swap(&mut later.2, &mut earlier.2);
            }
            same
        });
    }
    assemble(cells)
}

fn choose_sheet(workbook: &Workbook<'_>, wanted: Option<&str>) -> Result<String, ReadError> {
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    match wanted {
        Some(wanted) => worksheets()
            .find(|s| s.name == wanted)
            .or_else(|| worksheets().find(|s| s.name.to_lowercase() == wanted.to_lowercase()))
            .map(|s| s.name.clone())
            .ok_or_else(|| ReadError::UnknownSheet {
                name: wanted.to_owned(),
            }),
        None => worksheets()
            .find(|s| s.visible == SheetVisible::Visible)
            .or_else(|| worksheets().next())
            .map(|s| s.name.clone())
            .ok_or(ReadError::NoSheet),
    }
}

/// Groups sorted cells into rows: the first row is the header, the rest are padded to its
/// width.
fn assemble(cells: Vec<(u32, u32, String)>) -> Result<Table, ReadError> {
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut current_row: Option<u32> = None;
    let mut finish = |row: u32, cells: Vec<String>| -> Result<(), ReadError> {
        let number = row as usize + 1;
        match &headers {
            None => headers = Some(cells),
            Some(h) => {
                let mut cells = cells;
                fit(&mut cells, h.len(), number)?;
                rows.push(TableRow { number, cells });
            }
        }
        Ok(())
    };
    for (row, col, text) in cells {
        if current_row != Some(row) {
            if let Some(done) = current_row {
                finish(done, std::mem::take(&mut current))?;
            }
            current_row = Some(row);
        }
        let col = col as usize;
        if current.len() < col {
            current.resize(col, String::new());
        }
        current.push(text);
    }
    if let Some(done) = current_row {
        finish(done, current)?;
    }
    let headers = headers.ok_or(ReadError::Empty)?;
    Ok(Table { headers, rows })
}

/// A cell's value as trimmed text; `None` for an empty cell.
fn cell_text(value: &DataRef<'_>, row: u32, col: u32) -> Result<Option<String>, ReadError> {
    let text = match value {
        DataRef::Empty => return Ok(None),
        DataRef::String(s) => trimmed(s),
        DataRef::SharedString(s) => trimmed(s),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_duration() => number(dt.as_f64()),
        DataRef::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else if dt.as_f64() < 1.0 {
                format!("{h:02}:{mi:02}:{s:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        DataRef::DateTimeIso(s) => trimmed(s.strip_suffix("T00:00:00").unwrap_or(s)),
        DataRef::DurationIso(s) => trimmed(s),
        DataRef::Error(e) => {
            return Err(ReadError::CellError {
                cell: format!("{}{}", column_letter(col as usize), row as u64 + 1),
                value: e.to_string(),
            });
        }
    };
    Ok((!text.is_empty()).then_some(text))
}

fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

/// A number as Excel shows it in a General cell: whole numbers without decimals, others
/// with at most 15 significant digits (so 0.1 + 0.2 shows as 0.3).
fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 {
        // Display of a whole f64 has no ".0"; `+ 0.0` turns -0 into 0.
        return (f + 0.0).to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_excel_shows_them() {
        assert_eq!(number(4711.0), "4711");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(491_711_234_567.0), "491711234567");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(2.5), "2.5");
        assert_eq!(number(1e20), "100000000000000000000");
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        assert!(matches!(
            read_xlsx(b"Vorname;Nachname", None),
            Err(ReadError::NotXlsx { .. })
        ));
        assert!(matches!(xlsx_sheets(b""), Err(ReadError::NotXlsx { .. })));
    }

    #[test]
    fn assembling_pads_and_checks_width() {
        let cells = vec![
            (2, 1, "Vorname".to_owned()),
            (2, 2, "Nachname".to_owned()),
            (4, 2, "Weiß".to_owned()),
            (5, 1, "Eva".to_owned()),
        ];
        let t = assemble(cells).unwrap();
        assert_eq!(t.headers, ["", "Vorname", "Nachname"]);
        assert_eq!(t.rows[0].number, 5);
        assert_eq!(t.rows[0].cells, ["", "", "Weiß"]);
        assert_eq!(t.rows[1].cells, ["", "Eva", ""]);
        let err = assemble(vec![(0, 0, "a".into()), (6, 3, "x".into())]).unwrap_err();
        assert_eq!(
            err,
            ReadError::ExtraCell {
                row: 7,
                column: "D".into(),
                last: "A".into()
            }
        );
    }
}
