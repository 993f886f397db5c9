//! Data protection for administrators: the records of processing (Art. 30 DSGVO), generated
//! from the table registry, and the access report about one person (Art. 15 DSGVO), whose
//! production is audited.

use counterpart_core::ids::PersonId;
use counterpart_core::person::Person;
use counterpart_store::AccessReport;
use counterpart_store::registry::{self, Table};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// An access report with the person it is about.
#[derive(Clone, Debug)]
pub struct Access {
    /// The person as stored now.
    pub person: Person,
    /// Everything stored about them.
    pub report: AccessReport,
    /// Who produced it (the audit log names them too).
    pub produced_by: String,
}

impl App {
    /// Every table the product keeps, with why, for how long and who sees it, in load order.
    /// Administrators only.
    pub fn records_of_processing(&self, who: &Principal) -> Result<Vec<&'static Table>> {
        who.may_administer()?;
        Ok(registry::processed().collect())
    }

    /// Everything stored about a person, ours or a partner's. Administrators only; producing
    /// it writes an audit entry naming the person by id.
    pub async fn access_report(&self, who: &Principal, person: PersonId) -> Result<Access> {
        who.may_administer()?;
        crate::work::report(async {
            let report = self
                .store
                .access_report(&who.actor(), person)
                .await?
                .ok_or(Error::NotFound)?;
            let person = self.store.person(person).await?;
            Ok(Access {
                person,
                report,
                produced_by: who.name.clone(),
            })
        })
        .await
    }
}
