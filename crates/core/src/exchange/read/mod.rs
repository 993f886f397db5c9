//! Reading CSV, Excel and vCard files into a [`Table`]: a header row and trimmed text cells,
//! each row numbered as a spreadsheet shows it, so that every problem can name its row.

mod csv;
mod xlsx;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::user::Language;

pub(crate) use self::csv::guard_formula;
pub use self::csv::read_csv;
pub use self::xlsx::{read_xlsx, xlsx_sheets};
pub use super::vcard::{VCard, read_vcards, vcards_to_table, vcards_to_table_in};

/// A file's content as text: the header row and the data rows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The header row's cells, trimmed. Trailing empty header cells are dropped.
    pub headers: Vec<String>,
    /// The data rows without completely empty rows. Every row read from a file has exactly
    /// as many cells as there are headers.
    pub rows: Vec<TableRow>,
}

/// One data row of a [`Table`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    /// The row's number as a spreadsheet shows it (header row = 1, first data row = 2). Empty
    /// rows that were skipped still count, so the number is the one the user sees in Excel.
    pub number: usize,
    /// The cells, trimmed; empty string for an empty cell.
    pub cells: Vec<String>,
}

impl Table {
    /// Builds a table from headers and rows of cells, numbering the rows 2, 3, … as a
    /// spreadsheet does with a header in row 1.
    pub fn from_rows(headers: Vec<String>, rows: Vec<Vec<String>>) -> Self {
        let rows = rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| TableRow {
                number: i + 2,
                cells,
            })
            .collect();
        Self { headers, rows }
    }
}

impl TableRow {
    /// The cell in column `index`, or `""` when the row is shorter (a hand-built table may be).
    pub fn get(&self, index: usize) -> &str {
        self.cells.get(index).map_or("", String::as_str)
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
            },
        }
    }
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
    }
}
