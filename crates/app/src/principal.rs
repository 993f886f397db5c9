//! Who is asking: the user, their role, and the person of our house they are.

use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::user::{Role, User};
use counterpart_store::Actor;

use crate::error::{Error, Result};

/// The one a use case acts for. Built from the session's user by the web layer, or the
/// [`Principal::system`] of the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user, if a user asks (not the command line).
    pub user: Option<UserId>,
    /// The name the audit log shows.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The person of our own house the user is, if linked: their unit decides which
    /// confidential records they see.
    pub person: Option<PersonId>,
}

impl Principal {
    /// A logged-in user.
    pub fn of(user: &User) -> Self {
        Self {
            user: Some(user.id),
            name: user.display_name.clone(),
            role: user.role,
            person: user.person_id,
        }
    }

    /// The command line and start-up work: may do everything, audited as "System" or the
    /// name given.
    pub fn system(name: &str) -> Self {
        Self {
            user: None,
            name: name.to_owned(),
            role: Role::Admin,
            person: None,
        }
    }

    /// Who the audit log names for a change.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user,
            name: self.name.clone(),
        }
    }

    /// Refuses unless the principal may create and change data.
    pub fn may_edit(&self) -> Result<()> {
        if self.role.can_edit() {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Refuses unless the principal is an administrator.
    pub fn may_administer(&self) -> Result<()> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// The user, or a refusal for the command line (which has none).
    pub fn user(&self) -> Result<UserId> {
        self.user.ok_or(Error::Forbidden)
    }
}
