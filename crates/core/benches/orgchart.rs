//! Times `orgchart::layout` on a 2,000-person unit and a 20,000-person organisation (also with
//! a level filter and with collapsed departments) and prints the median and fastest time over
//! several runs together with the size of the resulting picture.
//!
//! Run: `cargo bench -p counterpart-core --bench orgchart`. `ORGCHART_RUNS` sets the runs per
//! case (default 15).

use std::collections::BTreeSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use counterpart_core::ids::{PersonId, UnitId};
use counterpart_core::orgchart::{ChartOptions, ChartPerson, ChartUnit, Layout, layout};

/// Input of one chart, built up unit by unit.
#[derive(Default)]
struct Chart {
    units: Vec<ChartUnit>,
    people: Vec<ChartPerson>,
}

impl Chart {
    fn unit(&mut self, parent: Option<UnitId>, name: String) -> UnitId {
        let id = UnitId::new(self.units.len() as i64 + 1);
        self.units.push(ChartUnit {
            id,
            parent_id: parent,
            name,
        });
        id
    }

    fn person(
        &mut self,
        unit: UnitId,
        reports_to: Option<PersonId>,
        assistant_of: Option<PersonId>,
        rank: i64,
    ) -> PersonId {
        let id = PersonId::new(self.people.len() as i64 + 1);
        self.people.push(ChartPerson {
            id,
            unit_id: Some(unit),
            reports_to,
            assistant_of,
            level_rank: Some(rank),
            // Rank first, then a name-like number, as the store would sort.
            sort_key: format!("{rank:02} Person {:06}", id.get()),
        });
        id
    }

    /// A team: a lead under `boss` and `clerks` people reporting to the lead.
    fn team(&mut self, parent: UnitId, boss: PersonId, name: String, clerks: usize) {
        let unit = self.unit(Some(parent), name);
        let lead = self.person(unit, Some(boss), None, 4);
        for _ in 0..clerks {
            self.person(unit, Some(lead), None, 5);
        }
    }
}

/// One unit of 2,002 people: a head with an assistant, 20 team leads, 99 clerks each.
fn big_unit() -> Chart {
    let mut chart = Chart::default();
    let unit = chart.unit(None, "Vertrieb".into());
    let head = chart.person(unit, None, None, 2);
    chart.person(unit, Some(head), Some(head), 3);
    for t in 0..20 {
        chart.team(unit, head, format!("Team {t}"), 99);
    }
    chart
}

/// An organisation of 20,058 people: a board (chief and assistant), 8 divisions (head and
/// assistant), 5 departments each (head), 5 teams each (lead and 99 clerks).
fn big_organisation() -> (Chart, Vec<UnitId>) {
    let mut chart = Chart::default();
    let board = chart.unit(None, "Vorstand".into());
    let chief = chart.person(board, None, None, 1);
    chart.person(board, Some(chief), Some(chief), 2);
    let mut departments = Vec::new();
    for d in 0..8 {
        let division = chart.unit(Some(board), format!("Bereich {d}"));
        let head = chart.person(division, Some(chief), None, 2);
        chart.person(division, Some(head), Some(head), 3);
        for p in 0..5 {
            let department = chart.unit(Some(division), format!("Abteilung {d}.{p}"));
            departments.push(department);
            let department_head = chart.person(department, Some(head), None, 3);
            for t in 0..5 {
                chart.team(department, department_head, format!("Team {d}.{p}.{t}"), 99);
            }
        }
    }
    (chart, departments)
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn run(name: &str, chart: &Chart, options: &ChartOptions, runs: usize) {
    let mut times = Vec::with_capacity(runs);
    let mut last = Layout::default();
    for _ in 0..runs {
        let start = Instant::now();
        last = black_box(layout(
            black_box(&chart.units),
            black_box(&chart.people),
            options,
        ));
        times.push(start.elapsed());
    }
    let fastest = times.iter().min().copied().unwrap_or_default();
    let median = median(&mut times);
    println!(
        "{name:<34} {people:>6} people {nodes:>6} boxes  median {median:>8.3} ms  min {fastest:>8.3} ms  {width:>9.0} × {height:>6.0} px",
        people = chart.people.len(),
        nodes = last.nodes.len(),
        median = median.as_secs_f64() * 1e3,
        fastest = fastest.as_secs_f64() * 1e3,
        width = last.width,
        height = last.height,
    );
}

fn main() {
    let runs: usize = std::env::var("ORGCHART_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15)
        .max(1);
    let defaults = ChartOptions::default();
    println!(
        "orgchart::layout, {runs} runs per case, default sizes (200×64, gaps 24/48, columns of ≤ 12)"
    );
    run(
        "unit: head+assistant, 20×(1+99)",
        &big_unit(),
        &defaults,
        runs,
    );
    let (organisation, departments) = big_organisation();
    run("organisation", &organisation, &defaults, runs);
    let levels = ChartOptions {
        max_level_rank: Some(4),
        ..ChartOptions::default()
    };
    run("organisation, levels 1–4", &organisation, &levels, runs);
    let collapsed = ChartOptions {
        collapsed_units: departments.iter().copied().collect::<BTreeSet<_>>(),
        ..ChartOptions::default()
    };
    run(
        "organisation, departments collapsed",
        &organisation,
        &collapsed,
        runs,
    );
}
