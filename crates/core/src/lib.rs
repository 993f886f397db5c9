//! Counterpart's domain: the types, rules and algorithms of hierarchical key account
//! management. Pure: no IO, no async, no SQL. The store and the web layer build on it.

mod macros;

pub mod account;
pub mod audit;
pub mod cadence;
pub mod demo;
pub mod device;
pub mod dump;
pub mod exchange;
pub mod flow;
pub mod generate;
pub mod guiding;
pub mod hierarchy;
pub mod ids;
pub mod importance;
pub mod insight;
pub mod interaction;
pub mod jour_fixe;
pub mod ladder;
pub mod matrix;
pub mod matrix_xlsx;
mod messages;
pub mod mirror;
pub mod org;
pub mod orgchart;
pub mod person;
pub mod portfolio;
pub mod second_factor;
pub mod text;
pub mod throttle;
pub mod user;
pub mod validate;
