//! Bulk loading: many rows with their ids in one transaction, multi-row inserts in batches.
//! Used for the generated "enterprise" dataset; imports and restores build on the same helper.
//!
//! [`insert`] writes rows in multi-row statements. [`generated`] loads a generated dataset in
//! the steps of [`org_chart`], [`portfolio`] and [`knowledge`], through a [`loader::Loader`]
//! that holds the transaction and counts the rows.

mod generated;
mod insert;
mod knowledge;
mod loader;
mod org_chart;
mod portfolio;

pub(crate) use insert::{Value, insert_rows};
pub use loader::LoadReport;
