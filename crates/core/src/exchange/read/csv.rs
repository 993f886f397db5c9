//! CSV as Excel, LibreOffice and HR systems write it.
//!
//! Hand-written rather than a CSV crate because the rules here are Excel's, not RFC 4180's:
//! row numbers must count blank lines (the user looks the row up in Excel), the delimiter is
//! guessed, a `sep=;` first line is honoured, and a leading apostrophe that guards a formula
//! is removed (see [`guard_formula`]).

use super::{Assembler, Limits, ReadError, Table, TableRow, column_letter, decode_text};

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
/// - Rows may be shorter than the header (spreadsheets drop trailing empty cells). A value
///   to the right of the last header is an error naming row and column; empty cells there,
///   such as trailing delimiters, are ignored.
/// - The [`Limits`] are checked while reading: the file's size first, then every cell's
///   length, the header's width and the number of rows as they come.
pub fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table, ReadError> {
    limits.check_size(bytes)?;
    parse(&decode_text(bytes), limits)
}

fn parse(text: &str, limits: &Limits) -> Result<Table, ReadError> {
    let (body, hinted) = strip_sep_hint(text);
    let delimiter = hinted.or_else(|| detect_delimiter(body.as_bytes()));
    let mut records = Records {
        text: body,
        pos: 0,
        delimiter,
    };
    let mut table = Assembler::new(limits);
    let mut number = 0;
    loop {
        let width = match table.width() {
            Some(headers) => Width::Header(headers),
            None => Width::Limit,
        };
        let Some(row) = records.next_record(number + 1, width, limits)? else {
            break;
        };
        number += 1;
        if !row.is_empty() {
            table.push(row)?;
        }
    }
    table.finish()
}

/// How far right a record may have values.
#[derive(Clone, Copy)]
enum Width {
    /// A data row: up to the header's last column.
    Header(usize),
    /// The header row itself: up to the column limit.
    Limit,
}

impl Width {
    /// The error for a value in `column` beyond this width, if it is.
    fn check(self, limits: &Limits, row: usize, column: usize) -> Result<(), ReadError> {
        match self {
            Self::Header(width) if column >= width => Err(ReadError::ExtraCell {
                row,
                column: column_letter(column),
                last: column_letter(width.saturating_sub(1)),
            }),
            Self::Header(_) => Ok(()),
            Self::Limit => limits.check_column(row, column),
        }
    }
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

/// Counts semicolons, commas and tabs outside quotes, line by line: the first line with two or
/// more of one decides, so that a title line above the header ("Organigramm Beispiel AG")
/// does not make the file one column; otherwise the first line with any. A first line without
/// any that is a header we know ("Name") is a one-column file.
fn detect_delimiter(bytes: &[u8]) -> Option<u8> {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    let best = |counts: &[usize; 3]| {
        let i = (0..3).fold(0, |best, i| if counts[i] > counts[best] { i } else { best });
        (counts[i], CANDIDATES[i])
    };
    let mut first_any = None;
    let mut lines = 0;
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut content = false;
    let mut line_start = 0;
    for (at, &b) in bytes.iter().enumerate() {
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
            b'\r' | b'\n' if content => {
                let line = String::from_utf8_lossy(&bytes[line_start..at]);
                if lines == 0
                    && counts == [0; 3]
                    && crate::exchange::mapping::recognise(line.trim()).is_some()
                {
                    return None;
                }
                match best(&counts) {
                    (n, delimiter) if n >= 2 => return Some(delimiter),
                    (1, delimiter) => {
                        first_any.get_or_insert(delimiter);
                    }
                    _ => {}
                }
                lines += 1;
                if lines >= super::HEADER_SEARCH_ROWS {
                    return first_any;
                }
                counts = [0; 3];
                content = false;
                line_start = at + 1;
            }
            b'\r' | b'\n' => line_start = at + 1,
            b' ' => {}
            _ => {
                content = true;
                if let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
                    counts[i] += 1;
                }
            }
        }
    }
    match best(&counts) {
        (n, delimiter) if n > 0 && (n >= 2 || first_any.is_none()) => Some(delimiter),
        _ => first_any,
    }
}

/// A cursor over the records of a CSV text.
struct Records<'a> {
    text: &'a str,
    pos: usize,
    delimiter: Option<u8>,
}

