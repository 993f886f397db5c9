//! The person picker as forms show it: a search field that lists matches as you type (htmx,
//! served by `pages/picker`), each match a radio button, so that the keyboard and a screen
//! reader use it like any radio group.

use counterpart_app::{App, Principal};
use counterpart_core::ids::{OrganizationId, PersonId};
use counterpart_store::{PersonSummary, Pick};

/// Whom a picker offers, as its URL names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PickScope {
    /// The people of one organization.
    Organization(OrganizationId),
    /// The key contacts of every account.
    KeyContacts,
    /// Everyone, deactivated people too (data protection; administrators only).
    Everyone,
}

impl PickScope {
    pub(crate) fn key(self) -> String {
        match self {
            Self::Organization(id) => format!("org-{id}"),
            Self::KeyContacts => "key-contacts".to_owned(),
            Self::Everyone => "all".to_owned(),
        }
    }

    pub(crate) fn parse(key: &str) -> Option<Self> {
        match key {
            "key-contacts" => Some(Self::KeyContacts),
            "all" => Some(Self::Everyone),
            _ => key
                .strip_prefix("org-")?
                .parse()
                .ok()
                .map(|id| Self::Organization(OrganizationId::new(id))),
        }
    }

    pub(crate) fn store_scope(self) -> Pick {
        match self {
            Self::Organization(id) => Pick::Organization(id),
            Self::KeyContacts => Pick::KeyContacts,
            Self::Everyone => Pick::Everyone,
        }
    }
}

/// One choice of a picker.
#[derive(Clone, Debug)]
pub(crate) struct PickOption {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

/// A person picker as a form shows it (`picker.html`).
#[derive(Clone, Debug)]
pub(crate) struct Picker {
    /// The form field that carries the chosen person's id.
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    scope: String,
    pub(crate) required: bool,
    /// The label of the "nobody" choice of an optional picker.
    pub(crate) none_label: Option<&'static str>,
    pub(crate) options: Vec<PickOption>,
    pub(crate) error: Option<String>,
}

impl Picker {
    /// A picker over a scope, nothing chosen yet.
    pub(crate) fn new(name: &'static str, label: &'static str, scope: PickScope) -> Self {
        Self {
            name,
            label,
            scope: scope.key(),
            required: false,
            none_label: None,
            options: Vec::new(),
            error: None,
        }
    }

    /// The element id.
    pub(crate) fn id(&self) -> String {
        format!("f-{}", self.name)
    }

    /// The URL the search field asks as the user types.
    pub(crate) fn search_url(&self) -> String {
        let optional = if self.none_label.is_some() {
            "&optional=1"
        } else {
            ""
        };
        format!("/pick?scope={}&name={}{optional}", self.scope, self.name)
    }

    /// The person chosen now, checked and shown first.
    pub(crate) fn current(mut self, value: String, label: String) -> Self {
        self.options.insert(
            0,
            PickOption {
                value,
                label,
                checked: true,
            },
        );
        self
    }

    /// An optional picker with a "nobody" choice.
    pub(crate) fn optional(mut self, none_label: &'static str) -> Self {
        self.none_label = Some(none_label);
        self
    }

    /// A picker that needs a choice.
    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Whether the "nobody" choice is the chosen one.
    pub(crate) fn nobody_chosen(&self) -> bool {
        !self.options.iter().any(|o| o.checked)
    }
}

/// How a person reads in a picker: "Weiß, Jürgen – Head of purchasing".
pub(crate) fn pick_label(s: &PersonSummary) -> String {
    let given = s.person.given_name.as_deref().unwrap_or("");
    let name = if given.is_empty() {
        s.person.family_name.clone()
    } else {
        format!("{}, {given}", s.person.family_name)
    };
    match &s.person.job_title {
        Some(title) => format!("{name} – {title}"),
        None => name,
    }
}

/// The label of a person id from a form, for a picker's current choice, if the person exists.
pub(crate) async fn current_label(
    app: &App,
    who: &Principal,
    id: &str,
) -> Result<Option<String>, counterpart_app::Error> {
    match id.trim().parse::<PersonId>() {
        Ok(id) => app.person_label(who, id).await,
        Err(_) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_their_keys() {
        for scope in [
            PickScope::Organization(OrganizationId::new(7)),
            PickScope::KeyContacts,
            PickScope::Everyone,
        ] {
            assert_eq!(PickScope::parse(&scope.key()), Some(scope));
        }
        assert_eq!(PickScope::parse("org-x"), None);
        assert_eq!(PickScope::parse("everyone"), None);
    }
}
