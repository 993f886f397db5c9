//! The mirror: an account's hierarchy beside ours with its findings and score, the portfolio
//! roll-up (`portfolio.rs`), the optimal counterpart suggestions with accept, keep and never
//! (`suggestions.rs`), and the capacity of our people.
//!
//! Analysis and suggestion run on the blocking thread pool ([`blocking`]): a portfolio-wide
//! suggestion takes seconds at enterprise scale and must not hold up the async threads.

mod portfolio;
mod suggestions;

use std::collections::HashMap;

use chrono::NaiveDate;
use counterpart_core::account::AssignmentKind;
use counterpart_core::ids::{AccountId, AssignmentId, PersonId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{
    AccountAnalysis, Finding, MirrorBrief, MirrorScore, PortfolioAnalysis, Shape, analyze_portfolio,
};
use counterpart_core::mirror::suggest::{Scope, Suggestions};
use counterpart_core::mirror::view::{Geometry, MirrorView, layout};
use counterpart_core::mirror::{Settings, default_capacity};
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::Person;
use counterpart_core::validate::{FieldErrors, Problem};
use counterpart_store::{LockView, PersonLabel};

use crate::computed::Computed;
use crate::error::{Error, Result};
use crate::work::blocking;
use crate::{App, Principal};

pub use portfolio::{AttentionEntry, PortfolioMirror, UnitRollupLine};
pub use suggestions::{Acceptance, Picked, SHOWN_PROPOSALS, SuggestionList};

/// The portfolio-wide results kept between requests while the data are unchanged: each
/// for what it was worked out for — its unit (or the whole portfolio), the accounts hidden
/// from the reader, the day (the analysis counts days since contacts) and, for suggestions,
/// whether deputies were asked for.
#[derive(Debug, Default)]
pub(crate) struct PortfolioResults {
    /// The mirror analysis of every account in view.
    analyses: Computed<(Option<UnitId>, Vec<AccountId>, NaiveDate), PortfolioAnalysis>,
    /// The suggestions over a unit's accounts or the whole portfolio.
    suggestions: Computed<(Scope, bool, Vec<AccountId>, NaiveDate), Suggestions>,
}

/// The most counterparts anyone can be given.
pub const MAX_CAPACITY: i64 = 500;

/// The analysis settings as of today.
fn settings() -> Settings {
    Settings::new(counterpart_store::now().date_naive())
}

/// The people an analysis names: in its findings, and the holders of its threads.
fn finding_people(analysis: &AccountAnalysis) -> impl Iterator<Item = PersonId> + '_ {
    analysis
        .findings
        .iter()
        .flat_map(|f| [f.detail.contact(), f.detail.ours()])
        .flatten()
        .chain(analysis.holders.iter().map(|h| h.ours))
}

/// An analysis' findings, most severe first (equal ones in the analysis' order).
fn by_severity(analysis: &AccountAnalysis) -> Vec<Finding> {
    let mut findings = analysis.findings.clone();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    findings
}

/// The mirror of one account in brief, for the account page.
#[derive(Clone, Debug)]
pub struct MirrorSummary {
    /// The mirror score with its parts.
    pub score: MirrorScore,
    /// The shape of the two hierarchies.
    pub shape: Shape,
    /// The most severe findings, most severe first.
    pub top: Vec<Finding>,
    /// Findings not among them.
    pub more: usize,
    /// The people the findings name.
    pub labels: HashMap<PersonId, PersonLabel>,
}

/// One cell of the level × level heat map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeatCell {
    /// Current assignments between the two levels.
    pub count: usize,
    /// Of them deputies.
    pub deputies: usize,
    /// 0 (none) to 4 (the most of the account).
    pub heat: usize,
    /// Whether the levels are the same known level: the mirror.
    pub diagonal: bool,
}

/// The level × level heat map of an account: their level down, ours across.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heatmap {
    /// The ranks of both axes, top first; `None` (level unknown) only when used.
    pub axis: Vec<Option<i64>>,
    /// One row per rank of theirs on the axis, one cell per rank of ours.
    pub rows: Vec<Vec<HeatCell>>,
}

impl Heatmap {
    /// The heat map of an analysis' level matrix.
    fn of(analysis: &AccountAnalysis) -> Self {
        let m = &analysis.matrix;
        let unknown_used = m.cells[m.ranks.len()].iter().any(|c| c.total() > 0)
            || m.cells.iter().any(|row| row[m.ranks.len()].total() > 0);
        let axis: Vec<Option<i64>> = m
            .ranks
            .iter()
            .map(|r| Some(*r))
            .chain(unknown_used.then_some(None))
            .collect();
        let max = m
            .cells
            .iter()
            .flatten()
            .map(|c| c.total())
            .max()
            .unwrap_or(0)
            .max(1);
        let rows = axis
            .iter()
            .map(|theirs| {
                axis.iter()
                    .map(|ours| {
                        let c = m.cell(*theirs, *ours);
                        let heat = if c.total() == 0 {
                            0
                        } else {
                            1 + 3 * c.total() / max
                        };
                        HeatCell {
                            count: c.total(),
                            deputies: c.deputy,
                            heat: heat.min(4),
                            diagonal: theirs.is_some() && theirs == ours,
                        }
                    })
                    .collect()
            })
            .collect();
        Self { axis, rows }
    }
}

