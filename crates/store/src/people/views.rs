//! What the people pages get: a person with the names around them.

use counterpart_core::ids::{OrganizationId, PersonId, UnitId};
use counterpart_core::org::{Organization, Unit};
use counterpart_core::person::{Person, Position};
use serde::Serialize;

/// A person with the names shown in lists.
#[derive(Clone, Debug, Serialize)]
pub struct PersonSummary {
    /// The person.
    pub person: Person,
    /// Name of their unit, if any.
    pub unit_name: Option<String>,
    /// Name of their organization.
    pub organization_name: String,
}

/// Whom a person picker searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// The active people of one organization.
    Organization(OrganizationId),
    /// The key contacts of every account.
    KeyContacts,
    /// Everyone, of every organization, deactivated people too (for data protection).
    Everyone,
}

/// A person as the org chart needs them.
#[derive(Clone, Debug, Serialize)]
pub struct ChartRow {
    /// The person.
    pub id: PersonId,
    /// Their unit.
    pub unit_id: Option<UnitId>,
    /// Their manager.
    pub reports_to: Option<PersonId>,
    /// The boss they assist.
    pub assistant_of: Option<PersonId>,
    /// Their level's rank.
    pub level_rank: Option<i64>,
    /// "Dr. Katharina Schneider".
    pub name: String,
    /// Family name, for sorting.
    pub family_name: String,
    /// Job title.
    pub job_title: Option<String>,
}

/// A position with the names of its organization and unit.
#[derive(Clone, Debug, Serialize)]
pub struct PositionView {
    /// The position.
    pub position: Position,
    /// The employer's name.
    pub organization_name: String,
    /// The unit's name, if any.
    pub unit_name: Option<String>,
}

/// Everything the person page shows.
#[derive(Clone, Debug, Serialize)]
pub struct PersonDetail {
    /// The person.
    pub person: Person,
    /// Their organization.
    pub organization: Organization,
    /// Their unit.
    pub unit: Option<Unit>,
    /// Their manager.
    pub manager: Option<PersonSummary>,
    /// The boss they assist.
    pub assists: Option<PersonSummary>,
    /// Their direct reports, by name.
    pub reports: Vec<PersonSummary>,
    /// Their assistants/secretariat.
    pub assistants: Vec<PersonSummary>,
    /// Positions, newest first.
    pub positions: Vec<PositionView>,
}
