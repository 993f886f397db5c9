//! The generated organizations and their people: organizations, units, people with their
//! positions, and the demo logins linked to people of our house.

use std::collections::HashMap;

use counterpart_core::generate::{Dataset, GenPerson};
use counterpart_core::ids::UserId;
use counterpart_core::person::search_text;

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
        &["id", "name", "kind", "created_at", "updated_at"],
        data.organizations.iter().map(|o| {
            vec![
                o.id.into(),
                o.name.as_str().into(),
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

/// The demo logins (password hash `hash`), linked to the first people of our house by rank:
/// the first to a board member, the second to a rank-3 manager, the others to rank-5 staff.
/// Returns their ids in the order of [`counterpart_core::demo::users`].
pub(super) async fn load_demo_users(
    load: &mut Loader<'_>,
    data: &Dataset,
    hash: &str,
    now: &str,
) -> Result<Vec<UserId>> {
    let ours: Vec<&GenPerson> = data
        .people
        .iter()
        .filter(|p| p.organization_id == 1)
        .collect();
    let demo_users = counterpart_core::demo::users();
    let mut user_ids = Vec::new();
    for (i, user) in demo_users.iter().enumerate() {
        let rank = match i {
            0 => 1,
            1 => 3,
            _ => 5,
        };
        let person = ours
            .iter()
            .filter(|p| p.level_rank == rank)
            .nth(i.saturating_sub(2));
        let name = person
            .map(|p| {
                counterpart_core::person::display_name(None, Some(p.given_name), p.family_name)
            })
            .unwrap_or_else(|| user.username.to_owned());
        let id = i as i64 + 1;
        load.uncounted(
            "users",
            &[
                "id",
                "username",
                "display_name",
                "password_hash",
                "role",
                "person_id",
                "created_at",
            ],
            [vec![
                id.into(),
                user.username.into(),
                name.into(),
                hash.into(),
                user.role.as_str().into(),
                person.map(|p| p.id).into(),
                now.into(),
            ]],
        )
        .await?;
        user_ids.push(UserId::new(id));
    }
    Ok(user_ids)
}
