//! What a principal may see, decided once here and applied by the store in SQL.

use counterpart_core::org::subtree;

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
        let mut units = Vec::new();
        if let Some(person) = who.person
            && let Ok(person) = self.store.person(person).await
            && let Some(unit) = person.unit_id
        {
            units = subtree(&self.store.units(person.organization_id).await?, unit)
                .into_iter()
                .collect();
            units.sort_unstable();
        }
        Ok(Visibility {
            all: false,
            user: who.user,
            units,
        })
    }
}
