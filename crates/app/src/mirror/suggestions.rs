//! The optimal counterpart suggestions of a scope (an account, one of our units, the whole
//! portfolio), the locks that steer them, and accepting them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use counterpart_core::ids::{AccountId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::MirrorInput;
use counterpart_core::mirror::suggest::{
    Change, Proposal, Reason, Scope, SuggestOptions, Suggestions, Unserved, suggest,
};
use counterpart_store::{Accepted, LockView, PersonLabel, StoreError};

use super::settings;
use crate::error::{Error, Result};
use crate::work::blocking;
use crate::{App, Principal};

/// At most this many changing proposals (and unserved demands) are listed; "accept all"
/// takes every one.
pub const SHOWN_PROPOSALS: usize = 300;

/// The suggestions of a scope as a page lists them.
#[derive(Clone, Debug)]
pub struct SuggestionList {
    /// The account's or the unit's name; `None` for the whole portfolio.
    pub subject: Option<String>,
    /// The run.
    pub run: Arc<Suggestions>,
    /// How many proposals change something (the others keep the current holder).
    pub changes: usize,
    /// What the user sees, so that "accept all" accepts only that.
    pub fingerprint: String,
    /// The keep/never locks on the key contacts in scope, to see and lift.
    pub locks: Vec<LockView>,
    /// The people the listed proposals, unserved demands and locks name.
    pub labels: HashMap<PersonId, PersonLabel>,
    /// The ladder, to name levels.
    pub levels: Vec<Level>,
    /// Every account's name.
    pub account_names: HashMap<AccountId, String>,
}

impl SuggestionList {
    /// The changing proposals listed, at most [`SHOWN_PROPOSALS`].
    pub fn shown(&self) -> impl Iterator<Item = &Proposal> {
        changing(&self.run).take(SHOWN_PROPOSALS)
    }

    /// The unserved demands listed, at most [`SHOWN_PROPOSALS`].
    pub fn unserved(&self) -> impl Iterator<Item = &Unserved> {
        self.run.unserved.iter().take(SHOWN_PROPOSALS)
    }
}

/// What the user accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picked {
    /// Every changing proposal, if they are still those seen (by their fingerprint).
    All {
        /// The fingerprint of the list the user saw.
        fingerprint: String,
    },
    /// The proposals ticked.
    These(Vec<Accepted>),
}

/// What became of accepting suggestions.
#[derive(Clone, Debug)]
pub enum Acceptance {
    /// This many assignments were made.
    Accepted(usize),
    /// The suggestions changed since the user saw them; nothing was accepted. The
    /// suggestions as they are now.
    Changed(Box<SuggestionList>),
    /// Nothing was picked. The suggestions again.
    NonePicked(Box<SuggestionList>),
}

/// The proposals that change something.
fn changing(run: &Suggestions) -> impl Iterator<Item = &Proposal> {
    run.proposals.iter().filter(|p| p.change != Change::Stay)
}

