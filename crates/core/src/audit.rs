//! What the audit log records: which kind of entity changed and how.

use crate::macros::string_enum;

string_enum! {
    /// The kind of record an audit entry is about.
    pub enum EntityKind {
        /// An organization.
        Organization = "organization",
        /// A unit.
        Unit = "unit",
        /// A person.
        Person = "person",
        /// A position of a person.
        Position = "position",
        /// A level of the ladder.
        Level = "level",
        /// A function.
        Function = "function",
        /// A user account.
        User = "user",
        /// An account.
        Account = "account",
        /// A key contact of an account.
        KeyContact = "key_contact",
        /// A counterpart assignment.
        Assignment = "assignment",
        /// A rating of a counterpart relationship.
        Rating = "rating",
        /// An importance criterion.
        Criterion = "criterion",
        /// The tier thresholds of the importance score.
        Tiers = "tiers",
        /// A team member's proposed weight for a criterion.
        WeightProposal = "weight_proposal",
        /// A team member's rating of an account on a criterion.
        ImportanceRating = "importance_rating",
        /// A keep/never lock on a pair for the counterpart suggestions.
        Lock = "lock",
        /// A file uploaded for import, waiting for confirmation.
        ImportUpload = "import_upload",
        /// What one of ours learned about a partner person or an account.
        Insight = "insight",
        /// A logged contact with a partner person.
        Interaction = "interaction",
        /// A secret feed address of a user.
        FeedToken = "feed_token",
        /// A jour-fixe series.
        Series = "jf_series",
        /// A meeting of a jour-fixe series.
        Meeting = "jf_meeting",
        /// An item on a meeting's agenda.
        AgendaItem = "jf_item",
        /// A contribution or decision in a meeting.
        Contribution = "jf_contribution",
        /// An action agreed in a meeting.
        Action = "jf_action",
        /// A secret calendar address of a user.
        CalendarToken = "calendar_token",
        /// One unit's answers to the guiding questions about one partner.
        GuidingAnswers = "guiding_answers",
        /// An access report (Art. 15 DSGVO) about a person: its id is the person's.
        AccessReport = "access_report",
        /// A secret a user was issued: an API token, a calendar or digest feed address.
        AccessToken = "access_token",
        /// The erasure of a person (Art. 17 DSGVO): its id is the person's; the tombstone
        /// that stays when everything else about them is gone.
        Erasure = "erasure",
        /// A user's login sessions ended by someone (its id is the user's).
        Session = "session",
        /// A user's second factor (TOTP) and recovery codes (its id is the user's).
        SecondFactor = "second_factor",
    }
}

string_enum! {
    /// What happened to the record.
    pub enum AuditAction {
        /// Created.
        Create = "create",
        /// Changed.
        Update = "update",
        /// Deactivated (kept, hidden).
        Deactivate = "deactivate",
        /// Activated again.
        Reactivate = "reactivate",
        /// Removed for good.
        Delete = "delete",
    }
}

/// What a recorded field's value points at, when it is the id of another record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    /// A person.
    Person,
    /// A unit.
    Unit,
    /// An organization.
    Organization,
    /// An account.
    Account,
    /// A user.
    User,
    /// A level of the ladder.
    Level,
    /// A function.
    Function,
    /// An importance criterion.
    Criterion,
}

impl Reference {
    /// What the field named `field` of a recorded entity points at, if it holds an id.
    pub fn of_field(field: &str) -> Option<Self> {
        Some(match field {
            "person_id" | "partner_id" | "our_id" | "reports_to_id" | "assistant_of_id"
            | "manager_id" => Self::Person,
            "unit_id" | "parent_id" | "responsible_unit_id" => Self::Unit,
            "organization_id" => Self::Organization,
            "account_id" => Self::Account,
            "user_id" | "rated_by" => Self::User,
            "level_id" => Self::Level,
            "function_id" => Self::Function,
            "criterion_id" => Self::Criterion,
            _ => return None,
        })
    }
}

/// Fields an audit entry records that a reader does not need: the record's own id and
/// version, and ids the entry's label already names (the assignment a rating is about).
pub const UNSHOWN_FIELDS: [&str; 4] = ["id", "version", "assignment_id", "rated_by"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_of_people_units_and_the_ladder_are_references() {
        assert_eq!(
            Reference::of_field("reports_to_id"),
            Some(Reference::Person)
        );
        assert_eq!(Reference::of_field("our_id"), Some(Reference::Person));
        assert_eq!(
            Reference::of_field("responsible_unit_id"),
            Some(Reference::Unit)
        );
        assert_eq!(
            Reference::of_field("criterion_id"),
            Some(Reference::Criterion)
        );
        assert_eq!(Reference::of_field("family_name"), None);
    }
}
