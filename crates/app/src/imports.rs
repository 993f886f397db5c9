//! Imports: a file of people for one organization (XLSX, CSV, vCard) is uploaded, previewed
//! with its columns detected or chosen, and imported all or nothing once confirmed; the KAM
//! matrix comes back from Excel the same way. Uploads wait in the database for their owner,
//! so that preview and commit may reach different server instances. Reading a file takes
//! seconds for a large one and runs off the async threads.

use std::collections::HashMap;

use counterpart_core::exchange::export::ExportPerson;
use counterpart_core::exchange::mapping::{Column, Mapping, detect};
use counterpart_core::exchange::plan::{ImportPlan, PlanContext, plan};
use counterpart_core::exchange::preview::{ImportPreview, RowFixes};
use counterpart_core::exchange::read::{ReadError, Table, read_table, xlsx_sheets};
use counterpart_core::ids::{AccountId, OrganizationId, UploadId};
use counterpart_core::matrix_xlsx::read_matrix;
use counterpart_core::org::Organization;
use counterpart_core::user::Language;
use counterpart_core::validate::Lines;
use counterpart_store::{
    ImportOutcome, ImportProgress, ImportTarget, InsightView, MatrixImportOutcome, MatrixProblem,
    OrganizationFilter, StoreError, Upload,
};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// An organization's people as exported, with what the reader may see about them.
#[derive(Clone, Debug)]
pub struct PeopleExport {
    /// The organization.
    pub organization: Organization,
    /// Its active people, as the export's rows.
    pub people: Vec<ExportPerson>,
    /// What the reader may see about them or the organization's accounts, newest first.
    pub insights: Vec<InsightView>,
    /// The organization's accounts by id, for the insights' account column.
    pub accounts: HashMap<AccountId, String>,
}

/// An upload's preview with what the page shows around it.
#[derive(Clone, Debug)]
pub struct StoredPreview {
    /// The upload.
    pub id: UploadId,
    /// The file's name as uploaded.
    pub filename: String,
    /// The organization the people are for.
    pub organization: Organization,
    /// The preview.
    pub preview: ImportPreview,
}

/// What came of confirming an import.
#[derive(Clone, Debug)]
pub enum Committed {
    /// Imported; the upload is gone.
    Done {
        /// The organization the people are in.
        organization: OrganizationId,
        /// What the import did.
        outcome: ImportOutcome,
        /// The rows the user chose to leave out.
        skipped: Vec<usize>,
    },
    /// The data changed since the preview; the preview was computed anew and nothing was
    /// written.
    Changed,
}

/// What came of a matrix import.
#[derive(Clone, Debug)]
pub enum MatrixRun {
    /// The file cannot be read as a matrix.
    Unreadable(ReadError),
    /// Cells that name no one, or more than one, or one of ours where a partner belongs.
    Problems(Vec<MatrixProblem>),
    /// What the import does (a dry run) or did (committed; the upload is gone).
    Outcome(MatrixImportOutcome),
}

/// What the user decided about one row of the preview's problem rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowChange {
    /// The row number in the file.
    pub row: usize,
    /// Leave the row out of the import.
    pub skip: bool,
    /// Cells as the user left them: column index and text.
    pub cells: Vec<(usize, String)>,
}

/// The mapping of a table's columns: as chosen (`("m0", "family_name")`, …), else as
/// detected from the headers.
pub fn mapping_of(table: &Table, choices: &[(String, String)]) -> Mapping {
    let mut mapping = detect(&table.headers);
    for (key, value) in choices {
        let Some(index) = key.strip_prefix('m').and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        if index < table.headers.len() {
            mapping.set(index, value.parse::<Column>().ok());
        }
    }
    mapping
}

/// A preview's mapping as the choices a form sends (`("m0", "family_name")`, …).
fn choices_of(preview: &ImportPreview) -> Vec<(String, String)> {
    preview
        .mapping
        .iter()
        .enumerate()
        .map(|(i, key)| (format!("m{i}"), key.clone()))
        .collect()
}

