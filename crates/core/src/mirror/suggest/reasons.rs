//! A proposal and why: the reasons for a pair of partner and person of ours, as codes with the
//! numbers the web layer's sentences need.

use super::outcome::{Change, Need, Proposal, Reason};
use super::plan::{Partner, Plan};
use crate::account::AssignmentKind;
use crate::ids::PersonId;
use crate::mirror::{MirrorContact, OurPerson, level_distance};

impl Plan<'_> {
    /// The proposal of our person at staff index `s` for a partner's role, with its reasons,
    /// what it changes and its cost; `after` are the loads once every proposal is accepted.
    #[expect(clippy::too_many_arguments, reason = "a private helper of `explain`")]
    pub(super) fn proposal(
        &self,
        partner: &Partner<'_>,
        kind: AssignmentKind,
        s: usize,
        current: Option<PersonId>,
        needs: Vec<Need>,
        after: &[i64],
        locked: bool,
    ) -> Proposal {
        let p = &self.staff.people[s];
        let c = &partner.contact;
        let cost = self.pair_cost(partner, p);
        let mut reasons = Vec::new();
        if locked {
            reasons.push(Reason::LockedByUser);
        }
        reasons.push(level_reason(c, p));
        reasons.extend(function_reason(c, p));
        self.push_fit_reasons(partner, p, &mut reasons);
        let change = match current {
            None => Change::New,
            Some(id) if id == p.person_id => Change::Stay,
            Some(previous) => {
                reasons.push(self.replaces(partner, kind, previous));
                Change::Replace
            }
        };
        reasons.push(Reason::Load {
            after: after[s],
            capacity: p.capacity(),
        });
        Proposal {
            partner_id: c.person_id,
            accounts: partner.accounts.clone(),
            kind,
            ours: p.person_id,
            current,
            change,
            locked,
            needs,
            reasons,
            cost,
            why_not_better: None,
        }
    }

    /// The bonuses the pair earns: our person assists the boss's counterpart, is in a
    /// responsible unit, or already serves the contact.
    fn push_fit_reasons(&self, partner: &Partner<'_>, p: &OurPerson, reasons: &mut Vec<Reason>) {
        if let Some((boss, boss_counterpart)) = self.assists_boss_counterpart(&partner.contact, p) {
            reasons.push(Reason::AssistantOfBossCounterpart {
                boss,
                boss_counterpart,
            });
        }
        if let Some(&unit) = partner.units.iter().find(|&&u| p.is_within(u)) {
            reasons.push(Reason::WithinResponsibleUnit { unit });
        }
        if let Some(a) = partner.assigned.with(p.person_id) {
            reasons.push(match a.relationship {
                Some(rating @ 4..) => Reason::KeepsGoodRelationship {
                    kind: a.kind,
                    rating,
                },
                rating => Reason::KeepsExistingPairing {
                    kind: a.kind,
                    rating,
                },
            });
        }
    }

    /// The current holder `previous` of the role, whom the proposal replaces: their level
    /// distance to the contact and their latest rating in that role.
    fn replaces(&self, partner: &Partner<'_>, kind: AssignmentKind, previous: PersonId) -> Reason {
        let old = self.staff.get(previous);
        let rating = partner
            .assigned
            .all
            .iter()
            .find(|a| a.our_id == previous && a.kind == kind)
            .and_then(|a| a.relationship);
        Reason::Replaces {
            previous,
            distance: level_distance(partner.contact.level_rank, old.and_then(|o| o.level_rank)),
            rating,
        }
    }
}

/// Same level, the distance between the levels, or a level unknown.
fn level_reason(c: &MirrorContact, p: &OurPerson) -> Reason {
    match (c.level_rank, p.level_rank) {
        (Some(t), Some(o)) if t == o => Reason::SameLevel { rank: t },
        (Some(t), Some(o)) => Reason::LevelDistance {
            distance: (t - o).abs(),
            their_rank: t,
            our_rank: o,
        },
        _ => Reason::LevelUnknown,
    }
}

/// Secretariat to secretariat, or a function mismatch; nothing when neither is an assistant.
fn function_reason(c: &MirrorContact, p: &OurPerson) -> Option<Reason> {
    if c.is_assistant && p.is_assistant {
        Some(Reason::SecretariatToSecretariat)
    } else if c.is_assistant != p.is_assistant {
        Some(Reason::FunctionMismatch {
            their_assistant: c.is_assistant,
        })
    } else {
        None
    }
}
