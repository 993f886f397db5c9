//! Which records a reader may see, as the store applies it in SQL. The use-case layer builds
//! it from who asks (`counterpart_app::Principal`); every read of records that are not for
//! everyone takes one, so that no page, export or search filters by hand.

use counterpart_core::ids::{UnitId, UserId};

/// The confidential records a reader may see: all of them (administrators, the command
/// line), or those written by the reader, or by someone of a unit the reader's unit is or
/// lies above.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visibility {
    /// Everything.
    pub all: bool,
    /// The reader's own records.
    pub user: Option<UserId>,
    /// The units whose people's confidential records the reader sees: their own unit and
    /// every unit below it.
    pub units: Vec<UnitId>,
}

impl Visibility {
    /// Sees everything.
    pub fn everything() -> Self {
        Self {
            all: true,
            user: None,
            units: Vec::new(),
        }
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
        };
        assert_eq!(
            unlinked.condition("c", "a", "u", 1).0,
            "(c = 0 OR a = $1)",
            "a user without a person sees their own confidential records only"
        );
    }
}
