//! Counterpart chips (`accounts/chip.html`): one of ours with their level, the kind of the
//! assignment and the relationship's rating and trend, as the account page and the person
//! page show them.

use counterpart_core::account::{AssignmentKind, Health, Trend};
use counterpart_core::ids::AssignmentId;

use crate::ctx::Ctx;
use crate::render::people::level_name;

/// A counterpart as a chip shows it.
pub(crate) struct CounterpartChip {
    pub(crate) assignment_id: AssignmentId,
    pub(crate) name: String,
    pub(crate) level: String,
    pub(crate) level_class: String,
    pub(crate) kind: AssignmentKind,
    pub(crate) rating: Option<i64>,
    pub(crate) health: Health,
    pub(crate) trend: Trend,
}

/// The chips of a person's counterparts, in the user's language.
pub(crate) fn chips(
    ctx: &Ctx,
    chips: Vec<counterpart_app::counterparts::CounterpartChip>,
) -> Vec<CounterpartChip> {
    chips
        .into_iter()
        .map(|chip| {
            let (level, level_class) = level_name(ctx, chip.level.as_ref());
            CounterpartChip {
                assignment_id: chip.assignment_id,
                name: chip.name,
                level,
                level_class,
                kind: chip.kind,
                rating: chip.rating,
                health: chip.health,
                trend: chip.trend,
            }
        })
        .collect()
}
