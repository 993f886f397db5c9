//! The generated portfolio: importance criteria and ratings with the scores they give, the
//! accounts, their key contacts, our counterparts and the ratings of those relationships.

use std::collections::HashMap;

use counterpart_core::account::Relation;
use counterpart_core::generate::Dataset;
use counterpart_core::ids::{AccountId, CriterionId, UserId};
use counterpart_core::importance::{Criterion, CriterionRating, Scope, Tiers, score};
use counterpart_core::text::fold;

use super::insert::Value;
use super::loader::Loader;
use crate::error::Result;
use crate::time::date_to_db;

/// An account's importance score (to a tenth) and tier.
type Scored = (f64, &'static str);

/// Loads the demo's importance criteria, the accounts with the scores their ratings (by the
/// demo `users`) give, the score history and the ratings themselves, stamped `now`. Scores are
/// computed the same way as interactive ratings.
pub(super) async fn load_accounts(
    load: &mut Loader<'_>,
    data: &Dataset,
    users: &[UserId],
    now: &str,
) -> Result<()> {
    let criteria = demo_criteria();
    load_criteria(load, &criteria).await?;
    let by_account = ratings_by_account(data, &criteria, users);
    let scores = scores(data, &criteria, &by_account);
    load_account_rows(load, data, &scores, now).await?;
    load_score_history(load, data, &scores, now).await?;
    load_criterion_ratings(load, &by_account, now).await
}

/// Loads the key contacts, our counterparts of them, and the ratings of those relationships
/// (recorded `now`).
pub(super) async fn load_relationships(
    load: &mut Loader<'_>,
    data: &Dataset,
    now: &str,
) -> Result<()> {
    load_key_contacts(load, data).await?;
    load_assignments(load, data).await?;
    load_ratings(load, data, now).await
}

/// The demo's criteria, ids and ranks from 1 in their order.
fn demo_criteria() -> Vec<Criterion> {
    counterpart_core::demo::criteria()
        .into_iter()
        .enumerate()
        .map(|(i, (de, en, dde, den, scope, weight))| Criterion {
            id: CriterionId::new(i as i64 + 1),
            name_de: de.into(),
            name_en: en.into(),
            description_de: dde.into(),
            description_en: den.into(),
            scope: scope.parse().unwrap_or(Scope::All),
            weight,
            rank: i as i64 + 1,
            version: 1,
        })
        .collect()
}

/// The criteria.
async fn load_criteria(load: &mut Loader<'_>, criteria: &[Criterion]) -> Result<()> {
    load.uncounted(
        "criteria",
        &[
            "id",
            "name_de",
            "name_en",
            "description_de",
            "description_en",
            "scope",
            "weight",
            "rank",
        ],
        criteria.iter().map(|c| {
            vec![
                c.id.get().into(),
                c.name_de.as_str().into(),
                c.name_en.as_str().into(),
                c.description_de.as_str().into(),
                c.description_en.as_str().into(),
                c.scope.as_str().into(),
                Value::F(c.weight),
                c.rank.into(),
            ]
        }),
    )
    .await?;
    Ok(())
}

/// The dataset's importance ratings per account, by criterion and member.
fn ratings_by_account(
    data: &Dataset,
    criteria: &[Criterion],
    users: &[UserId],
) -> HashMap<i64, Vec<CriterionRating>> {
    let mut by_account: HashMap<i64, Vec<CriterionRating>> = HashMap::new();
    for &(account, criterion, member, value) in &data.importance {
        by_account
            .entry(account)
            .or_default()
            .push(CriterionRating {
                account_id: AccountId::new(account),
                criterion_id: criteria[criterion].id,
                user_id: users[member],
                user_name: String::new(),
                score: value,
            });
    }
    by_account
}

/// The score and tier of every account whose ratings give one.
fn scores(
    data: &Dataset,
    criteria: &[Criterion],
    by_account: &HashMap<i64, Vec<CriterionRating>>,
) -> HashMap<i64, Scored> {
    let kinds: HashMap<i64, &str> = data.organizations.iter().map(|o| (o.id, o.kind)).collect();
    let tiers = Tiers::default();
    data.accounts
        .iter()
        .filter_map(|a| {
            let relation: Relation = a.relation.parse().ok()?;
            // Internal: a department kept as an organization, or a unit of our own house.
            let internal = kinds.get(&a.organization_id) != Some(&"external");
            let ratings = by_account.get(&a.id).map_or(&[][..], Vec::as_slice);
            let s = score(criteria, ratings, relation, internal, &tiers)?;
            Some((a.id, ((s.value * 10.0).round() / 10.0, s.tier.as_str())))
        })
        .collect()
}

/// The accounts with their scores.
async fn load_account_rows(
    load: &mut Loader<'_>,
    data: &Dataset,
    scores: &HashMap<i64, Scored>,
    now: &str,
) -> Result<()> {
    load.counted(
        "accounts",
        &[
            "id",
            "organization_id",
            "name",
            "search_text",
            "relation",
            "mode",
            "responsible_unit_id",
            "manager_id",
            "score",
            "tier",
            "created_at",
            "updated_at",
        ],
        data.accounts.iter().map(|a| {
            let (score, tier) = scores.get(&a.id).copied().unzip();
            vec![
                a.id.into(),
                a.organization_id.into(),
                a.name.as_str().into(),
                fold(&a.name).into(),
                a.relation.into(),
                a.mode.into(),
                a.responsible_unit_id.into(),
                a.manager_id.into(),
                score.map_or(Value::NullF, Value::F),
                tier.map(str::to_owned).into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await
}

/// One history point per scored account: its score now.
async fn load_score_history(
    load: &mut Loader<'_>,
    data: &Dataset,
    scores: &HashMap<i64, Scored>,
    now: &str,
) -> Result<()> {
    load.uncounted(
        "score_history",
        &["account_id", "at", "score", "tier"],
        data.accounts.iter().filter_map(|a| {
            let (score, tier) = scores.get(&a.id)?;
            Some(vec![
                a.id.into(),
                now.into(),
                Value::F(*score),
                (*tier).into(),
            ])
        }),
    )
    .await?;
    Ok(())
}

/// The members' importance ratings.
async fn load_criterion_ratings(
    load: &mut Loader<'_>,
    by_account: &HashMap<i64, Vec<CriterionRating>>,
    now: &str,
) -> Result<()> {
    load.counted(
        "criterion_ratings",
        &[
            "account_id",
            "criterion_id",
            "user_id",
            "score",
            "updated_at",
        ],
        by_account.values().flatten().map(|r| {
            vec![
                r.account_id.get().into(),
                r.criterion_id.get().into(),
                r.user_id.get().into(),
                r.score.into(),
                now.into(),
            ]
        }),
    )
    .await
}

/// The key contacts.
async fn load_key_contacts(load: &mut Loader<'_>, data: &Dataset) -> Result<()> {
    load.counted(
        "key_contacts",
        &[
            "id",
            "account_id",
            "person_id",
            "role",
            "stance",
            "influence",
        ],
        data.key_contacts.iter().map(|k| {
            vec![
                k.id.into(),
                k.account_id.into(),
                k.person_id.into(),
                k.role.into(),
                k.stance.into(),
                k.influence.into(),
            ]
        }),
    )
    .await
}

/// Our counterparts, each with its latest rating (the last one listed for it) and its last
/// contact, rated or logged (as the dataset computed it).
async fn load_assignments(load: &mut Loader<'_>, data: &Dataset) -> Result<()> {
    let mut latest: HashMap<i64, (i64, chrono::NaiveDate)> = HashMap::new();
    for r in &data.ratings {
        latest.insert(r.assignment_id, (r.relationship, r.rated_on));
    }
    load.counted(
        "assignments",
        &[
            "id",
            "partner_id",
            "our_id",
            "kind",
            "valid_from",
            "valid_to",
            "latest_relationship",
            "latest_rated_on",
            "last_contact_on",
        ],
        data.assignments.iter().map(|a| {
            let (rating, on) = latest.get(&a.id).copied().unzip();
            vec![
                a.id.into(),
                a.partner_id.into(),
                a.our_id.into(),
                a.kind.into(),
                date_to_db(a.valid_from).into(),
                a.valid_to.map(date_to_db).into(),
                rating.into(),
                on.map(date_to_db).into(),
                a.last_contact_on.map(date_to_db).into(),
            ]
        }),
    )
    .await
}

/// The ratings of the relationships, by "Generator".
async fn load_ratings(load: &mut Loader<'_>, data: &Dataset, now: &str) -> Result<()> {
    load.counted(
        "ratings",
        &[
            "id",
            "assignment_id",
            "rated_on",
            "relationship",
            "partnership",
            "satisfaction",
            "rated_by_name",
            "created_at",
        ],
        data.ratings.iter().map(|r| {
            vec![
                r.id.into(),
                r.assignment_id.into(),
                date_to_db(r.rated_on).into(),
                r.relationship.into(),
                r.partnership.into(),
                r.satisfaction.into(),
                "Generator".into(),
                now.into(),
            ]
        }),
    )
    .await
}
