//! Which records a reader may see, as the store applies it in SQL. The use-case layer builds
//! it from who asks (`counterpart_app::Principal`); every read of records that are not for
//! everyone takes one, so that no page, export or search filters by hand.
//!
//! Two rules meet here: confidential insights (ADR 0007) and restricted accounts (ADR 0011).
//! Both are decided by the same units: the reader's own and every unit below it.

use std::collections::HashSet;

use counterpart_core::ids::{AccountId, PersonId, UnitId, UserId};
use sqlx::Row;

use crate::db::Store;
use crate::dialect::placeholders;
use crate::error::Result;

/// What a reader may see: all of it (administrators, the command line), or
///
/// - of confidential records, those written by the reader, or by someone of a unit the
///   reader's unit is or lies above;
/// - of accounts, all but the restricted ones whose responsible unit is not the reader's or
///   below it ([`Visibility::hidden_accounts`]), with everything recorded on them, and the
///   counterpart pairs of partner people who matter in such accounts only
///   ([`Visibility::hidden_partners`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Visibility {
    /// Everything.
    pub all: bool,
    /// The reader's own records.
    pub user: Option<UserId>,
    /// The units whose people's confidential records the reader sees: their own unit and
    /// every unit below it. A restricted account is seen when its responsible unit is one of
    /// them.
    pub units: Vec<UnitId>,
    /// The restricted accounts the reader may not see, by id (ascending): each is as if it
    /// did not exist.
    pub hidden_accounts: Vec<AccountId>,
    /// The partner people who are key contacts of hidden accounts and of no account the reader
    /// sees, by id (ascending): their counterpart pairs, with their ratings, contact intervals
    /// and locks, are the hidden accounts' data. The people themselves stay visible.
    pub hidden_partners: Vec<PersonId>,
}

impl Visibility {
    /// Sees everything.
    pub fn everything() -> Self {
        Self {
            all: true,
            ..Self::default()
        }
    }

    /// Whether the reader sees an account (and what is recorded on it).
    pub fn sees_account(&self, account: AccountId) -> bool {
        self.all || self.hidden_accounts.binary_search(&account).is_err()
    }

    /// Whether the reader sees the counterpart pairs of a partner person.
    pub fn sees_pairs_of(&self, partner: PersonId) -> bool {
        self.all || self.hidden_partners.binary_search(&partner).is_err()
    }

    /// The condition that a row's account, in `column`, is one the reader sees, with the
    /// values to bind from parameter `$first` on. A row without an account (`NULL`) passes:
    /// what is recorded on a person alone is no account's. Nothing at all when no account is
    /// hidden.
    pub fn accounts(&self, column: &str, first: usize) -> (String, Vec<i64>) {
        not_in(
            column,
            first,
            self.unless_all(&self.hidden_accounts, |a| a.get()),
        )
    }

    /// Hidden ids as the values to bind; none for a reader who sees everything.
    fn unless_all<T: Copy>(&self, hidden: &[T], id: impl Fn(T) -> i64) -> Vec<i64> {
        if self.all {
            Vec::new()
        } else {
            hidden.iter().map(|&h| id(h)).collect()
        }
    }

    /// The condition that a pair's partner, in `column`, is one whose pairs the reader sees
    /// ([`Visibility::sees_pairs_of`]), with the values to bind from parameter `$first` on.
    pub fn pairs(&self, column: &str, first: usize) -> (String, Vec<i64>) {
        not_in(
            column,
            first,
            self.unless_all(&self.hidden_partners, |p| p.get()),
        )
    }

    /// The condition that a record is visible, for a record whose confidentiality, author and
    /// author's unit are in the named columns, with this visibility's values bound from
    /// parameter `$first` on. Records that are not confidential are visible to everyone.
    pub fn condition(
        &self,
        confidential: &str,
        author: &str,
        author_unit: &str,
        first: usize,
    ) -> (String, Vec<i64>) {
        if self.all {
            return ("1 = 1".to_owned(), Vec::new());
        }
        let mut binds = Vec::new();
        let mut alternatives = vec![format!("{confidential} = 0")];
        if let Some(user) = self.user {
            alternatives.push(format!("{author} = ${}", first + binds.len()));
            binds.push(user.get());
        }
        if !self.units.is_empty() {
            let list = crate::dialect::placeholders(first + binds.len(), self.units.len());
            alternatives.push(format!("{author_unit} IN ({list})"));
            binds.extend(self.units.iter().map(|u| u.get()));
        }
        (format!("({})", alternatives.join(" OR ")), binds)
    }

    /// Whether a record with this confidentiality, author and author's unit is visible: the
    /// same rule as [`Visibility::condition`], for records already read (a cache shared by
    /// readers filters with it). A store test holds the two to the same answers.
    pub fn sees(
        &self,
        confidential: bool,
        author: Option<UserId>,
        author_unit: Option<UnitId>,
    ) -> bool {
        self.all
            || !confidential
            || (author.is_some() && self.user == author)
            || author_unit.is_some_and(|unit| self.units.contains(&unit))
    }
}

