//! The start page: what to do next — the important accounts whose mirror breaks, the key
//! people nobody of ours looks after, and for a user who is a person of our house, the people
//! they are the counterpart of.

use counterpart_core::ids::PersonId;
use counterpart_store::{
    AccountFilter, AccountSummary, AttentionCounts, OrganizationFilter, OrganizationSummary,
};

use crate::error::Result;
use crate::{App, Principal};

/// Accounts on the start page's "needs attention" list.
const ATTENTION_SHOWN: usize = 5;
/// Partners the start page names; the organization list has them all.
pub const PARTNERS_SHOWN: usize = 12;
/// A mirror score below this needs attention.
pub const WEAK_MIRROR: f64 = 80.0;

/// What the start page shows.
#[derive(Clone, Debug, Default)]
pub struct Home {
    /// Our own organization with its counts.
    pub own: Option<OrganizationSummary>,
    /// The largest partners (by people), at most [`PARTNERS_SHOWN`].
    pub partners: Vec<OrganizationSummary>,
    /// How many partners there are in all.
    pub partners_total: usize,
    /// The most important accounts with gaps or a weak mirror, most important first.
    pub attention: Vec<AccountSummary>,
    /// Key contacts without a counterpart over all accounts, the accounts they are on, and
    /// the accounts whose mirror score is below [`WEAK_MIRROR`] (suggestions to look at).
    pub counts: AttentionCounts,
    /// The person of our house the user is, and how many partner people they are the
    /// counterpart of.
    pub mine: Option<(PersonId, usize)>,
}

impl App {
    /// The start page for `who`.
    pub async fn home(&self, who: &Principal) -> Result<Home> {
        let seen = self.visibility(who).await?;
        let attention = AccountFilter {
            attention_below: Some(WEAK_MIRROR),
            ..AccountFilter::default()
        };
        let every = OrganizationFilter::default();
        let (mut organizations, counts, attention) = tokio::try_join!(
            self.store.organizations(&every),
            self.store.attention_counts(&seen, WEAK_MIRROR),
            self.store
                .accounts_page(&attention, &seen, 0, ATTENTION_SHOWN)
        )?;
        let own = organizations
            .iter()
            .position(|o| !o.organization.kind.is_partner())
            .map(|i| organizations.remove(i));
        let partners_total = organizations.len();
        organizations.sort_by(|a, b| {
            b.people
                .cmp(&a.people)
                .then_with(|| a.organization.name.cmp(&b.organization.name))
        });
        organizations.truncate(PARTNERS_SHOWN);
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
            partners_total,
            counts,
            attention: attention.accounts,
            mine,
        })
    }
}
