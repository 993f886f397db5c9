//! Accounts, key contacts, counterpart assignments and their ratings.
//!
//! An account is a partner organization, or a unit of one, that one of our units manages. Its
//! key contacts are the people who matter there; each gets a counterpart of ours, ideally at
//! the same level. Relationships are rated over time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{
    AccountId, AssignmentId, KeyContactId, OrganizationId, PersonId, RatingId, UnitId, UserId,
};
use crate::macros::string_enum;
use crate::person::{optional_id, parse_date};
use crate::validate::{FieldErrors, Problem, optional_multiline, optional_text, required_text};

string_enum! {
    /// What the account is to us.
    pub enum Relation {
        /// We sell to them.
        Customer = "customer",
        /// We buy from them.
        Supplier = "supplier",
        /// Both.
        Both = "both",
    }
}

impl Relation {
    /// Whether the account buys from us.
    pub fn is_customer(self) -> bool {
        matches!(self, Self::Customer | Self::Both)
    }

    /// Whether the account supplies us.
    pub fn is_supplier(self) -> bool {
        matches!(self, Self::Supplier | Self::Both)
    }
}

string_enum! {
    /// How the relationship is organized.
    pub enum ManagementMode {
        /// Counterparts level by level: the brief's recommendation.
        Hierarchical = "hierarchical",
        /// One key account manager holds the relationship.
        SingleManager = "single_manager",
        /// Everyone feels responsible and meets in a regular customer jour fixe.
        JourFixe = "jour_fixe",
    }
}

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Its id.
    pub id: AccountId,
    /// The partner organization.
    pub organization_id: OrganizationId,
    /// A unit of that organization, when the account is only part of it.
    pub unit_id: Option<UnitId>,
    /// Display name.
    pub name: String,
    /// Customer, supplier or both.
    pub relation: Relation,
    /// Hierarchical, single key account manager or jour fixe.
    pub mode: ManagementMode,
    /// The unit of ours that is responsible.
    pub responsible_unit_id: Option<UnitId>,
    /// The key account manager of ours, if one is named.
    pub manager_id: Option<PersonId>,
    /// Free notes.
    pub notes: Option<String>,
    /// Restricted to its responsible unit and the units above it (and administrators): hidden
    /// from everyone else, with everything recorded on it (ADR 0011).
    pub restricted: bool,
    /// False once deactivated.
    pub active: bool,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Raw text values of the account form.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountFields {
    /// Display name; empty means the organization's (or unit's) name.
    pub name: String,
    /// Partner organization id.
    pub organization_id: String,
    /// Unit id of that organization, optional.
    pub unit_id: String,
    /// `customer`, `supplier` or `both`.
    pub relation: String,
    /// `hierarchical`, `single_manager` or `jour_fixe`.
    pub mode: String,
    /// Our responsible unit id, optional.
    pub responsible_unit_id: String,
    /// Our key account manager's person id, optional.
    pub manager_id: String,
    /// Free notes.
    pub notes: String,
    /// `1` (a ticked box) to restrict the account to its responsible unit and the units above
    /// it; empty or absent for an open account.
    pub restricted: String,
}

/// Validated account input. References are checked by the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInput {
    /// Display name; `None` takes the organization's or unit's name.
    pub name: Option<String>,
    /// Partner organization.
    pub organization_id: OrganizationId,
    /// Unit of the partner organization.
    pub unit_id: Option<UnitId>,
    /// Customer, supplier or both.
    pub relation: Relation,
    /// How the relationship is organized.
    pub mode: ManagementMode,
    /// Our responsible unit.
    pub responsible_unit_id: Option<UnitId>,
    /// Our key account manager.
    pub manager_id: Option<PersonId>,
    /// Free notes.
    pub notes: Option<String>,
    /// Restricted to its responsible unit and the units above it.
    pub restricted: bool,
}

