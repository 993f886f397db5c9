//! Users, roles and the interface language.

use serde::{Deserialize, Serialize};

use crate::ids::{PersonId, UserId};
use crate::macros::string_enum;
use crate::validate::Problem;

string_enum! {
    /// What a user may do. Checked on every route.
    pub enum Role {
        /// Everything, including levels, functions, users and the audit log.
        Admin = "admin",
        /// Read everything; create and edit organizations, units and people.
        Editor = "editor",
        /// Read only.
        Viewer = "viewer",
    }
}

impl Role {
    /// May create and change data.
    pub fn can_edit(self) -> bool {
        matches!(self, Self::Admin | Self::Editor)
    }

    /// May administer the ladder, functions, users and read the audit log.
    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
}

string_enum! {
    /// Interface language.
    pub enum Language {
        /// Deutsch.
        De = "de",
        /// English.
        En = "en",
    }
}

impl Language {
    /// Picks the first supported language of an `Accept-Language` header, by quality;
    /// German when nothing matches (the product's home market).
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let lang = match primary {
                "de" => Self::De,
                "en" => Self::En,
                _ => continue,
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(Self::De, |(_, lang)| lang)
    }
}

/// A login name: 3–40 characters of `a-z 0-9 . _ -`, stored lowercase.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Lowercases and checks a login name.
    pub fn parse(value: &str) -> Result<Self, Problem> {
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err(Problem::Required);
        }
        if value.chars().count() < 3 {
            return Err(Problem::TooShort { min: 3 });
        }
        if value.chars().count() > 40 {
            return Err(Problem::TooLong { max: 40 });
        }
        if value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            Ok(Self(value))
        } else {
            Err(Problem::UnknownChoice)
        }
    }

    /// The login name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The shortest password a user may choose.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, at most 200.
pub fn check_new_password(password: &str) -> Result<(), Problem> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err(Problem::TooShort {
            min: MIN_PASSWORD_CHARS,
        })
    } else if n > 200 {
        Err(Problem::TooLong { max: 200 })
    } else {
        Ok(())
    }
}

/// A user as the application sees it (never with the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Login name.
    pub username: String,
    /// Name shown in the interface and the audit log.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// The person of our own organization this user is, if linked.
    pub person_id: Option<PersonId>,
    /// Preferred interface language; `None` follows the browser.
    pub language: Option<Language>,
    /// False once disabled: cannot log in, sessions end.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(
            Language::from_accept_language("en-US,en;q=0.9"),
            Language::En
        );
        assert_eq!(
            Language::from_accept_language("fr, en;q=0.5, de;q=0.8"),
            Language::De
        );
        assert_eq!(Language::from_accept_language("fr"), Language::De);
        assert_eq!(Language::from_accept_language(""), Language::De);
    }

    #[test]
    fn usernames_and_passwords() {
        assert_eq!(
            Username::parse(" K.Schneider ").unwrap().as_str(),
            "k.schneider"
        );
        assert_eq!(Username::parse("ab"), Err(Problem::TooShort { min: 3 }));
        assert_eq!(Username::parse("jürgen"), Err(Problem::UnknownChoice));
        assert!(check_new_password("correct horse").is_ok());
        assert_eq!(
            check_new_password("short"),
            Err(Problem::TooShort { min: 10 })
        );
    }

    #[test]
    fn roles() {
        assert!(Role::Admin.can_edit() && Role::Admin.is_admin());
        assert!(Role::Editor.can_edit() && !Role::Editor.is_admin());
        assert!(!Role::Viewer.can_edit());
        assert_eq!("viewer".parse::<Role>(), Ok(Role::Viewer));
    }
}
