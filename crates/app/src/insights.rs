//! Insights: what one of ours learned about a partner person or an account. Who may read a
//! confidential one is decided here ([`App::visibility`]) and applied by the store in SQL;
//! only its author (or an administrator) changes or withdraws it.

use counterpart_core::ids::{AccountId, InsightId, PersonId};
use counterpart_core::insight::{Insight, InsightFields, InsightInput};
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{InsightAbout, InsightFilter, InsightView, Subject};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// A form's problem at one field.
fn invalid(field: &'static str, problem: Problem) -> Error {
    Error::Invalid(FieldErrors::single(field, problem))
}

impl App {
    /// Records what `who` learned about a partner person (`partner`) or an account.
    pub async fn record_insight(
        &self,
        who: &Principal,
        partner: Option<PersonId>,
        account: Option<AccountId>,
        fields: &InsightFields,
    ) -> Result<Insight> {
        who.may_edit()?;
        let author = who.user()?;
        let input = InsightInput::parse(fields, self.today())?;
        if let Some(partner) = partner {
            let detail = self.store.person_detail(partner).await?;
            if !detail.organization.kind.is_partner() {
                return Err(Error::NotApplicable);
            }
        }
        if let Some(account) = account {
            self.visible_account(who, account).await?;
        }
        if let Some(source) = input.source_id
            && self.store.person(source).await.is_err()
        {
            return Err(invalid("source_id", Problem::NotFound));
        }
        let about = InsightAbout {
            partner,
            account,
            author,
            author_person: who.person,
        };
        Ok(self
            .store
            .create_insight(&who.actor(), about, &input)
            .await?)
    }

    /// The insights `who` may read about a partner person, newest first.
    pub async fn insights_about_person(
        &self,
        who: &Principal,
        person: PersonId,
    ) -> Result<Vec<InsightView>> {
        let visibility = self.visibility(who).await?;
        Ok(self
            .store
            .insights_about_person(person, &visibility)
            .await?)
    }

    /// The insights `who` may read about an account and its key contacts, newest first.
    pub async fn insights_about_account(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<InsightView>> {
        self.may_see_account(who, account).await?;
        let visibility = self.visibility(who).await?;
        Ok(self
            .store
            .insights_about_account(account, &visibility)
            .await?)
    }

    /// One insight as `who` may read it: a withdrawn one is gone, a confidential one is there
    /// only for those who see it on the pages (its author, their unit and the units above,
    /// administrators); for anyone else it does not exist.
    pub async fn insight(&self, who: &Principal, id: InsightId) -> Result<Insight> {
        let insight = self.store.insight(id).await?;
        if insight.withdrawn {
            return Err(Error::NotFound);
        }
        let visibility = self.visibility(who).await?;
        let hidden = insight
            .account_id
            .is_some_and(|account| !visibility.sees_account(account));
        if hidden
            || (insight.confidential
                && !visibility.sees(true, Some(insight.author_id), insight.author_unit_id))
        {
            return Err(Error::NotFound);
        }
        Ok(insight)
    }

    /// Up to `limit` of the insights `who` may read about a partner person or an account (as
    /// their pages show them) passing `filter`, with an id above `after`, by id: seek
    /// pagination, as the API reads lists. An unknown person or account is not found.
    pub async fn insights_after(
        &self,
        who: &Principal,
        subject: Subject,
        filter: &InsightFilter,
        after: Option<InsightId>,
        limit: u32,
    ) -> Result<Vec<Insight>> {
        self.subject_exists(subject).await?;
        if let Subject::Account(account) = subject {
            self.may_see_account(who, account).await?;
        }
        let visibility = self.visibility(who).await?;
        Ok(self
            .store
            .insights_after(subject, filter, &visibility, after, limit)
            .await?)
    }

    /// Refuses a subject that does not exist (not found).
    pub(crate) async fn subject_exists(&self, subject: Subject) -> Result<()> {
        match subject {
            Subject::Person(person) => {
                self.store.person(person).await?;
            }
            Subject::Account(account) => {
                self.store.account(account).await?;
            }
        }
        Ok(())
    }

    /// An insight its author (or an administrator) is about to change; anyone else gets
    /// "forbidden", and a withdrawn one, or one on a hidden account, is gone.
    pub async fn own_insight(&self, who: &Principal, id: InsightId) -> Result<Insight> {
        who.may_edit()?;
        let insight = self.store.insight(id).await?;
        if insight.withdrawn {
            return Err(Error::NotFound);
        }
        if let Some(account) = insight.account_id {
            self.may_see_account(who, account).await?;
        }
        if !who.role.is_admin() && who.user != Some(insight.author_id) {
            return Err(Error::Forbidden);
        }
        Ok(insight)
    }

    /// Changes an insight, if nobody changed it since `version` (the audit log keeps the
    /// earlier wording).
    pub async fn edit_insight(
        &self,
        who: &Principal,
        id: InsightId,
        version: i64,
        fields: &InsightFields,
    ) -> Result<Insight> {
        let before = self.own_insight(who, id).await?;
        let input = InsightInput::parse(fields, before.learned_on)?;
        Ok(self
            .store
            .update_insight(&who.actor(), id, version, &input)
            .await?)
    }

    /// Withdraws an insight (kept in the history, no longer shown).
    pub async fn withdraw_insight(
        &self,
        who: &Principal,
        id: InsightId,
        version: i64,
    ) -> Result<Insight> {
        self.own_insight(who, id).await?;
        Ok(self
            .store
            .withdraw_insight(&who.actor(), id, version)
            .await?)
    }
}
