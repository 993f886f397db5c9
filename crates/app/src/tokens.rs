//! Every secret a user is issued — personal API tokens, the calendar subscription, the digest
//! feed addresses — on one settings page: listed, created (the token shown once), revoked;
//! administrators see and revoke everyone's. The API authenticates by these tokens alone.

use chrono::{Duration, Utc};
use counterpart_core::user::{MAX_TOKEN_DAYS, Role, TokenKind, TokenScope};
use counterpart_core::validate::{FieldErrors, Problem, optional_text};
use counterpart_store::{AccessToken, NewToken, TokenOfUser};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::{App, Principal};

/// The longest label of a token.
pub const MAX_LABEL: usize = 100;

/// How many live tokens the administrators' list shows at most (newest first).
pub const ALL_TOKENS_SHOWN: i64 = 500;

/// The form for a new API token, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TokenFields {
    /// What the owner calls it: "Reporting", "HR sync".
    #[serde(default)]
    pub label: String,
    /// `read` or `write`.
    #[serde(default)]
    pub scope: String,
    /// How many days it lives, 1 to [`MAX_TOKEN_DAYS`].
    #[serde(default)]
    pub days: String,
}

impl TokenFields {
    /// The token it describes for a user of `role`, every problem named at its field.
    fn parse(&self, role: Role) -> Result<NewToken, FieldErrors> {
        let mut errors = FieldErrors::default();
        let label = match optional_text(&self.label, MAX_LABEL) {
            Ok(Some(label)) => label,
            Ok(None) => {
                errors.add("label", Problem::Required);
                String::new()
            }
            Err(problem) => {
                errors.add("label", problem);
                String::new()
            }
        };
        let scope = match self.scope.trim().parse::<TokenScope>() {
            // Reading is what anyone may; writing what the role allows.
            Ok(TokenScope::Write) if !role.can_edit() => {
                errors.add("scope", Problem::UnknownChoice);
                None
            }
            Ok(scope) => Some(scope),
            Err(_) => {
                errors.add("scope", Problem::UnknownChoice);
                None
            }
        };
        let range = Problem::OutOfRange {
            min: 1,
            max: MAX_TOKEN_DAYS,
        };
        let days = match self.days.trim().parse::<i64>() {
            Ok(days) if (1..=MAX_TOKEN_DAYS).contains(&days) => Some(days),
            _ => {
                errors.add("days", range);
                None
            }
        };
        errors.into_result(|| NewToken {
            kind: TokenKind::Api,
            scope: scope.unwrap_or(TokenScope::Read),
            label,
            unit_id: None,
            expires_at: days.map(|d| Utc::now() + Duration::days(d)),
        })
    }
}

impl App {
    /// `who`'s tokens of every kind, newest first.
    pub async fn tokens(&self, who: &Principal) -> Result<Vec<AccessToken>> {
        Ok(self.store.tokens_of(who.user()?, None).await?)
    }

    /// Issues `who` a personal API token; returns it with the secret, shown once.
    pub async fn create_api_token(
        &self,
        who: &Principal,
        fields: &TokenFields,
    ) -> Result<(AccessToken, String)> {
        let user = who.user()?;
        let new = fields.parse(who.role).map_err(Error::Invalid)?;
        Ok(self.store.create_token(&who.actor(), user, &new).await?)
    }

    /// Issues the user called `username` an API token on an administrator's behalf (the
    /// command line's, for scripts such as the API conformance run); returns it with the
    /// secret, shown once. The scope must fit the owner's role, as on their own page; a
    /// disabled user gets none. Audited with `who` as the actor.
    pub async fn issue_api_token(
        &self,
        who: &Principal,
        username: &str,
        fields: &TokenFields,
    ) -> Result<(AccessToken, String)> {
        who.may_administer()?;
        let owner = self.store.user_named(username).await?;
        if !owner.active {
            return Err(Error::Invalid(FieldErrors::single(
                "username",
                Problem::NotFound,
            )));
        }
        let new = fields.parse(owner.role).map_err(Error::Invalid)?;
        Ok(self
            .store
            .create_token(&who.actor(), owner.id, &new)
            .await?)
    }

    /// Revokes one of `who`'s tokens (an administrator: anyone's).
    pub async fn revoke_token(&self, who: &Principal, id: i64) -> Result<AccessToken> {
        let user = who.user()?;
        let owner = (!who.role.is_admin()).then_some(user);
        Ok(self.store.revoke_token(&who.actor(), id, owner).await?)
    }

    /// Every user's live tokens with their owners: for administrators only.
    pub async fn all_tokens(&self, who: &Principal) -> Result<Vec<TokenOfUser>> {
        who.may_administer()?;
        Ok(self.store.live_tokens(ALL_TOKENS_SHOWN).await?)
    }

    /// Who an API token speaks for, and what it may do; `None` when it opens nothing (unknown,
    /// revoked, expired, its user disabled).
    pub async fn bearer(&self, secret: &str) -> Result<Option<(Principal, AccessToken)>> {
        let Some(token) = self.store.use_token(secret, TokenKind::Api).await? else {
            return Ok(None);
        };
        let user = self.store.user(token.user_id).await?;
        Ok(Some((Principal::of(&user), token)))
    }
}
