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
}

/// The section: the rows, where the quick form posts (editors only) and, on an account page,
/// the key people to choose from.
pub(crate) struct ContactSection {
    pub(crate) rows: Vec<ContactRow>,
    pub(crate) action: Option<String>,
    pub(crate) partners: Vec<(PersonId, String)>,
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
            .map(|v| ContactRow {
                kind: kind(t, v.interaction.kind),
                when: ctx.date(&v.interaction.happened_on),
                summary: v.interaction.summary,
                author: v.author_name,
                with: account_page.then_some(v.partner_name),
            })
            .collect();
        Self {
            rows,
            action: ctx.can_edit().then_some(action),
            partners,
        }
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
