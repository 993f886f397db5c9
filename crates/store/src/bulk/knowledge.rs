//! The generated knowledge: insights about partner people and accounts, and the contact log.
//! Both are made row by row as they are written (a million insights and two million contacts
//! for "enterprise"), so that no more than one statement's rows are held as text at a time.

use counterpart_core::generate::Dataset;
use counterpart_core::text::fold;

use super::loader::Loader;
use crate::error::Result;
use crate::time::{date_to_db, to_db};

/// Loads the insights and the contacts logged. Their search text is folded as
/// [`crate::Store::create_insight`] and [`crate::Store::log_interaction`] fold it.
pub(super) async fn load_knowledge(load: &mut Loader<'_>, data: &Dataset) -> Result<()> {
    load_insights(load, data).await?;
    load_interactions(load, data).await
}

/// The insights.
async fn load_insights(load: &mut Loader<'_>, data: &Dataset) -> Result<()> {
    load.counted_then_indexed(
        "insights",
        &[
            "id",
            "partner_id",
            "account_id",
            "category",
            "text",
            "search_text",
            "learned_on",
            "author_id",
            "author_person_id",
            "author_unit_id",
            "certainty",
            "confidential",
            "created_at",
            "updated_at",
        ],
        data.insights().map(|i| {
            let text = i.text.to_string();
            let folded = fold(&text);
            let created = to_db(i.created_at);
            vec![
                i.id.into(),
                i.partner_id.into(),
                i.account_id.into(),
                i.category.as_str().into(),
                text.into(),
                folded.into(),
                date_to_db(i.learned_on).into(),
                i.author_id.into(),
                i.author_person_id.into(),
                i.author_unit_id.into(),
                i.certainty.as_str().into(),
                i64::from(i.confidential).into(),
                created.clone().into(),
                created.into(),
            ]
        }),
    )
    .await
}

/// The contacts logged.
async fn load_interactions(load: &mut Loader<'_>, data: &Dataset) -> Result<()> {
    load.counted_then_indexed(
        "interactions",
        &[
            "id",
            "partner_id",
            "account_id",
            "kind",
            "happened_on",
            "summary",
            "search_text",
            "author_id",
            "author_person_id",
            "created_at",
            "updated_at",
        ],
        data.interactions().map(|c| {
            let summary = c.summary.to_string();
            let folded = fold(&summary);
            let created = to_db(c.created_at);
            vec![
                c.id.into(),
                c.partner_id.into(),
                c.account_id.into(),
                c.kind.as_str().into(),
                date_to_db(c.happened_on).into(),
                summary.into(),
                folded.into(),
                c.author_id.into(),
                c.author_person_id.into(),
                created.clone().into(),
                created.into(),
            ]
        }),
    )
    .await
}
