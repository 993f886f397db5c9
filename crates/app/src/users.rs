//! Users: the administrators' list and forms, the link between a user and the person of our
//! own house they are, and every user's own password.

use counterpart_core::ids::UserId;
use counterpart_core::user::{
    Language, User, UserFields, UserInput, Username, check_new_password, check_password_pair,
};
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{EmailLink, NewUser, OwnPassword, UserPage, UserQuery, random_token};

use crate::error::Result;
use crate::{App, Principal};

/// The user list as an administrator sees it.
#[derive(Clone, Debug)]
pub struct UserList {
    /// One page of the users matching the search.
    pub page: UserPage,
    /// How many users the e-mail addresses would link to their person now.
    pub linkable: usize,
}

/// One user with the person they are linked to.
#[derive(Clone, Debug)]
pub struct UserDetail {
    /// The user.
    pub user: User,
    /// "Family, Given – job title" of the linked person, if any.
    pub person_label: Option<String>,
    /// Their live sessions and second factor.
    pub security: crate::security::UserSecurity,
}

/// A user just created, with the generated first password when none was typed.
#[derive(Clone, Debug)]
pub struct CreatedUser {
    /// The user.
    pub user: User,
    /// The password to hand over, shown once, when it was generated.
    pub generated_password: Option<String>,
}

/// The password an administrator sets.
#[derive(Clone, Copy, Debug)]
pub enum NewPassword<'a> {
    /// The one typed (checked like any new password).
    Typed(&'a str),
    /// One Counterpart makes up, to be shown once.
    Generated,
}

/// A generated password: 20 characters of hex, shown once.
fn generated_password() -> String {
    random_token()[..20].to_owned()
}

impl App {
    /// The users matching a search, one page, and how many could be linked by e-mail.
    pub async fn user_list(&self, who: &Principal, query: &UserQuery) -> Result<UserList> {
        who.may_administer()?;
        Ok(UserList {
            page: self.store.user_page(query).await?,
            linkable: self.store.email_links().await?.len(),
        })
    }

    /// One user, with their person.
    pub async fn user_detail(&self, who: &Principal, id: UserId) -> Result<UserDetail> {
        who.may_administer()?;
        let user = self.store.user(id).await?;
        let person_label = match user.person_id {
            Some(person) => Some(self.store.person(person).await?.label()),
            None => None,
        };
        let security = self.user_security(who, id).await?;
        Ok(UserDetail {
            user,
            person_label,
            security,
        })
    }

    /// Creates a user; without a typed password one is generated and returned once. Every
    /// field is checked at once.
    pub async fn create_user(
        &self,
        who: &Principal,
        username: &str,
        fields: &UserFields,
        password: &str,
    ) -> Result<CreatedUser> {
        who.may_administer()?;
        let mut errors = FieldErrors::default();
        let mut username = errors.take("username", Username::parse(username));
        // Said with the other problems; the unique index still decides a race.
        if let Some(name) = &username
            && self.store.user_named(name.as_str()).await.is_ok()
        {
            errors.add("username", Problem::Taken);
            username = None;
        }
        let details = UserInput::parse(fields)
            .map_err(|e| errors.0.extend(e.0))
            .ok();
        if !password.is_empty() {
            errors.take("password", check_new_password(password));
        }
        let (Some(username), Some(details), true) = (username, details, errors.is_empty()) else {
            return Err(errors.into());
        };
        let generated = password.is_empty().then(generated_password);
        let password = generated.clone().unwrap_or_else(|| password.to_owned());
        let user = self
            .store
            .create_user(
                &who.actor(),
                &NewUser {
                    username,
                    details,
                    password,
                },
            )
            .await?;
        Ok(CreatedUser {
            user,
            generated_password: generated,
        })
    }

    /// Changes a user's name, address, role and person.
    pub async fn update_user(
        &self,
        who: &Principal,
        id: UserId,
        version: i64,
        fields: &UserFields,
    ) -> Result<User> {
        who.may_administer()?;
        let details = UserInput::parse(fields)?;
        Ok(self
            .store
            .update_user(&who.actor(), id, version, &details)
            .await?)
    }

    /// Disables or enables a user.
    pub async fn set_user_active(&self, who: &Principal, id: UserId, active: bool) -> Result<User> {
        who.may_administer()?;
        Ok(self.store.set_user_active(&who.actor(), id, active).await?)
    }

    /// An administrator sets a new password, the one typed or a generated one (then returned
    /// to be shown once); the user's sessions end.
    pub async fn reset_password(
        &self,
        who: &Principal,
        id: UserId,
        password: NewPassword<'_>,
    ) -> Result<Option<String>> {
        who.may_administer()?;
        let (password, generated) = match password {
            NewPassword::Typed(typed) => {
                check_new_password(typed).map_err(|p| FieldErrors::single("password", p))?;
                (typed.to_owned(), None)
            }
            NewPassword::Generated => {
                let made_up = generated_password();
                (made_up.clone(), Some(made_up))
            }
        };
        self.store.set_password(&who.actor(), id, &password).await?;
        Ok(generated)
    }

    /// The users that linking by e-mail would link now.
    pub async fn email_links(&self, who: &Principal) -> Result<Vec<EmailLink>> {
        who.may_administer()?;
        Ok(self.store.email_links().await?)
    }

    /// Links every user to the one person of our own house with their e-mail address.
    pub async fn link_users_by_email(&self, who: &Principal) -> Result<Vec<EmailLink>> {
        who.may_administer()?;
        Ok(self.store.link_users_by_email(&who.actor()).await?)
    }

    /// A user changes their own password, giving the current one and the new one twice; the
    /// session `keep` stays logged in, their other sessions end.
    pub async fn change_own_password(
        &self,
        who: &Principal,
        current: &str,
        new: &str,
        repeated: &str,
        keep: &str,
    ) -> Result<OwnPassword> {
        let user = who.user()?;
        let mut errors = FieldErrors::default();
        if current.is_empty() {
            errors.add("current_password", Problem::Required);
        } else if current.chars().any(char::is_control) {
            errors.add("current_password", Problem::ControlCharacter);
        }
        if let Err(pair) = check_password_pair(new, repeated) {
            errors.0.extend(pair.0);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        Ok(self
            .store
            .change_own_password(user, current, new, keep)
            .await?)
    }

    /// Remembers the interface language a user chose.
    pub async fn set_language(&self, who: &Principal, language: Language) -> Result<()> {
        Ok(self.store.set_user_language(who.user()?, language).await?)
    }
}
