//! The mirror's findings as sentences with their band, as the account page (in brief) and
//! the account's mirror page list them.

use std::collections::HashMap;

use counterpart_core::ids::PersonId;
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{Band, Finding};
use counterpart_store::PersonLabel;

use crate::ctx::Ctx;
use crate::wording::{self, Names};

/// A finding as listed.
pub(crate) struct FindingRow {
    pub(crate) band: Band,
    pub(crate) band_name: &'static str,
    pub(crate) text: String,
    /// The person it is about, to link to.
    pub(crate) person: Option<PersonId>,
}

/// Findings as listed, in their order, in the user's language.
pub(crate) fn finding_rows(
    ctx: &Ctx,
    findings: &[Finding],
    people: &HashMap<PersonId, PersonLabel>,
    levels: &[Level],
) -> Vec<FindingRow> {
    let names = Names::new(ctx.lang, people, levels);
    findings
        .iter()
        .map(|f| FindingRow {
            band: f.band,
            band_name: wording::band(ctx.lang, f.band),
            text: names.finding(&f.detail),
            person: f.detail.contact().or(f.detail.ours()),
        })
        .collect()
}
