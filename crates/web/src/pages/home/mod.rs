//! The overview page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use counterpart_app::home::Home;

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
    home: Home,
}

async fn home(State(state): State<AppState>, Viewer(ctx): Viewer) -> PageResult {
    let home = state.app.home(&ctx.principal()).await?;
    Ok(page(&HomePage {
        t: ctx.t(),
        ctx: &ctx,
        home,
    }))
}
