//! One search over people, organizations, accounts, what we know and the contact log, folded
//! the way the people search folds names (Müller = Mueller = Muller), confidential insights
//! only for those who may read them.

use counterpart_core::ids::{AccountId, OrganizationId};
use counterpart_core::org::OrganizationKind;
use counterpart_core::text::{MAX_QUERY_CHARS, fold};
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{InsightView, InteractionView, PersonSummary};

use crate::error::{Error, Result};
use crate::{App, Principal};

/// Hits shown per kind.
pub const HITS_PER_KIND: usize = 20;

/// What a search found, grouped by kind; names before text.
#[derive(Clone, Debug, Default)]
pub struct SearchResults {
    /// People by name, job title or e-mail.
    pub people: Vec<PersonSummary>,
    /// Organizations by name: id, name, kind.
    pub organizations: Vec<(OrganizationId, String, OrganizationKind)>,
    /// Accounts by name: id, name.
    pub accounts: Vec<(AccountId, String)>,
    /// What we know, by its text.
    pub insights: Vec<InsightView>,
    /// Logged contacts, by their summary.
    pub contacts: Vec<InteractionView>,
}

impl SearchResults {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
            && self.organizations.is_empty()
            && self.accounts.is_empty()
            && self.insights.is_empty()
            && self.contacts.is_empty()
    }
}

impl App {
    /// Searches everything `who` may read for `text`; a query under two characters finds
    /// nothing, one over [`MAX_QUERY_CHARS`] is refused.
    pub async fn search_everything(&self, who: &Principal, text: &str) -> Result<SearchResults> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Invalid(FieldErrors::single(
                "q",
                Problem::TooLong {
                    max: MAX_QUERY_CHARS,
                },
            )));
        }
        let folded = fold(text);
        if folded.chars().count() < 2 {
            return Ok(SearchResults::default());
        }
        let visibility = self.visibility(who).await?;
        let (people, organizations, accounts, insights, contacts) = tokio::try_join!(
            self.store.search_people(text, None, HITS_PER_KIND as i64),
            self.store
                .search_organizations(&folded, HITS_PER_KIND as i64),
            self.store
                .search_accounts(&folded, HITS_PER_KIND as i64, &visibility),
            self.store
                .search_insights(&folded, &visibility, HITS_PER_KIND as i64),
            self.store
                .search_interactions(&folded, HITS_PER_KIND as i64, &visibility),
        )?;
        Ok(SearchResults {
            people,
            organizations,
            accounts,
            insights,
            contacts,
        })
    }
}
