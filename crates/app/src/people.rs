//! People: how one reads where a form names them.

use counterpart_core::ids::PersonId;

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
}