impl AccountInput {
    /// Validates every field, collecting all problems.
    pub fn parse(f: &AccountFields) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = e.take("name", optional_text(&f.name, 200));
        let organization = e.take(
            "organization_id",
            optional_id(&f.organization_id).and_then(|o| o.ok_or(Problem::Required)),
        );
        let unit = e.take("unit_id", optional_id(&f.unit_id));
        let relation = e.take("relation", f.relation.parse());
        let mode = e.take("mode", f.mode.parse());
        let responsible = e.take("responsible_unit_id", optional_id(&f.responsible_unit_id));
        let manager = e.take("manager_id", optional_id(&f.manager_id));
        let notes = e.take("notes", optional_multiline(&f.notes, 4000));
        let restricted = e.take("restricted", parse_flag(&f.restricted));
        // Who may see a restricted account is decided by its responsible unit: without one,
        // only administrators would.
        if restricted == Some(true) && matches!(responsible, Some(None)) {
            e.add("responsible_unit_id", Problem::RestrictedNeedsUnit);
        }
        e.into_result(|| Self {
            name: name.flatten(),
            organization_id: organization.unwrap_or(OrganizationId::new(0)),
            unit_id: unit.flatten(),
            relation: relation.unwrap_or(Relation::Customer),
            mode: mode.unwrap_or(ManagementMode::Hierarchical),
            responsible_unit_id: responsible.flatten(),
            manager_id: manager.flatten(),
            notes: notes.flatten(),
            restricted: restricted.unwrap_or(false),
        })
    }
}

/// A checkbox as a form sends it: `1`, `on` or `true` when ticked, nothing (or `0`, `false`)
/// when not; anything else is no choice.
fn parse_flag(value: &str) -> Result<bool, Problem> {
    match value.trim() {
        "" | "0" | "false" => Ok(false),
        "1" | "on" | "true" => Ok(true),
        _ => Err(Problem::UnknownChoice),
    }
}

string_enum! {
    /// A key contact's role in decisions about us.
    pub enum DecisionRole {
        /// Decides.
        DecisionMaker = "decision_maker",
        /// Shapes the decision.
        Influencer = "influencer",
        /// Uses what we deliver.
        User = "user",
        /// Controls access (often the secretariat).
        Gatekeeper = "gatekeeper",
        /// Argues for us inside their house.
        Champion = "champion",
        /// Anything else.
        Other = "other",
    }
}

string_enum! {
    /// A key contact's stance toward us.
    pub enum Stance {
        /// Actively supports us.
        Supporter = "supporter",
        /// Favourable.
        Positive = "positive",
        /// Neither.
        Neutral = "neutral",
        /// Sceptical.
        Critical = "critical",
        /// Works against us.
        Opponent = "opponent",
    }
}

/// An important person inside an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyContact {
    /// Its id.
    pub id: KeyContactId,
    /// The account.
    pub account_id: AccountId,
    /// The partner person.
    pub person_id: PersonId,
    /// Role in decisions.
    pub role: DecisionRole,
    /// Stance toward us.
    pub stance: Stance,
    /// Influence, 1 (little) to 5 (decisive).
    pub influence: i64,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A score from 1 to 5 (ratings, influence, importance).
pub fn parse_score(value: &str) -> Result<i64, Problem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Problem::Required);
    }
    match value.parse::<i64>() {
        Ok(n) if (1..=5).contains(&n) => Ok(n),
        _ => Err(Problem::OutOfRange { min: 1, max: 5 }),
    }
}

/// Validated key-contact input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyContactInput {
    /// The partner person (checked by the store to belong to the account's organization).
    pub person_id: PersonId,
    /// Role in decisions.
    pub role: DecisionRole,
    /// Stance toward us.
    pub stance: Stance,
    /// Influence 1–5.
    pub influence: i64,
}

impl KeyContactInput {
    /// Validates the form values.
    pub fn parse(
        person_id: &str,
        role: &str,
        stance: &str,
        influence: &str,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let person = e.take(
            "person_id",
            optional_id(person_id).and_then(|p| p.ok_or(Problem::Required)),
        );
        let role = e.take("role", role.parse());
        let stance = e.take("stance", stance.parse());
        let influence = e.take("influence", parse_score(influence));
        e.into_result(|| Self {
            person_id: person.unwrap_or(PersonId::new(0)),
            role: role.unwrap_or(DecisionRole::Other),
            stance: stance.unwrap_or(Stance::Neutral),
            influence: influence.unwrap_or(3),
        })
    }
}

