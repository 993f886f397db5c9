//! The "Was wir wissen" section of partner person and account pages
//! (`insights/section.html`): the insights a reader may see, newest first, and the quick form
//! that records one in a few taps.

use counterpart_core::insight::{Category, Certainty};
use counterpart_store::InsightView;

use crate::ctx::Ctx;
use crate::i18n::Texts;

/// One insight as the section lists it.
pub(crate) struct InsightRow {
    pub(crate) id: i64,
    pub(crate) version: i64,
    pub(crate) category: &'static str,
    pub(crate) category_key: &'static str,
    pub(crate) text: String,
    pub(crate) learned_on: String,
    pub(crate) author: String,
    /// On an account page: whom it is about.
    pub(crate) about: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) confirmed: bool,
    pub(crate) confidential: bool,
    /// Its "valid until" has passed.
    pub(crate) stale: bool,
    /// The reader wrote it (or administers): edit and withdraw are offered.
    pub(crate) own: bool,
}

/// The section: the rows and where the quick form posts (none for readers who may not
/// record).
pub(crate) struct InsightSection {
    pub(crate) rows: Vec<InsightRow>,
    pub(crate) action: Option<String>,
}

impl InsightSection {
    /// The section for `views`, as `ctx`'s user reads it; the quick form posts to `action`
    /// for editors.
    pub(crate) fn of(
        ctx: &Ctx,
        views: Vec<InsightView>,
        action: String,
        account_page: bool,
    ) -> Self {
        let t = ctx.t();
        let who = ctx.principal();
        let today = ctx.today();
        let rows = views
            .into_iter()
            .map(|v| {
                let i = v.insight;
                InsightRow {
                    id: i.id.get(),
                    version: i.version,
                    category: category(t, i.category),
                    category_key: i.category.as_str(),
                    learned_on: ctx.date(&i.learned_on),
                    author: v.author_name,
                    about: if account_page { v.partner_name } else { None },
                    source: v.source_name,
                    confirmed: i.certainty == Certainty::Confirmed,
                    confidential: i.confidential,
                    stale: i.is_stale(today),
                    own: ctx.can_edit() && (who.role.is_admin() || who.user == Some(i.author_id)),
                    text: i.text,
                }
            })
            .collect();
        Self {
            rows,
            action: ctx.can_edit().then_some(action),
        }
    }
}

/// Where an insight is shown: on its partner person's page, else on its account's.
pub(crate) fn insight_href(i: &counterpart_core::insight::Insight) -> String {
    match (i.partner_id, i.account_id) {
        (Some(p), _) => format!("/people/{p}#insights"),
        (None, Some(a)) => format!("/accounts/{a}#insights"),
        (None, None) => "/".to_owned(),
    }
}

/// The name of a category in the reader's language.
pub(crate) fn category(t: &Texts, c: Category) -> &'static str {
    match c {
        Category::Needs => t.insight_needs,
        Category::Satisfaction => t.insight_satisfaction,
        Category::FutureIdeas => t.insight_future_ideas,
        Category::Developments => t.insight_developments,
        Category::Environment => t.insight_environment,
        Category::Other => t.insight_other,
    }
}

/// Every category with its name, for the form's choices.
pub(crate) fn categories(t: &Texts) -> Vec<(&'static str, &'static str)> {
    Category::ALL
        .iter()
        .map(|c| (c.as_str(), category(t, *c)))
        .collect()
}
