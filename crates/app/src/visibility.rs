//! What a principal may see, decided once here and applied by the store in SQL.

pub use counterpart_store::Visibility;

use crate::error::Result;
use crate::{App, Principal};

impl App {
    /// The confidential records a principal sees: administrators all; a user linked to a
    /// person of our house their own and those of people in their unit or any unit below it
    /// (a unit above the author's sees it, a sibling does not); a user without a person link
    /// only their own.
    pub async fn visibility(&self, who: &Principal) -> Result<Visibility> {
        if who.role.is_admin() {
            return Ok(Visibility::everything());
        }
        // The unit and those below it, read in one recursive query (the same set as
        // `counterpart_core::org::subtree` over the organization's units).
        let units = match who.person {
            Some(person) => self.store.unit_and_below_of_person(person).await?,
            None => Vec::new(),
        };
        Ok(Visibility {
            all: false,
            user: who.user,
            units,
        })
    }
}
