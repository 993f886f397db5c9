//! Reading CSV, Excel and vCard files into a [`Table`]: a header row and trimmed text cells,
//! each row numbered as a spreadsheet shows it, so that every problem can name its row.

mod csv;
pub mod vcard;
mod xlsx;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::user::Language;

pub(crate) use self::csv::guard_formula;
pub use self::csv::read_csv;
pub use self::vcard::{VCard, read_vcard_table, read_vcards, vcards_to_table, vcards_to_table_in};
pub use self::xlsx::{read_xlsx, xlsx_sheets};

/// A file's content as text: the header row and the data rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The header row's cells, trimmed. Trailing empty header cells are dropped.
    pub headers: Vec<String>,
    /// The header row's number as a spreadsheet shows it: 1, or lower when title rows stand
    /// above it (see [`HEADER_SEARCH_ROWS`]).
    #[serde(default = "first_row")]
    pub header_row: usize,
    /// The data rows without completely empty rows. No row read from a file has a value
    /// beyond the last header.
    pub rows: Vec<TableRow>,
}

/// One data row of a [`Table`]: its number and its non-empty cells.
///
/// The cells' texts live in one string per row and only non-empty cells are kept, so a row
/// costs its text plus eight bytes a cell, however wide the sheet and however many cells are
/// empty: memory follows the file's content, not its shape (a value in column XFD of every
/// row costs one cell, not 16,384).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    /// The row's number as a spreadsheet shows it (header row = 1, first data row = 2). Empty
    /// rows that were skipped still count, so the number is the one the user sees in Excel.
    pub number: usize,
    /// The non-empty cells' texts, one after another.
    text: String,
    /// For each non-empty cell, in column order: its column and where its text ends.
    cells: Vec<(u32, u32)>,
}

const fn first_row() -> usize {
    1
}

impl Table {
    /// Builds a table from headers and rows of cells, numbering the rows 2, 3, … as a
    /// spreadsheet does with a header in row 1.
    pub fn from_rows(headers: Vec<String>, rows: Vec<Vec<String>>) -> Self {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| TableRow::from_cells(i + 2, cells))
            .collect();
        Self {
            headers,
            header_row: 1,
            rows,
        }
    }
}

/// How many non-empty rows at the top of a file are searched for the header row. HR exports
/// often open with a title ("Organigramm Beispiel AG", merged across the columns), a date and
/// a blank row before the header. Rows of one cell in the first column at the top are such
/// titles when the first row that is not one names a column we know
/// ([`crate::exchange::mapping::recognise`]): that row is the header and the titles are left
/// out. Otherwise the first row is the header, as in any spreadsheet; a first row with two or
/// more cells always is.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// A title row: one cell, in the first column (where a title merged across the columns
/// keeps its text). A header of one column is such a row too, but then no row below it has a
/// second cell, so it stays the header.
fn is_title(row: &TableRow) -> bool {
    let mut cells = row.iter();
    matches!((cells.next(), cells.next()), (Some((0, _)), None))
}

/// How many of a row's cells are headers we know.
fn header_score(row: &TableRow) -> usize {
    row.iter()
        .filter(|(_, text)| crate::exchange::mapping::recognise(text).is_some())
        .count()
}

/// Builds a [`Table`] from a reader's non-empty rows, top to bottom: finds the header row
/// among the first [`HEADER_SEARCH_ROWS`], drops the title rows above it, and refuses a value
/// right of the header's last cell, naming its cell.
pub(crate) struct Assembler<'a> {
    limits: &'a Limits,
    /// Rows read while the header is not yet known.
    prelude: Vec<TableRow>,
    headers: Option<Vec<String>>,
    header_row: usize,
    rows: Vec<TableRow>,
}