/// `column` is NULL or none of `hidden`; `1 = 1` for an empty list.
fn not_in(column: &str, first: usize, hidden: Vec<i64>) -> (String, Vec<i64>) {
    if hidden.is_empty() {
        return ("1 = 1".to_owned(), hidden);
    }
    let list = placeholders(first, hidden.len());
    (
        format!("({column} IS NULL OR {column} NOT IN ({list}))"),
        hidden,
    )
}

impl Store {
    /// Whether any account is restricted: when none is, nothing is hidden from anyone (one
    /// read of the partial index).
    pub async fn any_restricted(&self) -> Result<bool> {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM accounts WHERE restricted = 1 LIMIT 1")
                .fetch_optional(self.pool())
                .await?;
        Ok(found.is_some())
    }

    /// What the restricted accounts hide from a reader whose unit is one of `units` (their
    /// own and those below it; empty for a reader linked to no person of ours): the
    /// restricted accounts whose responsible unit is none of them, and the partner people who
    /// are key contacts of those accounts and of no other. Both ascending. Two reads on the
    /// partial index of restricted accounts; the second only when something is hidden.
    pub async fn hidden_from(&self, units: &[UnitId]) -> Result<(Vec<AccountId>, Vec<PersonId>)> {
        let mine: HashSet<UnitId> = units.iter().copied().collect();
        let restricted: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, responsible_unit_id FROM accounts WHERE restricted = 1 ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        let hidden: Vec<i64> = restricted
            .into_iter()
            .filter(|(_, unit)| !unit.is_some_and(|u| mine.contains(&UnitId::new(u))))
            .map(|(id, _)| id)
            .collect();
        if hidden.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let n = hidden.len();
        let sql = format!(
            "SELECT DISTINCT k.person_id FROM key_contacts k WHERE k.account_id IN ({}) \
             AND NOT EXISTS (SELECT 1 FROM key_contacts o WHERE o.person_id = k.person_id \
               AND o.account_id NOT IN ({})) ORDER BY k.person_id",
            placeholders(1, n),
            placeholders(n + 1, n),
        );
        let query = hidden
            .iter()
            .chain(&hidden)
            .fold(sqlx::query(&sql), |q, id| q.bind(*id));
        let partners = query
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|row| row.try_get::<i64, _>(0).map(PersonId::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((hidden.into_iter().map(AccountId::new).collect(), partners))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_name_what_a_reader_sees() {
        assert_eq!(
            Visibility::everything().condition("c", "a", "u", 1),
            ("1 = 1".to_owned(), vec![])
        );
        let clerk = Visibility {
            all: false,
            user: Some(UserId::new(7)),
            units: vec![UnitId::new(3), UnitId::new(4)],
            ..Visibility::default()
        };
        assert_eq!(
            clerk.condition("i.confidential", "i.author_id", "i.author_unit_id", 2),
            (
                "(i.confidential = 0 OR i.author_id = $2 OR i.author_unit_id IN ($3, $4))"
                    .to_owned(),
                vec![7, 3, 4]
            )
        );
        let unlinked = Visibility {
            all: false,
            user: Some(UserId::new(9)),
            units: Vec::new(),
            ..Visibility::default()
        };
        assert_eq!(
            unlinked.condition("c", "a", "u", 1).0,
            "(c = 0 OR a = $1)",
            "a user without a person sees their own confidential records only"
        );
    }

    #[test]
    fn hidden_accounts_make_conditions_and_answers_alike() {
        let open = Visibility::default();
        assert_eq!(
            open.accounts("i.account_id", 1),
            ("1 = 1".to_owned(), vec![])
        );
        let sibling = Visibility {
            hidden_accounts: vec![AccountId::new(4), AccountId::new(9)],
            hidden_partners: vec![PersonId::new(70)],
            ..Visibility::default()
        };
        assert_eq!(
            sibling.accounts("i.account_id", 3),
            (
                "(i.account_id IS NULL OR i.account_id NOT IN ($3, $4))".to_owned(),
                vec![4, 9]
            )
        );
        assert!(!sibling.sees_account(AccountId::new(9)));
        assert!(sibling.sees_account(AccountId::new(5)));
        assert!(!sibling.sees_pairs_of(PersonId::new(70)));
        assert!(sibling.sees_pairs_of(PersonId::new(71)));
        // Everything sees everything, whatever the lists say.
        let admin = Visibility {
            all: true,
            ..sibling
        };
        assert!(admin.sees_account(AccountId::new(9)));
        assert_eq!(admin.accounts("a.id", 1).0, "1 = 1");
    }
}
