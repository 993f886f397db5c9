//! Times the pure part of importing people (`counterpart_core::exchange`): reading a
//! 1,000,000-row CSV and a 100,000-row XLSX generated in memory, and planning them, once into
//! an empty organization and once as a re-import where every row already exists.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-exchange cargo bench -p counterpart-core --bench exchange`.
//! `EXCHANGE_CSV_ROWS` and `EXCHANGE_XLSX_ROWS` change the sizes.
//!
//! The whole import pipeline must manage 1M CSV rows at ≥ 100,000 rows/s and 100k XLSX rows in
//! under 10 s, database included, so read + plan should be a small fraction of that. Each step
//! prints its wall time, rows/s and the process's CPU time (on a shared machine the wall time
//! includes waiting for a core); the last lines are `RESULT` lines for scripts. Run without
//! `--bench` (as `cargo test --benches` does), it uses small sizes as a smoke test.

use std::time::{Duration, Instant};

use counterpart_core::exchange::mapping::{Column, detect};
use counterpart_core::exchange::plan::{ExistingPerson, ImportPlan, PlanContext, plan};
use counterpart_core::exchange::read::{Limits, Table, read_csv, read_xlsx};
use counterpart_core::exchange::write::{write_csv, write_xlsx};
use counterpart_core::ids::{FunctionId, LevelId, OrganizationId, PersonId, UnitId};
use counterpart_core::ladder::{DEFAULT_FUNCTIONS, DEFAULT_LEVELS, Function, Level};
use counterpart_core::org::{Unit, UnitKind};
use counterpart_core::person::PersonFields;
use counterpart_core::user::Language;

const GIVEN: [&str; 16] = [
    "Jürgen",
    "Änne",
    "Björn",
    "Sören",
    "Käthe",
    "Günther",
    "Maximilian",
    "Zoë",
    "Katharina",
    "Jörg",
    "Bärbel",
    "Eva",
    "Lukas",
    "Ömer",
    "Hannelore",
    "Fritz",
];
const FAMILY: [&str; 16] = [
    "Müller",
    "Schäfer",
    "Weiß",
    "Groß",
    "Öztürk",
    "Köhler",
    "Schröder",
    "Krüger",
    "Böhm",
    "Jäger",
    "Schneider",
    "Fischer",
    "Weber",
    "Hoffmann",
    "Schulz",
    "Kießling",
];
const TITLES: [&str; 5] = [
    "Geschäftsführer(in)",
    "Bereichsleiter(in) Einkauf",
    "Abteilungsleiter(in)",
    "Teamleiter(in) Vertrieb",
    "Sachbearbeiter(in)",
];
const FUNCTIONS: [&str; 6] = [
    "Vertrieb",
    "Einkauf",
    "technical",
    "Finance",
    "Assistenz/Sekretariat",
    "Personal",
];

/// A small deterministic generator, so every run times the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 16) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

/// `n` people in a tree: row i reports to row (i - 1) / 8 by e-mail, 200 units of which the
/// first 100 exist, levels by rank or name, notes with semicolons, quotes and line breaks.
fn people(n: usize) -> Table {
    let headers = Column::ALL
        .iter()
        .map(|c| c.header(Language::De).to_owned())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let email = |i: usize| format!("person.{i}@brandt-soehne.example");
    let rows = (0..n)
        .map(|i| {
            let given = rng.pick(&GIVEN);
            let family = rng.pick(&FAMILY);
            let depth = (usize::BITS - (i + 1).leading_zeros()) as usize / 3;
            let rank = depth.min(4) + 1;
            let level = if i % 2 == 0 {
                rank.to_string()
            } else {
                DEFAULT_LEVELS[rank - 1].0.to_owned()
            };
            let notes = match i % 10 {
                0 => "Mag Tee; trinkt keinen Kaffee".to_owned(),
                1 => "Sagt \"Moin\"\nauch nachmittags".to_owned(),
                _ => String::new(),
            };
            vec![
                format!("P{i:07}"),
                if i % 10 == 3 {
                    "Dr.".into()
                } else {
                    String::new()
                },
                given.to_owned(),
                family.to_owned(),
                TITLES[rank - 1].to_owned(),
                level,
                rng.pick(&FUNCTIONS).to_owned(),
                format!("Abteilung {}", rng.next() % 200),
                if i == 0 {
                    String::new()
                } else {
                    email((i - 1) / 8)
                },
                String::new(),
                email(i),
                format!("+49 221 {:07}", i),
                if i % 3 == 0 {
                    format!("0171 {:07}", i)
                } else {
                    String::new()
                },
                notes,
            ]
        })
        .collect();
    Table::from_rows(headers, rows)
}