impl<'a> Assembler<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Self {
        Self {
            limits,
            prelude: Vec::new(),
            headers: None,
            header_row: 1,
            rows: Vec::new(),
        }
    }

    /// The header's width once it is known: values right of it are refused while reading.
    pub(crate) fn width(&self) -> Option<usize> {
        self.headers.as_ref().map(Vec::len)
    }

    /// Takes the next non-empty row.
    pub(crate) fn push(&mut self, row: TableRow) -> Result<(), ReadError> {
        if self.headers.is_some() {
            return self.push_data(row);
        }
        let title = is_title(&row);
        self.prelude.push(row);
        if !title || self.prelude.len() >= HEADER_SEARCH_ROWS {
            self.decide()?;
        }
        Ok(())
    }

    fn push_data(&mut self, row: TableRow) -> Result<(), ReadError> {
        let width = self.width().unwrap_or(0);
        if row.width() > width {
            let column = row
                .iter()
                .find(|&(c, _)| c >= width)
                .map_or(width, |(c, _)| c);
            return Err(ReadError::ExtraCell {
                row: row.number,
                column: column_letter(column),
                last: column_letter(width.saturating_sub(1)),
            });
        }
        self.rows.push(row);
        self.limits.check_rows(self.rows.len())
    }

    /// Chooses the header among the rows read so far: the last one, when it is the first that
    /// is not a title and names a known column; else the first.
    fn decide(&mut self) -> Result<(), ReadError> {
        let below_titles = self
            .prelude
            .last()
            .filter(|row| self.prelude.len() > 1 && !is_title(row))
            .is_some_and(|row| header_score(row) > 0);
        let at = if below_titles {
            self.prelude.len() - 1
        } else {
            0
        };
        let mut prelude = std::mem::take(&mut self.prelude).into_iter().skip(at);
        let Some(header) = prelude.next() else {
            return Ok(());
        };
        self.header_row = header.number;
        self.headers = Some(
            header
                .cells(header.width())
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
        prelude.try_for_each(|row| self.push_data(row))
    }

    pub(crate) fn finish(mut self) -> Result<Table, ReadError> {
        if self.headers.is_none() {
            self.decide()?;
        }
        let headers = self.headers.ok_or(ReadError::Empty)?;
        Ok(Table {
            headers,
            header_row: self.header_row,
            rows: self.rows,
        })
    }
}

impl TableRow {
    /// A row without cells.
    pub fn new(number: usize) -> Self {
        Self {
            number,
            text: String::new(),
            cells: Vec::new(),
        }
    }

    /// A row from its cells in column order, empty ones included.
    pub fn from_cells<S: AsRef<str>>(number: usize, cells: impl IntoIterator<Item = S>) -> Self {
        let mut row = Self::new(number);
        for (column, text) in cells.into_iter().enumerate() {
            row.push(column, text.as_ref());
        }
        row
    }

    /// Appends a cell right of every cell so far; an empty text is no cell. Columns beyond
    /// `u32::MAX` cannot occur: readers refuse far fewer columns.
    pub(crate) fn push(&mut self, column: usize, text: &str) {
        if text.is_empty() {
            return;
        }
        debug_assert!(
            self.cells
                .last()
                .is_none_or(|&(c, _)| (c as usize) < column)
        );
        self.text.push_str(text);
        let column = u32::try_from(column).unwrap_or(u32::MAX);
        let end = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.cells.push((column, end));
    }

    /// The cell in column `index`, or `""` when it is empty.
    pub fn get(&self, index: usize) -> &str {
        let Ok(column) = u32::try_from(index) else {
            return "";
        };
        match self.cells.binary_search_by_key(&column, |&(c, _)| c) {
            Ok(i) => self.text_of(i),
            Err(_) => "",
        }
    }

    fn text_of(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.cells[i - 1].1 as usize
        };
        &self.text[start..self.cells[i].1 as usize]
    }

    /// The non-empty cells with their columns, left to right.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &str)> {
        (0..self.cells.len()).map(|i| (self.cells[i].0 as usize, self.text_of(i)))
    }

    /// One past the column of the last non-empty cell (0 for an empty row).
    pub fn width(&self) -> usize {
        self.cells.last().map_or(0, |&(c, _)| c as usize + 1)
    }

    /// Whether the row has no non-empty cell.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The first `width` cells, empty ones as `""`.
    pub fn cells(&self, width: usize) -> Vec<&str> {
        let mut out = vec![""; width];
        for (column, text) in self.iter() {
            if let Some(slot) = out.get_mut(column) {
                *slot = text;
            }
        }
        out
    }
}

/// How much of a file an import reads before it refuses it, checked while reading so that a
/// file cannot make the reader allocate more than a small multiple of these. The same limits
/// serve the command line and the web upload (see the `--import-max-*` options).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, and for an XLSX workbook the most its parts may unpack to together.
    pub max_bytes: u64,
    /// The most data rows (records for vCard).
    pub max_rows: usize,
    /// The most columns a row may reach.
    pub max_columns: usize,
    /// The most characters in one cell.
    pub max_cell_chars: usize,
}

impl Default for Limits {
    /// 256 MiB, 1,000,000 rows, 200 columns, 10,000 characters per cell: the 1,000,000-row
    /// benchmark CSV (127 MB) passes; a sheet that needs more is refused with its limit named.
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024 * 1024,
            max_rows: 1_000_000,
            max_columns: 200,
            max_cell_chars: 10_000,
        }
    }
}

