//! The preview of an import as the user reviews it, computed once (when the file arrives, or
//! when the user maps a column differently) and kept beside the file: looking at it again
//! reads this, never the file. The later review steps (skipping or correcting rows) build on
//! the same record.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::mapping::{Column, Mapping};
use super::plan::{ImportPlan, RowAction};
use super::read::{ReadError, Table, TableRow};
use crate::user::Language;

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;
/// Problems kept word for word; the rest are counted.
pub const PROBLEMS_KEPT: usize = 300;
/// Rows with problems shown with all their cells, to be corrected or skipped.
pub const PROBLEM_ROWS_SHOWN: usize = 50;

/// What the user decided about rows of the file in the preview: rows left out and cells
/// corrected. Kept with the preview; the file itself is never changed. Applied to the table
/// before every plan, the commit's included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFixes {
    /// Rows (numbers as the spreadsheet shows them) not imported.
    pub skipped: BTreeSet<usize>,
    /// Corrected cells: row → column index → the new text.
    pub corrected: BTreeMap<usize, BTreeMap<usize, String>>,
}

impl RowFixes {
    /// Whether nothing is skipped or corrected.
    pub fn is_empty(&self) -> bool {
        self.skipped.is_empty() && self.corrected.is_empty()
    }

    /// The table without the skipped rows and with the corrected cells.
    pub fn apply(&self, table: &Table) -> Table {
        if self.is_empty() {
            return table.clone();
        }
        let width = table.headers.len();
        let rows = table
            .rows
            .iter()
            .filter(|row| !self.skipped.contains(&row.number))
            .map(|row| match self.corrected.get(&row.number) {
                None => row.clone(),
                Some(cells) => {
                    let mut texts: Vec<String> =
                        row.cells(width).into_iter().map(str::to_owned).collect();
                    for (&column, text) in cells {
                        if let Some(slot) = texts.get_mut(column) {
                            slot.clone_from(text);
                        }
                    }
                    TableRow::from_cells(row.number, texts)
                }
            })
            .collect();
        Table {
            headers: table.headers.clone(),
            header_row: table.header_row,
            rows,
        }
    }
}

/// A row with problems, with every cell of the file, for the user to correct or skip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemRow {
    /// The row number in the file.
    pub row: usize,
    /// Every cell under the file's headers, as it will be planned (corrections applied).
    pub cells: Vec<String>,
    /// The columns (indices) a problem names.
    pub columns: Vec<usize>,
    /// The row's problems as sentences.
    pub problems: Vec<Bilingual>,
}

/// A sentence in both interface languages, so that a stored preview reads right whichever
/// language the user switches to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// Both languages of a message.
    pub fn of(message: impl Fn(Language) -> String) -> Self {
        Self {
            de: message(Language::De),
            en: message(Language::En),
        }
    }

    /// The text in one language.
    pub fn get(&self, lang: Language) -> &str {
        match lang {
            Language::De => &self.de,
            Language::En => &self.en,
        }
    }
}

/// What one previewed row will do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewAction {
    /// A new person.
    Create,
    /// An existing person changes.
    Update,
    /// An existing person stays as they are.
    Unchanged,
}

/// One of the first rows as it will be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The row number in the file.
    pub row: usize,
    /// What the row does.
    pub action: PreviewAction,
    /// Academic title, given name, family name, job title, e-mail.
    pub cells: Vec<String>,
}

/// The preview of an uploaded file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The workbook's sheets (empty for CSV and vCard).
    pub sheets: Vec<String>,
    /// Why the file could not be read; then nothing else is filled.
    pub read_error: Option<Bilingual>,
    /// The header row.
    pub headers: Vec<String>,
    /// The header row's number in the file (above it: title rows, left out).
    #[serde(default = "first_row")]
    pub header_row: usize,
    /// Rows skipped and cells corrected by the user.
    #[serde(default)]
    pub fixes: RowFixes,
    /// The first rows with problems, with all their cells.
    #[serde(default)]
    pub problem_rows: Vec<ProblemRow>,
    /// The column each header goes to, by key (empty: not imported).
    pub mapping: Vec<String>,
    /// The first rows as they will be stored.
    pub rows: Vec<PreviewRow>,
    /// The first problems, each naming row and column.
    pub problems: Vec<Bilingual>,
    /// How many problems there are in all.
    pub problem_count: usize,
    /// Units the import creates.
    pub new_units: Vec<String>,
    /// People created.
    pub created: usize,
    /// People changed.
    pub updated: usize,
    /// People matched and unchanged.
    pub unchanged: usize,
}

const fn first_row() -> usize {
    1
}

impl ImportPreview {
    /// The preview of a file that could not be read.
    pub fn unreadable(sheets: Vec<String>, error: &ReadError) -> Self {
        Self {
            sheets,
            read_error: Some(Bilingual::of(|lang| error.message(lang))),
            ..Self::default()
        }
    }