struct World {
    levels: Vec<Level>,
    functions: Vec<Function>,
    units: Vec<Unit>,
}

impl World {
    fn new() -> Self {
        Self {
            levels: DEFAULT_LEVELS
                .iter()
                .zip(1..)
                .map(|((de, en), i)| Level {
                    id: LevelId::new(i),
                    rank: i,
                    name_de: (*de).into(),
                    name_en: (*en).into(),
                    version: 1,
                })
                .collect(),
            functions: DEFAULT_FUNCTIONS
                .iter()
                .zip(1..)
                .map(|((key, de, en, assistant), i)| Function {
                    id: FunctionId::new(i),
                    key: (*key).into(),
                    name_de: (*de).into(),
                    name_en: (*en).into(),
                    is_assistant: *assistant,
                    rank: i,
                    version: 1,
                })
                .collect(),
            units: (0..200)
                .map(|i| Unit {
                    id: UnitId::new(i + 1),
                    organization_id: OrganizationId::new(1),
                    parent_id: None,
                    name: format!("Abteilung {i}"),
                    kind: UnitKind::Department,
                    active: true,
                    version: 1,
                })
                .take(100)
                .collect(),
        }
    }

    fn ctx<'a>(&'a self, existing: &'a [ExistingPerson]) -> PlanContext<'a> {
        PlanContext {
            levels: &self.levels,
            functions: &self.functions,
            units: &self.units,
            existing,
        }
    }
}

/// What the store would hold after applying `plan`: people with ids 1.., new units 1001...
fn stored(plan: &ImportPlan) -> Vec<ExistingPerson> {
    let ids: Vec<PersonId> = (1..=plan.rows.len() as i64).map(PersonId::new).collect();
    let unit_ids: Vec<UnitId> = (1001..1001 + plan.new_units.len() as i64)
        .map(UnitId::new)
        .collect();
    plan.rows
        .iter()
        .zip(&ids)
        .map(|(row, &person_id)| {
            let p = row
                .person
                .to_input(&unit_ids, &ids)
                .expect("ids of this plan");
            let text = Option::unwrap_or_default;
            let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
            ExistingPerson {
                id: person_id,
                external_id: row.external_id.clone(),
                fields: PersonFields {
                    given_name: text(p.given_name),
                    family_name: p.family_name,
                    academic_title: text(p.academic_title),
                    job_title: text(p.job_title),
                    level_id: id(p.level_id.map(LevelId::get)),
                    function_id: id(p.function_id.map(FunctionId::get)),
                    unit_id: id(p.unit_id.map(UnitId::get)),
                    reports_to_id: id(p.reports_to_id.map(PersonId::get)),
                    assistant_of_id: id(p.assistant_of_id.map(PersonId::get)),
                    email: p.email.map(|e| e.as_str().to_owned()).unwrap_or_default(),
                    phone: p.phone.map(|x| x.as_str().to_owned()).unwrap_or_default(),
                    mobile: p.mobile.map(|x| x.as_str().to_owned()).unwrap_or_default(),
                    notes: text(p.notes),
                },
                active: true,
            }
        })
        .collect()
}

/// CPU time (user + system) of this process in seconds, from `/proc/self/stat` on Linux. The
/// machine is shared: wall time includes waiting for a core, CPU time does not.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some(ticks / 100.0)
}

