//! Counterpart's domain: the types, rules and algorithms of hierarchical key account
//! management. Pure: no IO, no async, no SQL. The store and the web layer build on it.

mod macros;

pub mod audit;
pub mod demo;
pub mod exchange;
pub mod flow;
pub mod hierarchy;
pub mod ids;
pub mod ladder;
pub mod org;
pub mod orgchart;
pub mod person;
pub mod text;
pub mod user;
pub mod validate;
