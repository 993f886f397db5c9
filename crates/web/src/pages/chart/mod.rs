//! The org chart of an organization or one of its units, as an SVG picture drawn from
//! core's layout, with a level filter, collapsible units and an indented list beside it.

use std::collections::{BTreeSet, HashMap, HashSet};

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use counterpart_app::charts::{ChartRequest, OrgChart};
use counterpart_core::ids::{OrganizationId, UnitId};
use counterpart_core::ladder::Level;
use counterpart_core::org::{Organization, Unit};
use counterpart_core::orgchart::{LinkKind, NodeKind, outline};

use crate::AppState;
use crate::ctx::{Ctx, Viewer, encode_component};
use crate::i18n::Texts;
use crate::render::{PageResult, page};

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/organizations/{id}/chart", get(chart))
}

/// The chart's settings as they arrive in the query string. `collapse` may repeat.
#[derive(Clone, Debug, Default)]
struct Settings {
    unit: Option<UnitId>,
    max_level: Option<i64>,
    collapsed: BTreeSet<UnitId>,
}

impl Settings {
    fn parse(pairs: &[(String, String)]) -> Self {
        let mut s = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "unit" => s.unit = value.parse().ok().map(UnitId::new),
                "levels" => s.max_level = value.parse().ok().filter(|n| *n >= 1),
                "collapse" => s.collapsed.extend(
                    value
                        .split(',')
                        .filter_map(|v| v.parse().ok())
                        .map(UnitId::new),
                ),
                _ => {}
            }
        }
        s
    }

    /// The URL of the chart with these settings, one unit's collapse state flipped.
    fn href(&self, org: OrganizationId, toggle: Option<UnitId>) -> String {
        let mut collapsed = self.collapsed.clone();
        if let Some(unit) = toggle
            && !collapsed.remove(&unit)
        {
            collapsed.insert(unit);
        }
        let mut query = Vec::new();
        if let Some(unit) = self.unit {
            query.push(format!("unit={unit}"));
        }
        if let Some(levels) = self.max_level {
            query.push(format!("levels={levels}"));
        }
        if !collapsed.is_empty() {
            let list: Vec<String> = collapsed.iter().map(ToString::to_string).collect();
            query.push(format!("collapse={}", encode_component(&list.join(","))));
        }
        format!("/organizations/{org}/chart?{}", query.join("&"))
    }
}

/// A line of the list: (depth, person id, name, job title, level, level class).
type ListRow = (usize, i64, String, String, String, String);

/// A person's box.
struct PersonBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    id: i64,
    name: String,
    title: String,
    full: String,
    level_class: String,
    hidden: usize,
    assistant: bool,
}

/// A collapsed unit's box or a unit caption.
struct UnitBox {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    name: String,
    short: String,
    people: usize,
    toggle: String,
}

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    org: Organization,
    unit: Option<Unit>,
    width: f64,
    height: f64,
    boxes: Vec<PersonBox>,
    collapsed: Vec<UnitBox>,
    captions: Vec<UnitBox>,
    links: Vec<(String, bool)>,
    list: Vec<ListRow>,
    legend: Vec<(String, String)>,
    unit_choices: Vec<(String, String, bool)>,
    level_choices: Vec<(String, String, bool)>,
    collapse_choices: Vec<(String, String, bool)>,
    people: usize,
}

/// Shortens a text to fit a box: at most `max` characters, with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
        short.push('…');
        short
    }
}

fn level_class(rank: Option<i64>) -> String {
    match rank {
        Some(r @ 1..=5) => r.to_string(),
        Some(_) => "x".into(),
        None => "x".into(),
    }
}

/// The picture's boxes, folded units and unit captions.
struct Boxes {
    people: Vec<PersonBox>,
    collapsed: Vec<UnitBox>,
    captions: Vec<UnitBox>,
}

