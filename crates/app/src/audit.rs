//! The audit log: who changed what, when, with the values before and after.

use counterpart_store::{AuditEntry, AuditFilter};

use crate::error::Result;
use crate::{App, Principal};

impl App {
    /// Audit entries matching a filter, newest first. Administrators only.
    pub async fn audit_entries(
        &self,
        who: &Principal,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>> {
        who.may_administer()?;
        Ok(self.store.audit_entries(filter).await?)
    }
}