impl Limits {
    /// Refuses a file over [`Limits::max_bytes`] before it is read.
    pub fn check_size(&self, bytes: &[u8]) -> Result<(), ReadError> {
        if bytes.len() as u64 > self.max_bytes {
            return Err(ReadError::TooLarge {
                max_mb: self.max_bytes.div_ceil(1024 * 1024),
            });
        }
        Ok(())
    }

    /// Checks one cell's text against [`Limits::max_cell_chars`].
    pub(crate) fn check_cell(
        &self,
        text: &str,
        row: usize,
        column: usize,
    ) -> Result<(), ReadError> {
        // Bytes bound characters from above: count only when it could matter.
        if text.len() > self.max_cell_chars && text.chars().count() > self.max_cell_chars {
            return Err(ReadError::CellTooLong {
                cell: format!("{}{row}", column_letter(column)),
                max: self.max_cell_chars,
            });
        }
        Ok(())
    }

    /// Checks a column index (zero-based) against [`Limits::max_columns`].
    pub(crate) fn check_column(&self, row: usize, column: usize) -> Result<(), ReadError> {
        if column >= self.max_columns {
            return Err(ReadError::TooManyColumns {
                cell: format!("{}{row}", column_letter(column)),
                max: self.max_columns,
            });
        }
        Ok(())
    }

    /// Checks the number of data rows read so far.
    pub(crate) fn check_rows(&self, rows: usize) -> Result<(), ReadError> {
        if rows > self.max_rows {
            return Err(ReadError::TooManyRows { max: self.max_rows });
        }
        Ok(())
    }
}

/// Reads a file into a table by its name: `.xlsx`/`.xlsm` as a workbook (the named sheet or
/// the first visible one), `.vcf`/`.vcard` as contacts (headers in `lang`), anything else as
/// CSV. The one entry point of the command line and the web upload.
pub fn read_table(
    filename: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    lang: Language,
    limits: &Limits,
) -> Result<Table, ReadError> {
    let lower = filename.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes, sheet, limits)
    } else if lower.ends_with(".vcf") || lower.ends_with(".vcard") {
        read_vcard_table(bytes, lang, limits)
    } else {
        read_csv(bytes, limits)
    }
}

/// Why a file could not be read. `Display` is an English sentence for the user; use
/// [`ReadError::message`] for German.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// No row with any content, so there is no header row.
    #[error("The file is empty: it has no header row.")]
    Empty,
    /// A data row has a value to the right of the last header.
    #[error(
        "Row {row} has a value in column {column}, but the header row ends at column {last}. \
         Give that column a header or remove the value."
    )]
    ExtraCell {
        /// Row number as a spreadsheet shows it.
        row: usize,
        /// Column letter of the first extra value, e.g. "H".
        column: String,
        /// Column letter of the last header, e.g. "G".
        last: String,
    },
    /// A CSV value opens a quotation mark that is never closed.
    #[error(
        "Row {row}: a value starting with a quotation mark (\") is never closed. \
         Check that row for a missing closing quotation mark."
    )]
    UnclosedQuote {
        /// Row number where the open value starts.
        row: usize,
    },
    /// The bytes are not an XLSX workbook, or a damaged one.
    #[error("The file is not an Excel workbook (.xlsx) or it is damaged ({detail}).")]
    NotXlsx {
        /// What the XLSX reader found wrong, for support.
        detail: String,
    },
    /// The workbook is encrypted.
    #[error(
        "The workbook is protected by a password. Save a copy without a password and use that."
    )]
    PasswordProtected,
    /// The workbook has no worksheet (only chart sheets, say).
    #[error("The workbook has no worksheet.")]
    NoSheet,
    /// The requested worksheet does not exist.
    #[error("The workbook has no worksheet named \"{name}\".")]
    UnknownSheet {
        /// The name asked for.
        name: String,
    },
    /// A cell holds an Excel error such as `#DIV/0!` or `#REF!`.
    #[error("Cell {cell} holds the Excel error {value}. Correct it in Excel and save again.")]
    CellError {
        /// The cell, e.g. "C7".
        cell: String,
        /// The error as Excel shows it, e.g. "#REF!".
        value: String,
    },
    /// No `BEGIN:VCARD` anywhere.
    #[error("No vCard found: a vCard file has entries from BEGIN:VCARD to END:VCARD.")]
    NoVCard,
    /// A vCard starts but never ends, usually a cut-off file.
    #[error("Line {line}: the vCard starting here has no END:VCARD. Is the file complete?")]
    UnterminatedVCard {
        /// Line number of its `BEGIN:VCARD`.
        line: usize,
    },
    /// The file, or what an XLSX workbook unpacks to, is over the size limit.
    #[error(
        "The file is too large to import: at most {max_mb} MB (for an Excel workbook: \
         unpacked). Split it into several files, or ask an administrator to raise the limit."
    )]
    TooLarge {
        /// The limit in MB.
        max_mb: u64,
    },
    /// More data rows than the limit.
    #[error(
        "The file has more than {max} data rows, the most one import takes. Split it into \
         several files, or ask an administrator to raise the limit."
    )]
    TooManyRows {
        /// The limit.
        max: usize,
    },
    /// A value in a column beyond the limit.
    #[error(
        "Cell {cell} lies beyond the {max} columns an import reads. Remove the columns that \
         are not needed, or ask an administrator to raise the limit."
    )]
    TooManyColumns {
        /// The first cell beyond the limit, e.g. "GS1".
        cell: String,
        /// The limit.
        max: usize,
    },
    /// A vCard line holds more text than one cell may.
    #[error("Line {line} holds more than {max} characters, the most one value may have.")]
    LineTooLong {
        /// The line.
        line: usize,
        /// The limit in characters.
        max: usize,
    },
    /// One cell holds more text than the limit.
    #[error("Cell {cell} holds more than {max} characters, the most one cell may have.")]
    CellTooLong {
        /// The cell, e.g. "L7".
        cell: String,
        /// The limit.
        max: usize,
    },
}