/// The mirror page of an account: analysis, findings, heat map, the picture, the trend.
#[derive(Clone, Debug)]
pub struct AccountMirror {
    /// The account.
    pub account: counterpart_core::account::Account,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// The analysis; `None` for a deactivated account.
    pub analysis: Option<AccountAnalysis>,
    /// Its findings, most severe first.
    pub findings: Vec<Finding>,
    /// Its level × level heat map.
    pub heatmap: Option<Heatmap>,
    /// The picture of both hierarchies.
    pub view: Option<MirrorView>,
    /// The people the picture and the findings name.
    pub labels: HashMap<PersonId, PersonLabel>,
    /// The current assignment of each (partner, ours) pair drawn, for links.
    pub links: HashMap<(PersonId, PersonId), AssignmentId>,
    /// The mirror score over time.
    pub history: Vec<(NaiveDate, f64)>,
}

/// The capacity of one of ours: what is set, the default of their level, primaries held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CapacityFacts {
    /// Counterparts they can hold, if set.
    pub set: Option<i64>,
    /// The default of their level.
    pub default: i64,
    /// Partner people they hold as primary now.
    pub held: usize,
}

impl App {
    /// The mirror of one account in brief; `None` for a deactivated account. Read as the
    /// mirror job stored it with the score (every change runs the job before its answer, and
    /// every account is analysed again once a day); analysed here only when it has not been
    /// stored yet.
    pub(crate) async fn mirror_summary(&self, id: AccountId) -> Result<Option<MirrorSummary>> {
        let brief = match self.store.mirror_brief(id).await? {
            Some(brief) => brief,
            None => {
                let input = self.store.mirror_input(Some(id)).await?;
                let analysis = blocking(move || {
                    analyze_portfolio(&input, &settings())
                        .accounts
                        .into_iter()
                        .next()
                })
                .await?;
                let Some(analysis) = analysis else {
                    return Ok(None);
                };
                MirrorBrief::of(&analysis)
            }
        };
        let wanted: Vec<PersonId> = brief
            .top
            .iter()
            .flat_map(|f| [f.detail.contact(), f.detail.ours()])
            .flatten()
            .collect();
        let labels = self.store.person_labels(&wanted).await?;
        Ok(Some(MirrorSummary {
            score: brief.score,
            shape: brief.shape,
            top: brief.top,
            more: brief.more,
            labels,
        }))
    }

    /// The mirror page of an account.
    pub async fn account_mirror(&self, who: &Principal, id: AccountId) -> Result<AccountMirror> {
        let account = self.visible_account(who, id).await?;
        let levels = self.store.levels().await?;
        let input = self.store.mirror_input(Some(id)).await?;
        let (analysis, view) = blocking(move || {
            let analysis = analyze_portfolio(&input, &settings())
                .accounts
                .into_iter()
                .next();
            let view = input
                .accounts
                .first()
                .map(|a| layout(a, &input.people, &Geometry::default()));
            (analysis, view)
        })
        .await?;
        let mut wanted: Vec<PersonId> = Vec::new();
        if let Some(view) = &view {
            wanted.extend(view.theirs.iter().chain(&view.ours).map(|n| n.person_id));
        }
        if let Some(a) = &analysis {
            wanted.extend(finding_people(a));
        }
        let labels = self.store.person_labels(&wanted).await?;
        let links = self
            .store
            .current_assignments_of_account(id)
            .await?
            .into_iter()
            .map(|(assignment, partner, ours)| ((partner, ours), assignment))
            .collect();
        let history = self
            .store
            .mirror_history(id)
            .await?
            .into_iter()
            .map(|(at, score)| (at.date_naive(), score))
            .collect();
        Ok(AccountMirror {
            account,
            levels,
            findings: analysis.as_ref().map(by_severity).unwrap_or_default(),
            heatmap: analysis.as_ref().map(Heatmap::of),
            analysis,
            view,
            labels,
            links,
            history,
        })
    }

