//! The contact log: logging a contact with a partner person in seconds (with what was
//! learned, if anything), and reading the latest contacts.

use counterpart_core::ids::{AccountId, InteractionId, PersonId};
use counterpart_core::insight::{InsightFields, InsightInput};
use counterpart_core::interaction::{Interaction, InteractionFields, InteractionInput};
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{ContactFilter, InsightAbout, InteractionView, LoggedContact, Subject};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// The most people besides the partner a logged contact names.
pub const MAX_ALSO: usize = 20;

impl App {
    /// Logs a contact with a partner person, with `also` there (people of either side; the
    /// partner and the author themselves are left out), and, when its text is given, what
    /// was learned in it (dated the day of the contact). All is checked before anything is
    /// stored.
    pub async fn log_contact(
        &self,
        who: &Principal,
        partner: PersonId,
        account: Option<AccountId>,
        (fields, also): (&InteractionFields, &[PersonId]),
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
            self.visible_account(who, account).await?;
        }
        let mut also: Vec<PersonId> = also
            .iter()
            .copied()
            .filter(|p| *p != partner && Some(*p) != who.person)
            .collect();
        also.sort_unstable();
        also.dedup();
        if also.len() > MAX_ALSO {
            return Err(Error::Invalid(FieldErrors::single(
                "also",
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_ALSO as i64,
                },
            )));
        }
        let known = self.store.persons(&also).await?;
        if also.iter().any(|p| !known.get(p).is_some_and(|p| p.active)) {
            return Err(Error::Invalid(FieldErrors::single(
                "also",
                Problem::NotFound,
            )));
        }
        let logged = self
            .store
            .log_interaction(
                &who.actor(),
                partner,
                account,
                (author, who.person),
                &contact,
                &also,
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

    /// One logged contact that `who` sees (one logged on a hidden account is not found),
    /// with who else was there.
    pub async fn contact(&self, who: &Principal, id: InteractionId) -> Result<LoggedContact> {
        let seen = self.visibility(who).await?;
        Ok(self.store.interaction(id, &seen).await?)
    }

    /// Up to `limit` of the contacts with a partner person or on an account (as their pages
    /// list them) that `who` sees, passing `filter`, with an id above `after`, by id: seek
    /// pagination, as the API reads lists. An unknown person or account, or a hidden account,
    /// is not found.
    pub async fn contacts_after(
        &self,
        who: &Principal,
        subject: Subject,
        filter: &ContactFilter,
        after: Option<InteractionId>,
        limit: u32,
    ) -> Result<Vec<LoggedContact>> {
        self.subject_exists(subject).await?;
        if let Subject::Account(account) = subject {
            self.may_see_account(who, account).await?;
        }
        let seen = self.visibility(who).await?;
        Ok(self
            .store
            .interactions_after(subject, filter, after, limit, &seen)
            .await?)
    }

    /// The latest contacts with a partner person that `who` sees.
    pub async fn contacts_with_person(
        &self,
        who: &Principal,
        person: PersonId,
    ) -> Result<Vec<InteractionView>> {
        let seen = self.visibility(who).await?;
        Ok(self.store.interactions_with_person(person, &seen).await?)
    }

    /// The latest contacts about an account or with its key people that `who` sees.
    pub async fn contacts_on_account(
        &self,
        who: &Principal,
        account: AccountId,
    ) -> Result<Vec<InteractionView>> {
        self.may_see_account(who, account).await?;
        let seen = self.visibility(who).await?;
        Ok(self.store.interactions_on_account(account, &seen).await?)
    }
}
