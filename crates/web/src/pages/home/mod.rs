//! The overview page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use counterpart_store::{OrganizationFilter, OrganizationSummary};

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    own: Option<OrganizationSummary>,
    partners: Vec<OrganizationSummary>,
}

async fn home(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    let mut all = state
        .app
        .organizations(&ctx.principal(), &OrganizationFilter::default())
        .await?;
    let own_index = all.iter().position(|o| !o.organization.kind.is_partner());
    let own = own_index.map(|i| all.remove(i));
    Ok(page(&HomePage {
        t: ctx.t(),
        ctx: &ctx,
        own,
        partners: all,
    }))
}
