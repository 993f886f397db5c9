//! Accounts and their key contacts.
//!
//! [`rows`] reads them (and says how an account changes by compare-and-set), [`list`] lists
//! accounts with the names and counts of the lists, [`edit`] creates and changes accounts,
//! [`key_contacts`] manages the important people of an account.

mod edit;
mod key_contacts;
mod list;
mod rows;

pub(crate) use edit::{create_account_on, own_org};
pub(crate) use key_contacts::add_key_contact_on;
pub use list::{AccountFilter, AccountSummary};
pub(crate) use rows::account_on;
