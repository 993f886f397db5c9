//! People as table rows, the same on every page that lists them.

use counterpart_core::ids::{LevelId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_store::PersonSummary;

use crate::ctx::Ctx;

/// A person as a table row.
pub(crate) struct PersonRow {
    pub(crate) id: PersonId,
    pub(crate) name: String,
    pub(crate) job_title: String,
    pub(crate) level: String,
    /// `1`…`5` for the colour band, `x` beyond.
    pub(crate) level_class: String,
    pub(crate) unit: String,
    pub(crate) organization: String,
    pub(crate) active: bool,
}

/// The name and colour class of a level in the user's language.
pub(crate) fn level_label(ctx: &Ctx, levels: &[Level], id: Option<LevelId>) -> (String, String) {
    level_name(ctx, levels.iter().find(|l| Some(l.id) == id))
}

/// The name and colour class (`1`…`5`, `x` beyond) of a level in the user's language; empty
/// for none.
pub(crate) fn level_name(ctx: &Ctx, level: Option<&Level>) -> (String, String) {
    level
        .map(|l| {
            let class = if (1..=5).contains(&l.rank) {
                l.rank.to_string()
            } else {
                "x".to_owned()
            };
            (ctx.pick(&l.name_de, &l.name_en).to_owned(), class)
        })
        .unwrap_or_default()
}

/// Table rows for people.
pub(crate) fn person_rows(ctx: &Ctx, people: &[PersonSummary], levels: &[Level]) -> Vec<PersonRow> {
    people
        .iter()
        .map(|s| {
            let (level, level_class) = level_label(ctx, levels, s.person.level_id);
            PersonRow {
                id: s.person.id,
                name: s.person.display_name(),
                job_title: s.person.job_title.clone().unwrap_or_default(),
                level,
                level_class,
                unit: s.unit_name.clone().unwrap_or_default(),
                organization: s.organization_name.clone(),
                active: s.person.active,
            }
        })
        .collect()
}
