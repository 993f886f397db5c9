//! The mirror: does every key contact of a partner have a counterpart of ours at the same
//! level of the hierarchy?
//!
//! The brief's rule is "Chef zu Chef, Mitarbeiter zu Mitarbeiter": a managing director is not
//! served gladly by a clerk, and the other way round; an assistant is paired with an assistant,
//! secretariat with secretariat. The anti-pattern is the *bow tie*, one key account manager
//! holding every relationship; the goal is the *diamond*, many level-matched threads.
//!
//! - [`analysis`] measures an account (and rolls accounts up per unit and portfolio-wide):
//!   findings with severities, scores with their parts, the shape, a level × level matrix.
//! - [`suggest`] proposes counterparts for the key contacts that lack one or are poorly
//!   matched, by an exact min-cost flow ([`crate::flow`]) over a documented candidate set.
//! - [`reverse`] turns an account round (our people as the contacts, the partner's key people
//!   as the counterparts), so that the same analysis tells how well a supplier mirrors us.
//!
//! Both read the plain input structs of this module, which the store fills from SQL. Nothing
//! here words a sentence: findings and reasons are codes with the numbers a sentence needs, and
//! the web layer writes them in German and English.
//!
//! # Levels
//!
//! Levels are ranks on the ladder shared by all organizations, 1 at the top. The *distance* of a
//! pair is the absolute difference of the two ranks; it is unknown when either rank is.

pub mod analysis;
mod index;
pub mod reverse;
pub mod suggest;
pub mod view;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;

use crate::account::{AssignmentKind, DecisionRole, ManagementMode};
use crate::ids::{AccountId, PersonId, UnitId};

/// The distance at which a pair counts as not matched at all: the level match of a pair is
/// `1 − distance / LEVEL_SPAN`, clamped to 0..1. Four steps span the five rungs of the default
/// ladder (board to clerk).
pub const LEVEL_SPAN: i64 = 4;

/// A key contact of an account (a partner person who matters there), as the mirror needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MirrorContact {
    /// The partner person.
    pub person_id: PersonId,
    /// Rank of their current level, 1 = top; `None` when unknown.
    pub level_rank: Option<i64>,
    /// Their function is flagged assistant/secretariat.
    pub is_assistant: bool,
    /// The boss they assist, for assistants and secretariats.
    pub assistant_of: Option<PersonId>,
    /// Their manager.
    pub reports_to: Option<PersonId>,
    /// Influence, 1 (little) to 5 (decisive); values outside are clamped.
    pub influence: i64,
    /// Their role in decisions about us.
    pub role: DecisionRole,
}

impl MirrorContact {
    /// The boss whose counterpart's assistant suits this contact: `assistant_of`, or
    /// `reports_to` when an assistant has no `assistant_of` recorded (secretariats often report
    /// to the person they serve). `None` for non-assistants.
    pub fn boss(&self) -> Option<PersonId> {
        if self.is_assistant {
            self.assistant_of.or(self.reports_to)
        } else {
            None
        }
    }

    /// Influence clamped to 1..=5, the weight of the contact in the coverage score.
    pub fn weight(&self) -> i64 {
        self.influence.clamp(1, 5)
    }
}

/// One of our people, as the mirror needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OurPerson {
    /// Who.
    pub person_id: PersonId,
    /// Rank of their current level, 1 = top; `None` when unknown.
    pub level_rank: Option<i64>,
    /// Their function is flagged assistant/secretariat.
    pub is_assistant: bool,
    /// The boss they assist, for assistants and secretariats.
    pub assistant_of: Option<PersonId>,
    /// Their unit.
    pub unit_id: Option<UnitId>,
    /// The units above `unit_id`, nearest first, up to a top unit. "Within the responsible unit"
    /// means the responsible unit is `unit_id` or one of these.
    pub unit_ancestors: Vec<UnitId>,
    /// The most primary counterpart relationships they can hold; `None` takes
    /// [`default_capacity`] of their level.
    pub capacity: Option<i64>,
    /// Their current primary assignments, portfolio-wide (all accounts, not only those loaded).
    /// A negative value counts as 0.
    pub load: i64,
}

impl OurPerson {
    /// The capacity that applies: the recorded one (at least 0) or the level's default.
    pub fn capacity(&self) -> i64 {
        self.capacity
            .map_or_else(|| default_capacity(self.level_rank), |c| c.max(0))
    }

    /// The load that applies: `load`, at least 0.
    pub fn load(&self) -> i64 {
        self.load.max(0)
    }

    /// Whether the person belongs to `unit` or to a unit below it.
    pub fn is_within(&self, unit: UnitId) -> bool {
        self.unit_id == Some(unit) || self.unit_ancestors.contains(&unit)
    }
}

