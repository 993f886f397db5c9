//! The KAM matrix: one row per account, one column per hierarchy level; each cell shows the
//! account's key people at that level and our counterparts, coloured by the latest
//! relationship rating. A key person without a counterpart is a gap.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use crate::account::{AssignmentKind, DecisionRole, Health, Relation};
use crate::cadence::{self, State};
use crate::ids::{AccountId, PersonId};
use crate::importance::Tier;

/// An account as the matrix needs it.
#[derive(Clone, Debug, PartialEq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixCounterpart {
    /// The partner person.
    pub partner_id: PersonId,
    /// Our person.
    pub our_id: PersonId,
    /// Our person's name, shared by all the counterparts they hold.
    pub our_name: Arc<str>,
    /// Our person's level rank.
    pub our_level_rank: Option<i64>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating, 1–5.
    pub relationship: Option<i64>,
    /// Days since the pair's last contact (or since it began, never in contact).
    pub days_since_contact: i64,
    /// The pair's own expected contact interval; `None`: the default by level and tier.
    pub contact_every_days: Option<i64>,
}

/// One counterpart inside a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterpartEntry {
    /// Our person.
    pub our_id: PersonId,
    /// Their name.
    pub name: Arc<str>,
    /// Primary or deputy.
    pub kind: AssignmentKind,
    /// The latest relationship rating.
    pub relationship: Option<i64>,
    /// Its traffic-light class.
    pub health: Health,
    /// Our person's level rank, to show level mismatches.
    pub level_rank: Option<i64>,
    /// Whether a contact is due or overdue (see [`crate::cadence`]).
    pub contact: State,
}

