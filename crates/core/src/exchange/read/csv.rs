//! CSV as Excel, LibreOffice and HR systems write it.
//!
//! Hand-written rather than a CSV crate because the rules here are Excel's, not RFC 4180's:
//! row numbers must count blank lines (the user looks the row up in Excel), the delimiter is
//! guessed, a `sep=;` first line is honoured, and a leading apostrophe that guards a formula
//! is removed (see [`guard_formula`]).

use super::{ReadError, Table, TableRow, column_letter, decode_text};

/// Reads a CSV file into a [`Table`].
///
/// - Encoding: UTF-8 with or without byte-order mark, UTF-16 with byte-order mark, otherwise
///   Windows-1252 (German Excel's "CSV (Trennzeichen-getrennt)").
/// - Delimiter: semicolon, comma or tab, whichever occurs most often (outside quotes) in the
///   header line; ties prefer the semicolon. An Excel `sep=X` first line sets it explicitly
///   and is not counted as a row. A header line without any of them is one column.
/// - Quotes: `"…"` may hold delimiters, line breaks and doubled quotes `""`. Spaces before an
///   opening quote are allowed; text after a closing quote is kept as it is.
/// - Line ends: CRLF, LF, or CR alone (Excel for Mac).
/// - Cells are trimmed. A leading apostrophe before `= + - @` (the guard
///   [`crate::exchange::write::write_csv`] adds against formula injection) is removed.
/// - The first row with any content is the header; trailing empty header cells are dropped.
///   Completely empty rows are skipped but still counted, so row numbers match the file.
/// - Short rows are padded with empty cells (spreadsheets drop trailing empty cells). A value
///   to the right of the last header is an error naming row and column; empty cells there,
///   such as trailing delimiters, are ignored.
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    parse(&decode_text(bytes))
}

fn parse(text: &str) -> Result<Table, ReadError> {
    let (body, hinted) = strip_sep_hint(text);
    let delimiter = hinted.or_else(|| detect_delimiter(body.as_bytes()));
    let mut records = Records {
        text: body,
        pos: 0,
        delimiter,
    };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut cells = Vec::new();
    let mut number = 0;
    while records.next_record(&mut cells, number + 1)? {
        number += 1;
        if cells.iter().all(String::is_empty) {
            cells.clear();
            continue;
        }
        match &headers {
            None => {
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                headers = Some(std::mem::take(&mut cells));
            }
            Some(headers) => {
                fit(&mut cells, headers.len(), number)?;
                let next = Vec::with_capacity(headers.len());
                rows.push(TableRow {
                    number,
                    cells: std::mem::replace(&mut cells, next),
                });
            }
        }
    }
    let headers = headers.ok_or(ReadError::Empty)?;
    Ok(Table { headers, rows })
}

/// Pads a row to `width` cells, or drops empty cells beyond it; a value beyond is an error.
pub(super) fn fit(cells: &mut Vec<String>, width: usize, row: usize) -> Result<(), ReadError> {
    if cells.len() > width {
        if let Some(extra) = cells[width..].iter().position(|c| !c.is_empty()) {
            return Err(ReadError::ExtraCell {
                row,
                column: column_letter(width + extra),
                last: column_letter(width.saturating_sub(1)),
            });
        }
        cells.truncate(width);
    }
    cells.resize(width, String::new());
    Ok(())
}

/// Splits off Excel's `sep=X` hint line, returning the rest and the delimiter it names.
fn strip_sep_hint(text: &str) -> (&str, Option<u8>) {
    let bytes = text.as_bytes();
    // Only an ASCII delimiter counts; checking it first also keeps `5` a char boundary.
    if bytes.len() >= 5
        && bytes[..4].eq_ignore_ascii_case(b"sep=")
        && bytes[4].is_ascii()
        && !matches!(bytes[4], b'"' | b'\r' | b'\n')
    {
        let d = bytes[4];
        let rest = &text[5..];
        let after = if let Some(r) = rest.strip_prefix("\r\n") {
            Some(r)
        } else if let Some(r) = rest.strip_prefix(['\n', '\r']) {
            Some(r)
        } else if rest.is_empty() {
            Some(rest)
        } else {
            None
        };
        if let Some(after) = after {
            return (after, Some(d));
        }
    }
    (text, None)
}

