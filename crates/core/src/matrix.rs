//! The KAM matrix: one row per account, one column per hierarchy level; each cell shows the
//! account's key people at that level and our counterparts, coloured by the latest
//! relationship rating. A key person without a counterpart is a gap.

use std::collections::HashMap;

use serde::Serialize;

use crate::account::{AssignmentKind, DecisionRole, Health, Relation};
use crate::ids::{AccountId, PersonId};
use crate::importance::Tier;

/// An account as the matrix needs it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixAccount {
    /// Its id.
    pub id: AccountId,
    /// Display name.
    pub name: String,
    /// Customer, supplier or both.
    pub relation: Relation,
    /// An internal department rather than an external company.
    pub internal: bool,
    /// Our responsible unit's name.
    pub responsible_unit: Option<String>,
    /// Importance score 0–100, if rated.
    pub score: Option<f64>,
    /// Importance tier, if rated.
    pub tier: Option<Tier>,
    /// Mirror score 0–100 as last recorded (see [`crate::mirror::analysis`]).
    pub mirror_score: Option<f64>,
}

/// A key contact as the matrix needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixContact {
    /// The account.
    pub account_id: AccountId,
    /// The partner person.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// Their level's rank, if known.
    pub level_rank: Option<i64>,
    /// Their role in decisions.
    pub role: DecisionRole,
}

/// A current counterpart assignment as the matrix needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixCounterpart {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Our person's name.
    pub our_name: String,
    /// Our person's level rank.
    pub our_level_rank: Option<i64>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating, 1–5.
    pub relationship: Option<i64>,
}

/// One counterpart inside a cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CounterpartEntry {
    /// Our person.
    pub our_id: PersonId,
    /// Their name.
    pub name: String,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating.
    pub relationship: Option<i64>,
    /// Its traffic-light class.
    pub health: Health,
    /// Our person's level rank, to show level mismatches.
    pub level_rank: Option<i64>,
}

/// One key person inside a cell with our counterparts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactEntry {
    /// The partner person.
    pub person_id: PersonId,
    /// Their name.
    pub name: String,
    /// Their role in decisions.
    pub role: DecisionRole,
    /// Our counterparts, primary first.
    pub counterparts: Vec<CounterpartEntry>,
}

impl ContactEntry {
    /// Nobody of ours holds this relationship.
    pub fn is_gap(&self) -> bool {
        self.counterparts.is_empty()
    }

    /// The health of the primary relationship (or the best deputy's when there is no
    /// primary); `Unrated` for a gap.
    pub fn health(&self) -> Health {
        self.counterparts
            .first()
            .map_or(Health::Unrated, |c| c.health)
    }
}

/// One row of the matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixRow {
    /// The account.
    pub account: MatrixAccount,
    /// One cell per level of the ladder, in ladder order.
    pub cells: Vec<Vec<ContactEntry>>,
    /// Key contacts whose level is unknown.
    pub unleveled: Vec<ContactEntry>,
    /// Key contacts without any counterpart.
    pub gaps: usize,
    /// All key contacts.
    pub contacts: usize,
}

