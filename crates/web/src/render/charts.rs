//! Line charts of values over time, as SVG coordinates for `charts/time.html`: an assignment's
//! ratings (1–5, three series) and the mirror score's trend (0–100, one series).

use chrono::NaiveDate;

use crate::ctx::Ctx;

/// One line of a chart.
pub(crate) struct Series {
    /// CSS class (its colour and dashes).
    pub(crate) class: &'static str,
    /// Its name, for the legend and the tooltip.
    pub(crate) label: &'static str,
    /// `x,y x,y …` for a polyline.
    pub(crate) points: String,
    /// (x, y, date, value) per point, for the dots and their tooltips.
    pub(crate) dots: Vec<(f64, f64, String, f64)>,
}

/// A chart with dates along the x axis and a fixed value range up the y axis.
pub(crate) struct TimeChart {
    pub(crate) width: f64,
    pub(crate) height: f64,
    /// Where the plot starts and ends horizontally (grid lines).
    pub(crate) left: f64,
    pub(crate) right: f64,
    /// (y, label) of the grid lines.
    pub(crate) grid: Vec<(f64, i64)>,
    /// (x, date, text-anchor) of the first and the last day.
    pub(crate) dates: Vec<(f64, String, &'static str)>,
    pub(crate) series: Vec<Series>,
}

impl TimeChart {
    /// The chart's numbers for its table: each day with every series' value.
    pub(crate) fn rows(&self) -> Vec<(String, Vec<String>)> {
        let Some(first) = self.series.first() else {
            return Vec::new();
        };
        (0..first.dots.len())
            .map(|i| {
                let values = self
                    .series
                    .iter()
                    .map(|s| {
                        s.dots
                            .get(i)
                            .map_or_else(String::new, |d| format!("{}", d.3))
                    })
                    .collect();
                (first.dots[i].2.clone(), values)
            })
            .collect()
    }

    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 180.0;
    const LEFT: f64 = 36.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;

    /// A chart of `series` (class, label, one value per day of `days`) over `range`, with grid
    /// lines at `grid`; `None` without days. A single day stands in the middle.
    pub(crate) fn new(
        ctx: &Ctx,
        days: &[NaiveDate],
        range: (f64, f64),
        grid: impl IntoIterator<Item = i64>,
        series: Vec<(&'static str, &'static str, Vec<f64>)>,
    ) -> Option<Self> {
        let (first, last) = (*days.first()?, *days.last()?);
        let span = (last - first).num_days().max(1) as f64;
        let plot_w = Self::WIDTH - Self::LEFT - Self::RIGHT;
        let plot_h = Self::HEIGHT - Self::TOP - Self::BOTTOM;
        let x = |d: NaiveDate| {
            if days.len() == 1 {
                Self::LEFT + plot_w / 2.0
            } else {
                Self::LEFT + plot_w * (d - first).num_days() as f64 / span
            }
        };
        let (low, high) = range;
        let y = |v: f64| Self::TOP + plot_h * (high - v.clamp(low, high)) / (high - low);
        let series = series
            .into_iter()
            .map(|(class, label, values)| {
                let dots: Vec<(f64, f64, String, f64)> = days
                    .iter()
                    .zip(values)
                    .map(|(d, v)| (x(*d), y(v), ctx.date(d), v))
                    .collect();
                let points = dots
                    .iter()
                    .map(|(x, y, _, _)| format!("{x:.1},{y:.1}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                Series {
                    class,
                    label,
                    points,
                    dots,
                }
            })
            .collect();
        let mut dates = vec![(x(first), ctx.date(&first), "start")];
        if days.len() > 1 {
            dates.push((x(last), ctx.date(&last), "end"));
        }
        Some(Self {
            width: Self::WIDTH,
            height: Self::HEIGHT,
            left: Self::LEFT,
            right: Self::WIDTH - Self::RIGHT,
            grid: grid.into_iter().map(|v| (y(v as f64), v)).collect(),
            dates,
            series,
        })
    }
}
