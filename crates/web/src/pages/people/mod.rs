//! People: the search, the person page with their counterparts and capacity (`show.rs`),
//! assigning a counterpart and setting a capacity there (`counterparts.rs`, `capacity.rs`),
//! the person form: create, edit, deactivate (`form.rs`), and new positions: promotion, move,
//! change of employer (`position.rs`).

mod capacity;
mod counterparts;
mod form;
mod insights;
mod merge;
mod position;
mod show;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::people::{PersonRow, person_rows};
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/people", get(search))
        .route("/people/{id}", get(show::show))
        .route("/people/{id}/edit", get(form::edit_form).post(form::update))
        .route("/people/{id}/active", post(form::set_active))
        .route(
            "/people/{id}/position",
            get(position::position_form).post(position::change_position),
        )
        .route("/people/{id}/counterparts", post(counterparts::assign))
        .route("/people/{id}/capacity", post(capacity::set_capacity))
        .route("/people/{id}/insights", post(insights::record))
        .route("/people/{id}/contacts", post(insights::log_contact))
        .route(
            "/people/{id}/merge",
            get(merge::merge_form).post(merge::merge),
        )
        .route("/organizations/{id}/people/new", get(form::new_form))
        .route("/organizations/{id}/people", post(form::create))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "people/search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    q: String,
    people: Vec<PersonRow>,
}

async fn search(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let found = state.app.search_people(&ctx.principal(), &query.q).await?;
    Ok(page(&SearchPage {
        t: ctx.t(),
        people: person_rows(&ctx, &found.people, &found.levels),
        ctx: &ctx,
        q: query.q.trim().to_owned(),
    }))
}
