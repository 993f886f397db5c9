//! Users, roles and the interface language.

use serde::{Deserialize, Serialize};

use crate::ids::{PersonId, UserId};
use crate::macros::string_enum;
use crate::person::{Email, optional_id};
use crate::validate::{FieldErrors, Problem, optional_text, required_text};

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
    /// What a secret issued to a user opens (all kept alike: hashed, revocable, listed on
    /// one settings page).
    pub enum TokenKind {
        /// A personal API token, sent as `Authorization: Bearer …`.
        Api = "api",
        /// The address of the user's jour-fixe calendar subscription.
        Calendar = "calendar",
        /// The address of the user's unit digest as an Atom feed.
        Digest = "digest",
    }
}

string_enum! {
    /// What a token may do: read only, or also change (API tokens; feeds only read).
    pub enum TokenScope {
        /// Read.
        Read = "read",
        /// Read and write.
        Write = "write",
    }
}

/// The longest an API token may live, in days.
pub const MAX_TOKEN_DAYS: i64 = 365;

/// How many live tokens one user may hold (a bound against a script creating them forever).
pub const MAX_TOKENS_PER_USER: i64 = 50;

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
        if value.chars().any(char::is_control) {
            return Err(Problem::ControlCharacter);
        }
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

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, at most 200, no control
/// characters (which no keyboard types; they come from pasted files).
pub fn check_new_password(password: &str) -> Result<(), Problem> {
    let n = password.chars().count();
    if password.chars().any(char::is_control) {
        Err(Problem::ControlCharacter)
    } else if n < MIN_PASSWORD_CHARS {
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
    /// E-mail address (stored lowercase; unique among users), to link users to people of our
    /// own house by address.
    pub email: Option<String>,
    /// Preferred interface language; `None` follows the browser.
    pub language: Option<Language>,
    /// False once disabled: cannot log in, sessions end.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// What an administrator fills in for a user, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct UserFields {
    /// Name shown in the interface and the audit log.
    pub display_name: String,
    /// E-mail address, empty for none.
    pub email: String,
    /// `admin`, `editor` or `viewer`.
    pub role: String,
    /// The person of our own house, empty for none.
    pub person_id: String,
}

/// A user's details, validated (the store checks that the person is of our own house and not
/// another user's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInput {
    /// Name shown in the interface and the audit log.
    pub display_name: String,
    /// E-mail address, lowercased.
    pub email: Option<Email>,
    /// What the user may do.
    pub role: Role,
    /// The person of our own house the user is.
    pub person_id: Option<PersonId>,
}

impl UserInput {
    /// Validates every field, collecting all problems at once.
    pub fn parse(f: &UserFields) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let display_name = e.take("display_name", required_text(&f.display_name, 100));
        let email = e.take(
            "email",
            optional_text(&f.email, 254).and_then(|email| {
                email
                    .map(|email| Email::parse(&email.to_lowercase()))
                    .transpose()
            }),
        );
        let role = e.take("role", f.role.trim().parse::<Role>());
        let person_id = e.take("person_id", optional_id(&f.person_id));
        e.into_result(|| Self {
            display_name: display_name.unwrap_or_default(),
            email: email.flatten(),
            role: role.unwrap_or(Role::Viewer),
            person_id: person_id.flatten(),
        })
    }
}

/// Checks a new password and its repetition.
pub fn check_password_pair(password: &str, repeated: &str) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    e.take("password", check_new_password(password));
    if repeated.chars().any(char::is_control) {
        e.add("password_repeat", Problem::ControlCharacter);
    } else if e.is_empty() && password != repeated {
        e.add("password_repeat", Problem::Mismatch);
    }
    e.into_result(|| ())
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
    fn user_details_are_checked_together() {
        let input = UserInput::parse(&UserFields {
            display_name: " Ulla Usedom ".into(),
            email: " Ulla.Usedom@Nordlicht.example ".into(),
            role: "editor".into(),
            person_id: "17".into(),
        })
        .unwrap();
        assert_eq!(input.display_name, "Ulla Usedom");
        assert_eq!(
            input.email.as_ref().map(Email::as_str),
            Some("ulla.usedom@nordlicht.example")
        );
        assert_eq!(input.role, Role::Editor);
        assert_eq!(input.person_id, Some(PersonId::new(17)));
        let errors = UserInput::parse(&UserFields {
            display_name: String::new(),
            email: "kein-at".into(),
            role: "chef".into(),
            person_id: "x".into(),
        })
        .unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field, e.problem.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("display_name", Problem::Required),
                ("email", Problem::InvalidEmail),
                ("role", Problem::UnknownChoice),
                ("person_id", Problem::NotFound),
            ]
        );
        assert!(check_password_pair("correct horse", "correct horse").is_ok());
        assert_eq!(
            check_password_pair("correct horse", "correct hose")
                .unwrap_err()
                .get("password_repeat"),
            Some(&Problem::Mismatch)
        );
        assert_eq!(
            check_password_pair("short", "short")
                .unwrap_err()
                .get("password"),
            Some(&Problem::TooShort { min: 10 })
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
