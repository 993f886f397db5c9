//! How well an account is mirrored: findings, scores, shape and level matrix, and roll-ups per
//! unit of ours and portfolio-wide.
//!
//! Only *current primary* assignments count as a key contact's counterpart for coverage, level
//! match, spread and shape: the primary owns the relationship, a deputy stands in. When the data
//! hold several current primaries for one partner (a handover in progress), the one that started
//! last counts (ties: the smaller id of ours).
//!
//! # Findings
//!
//! Each [`Finding`] has a severity 0–100, its [`Band`] (Info below 25, Low from 25, Medium from
//! 50, High from 75) and a [`FindingDetail`] with the people and numbers a sentence needs.
//!
//! | kind | when | severity |
//! |---|---|---|
//! | `uncovered` | a key contact has no current primary | `20 + 10 × (influence − 1) + 10 × seniority`, seniority = `5 − rank` clamped to 0..4 (2 when unknown); − 20 when a deputy holds it |
//! | `theirs_above` / `ours_above` | the primary's level differs (their contact ranks higher / ours does) | `25 × distance`, at most 100 |
//! | `assistant_unpaired` | their assistant/secretariat has a primary who is not an assistant | 40 |
//! | `assistant_reversed` | our assistant is the primary of someone of theirs who is not | 40 |
//! | `bow_tie` | the account's shape is [`Shape::BowTie`] | the top holder's share in percent (50–100); 10 in `single_manager` mode, where one holder is the team's choice |
//! | `nobody_responsible` | `hierarchical`: no current counterpart (primary or deputy); `single_manager`: no manager named; `jour_fixe`: neither | 80 |
//! | `over_capacity` | someone of ours holding a relationship here has `load > capacity` | `50 + 10 × (load − capacity)`, at most 100 |
//! | `stale` | the primary pair is overdue: no contact (logged or rated) for more than 1.5 × its expected interval ([`crate::cadence`]) | `25 × days / interval`, 25–75 |
//!
//! Levels or people of ours that are unknown produce no level or assistant finding. The jour
//! fixe rule treats a named manager as the person who calls the meeting; once jour fixe meetings
//! are recorded (a later feature), a recent meeting should count as well.
//!
//! # Scores
//!
//! All 0–100, with their parts in [`MirrorScore`]:
//!
//! - **coverage**: the influence-weighted share of key contacts with a current primary;
//! - **level match**: the mean over covered contacts of `1 − distance / 4` clamped to 0..1; a
//!   pair whose distance is unknown counts 0.5 (neither matched nor mismatched);
//! - **spread**: `1 − H` normalized to `(1 − H) / (1 − 1/N)`, where `H` is the Herfindahl
//!   index of the `N` covered contacts over the people of ours holding them: one person holding
//!   everything gives 0, a different person for every contact 1. With one covered contact the
//!   spread is 1 (nothing could be spread further);
//! - **mirror score**: the weighted mean of the three, by default 50 % coverage, 30 % level
//!   match, 20 % spread ([`ScoreWeights`]).
//!
//! An account without key contacts (or without any covered one) scores 0 on the parts that have
//! nothing to measure: nothing is mirrored yet.
//!
//! # Shape
//!
//! [`Shape::Empty`] when no key contact has a primary; [`Shape::BowTie`] when one person of
//! ours holds at least `bow_tie_share_pct` of all key contacts and at least `bow_tie_min` of
//! them; [`Shape::Diamond`] when it is no bow tie, at least two people of ours hold threads and
//! at least half of all key contacts have a primary at most one level away; otherwise
//! [`Shape::Mixed`].
//!
//! # Attention
//!
//! The portfolio list puts first what needs attention most:
//! `attention = (0.5 + importance / 100) × ((100 − mirror score) + 10 × high + 3 × medium)`,
//! with `high` / `medium` the account's findings in those bands and an unrated importance
//! counted as 50. So an important account weighs up to three times an unimportant one, and
//! every High finding adds as much as ten points of missing mirror score.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::index::{PartnerAssignments, Staff, UnitTree, assignments_by_contact};
use super::{
    LEVEL_SPAN, MirrorAccount, MirrorContact, MirrorInput, OurPerson, Settings, level_distance,
};
use crate::account::{DecisionRole, ManagementMode};
use crate::cadence::{Cadence, State as CadenceState};
use crate::ids::{AccountId, PersonId, UnitId};
use crate::macros::string_enum;

string_enum! {
    /// What a finding is about; the key picks the sentence in the web layer.
    pub enum FindingKind {
        /// A key contact without a current primary counterpart.
        Uncovered = "uncovered",
        /// Their contact ranks higher than our counterpart.
        TheirsAbove = "theirs_above",
        /// Our counterpart ranks higher than their contact.
        OursAbove = "ours_above",
        /// Their assistant/secretariat is served by someone of ours who is not one.
        AssistantUnpaired = "assistant_unpaired",
        /// Our assistant/secretariat serves someone of theirs who is not one.
        AssistantReversed = "assistant_reversed",
        /// One person of ours holds most key contacts.
        BowTie = "bow_tie",
        /// Nobody is responsible for the account, given its management mode.
        NobodyResponsible = "nobody_responsible",
        /// Someone of ours holding a relationship here holds more than their capacity.
        OverCapacity = "over_capacity",
        /// A relationship has not been rated for too long.
        Stale = "stale",
        /// An account in jour-fixe mode that no jour fixe covers, or that no meeting has
        /// discussed in twice the series' interval.
        NoJourFixe = "no_jour_fixe",
        /// Actions agreed on the account are past their due day.
        OverdueActions = "overdue_actions",
    }
}