/// Counts semicolons, commas and tabs outside quotes in the first non-blank line.
fn detect_delimiter(bytes: &[u8]) -> Option<u8> {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut content = false;
    for &b in bytes {
        if in_quotes {
            // A doubled quote closes and reopens, which leaves the state as it should be.
            in_quotes = b != b'"';
            continue;
        }
        match b {
            b'"' => {
                in_quotes = true;
                content = true;
            }
            b'\r' | b'\n' if content => break,
            b'\r' | b'\n' | b' ' => {}
            _ => {
                content = true;
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    let best = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
    (counts[best] > 0).then_some(CANDIDATES[best])
}

/// A cursor over the records of a CSV text.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    delimiter: Option<u8>,
}

impl Records<'_> {
    /// Reads the next record's cells into `cells`; false at the end of the text. `row` is the
    /// number of the record about to be read, for the error of an unclosed quote.
    fn next_record(&mut self, cells: &mut Vec<String>, row: usize) -> Result<bool, ReadError> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return Ok(false);
        }
        loop {
            let cell = self.field(row)?;
            cells.push(cell);
            match bytes.get(self.pos) {
                Some(&b) if Some(b) == self.delimiter => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if bytes.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    return Ok(true);
                }
                Some(_) => {
                    // Only a line feed can stop a field apart from the two cases above.
                    self.pos += 1;
                    return Ok(true);
                }
                None => return Ok(true),
            }
        }
    }

    /// Reads one field, leaving the cursor on the delimiter, line end or end of text.
    fn field(&mut self, row: usize) -> Result<String, ReadError> {
        let bytes = self.text.as_bytes();
        let mut p = self.pos;
        while p < bytes.len()
            && matches!(bytes[p], b' ' | b'\t')
            && Some(bytes[p]) != self.delimiter
        {
            p += 1;
        }
        let cell = if bytes.get(p) == Some(&b'"') {
            self.quoted(p + 1, row)?
        } else {
            let end = self.field_end(self.pos);
            let cell = self.text[self.pos..end].trim().to_owned();
            self.pos = end;
            cell
        };
        Ok(unguard_formula(cell))
    }

    /// Reads a quoted field whose content starts at `start`.
    fn quoted(&mut self, start: usize, row: usize) -> Result<String, ReadError> {
        let bytes = self.text.as_bytes();
        let mut out = String::new();
        let mut segment = start;
        let mut p = start;
        loop {
            let Some(q) = bytes[p..].iter().position(|&b| b == b'"').map(|i| p + i) else {
                return Err(ReadError::UnclosedQuote { row });
            };
            if bytes.get(q + 1) == Some(&b'"') {
                out.push_str(&self.text[segment..=q]);
                p = q + 2;
                segment = p;
            } else {
                out.push_str(&self.text[segment..q]);
                p = q + 1;
                break;
            }
        }
        let end = self.field_end(p);
        out.push_str(&self.text[p..end]);
        self.pos = end;
        let trimmed = out.trim();
        Ok(if trimmed.len() == out.len() {
            out
        } else {
            trimmed.to_owned()
        })
    }

    /// The position of the next delimiter or line end at or after `from`.
    fn field_end(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let delimiter = self.delimiter;
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r' || Some(b) == delimiter)
            .map_or(bytes.len(), |i| from + i)
    }
}

/// Characters that make Excel read a cell as a formula.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Whether a cell needs an apostrophe in front so that Excel shows it as text instead of
/// evaluating it (CSV/formula injection: a name like `=HYPERLINK(…)` from a customer's file
/// must not run when a colleague opens the export).
///
/// Phone numbers such as `+49 221 123-456` are left alone: with only digits and `+()/-.`
/// they cannot call a function, and an apostrophe would show in Excel. Cells that already
/// start with apostrophes before a formula character get one more, so that
/// [`unguard_formula`] restores every cell exactly.
pub(crate) fn guard_formula(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    if !rest.starts_with(FORMULA_STARTS) {
        return false;
    }
    let phone_like = rest.len() == cell.len()
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || " +()/-.".contains(c));
    !phone_like
}

