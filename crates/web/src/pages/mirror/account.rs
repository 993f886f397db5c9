//! The mirror page of an account: score, shape, findings, the level × level heat map and the
//! picture of both hierarchies with the counterpart lines between them.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use counterpart_app::mirror::HeatCell;
use counterpart_core::account::{AssignmentKind, Health};
use counterpart_core::ids::{AccountId, AssignmentId, PersonId};
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{AccountAnalysis, Shape};
use counterpart_core::mirror::view::MirrorView;
use counterpart_store::PersonLabel;

use super::{DoneQuery, score_trend};
use crate::AppState;
use crate::ctx::{Ctx, Viewer};
use crate::i18n::Texts;
use crate::render::charts::TimeChart;
use crate::render::findings::{FindingRow, finding_rows};
use crate::render::score_class;
use crate::render::{PageResult, page};
use crate::wording::{self, Names};

/// The level × level matrix as rows of (their level, cells), with our levels as columns.
struct Heatmap {
    columns: Vec<String>,
    rows: Vec<(String, Vec<HeatCell>)>,
}

impl Heatmap {
    /// The heat map with its levels named.
    fn of(names: &Names<'_>, heatmap: counterpart_app::mirror::Heatmap) -> Self {
        let labels: Vec<String> = heatmap.axis.iter().map(|r| names.level(*r)).collect();
        Self {
            rows: labels.iter().cloned().zip(heatmap.rows).collect(),
            columns: labels,
        }
    }
}

#[derive(Template)]
#[template(path = "mirror/account.html")]
struct AccountPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    account_id: AccountId,
    account_name: String,
    active: bool,
    analysis: Option<AccountAnalysis>,
    shape_name: &'static str,
    shape_text: &'static str,
    findings: Vec<FindingRow>,
    heatmap: Option<Heatmap>,
    view: Option<MirrorView>,
    labels: HashMap<PersonId, PersonLabel>,
    links: HashMap<(PersonId, PersonId), AssignmentId>,
    levels: Vec<Level>,
    trend: Option<TimeChart>,
    accepted: Option<usize>,
}

/// Characters that fit a box of the mirror view: names in bold, subtitles in small print.
const BOX_NAME_CHARS: usize = 26;
const BOX_SUBTITLE_CHARS: usize = 36;

/// Shortens a text to `max` characters, ending in "…" when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

impl AccountPage<'_> {
    fn name(&self, id: &PersonId) -> String {
        self.labels
            .get(id)
            .map_or_else(|| format!("#{id}"), |l| l.name.clone())
    }

    /// The name as it fits a box.
    fn box_name(&self, id: &PersonId) -> String {
        clip(&self.name(id), BOX_NAME_CHARS)
    }

    /// The subtitle as it fits a box.
    fn box_subtitle(&self, id: &PersonId, covered: &bool) -> String {
        let subtitle = self.subtitle(id);
        if !*covered {
            clip(
                &format!("⚠ {} · {subtitle}", self.t.no_counterpart_short),
                BOX_SUBTITLE_CHARS,
            )
        } else {
            clip(&subtitle, BOX_SUBTITLE_CHARS)
        }
    }

    fn subtitle(&self, id: &PersonId) -> String {
        let Some(label) = self.labels.get(id) else {
            return String::new();
        };
        let level = Names::new(self.ctx.lang, &self.labels, &self.levels).level(label.level_rank);
        match &label.job_title {
            Some(job) if !job.is_empty() => format!("{level} · {job}"),
            _ => level,
        }
    }

    fn band_label(&self, rank: &Option<i64>) -> String {
        Names::new(self.ctx.lang, &self.labels, &self.levels).level(*rank)
    }

    fn link(&self, partner: &PersonId, ours: &PersonId) -> String {
        self.links.get(&(*partner, *ours)).map_or_else(
            || format!("/people/{partner}"),
            |id| format!("/assignments/{id}"),
        )
    }

    fn health_name(&self, health: &Health) -> &'static str {
        self.t.health(health)
    }

    /// (CSS class, label) of the line colours.
    fn legend(&self) -> Vec<(&'static str, &'static str)> {
        let mut keys: Vec<(&'static str, &'static str)> =
            [Health::Good, Health::Fair, Health::Poor, Health::Unrated]
                .iter()
                .map(|h| (h.class(), self.t.health(h)))
                .collect();
        keys.push(("deputy", self.t.assignment_kind(&AssignmentKind::Deputy)));
        keys
    }

    fn kind_name(&self, kind: &AssignmentKind) -> &'static str {
        self.t.assignment_kind(kind)
    }

    fn is_deputy(&self, kind: &AssignmentKind) -> bool {
        *kind == AssignmentKind::Deputy
    }

    fn score_class(&self, score: &f64) -> &'static str {
        score_class(*score)
    }
}

pub(super) async fn account_mirror(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<AccountId>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let mirror = state.app.account_mirror(&ctx.principal(), id).await?;
    let names = Names::new(ctx.lang, &mirror.labels, &mirror.levels);
    let findings = finding_rows(&ctx, &mirror.findings, &mirror.labels, &mirror.levels);
    let heatmap = mirror.heatmap.map(|h| Heatmap::of(&names, h));
    let shape = mirror.analysis.as_ref().map_or(Shape::Empty, |a| a.shape);
    Ok(page(&AccountPage {
        t: ctx.t(),
        account_id: id,
        account_name: mirror.account.name,
        active: mirror.account.active,
        shape_name: wording::shape(ctx.lang, shape),
        shape_text: wording::shape_explained(ctx.lang, shape),
        findings,
        heatmap,
        view: mirror.view,
        links: mirror.links,
        trend: score_trend(&ctx, &mirror.history),
        analysis: mirror.analysis,
        labels: mirror.labels,
        levels: mirror.levels,
        accepted: q.accepted,
        ctx: &ctx,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_clipped_to_their_box() {
        assert_eq!(clip("Kurz", 10), "Kurz");
        assert_eq!(clip("Abteilungsleiterin Key Account", 12), "Abteilungsl…");
        assert_eq!(clip("Größenänderung", 5).chars().count(), 5);
    }
}