string_enum! {
    /// How urgent a finding is: a band of its 0–100 severity.
    pub enum Band {
        /// Below 25: worth knowing.
        Info = "info",
        /// 25–49.
        Low = "low",
        /// 50–74.
        Medium = "medium",
        /// 75 and above: act.
        High = "high",
    }
}

impl Band {
    /// The band of a severity 0–100.
    pub fn of(severity: u8) -> Self {
        match severity {
            0..25 => Self::Info,
            25..50 => Self::Low,
            50..75 => Self::Medium,
            _ => Self::High,
        }
    }
}

string_enum! {
    /// The shape of an account's relationships (see the module docs for the rules).
    pub enum Shape {
        /// Many level-matched threads: the goal.
        Diamond = "diamond",
        /// One person of ours holds most key contacts.
        BowTie = "bow_tie",
        /// Neither.
        Mixed = "mixed",
        /// No key contact has a counterpart.
        Empty = "empty",
    }
}

/// What a finding concerns, with the numbers its sentence needs. Serialized with its
/// [`FindingKind`] key as `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingDetail {
    /// A key contact without a current primary counterpart.
    Uncovered {
        /// The partner person.
        contact: PersonId,
        /// Their influence 1–5.
        influence: i64,
        /// Their role in decisions.
        role: DecisionRole,
        /// Their level rank.
        level_rank: Option<i64>,
        /// A deputy of ours who stands in, if any.
        deputy: Option<PersonId>,
    },
    /// Their contact ranks higher than our primary counterpart.
    TheirsAbove {
        /// The partner person.
        contact: PersonId,
        /// Our primary counterpart.
        ours: PersonId,
        /// Their rank.
        their_rank: i64,
        /// Our rank.
        our_rank: i64,
        /// Levels between them, at least 1.
        distance: i64,
    },
    /// Our primary counterpart ranks higher than their contact.
    OursAbove {
        /// The partner person.
        contact: PersonId,
        /// Our primary counterpart.
        ours: PersonId,
        /// Their rank.
        their_rank: i64,
        /// Our rank.
        our_rank: i64,
        /// Levels between them, at least 1.
        distance: i64,
    },
    /// Their assistant/secretariat has a primary who is not an assistant.
    AssistantUnpaired {
        /// Their assistant.
        contact: PersonId,
        /// Our primary counterpart.
        ours: PersonId,
    },
    /// Our assistant/secretariat is the primary of someone who is not an assistant.
    AssistantReversed {
        /// The partner person.
        contact: PersonId,
        /// Our assistant.
        ours: PersonId,
    },
    /// One person of ours holds most key contacts.
    BowTie {
        /// The top holder.
        ours: PersonId,
        /// Key contacts they hold as primary.
        held: usize,
        /// All key contacts of the account.
        contacts: usize,
        /// `held` as a percentage of `contacts`, rounded down.
        share_pct: i64,
        /// The account is in `single_manager` mode: the team chose this shape.
        by_design: bool,
    },
    /// Nobody is responsible, given the mode.
    NobodyResponsible {
        /// The account's mode.
        mode: ManagementMode,
        /// People of ours with a current assignment (primary or deputy) to a key contact.
        counterparts: usize,
        /// The named key account manager.
        manager: Option<PersonId>,
    },
    /// Someone of ours holds more primaries than their capacity.
    OverCapacity {
        /// Who.
        ours: PersonId,
        /// Current primaries, portfolio-wide.
        load: i64,
        /// Their capacity.
        capacity: i64,
    },
    /// The primary pair is overdue for a contact (see [`crate::cadence`]).
    Stale {
        /// The partner person.
        contact: PersonId,
        /// Our primary counterpart.
        ours: PersonId,
        /// The last contact, logged or rated; `None` when never.
        last_contact: Option<NaiveDate>,
        /// Days since that contact, or since the pair began when never in contact.
        days: i64,
        /// The pair's expected contact interval in days.
        limit_days: i64,
    },
    /// In jour-fixe mode, but no running series covers the account, or its last meeting
    /// lies more than twice the series' interval back.
    NoJourFixe {
        /// The last meeting that discussed it, if any.
        last_meeting: Option<NaiveDate>,
        /// The covering series' interval in days, if one covers it.
        interval_days: Option<i64>,
    },
    /// Open actions on the account past their due day.
    OverdueActions {
        /// How many.
        count: i64,
        /// The earliest due day among them.
        oldest_due: NaiveDate,
    },
}

