//! Accounts: the list with filters, the account page with key contacts, counterparts, the
//! importance breakdown and the mirror in brief (`show.rs`), and the account form: create,
//! edit, deactivate (`form.rs`).

mod form;
mod show;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use counterpart_app::accounts::ACCOUNTS_PAGE;
use counterpart_store::AccountSummary;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::filters::{FilterQuery, filter_fields};
use crate::render::{Field, PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/accounts", get(list).post(form::create))
        .route("/accounts/new", get(form::new_form))
        .route("/accounts/{id}", get(show::show))
        .route(
            "/accounts/{id}/edit",
            get(form::edit_form).post(form::update),
        )
        .route("/accounts/{id}/active", post(form::set_active))
        .route("/accounts/{id}/contacts", post(show::add_contact))
        .route("/accounts/{id}/insights", post(show::record_insight))
        .route("/accounts/{id}/contact-log", post(show::log_contact))
        .route("/key-contacts/{id}", post(show::update_contact))
        .route("/key-contacts/{id}/remove", post(show::remove_contact))
        .route("/accounts/{id}/importance", post(show::rate_importance))
}

#[derive(Template)]
#[template(path = "accounts/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    filters: Vec<Field>,
    rows: Vec<AccountSummary>,
    /// The rows shown, as (first, last, of all), counting from 1.
    range: (usize, usize, usize),
    previous: Option<String>,
    next: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(q): Query<FilterQuery>,
) -> PageResult {
    let list = state
        .app
        .account_list(&ctx.principal(), &q.filter(), q.page)
        .await?;
    let link = |page: usize| format!("/accounts?{}&page={page}", q.query());
    let (first, total) = (list.first, list.total);
    Ok(page(&ListPage {
        t: ctx.t(),
        filters: filter_fields(&ctx, &q, list.our_units),
        ctx: &ctx,
        range: (first + 1, first + list.accounts.len(), total),
        previous: (q.page > 0 && first > 0).then(|| link(q.page - 1)),
        next: (first + ACCOUNTS_PAGE < total).then(|| link(q.page + 1)),
        rows: list.accounts,
    }))
}