/// The default capacity of a level: how many key contacts one person can serve as primary
/// counterpart. Top people have the least time for it: rank 1 holds 4, rank 2 holds 6, rank 3
/// holds 8, rank 4 holds 10, rank 5 and below 12 (`2 + 2 × rank`, clamped to 4..12). An unknown
/// level gets the middle value, 8.
pub fn default_capacity(rank: Option<i64>) -> i64 {
    rank.map_or(8, |r| 2 + 2 * r.clamp(1, 5))
}

/// A current counterpart assignment, with its latest relationship rating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentAssignment {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating, 1–5; `None` when never rated.
    pub relationship: Option<i64>,
    /// The pair's last contact, logged or rated; `None` when never.
    pub last_contact: Option<NaiveDate>,
    /// The pair's own expected contact interval in days; `None`: the default by level and
    /// tier (see [`crate::cadence`]).
    pub contact_every_days: Option<i64>,
    /// First day of the assignment.
    pub valid_from: NaiveDate,
}

/// An account with its key contacts and their current assignments.
#[derive(Clone, Debug, PartialEq)]
pub struct MirrorAccount {
    /// Its id.
    pub id: AccountId,
    /// How the relationship is organized.
    pub mode: ManagementMode,
    /// The key account manager of ours, if one is named.
    pub manager_id: Option<PersonId>,
    /// The unit of ours that is responsible.
    pub responsible_unit_id: Option<UnitId>,
    /// For an internal account whose partner is a unit of our own house (a neighbouring
    /// department): that unit. Its key contacts are then people of ours too, and nobody in
    /// this unit or below it (nor the contact themselves) is ever a counterpart candidate for
    /// them. `None` for external partners and internal departments kept as organizations of
    /// their own.
    pub partner_unit: Option<UnitId>,
    /// Importance 0–100 (see [`crate::importance::score`]), if rated; weights the roll-ups and
    /// the attention list.
    pub importance: Option<f64>,
    /// The tier, if rated: sets the default contact intervals.
    pub tier: Option<crate::importance::Tier>,
    /// The key contacts. A person listed twice counts once, with the higher influence.
    pub contacts: Vec<MirrorContact>,
    /// The current assignments of the key contacts, primary and deputy, and also those of the
    /// bosses of assistant key contacts (the suggestion looks up "the boss's counterpart" here;
    /// assignments of partners who are not key contacts are otherwise ignored). Since
    /// assignments are person to person, the same assignment may appear in several accounts.
    pub assignments: Vec<CurrentAssignment>,
    /// What the jour fixe says about the account.
    pub jour_fixe: JourFixeFacts,
}

/// An account's jour fixe as the mirror reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JourFixeFacts {
    /// The interval in days of a running series that covers it (chosen, or discussed in one
    /// of its meetings); `None`: none covers it.
    pub interval_days: Option<i64>,
    /// The last meeting that discussed it.
    pub last_meeting: Option<NaiveDate>,
    /// Open actions on it past their due day.
    pub overdue_actions: i64,
    /// The earliest due day among them.
    pub oldest_overdue: Option<NaiveDate>,
}

/// A unit of ours, for the roll-ups and the unit scope of suggestions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OurUnit {
    /// Its id.
    pub id: UnitId,
    /// The unit above it; `None` for a top unit.
    pub parent_id: Option<UnitId>,
}

/// Everything the mirror reads, for a whole portfolio (or any part of it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MirrorInput {
    /// The accounts.
    pub accounts: Vec<MirrorAccount>,
    /// Our people: at least everyone named in an assignment or as manager; for suggestions,
    /// everyone who may become a counterpart. A person listed twice counts once (the first).
    pub people: Vec<OurPerson>,
    /// Our units, in display order (the roll-ups follow it).
    pub units: Vec<OurUnit>,
}

/// The thresholds and weights of the analysis. [`Settings::new`] gives the documented defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The day the analysis is made for (contact intervals are measured up to it).
    pub today: NaiveDate,
    /// The ladder's ranks, for the axes of the level matrix; ranks found in the data are added.
    pub ranks: Vec<i64>,
    /// A bow tie: one person of ours holds at least this share (percent) of the key contacts…
    pub bow_tie_share_pct: i64,
    /// …and at least this many of them.
    pub bow_tie_min: usize,
    /// How the mirror score weighs its parts.
    pub weights: analysis::ScoreWeights,
}

impl Settings {
    /// Defaults: ranks 1–5, bow tie at 50 % and 3 contacts, weights 50 / 30 / 20.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            ranks: vec![1, 2, 3, 4, 5],
            bow_tie_share_pct: 50,
            bow_tie_min: 3,
            weights: analysis::ScoreWeights::default(),
        }
    }
}

/// The level distance of two ranks, `None` when either is unknown.
pub fn level_distance(theirs: Option<i64>, ours: Option<i64>) -> Option<i64> {
    Some((theirs? - ours?).abs())
}