impl FindingDetail {
    /// The kind key.
    pub fn kind(&self) -> FindingKind {
        match self {
            Self::Uncovered { .. } => FindingKind::Uncovered,
            Self::TheirsAbove { .. } => FindingKind::TheirsAbove,
            Self::OursAbove { .. } => FindingKind::OursAbove,
            Self::AssistantUnpaired { .. } => FindingKind::AssistantUnpaired,
            Self::AssistantReversed { .. } => FindingKind::AssistantReversed,
            Self::BowTie { .. } => FindingKind::BowTie,
            Self::NobodyResponsible { .. } => FindingKind::NobodyResponsible,
            Self::OverCapacity { .. } => FindingKind::OverCapacity,
            Self::Stale { .. } => FindingKind::Stale,
            Self::NoJourFixe { .. } => FindingKind::NoJourFixe,
            Self::OverdueActions { .. } => FindingKind::OverdueActions,
        }
    }

    /// The partner person concerned, if the finding is about one.
    pub fn contact(&self) -> Option<PersonId> {
        match self {
            Self::Uncovered { contact, .. }
            | Self::TheirsAbove { contact, .. }
            | Self::OursAbove { contact, .. }
            | Self::AssistantUnpaired { contact, .. }
            | Self::AssistantReversed { contact, .. }
            | Self::Stale { contact, .. } => Some(*contact),
            _ => None,
        }
    }

    /// The person of ours concerned, if the finding is about one.
    pub fn ours(&self) -> Option<PersonId> {
        match self {
            Self::TheirsAbove { ours, .. }
            | Self::OursAbove { ours, .. }
            | Self::AssistantUnpaired { ours, .. }
            | Self::AssistantReversed { ours, .. }
            | Self::BowTie { ours, .. }
            | Self::OverCapacity { ours, .. }
            | Self::Stale { ours, .. } => Some(*ours),
            Self::Uncovered { deputy, .. } => *deputy,
            Self::NobodyResponsible { manager, .. } => *manager,
            Self::NoJourFixe { .. } | Self::OverdueActions { .. } => None,
        }
    }
}

/// One thing the mirror found about an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// 0–100; see the table in the module docs.
    pub severity: u8,
    /// The band of `severity`.
    pub band: Band,
    /// What it is about.
    #[serde(flatten)]
    pub detail: FindingDetail,
}

impl Finding {
    /// A finding with its severity clamped to 0–100 and banded.
    pub fn new(severity: i64, detail: FindingDetail) -> Self {
        let severity = u8::try_from(severity.clamp(0, 100)).unwrap_or(100);
        Self {
            severity,
            band: Band::of(severity),
            detail,
        }
    }

    /// The kind key.
    pub fn kind(&self) -> FindingKind {
        self.detail.kind()
    }
}

/// How the mirror score weighs its parts (any non-negative numbers; they are normalized).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreWeights {
    /// Weight of coverage. Default 50.
    pub coverage: f64,
    /// Weight of level match. Default 30.
    pub level_match: f64,
    /// Weight of thread spread. Default 20.
    pub spread: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        Self {
            coverage: 50.0,
            level_match: 30.0,
            spread: 20.0,
        }
    }
}

impl ScoreWeights {
    /// The weights as used: negative or non-finite weights count as 0, and all zero falls back
    /// to the defaults; then scaled to sum to 100.
    pub fn normalized(&self) -> Self {
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let (c, l, s) = (
            clean(self.coverage),
            clean(self.level_match),
            clean(self.spread),
        );
        let sum = c + l + s;
        if sum <= 0.0 {
            return Self::default();
        }
        Self {
            coverage: 100.0 * c / sum,
            level_match: 100.0 * l / sum,
            spread: 100.0 * s / sum,
        }
    }
}

/// The three parts of the mirror score, each 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreParts {
    /// Influence-weighted share of key contacts with a current primary.
    pub coverage: f64,
    /// Mean level match of the covered contacts.
    pub level_match: f64,
    /// How evenly the covered contacts spread over people of ours.
    pub spread: f64,
}

/// The mirror score with its parts and the counts behind them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MirrorScore {
    /// The weighted mean of the parts, 0–100.
    pub value: f64,
    /// The parts.
    pub parts: ScoreParts,
    /// The weights applied (normalized to sum to 100).
    pub weights: ScoreWeights,
    /// Key contacts.
    pub contacts: usize,
    /// Key contacts with a current primary.
    pub covered: usize,
    /// Sum of all key contacts' influence (1–5 each).
    pub influence_total: i64,
    /// Sum of the covered key contacts' influence.
    pub influence_covered: i64,
    /// Covered contacts at most one level from their primary.
    pub matched: usize,
    /// Covered contacts whose distance is unknown (counted 0.5 in the level match).
    pub unknown_levels: usize,
    /// People of ours holding at least one covered contact.
    pub holders: usize,
    /// Herfindahl index of the covered contacts over the holders, 0–1 (1: one holder).
    pub concentration: f64,
}

/// Counts of current assignments in one cell of the level matrix.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatrixCell {
    /// Primary assignments.
    pub primary: usize,
    /// Deputy assignments.
    pub deputy: usize,
}

impl MatrixCell {
    /// Both kinds together.
    pub fn total(&self) -> usize {
        self.primary + self.deputy
    }

    fn add(&mut self, other: MatrixCell) {
        self.primary += other.primary;
        self.deputy += other.deputy;
    }
}