/// Builds the matrix rows, most important accounts first (unscored last, then by name).
///
/// `ranks` are the ladder's ranks in display order; a contact whose rank is not among them
/// counts as unleveled.
pub fn build(
    ranks: &[i64],
    accounts: Vec<MatrixAccount>,
    contacts: Vec<MatrixContact>,
    counterparts: &[MatrixCounterpart],
) -> Vec<MatrixRow> {
    let column: HashMap<i64, usize> = ranks.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    // Sorted lists and ranges rather than a map of small vectors: tens of thousands of
    // contacts should not cost an allocation each.
    let mut by_partner: Vec<&MatrixCounterpart> = counterparts.iter().collect();
    by_partner.sort_by_key(|c| c.partner_id);
    let counterparts_of = |partner: PersonId| {
        let start = by_partner.partition_point(|c| c.partner_id < partner);
        by_partner[start..]
            .iter()
            .take_while(move |c| c.partner_id == partner)
    };
    let mut contacts = contacts;
    contacts.sort_by(|a, b| {
        a.account_id
            .cmp(&b.account_id)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.person_id.cmp(&b.person_id))
    });
    let mut contacts = contacts.into_iter().peekable();
    let mut by_account: HashMap<AccountId, Vec<MatrixContact>> = HashMap::new();
    while let Some(first) = contacts.next() {
        let account = first.account_id;
        let mut list = vec![first];
        while let Some(next) = contacts.next_if(|c| c.account_id == account) {
            list.push(next);
        }
        by_account.insert(account, list);
    }
    let rows: Vec<MatrixRow> = accounts
        .into_iter()
        .map(|account| {
            let mut cells = vec![Vec::new(); ranks.len()];
            let mut unleveled = Vec::new();
            let mut gaps = 0;
            let mut count = 0;
            for contact in by_account.remove(&account.id).unwrap_or_default() {
                let mut ours: Vec<CounterpartEntry> = counterparts_of(contact.person_id)
                    .map(|c| CounterpartEntry {
                        our_id: c.our_id,
                        name: c.our_name.clone(),
                        kind: c.kind,
                        relationship: c.relationship,
                        health: Health::of(c.relationship),
                        level_rank: c.our_level_rank,
                    })
                    .collect();
                ours.sort_by(|a, b| {
                    (a.kind != AssignmentKind::Primary, &a.name)
                        .cmp(&(b.kind != AssignmentKind::Primary, &b.name))
                });
                let entry = ContactEntry {
                    person_id: contact.person_id,
                    name: contact.name,
                    role: contact.role,
                    counterparts: ours,
                };
                count += 1;
                if entry.is_gap() {
                    gaps += 1;
                }
                match contact.level_rank.and_then(|r| column.get(&r)) {
                    Some(&i) => cells[i].push(entry),
                    None => unleveled.push(entry),
                }
            }
            MatrixRow {
                account,
                cells,
                unleveled,
                gaps,
                contacts: count,
            }
        })
        .collect();
    // Scored first, highest score first; then by name, ignoring case; then by id.
    let mut keyed: Vec<(Option<f64>, String, MatrixRow)> = rows
        .into_iter()
        .map(|r| {
            (
                r.account.score.map(|s| -s),
                r.account.name.to_lowercase(),
                r,
            )
        })
        .collect();
    keyed.sort_by(|(sa, na, a), (sb, nb, b)| {
        match (sa, sb) {
            (Some(x), Some(y)) => x.total_cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| na.cmp(nb))
        .then(a.account.id.cmp(&b.account.id))
    });
    keyed.into_iter().map(|(_, _, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(id: i64, name: &str, score: Option<f64>) -> MatrixAccount {
        MatrixAccount {
            id: AccountId::new(id),
            name: name.into(),
            relation: Relation::Customer,
            internal: false,
            responsible_unit: None,
            score,
            tier: None,
            mirror_score: None,
        }
    }

    fn contact(account: i64, person: i64, rank: Option<i64>) -> MatrixContact {
        MatrixContact {
            account_id: AccountId::new(account),
            person_id: PersonId::new(person),
            name: format!("P{person}"),
            level_rank: rank,
            role: DecisionRole::DecisionMaker,
        }
    }

    fn counterpart(
        partner: i64,
        ours: i64,
        kind: AssignmentKind,
        rating: Option<i64>,
    ) -> MatrixCounterpart {
        MatrixCounterpart {
            partner_id: PersonId::new(partner),
            our_id: PersonId::new(ours),
            our_name: format!("O{ours}"),
            our_level_rank: Some(1),
            kind,
            relationship: rating,
        }
    }

    #[test]
    fn cells_follow_levels_and_gaps_are_counted() {
        let rows = build(
            &[1, 2, 3],
            vec![account(1, "Brandt", Some(80.0))],
            vec![
                contact(1, 10, Some(1)),
                contact(1, 11, Some(3)),
                contact(1, 12, None),
            ],
            &[
                counterpart(10, 100, AssignmentKind::Deputy, Some(2)),
                counterpart(10, 101, AssignmentKind::Primary, Some(5)),
            ],
        );
        let row = &rows[0];
        assert_eq!(row.cells[0].len(), 1);
        assert!(row.cells[1].is_empty());
        assert_eq!(row.cells[2][0].person_id, PersonId::new(11));
        assert_eq!(row.unleveled.len(), 1);
        assert_eq!((row.gaps, row.contacts), (2, 3));
        let top = &row.cells[0][0];
        assert_eq!(
            top.counterparts[0].kind,
            AssignmentKind::Primary,
            "primary first"
        );
        assert_eq!(top.health(), Health::Good);
        assert!(row.cells[2][0].is_gap());
    }

    #[test]
    fn rows_are_ordered_by_importance_then_name() {
        let rows = build(
            &[1],
            vec![
                account(1, "Zeta", None),
                account(2, "Alpha", Some(40.0)),
                account(3, "beta", None),
                account(4, "Gamma", Some(90.0)),
            ],
            Vec::new(),
            &[],
        );
        let names: Vec<&str> = rows.iter().map(|r| r.account.name.as_str()).collect();
        assert_eq!(names, ["Gamma", "Alpha", "beta", "Zeta"]);
    }
}