/// The name of a level by rank, in the user's language.
fn level_name(ctx: &Ctx, levels: &[Level], rank: Option<i64>) -> String {
    levels
        .iter()
        .find(|l| Some(l.rank) == rank)
        .map(|l| ctx.pick(&l.name_de, &l.name_en).to_owned())
        .unwrap_or_default()
}

/// Turns the layout's nodes into the boxes the SVG draws.
fn boxes(ctx: &Ctx, chart: &OrgChart, settings: &Settings) -> Boxes {
    let by_id: HashMap<_, _> = chart.rows.iter().map(|r| (r.id, r)).collect();
    let unit_names: HashMap<UnitId, &str> = chart
        .units
        .iter()
        .map(|u| (u.id, u.name.as_str()))
        .collect();
    let unit_name = |id: &UnitId| unit_names.get(id).copied().unwrap_or("");
    let org = chart.organization.id;
    let mut out = Boxes {
        people: Vec::new(),
        collapsed: Vec::new(),
        captions: Vec::new(),
    };
    for node in &chart.picture.nodes {
        let (x, y, width, height) = (node.x, node.y, node.width, node.height);
        match node.kind {
            NodeKind::Person { id, hidden_reports }
            | NodeKind::Assistant {
                id, hidden_reports, ..
            } => {
                let Some(row) = by_id.get(&id) else { continue };
                let title = row.job_title.clone().unwrap_or_default();
                let level = level_name(ctx, &chart.levels, row.level_rank);
                out.people.push(PersonBox {
                    x,
                    y,
                    width,
                    height,
                    id: id.get(),
                    name: fit(&row.name, 26),
                    title: fit(&title, 30),
                    full: format!("{} – {} ({level})", row.name, title),
                    level_class: level_class(row.level_rank),
                    hidden: hidden_reports,
                    assistant: matches!(node.kind, NodeKind::Assistant { .. }),
                });
            }
            NodeKind::CollapsedUnit { unit_id, people } => out.collapsed.push(UnitBox {
                x,
                y,
                width,
                height,
                name: unit_name(&unit_id).to_owned(),
                short: fit(unit_name(&unit_id), 24),
                people,
                toggle: settings.href(org, Some(unit_id)),
            }),
            NodeKind::UnitCaption { unit_id } => out.captions.push(UnitBox {
                x,
                y,
                width,
                height,
                name: unit_name(&unit_id).to_owned(),
                short: unit_name(&unit_id).to_owned(),
                people: 0,
                toggle: settings.href(org, Some(unit_id)),
            }),
        }
    }
    out
}

/// The lines between boxes, as SVG polyline points, marked when they lead to an assistant.
fn links(chart: &OrgChart) -> Vec<(String, bool)> {
    let picture = &chart.picture;
    picture
        .links
        .iter()
        .map(|link| {
            let points = link
                .path(picture)
                .iter()
                .map(|(x, y)| format!("{x:.1},{y:.1}"))
                .collect::<Vec<_>>()
                .join(" ");
            (points, link.kind == LinkKind::Assists)
        })
        .collect()
}

/// The indented list beside the picture: the people drawn, in reporting order.
fn list(ctx: &Ctx, chart: &OrgChart, drawn: &[PersonBox]) -> Vec<ListRow> {
    let by_id: HashMap<_, _> = chart.rows.iter().map(|r| (r.id, r)).collect();
    let visible: HashSet<i64> = drawn.iter().map(|b| b.id).collect();
    outline(&chart.people)
        .into_iter()
        .filter(|(id, _)| visible.contains(&id.get()))
        .filter_map(|(id, depth)| {
            let row = by_id.get(&id)?;
            Some((
                depth,
                id.get(),
                row.name.clone(),
                row.job_title.clone().unwrap_or_default(),
                level_name(ctx, &chart.levels, row.level_rank),
                level_class(row.level_rank),
            ))
        })
        .collect()
}

/// The filter's choices: (value, label, chosen) for the unit, the lowest level and the
/// units to fold.
struct Choices {
    units: Vec<(String, String, bool)>,
    levels: Vec<(String, String, bool)>,
    collapse: Vec<(String, String, bool)>,
}