/// Current assignments of an account's key contacts by (their rank, our rank): the heat map.
/// The diagonal is the mirror.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LevelMatrix {
    /// The axis: the ladder's ranks and every rank found in the data, ascending.
    pub ranks: Vec<i64>,
    /// `cells[t][o]`: their rank `ranks[t]`, ours `ranks[o]`; index `ranks.len()` on either
    /// axis holds unknown levels. Square, `ranks.len() + 1` each way.
    pub cells: Vec<Vec<MatrixCell>>,
}

impl LevelMatrix {
    fn slot(&self, rank: Option<i64>) -> usize {
        rank.and_then(|r| self.ranks.binary_search(&r).ok())
            .unwrap_or(self.ranks.len())
    }

    /// The cell of a pair of ranks (`None`: unknown).
    pub fn cell(&self, theirs: Option<i64>, ours: Option<i64>) -> MatrixCell {
        self.cells[self.slot(theirs)][self.slot(ours)]
    }

    /// Assignments between equal known ranks.
    pub fn diagonal(&self) -> MatrixCell {
        let mut sum = MatrixCell::default();
        for i in 0..self.ranks.len() {
            sum.add(self.cells[i][i]);
        }
        sum
    }

    /// All assignments counted.
    pub fn total(&self) -> MatrixCell {
        let mut sum = MatrixCell::default();
        for cell in self.cells.iter().flatten() {
            sum.add(*cell);
        }
        sum
    }
}

/// A person of ours and how many key contacts of the account they hold as primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ThreadHolder {
    /// Who.
    pub ours: PersonId,
    /// Key contacts held as primary.
    pub contacts: usize,
}

/// The mirror analysis of one account.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountAnalysis {
    /// The account.
    pub account_id: AccountId,
    /// Its importance, copied for the roll-ups.
    pub importance: Option<f64>,
    /// Its shape.
    pub shape: Shape,
    /// The scores.
    pub score: MirrorScore,
    /// The findings, most severe first (then by kind, partner person, person of ours).
    pub findings: Vec<Finding>,
    /// The level × level matrix.
    pub matrix: LevelMatrix,
    /// Who holds the threads, most first (ties by id).
    pub holders: Vec<ThreadHolder>,
}

impl AccountAnalysis {
    /// How many findings fall in a band.
    pub fn count(&self, band: Band) -> usize {
        self.findings.iter().filter(|f| f.band == band).count()
    }
}

/// An account's mirror in brief: its score and shape and its most severe findings. The
/// mirror job stores it with the score, so that the pages showing it (the account page, the
/// briefing) do not analyse the account again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MirrorBrief {
    /// The mirror score with its parts.
    pub score: MirrorScore,
    /// The shape of the two hierarchies.
    pub shape: Shape,
    /// The [`MirrorBrief::FINDINGS`] most severe findings, most severe first.
    pub top: Vec<Finding>,
    /// Findings not among them.
    pub more: usize,
}

impl MirrorBrief {
    /// Findings a brief names.
    pub const FINDINGS: usize = 3;

    /// The brief of an analysis.
    pub fn of(analysis: &AccountAnalysis) -> Self {
        let mut top = analysis.findings.clone();
        // Stable: equal ones keep the analysis' order.
        top.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let more = top.len().saturating_sub(Self::FINDINGS);
        top.truncate(Self::FINDINGS);
        Self {
            score: analysis.score.clone(),
            shape: analysis.shape,
            top,
            more,
        }
    }
}

/// Analyzes one account. `people` must hold at least our people named in its assignments (the
/// others are ignored).
pub fn analyze_account(
    account: &MirrorAccount,
    people: &[OurPerson],
    settings: &Settings,
) -> AccountAnalysis {
    analyze(account, &Staff::new(people), settings)
}

/// The key contacts of an account, each person once (the higher influence wins), in input order.
pub(crate) fn unique_contacts(account: &MirrorAccount) -> Vec<MirrorContact> {
    let mut position: HashMap<PersonId, usize> = HashMap::with_capacity(account.contacts.len());
    let mut out: Vec<MirrorContact> = Vec::with_capacity(account.contacts.len());
    for c in &account.contacts {
        match position.get(&c.person_id) {
            Some(&i) => {
                if c.influence > out[i].influence {
                    out[i].influence = c.influence;
                }
            }
            None => {
                position.insert(c.person_id, out.len());
                out.push(c.clone());
            }
        }
    }
    out
}

pub(crate) fn analyze(
    account: &MirrorAccount,
    staff: &Staff<'_>,
    settings: &Settings,
) -> AccountAnalysis {
    analyze_with(account, staff, settings, true)
}

/// Only the mirror score (no findings, no matrix): what a suggestion run needs to predict the
/// score of thousands of accounts.
pub(crate) fn score_only(account: &MirrorAccount, staff: &Staff<'_>, settings: &Settings) -> f64 {
    analyze_with(account, staff, settings, false).score.value
}