/// Order-independent FNV-1a fingerprint of the changing proposals, so that "accept all" only
/// accepts what the user saw.
fn fingerprint(run: &Suggestions) -> String {
    let mut picks: Vec<String> = changing(run)
        .map(|p| format!("{}:{}:{}", p.partner_id, p.ours, p.kind.as_str()))
        .collect();
    picks.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in picks.join(",").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The people a list names: both sides of the listed proposals, their current holders and
/// the people their reasons name, the unserved demands, the locks.
fn named_people(run: &Suggestions, locks: &[LockView]) -> Vec<PersonId> {
    let mut wanted: HashSet<PersonId> = HashSet::new();
    for p in changing(run).take(SHOWN_PROPOSALS) {
        wanted.extend([p.partner_id, p.ours]);
        wanted.extend(p.current);
        for r in &p.reasons {
            match *r {
                Reason::Replaces { previous, .. } => {
                    wanted.insert(previous);
                }
                Reason::AssistantOfBossCounterpart {
                    boss,
                    boss_counterpart,
                } => {
                    wanted.extend([boss, boss_counterpart]);
                }
                _ => {}
            }
        }
    }
    for u in run.unserved.iter().take(SHOWN_PROPOSALS) {
        wanted.insert(u.partner_id);
        wanted.extend(u.current);
    }
    // Those who keep a counterpart off their level, and why (the page's "no better" list).
    let kept = run
        .proposals
        .iter()
        .filter(|p| p.why_not_better.is_some())
        .map(|p| (p.partner_id, p.ours));
    let near = run.near_misses.iter().map(|m| (m.partner_id, m.current));
    for (partner, ours) in kept.chain(near).take(2 * SHOWN_PROPOSALS) {
        wanted.extend([partner, ours]);
    }
    for l in locks {
        wanted.extend([l.partner_id, l.our_id]);
    }
    wanted.into_iter().collect()
}

impl App {
    /// Solves a suggestion run for a scope with the users' locks, off the async threads: over
    /// the accounts `who` sees, so that nothing of a hidden account is proposed, counted or
    /// accepted.
    async fn run_suggestions(
        &self,
        who: &Principal,
        scope: Scope,
        deputies: bool,
    ) -> Result<Arc<Suggestions>> {
        let seen = self.visibility(who).await?;
        let store = self.store.clone();
        let hidden = seen.hidden_accounts.clone();
        let work = || async move {
            // An account's run needs only its own contacts; every person of ours is a
            // candidate.
            let mut input: MirrorInput = match scope {
                Scope::Account(id) => store.suggestion_input(id).await?,
                Scope::Unit(_) | Scope::Portfolio => store.mirror_input(None).await?,
            };
            input.accounts.retain(|a| seen.sees_account(a.id));
            let mut options = SuggestOptions::new(scope);
            options.deputies = deputies;
            options.locks = store.suggestion_locks().await?;
            blocking(move || suggest(&input, &options, &settings()))
                .await?
                .map_err(Error::internal)
        };
        match scope {
            Scope::Account(id) => {
                self.may_see_account(who, id).await?;
                Ok(Arc::new(work().await?))
            }
            // Over many accounts it takes seconds: worked out once per change of the data
            // for everyone who sees the same accounts.
            Scope::Unit(_) | Scope::Portfolio => {
                let key = (
                    scope,
                    deputies,
                    hidden,
                    counterpart_store::now().date_naive(),
                );
                self.portfolio.suggestions.get(&self.store, key, work).await
            }
        }
    }

    /// The list of a scope, from a run already made or a new one.
    async fn suggestion_list(
        &self,
        who: &Principal,
        (scope, deputies): (Scope, bool),
        run: Option<Arc<Suggestions>>,
    ) -> Result<SuggestionList> {
        let seen = self.visibility(who).await?;
        let subject = match scope {
            Scope::Account(id) => Some(self.visible_account(who, id).await?.name),
            Scope::Unit(id) => Some(self.store.unit(id).await?.name),
            Scope::Portfolio => None,
        };
        let run = match run {
            Some(run) => run,
            None => self.run_suggestions(who, scope, deputies).await?,
        };
        // Locks apply to the key contacts of the accounts in scope.
        let mut locks = match scope {
            Scope::Portfolio => self.store.locks().await?,
            Scope::Account(id) => self.store.locks_on_accounts(&[id]).await?,
            Scope::Unit(_) => {
                let accounts: Vec<AccountId> = run.accounts.iter().map(|a| a.account_id).collect();
                self.store.locks_on_accounts(&accounts).await?
            }
        };
        locks.retain(|l| seen.sees_pairs_of(l.partner_id));
        let mut account_names = self.store.account_names().await?;
        account_names.retain(|id, _| seen.sees_account(*id));
        let labels = self
            .store
            .person_labels(&named_people(&run, &locks))
            .await?;
        Ok(SuggestionList {
            subject,
            changes: changing(&run).count(),
            fingerprint: fingerprint(&run),
            run,
            locks,
            labels,
            levels: self.store.levels().await?,
            account_names,
        })
    }

    /// The optimal counterpart suggestions of a scope, with deputies or without.
    pub async fn suggestions(
        &self,
        who: &Principal,
        scope: Scope,
        deputies: bool,
    ) -> Result<SuggestionList> {
        self.suggestion_list(who, (scope, deputies), None).await
    }

    /// Accepts suggestions from today: the ones ticked, or all of them if the list is still
    /// what the user saw. Each becomes a normal assignment, in one transaction.
    pub async fn accept_suggestions(
        &self,
        who: &Principal,
        scope: Scope,
        deputies: bool,
        picked: Picked,
    ) -> Result<Acceptance> {
        who.may_edit()?;
        let accepted: Vec<Accepted> = match picked {
            Picked::All { fingerprint: seen } => {
                let run = self.run_suggestions(who, scope, deputies).await?;
                if fingerprint(&run) != seen {
                    let list = self
                        .suggestion_list(who, (scope, deputies), Some(run))
                        .await?;
                    return Ok(Acceptance::Changed(Box::new(list)));
                }
                changing(&run)
                    .map(|p| Accepted {
                        partner_id: p.partner_id,
                        our_id: p.ours,
                        kind: p.kind,
                    })
                    .collect()
            }
            Picked::These(accepted) => {
                // Nobody accepts a pair they could not have been shown.
                for pick in &accepted {
                    self.may_see_pairs_of(who, pick.partner_id).await?;
                }
                accepted
            }
        };
        if accepted.is_empty() {
            let list = self.suggestion_list(who, (scope, deputies), None).await?;
            return Ok(Acceptance::NonePicked(Box::new(list)));
        }
        let today = counterpart_store::now().date_naive();
        match self
            .store
            .accept_suggestions(&who.actor(), &accepted, today)
            .await
        {
            Ok(made) => Ok(Acceptance::Accepted(made)),
            Err(StoreError::Invalid(_)) => {
                let list = self.suggestion_list(who, (scope, deputies), None).await?;
                Ok(Acceptance::Changed(Box::new(list)))
            }
            Err(e) => Err(e.into()),
        }
    }
}
