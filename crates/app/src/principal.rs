//! Who is asking: the user, their role, and the person of our house they are.

use std::sync::Arc;

use counterpart_core::ids::{PersonId, UserId};
use counterpart_core::user::{Role, User};
use counterpart_store::{Actor, Visibility};
use tokio::sync::OnceCell;

use crate::error::{Error, Result};

/// What a principal may see, once worked out: kept for the rest of the request, so that a
/// page calling several use cases reads it once. Shared by a principal's clones; a new
/// principal (the next request) starts empty.
#[derive(Clone, Default)]
pub(crate) struct Seen(Arc<OnceCell<Visibility>>);

impl Seen {
    /// The visibility, worked out by `make` the first time it is asked for.
    pub(crate) async fn get_or_try_init<F, Fut>(&self, make: F) -> Result<&Visibility>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<Visibility>>,
    {
        self.0.get_or_try_init(make).await
    }
}

impl std::fmt::Debug for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.initialized() {
            "Seen(known)"
        } else {
            "Seen(not yet)"
        })
    }
}

// What a principal sees follows from who they are: two principals are the same whether or
// not one of them has worked it out yet.
impl PartialEq for Seen {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Seen {}

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
    /// confidential records and restricted accounts they see.
    pub person: Option<PersonId>,
    /// What they see, once [`crate::App::visibility`] has worked it out.
    pub(crate) seen: Seen,
}

impl Principal {
    /// One who asks: a user (or nobody), the name the audit log shows, their role, and the
    /// person of ours they are.
    pub fn new(user: Option<UserId>, name: &str, role: Role, person: Option<PersonId>) -> Self {
        Self {
            user,
            name: name.to_owned(),
            role,
            person,
            seen: Seen::default(),
        }
    }

    /// A logged-in user.
    pub fn of(user: &User) -> Self {
        Self::new(Some(user.id), &user.display_name, user.role, user.person_id)
    }

    /// The command line and start-up work: may do everything, audited as "System" or the
    /// name given.
    pub fn system(name: &str) -> Self {
        Self::new(None, name, Role::Admin, None)
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
