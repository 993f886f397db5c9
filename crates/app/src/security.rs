//! Sessions and the second factor, as their users and the administrators handle them: one's
//! live sessions listed and ended (never the one in use: logging out ends that one), all of a
//! user's ended by an administrator; a TOTP second factor turned on by confirming a code of a
//! freshly made secret (stored only then), turned off with a code, reset by an administrator.

use counterpart_core::ids::UserId;
use counterpart_core::second_factor::{SECRET_BYTES, TotpSecret};
use counterpart_core::validate::FieldErrors;
use counterpart_store::{SecondFactorOff, SecondFactorStatus, SessionInfo, random_bytes};

use crate::error::Result;
use crate::{App, Principal};

/// A second factor being set up: the fresh secret, shown (and put into the form) until a code
/// confirms it. Nothing is stored before.
#[derive(Clone, Debug)]
pub struct Enrolment {
    /// The secret.
    pub secret: TotpSecret,
    /// Who it is for, as the app lists it: the login name.
    pub account: String,
}

/// What an administrator sees of a user's security on the user's page.
#[derive(Clone, Copy, Debug)]
pub struct UserSecurity {
    /// Live sessions.
    pub sessions: i64,
    /// Their second factor, if on.
    pub second_factor: Option<SecondFactorStatus>,
}

impl App {
    /// `who`'s live sessions, the one of `current` (the asking session's token) marked.
    pub async fn own_sessions(&self, who: &Principal, current: &str) -> Result<Vec<SessionInfo>> {
        Ok(self.store.sessions_of(who.user()?, current).await?)
    }

    /// Ends one of `who`'s sessions, not the current one.
    pub async fn end_own_session(
        &self,
        who: &Principal,
        id: i64,
        current: &str,
    ) -> Result<SessionInfo> {
        let user = who.user()?;
        Ok(self
            .store
            .end_session(&who.actor(), user, id, current)
            .await?)
    }

    /// Ends all of `who`'s sessions but the current one; how many ended.
    pub async fn end_other_sessions(&self, who: &Principal, current: &str) -> Result<usize> {
        let user = who.user()?;
        Ok(self
            .store
            .end_other_sessions(&who.actor(), user, current)
            .await?)
    }

    /// An administrator ends all of a user's sessions; how many ended.
    pub async fn end_sessions_of(&self, who: &Principal, user: UserId) -> Result<usize> {
        who.may_administer()?;
        Ok(self.store.end_all_sessions(&who.actor(), user).await?)
    }

    /// A user's sessions and second factor, for the administrators' user page.
    pub async fn user_security(&self, who: &Principal, user: UserId) -> Result<UserSecurity> {
        who.may_administer()?;
        Ok(UserSecurity {
            sessions: self.store.session_count(user).await?,
            second_factor: self.store.second_factor(user).await?,
        })
    }

    /// `who`'s second factor, if on.
    pub async fn own_second_factor(&self, who: &Principal) -> Result<Option<SecondFactorStatus>> {
        Ok(self.store.second_factor(who.user()?).await?)
    }

    /// A fresh secret for `who` to set up, with the name the app shows.
    pub async fn start_second_factor(&self, who: &Principal) -> Result<Enrolment> {
        let user = self.store.user(who.user()?).await?;
        Ok(Enrolment {
            secret: TotpSecret::from_bytes(random_bytes::<SECRET_BYTES>()),
            account: user.username,
        })
    }

    /// Turns on `who`'s second factor with the secret of the set-up form (base32) once `code`
    /// is one of its current codes; returns the recovery codes, shown once.
    pub async fn enable_second_factor(
        &self,
        who: &Principal,
        secret: &str,
        code: &str,
    ) -> Result<Vec<String>> {
        let user = who.user()?;
        let secret = TotpSecret::parse(secret).map_err(|p| FieldErrors::single("secret", p))?;
        Ok(self
            .store
            .enable_second_factor(&who.actor(), user, &secret, code)
            .await?)
    }

    /// Turns off `who`'s second factor with a current code or a recovery code.
    pub async fn disable_second_factor(
        &self,
        who: &Principal,
        code: &str,
    ) -> Result<SecondFactorOff> {
        let user = who.user()?;
        Ok(self
            .store
            .disable_second_factor(&who.actor(), user, code)
            .await?)
    }

    /// An administrator removes a user's second factor (lost phone and recovery codes);
    /// whether there was one. The user's sessions stay.
    pub async fn reset_second_factor(&self, who: &Principal, user: UserId) -> Result<bool> {
        who.may_administer()?;
        Ok(self.store.reset_second_factor(&who.actor(), user).await?)
    }
}
