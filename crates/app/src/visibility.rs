//! What a principal may see, decided once here and applied by the store in SQL: confidential
//! insights (ADR 0007) and restricted accounts (ADR 0011).

pub use counterpart_store::Visibility;

use counterpart_core::account::Account;
use counterpart_core::ids::{AccountId, PersonId};

use crate::error::{Error, Result};
use crate::{App, Principal};

impl App {
    /// What a principal sees, worked out once per principal (a request's) and kept:
    ///
    /// - administrators (and the command line) everything;
    /// - of confidential records, a user linked to a person of our house their own and those
    ///   of people in their unit or any unit below it (a unit above the author's sees it, a
    ///   sibling does not); a user without a person link only their own;
    /// - of restricted accounts, those whose responsible unit is the user's own or lies below
    ///   it (the same units); a user without a person link none. What is recorded on the
    ///   others, and the counterpart pairs of partner people who matter in them only, are
    ///   hidden with them.
    pub async fn visibility(&self, who: &Principal) -> Result<Visibility> {
        let seen = who
            .seen
            .get_or_try_init(|| async {
                if who.role.is_admin() {
                    return Ok(Visibility::everything());
                }
                // The unit and those below it, read in one recursive query (the same set as
                // `counterpart_core::org::subtree` over the organization's units).
                let units = match who.person {
                    Some(person) => self.store.unit_and_below_of_person(person).await?,
                    None => Vec::new(),
                };
                let (hidden_accounts, hidden_partners) = self.store.hidden_from(&units).await?;
                Ok(Visibility {
                    all: false,
                    user: who.user,
                    units,
                    hidden_accounts,
                    hidden_partners,
                })
            })
            .await?;
        Ok(seen.clone())
    }

    /// Refuses, as if it did not exist, an account the principal may not see.
    pub(crate) async fn may_see_account(&self, who: &Principal, id: AccountId) -> Result<()> {
        if self.visibility(who).await?.sees_account(id) {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// One account the principal sees; a hidden one is not found, like one that does not
    /// exist.
    pub(crate) async fn visible_account(&self, who: &Principal, id: AccountId) -> Result<Account> {
        self.may_see_account(who, id).await?;
        Ok(self.store.account(id).await?)
    }

    /// Refuses, as if they did not exist, the counterpart pairs of a partner person the
    /// principal may not see (a key contact of hidden accounts only).
    pub(crate) async fn may_see_pairs_of(&self, who: &Principal, partner: PersonId) -> Result<()> {
        if self.visibility(who).await?.sees_pairs_of(partner) {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }
}
