//! The picker as forms show it, for a person or a unit: a search field that lists matches as
//! you type (htmx, served by `pages/picker`), each match a radio button, so that the keyboard
//! and a screen reader use it like any radio group.

use counterpart_app::{App, Principal};
use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::org::OrganizationKind;
use counterpart_store::PersonSummary;

use crate::i18n::Texts;

/// Whom or what a picker offers, as its URL names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PickScope {
    /// The people of one organization.
    Organization(OrganizationId),
    /// The key contacts of every account.
    KeyContacts,
    /// Everyone, deactivated people too (data protection; administrators only).
    Everyone,
    /// The active units of one organization.
    Units(OrganizationId),
    /// The active organizations.
    Organizations,
    /// The active organizations as an account's partner: our own house through a
    /// neighbouring department.
    Partners,
}

impl PickScope {
    pub(crate) fn key(self) -> String {
        match self {
            Self::Organization(id) => format!("org-{id}"),
            Self::KeyContacts => "key-contacts".to_owned(),
            Self::Everyone => "all".to_owned(),
            Self::Units(id) => format!("units-{id}"),
            Self::Organizations => "organizations".to_owned(),
            Self::Partners => "partners".to_owned(),
        }
    }

    pub(crate) fn parse(key: &str) -> Option<Self> {
        let org = |prefix: &str| {
            key.strip_prefix(prefix)?
                .parse()
                .ok()
                .map(OrganizationId::new)
        };
        match key {
            "key-contacts" => Some(Self::KeyContacts),
            "all" => Some(Self::Everyone),
            "organizations" => Some(Self::Organizations),
            "partners" => Some(Self::Partners),
            _ => org("org-")
                .map(Self::Organization)
                .or_else(|| org("units-").map(Self::Units)),
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

/// A picker as a form shows it (`picker.html`).
#[derive(Clone, Debug)]
pub(crate) struct Picker {
    /// The form field that carries the chosen person's or unit's id.
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    scope: String,
    pub(crate) required: bool,
    /// The label of the "nobody" choice of an optional picker.
    pub(crate) none_label: Option<&'static str>,
    pub(crate) options: Vec<PickOption>,
    pub(crate) error: Option<String>,
    /// A URL from which the whole form is reloaded (htmx) when the choice changes, e.g.
    /// the units after choosing an organization.
    pub(crate) reload: Option<String>,
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
            reload: None,
        }
    }

    /// Reloads the form from `url` when the choice changes.
    pub(crate) fn reload(mut self, url: &str) -> Self {
        self.reload = Some(url.to_owned());
        self
    }

    /// The element id.
    pub(crate) fn id(&self) -> String {
        format!("f-{}", self.name)
    }

    /// The URL the search field asks as the user types.
    pub(crate) fn search_url(&self) -> String {
        format!("/pick?scope={}&name={}", self.scope, self.name)
    }

    /// The person or unit chosen now, checked and shown first.
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

/// How a unit reads in a picker: "Team 3 (in Abteilung 2)" — many units share a name.
pub(crate) fn unit_label(name: &str, parent: Option<&str>) -> String {
    match parent {
        Some(parent) => format!("{name} (in {parent})"),
        None => name.to_owned(),
    }
}

/// How an organization reads in a picker of `scope`: our own house named as such — as a
/// partner, through a neighbouring department.
pub(crate) fn organization_label(
    t: &Texts,
    scope: PickScope,
    name: &str,
    kind: OrganizationKind,
) -> String {
    match (kind, scope) {
        (OrganizationKind::Own, PickScope::Partners) => format!("{name} ({})", t.own_house_option),
        (OrganizationKind::Own, _) => format!("{name} ({})", t.kind_own),
        _ => name.to_owned(),
    }
}

/// The label of a person's, unit's or organization's id from a form, for a picker's current
/// choice, if it exists.
pub(crate) async fn current_label(
    app: &App,
    who: &Principal,
    scope: PickScope,
    id: &str,
) -> Result<Option<String>, counterpart_app::Error> {
    let id = id.trim();
    match scope {
        PickScope::Units(_) => match id.parse::<UnitId>() {
            Ok(id) => app.unit_name(who, id).await,
            Err(_) => Ok(None),
        },
        PickScope::Organizations | PickScope::Partners => match id.parse::<OrganizationId>() {
            Ok(id) => app.organization_name(who, id).await,
            Err(_) => Ok(None),
        },
        _ => match id.parse::<PersonId>() {
            Ok(id) => app.person_label(who, id).await,
            Err(_) => Ok(None),
        },
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
            PickScope::Units(OrganizationId::new(3)),
            PickScope::Organizations,
            PickScope::Partners,
        ] {
            assert_eq!(PickScope::parse(&scope.key()), Some(scope));
        }
        assert_eq!(PickScope::parse("org-x"), None);
        assert_eq!(PickScope::parse("units-"), None);
        assert_eq!(PickScope::parse("everyone"), None);
    }
}