impl App {
    /// Reads a file within the configured limits, off the async threads: the workbook's sheets
    /// (for XLSX) and the table of the sheet chosen, or why it cannot be read.
    pub async fn read_import_file(
        &self,
        filename: &str,
        sheet: Option<String>,
        content: Vec<u8>,
    ) -> Result<(Vec<String>, Result<Table, ReadError>)> {
        let limits = self.config.import_limits;
        let filename = filename.to_owned();
        tokio::task::spawn_blocking(move || {
            let lower = filename.to_lowercase();
            let sheets = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
                xlsx_sheets(&content, &limits).unwrap_or_default()
            } else {
                Vec::new()
            };
            // vCard headers are made in German; the mapping recognises both languages.
            let table = read_table(&filename, &content, sheet.as_deref(), Language::De, &limits);
            (sheets, table)
        })
        .await
        .map_err(Error::from)
    }

    /// Reads a file, maps its columns and plans the import against the database: the preview
    /// the user reviews.
    async fn compute_preview(
        &self,
        upload: Upload,
        choices: &[(String, String)],
        fixes: &RowFixes,
    ) -> Result<ImportPreview> {
        let (sheets, table) = self
            .read_import_file(&upload.filename, upload.sheet, upload.content)
            .await?;
        let table = match table {
            Ok(table) => fixes.apply(&table),
            Err(error) => return Ok(ImportPreview::unreadable(sheets, &error)),
        };
        let mapping = mapping_of(&table, choices);
        let plan = self
            .store
            .plan_import(upload.organization_id, &table, &mapping)
            .await?;
        Ok(ImportPreview::of(sheets, &table, fixes, &mapping, &plan))
    }

    /// The stored preview of the principal's upload, or not found.
    async fn stored_preview(&self, who: &Principal, id: UploadId) -> Result<ImportPreview> {
        self.store
            .upload_preview(id, who.user()?)
            .await?
            .and_then(|stored| stored.preview)
            .ok_or(Error::NotFound)
    }

    /// Skips or corrects rows of the preview (those it shows with their problems): the
    /// preview is computed anew with the same mapping and kept. A row that is not in the file,
    /// a column beyond its headers, a control character or an over-long cell is refused and
    /// nothing changes.
    pub async fn fix_import_rows(
        &self,
        who: &Principal,
        id: UploadId,
        changes: &[RowChange],
        restore_skipped: bool,
    ) -> Result<()> {
        who.may_edit()?;
        let preview = self.stored_preview(who, id).await?;
        let mut fixes = preview.fixes.clone();
        if restore_skipped {
            fixes.skipped.clear();
        }
        let invalid = |problem| {
            Error::Invalid(counterpart_core::validate::FieldErrors::single(
                "cell", problem,
            ))
        };
        for change in changes {
            let Some(shown) = preview.problem_rows.iter().find(|r| r.row == change.row) else {
                return Err(invalid(counterpart_core::validate::Problem::NotFound));
            };
            if change.skip {
                fixes.skipped.insert(change.row);
            } else {
                fixes.skipped.remove(&change.row);
            }
            for (column, text) in &change.cells {
                let Some(before) = shown.cells.get(*column) else {
                    return Err(invalid(counterpart_core::validate::Problem::NotFound));
                };
                let text = counterpart_core::validate::clean_text(text.trim(), Lines::One)
                    .map_err(invalid)?;
                let max = self.config.import_limits.max_cell_chars;
                if text.chars().count() > max {
                    return Err(invalid(counterpart_core::validate::Problem::TooLong {
                        max,
                    }));
                }
                if text != before.as_str() {
                    fixes
                        .corrected
                        .entry(change.row)
                        .or_default()
                        .insert(*column, text.into_owned());
                }
            }
        }
        let choices = choices_of(&preview);
        let now = self
            .compute_preview(self.own_upload(who, id).await?, &choices, &fixes)
            .await?;
        Ok(self
            .store
            .set_upload_preview(id, &now, Some(&who.actor()))
            .await?)
    }

    /// The principal's upload, or not found (another user's upload is not theirs to see).
    async fn own_upload(&self, who: &Principal, id: UploadId) -> Result<Upload> {
        self.store
            .upload(id, who.user()?)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Keeps an uploaded file of people for an organization and computes its preview.
    pub async fn upload_import(
        &self,
        who: &Principal,
        organization: OrganizationId,
        filename: &str,
        sheet: Option<&str>,
        content: &[u8],
    ) -> Result<UploadId> {
        who.may_edit()?;
        let user = who.user()?;
        let id = self
            .store
            .save_upload(&who.actor(), user, organization, filename, sheet, content)
            .await?;
        let preview = self
            .compute_preview(self.own_upload(who, id).await?, &[], &RowFixes::default())
            .await?;
        self.store.set_upload_preview(id, &preview, None).await?;
        Ok(id)
    }

    /// An upload's preview, computed now if it never was.
    pub async fn import_preview(&self, who: &Principal, id: UploadId) -> Result<StoredPreview> {
        who.may_edit()?;
        let stored = self
            .store
            .upload_preview(id, who.user()?)
            .await?
            .ok_or(Error::NotFound)?;
        let preview = match stored.preview {
            Some(preview) => preview,
            None => {
                let preview = self
                    .compute_preview(self.own_upload(who, id).await?, &[], &RowFixes::default())
                    .await?;
                self.store.set_upload_preview(id, &preview, None).await?;
                preview
            }
        };
        Ok(StoredPreview {
            id,
            filename: stored.filename,
            organization: self.store.organization(stored.organization_id).await?,
            preview,
        })
    }

    /// Maps the columns anew: the preview is computed once more and kept.
    pub async fn remap_import(
        &self,
        who: &Principal,
        id: UploadId,
        choices: &[(String, String)],
    ) -> Result<()> {
        who.may_edit()?;
        let fixes = self.stored_preview(who, id).await.map(|p| p.fixes);
        let fixes = match fixes {
            Ok(fixes) => fixes,
            Err(Error::NotFound) => RowFixes::default(),
            Err(e) => return Err(e),
        };
        let preview = self
            .compute_preview(self.own_upload(who, id).await?, choices, &fixes)
            .await?;
        Ok(self
            .store
            .set_upload_preview(id, &preview, Some(&who.actor()))
            .await?)
    }

    /// Imports what the preview showed: the file is read once more with the preview's mapping
    /// and written only if the plan still has the counts the user saw. A preview with
    /// problems, or a file that cannot be read any more, is refused as invalid.
    pub async fn commit_import(&self, who: &Principal, id: UploadId) -> Result<Committed> {
        who.may_edit()?;
        let stored = self
            .store
            .upload_preview(id, who.user()?)
            .await?
            .ok_or(Error::NotFound)?;
        let refused = || Error::Invalid(Default::default());
        let preview = stored
            .preview
            .filter(ImportPreview::is_ok)
            .ok_or_else(refused)?;
        let upload = self.own_upload(who, id).await?;
        let organization = upload.organization_id;
        let (_, table) = self
            .read_import_file(&upload.filename, upload.sheet, upload.content)
            .await?;
        let table = preview.fixes.apply(&table.map_err(|_| refused())?);
        let mapping = preview.column_mapping();
        let result = self
            .store
            .apply_import(
                &who.actor(),
                ImportTarget::Existing(organization),
                &table,
                &mapping,
                Some(preview.counts()),
                &|_| {},
            )
            .await;
        match result {
            Ok(outcome) => {
                self.store.delete_upload(&who.actor(), id).await?;
                Ok(Committed::Done {
                    organization,
                    outcome,
                    skipped: preview.fixes.skipped.iter().copied().collect(),
                })
            }
            Err(StoreError::ImportProblems(_) | StoreError::ImportChanged) => {
                let plan = self
                    .store
                    .plan_import(organization, &table, &mapping)
                    .await?;
                let now = ImportPreview::of(
                    preview.sheets.clone(),
                    &table,
                    &preview.fixes,
                    &mapping,
                    &plan,
                );
                self.store.set_upload_preview(id, &now, None).await?;
                Ok(Committed::Changed)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Forgets an upload; returns the organization it was for.
    pub async fn cancel_import(&self, who: &Principal, id: UploadId) -> Result<OrganizationId> {
        who.may_edit()?;
        let stored = self
            .store
            .upload_preview(id, who.user()?)
            .await?
            .ok_or(Error::NotFound)?;
        self.store.delete_upload(&who.actor(), id).await?;
        Ok(stored.organization_id)
    }

    /// The people of an organization as they are exported (and import back), with what
    /// `who` may read about them and the organization's accounts.
    pub async fn export_people(
        &self,
        who: &Principal,
        organization: OrganizationId,
        lang: Language,
    ) -> Result<PeopleExport> {
        who.may_edit()?;
        let organization = self.store.organization(organization).await?;
        let visibility = self.visibility(who).await?;
        let (people, insights, accounts) = tokio::try_join!(
            self.store.export_people(organization.id, lang),
            self.store
                .insights_of_organization(organization.id, &visibility),
            self.store
                .accounts_of_organization(organization.id, &visibility),
        )?;
        Ok(PeopleExport {
            organization,
            people,
            insights,
            accounts: accounts.into_iter().map(|a| (a.id, a.name)).collect(),
        })
    }

    /// Keeps an uploaded KAM matrix workbook (for our own organization) until it is imported.
    pub async fn upload_matrix(
        &self,
        who: &Principal,
        filename: &str,
        content: &[u8],
    ) -> Result<UploadId> {
        who.may_edit()?;
        let own = self
            .store
            .own_organization()
            .await?
            .ok_or(Error::NotFound)?;
        Ok(self
            .store
            .save_upload(&who.actor(), who.user()?, own.id, filename, None, content)
            .await?)
    }

    /// Imports an uploaded matrix: a dry run, or for real (then the upload is forgotten).
    pub async fn run_matrix_import(
        &self,
        who: &Principal,
        id: UploadId,
        commit: bool,
    ) -> Result<MatrixRun> {
        who.may_edit()?;
        let upload = self.own_upload(who, id).await?;
        let limits = self.config.import_limits;
        let lines =
            match tokio::task::spawn_blocking(move || read_matrix(&upload.content, None, &limits))
                .await?
            {
                Ok(lines) => lines,
                Err(error) => return Ok(MatrixRun::Unreadable(error)),
            };
        let seen = self.visibility(who).await?;
        match self
            .store
            .import_matrix(&who.actor(), &lines, commit, &seen)
            .await?
        {
            Ok(outcome) => {
                if commit {
                    self.store.delete_upload(&who.actor(), id).await?;
                }
                Ok(MatrixRun::Outcome(outcome))
            }
            Err(problems) => Ok(MatrixRun::Problems(problems)),
        }
    }

    /// An organization by its name (case and surrounding spaces aside), inactive ones too.
    pub async fn organization_named(
        &self,
        _who: &Principal,
        name: &str,
    ) -> Result<Option<OrganizationId>> {
        let filter = OrganizationFilter {
            include_inactive: true,
            ..Default::default()
        };
        let wanted = name.trim().to_lowercase();
        Ok(self
            .store
            .organizations(&filter)
            .await?
            .into_iter()
            .find(|o| o.organization.name.trim().to_lowercase() == wanted)
            .map(|o| o.organization.id))
    }

    /// What importing a table would do: against an organization's people, or, for one that
    /// does not exist yet (`None`), against none.
    pub async fn plan_people_import(
        &self,
        _who: &Principal,
        organization: Option<OrganizationId>,
        table: &Table,
        mapping: &Mapping,
    ) -> Result<ImportPlan> {
        match organization {
            Some(organization) => Ok(self.store.plan_import(organization, table, mapping).await?),
            None => {
                let (levels, functions) =
                    tokio::try_join!(self.store.levels(), self.store.functions())?;
                let context = PlanContext {
                    levels: &levels,
                    functions: &functions,
                    units: &[],
                    existing: &[],
                };
                Ok(plan(table, mapping, &context))
            }
        }
    }

    /// Imports a table of people all or nothing, if the plan still has the counts `expected`
    /// (what the user saw); a new organization is created with them or not at all. Problems
    /// that appear meanwhile, or changed counts, refuse the import
    /// (`Error::Store(StoreError::ImportProblems | ImportChanged)`).
    pub async fn import_people(
        &self,
        who: &Principal,
        target: ImportTarget<'_>,
        table: &Table,
        mapping: &Mapping,
        expected: Option<(usize, usize, usize)>,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportOutcome> {
        who.may_edit()?;
        match self
            .store
            .apply_import(&who.actor(), target, table, mapping, expected, progress)
            .await
        {
            Ok(outcome) => Ok(outcome),
            // Kept as they are: the caller names the problems or the change.
            Err(e @ (StoreError::ImportProblems(_) | StoreError::ImportChanged)) => {
                Err(Error::Store(e))
            }
            Err(e) => Err(e.into()),
        }
    }
}