/// One key person inside a cell with our counterparts.
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq)]
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
    mut accounts: Vec<MatrixAccount>,
    mut contacts: Vec<MatrixContact>,
    mut counterparts: Vec<MatrixCounterpart>,
) -> Vec<MatrixRow> {
    let column: HashMap<i64, usize> = ranks.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    // Accounts and contacts are sorted and walked side by side, and each partner's
    // counterparts lie together (primary first, then by name), found by one lookup: tens of
    // thousands of contacts should cost as few allocations as possible.
    sort_by_partner(&mut counterparts);
    let mut ranges: HashMap<PersonId, Range<usize>> = HashMap::new();
    for (i, c) in counterparts.iter().enumerate() {
        ranges.entry(c.partner_id).or_insert(i..i).end = i + 1;
    }
    let counterparts_of = |partner: PersonId, rank: Option<i64>, tier: Option<Tier>| {
        let range = ranges.get(&partner).cloned().unwrap_or_default();
        counterparts[range].iter().map(move |c| CounterpartEntry {
            our_id: c.our_id,
            name: Arc::clone(&c.our_name),
            kind: c.kind,
            relationship: c.relationship,
            health: Health::of(c.relationship),
            level_rank: c.our_level_rank,
            contact: State::after(
                c.days_since_contact,
                c.contact_every_days
                    .unwrap_or_else(|| cadence::default_days(rank, tier)),
            ),
        })
    };
    accounts.sort_unstable_by_key(|a| a.id);
    contacts.sort_unstable_by(|a, b| {
        (a.account_id, &a.name, a.person_id).cmp(&(b.account_id, &b.name, b.person_id))
    });
    let mut contacts = contacts.into_iter().peekable();
    let mut rows: Vec<MatrixRow> = accounts
        .into_iter()
        .map(|account| {
            // Contacts of accounts not asked for are passed over.
            while contacts.next_if(|c| c.account_id < account.id).is_some() {}
            let mut cells = vec![Vec::new(); ranks.len()];
            let mut unleveled = Vec::new();
            let mut gaps = 0;
            let mut count = 0;
            while let Some(contact) = contacts.next_if(|c| c.account_id == account.id) {
                let entry = ContactEntry {
                    person_id: contact.person_id,
                    counterparts: counterparts_of(
                        contact.person_id,
                        contact.level_rank,
                        account.tier,
                    )
                    .collect(),
                    name: contact.name,
                    role: contact.role,
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
    sort_by_importance(&mut rows, |r| &r.account);
    rows
}

/// Orders counterparts by partner, and each partner's primary first, then by name: the first
/// is the one whose rating tells the relationship's health.
fn sort_by_partner(counterparts: &mut [MatrixCounterpart]) {
    counterparts.sort_unstable_by(|a, b| {
        (
            a.partner_id,
            a.kind != AssignmentKind::Primary,
            &a.our_name,
            a.our_id,
        )
            .cmp(&(
                b.partner_id,
                b.kind != AssignmentKind::Primary,
                &b.our_name,
                b.our_id,
            ))
    });
}

/// Each account's relationship health as the portfolio plots it: the mean of the latest
/// relationship ratings of its key contacts' first counterparts (the primary, else the first
/// deputy). Accounts without any such rating are left out.
///
/// The same as the first counterparts' ratings over [`build`]'s rows, without building them.
pub fn health_by_account(
    contacts: &[MatrixContact],
    mut counterparts: Vec<MatrixCounterpart>,
) -> HashMap<AccountId, f64> {
    sort_by_partner(&mut counterparts);
    let mut first: HashMap<PersonId, Option<i64>> = HashMap::new();
    for c in &counterparts {
        first.entry(c.partner_id).or_insert(c.relationship);
    }
    let mut sums: HashMap<AccountId, (i64, u32)> = HashMap::new();
    for contact in contacts {
        if let Some(Some(rating)) = first.get(&contact.person_id) {
            let (sum, n) = sums.entry(contact.account_id).or_default();
            *sum += rating;
            *n += 1;
        }
    }
    sums.into_iter()
        .map(|(account, (sum, n))| (account, sum as f64 / f64::from(n)))
        .collect()
}

/// A score ordered highest first, with every float in a total order.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Descending(f64);

impl Eq for Descending {}

impl PartialOrd for Descending {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Descending {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.total_cmp(&self.0)
    }
}

/// Where an account stands in the matrix's order: scored first, highest score first; then by
/// name, ignoring case; then by id. Two accounts compare as the matrix orders them, so a
/// reader can go on after an account it read (seek pagination) even once that account has
/// left the list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportanceKey(bool, Descending, String, AccountId);

impl ImportanceKey {
    /// The key of an account with this score, name and id.
    pub fn of(score: Option<f64>, name: &str, id: AccountId) -> Self {
        Self(
            score.is_none(),
            Descending(score.unwrap_or_default()),
            name.to_lowercase(),
            id,
        )
    }
}

/// Orders accounts (or rows, or anything holding one) as the matrix shows them: by their
/// [`ImportanceKey`].
pub fn sort_by_importance<T>(items: &mut [T], account: impl Fn(&T) -> &MatrixAccount) {
    items.sort_by_cached_key(|item| {
        let a = account(item);
        ImportanceKey::of(a.score, &a.name, a.id)
    });
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
            our_name: format!("O{ours}").into(),
            our_level_rank: Some(1),
            kind,
            relationship: rating,
            days_since_contact: 10,
            contact_every_days: None,
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
            vec![
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
    fn contacts_of_other_accounts_are_left_out_and_shared_partners_shown_in_each() {
        let rows = build(
            &[1],
            vec![account(3, "Brandt", None), account(1, "Adler", None)],
            vec![
                contact(1, 10, Some(1)),
                contact(2, 20, Some(1)),
                contact(3, 10, Some(1)),
                contact(4, 40, Some(1)),
            ],
            vec![
                counterpart(10, 100, AssignmentKind::Primary, Some(4)),
                counterpart(20, 101, AssignmentKind::Primary, Some(1)),
            ],
        );
        let people: Vec<(&str, Vec<PersonId>)> = rows
            .iter()
            .map(|r| {
                let ids = r.cells[0].iter().map(|c| c.person_id).collect();
                (r.account.name.as_str(), ids)
            })
            .collect();
        assert_eq!(
            people,
            [
                ("Adler", vec![PersonId::new(10)]),
                ("Brandt", vec![PersonId::new(10)])
            ]
        );
        for row in &rows {
            assert_eq!(row.cells[0][0].counterparts[0].name.as_ref(), "O100");
            assert_eq!(row.gaps, 0);
        }
    }

    #[test]
    fn sorting_by_importance_puts_scored_first_then_names_ignoring_case_then_ids() {
        let mut accounts = vec![
            account(5, "delta", None),
            account(4, "Charlie", Some(10.0)),
            account(3, "bravo", Some(10.0)),
            account(2, "Alpha", Some(99.5)),
            account(1, "Delta", None),
        ];
        sort_by_importance(&mut accounts, |a| a);
        let order: Vec<i64> = accounts.iter().map(|a| a.id.get()).collect();
        assert_eq!(order, [2, 3, 4, 1, 5]);
    }

    #[test]
    fn health_takes_each_contacts_first_counterpart_as_the_rows_show_it() {
        let contacts = vec![
            contact(1, 10, Some(1)),
            contact(1, 11, Some(1)),
            contact(1, 12, Some(1)),
            contact(1, 13, Some(1)),
            contact(2, 13, Some(1)),
            contact(3, 14, Some(1)),
        ];
        let counterparts = vec![
            // A rated primary counts, not its deputy.
            counterpart(10, 100, AssignmentKind::Primary, Some(5)),
            counterpart(10, 101, AssignmentKind::Deputy, Some(1)),
            // Without a primary, the first deputy by name.
            counterpart(11, 103, AssignmentKind::Deputy, Some(4)),
            counterpart(11, 102, AssignmentKind::Deputy, Some(2)),
            // An unrated primary leaves its contact out; 13 has nobody at all.
            counterpart(12, 104, AssignmentKind::Primary, None),
            counterpart(12, 105, AssignmentKind::Deputy, Some(3)),
            counterpart(14, 106, AssignmentKind::Primary, None),
        ];
        let health = health_by_account(&contacts, counterparts.clone());
        assert_eq!(health.get(&AccountId::new(1)), Some(&3.5));
        assert_eq!(health.get(&AccountId::new(2)), None, "no counterpart");
        assert_eq!(health.get(&AccountId::new(3)), None, "nothing rated");
        let accounts = (1..=3).map(|i| account(i, "A", None)).collect();
        for row in build(&[1], accounts, contacts, counterparts) {
            let ratings: Vec<i64> = row.cells[0]
                .iter()
                .filter_map(|c| c.counterparts.first())
                .filter_map(|c| c.relationship)
                .collect();
            let mean = (!ratings.is_empty())
                .then(|| ratings.iter().sum::<i64>() as f64 / ratings.len() as f64);
            assert_eq!(health.get(&row.account.id).copied(), mean);
        }
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
            Vec::new(),
        );
        let names: Vec<&str> = rows.iter().map(|r| r.account.name.as_str()).collect();
        assert_eq!(names, ["Gamma", "Alpha", "beta", "Zeta"]);
    }
}