/// The analysis; without `detail` the findings stay empty and the matrix is left out, and only
/// the scores, shape and holders are meaningful.
fn analyze_with(
    account: &MirrorAccount,
    staff: &Staff<'_>,
    settings: &Settings,
    detail: bool,
) -> AccountAnalysis {
    let contacts = unique_contacts(account);
    let assigned = assignments_by_contact(account, &contacts);
    let mut findings = Vec::new();
    let (counts, held) = count_primaries(
        (&contacts, &assigned),
        account.tier,
        staff,
        settings,
        detail,
        &mut findings,
    );
    let holders = thread_holders(&held);
    let n = contacts.len();
    let bow_tie = bow_tie_holder(&holders, n, settings);
    if detail {
        if let Some(top) = bow_tie {
            findings.push(bow_tie_finding(account, top, n));
        }
        findings.extend(responsibility_findings(account, &assigned, staff));
        findings.extend(jour_fixe_findings(account, settings.today));
        sort_findings(&mut findings);
    }
    let shape = shape(&counts, bow_tie.is_some(), holders.len());
    let score = mirror_score(settings, counts, &holders);
    AccountAnalysis {
        account_id: account.id,
        importance: account.importance,
        shape,
        score,
        findings,
        matrix: if detail {
            level_matrix(settings, &contacts, &assigned, staff)
        } else {
            LevelMatrix {
                ranks: Vec::new(),
                cells: Vec::new(),
            }
        },
        holders,
    }
}

/// Counts the contacts and their primaries for the scores, and how many primaries each person
/// of ours holds; with `detail`, adds the findings of each contact: uncovered, a level gap, a
/// function mismatch, a stale relationship.
fn count_primaries(
    (contacts, assigned): (&[MirrorContact], &[PartnerAssignments<'_>]),
    tier: Option<crate::importance::Tier>,
    staff: &Staff<'_>,
    settings: &Settings,
    detail: bool,
    findings: &mut Vec<Finding>,
) -> (Counts, BTreeMap<PersonId, usize>) {
    let mut k = Counts {
        contacts: contacts.len(),
        covered: 0,
        influence_total: 0,
        influence_covered: 0,
        matched: 0,
        unknown_levels: 0,
        level_sum: 0.0,
    };
    let mut held: BTreeMap<PersonId, usize> = BTreeMap::new();
    for (c, a) in contacts.iter().zip(assigned) {
        k.influence_total += c.weight();
        let Some(primary) = a.primary else {
            if detail {
                findings.push(uncovered(c, a));
            }
            continue;
        };
        k.covered += 1;
        k.influence_covered += c.weight();
        *held.entry(primary.our_id).or_default() += 1;
        let ours = staff.get(primary.our_id);
        let our_rank = ours.and_then(|o| o.level_rank);
        match level_distance(c.level_rank, our_rank) {
            Some(d) => {
                k.level_sum += (1.0 - d as f64 / LEVEL_SPAN as f64).clamp(0.0, 1.0);
                if d <= 1 {
                    k.matched += 1;
                }
                if let (Some(their_rank), Some(our_rank)) = (c.level_rank, our_rank)
                    && d > 0
                    && detail
                {
                    findings.push(level_gap(
                        c.person_id,
                        primary.our_id,
                        their_rank,
                        our_rank,
                        d,
                    ));
                }
            }
            None => {
                k.level_sum += 0.5;
                k.unknown_levels += 1;
            }
        }
        if let Some(o) = ours
            && detail
        {
            findings.extend(function_mismatch(c, o, primary.our_id));
        }
        if detail && let Some(f) = stale(c, primary, tier, settings.today) {
            findings.push(f);
        }
    }
    (k, held)
}

/// A primary at another level than their contact: who is above, and by how many levels.
fn level_gap(
    contact: PersonId,
    ours: PersonId,
    their_rank: i64,
    our_rank: i64,
    distance: i64,
) -> Finding {
    let detail = if their_rank < our_rank {
        FindingDetail::TheirsAbove {
            contact,
            ours,
            their_rank,
            our_rank,
            distance,
        }
    } else {
        FindingDetail::OursAbove {
            contact,
            ours,
            their_rank,
            our_rank,
            distance,
        }
    };
    Finding::new(25 * distance, detail)
}

/// A primary pair where exactly one is an assistant/secretariat.
fn function_mismatch(c: &MirrorContact, o: &OurPerson, ours: PersonId) -> Option<Finding> {
    let contact = c.person_id;
    if c.is_assistant && !o.is_assistant {
        Some(Finding::new(
            40,
            FindingDetail::AssistantUnpaired { contact, ours },
        ))
    } else if !c.is_assistant && o.is_assistant {
        Some(Finding::new(
            40,
            FindingDetail::AssistantReversed { contact, ours },
        ))
    } else {
        None
    }
}

/// Who holds the threads (primaries), most first, ties by id.
fn thread_holders(held: &BTreeMap<PersonId, usize>) -> Vec<ThreadHolder> {
    let mut holders: Vec<ThreadHolder> = held
        .iter()
        .map(|(&ours, &contacts)| ThreadHolder { ours, contacts })
        .collect();
    holders.sort_by(|a, b| b.contacts.cmp(&a.contacts).then(a.ours.cmp(&b.ours)));
    holders
}

/// The top holder when they hold enough of the `contacts` key contacts to make a bow tie.
fn bow_tie_holder<'h>(
    holders: &'h [ThreadHolder],
    contacts: usize,
    settings: &Settings,
) -> Option<&'h ThreadHolder> {
    holders.first().filter(|top| {
        top.contacts >= settings.bow_tie_min.max(1)
            && 100 * top.contacts as i64 >= settings.bow_tie_share_pct * contacts as i64
    })
}