string_enum! {
    /// Whether a counterpart is the main owner of a relationship or the stand-in.
    pub enum AssignmentKind {
        /// Owns the relationship.
        Primary = "primary",
        /// Stands in.
        Deputy = "deputy",
    }
}

/// A counterpart assignment: one of our people owns the relationship to one partner person.
/// A change ends the old assignment instead of deleting it, so history stays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Its id.
    pub id: AssignmentId,
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day; `None` while current.
    pub valid_to: Option<NaiveDate>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Assignment {
    /// Whether the assignment holds on `day`.
    pub fn is_current(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| to >= day)
    }
}

/// Validated input for a new assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentInput {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person (checked by the store to belong to our own organization).
    pub our_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// First day.
    pub valid_from: NaiveDate,
}

impl AssignmentInput {
    /// Validates the form values.
    pub fn parse(
        partner_id: &str,
        our_id: &str,
        kind: &str,
        valid_from: &str,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let required = |v: &str| optional_id(v).and_then(|p| p.ok_or(Problem::Required));
        let partner = e.take("partner_id", required(partner_id));
        let ours = e.take("our_id", required(our_id));
        let kind = e.take("kind", kind.parse());
        let from = e.take("valid_from", parse_date(valid_from));
        e.into_result(|| Self {
            partner_id: partner.unwrap_or(PersonId::new(0)),
            our_id: ours.unwrap_or(PersonId::new(0)),
            kind: kind.unwrap_or(AssignmentKind::Primary),
            valid_from: from.unwrap_or_default(),
        })
    }
}

/// A dated rating of a counterpart relationship, attributed to who rated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// Its id.
    pub id: RatingId,
    /// The assignment rated.
    pub assignment_id: AssignmentId,
    /// When.
    pub rated_on: NaiveDate,
    /// Relationship (Beziehung), 1–5.
    pub relationship: i64,
    /// Partnership (Partnerschaft), 1–5.
    pub partnership: i64,
    /// The customer's perceived satisfaction (Zufriedenheit), 1–5.
    pub satisfaction: i64,
    /// Why.
    pub comment: Option<String>,
    /// The user who rated, if any.
    pub rated_by: Option<UserId>,
    /// Their name at the time.
    pub rated_by_name: String,
}

/// Validated rating input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingInput {
    /// When.
    pub rated_on: NaiveDate,
    /// Relationship 1–5.
    pub relationship: i64,
    /// Partnership 1–5.
    pub partnership: i64,
    /// Satisfaction 1–5.
    pub satisfaction: i64,
    /// Why.
    pub comment: Option<String>,
}

impl RatingInput {
    /// Validates the form values.
    pub fn parse(
        rated_on: &str,
        relationship: &str,
        partnership: &str,
        satisfaction: &str,
        comment: &str,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::default();
        let on = e.take("rated_on", parse_date(rated_on));
        let r = e.take("relationship", parse_score(relationship));
        let p = e.take("partnership", parse_score(partnership));
        let s = e.take("satisfaction", parse_score(satisfaction));
        let comment = e.take("comment", optional_multiline(comment, 2000));
        e.into_result(|| Self {
            rated_on: on.unwrap_or_default(),
            relationship: r.unwrap_or(3),
            partnership: p.unwrap_or(3),
            satisfaction: s.unwrap_or(3),
            comment: comment.flatten(),
        })
    }
}

/// The direction of the latest change in a series of ratings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    /// Better than the previous rating.
    Up,
    /// Worse than the previous rating.
    Down,
    /// Unchanged, or only one rating.
    Flat,
}

impl Trend {
    /// Compares the latest value with the one before; `values` are oldest first.
    pub fn of(values: &[i64]) -> Self {
        match values {
            [.., before, last] if last > before => Self::Up,
            [.., before, last] if last < before => Self::Down,
            _ => Self::Flat,
        }
    }

