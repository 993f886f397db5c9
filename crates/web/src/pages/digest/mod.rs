//! The unit digest: what changed on a unit's accounts since a day, as a page, and as an Atom
//! feed behind a secret address per user (made and revoked on the digest page).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use counterpart_app::digest::Digest;
use counterpart_core::ids::UnitId;
use counterpart_core::insight::Category;
use counterpart_core::mirror::analysis::FindingKind;
use counterpart_core::person::parse_date;
use counterpart_core::validate::FieldErrors;
use counterpart_store::{NewFinding, PairChange, RatingChange};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::error::AppError;
use crate::i18n::Texts;
use crate::render::counterparts::contact_line;
use crate::render::forms::error_lines;
use crate::render::insights::{category, insight_href};
use crate::render::{PageResult, render, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/units/{id}/digest", get(show))
        .route("/units/{id}/digest/feed", post(create_feed))
        .route("/feeds/revoke", post(revoke_feed))
        .route("/feeds/digest/{token}", get(feed))
}

/// One line of the digest: a link, its text and a small note.
pub(crate) struct Line {
    pub(crate) href: String,
    pub(crate) text: String,
    pub(crate) note: String,
}

/// The digest as a page and a feed show it: what we learned by category, then the other
/// changes, each a list of lines.
pub(crate) struct Sections {
    pub(crate) learned: Vec<(&'static str, Vec<Line>)>,
    pub(crate) ratings: Vec<Line>,
    pub(crate) pairs: Vec<Line>,
    pub(crate) due: Vec<(&'static str, Line)>,
    /// "and 1,234 more pairs due" when the digest names only the most overdue; else empty.
    pub(crate) due_more: String,
    pub(crate) findings: Vec<Line>,
    pub(crate) attention: Vec<Line>,
}

/// A kind of finding in a few words.
pub(crate) fn finding_kind(t: &Texts, kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Uncovered => t.finding_kind_uncovered,
        FindingKind::TheirsAbove => t.finding_kind_theirs_above,
        FindingKind::OursAbove => t.finding_kind_ours_above,
        FindingKind::AssistantUnpaired => t.finding_kind_assistant_unpaired,
        FindingKind::AssistantReversed => t.finding_kind_assistant_reversed,
        FindingKind::BowTie => t.finding_kind_bow_tie,
        FindingKind::NobodyResponsible => t.finding_kind_nobody_responsible,
        FindingKind::OverCapacity => t.finding_kind_over_capacity,
        FindingKind::Stale => t.finding_kind_stale,
        FindingKind::NoJourFixe => t.finding_kind_no_jour_fixe,
        FindingKind::OverdueActions => t.finding_kind_overdue_actions,
    }
}

/// A new finding as a digest line: "Ohne Gegenüber bei uns: Heinrich Brandt" on the account's
/// mirror, "Brandt AG · erstmals gesehen 03.12.2026".
fn finding_line(ctx: &Ctx, f: &NewFinding) -> Line {
    let t = ctx.t();
    let people = match (&f.contact, &f.ours) {
        (Some((_, theirs)), Some(ours)) => format!(": {theirs} ↔ {ours}"),
        (Some((_, theirs)), None) => format!(": {theirs}"),
        (None, Some(ours)) => format!(": {ours}"),
        (None, None) => String::new(),
    };
    Line {
        href: format!("/accounts/{}/mirror", f.account.0),
        text: format!("{}{people}", finding_kind(t, f.kind)),
        note: format!(
            "{} · {} {}",
            f.account.1,
            t.digest_finding_seen,
            ctx.date(&f.first_seen_at.with_timezone(&ctx.time_zone).date_naive())
        ),
    }
}

impl Sections {
    pub(crate) fn of(ctx: &Ctx, digest: &Digest) -> Self {
        let t = ctx.t();
        let learned = Category::ALL
            .iter()
            .map(|c| {
                let lines = digest
                    .insights
                    .iter()
                    .filter(|v| v.insight.category == *c)
                    .map(|v| {
                        let i = &v.insight;
                        Line {
                            href: insight_href(i),
                            text: i.text.clone(),
                            note: format!(
                                "{}{} · {}",
                                v.partner_name
                                    .as_deref()
                                    .map(|n| format!("{n} · "))
                                    .unwrap_or_default(),
                                ctx.date(&i.learned_on),
                                v.author_name
                            ),
                        }
                    })
                    .collect::<Vec<_>>();
                (category(t, *c), lines)
            })
            .filter(|(_, lines)| !lines.is_empty())
            .collect();
        let ratings = digest
            .ratings
            .iter()
            .map(|r| Line {
                href: format!("/assignments/{}", r.assignment_id),
                text: rating_text(t, r),
                note: ctx.date(&r.rated_on),
            })
            .collect();
        let pairs = digest
            .pairs
            .iter()
            .map(|p| Line {
                href: format!("/assignments/{}", p.assignment_id),
                text: format!("{} ↔ {}", p.partner.1, p.ours),
                note: format!("{} {}", pair_change(t, p), ctx.date(&p.day)),
            })
            .collect();
        let due = digest
            .due
            .iter()
            .map(|d| {
                (
                    d.cadence.state.key(),
                    Line {
                        href: format!("/people/{}/briefing", d.partner_id),
                        text: format!("{} ↔ {}", d.partner, d.ours),
                        note: contact_line(ctx, &d.cadence),
                    },
                )
            })
            .collect();
        let findings = digest
            .findings
            .iter()
            .map(|f| finding_line(ctx, f))
            .collect();
        let attention = digest
            .attention
            .iter()
            .map(|a| Line {
                href: format!("/accounts/{}/briefing", a.account.id),
                text: a.account.name.clone(),
                note: format!(
                    "{}{}",
                    t.gaps(a.gaps),
                    a.mirror_score
                        .map(|m| format!(" · {} {m:.0}", t.col_mirror))
                        .unwrap_or_default()
                ),
            })
            .collect();
        Self {
            learned,
            ratings,
            pairs,
            due,
            due_more: if digest.due_more > 0 {
                format!("+ {}", t.more_due(digest.due_more))
            } else {
                String::new()
            },
            findings,
            attention,
        }
    }
}

/// A rating given, in words: "Brandt ↔ Schneider: Beziehung 3 → 4 · Zufriedenheit 4".
pub(crate) fn rating_text(t: &Texts, r: &RatingChange) -> String {
    format!(
        "{} ↔ {}: {} {}{} · {} {}",
        r.partner.1,
        r.ours,
        t.relationship,
        r.previous.map(|p| format!("{p} → ")).unwrap_or_default(),
        r.relationship,
        t.satisfaction,
        r.satisfaction
    )
}

/// Whether a pair began or ended, in a word.
pub(crate) fn pair_change(t: &Texts, p: &PairChange) -> &'static str {
    if p.ended {
        t.digest_pair_ended
    } else {
        t.digest_pair_began
    }
}