/// The bow tie finding: low when the account is single-manager by design.
fn bow_tie_finding(account: &MirrorAccount, top: &ThreadHolder, contacts: usize) -> Finding {
    let share_pct = (100 * top.contacts / contacts.max(1)) as i64;
    let by_design = account.mode == ManagementMode::SingleManager;
    let severity = if by_design {
        10
    } else {
        share_pct.clamp(50, 100)
    };
    Finding::new(
        severity,
        FindingDetail::BowTie {
            ours: top.ours,
            held: top.contacts,
            contacts,
            share_pct,
            by_design,
        },
    )
}

/// Findings of the jour fixe: an account managed by jour fixe needs one that meets (the
/// "nobody responsible" rule of that mode, extended), and actions agreed on any account are
/// done by their day.
fn jour_fixe_findings(account: &MirrorAccount, today: NaiveDate) -> Vec<Finding> {
    let jf = &account.jour_fixe;
    let mut findings = Vec::new();
    if account.mode == ManagementMode::JourFixe {
        let lapsed = match (jf.interval_days, jf.last_meeting) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(every), Some(last)) => (today - last).num_days() > 2 * every,
        };
        if lapsed {
            findings.push(Finding::new(
                if jf.interval_days.is_none() { 70 } else { 55 },
                FindingDetail::NoJourFixe {
                    last_meeting: jf.last_meeting,
                    interval_days: jf.interval_days,
                },
            ));
        }
    }
    if let (n @ 1.., Some(oldest)) = (jf.overdue_actions, jf.oldest_overdue) {
        let weeks = (today - oldest).num_days() / 7;
        findings.push(Finding::new(
            30 + 5 * (n - 1).min(4) + 5 * weeks.min(6),
            FindingDetail::OverdueActions {
                count: n,
                oldest_due: oldest,
            },
        ));
    }
    findings
}

/// Findings about who answers for the account: nobody responsible (as the account's mode
/// defines it), and everyone of ours assigned to a key contact (either kind) who holds more
/// than their capacity.
fn responsibility_findings(
    account: &MirrorAccount,
    assigned: &[PartnerAssignments<'_>],
    staff: &Staff<'_>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut counterparts: Vec<PersonId> = assigned
        .iter()
        .flat_map(|a| a.all.iter().map(|x| x.our_id))
        .collect();
    counterparts.sort_unstable();
    counterparts.dedup();
    let nobody = match account.mode {
        ManagementMode::Hierarchical => counterparts.is_empty(),
        ManagementMode::SingleManager => account.manager_id.is_none(),
        ManagementMode::JourFixe => counterparts.is_empty() && account.manager_id.is_none(),
    };
    if nobody {
        findings.push(Finding::new(
            80,
            FindingDetail::NobodyResponsible {
                mode: account.mode,
                counterparts: counterparts.len(),
                manager: account.manager_id,
            },
        ));
    }
    for &id in &counterparts {
        if let Some(p) = staff.get(id) {
            let capacity = p.capacity();
            if p.load() > capacity {
                findings.push(Finding::new(
                    50 + 10 * (p.load() - capacity),
                    FindingDetail::OverCapacity {
                        ours: id,
                        load: p.load(),
                        capacity,
                    },
                ));
            }
        }
    }
    findings
}

/// Most severe first, then by kind, partner person and person of ours.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind().cmp(&b.kind()))
            .then(a.detail.contact().cmp(&b.detail.contact()))
            .then(a.detail.ours().cmp(&b.detail.ours()))
    });
}

/// The account's shape (see "Shape" in the module docs).
fn shape(k: &Counts, bow_tie: bool, holders: usize) -> Shape {
    if k.covered == 0 {
        Shape::Empty
    } else if bow_tie {
        Shape::BowTie
    } else if holders >= 2 && 2 * k.matched >= k.contacts {
        Shape::Diamond
    } else {
        Shape::Mixed
    }
}

fn uncovered(c: &MirrorContact, a: &PartnerAssignments<'_>) -> Finding {
    let seniority = c.level_rank.map_or(2, |r| (5 - r).clamp(0, 4));
    let deputy = a.deputy.map(|d| d.our_id);
    let severity =
        20 + 10 * (c.weight() - 1) + 10 * seniority - if deputy.is_some() { 20 } else { 0 };
    Finding::new(
        severity,
        FindingDetail::Uncovered {
            contact: c.person_id,
            influence: c.weight(),
            role: c.role,
            level_rank: c.level_rank,
            deputy,
        },
    )
}

