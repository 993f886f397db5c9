//! The contact log's section on partner person and account pages (`contacts/section.html`):
//! the latest contacts and the quick form that logs one (with what was learned, if anything).

use counterpart_core::ids::PersonId;
use counterpart_core::interaction::Kind;
use counterpart_store::InteractionView;

use crate::ctx::Ctx;
use crate::i18n::Texts;

/// One logged contact as listed.
pub(crate) struct ContactRow {
    pub(crate) kind: &'static str,
    pub(crate) when: String,
    pub(crate) summary: String,
    pub(crate) author: String,
    /// On an account page: with whom.
    pub(crate) with: Option<String>,
    /// Who else was there: "Dr. Ulrike Wößner; von uns: Matthias Große-Böckmann".
    pub(crate) also: String,
}

/// The section: the rows, where the quick form posts (editors only) and, on an account page,
/// the key people to choose from.
pub(crate) struct ContactSection {
    pub(crate) rows: Vec<ContactRow>,
    pub(crate) action: Option<String>,
    pub(crate) partners: Vec<(PersonId, String)>,
    /// Who else may have been there, to tick: (person, name, "theirs" or "ours").
    pub(crate) also: Vec<(PersonId, String, &'static str)>,
}

impl ContactSection {
    /// The section for `views`; the form posts to `action`; `partners` is empty on a person's
    /// page (the contact is with them) and the account's key people on an account page.
    pub(crate) fn of(
        ctx: &Ctx,
        views: Vec<InteractionView>,
        action: String,
        partners: Vec<(PersonId, String)>,
    ) -> Self {
        let t = ctx.t();
        let account_page = !partners.is_empty();
        let rows = views
            .into_iter()
            .map(|v| {
                let (theirs, ours) = &v.also;
                let mut also = theirs.join(", ");
                if !ours.is_empty() {
                    if !also.is_empty() {
                        also.push_str("; ");
                    }
                    also.push_str(&format!("{} {}", t.contact_also_ours, ours.join(", ")));
                }
                ContactRow {
                    kind: kind(t, v.interaction.kind),
                    when: ctx.date(&v.interaction.happened_on),
                    summary: v.interaction.summary,
                    author: v.author_name,
                    with: account_page.then_some(v.partner_name),
                    also,
                }
            })
            .collect();
        Self {
            rows,
            action: ctx.can_edit().then_some(action),
            partners,
            also: Vec::new(),
        }
    }

    /// Offers people to tick as also there: `theirs` of the partner's side, `ours` of our
    /// house, each at most [`ALSO_OFFERED`], the user's own person left out.
    pub(crate) fn offering(
        mut self,
        ctx: &Ctx,
        theirs: Vec<(PersonId, String)>,
        ours: Vec<(PersonId, String)>,
    ) -> Self {
        let me = ctx.user.as_ref().and_then(|u| u.person_id);
        let mut seen = std::collections::HashSet::new();
        for (side, list) in [("theirs", theirs), ("ours", ours)] {
            self.also.extend(
                list.into_iter()
                    .filter(|(id, _)| Some(*id) != me && seen.insert(*id))
                    .take(ALSO_OFFERED)
                    .map(|(id, name)| (id, name, side)),
            );
        }
        self
    }
}

/// People offered to tick as also there, per side.
pub(crate) const ALSO_OFFERED: usize = 12;

/// The contact form as posted: the contact, what was learned, the partner chosen (on an
/// account page) and who else was there (`also`, repeated).
#[derive(Default, serde::Deserialize)]
pub(crate) struct ContactForm {
    #[serde(default)]
    pub(crate) partner_id: String,
    #[serde(flatten)]
    pub(crate) contact: counterpart_core::interaction::InteractionFields,
    #[serde(flatten)]
    pub(crate) learned: counterpart_core::insight::InsightFields,
}

impl ContactForm {
    /// Reads the posted pairs: the repeated `also` ticks, the rest as the form's fields. An
    /// `also` that is no id is a field problem, named like any other.
    pub(crate) fn read(
        pairs: Vec<(String, String)>,
    ) -> Result<(Self, Vec<PersonId>), counterpart_core::validate::FieldErrors> {
        let (ticked, fields): (Vec<_>, Vec<_>) =
            pairs.into_iter().partition(|(name, _)| name == "also");
        let also = ticked
            .iter()
            .map(|(_, id)| id.trim().parse::<PersonId>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| {
                counterpart_core::validate::FieldErrors::single(
                    "also",
                    counterpart_core::validate::Problem::NotFound,
                )
            })?;
        let form = serde_urlencoded::to_string(&fields)
            .ok()
            .and_then(|encoded| serde_urlencoded::from_str(&encoded).ok())
            .unwrap_or_default();
        Ok((form, also))
    }
}

/// The name of a kind of contact.
pub(crate) fn kind(t: &Texts, k: Kind) -> &'static str {
    match k {
        Kind::Meeting => t.contact_meeting,
        Kind::Call => t.contact_call,
        Kind::Email => t.contact_email,
        Kind::Visit => t.contact_visit,
        Kind::Event => t.contact_event,
    }
}

/// Every kind with its name, for the form's chips.
pub(crate) fn kinds(t: &Texts) -> Vec<(&'static str, &'static str)> {
    Kind::ALL
        .iter()
        .map(|k| (k.as_str(), kind(t, *k)))
        .collect()
}
