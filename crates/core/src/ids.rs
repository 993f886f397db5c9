//! Typed ids: a `PersonId` can never be passed where a `UnitId` is expected.

use serde::{Deserialize, Serialize};

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Wraps a raw database key. Only the store and parsers of URLs should need this.
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }

            /// The raw database key.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )*};
}

typed_id! {
    /// An organization: our own house, a customer, a supplier or an internal department.
    OrganizationId;
    /// A unit inside an organization: division, department, team, secretariat.
    UnitId;
    /// A person in any organization.
    PersonId;
    /// One position a person held: organization, unit, title and level over a time span.
    PositionId;
    /// A rung of the hierarchy ladder shared by all organizations.
    LevelId;
    /// A function such as management, sales or assistant/secretariat.
    FunctionId;
    /// A user account that can log in.
    UserId;
    /// An entry of the audit log.
    AuditId;
    /// An account: a partner organization (or one of its units) that we manage.
    AccountId;
    /// A key contact: an important person inside an account.
    KeyContactId;
    /// A counterpart assignment: one of our people owns the relationship to a partner person.
    AssignmentId;
    /// A dated rating of a counterpart relationship.
    RatingId;
    /// An importance criterion defined by the team.
    CriterionId;
    /// An uploaded import file waiting for its owner's confirmation.
    UploadId;
    /// What one of ours learned about a partner person or an account.
    InsightId;
    /// A logged contact with a partner person.
    InteractionId;
    /// A jour-fixe series: a unit's recurring meeting about its partners.
    SeriesId;
    /// One meeting of a jour-fixe series.
    MeetingId;
    /// An item on a meeting's agenda.
    ItemId;
    /// An action agreed in a meeting: who does what by when.
    ActionId;
}