/// A primary pair overdue for a contact.
fn stale(
    c: &MirrorContact,
    a: &super::CurrentAssignment,
    tier: Option<crate::importance::Tier>,
    today: NaiveDate,
) -> Option<Finding> {
    let cadence = Cadence::on(
        today,
        a.valid_from,
        a.last_contact,
        a.contact_every_days,
        c.level_rank,
        tier,
    );
    (cadence.state == CadenceState::Overdue).then(|| {
        Finding::new(
            (25 * cadence.days / cadence.every_days).clamp(25, 75),
            FindingDetail::Stale {
                contact: c.person_id,
                ours: a.our_id,
                last_contact: cadence.last_contact,
                days: cadence.days,
                limit_days: cadence.every_days,
            },
        )
    })
}

/// The counts the scores are computed from.
struct Counts {
    contacts: usize,
    covered: usize,
    influence_total: i64,
    influence_covered: i64,
    matched: usize,
    unknown_levels: usize,
    level_sum: f64,
}

fn mirror_score(settings: &Settings, k: Counts, holders: &[ThreadHolder]) -> MirrorScore {
    let coverage = if k.influence_total > 0 {
        100.0 * k.influence_covered as f64 / k.influence_total as f64
    } else {
        0.0
    };
    let level_match = if k.covered > 0 {
        100.0 * k.level_sum / k.covered as f64
    } else {
        0.0
    };
    let n = k.covered as f64;
    let concentration = if k.covered > 0 {
        holders
            .iter()
            .map(|h| (h.contacts as f64 / n).powi(2))
            .sum::<f64>()
    } else {
        0.0
    };
    let spread = match k.covered {
        0 => 0.0,
        1 => 100.0,
        _ => (100.0 * (1.0 - concentration) / (1.0 - 1.0 / n)).clamp(0.0, 100.0),
    };
    let weights = settings.weights.normalized();
    let value = ((weights.coverage * coverage
        + weights.level_match * level_match
        + weights.spread * spread)
        / 100.0)
        .clamp(0.0, 100.0);
    MirrorScore {
        value,
        parts: ScoreParts {
            coverage,
            level_match,
            spread,
        },
        weights,
        contacts: k.contacts,
        covered: k.covered,
        influence_total: k.influence_total,
        influence_covered: k.influence_covered,
        matched: k.matched,
        unknown_levels: k.unknown_levels,
        holders: holders.len(),
        concentration,
    }
}

fn level_matrix(
    settings: &Settings,
    contacts: &[MirrorContact],
    assigned: &[PartnerAssignments<'_>],
    staff: &Staff<'_>,
) -> LevelMatrix {
    let mut ranks = settings.ranks.clone();
    for (c, a) in contacts.iter().zip(assigned) {
        ranks.extend(c.level_rank);
        ranks.extend(
            a.all
                .iter()
                .filter_map(|x| staff.get(x.our_id).and_then(|o| o.level_rank)),
        );
    }
    ranks.sort_unstable();
    ranks.dedup();
    let size = ranks.len() + 1;
    let mut matrix = LevelMatrix {
        ranks,
        cells: vec![vec![MatrixCell::default(); size]; size],
    };
    for (c, a) in contacts.iter().zip(assigned) {
        let t = matrix.slot(c.level_rank);
        for x in &a.all {
            let o = matrix.slot(staff.get(x.our_id).and_then(|p| p.level_rank));
            let cell = &mut matrix.cells[t][o];
            match x.kind {
                crate::account::AssignmentKind::Primary => cell.primary += 1,
                crate::account::AssignmentKind::Deputy => cell.deputy += 1,
            }
        }
    }
    matrix
}

/// Counts of findings per band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BandCounts {
    /// Info.
    pub info: usize,
    /// Low.
    pub low: usize,
    /// Medium.
    pub medium: usize,
    /// High.
    pub high: usize,
}

impl BandCounts {
    fn add(&mut self, band: Band) {
        match band {
            Band::Info => self.info += 1,
            Band::Low => self.low += 1,
            Band::Medium => self.medium += 1,
            Band::High => self.high += 1,
        }
    }

    /// All bands together.
    pub fn total(&self) -> usize {
        self.info + self.low + self.medium + self.high
    }
}

/// Findings of one kind, per band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// The kind.
    pub kind: FindingKind,
    /// Its findings per band.
    pub counts: BandCounts,
}

/// Accounts per shape.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ShapeCounts {
    /// Diamonds.
    pub diamond: usize,
    /// Bow ties.
    pub bow_tie: usize,
    /// Mixed.
    pub mixed: usize,
    /// Empty.
    pub empty: usize,
}

/// A group of accounts summed up.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rollup {
    /// Accounts.
    pub accounts: usize,
    /// Their key contacts (counted per account).
    pub contacts: usize,
    /// Mean mirror score; `None` without accounts.
    pub mean_score: Option<f64>,
    /// Mirror score weighted by importance, over the accounts with a positive importance;
    /// `None` when there are none.
    pub weighted_score: Option<f64>,
    /// Accounts per shape.
    pub shapes: ShapeCounts,
    /// Findings per kind and band, every kind in [`FindingKind::ALL`] order. A person of ours
    /// over capacity counts once per account they serve in.
    pub findings: Vec<KindCount>,
    /// Findings per band, all kinds together.
    pub bands: BandCounts,
}

