//! Bulk loading: many rows with their ids in one transaction, multi-row inserts in batches.
//! Used for the generated "enterprise" dataset; imports and restores build on the same helper.
//!
//! [`insert`] writes rows in multi-row statements, [`generated`] loads a generated dataset.

mod generated;
mod insert;

pub use generated::LoadReport;
pub(crate) use insert::{Value, insert_rows};
