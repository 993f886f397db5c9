//! One search over people, organizations, accounts and what we know (`/search?q=`), as you
//! type.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use counterpart_app::search::SearchResults;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::insights::category;
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

#[derive(Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    q: String,
    found: SearchResults,
    /// What we know, as (person or account link, its name, category, text, date).
    known: Vec<(String, String, &'static str, String, String)>,
    /// The contact log, as (person, their name, kind, summary, date, who logged it).
    logged: Vec<(i64, String, &'static str, String, String, String)>,
}

async fn search(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    let q = query.q.trim().to_owned();
    let found = state.app.search_everything(&ctx.principal(), &q).await?;
    let t = ctx.t();
    let known = found
        .insights
        .iter()
        .map(|v| {
            let i = &v.insight;
            let (href, name) = match (i.partner_id, i.account_id) {
                (Some(p), _) => (
                    format!("/people/{p}#insights"),
                    v.partner_name.clone().unwrap_or_default(),
                ),
                (None, Some(a)) => (format!("/accounts/{a}#insights"), t.account.to_owned()),
                (None, None) => ("/".to_owned(), String::new()),
            };
            (
                href,
                name,
                category(t, i.category),
                i.text.clone(),
                ctx.date(&i.learned_on),
            )
        })
        .collect();
    let logged = found
        .contacts
        .iter()
        .map(|v| {
            let c = &v.interaction;
            (
                c.partner_id.get(),
                v.partner_name.clone(),
                crate::render::contacts::kind(t, c.kind),
                c.summary.clone(),
                ctx.date(&c.happened_on),
                v.author_name.clone(),
            )
        })
        .collect();
    Ok(page(&SearchPage {
        ctx: &ctx,
        t,
        q,
        found,
        known,
        logged,
    }))
}
