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
