//! One search over people, organizations, accounts and what we know (`/search?q=`), as you
//! type.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use counterpart_app::search::SearchResults;
use counterpart_core::text::MAX_QUERY_CHARS;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::insights::{category, insight_href};
use crate::render::{PageResult, page, render};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/search", get(search))
        .route("/search/quick", get(quick))
}

/// Hits of each kind the header's box shows while one types.
const QUICK_HITS: usize = 3;

/// A quick hit: where it leads, its name, a few words beside it.
struct Hit {
    href: String,
    name: String,
    note: String,
}

/// The header box's results while one types: a few hits of each kind and the way to all.
#[derive(Template)]
#[template(path = "search_quick.html")]
struct QuickResults {
    t: &'static Texts,
    /// The search page with every result.
    all: String,
    /// Why the search was refused, if it was.
    error: Option<&'static str>,
    /// Kinds with their first hits.
    groups: Vec<(&'static str, Vec<Hit>)>,
}

/// At most `n` characters of `text`, with an ellipsis if cut.
fn short(text: &str, n: usize) -> String {
    let mut chars = text.chars();
    let cut: String = chars.by_ref().take(n).collect();
    if chars.next().is_some() {
        format!("{}…", cut.trim_end())
    } else {
        cut
    }
}

/// The header's search box, as you type: a fragment for htmx, empty for an empty query.
async fn quick(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Query(query): Query<SearchQuery>,
) -> PageResult {
    use axum::response::{Html, IntoResponse};
    let q = query.q.trim().to_owned();
    if q.is_empty() {
        return Ok(Html(String::new()).into_response());
    }
    let t = ctx.t();
    let all = format!(
        "/search?{}",
        serde_urlencoded::to_string([("q", &q)]).unwrap_or_default()
    );
    // The use case refuses a search longer than anyone types; it is said where the hits go.
    let found = match state.app.search_everything(&ctx.principal(), &q).await {
        Err(counterpart_app::Error::Invalid(_)) => {
            let refused = QuickResults {
                t,
                all,
                error: Some(t.search_too_long),
                groups: Vec::new(),
            };
            return Ok(render(&refused, StatusCode::UNPROCESSABLE_ENTITY));
        }
        found => found?,
    };
    let group = |name: &'static str, hits: Vec<Hit>| {
        (name, hits.into_iter().take(QUICK_HITS).collect::<Vec<_>>())
    };
    let groups = vec![
        group(
            t.nav_people,
            found
                .people
                .iter()
                .map(|p| Hit {
                    href: format!("/people/{}", p.person.id),
                    name: p.person.display_name(),
                    note: p.organization_name.clone(),
                })
                .collect(),
        ),
        group(
            t.nav_organizations,
            found
                .organizations
                .iter()
                .map(|(id, name, kind)| Hit {
                    href: format!("/organizations/{id}"),
                    name: name.clone(),
                    note: t.organization_kind(kind).to_owned(),
                })
                .collect(),
        ),
        group(
            t.nav_accounts,
            found
                .accounts
                .iter()
                .map(|(id, name)| Hit {
                    href: format!("/accounts/{id}/briefing"),
                    name: name.clone(),
                    note: t.briefing_title.to_owned(),
                })
                .collect(),
        ),
        group(
            t.insights_title,
            found
                .insights
                .iter()
                .map(|v| {
                    let i = &v.insight;
                    Hit {
                        href: insight_href(i),
                        name: short(&i.text, 60),
                        note: v.partner_name.clone().unwrap_or_default(),
                    }
                })
                .collect(),
        ),
        group(
            t.contacts_title,
            found
                .contacts
                .iter()
                .map(|v| Hit {
                    href: format!("/people/{}#contact-log", v.interaction.partner_id),
                    name: short(&v.interaction.summary, 60),
                    note: v.partner_name.clone(),
                })
                .collect(),
        ),
    ]
    .into_iter()
    .filter(|(_, hits)| !hits.is_empty())
    .collect();
    Ok(page(&QuickResults {
        t,
        all,
        error: None,
        groups,
    }))
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
    /// Why the search was refused, if it was.
    error: Option<&'static str>,
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
    let t = ctx.t();
    let found = match state.app.search_everything(&ctx.principal(), &q).await {
        Err(counterpart_app::Error::Invalid(_)) => {
            let page = SearchPage {
                ctx: &ctx,
                t,
                q: q.chars().take(MAX_QUERY_CHARS).collect(),
                error: Some(t.search_too_long),
                found: SearchResults::default(),
                known: Vec::new(),
                logged: Vec::new(),
            };
            return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY));
        }
        found => found?,
    };
    let known = found
        .insights
        .iter()
        .map(|v| {
            let i = &v.insight;
            let name = match (&v.partner_name, i.account_id) {
                (Some(name), _) => name.clone(),
                (None, Some(_)) => t.account.to_owned(),
                (None, None) => String::new(),
            };
            (
                insight_href(i),
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
        error: None,
        found,
        known,
        logged,
    }))
}
