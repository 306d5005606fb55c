//! The LAPOR workflow: the rules of who may act when ([`rules`]), the state derived from a
//! merged history ([`state`]), and working-day deadlines ([`calendar`], [`deadlines`]).

pub mod calendar;
pub mod deadlines;
pub mod escalation;
pub mod rules;
pub mod state;

pub use deadlines::Deadlines;
pub use rules::{check, Refusal};
pub use state::{replay, replay_observed, Escalation, Rating, Replay, ReportFacts, WorkflowState};