    /// The capacity facts of one of ours, for the person page.
    pub(crate) async fn capacity_facts(
        &self,
        who: &Principal,
        person: &Person,
        levels: &[Level],
    ) -> Result<CapacityFacts> {
        let seen = self.visibility(who).await?;
        let rank = levels
            .iter()
            .find(|l| Some(l.id) == person.level_id)
            .map(|l| l.rank);
        let held = self
            .store
            .counterparts_held_by(person.id, false, &seen)
            .await?
            .iter()
            .filter(|c| c.assignment.kind == AssignmentKind::Primary)
            .count();
        Ok(CapacityFacts {
            set: self.store.capacity(person.id).await?,
            default: default_capacity(rank),
            held,
        })
    }

    /// Sets how many counterparts one of ours can hold, as typed: empty for the default of
    /// their level, else 0 to [`MAX_CAPACITY`]. Partner people have no capacity of ours.
    pub async fn set_capacity(&self, who: &Principal, person: PersonId, typed: &str) -> Result<()> {
        who.may_edit()?;
        let person = self.store.person(person).await?;
        let organization = self.store.organization(person.organization_id).await?;
        if organization.kind != OrganizationKind::Own {
            return Err(Error::NotApplicable);
        }
        let typed = typed.trim();
        let capacity = if typed.is_empty() {
            None
        } else {
            match typed.parse::<i64>() {
                Ok(n) if (0..=MAX_CAPACITY).contains(&n) => Some(n),
                _ => {
                    let problem = Problem::OutOfRange {
                        min: 0,
                        max: MAX_CAPACITY,
                    };
                    return Err(FieldErrors::single("capacity", problem).into());
                }
            }
        };
        Ok(self
            .store
            .set_capacity(&who.actor(), person.id, capacity)
            .await?)
    }

    /// The keep/never locks, by partner person and ours: every one, or those on the key
    /// contacts of one account (as its suggestions list them).
    pub async fn locks(
        &self,
        _who: &Principal,
        account: Option<AccountId>,
    ) -> Result<Vec<LockView>> {
        let mut locks = match account {
            Some(account) => {
                self.store.account(account).await?;
                self.store.locks_on_accounts(&[account]).await?
            }
            None => self.store.locks().await?,
        };
        locks.sort_by_key(|l| (l.partner_id, l.our_id));
        Ok(locks)
    }

    /// The lock on a pair.
    pub async fn lock(
        &self,
        _who: &Principal,
        partner: PersonId,
        ours: PersonId,
    ) -> Result<LockView> {
        self.store.lock(partner, ours).await?.ok_or(Error::NotFound)
    }

    /// Locks a pair that has no lock yet: `keep` the pair in every suggestion, or `never`
    /// propose it. `our_id` must be one of ours other than the partner; a pair that has a
    /// lock already is refused naming `our_id` (remove it first).
    pub async fn create_lock(
        &self,
        who: &Principal,
        partner: PersonId,
        ours: PersonId,
        keep: bool,
    ) -> Result<LockView> {
        who.may_edit()?;
        let mut errors = FieldErrors::default();
        if let Err(e) = self.store.person(partner).await {
            match e {
                counterpart_store::StoreError::NotFound { .. } => {
                    errors.add("partner_id", Problem::NotFound);
                }
                other => return Err(other.into()),
            }
        }
        match self.store.person(ours).await {
            Ok(person) => {
                let organization = self.store.organization(person.organization_id).await?;
                if organization.kind != OrganizationKind::Own {
                    errors.add("our_id", Problem::NotOwnOrganization);
                } else if ours == partner {
                    errors.add("our_id", Problem::SelfReference);
                }
            }
            Err(counterpart_store::StoreError::NotFound { .. }) => {
                errors.add("our_id", Problem::NotFound);
            }
            Err(e) => return Err(e.into()),
        }
        errors.into_result(|| ())?;
        self.store
            .change_lock(&who.actor(), partner, ours, None, Some(keep))
            .await?;
        self.lock(who, partner, ours).await
    }

    /// Lifts the lock on a pair, if it is still the rule the principal saw (`seen_keep`).
    pub async fn remove_lock(
        &self,
        who: &Principal,
        partner: PersonId,
        ours: PersonId,
        seen_keep: bool,
    ) -> Result<()> {
        who.may_edit()?;
        Ok(self
            .store
            .change_lock(&who.actor(), partner, ours, Some(seen_keep), None)
            .await?)
    }

    /// Sets (`Some(true)` keep, `Some(false)` never) or lifts (`None`) a lock on a pair of a
    /// partner person and one of ours, for the suggestions.
    pub async fn set_lock(
        &self,
        who: &Principal,
        partner: PersonId,
        ours: PersonId,
        keep: Option<bool>,
    ) -> Result<()> {
        who.may_edit()?;
        self.may_see_pairs_of(who, partner).await?;
        Ok(self
            .store
            .set_lock(&who.actor(), partner, ours, keep)
            .await?)
    }
}
