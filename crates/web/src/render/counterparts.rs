//! Counterpart chips (`accounts/chip.html`): one of ours with their level, the kind of the
//! assignment and the relationship's rating and trend, as the account page and the person
//! page show them.

use counterpart_core::account::{AssignmentKind, Health, Trend};
use counterpart_core::cadence::{Cadence, State};
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
    /// `in_time`, `due` or `overdue`.
    pub(crate) contact: State,
    /// "Letzter Kontakt vor 12 Tagen · erwartet alle 45 Tage".
    pub(crate) contact_line: String,
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
            let contact_line = contact_line(ctx, &chip.cadence);
            CounterpartChip {
                assignment_id: chip.assignment_id,
                name: chip.name,
                level,
                level_class,
                kind: chip.kind,
                rating: chip.rating,
                health: chip.health,
                trend: chip.trend,
                contact: chip.cadence.state,
                contact_line,
            }
        })
        .collect()
}

/// A pair's contact in a line: the last contact and the expected interval.
pub(crate) fn contact_line(ctx: &Ctx, cadence: &Cadence) -> String {
    let t = ctx.t();
    let last = match cadence.last_contact {
        Some(_) => t.days_ago(cadence.days),
        None => t.never_in_contact.to_owned(),
    };
    format!(
        "{}: {last} · {} {}",
        t.last_contact,
        t.contact_expected,
        t.days(cadence.every_days)
    )
}