#[derive(Template)]
#[template(path = "digest/show.html")]
struct DigestPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    digest: Digest,
    sections: Sections,
    since: String,
    /// A feed address made just now, shown this once.
    new_feed: Option<String>,
    /// The reader's feed addresses for this unit: (id, made, last used, revoked).
    feeds: Vec<(i64, String, Option<String>, Option<String>)>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default)]
struct SinceQuery {
    #[serde(default)]
    since: String,
}

/// The digest page from `since` (typed; a wrong day is named and the default used).
async fn digest_page(
    state: &AppState,
    ctx: &Ctx,
    unit: UnitId,
    since: &str,
    new_feed: Option<String>,
    mut errors: Vec<String>,
) -> PageResult {
    let day: Option<NaiveDate> = match since.trim() {
        "" => None,
        typed => match parse_date(typed) {
            Ok(day) => Some(day),
            Err(problem) => {
                errors.extend(error_lines(ctx, &FieldErrors::single("since", problem)));
                None
            }
        },
    };
    let who = ctx.principal();
    let digest = state.app.unit_digest(&who, unit, day).await?;
    let feeds = state
        .app
        .feeds(&who)
        .await?
        .into_iter()
        .filter(|f| f.unit_id == Some(unit))
        .map(|f| {
            (
                f.id,
                ctx.datetime(&f.created_at),
                f.last_used_at.map(|at| ctx.datetime(&at)),
                f.revoked_at.map(|at| ctx.datetime(&at)),
            )
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &DigestPage {
            t: ctx.t(),
            sections: Sections::of(ctx, &digest),
            since: digest.since.format("%Y-%m-%d").to_string(),
            ctx,
            digest,
            new_feed,
            feeds,
            errors,
        },
        status,
    ))
}

async fn show(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(unit): Path<UnitId>,
    Query(query): Query<SinceQuery>,
) -> PageResult {
    digest_page(&state, &ctx, unit, &query.since, None, Vec::new()).await
}

/// The feed form: a button that says what it makes.
#[derive(Deserialize)]
struct CreateForm {
    #[serde(default)]
    create: String,
}

async fn create_feed(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(unit): Path<UnitId>,
    Form(form): Form<CreateForm>,
) -> PageResult {
    if form.create != "feed" {
        let errors = error_lines(
            &ctx,
            &FieldErrors::single("create", counterpart_core::validate::Problem::Required),
        );
        return digest_page(&state, &ctx, unit, "", None, errors).await;
    }
    let token = state.app.create_digest_feed(&ctx.principal(), unit).await?;
    let base = state.public_base();
    let address = format!("{base}/feeds/digest/{token}");
    digest_page(&state, &ctx, unit, "", Some(address), Vec::new()).await
}

/// The revoke form: which address, and the unit page to return to.
#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    id: String,
}

async fn revoke_feed(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Form(form): Form<RevokeForm>,
) -> PageResult {
    let Ok(id) = form.id.trim().parse::<i64>() else {
        return Err(AppError::BadRequest);
    };
    let revoked = state.app.revoke_feed(&ctx.principal(), id).await?;
    Ok(see_other(&revoked.unit_id.map_or_else(
        || "/settings/tokens".to_owned(),
        |unit| format!("/units/{unit}/digest"),
    )))
}

#[derive(Template)]
#[template(path = "digest/feed.xml", escape = "html")]
struct FeedDocument<'a> {
    t: &'static Texts,
    digest: &'a Digest,
    sections: Sections,
    base: String,
    token_path: String,
    updated: String,
}

/// The Atom feed of a secret address: the last week's digest as its user may read it, in
/// the language of the installation's default (German). An unknown or revoked address is a
/// 404, like any page that does not exist.
async fn feed(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let token = token.trim_end_matches(".atom");
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let (digest, reader) = match state.app.digest_by_feed(token).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => return AppError::from(e).into_response(),
    };
    let ctx = Ctx::for_feed(
        &state,
        reader
            .language
            .unwrap_or(counterpart_core::user::Language::De),
    );
    let base = state.public_base();
    let document = FeedDocument {
        t: ctx.t(),
        sections: Sections::of(&ctx, &digest),
        digest: &digest,
        token_path: format!("{base}/feeds/digest/{token}"),
        base,
        updated: counterpart_store::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    match document.render() {
        Ok(xml) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "private, no-store"),
            ],
            xml,
        )
            .into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}
