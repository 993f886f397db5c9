//! The contact log: logging a contact with a partner person in seconds (with what was
//! learned, if anything), and reading the latest contacts.

use counterpart_core::ids::{AccountId, PersonId};
use counterpart_core::insight::{InsightFields, InsightInput};
use counterpart_core::interaction::{Interaction, InteractionFields, InteractionInput};
use counterpart_core::validate::FieldErrors;
use counterpart_store::{InsightAbout, InteractionView};

use crate::error::{Error, Result};
use crate::{App, Principal};

impl App {
    /// Logs a contact with a partner person and, when its text is given, what was learned in
    /// it (dated the day of the contact). Both are checked before either is stored.
    pub async fn log_contact(
        &self,
        who: &Principal,
        partner: PersonId,
        account: Option<AccountId>,
        fields: &InteractionFields,
        learned: &InsightFields,
    ) -> Result<Interaction> {
        who.may_edit()?;
        let author = who.user()?;
        let today = self.today();
        let contact = InteractionInput::parse(fields, today);
        let insight = (!learned.text.trim().is_empty()).then(|| {
            let mut learned = learned.clone();
            if learned.learned_on.is_empty() {
                learned.learned_on = fields.happened_on.clone();
            }
            InsightInput::parse(&learned, today)
        });
        let (contact, insight) = match (contact, insight.transpose()) {
            (Ok(c), Ok(i)) => (c, i),
            (c, i) => {
                let mut errors = FieldErrors::default();
                errors.0.extend(c.err().map(|e| e.0).unwrap_or_default());
                errors.0.extend(i.err().map(|e| e.0).unwrap_or_default());
                return Err(Error::Invalid(errors));
            }
        };
        let detail = self.store.person_detail(partner).await?;
        if !detail.organization.kind.is_partner() {
            return Err(Error::NotApplicable);
        }
        if let Some(account) = account {
            self.store.account(account).await?;
        }
        let logged = self
            .store
            .log_interaction(
                &who.actor(),
                partner,
                account,
                (author, who.person),
                &contact,
            )
            .await?;
        if let Some(insight) = insight {
            let about = InsightAbout {
                partner: Some(partner),
                account,
                author,
                author_person: who.person,
            };
            self.store
                .create_insight(&who.actor(), about, &insight)
                .await?;
        }
        Ok(logged)
    }

    /// The latest contacts with a partner person.
    pub async fn contacts_with_person(
        &self,
        _who: &Principal,
        person: PersonId,
    ) -> Result<Vec<InteractionView>> {
        Ok(self.store.interactions_with_person(person).await?)
    }

    /// The latest contacts about an account or with its key people.
    pub async fn contacts_on_account(
        &self,
        _who: &Principal,
        account: AccountId,
    ) -> Result<Vec<InteractionView>> {
        Ok(self.store.interactions_on_account(account).await?)
    }
}