impl ReadError {
    /// The error as a sentence in the user's language.
    pub fn message(&self, lang: Language) -> String {
        match lang {
            Language::En => self.to_string(),
            Language::De => match self {
                Self::Empty => "Die Datei ist leer: Sie hat keine Kopfzeile.".to_owned(),
                Self::ExtraCell { row, column, last } => format!(
                    "Zeile {row} hat einen Wert in Spalte {column}, die Kopfzeile endet aber bei \
                     Spalte {last}. Bitte der Spalte eine Überschrift geben oder den Wert \
                     entfernen."
                ),
                Self::UnclosedQuote { row } => format!(
                    "Zeile {row}: Ein Wert beginnt mit einem Anführungszeichen (\"), das nie \
                     geschlossen wird. Bitte die Zeile auf ein fehlendes schließendes \
                     Anführungszeichen prüfen."
                ),
                Self::NotXlsx { detail } => format!(
                    "Die Datei ist keine Excel-Arbeitsmappe (.xlsx) oder beschädigt ({detail})."
                ),
                Self::PasswordProtected => "Die Arbeitsmappe ist mit einem Kennwort geschützt. \
                     Bitte eine Kopie ohne Kennwort speichern und diese verwenden."
                    .to_owned(),
                Self::NoSheet => "Die Arbeitsmappe enthält kein Tabellenblatt.".to_owned(),
                Self::UnknownSheet { name } => {
                    format!("Die Arbeitsmappe hat kein Tabellenblatt namens „{name}“.")
                }
                Self::CellError { cell, value } => format!(
                    "Zelle {cell} enthält den Excel-Fehler {value}. Bitte in Excel korrigieren \
                     und erneut speichern."
                ),
                Self::NoVCard => "Keine vCard gefunden: Eine vCard-Datei enthält Einträge von \
                     BEGIN:VCARD bis END:VCARD."
                    .to_owned(),
                Self::UnterminatedVCard { line } => format!(
                    "Zeile {line}: Die hier beginnende vCard hat kein END:VCARD. Ist die Datei \
                     vollständig?"
                ),
                Self::TooLarge { max_mb } => format!(
                    "Die Datei ist zu groß für einen Import: höchstens {max_mb} MB (bei einer \
                     Excel-Arbeitsmappe entpackt). Bitte in mehrere Dateien aufteilen oder die \
                     Administration bitten, die Grenze anzuheben."
                ),
                Self::TooManyRows { max } => format!(
                    "Die Datei hat mehr als {} Datenzeilen, so viele nimmt ein Import höchstens. \
                     Bitte in mehrere Dateien aufteilen oder die Administration bitten, die \
                     Grenze anzuheben.",
                    group_thousands(*max)
                ),
                Self::TooManyColumns { cell, max } => format!(
                    "Zelle {cell} liegt jenseits der {max} Spalten, die ein Import liest. Bitte \
                     nicht benötigte Spalten entfernen oder die Administration bitten, die \
                     Grenze anzuheben."
                ),
                Self::LineTooLong { line, max } => format!(
                    "Zeile {line} enthält mehr als {} Zeichen, so viele darf ein Wert höchstens \
                     haben.",
                    group_thousands(*max)
                ),
                Self::CellTooLong { cell, max } => format!(
                    "Zelle {cell} enthält mehr als {} Zeichen, so viele darf eine Zelle \
                     höchstens haben.",
                    group_thousands(*max)
                ),
            },
        }
    }
}

