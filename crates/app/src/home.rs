//! The start page: what to do next — the important accounts whose mirror breaks, the key
//! people nobody of ours looks after, and for a user who is a person of our house, the people
//! they are the counterpart of.

use counterpart_core::ids::PersonId;
use counterpart_store::{AccountFilter, AccountSummary, OrganizationFilter, OrganizationSummary};

use crate::error::Result;
use crate::{App, Principal};

/// Accounts on the start page's "needs attention" list.
const ATTENTION_SHOWN: usize = 5;
/// A mirror score below this needs attention.
pub const WEAK_MIRROR: f64 = 80.0;

/// What the start page shows.
#[derive(Clone, Debug, Default)]
pub struct Home {
    /// Our own organization with its counts.
    pub own: Option<OrganizationSummary>,
    /// The partners.
    pub partners: Vec<OrganizationSummary>,
    /// The most important accounts with gaps or a weak mirror, most important first.
    pub attention: Vec<AccountSummary>,
    /// Key contacts without a counterpart, over all accounts.
    pub gaps: i64,
    /// Accounts with at least one such gap.
    pub accounts_with_gaps: usize,
    /// Accounts whose mirror score is below [`WEAK_MIRROR`]: suggestions to look at.
    pub weak_mirrors: usize,
    /// The person of our house the user is, and how many partner people they are the
    /// counterpart of.
    pub mine: Option<(PersonId, usize)>,
}

impl App {
    /// The start page for `who`.
    pub async fn home(&self, who: &Principal) -> Result<Home> {
        let seen = self.visibility(who).await?;
        let (all, every) = (OrganizationFilter::default(), AccountFilter::default());
        let (mut organizations, accounts) = tokio::try_join!(
            self.store.organizations(&all),
            self.store.accounts(&every, &seen)
        )?;
        let own = organizations
            .iter()
            .position(|o| !o.organization.kind.is_partner())
            .map(|i| organizations.remove(i));
        let weak = |a: &AccountSummary| a.mirror_score.is_some_and(|m| m < WEAK_MIRROR);
        let mine = match who.person {
            Some(person) => Some((
                person,
                self.store
                    .counterparts_held_by(person, false, &seen)
                    .await?
                    .len(),
            )),
            None => None,
        };
        Ok(Home {
            own,
            partners: organizations,
            gaps: accounts.iter().map(|a| a.gaps).sum(),
            accounts_with_gaps: accounts.iter().filter(|a| a.gaps > 0).count(),
            weak_mirrors: accounts.iter().filter(|a| weak(a)).count(),
            // `accounts` come most important first.
            attention: accounts
                .into_iter()
                .filter(|a| a.gaps > 0 || weak(a))
                .take(ATTENTION_SHOWN)
                .collect(),
            mine,
        })
    }
}