fn time<T>(label: &str, rows: usize, f: impl FnOnce() -> T) -> (T, Duration) {
    let cpu = cpu_seconds();
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    let cpu = cpu
        .zip(cpu_seconds())
        .map_or_else(String::new, |(a, b)| format!("  (CPU {:.2} s)", b - a));
    println!(
        "{label:<34} {:>8.3} s  {:>12.0} rows/s{cpu}",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64()
    );
    (out, took)
}

fn units(world: &World, plan: &ImportPlan) -> Vec<Unit> {
    let mut units = world.units.clone();
    units.extend(plan.new_units.iter().zip(1001..).map(|(name, id)| Unit {
        id: UnitId::new(id),
        organization_id: OrganizationId::new(1),
        parent_id: None,
        name: name.clone(),
        kind: UnitKind::Department,
        active: true,
        version: 1,
    }));
    units
}

/// Reads with `read`, plans into an empty organization, then plans again as a re-import.
fn run(format: &str, rows: usize, bytes: &[u8], read: impl Fn(&[u8]) -> Table) -> [Duration; 3] {
    let (table, read_time) = time(&format!("{format} read"), rows, || read(bytes));
    assert_eq!(table.rows.len(), rows);
    let mapping = detect(&table.headers);
    assert_eq!(mapping.mapped().count(), Column::ALL.len());
    let mut world = World::new();
    let (first, new_time) = time(&format!("{format} plan (new people)"), rows, || {
        plan(&table, &mapping, &world.ctx(&[]))
    });
    assert!(
        first.is_ok(),
        "{:?}",
        &first.problems[..first.problems.len().min(5)]
    );
    assert_eq!(first.created, rows);
    let existing = stored(&first);
    world.units = units(&world, &first);
    drop(first);
    let (again, again_time) = time(&format!("{format} plan (re-import)"), rows, || {
        plan(&table, &mapping, &world.ctx(&existing))
    });
    assert!(again.is_ok());
    assert_eq!(again.unchanged, rows);
    let total = read_time + new_time;
    println!(
        "{:<34} {:>8.3} s  {:>12.0} rows/s",
        format!("{format} read + plan (new)"),
        total.as_secs_f64(),
        rows as f64 / total.as_secs_f64()
    );
    [read_time, new_time, again_time]
}

fn env_rows(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this too, then keep it small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let csv_rows = env_rows("EXCHANGE_CSV_ROWS", if quick { 2_000 } else { 1_000_000 });
    let xlsx_rows = env_rows("EXCHANGE_XLSX_ROWS", if quick { 500 } else { 100_000 });

    let (csv, _) = time("CSV generate + write", csv_rows, || {
        write_csv(&people(csv_rows))
    });
    println!("  {:.1} MB", csv.len() as f64 / 1e6);
    let [csv_read, csv_new, csv_again] = run("CSV", csv_rows, &csv, |b| {
        read_csv(b, &Limits::default()).expect("valid CSV")
    });
    drop(csv);

    let (xlsx, _) = time("XLSX generate + write", xlsx_rows, || {
        write_xlsx(&[("Personen", &people(xlsx_rows))]).expect("writable")
    });
    println!("  {:.1} MB", xlsx.len() as f64 / 1e6);
    let [xlsx_read, xlsx_new, xlsx_again] = run("XLSX", xlsx_rows, &xlsx, |b| {
        read_xlsx(b, None, &Limits::default()).expect("valid XLSX")
    });

    for (name, rows, [read, new, again]) in [
        ("csv", csv_rows, [csv_read, csv_new, csv_again]),
        ("xlsx", xlsx_rows, [xlsx_read, xlsx_new, xlsx_again]),
    ] {
        println!(
            "RESULT {name} rows={rows} read_s={:.3} plan_new_s={:.3} plan_reimport_s={:.3}",
            read.as_secs_f64(),
            new.as_secs_f64(),
            again.as_secs_f64()
        );
    }
}
