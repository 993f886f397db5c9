//! Accounts and their key contacts.
//!
//! [`rows`] reads them (and says how an account changes by compare-and-set), [`list`] lists
//! accounts with the names and counts of the lists, [`edit`] creates and changes accounts,
//! [`key_contacts`] manages the important people of an account, [`internal`] tells which
//! units of ours are partners (neighbouring departments) and who sits inside them.

mod edit;
mod internal;
mod key_contacts;
mod list;
mod rows;

pub(crate) use edit::{create_account_on, own_org};
pub(crate) use internal::{partner_units_on, person_chain_on};
pub(crate) use key_contacts::add_key_contact_on;
pub use list::{AccountFilter, AccountSummary, AttentionCounts, PagedAccounts};
pub(crate) use rows::account_on;
