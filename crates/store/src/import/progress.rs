//! How far an import has come, for a progress bar.

use serde::Serialize;

/// How far an import has come, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ImportProgress {
    /// What is being done.
    pub phase: ImportPhase,
    /// Rows done in this phase.
    pub done: usize,
    /// Rows in this phase.
    pub total: usize,
}

/// The phases of an import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    /// Reading what the file is checked against and checking every row.
    Checking,
    /// Inserting new people.
    Creating,
    /// Writing changed people.
    Updating,
    /// Committing.
    Finishing,
}

/// Whom an import tells how far it has come.
pub(super) type Progress<'a> = &'a (dyn Fn(ImportProgress) + Send + Sync);

/// Tells `progress` that `done` of `total` rows of `phase` are done.
pub(super) fn tell(progress: Progress<'_>, phase: ImportPhase, done: usize, total: usize) {
    progress(ImportProgress { phase, done, total });
}
