//! The generated organizations and their people: organizations, units, people with their
//! positions, and the logins linked to people of our house.

use std::collections::HashMap;

use counterpart_core::generate::Dataset;
use counterpart_core::ids::UserId;
use counterpart_core::person::search_text;
use counterpart_core::text::fold;

use super::loader::Loader;
use crate::error::Result;
use crate::time::date_to_db;

/// The seeded ladder as the generated rows refer to it: level ids by rank, function ids by
/// key.
pub(super) struct Ladder {
    /// Level id by rank.
    pub(super) levels: HashMap<i64, i64>,
    /// Function id by key.
    pub(super) functions: HashMap<String, i64>,
}

/// Loads the organizations, their units, their people and the people's positions, stamped
/// `now`.
pub(super) async fn load_org_chart(
    load: &mut Loader<'_>,
    data: &Dataset,
    ladder: &Ladder,
    now: &str,
) -> Result<()> {
    load_organizations(load, data, now).await?;
    load_units(load, data, now).await?;
    load_people(load, data, ladder, now).await?;
    load_positions(load, data, ladder).await
}

/// The organizations.
async fn load_organizations(load: &mut Loader<'_>, data: &Dataset, now: &str) -> Result<()> {
    load.counted(
        "organizations",
        &[
            "id",
            "name",
            "search_text",
            "kind",
            "created_at",
            "updated_at",
        ],
        data.organizations.iter().map(|o| {
            vec![
                o.id.into(),
                o.name.as_str().into(),
                fold(&o.name).into(),
                o.kind.into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await
}

/// The units, parents first.
async fn load_units(load: &mut Loader<'_>, data: &Dataset, now: &str) -> Result<()> {
    load.counted(
        "units",
        &[
            "id",
            "organization_id",
            "parent_id",
            "name",
            "search_text",
            "kind",
            "created_at",
            "updated_at",
        ],
        data.units.iter().map(|u| {
            vec![
                u.id.into(),
                u.organization_id.into(),
                u.parent_id.into(),
                u.name.as_str().into(),
                fold(&u.name).into(),
                u.kind.into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await
}

/// The people, managers first, with their search text.
async fn load_people(
    load: &mut Loader<'_>,
    data: &Dataset,
    ladder: &Ladder,
    now: &str,
) -> Result<()> {
    load.counted(
        "persons",
        &[
            "id",
            "organization_id",
            "unit_id",
            "given_name",
            "family_name",
            "job_title",
            "level_id",
            "function_id",
            "reports_to_id",
            "assistant_of_id",
            "email",
            "search_text",
            "created_at",
            "updated_at",
        ],
        data.people.iter().map(|p| {
            vec![
                p.id.into(),
                p.organization_id.into(),
                p.unit_id.into(),
                p.given_name.into(),
                p.family_name.into(),
                p.job_title.as_str().into(),
                ladder.levels.get(&p.level_rank).copied().into(),
                ladder.functions.get(p.function).copied().into(),
                p.reports_to.into(),
                p.assistant_of.into(),
                p.email.as_str().into(),
                search_text(
                    p.family_name,
                    Some(p.given_name),
                    Some(&p.job_title),
                    Some(&p.email),
                )
                .into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await
}

/// Each person's one position, since the day the dataset says.
async fn load_positions(load: &mut Loader<'_>, data: &Dataset, ladder: &Ladder) -> Result<()> {
    load.counted(
        "positions",
        &[
            "id",
            "person_id",
            "organization_id",
            "unit_id",
            "job_title",
            "level_id",
            "valid_from",
        ],
        data.people.iter().map(|p| {
            vec![
                p.id.into(),
                p.id.into(),
                p.organization_id.into(),
                p.unit_id.into(),
                p.job_title.as_str().into(),
                ladder.levels.get(&p.level_rank).copied().into(),
                date_to_db(p.since).into(),
            ]
        }),
    )
    .await
}

/// The logins (password hash `hash`): the demo logins, each linked to a person of our house
/// as the dataset says, then the generated users of people who hold counterparts. Returns the
/// demo logins' ids in the order of [`counterpart_core::demo::users`].
pub(super) async fn load_users(
    load: &mut Loader<'_>,
    data: &Dataset,
    hash: &str,
    now: &str,
) -> Result<Vec<UserId>> {
    load.counted(
        "users",
        &[
            "id",
            "username",
            "display_name",
            "email",
            "password_hash",
            "role",
            "person_id",
            "created_at",
        ],
        data.users.iter().map(|u| {
            vec![
                u.id.into(),
                u.username.as_str().into(),
                u.display_name.as_str().into(),
                u.email.clone().into(),
                hash.into(),
                u.role.as_str().into(),
                u.person_id.into(),
                now.into(),
            ]
        }),
    )
    .await?;
    let demo = counterpart_core::demo::users().len();
    Ok(data
        .users
        .iter()
        .take(demo)
        .map(|u| UserId::new(u.id))
        .collect())
}