    /// The preview of a plan made from a table (with the fixes applied) with a mapping.
    pub fn of(
        sheets: Vec<String>,
        table: &Table,
        fixes: &RowFixes,
        mapping: &Mapping,
        plan: &ImportPlan,
    ) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Self {
            sheets,
            read_error: None,
            headers: table.headers.clone(),
            header_row: table.header_row,
            fixes: fixes.clone(),
            problem_rows: problem_rows(table, plan),
            mapping: (0..table.headers.len())
                .map(|i| {
                    mapping
                        .get(i)
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or_default()
                })
                .collect(),
            rows: plan
                .rows
                .iter()
                .take(PREVIEW_ROWS)
                .map(|r| {
                    let p = &r.person;
                    PreviewRow {
                        row: r.row,
                        action: match r.action {
                            RowAction::Create => PreviewAction::Create,
                            RowAction::Update(_) => PreviewAction::Update,
                            RowAction::Unchanged(_) => PreviewAction::Unchanged,
                        },
                        cells: vec![
                            text(&p.academic_title),
                            text(&p.given_name),
                            p.family_name.clone(),
                            text(&p.job_title),
                            p.email
                                .as_ref()
                                .map(|e| e.as_str().to_owned())
                                .unwrap_or_default(),
                        ],
                    }
                })
                .collect(),
            problems: plan
                .problems
                .iter()
                .take(PROBLEMS_KEPT)
                .map(|p| Bilingual::of(|lang| p.message(lang)))
                .collect(),
            problem_count: plan.problems.len(),
            new_units: plan.new_units.clone(),
            created: plan.created,
            updated: plan.updated,
            unchanged: plan.unchanged,
        }
    }

    /// The headers no column is mapped to: what the import leaves out.
    pub fn ignored_headers(&self) -> Vec<&str> {
        self.headers
            .iter()
            .zip(&self.mapping)
            .filter(|(header, key)| key.is_empty() && !header.is_empty())
            .map(|(header, _)| header.as_str())
            .collect()
    }

    /// The mapping the preview was made with.
    pub fn column_mapping(&self) -> Mapping {
        let mut mapping = Mapping::unmapped(self.headers.len());
        for (i, key) in self.mapping.iter().enumerate() {
            mapping.set(i, Column::from_key(key));
        }
        mapping
    }

    /// Whether the import may be confirmed as it is.
    pub fn is_ok(&self) -> bool {
        self.read_error.is_none() && self.problem_count == 0
    }

    /// The counts the user confirms: created, updated, unchanged.
    pub fn counts(&self) -> (usize, usize, usize) {
        (self.created, self.updated, self.unchanged)
    }
}

/// The first [`PROBLEM_ROWS_SHOWN`] rows with problems, with all their cells.
fn problem_rows(table: &Table, plan: &ImportPlan) -> Vec<ProblemRow> {
    let mut out: Vec<ProblemRow> = Vec::new();
    for problem in &plan.problems {
        // The header row's problems (no family name column) are not a row to fix.
        let Ok(at) = table.rows.binary_search_by_key(&problem.row, |r| r.number) else {
            continue;
        };
        if out.last().is_none_or(|last| last.row != problem.row) {
            if out.len() == PROBLEM_ROWS_SHOWN {
                break;
            }
            let row = &table.rows[at];
            out.push(ProblemRow {
                row: row.number,
                cells: row
                    .cells(table.headers.len())
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
                columns: Vec::new(),
                problems: Vec::new(),
            });
        }
        let Some(last) = out.last_mut() else { break };
        if let Some(column) = problem
            .column
            .as_ref()
            .and_then(|c| table.headers.iter().position(|h| h == c))
        {
            last.columns.push(column);
        }
        last.problems
            .push(Bilingual::of(|lang| problem.problem.message(lang)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::plan::{PlanContext, plan};
    use crate::exchange::read::{Limits, read_csv};

    #[test]
    fn a_preview_keeps_what_the_page_shows_and_survives_json() {
        let table = read_csv(
            "Vorname;Nachname;E-Mail;Egal\nEva;Weiß;eva@example.com;x\n;;kaputt;y\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        let mapping = Mapping::detect(&table.headers);
        let ctx = PlanContext {
            levels: &[],
            functions: &[],
            units: &[],
            existing: &[],
        };
        let planned = plan(&table, &mapping, &ctx);
        let preview =
            ImportPreview::of(Vec::new(), &table, &RowFixes::default(), &mapping, &planned);
        assert_eq!(preview.mapping, ["given_name", "family_name", "email", ""]);
        assert_eq!(preview.rows[0].cells[1..3], ["Eva", "Weiß"]);
        assert_eq!(preview.rows[0].action, PreviewAction::Create);
        assert!(preview.problem_count >= 1);
        assert!(!preview.is_ok());
        assert!(
            preview.problems[0].de.contains("Zeile 3"),
            "{:?}",
            preview.problems
        );
        let json = serde_json::to_string(&preview).unwrap();
        let back: ImportPreview = serde_json::from_str(&json).unwrap();
        assert_eq!(back, preview);
        assert_eq!(back.column_mapping(), mapping);
    }

    #[test]
    fn an_unreadable_file_says_why_in_both_languages() {
        let preview = ImportPreview::unreadable(Vec::new(), &ReadError::TooManyRows { max: 5 });
        let error = preview.read_error.unwrap();
        assert!(error.de.contains("Datenzeilen"));
        assert!(error.en.contains("data rows"));
    }
}