/// 1000000 → "1.000.000", as German writes numbers.
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The spreadsheet letter of a zero-based column index: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Decodes a text file as spreadsheets and address books write it: UTF-8 (with or without
/// byte-order mark), UTF-16 with byte-order mark (Excel's "Unicode text"), and anything that
/// is not valid UTF-8 as Windows-1252 (what German Excel and Outlook write by default).
///
/// Never fails: Windows-1252 assigns a character to every byte.
pub(crate) fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8_or_1252(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Cow::Owned(decode_utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Cow::Owned(decode_utf16(rest, u16::from_be_bytes));
    }
    decode_utf8_or_1252(bytes)
}

fn decode_utf8_or_1252(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    }
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
        assert_eq!(column_letter(16383), "XFD");
    }

    #[test]
    fn decodes_the_encodings_excel_writes() {
        assert_eq!(decode_text("Müller".as_bytes()), "Müller");
        assert_eq!(decode_text(b"\xEF\xBB\xBFM\xC3\xBCller"), "Müller");
        // Windows-1252: ü = FC, ß = DF, € = 80 (where Latin-1 has a control character).
        assert_eq!(decode_text(b"M\xFCller Wei\xDF \x80"), "Müller Weiß €");
        assert_eq!(decode_text(b"\xFF\xFEM\x00\xFC\x00"), "Mü");
        assert_eq!(decode_text(b"\xFE\xFF\x00M\x00\xFC"), "Mü");
        assert!(matches!(decode_text(b"plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn german_messages_for_every_error() {
        let errors = [
            ReadError::Empty,
            ReadError::ExtraCell {
                row: 3,
                column: "H".into(),
                last: "G".into(),
            },
            ReadError::UnclosedQuote { row: 4 },
            ReadError::NotXlsx { detail: "x".into() },
            ReadError::PasswordProtected,
            ReadError::NoSheet,
            ReadError::UnknownSheet { name: "X".into() },
            ReadError::CellError {
                cell: "C7".into(),
                value: "#REF!".into(),
            },
            ReadError::NoVCard,
            ReadError::UnterminatedVCard { line: 9 },
            ReadError::TooLarge { max_mb: 256 },
            ReadError::TooManyRows { max: 1_000_000 },
            ReadError::TooManyColumns {
                cell: "GS1".into(),
                max: 200,
            },
            ReadError::CellTooLong {
                cell: "L7".into(),
                max: 10_000,
            },
            ReadError::LineTooLong {
                line: 4,
                max: 10_000,
            },
        ];
        for e in errors {
            let de = e.message(Language::De);
            let en = e.message(Language::En);
            assert_ne!(de, en);
            assert_eq!(en, e.to_string());
        }
        let e = ReadError::CellError {
            cell: "C7".into(),
            value: "#DIV/0!".into(),
        };
        assert!(e.to_string().contains("C7"));
        assert!(e.message(Language::De).contains("Zelle C7"));
        assert!(
            ReadError::TooManyRows { max: 1_000_000 }
                .message(Language::De)
                .contains("1.000.000 Datenzeilen")
        );
    }

    #[test]
    fn rows_keep_only_their_non_empty_cells() {
        let row = TableRow::from_cells(2, ["", "Eva", "", "Weiß", ""]);
        assert_eq!(row.get(0), "");
        assert_eq!(row.get(1), "Eva");
        assert_eq!(row.get(3), "Weiß");
        assert_eq!(row.get(99), "");
        assert_eq!(row.width(), 4);
        assert_eq!(row.cells(5), ["", "Eva", "", "Weiß", ""]);
        assert_eq!(row.iter().collect::<Vec<_>>(), [(1, "Eva"), (3, "Weiß")]);
        assert!(TableRow::from_cells(3, ["", ""]).is_empty());
        assert_eq!(row, TableRow::from_cells(2, ["", "Eva", "", "Weiß"]));
    }
}