/// Removes the apostrophe [`guard_formula`] asked for: one leading `'` of a cell that is
/// apostrophes followed by a formula character.
fn unguard_formula(cell: String) -> String {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_STARTS) => rest.to_owned(),
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read_csv(text.as_bytes()).unwrap()
    }

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn semicolons_quotes_and_numbers() {
        let t = table(
            "Vorname;Nachname;Notizen\r\nJürgen;Weiß;\"Sagt \"\"Moin\"\"; mag Tee\r\nund Kekse\"\r\n\r\n Anna ; Ölz \r\n",
        );
        assert_eq!(t.headers, ["Vorname", "Nachname", "Notizen"]);
        assert_eq!(
            cells(&t),
            [
                vec!["Jürgen", "Weiß", "Sagt \"Moin\"; mag Tee\r\nund Kekse"],
                vec!["Anna", "Ölz", ""],
            ]
        );
        // The quoted line break does not start a new row; the blank line is counted.
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(t.rows[1].number, 4);
    }

    #[test]
    fn detects_comma_and_tab() {
        assert_eq!(
            cells(&table("a,b\n1,\"x;y\"\n")),
            [vec!["1", "x;y"]],
            "comma"
        );
        assert_eq!(cells(&table("a\tb\n1\t2 ")), [vec!["1", "2"]], "tab");
        // The quoted comma in the header does not count.
        let t = table("\"a,b,c\";d\n1;2");
        assert_eq!(t.headers, ["a,b,c", "d"]);
    }

    #[test]
    fn single_column_is_not_split() {
        let t = table("Name\nMüller, Hans\nMeier; Eva");
        assert_eq!(cells(&t), [vec!["Müller, Hans"], vec!["Meier; Eva"]]);
    }

    #[test]
    fn sep_hint_sets_the_delimiter_and_is_not_a_row() {
        let t = table("sep=,\r\na;b,c\r\n1;2,3\r\n");
        assert_eq!(t.headers, ["a;b", "c"]);
        assert_eq!(t.rows[0].number, 2);
        assert_eq!(cells(&t), [vec!["1;2", "3"]]);
    }

    #[test]
    fn sep_lookalikes_are_data() {
        // Not a hint: a non-ASCII "delimiter", a quote, or more text on the line.
        assert_eq!(table("sep=ü\nx").headers, ["sep=ü"]);
        assert_eq!(table("sep=\"\n").headers, ["sep=\""]);
        assert_eq!(table("sep=;x\n1;2").headers, ["sep=", "x"]);
        // A real hint on its own is a file without header.
        assert_eq!(read_csv(b"SEP=\t"), Err(ReadError::Empty));
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_rejected() {
        let t = table("a;b;c;;\n1\n2;3;4;;\n");
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(cells(&t), [vec!["1", "", ""], vec!["2", "3", "4"]]);
        let err = read_csv(b"a;b\n1;2\n\n3;4;5\n").unwrap_err();
        assert_eq!(
            err,
            ReadError::ExtraCell {
                row: 4,
                column: "C".into(),
                last: "B".into()
            }
        );
    }

    #[test]
    fn leading_blank_rows_and_empty_files() {
        let t = table("\n;;\na;b\n1;2");
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows[0].number, 4);
        assert_eq!(read_csv(b""), Err(ReadError::Empty));
        assert_eq!(read_csv(b"\xEF\xBB\xBF\r\n ; \r\n"), Err(ReadError::Empty));
    }

    #[test]
    fn unclosed_quote_names_its_row() {
        let err = read_csv(b"a;b\n1;2\n3;\"open\n4;5\n").unwrap_err();
        assert_eq!(err, ReadError::UnclosedQuote { row: 3 });
    }

    #[test]
    fn lenient_quotes_and_mac_line_ends() {
        let t = table("a;b\r1; \"x\" y;\r2;ab\"c\r");
        assert_eq!(cells(&t), [vec!["1", "x y"], vec!["2", "ab\"c"]]);
    }

    #[test]
    fn windows_1252_from_german_excel() {
        let t = read_csv(b"Vorname;Nachname\r\nJ\xFCrgen;Wei\xDF\r\n\xC4nne;\xD6lz\r\n").unwrap();
        assert_eq!(cells(&t), [vec!["Jürgen", "Weiß"], vec!["Änne", "Ölz"]]);
    }

    #[test]
    fn formula_guard_round_trips() {
        for cell in [
            "=1+1",
            "+49 221 123",
            "-",
            "@x",
            "'=x",
            "''+x",
            "'",
            "'a",
            "+cmd|x",
            "Müller",
        ] {
            let written = if guard_formula(cell) {
                format!("'{cell}")
            } else {
                cell.to_owned()
            };
            assert_eq!(unguard_formula(written), cell, "{cell}");
        }
        assert!(guard_formula("=HYPERLINK(\"x\")"));
        assert!(guard_formula("+cmd|' /C calc'!A0"));
        assert!(!guard_formula("+49 (0)221 / 123-456"));
        assert!(!guard_formula("Müller"));
    }
}