    /// An arrow for compact display.
    pub fn arrow(self) -> &'static str {
        match self {
            Self::Up => "↑",
            Self::Down => "↓",
            Self::Flat => "→",
        }
    }
}

/// The traffic-light class of a relationship rating: 1–2 poor, 3 fair, 4–5 good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Health {
    /// 4 or 5.
    Good,
    /// 3.
    Fair,
    /// 1 or 2.
    Poor,
    /// Not rated yet.
    Unrated,
}

impl Health {
    /// The class of a (latest) relationship rating.
    pub fn of(rating: Option<i64>) -> Self {
        match rating {
            Some(4..) => Self::Good,
            Some(3) => Self::Fair,
            Some(_) => Self::Poor,
            None => Self::Unrated,
        }
    }

    /// CSS class name.
    pub fn class(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Poor => "poor",
            Self::Unrated => "unrated",
        }
    }
}

/// Validates the name of an account; an empty name is filled from the organization or unit.
pub fn account_name(name: Option<&str>, fallback: &str) -> Result<String, Problem> {
    match name {
        Some(n) => required_text(n, 200),
        None => Ok(fallback.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_one_to_five() {
        assert_eq!(parse_score("4"), Ok(4));
        assert_eq!(parse_score(" 1 "), Ok(1));
        assert_eq!(
            parse_score("0"),
            Err(Problem::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(
            parse_score("6"),
            Err(Problem::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(
            parse_score("gut"),
            Err(Problem::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(parse_score(""), Err(Problem::Required));
    }

    #[test]
    fn trend_compares_the_last_two() {
        assert_eq!(Trend::of(&[]), Trend::Flat);
        assert_eq!(Trend::of(&[3]), Trend::Flat);
        assert_eq!(Trend::of(&[2, 4]), Trend::Up);
        assert_eq!(Trend::of(&[5, 4, 4]), Trend::Flat);
        assert_eq!(Trend::of(&[1, 5, 3]), Trend::Down);
    }

    #[test]
    fn health_bands() {
        assert_eq!(Health::of(Some(5)), Health::Good);
        assert_eq!(Health::of(Some(4)), Health::Good);
        assert_eq!(Health::of(Some(3)), Health::Fair);
        assert_eq!(Health::of(Some(1)), Health::Poor);
        assert_eq!(Health::of(None), Health::Unrated);
    }

    #[test]
    fn account_input_names_every_bad_field() {
        let f = AccountFields {
            relation: "partner".into(),
            mode: "chaos".into(),
            ..Default::default()
        };
        let e = AccountInput::parse(&f).unwrap_err();
        assert_eq!(e.get("organization_id"), Some(&Problem::Required));
        assert_eq!(e.get("relation"), Some(&Problem::UnknownChoice));
        assert_eq!(e.get("mode"), Some(&Problem::UnknownChoice));
    }

    #[test]
    fn assignments_are_current_within_their_span() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        let a = Assignment {
            id: AssignmentId::new(1),
            partner_id: PersonId::new(1),
            our_id: PersonId::new(2),
            kind: AssignmentKind::Primary,
            valid_from: day(10),
            valid_to: Some(day(20)),
            version: 1,
        };
        assert!(!a.is_current(day(9)));
        assert!(a.is_current(day(10)) && a.is_current(day(20)));
        assert!(!a.is_current(day(21)));
    }

    #[test]
    fn ratings_validate_each_dimension() {
        let e = RatingInput::parse("2026-02-30", "0", "3", "9", "").unwrap_err();
        assert_eq!(e.get("rated_on"), Some(&Problem::InvalidDate));
        assert_eq!(
            e.get("relationship"),
            Some(&Problem::OutOfRange { min: 1, max: 5 })
        );
        assert_eq!(e.get("partnership"), None);
        assert_eq!(
            e.get("satisfaction"),
            Some(&Problem::OutOfRange { min: 1, max: 5 })
        );
    }
}