/// Sums up any group of analyzed accounts.
pub fn rollup<'a>(analyses: impl IntoIterator<Item = &'a AccountAnalysis>) -> Rollup {
    let mut r = Rollup {
        accounts: 0,
        contacts: 0,
        mean_score: None,
        weighted_score: None,
        shapes: ShapeCounts::default(),
        findings: FindingKind::ALL
            .iter()
            .map(|&kind| KindCount {
                kind,
                counts: BandCounts::default(),
            })
            .collect(),
        bands: BandCounts::default(),
    };
    let (mut sum, mut weighted, mut weights) = (0.0, 0.0, 0.0);
    for a in analyses {
        r.accounts += 1;
        r.contacts += a.score.contacts;
        sum += a.score.value;
        if let Some(w) = a.importance.filter(|w| w.is_finite() && *w > 0.0) {
            weighted += w * a.score.value;
            weights += w;
        }
        match a.shape {
            Shape::Diamond => r.shapes.diamond += 1,
            Shape::BowTie => r.shapes.bow_tie += 1,
            Shape::Mixed => r.shapes.mixed += 1,
            Shape::Empty => r.shapes.empty += 1,
        }
        for f in &a.findings {
            // FindingKind::ALL is in declaration order, so the kind's position is its index.
            if let Some(k) = r.findings.iter_mut().find(|k| k.kind == f.kind()) {
                k.counts.add(f.band);
            }
            r.bands.add(f.band);
        }
    }
    if r.accounts > 0 {
        r.mean_score = Some(sum / r.accounts as f64);
    }
    if weights > 0.0 {
        r.weighted_score = Some(weighted / weights);
    }
    r
}

/// The roll-up of one unit of ours: the accounts whose responsible unit is it or lies below it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitRollup {
    /// The unit.
    pub unit_id: UnitId,
    /// Its accounts summed up.
    pub rollup: Rollup,
}

/// An account's place in the attention list.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Attention {
    /// The account.
    pub account_id: AccountId,
    /// [`attention`] of the account; higher first.
    pub value: f64,
    /// Its importance, if rated.
    pub importance: Option<f64>,
    /// Its mirror score.
    pub mirror_score: f64,
    /// Its High findings.
    pub high: usize,
    /// Its Medium findings.
    pub medium: usize,
}

/// How much an account needs attention (see the module docs):
/// `(0.5 + importance / 100) × ((100 − mirror score) + 10 × high + 3 × medium)`, importance
/// clamped to 0–100 and 50 when unrated.
pub fn attention(importance: Option<f64>, mirror_score: f64, high: usize, medium: usize) -> f64 {
    let importance = importance
        .filter(|i| i.is_finite())
        .unwrap_or(50.0)
        .clamp(0.0, 100.0);
    (0.5 + importance / 100.0)
        * ((100.0 - mirror_score.clamp(0.0, 100.0)) + 10.0 * high as f64 + 3.0 * medium as f64)
}

/// The accounts ordered by [`attention`], highest first (ties: lower mirror score, then id).
pub fn attention_list(analyses: &[AccountAnalysis]) -> Vec<Attention> {
    let mut list: Vec<Attention> = analyses
        .iter()
        .map(|a| {
            let (high, medium) = (a.count(Band::High), a.count(Band::Medium));
            Attention {
                account_id: a.account_id,
                value: attention(a.importance, a.score.value, high, medium),
                importance: a.importance,
                mirror_score: a.score.value,
                high,
                medium,
            }
        })
        .collect();
    list.sort_by(|a, b| {
        b.value
            .total_cmp(&a.value)
            .then(a.mirror_score.total_cmp(&b.mirror_score))
            .then(a.account_id.cmp(&b.account_id))
    });
    list
}

/// The whole portfolio analyzed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioAnalysis {
    /// Every account, in input order.
    pub accounts: Vec<AccountAnalysis>,
    /// All accounts summed up.
    pub portfolio: Rollup,
    /// One roll-up per unit of ours, in the order of [`MirrorInput::units`] (units without
    /// accounts included, with zero counts).
    pub units: Vec<UnitRollup>,
    /// The accounts by attention, highest first.
    pub attention: Vec<Attention>,
}

/// Analyzes every account of the input and rolls them up per unit and portfolio-wide.
pub fn analyze_portfolio(input: &MirrorInput, settings: &Settings) -> PortfolioAnalysis {
    let staff = Staff::new(&input.people);
    let accounts: Vec<AccountAnalysis> = input
        .accounts
        .iter()
        .map(|a| analyze(a, &staff, settings))
        .collect();
    let tree = UnitTree::new(&input.units);
    let mut members: HashMap<UnitId, Vec<usize>> = HashMap::new();
    for (i, a) in input.accounts.iter().enumerate() {
        if let Some(unit) = a.responsible_unit_id {
            for u in tree.self_and_ancestors(unit) {
                members.entry(u).or_default().push(i);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    let units = input
        .units
        .iter()
        .filter(|u| seen.insert(u.id))
        .map(|u| UnitRollup {
            unit_id: u.id,
            rollup: rollup(
                members
                    .get(&u.id)
                    .into_iter()
                    .flatten()
                    .map(|&i| &accounts[i]),
            ),
        })
        .collect();
    PortfolioAnalysis {
        portfolio: rollup(&accounts),
        units,
        attention: attention_list(&accounts),
        accounts,
    }
}
