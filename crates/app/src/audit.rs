//! The audit log: who changed what, when, with the values before and after, and the names of
//! the records those values point at.

use std::collections::{BTreeSet, HashMap};

use counterpart_core::audit::Reference;
use counterpart_core::importance::Criterion;
use counterpart_core::ladder::{Function, Level};
use counterpart_store::{AuditEntry, AuditFilter};

use crate::error::Result;
use crate::{App, Principal};

/// Audit entries with what it takes to show their values in words.
#[derive(Clone, Debug, Default)]
pub struct AuditLog {
    /// The entries, newest first.
    pub entries: Vec<AuditEntry>,
    /// Names of the people, units, organizations, accounts and users the entries' values
    /// point at, by reference kind and id.
    pub names: HashMap<(Reference, i64), String>,
    /// The ladder, the functions and the criteria, to name them in either language.
    pub levels: Vec<Level>,
    /// The functions.
    pub functions: Vec<Function>,
    /// The importance criteria.
    pub criteria: Vec<Criterion>,
}

impl App {
    /// Audit entries matching a filter, newest first, with the names their values point at.
    /// Administrators only.
    pub async fn audit_log(&self, who: &Principal, filter: &AuditFilter) -> Result<AuditLog> {
        who.may_administer()?;
        let entries = self.store.audit_entries(filter).await?;
        let mut wanted: HashMap<Reference, BTreeSet<i64>> = HashMap::new();
        for entry in &entries {
            for (field, before, after) in entry.changes() {
                if let Some(reference) = Reference::of_field(&field) {
                    let ids = [before, after]
                        .into_iter()
                        .filter_map(|v| v.parse::<i64>().ok());
                    wanted.entry(reference).or_default().extend(ids);
                }
            }
        }
        let mut names = HashMap::new();
        for (reference, ids) in wanted {
            let ids: Vec<i64> = ids.into_iter().collect();
            for (id, name) in self.store.names_of(reference, &ids).await? {
                names.insert((reference, id), name);
            }
        }
        let (levels, functions, criteria) = tokio::try_join!(
            self.store.levels(),
            self.store.functions(),
            self.store.criteria()
        )?;
        Ok(AuditLog {
            entries,
            names,
            levels,
            functions,
            criteria,
        })
    }
}
