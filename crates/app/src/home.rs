//! The start page: what to do next — the important accounts whose mirror breaks, the key
//! people nobody of ours looks after, and for a user who is a person of our house, the people
//! they are the counterpart of.

use std::sync::Arc;

use chrono::NaiveDate;
use counterpart_core::ids::{AccountId, PersonId};
use counterpart_store::{
    AccountFilter, AccountSummary, AttentionCounts, OrganizationFilter, OrganizationSummary, Store,
    Visibility,
};

use crate::computed::Computed;
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
    /// What everyone who sees the same accounts is shown.
    pub portfolio: Arc<Overview>,
    /// The person of our house the user is, and how many partner people they are the
    /// counterpart of.
    pub mine: Option<(PersonId, u64)>,
}

/// The portfolio at a glance: the same for every reader who sees the same accounts, kept
/// between requests while the data are unchanged (its counts read every key contact).
#[derive(Clone, Debug, Default)]
pub struct Overview {
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
}

/// Overviews by the accounts hidden from their readers and the day (gaps are counted as of
/// today).
pub(crate) type Overviews = Computed<(Vec<AccountId>, NaiveDate), Overview>;

impl App {
    /// The start page for `who`.
    pub async fn home(&self, who: &Principal) -> Result<Home> {
        let seen = self.visibility(who).await?;
        let key = (
            seen.hidden_accounts.clone(),
            counterpart_store::now().date_naive(),
        );
        let portfolio = self
            .overviews
            .get(&self.store, key, || overview(&self.store, &seen))
            .await?;
        let mine = match who.person {
            Some(person) => Some((
                person,
                self.store.counterparts_held_count(person, &seen).await?,
            )),
            None => None,
        };
        Ok(Home { portfolio, mine })
    }
}

/// The overview as the data are now, for a reader who sees what `seen` lets them.
async fn overview(store: &Store, seen: &Visibility) -> Result<Overview> {
    let attention = AccountFilter {
        attention_below: Some(WEAK_MIRROR),
        ..AccountFilter::default()
    };
    let every = OrganizationFilter::default();
    let (mut organizations, counts, attention) = tokio::try_join!(
        store.organizations(&every),
        store.attention_counts(seen, WEAK_MIRROR),
        store.accounts_first(&attention, seen, ATTENTION_SHOWN)
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
    Ok(Overview {
        own,
        partners: organizations,
        partners_total,
        attention,
        counts,
    })
}