impl Records<'_> {
    /// Reads the next record as row `row`, or `None` at the end of the text. A value beyond
    /// `width` or a cell over the length limit is an error naming its cell; empty cells are
    /// not kept at all.
    fn next_record(
        &mut self,
        row: usize,
        width: Width,
        limits: &Limits,
    ) -> Result<Option<TableRow>, ReadError> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return Ok(None);
        }
        let mut record = TableRow::new(row);
        let mut column = 0;
        loop {
            let cell = self.field(row)?;
            if !cell.is_empty() {
                width.check(limits, row, column)?;
                limits.check_cell(&cell, row, column)?;
                record.push(column, &cell);
            }
            column += 1;
            match bytes.get(self.pos) {
                Some(&b) if Some(b) == self.delimiter => self.pos += 1,
                Some(b'\r') => {
                    self.pos += 1;
                    if bytes.get(self.pos) == Some(&b'\n') {
                        self.pos += 1;
                    }
                    return Ok(Some(record));
                }
                Some(_) => {
                    // Only a line feed can stop a field apart from the two cases above.
                    self.pos += 1;
                    return Ok(Some(record));
                }
                None => return Ok(Some(record)),
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
        read(text.as_bytes()).unwrap()
    }

    fn read(bytes: &[u8]) -> Result<Table, ReadError> {
        read_csv(bytes, &Limits::default())
    }

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows.iter().map(|r| r.cells(t.headers.len())).collect()
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
        assert_eq!(read(b"SEP=\t"), Err(ReadError::Empty));
    }

    #[test]
    fn short_rows_are_padded_and_long_rows_rejected() {
        let t = table("a;b;c;;\n1\n2;3;4;;\n");
        assert_eq!(t.headers, ["a", "b", "c"]);
        assert_eq!(cells(&t), [vec!["1", "", ""], vec!["2", "3", "4"]]);
        let err = read(b"a;b\n1;2\n\n3;4;5\n").unwrap_err();
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
    fn limits_are_checked_while_reading() {
        let limits = Limits {
            max_bytes: 1000,
            max_rows: 2,
            max_columns: 3,
            max_cell_chars: 5,
        };
        assert_eq!(
            read_csv(&[b'a'; 1001], &limits),
            Err(ReadError::TooLarge { max_mb: 1 })
        );
        assert_eq!(
            read_csv(b"a;b;c;d\n", &limits),
            Err(ReadError::TooManyColumns {
                cell: "D1".into(),
                max: 3
            })
        );
        // Empty header cells beyond the limit are no columns.
        assert_eq!(
            read_csv(b"a;b;;;;;;\n1;2", &limits).unwrap().headers,
            ["a", "b"]
        );
        assert_eq!(
            read_csv(b"a\n1\n2\n3\n", &limits),
            Err(ReadError::TooManyRows { max: 2 })
        );
        assert_eq!(
            read_csv(b"a;b\nx;\"123456\"\n", &limits),
            Err(ReadError::CellTooLong {
                cell: "B2".into(),
                max: 5
            })
        );
        // Umlauts count as one character each.
        assert!(read_csv("a\nÄÖÜäö\n".as_bytes(), &limits).is_ok());
    }

    #[test]
    fn a_wide_header_over_many_short_rows_costs_only_its_cells() {
        // The attack of the hardening issue: a wide header, then rows of one cell. No row is
        // padded, so each costs its one cell.
        let mut text = (0..200)
            .map(|i| format!("h{i}"))
            .collect::<Vec<_>>()
            .join(";");
        text.push('\n');
        for _ in 0..10_000 {
            text.push_str("x\n");
        }
        let t = read(text.as_bytes()).unwrap();
        assert_eq!(t.rows.len(), 10_000);
        assert!(t.rows.iter().all(|r| r.width() == 1));
    }

    #[test]
    fn the_header_row_is_found_below_title_rows() {
        // An HR export: a title, a date, a blank row, then the header in row 4.
        let t = table(
            "Organigramm Beispiel AG\nStand: 01.12.2026\n\n\
             Personalnr;Vorname;Nachname;Vorgesetzte(r) E-Mail\n\
             17;Eva;Lang;\n18;Jo;Li;eva@x.de\n",
        );
        assert_eq!(t.header_row, 4);
        assert_eq!(
            t.headers,
            ["Personalnr", "Vorname", "Nachname", "Vorgesetzte(r) E-Mail"]
        );
        assert_eq!(
            cells(&t),
            [
                vec!["17", "Eva", "Lang", ""],
                vec!["18", "Jo", "Li", "eva@x.de"]
            ]
        );
        assert_eq!(
            t.rows[0].number, 5,
            "rows keep the numbers the spreadsheet shows"
        );
        // A header with one known column below a title still wins over the title.
        let t = table("Liste\nKürzel;Nachname;Raum\nEL;Lang;3\n");
        assert_eq!((t.header_row, t.headers.len()), (2, 3));
        // Without any known header the first row is the header, as before.
        let t = table("a;b\n1;2\n");
        assert_eq!(
            (t.header_row, t.headers.clone()),
            (1, vec!["a".to_owned(), "b".to_owned()])
        );
        // A value right of the found header is still refused, naming its cell.
        assert_eq!(
            read(b"Mitarbeiterliste\nVorname;Nachname\nEva;Lang;zu viel\n").unwrap_err(),
            ReadError::ExtraCell {
                row: 3,
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
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b"\xEF\xBB\xBF\r\n ; \r\n"), Err(ReadError::Empty));
    }

    #[test]
    fn unclosed_quote_names_its_row() {
        let err = read(b"a;b\n1;2\n3;\"open\n4;5\n").unwrap_err();
        assert_eq!(err, ReadError::UnclosedQuote { row: 3 });
    }

    #[test]
    fn lenient_quotes_and_mac_line_ends() {
        let t = table("a;b\r1; \"x\" y;\r2;ab\"c\r");
        assert_eq!(cells(&t), [vec!["1", "x y"], vec!["2", "ab\"c"]]);
    }

    #[test]
    fn windows_1252_from_german_excel() {
        let t = read(b"Vorname;Nachname\r\nJ\xFCrgen;Wei\xDF\r\n\xC4nne;\xD6lz\r\n").unwrap();
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
