//! People and their positions over time.
//!
//! [`views`] holds what pages get, [`rows`] reads people from rows (and says how a person
//! changes by compare-and-set), [`checks`] checks a person's links, [`read`] and [`search`]
//! find people, [`edit`] creates and changes them, [`career`] moves them to a new position.

mod career;
mod checks;
mod edit;
mod merge;
mod read;
mod rows;
mod search;
mod views;

pub(crate) use edit::{create_person_on, write_person};
pub use read::PeopleFilter;
pub(crate) use rows::{person, person_on};
pub use views::{ChartRow, PersonDetail, PersonSummary, Pick, PositionView};
