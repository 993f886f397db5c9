//! People: how one reads where a form names them, and the search behind every person picker.

use counterpart_core::ids::PersonId;
use counterpart_store::{PersonSummary, Pick};

use crate::error::{Error, Result};
use crate::{App, Principal};

impl App {
    /// "Dr. Katharina Schneider – Managing director": how a chosen person reads in a form,
    /// if they exist.
    pub async fn person_label(&self, _who: &Principal, id: PersonId) -> Result<Option<String>> {
        match self.store.person(id).await {
            Ok(person) => Ok(Some(person.label())),
            Err(error) => match Error::from(error) {
                Error::NotFound => Ok(None),
                other => Err(other),
            },
        }
    }

    /// The people a picker offers for a search (at most `limit`), each with a note (for key
    /// contacts: their accounts).
    pub async fn search_pickable(
        &self,
        _who: &Principal,
        query: &str,
        scope: Pick,
        limit: i64,
    ) -> Result<Vec<(PersonSummary, String)>> {
        Ok(self.store.search_pickable(query, scope, limit).await?)
    }
}
