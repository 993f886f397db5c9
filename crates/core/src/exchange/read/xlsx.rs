//! Excel workbooks (.xlsx), read with calamine.
//!
//! Cells are streamed rather than loaded as calamine's dense range: a range spans from the
//! first to the last used cell, so one stray cell at XFD1048576 would allocate billions of
//! empty cells. Streaming keeps memory proportional to the cells that hold something.
//!
//! A workbook is a zip archive, and a few megabytes of it can unpack to gigabytes (calamine
//! reads the shared strings whole when it opens a workbook). So before calamine sees it, every
//! part is unpacked into nothing and counted against [`Limits::max_bytes`]; the sizes the
//! archive declares are not trusted.

use std::io::{Cursor, Read};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use super::{Assembler, Limits, ReadError, Table, TableRow, column_letter};

/// The most parts (files inside the zip) a workbook may have; real ones have a few dozen.
const MAX_PARTS: usize = 10_000;

type Workbook<'a> = Xlsx<Cursor<&'a [u8]>>;

/// Opens a workbook after checking what it unpacks to.
fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Workbook<'a>, ReadError> {
    limits.check_size(bytes)?;
    check_unpacked(bytes, limits)?;
    Xlsx::new(Cursor::new(bytes)).map_err(convert)
}

/// Unpacks every part of the archive into nothing, counting the bytes: together they must stay
/// within [`Limits::max_bytes`].
fn check_unpacked(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // Not a zip at all (an encrypted workbook is not): calamine names what it is.
        return Xlsx::new(Cursor::new(bytes)).map(|_| ()).map_err(convert);
    };
    if archive.len() > MAX_PARTS {
        return Err(ReadError::NotXlsx {
            detail: format!("more than {MAX_PARTS} parts"),
        });
    }
    let too_large = || ReadError::TooLarge {
        max_mb: limits.max_bytes.div_ceil(1024 * 1024),
    };
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index(i).map_err(|e| ReadError::NotXlsx {
            detail: e.to_string(),
        })?;
        let budget = limits.max_bytes - total;
        let unpacked =
            std::io::copy(&mut part.take(budget + 1), &mut std::io::sink()).map_err(|e| {
                ReadError::NotXlsx {
                    detail: e.to_string(),
                }
            })?;
        total += unpacked;
        if total > limits.max_bytes {
            return Err(too_large());
        }
    }
    Ok(())
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
pub fn xlsx_sheets(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, ReadError> {
    let workbook = open(bytes, limits)?;
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
/// - Trimming and the check for values right of the last header are as for CSV
///   ([`super::read_csv`]), and so are the [`Limits`]: the unpacked size before reading, then
///   every cell's column and length and the number of rows as the cells stream by.
pub fn read_xlsx(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<Table, ReadError> {
    let mut workbook = open(bytes, limits)?;
    let name = choose_sheet(&workbook, sheet)?;
    let mut reader = workbook.worksheet_cells_reader(&name).map_err(convert)?;
    // (row, column, text) of every cell with content, in the order the file lists them.
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    let mut sorted = true;
    let mut rows_seen = 0;
    while let Some(cell) = reader.next_cell().map_err(convert)? {
        let (row, col) = cell.get_position();
        let Some(text) = cell_text(cell.get_value(), row, col)? else {
            continue;
        };
        let number = row as usize + 1;
        limits.check_column(number, col as usize)?;
        limits.check_cell(&text, number, col as usize)?;
        if let Some(&(r, c, _)) = cells.last() {
            sorted &= (r, c) < (row, col);
            if r != row {
                rows_seen += 1;
            }
        }
        // One of the rows seen is the header.
        limits.check_rows(rows_seen)?;
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
    assemble(cells, limits)
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

/// Groups sorted cells into rows and the rows into a table (the header found among the first
/// rows; a value right of its last cell is an error naming the cell).
fn assemble(cells: Vec<(u32, u32, String)>, limits: &Limits) -> Result<Table, ReadError> {
    let mut table = Assembler::new(limits);
    let mut current: Option<TableRow> = None;
    for (row, col, text) in cells {
        let number = row as usize + 1;
        if current.as_ref().is_some_and(|r| r.number != number)
            && let Some(done) = current.take()
        {
            table.push(done)?;
        }
        current
            .get_or_insert_with(|| TableRow::new(number))
            .push(col as usize, &text);
    }
    if let Some(done) = current {
        table.push(done)?;
    }
    table.finish()
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
        let limits = Limits::default();
        assert!(matches!(
            read_xlsx(b"Vorname;Nachname", None, &limits),
            Err(ReadError::NotXlsx { .. })
        ));
        assert!(matches!(
            xlsx_sheets(b"", &limits),
            Err(ReadError::NotXlsx { .. })
        ));
    }

    #[test]
    fn assembling_pads_and_checks_width() {
        let cells = vec![
            (2, 1, "Vorname".to_owned()),
            (2, 2, "Nachname".to_owned()),
            (4, 2, "Weiß".to_owned()),
            (5, 1, "Eva".to_owned()),
        ];
        let t = assemble(cells, &Limits::default()).unwrap();
        assert_eq!(t.headers, ["", "Vorname", "Nachname"]);
        assert_eq!(t.rows[0].number, 5);
        assert_eq!(t.rows[0].cells(3), ["", "", "Weiß"]);
        assert_eq!(t.rows[1].cells(3), ["", "Eva", ""]);
        let err = assemble(
            vec![(0, 0, "a".into()), (6, 3, "x".into())],
            &Limits::default(),
        )
        .unwrap_err();
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