fn choices(ctx: &Ctx, chart: &OrgChart, settings: &Settings) -> Choices {
    let t = ctx.t();
    let indented =
        |n: &counterpart_core::org::UnitNode| format!("{}{}", "– ".repeat(n.depth), n.unit.name);
    let mut units = vec![(String::new(), t.all_units.to_owned(), chart.scope.is_none())];
    units.extend(chart.tree.iter().filter(|n| n.unit.active).map(|n| {
        (
            n.unit.id.to_string(),
            indented(n),
            Some(n.unit.id) == chart.scope,
        )
    }));
    let mut levels = vec![(
        String::new(),
        t.all_levels.to_owned(),
        settings.max_level.is_none(),
    )];
    let all_but_last = chart.levels.len().saturating_sub(1);
    levels.extend(chart.levels.iter().take(all_but_last).map(|l| {
        (
            l.rank.to_string(),
            format!("{} 1–{}", t.levels_up_to, l.rank),
            settings.max_level == Some(l.rank),
        )
    }));
    let in_scope = |id: &UnitId| chart.in_scope.as_ref().is_none_or(|s| s.contains(id));
    let collapse = chart
        .tree
        .iter()
        .filter(|n| in_scope(&n.unit.id) && n.unit.active)
        .map(|n| {
            (
                n.unit.id.to_string(),
                indented(n),
                settings.collapsed.contains(&n.unit.id),
            )
        })
        .collect();
    Choices {
        units,
        levels,
        collapse,
    }
}

async fn chart(
    State(state): State<AppState>,
    Viewer(ctx): Viewer,
    Path(id): Path<OrganizationId>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let settings = Settings::parse(&pairs);
    let request = ChartRequest {
        unit: settings.unit,
        max_level: settings.max_level,
        collapsed: settings.collapsed.clone(),
    };
    let chart = state.app.org_chart(&ctx.principal(), id, &request).await?;
    let drawn = boxes(&ctx, &chart, &settings);
    let choices = choices(&ctx, &chart, &settings);
    let legend = chart
        .levels
        .iter()
        .map(|l| {
            (
                level_class(Some(l.rank)),
                format!("{} · {}", l.rank, ctx.pick(&l.name_de, &l.name_en)),
            )
        })
        .collect();
    Ok(page(&ChartPage {
        ctx: &ctx,
        t: ctx.t(),
        unit: chart
            .scope
            .and_then(|u| chart.units.iter().find(|x| x.id == u).cloned()),
        width: chart.picture.width.max(320.0),
        height: chart.picture.height.max(80.0),
        links: links(&chart),
        list: list(&ctx, &chart, &drawn.people),
        boxes: drawn.people,
        collapsed: drawn.collapsed,
        captions: drawn.captions,
        legend,
        unit_choices: choices.units,
        level_choices: choices.levels,
        collapse_choices: choices.collapse,
        people: chart.rows.len(),
        org: chart.organization,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_the_url() {
        let pairs = vec![
            ("unit".to_owned(), "4".to_owned()),
            ("levels".to_owned(), "3".to_owned()),
            ("collapse".to_owned(), "7".to_owned()),
            ("collapse".to_owned(), "9,11".to_owned()),
        ];
        let s = Settings::parse(&pairs);
        assert_eq!(s.max_level, Some(3));
        assert_eq!(s.collapsed.len(), 3);
        let href = s.href(OrganizationId::new(2), Some(UnitId::new(9)));
        assert_eq!(
            href,
            "/organizations/2/chart?unit=4&levels=3&collapse=7%2C11"
        );
    }

    #[test]
    fn long_names_are_shortened_with_an_ellipsis() {
        assert_eq!(fit("Weißenfels", 20), "Weißenfels");
        assert_eq!(
            fit("Bereichsleiter Vertrieb & Key Account Management", 12),
            "Bereichslei…"
        );
    }
}
