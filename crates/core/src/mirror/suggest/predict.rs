//! The mirror score each account in scope would have with every proposal of a run accepted.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::outcome::AccountPrediction;
use super::plan::Plan;
use crate::account::AssignmentKind;
use crate::ids::PersonId;
use crate::mirror::analysis::score_only;
use crate::mirror::{CurrentAssignment, MirrorAccount};

impl Plan<'_> {
    /// Mirror scores of the accounts in scope now and with every change applied.
    pub(super) fn predict(&self, changes: &Changes) -> Vec<AccountPrediction> {
        let today = self.settings.today;
        self.scope_accounts
            .iter()
            .map(|&ai| {
                let account = &self.input.accounts[ai];
                let before = score_only(account, &self.staff, &self.settings);
                let touched = account
                    .contacts
                    .iter()
                    .any(|c| changes.contains_key(&c.person_id));
                let after = if touched {
                    let changed = apply(account, changes, today);
                    score_only(&changed, &self.staff, &self.settings)
                } else {
                    before
                };
                AccountPrediction {
                    account_id: account.id,
                    before,
                    after,
                }
            })
            .collect()
    }
}

/// New holders of a partner's roles (`None`: unchanged).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct RoleChange {
    /// The new primary.
    pub(super) primary: Option<PersonId>,
    /// The new deputy.
    pub(super) deputy: Option<PersonId>,
}

/// The changes of a run by partner person.
pub(super) type Changes = HashMap<PersonId, RoleChange>;

/// The account with the changes applied: a new primary ends the partner's current primaries
/// (and a deputy role of the same person); a new deputy ends the current deputies.
fn apply(account: &MirrorAccount, changes: &Changes, today: NaiveDate) -> MirrorAccount {
    let mut out = account.clone();
    out.assignments
        .retain(|a| match changes.get(&a.partner_id) {
            None => true,
            Some(change) => match a.kind {
                AssignmentKind::Primary => change.primary.is_none(),
                AssignmentKind::Deputy => {
                    change.deputy.is_none() && change.primary != Some(a.our_id)
                }
            },
        });
    let mut added: Vec<PersonId> = account
        .contacts
        .iter()
        .map(|c| c.person_id)
        .filter(|id| changes.contains_key(id))
        .collect();
    added.sort_unstable();
    added.dedup();
    for partner_id in added {
        let change = changes[&partner_id];
        for (ours, kind) in [
            (change.primary, AssignmentKind::Primary),
            (change.deputy, AssignmentKind::Deputy),
        ] {
            if let Some(our_id) = ours {
                out.assignments.push(CurrentAssignment {
                    partner_id,
                    our_id,
                    kind,
                    relationship: None,
                    last_contact: None,
                    contact_every_days: None,
                    valid_from: today,
                });
            }
        }
    }
    out
}
