//! The preview of an import as the user reviews it, computed once (when the file arrives, or
//! when the user maps a column differently) and kept beside the file: looking at it again
//! reads this, never the file. The later review steps (skipping or correcting rows) build on
//! the same record.

use serde::{Deserialize, Serialize};

use super::mapping::{Column, Mapping};
use super::plan::{ImportPlan, RowAction};
use super::read::{ReadError, Table};
use crate::user::Language;

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;
/// Problems kept word for word; the rest are counted.
pub const PROBLEMS_KEPT: usize = 300;

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

impl ImportPreview {
    /// The preview of a file that could not be read.
    pub fn unreadable(sheets: Vec<String>, error: &ReadError) -> Self {
        Self {
            sheets,
            read_error: Some(Bilingual::of(|lang| error.message(lang))),
            ..Self::default()
        }
    }

    /// The preview of a plan made from a table with a mapping.
    pub fn of(sheets: Vec<String>, table: &Table, mapping: &Mapping, plan: &ImportPlan) -> Self {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        Self {
            sheets,
            read_error: None,
            headers: table.headers.clone(),
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
        let preview = ImportPreview::of(Vec::new(), &table, &mapping, &planned);
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
