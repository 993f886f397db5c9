//! The person page: facts, hierarchy, positions, counterparts (`people/relations.html`) and,
//! for our own people, their capacity; with the problems of a form on it on top.

use askama::Template;
use axum::extract::{Path, State};
use chrono::Utc;
use counterpart_app::counterparts::Relations as Held;
use counterpart_core::account::{AssignmentKind, Health};
use counterpart_core::ids::{AccountId, AssignmentId, PersonId};
use counterpart_store::{PersonDetail, PersonSummary};

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::contacts::ContactSection;
use crate::render::counterparts::{CounterpartChip, chips};
use crate::render::insights::InsightSection;
use crate::render::people::{PersonRow, level_label, level_name, person_rows};
use crate::render::picker::{PickScope, Picker};
use crate::render::{PageResult, render};

/// The counterpart section of a person page.
struct Relations {
    /// True for people of our own house.
    is_own: bool,
    /// For a partner person: our counterparts.
    chips: Vec<CounterpartChip>,
    /// For one of ours: the partner people they hold.
    held: Vec<HeldRow>,
    /// Accounts in which a partner person is a key contact: (account, name, role).
    key_contact_in: Vec<(AccountId, String, &'static str)>,
    /// Whom to assign, for editors: our people for a partner person, the key contacts of
    /// every account for one of ours; a search, never a list of everyone.
    picker: Option<Picker>,
    /// For one of ours who is a key contact of a neighbouring department, for editors: one of
    /// ours to hold them.
    ours_picker: Option<Picker>,
    /// Today, as the default start date.
    today: String,
}

/// A partner person one of ours holds.
struct HeldRow {
    assignment_id: AssignmentId,
    person_id: PersonId,
    name: String,
    organization: String,
    level: String,
    level_class: String,
    kind: AssignmentKind,
    rating: Option<i64>,
    health: Health,
}

impl Relations {
    /// The section in the user's language, with the picker for editors.
    fn of(ctx: &Ctx, relations: Held) -> Self {
        let t = ctx.t();
        let picker = if relations.is_own {
            // The key contacts of every account are the people who matter; found by a search.
            ctx.can_edit()
                .then(|| Picker::new("other_id", t.field_person, PickScope::KeyContacts).required())
        } else {
            relations
                .own_organization
                .filter(|_| ctx.can_edit())
                .map(|own| {
                    Picker::new("other_id", t.field_our_person, PickScope::Organization(own))
                        .required()
                })
        };
        let ours_picker = relations
            .own_organization
            .filter(|_| relations.is_own && ctx.can_edit())
            .map(|own| {
                Picker::new("our_id", t.field_our_person, PickScope::Organization(own)).required()
            });
        let held = relations
            .held
            .into_iter()
            .map(|h| {
                let (level, level_class) = level_name(ctx, h.level.as_ref());
                HeldRow {
                    assignment_id: h.assignment_id,
                    person_id: h.person_id,
                    name: h.name,
                    organization: h.organization,
                    level,
                    level_class,
                    kind: h.kind,
                    rating: h.rating,
                    health: h.health,
                }
            })
            .collect();
        Self {
            is_own: relations.is_own,
            chips: chips(ctx, relations.chips),
            held,
            key_contact_in: relations
                .key_contact_in
                .into_iter()
                .map(|k| (k.account_id, k.account_name, t.decision_role(&k.role)))
                .collect(),
            picker,
            ours_picker,
            today: Utc::now().date_naive().format("%Y-%m-%d").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    d: PersonDetail,
    level: String,
    level_class: String,
    function: String,
    manager: Vec<PersonRow>,
    assists: Vec<PersonRow>,
    reports: Vec<PersonRow>,
    assistants: Vec<PersonRow>,
    /// (organization, unit, title, level, from, until)
    positions: Vec<(String, String, String, String, String, String)>,
    last_change: Option<(String, String)>,
    saved: bool,
    relations: Relations,
    /// For our own people: (capacity set, default of their level, primaries held).
    capacity: Option<(Option<i64>, i64, usize)>,
    /// For partner people: what we know about them.
    insights: Option<InsightSection>,
    /// For partner people: the latest contacts with them.
    contact_log: Option<ContactSection>,
    errors: Vec<String>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<PersonId>,
) -> PageResult {
    show_with_errors(&state, &ctx, id, Vec::new()).await
}

/// The person page, with the problems of a form on it (e.g. assigning a counterpart) on top
/// (then 422).
pub(super) async fn show_with_errors(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    errors: Vec<String>,
) -> PageResult {
    let page = state.app.person_page(&ctx.principal(), id).await?;
    let (insights, contact_log) = if page.detail.organization.kind.is_partner() {
        let who = ctx.principal();
        let (views, logged) = tokio::try_join!(
            state.app.insights_about_person(&who, id),
            state.app.contacts_with_person(&who, id)
        )?;
        (
            Some(InsightSection::of(
                ctx,
                views,
                format!("/people/{id}/insights"),
                false,
            )),
            Some(
                ContactSection::of(ctx, logged, format!("/people/{id}/contacts"), Vec::new())
                    .offering(
                        ctx,
                        page.detail
                            .manager
                            .iter()
                            .chain(&page.detail.assistants)
                            .chain(&page.detail.reports)
                            .map(|p| (p.person.id, p.person.display_name()))
                            .collect(),
                        page.relations
                            .chips
                            .iter()
                            .map(|c| (c.person_id, c.name.clone()))
                            .collect(),
                    ),
            ),
        )
    } else {
        (None, None)
    };
    let levels = &page.levels;
    let d = page.detail;
    let (level, level_class) = level_label(ctx, levels, d.person.level_id);
    let rows = |list: &[PersonSummary]| person_rows(ctx, list, levels);
    let positions = d
        .positions
        .iter()
        .map(|p| {
            (
                p.organization_name.clone(),
                p.unit_name.clone().unwrap_or_default(),
                p.position.job_title.clone().unwrap_or_default(),
                level_label(ctx, levels, p.position.level_id).0,
                ctx.date(&p.position.valid_from),
                p.position
                    .valid_to
                    .map(|d| ctx.date(&d))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ShowPage {
            t: ctx.t(),
            manager: rows(d.manager.as_slice()),
            assists: rows(d.assists.as_slice()),
            reports: rows(&d.reports),
            assistants: rows(&d.assistants),
            saved: ctx.path.contains("saved=1"),
            ctx,
            level,
            level_class,
            function: page
                .function
                .map(|f| ctx.pick(&f.name_de, &f.name_en).to_owned())
                .unwrap_or_default(),
            positions,
            last_change: page
                .last_change
                .map(|e| (e.actor_name, ctx.datetime(&e.at))),
            d,
            relations: Relations::of(ctx, page.relations),
            capacity: page.capacity.map(|c| (c.set, c.default, c.held)),
            insights,
            contact_log,
            errors,
        },
        status,
    ))
}
