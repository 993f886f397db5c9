//! Server time of the mirror pages on the "enterprise" reference dataset (ARCHITECTURE.md):
//! requests go through the whole router in-process (session, CSRF, handler, store, template),
//! without a network in between.
//!
//! Uses the SQLite file in `$COUNTERPART_BENCH_DB` (made by `counterpart demo --scale
//! enterprise --no-serve`), or generates the dataset into a temporary file first.
//!
//!     cargo bench -p counterpart-web --bench pages
//!     cargo bench -p counterpart-web --bench pages -- partner    (only the pages named so)

#[expect(dead_code, reason = "the benchmark uses part of the test client")]
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use counterpart_core::generate::{Scale, generate};
use counterpart_core::ids::{AccountId, OrganizationId, PersonId, UnitId};
use counterpart_store::Store;
use counterpart_web::{AppState, WebConfig};
use support::Client;

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(samples[((samples.len() as f64 - 1.0) * q).round() as usize]);
    (p(0.5), p(0.99))
}

async fn page(client: &mut Client, path: &str, runs: usize) -> (f64, f64, usize) {
    let mut samples = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let page = client.get(path).await;
        samples.push(started.elapsed());
        assert!(page.status.is_success(), "{path}: {}", page.status);
        size = page.body.len();
    }
    let (p50, p99) = percentiles(samples);
    (p50, p99, size)
}

/// Resident memory of this process, from /proc (Linux).
fn resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The bench database: `$COUNTERPART_BENCH_DB`, or the enterprise dataset generated into a
/// temporary file.
async fn database() -> String {
    if let Ok(path) = std::env::var("COUNTERPART_BENCH_DB") {
        return path;
    }
    let path = std::env::temp_dir().join(format!("cp-pages-{}.db", std::process::id()));
    let store = Store::connect(&path.to_string_lossy()).await.expect("open");
    store.migrate().await.expect("migrate");
    let data = generate(Scale::ENTERPRISE, 1, chrono::Utc::now().date_naive());
    store
        .load_generated(&data, "enterprise (seed 1)")
        .await
        .expect("load");
    store.close().await;
    path.to_string_lossy().into_owned()
}

/// A client logged in as the demo's managing director, on the whole router in-process.
async fn logged_in(store: &Store) -> Client {
    let router = counterpart_web::app(AppState::new(
        counterpart_app::App::new(store.clone(), Default::default()),
        WebConfig::default(),
    ));
    let mut client = Client::new(router);
    client.get("/login").await;
    let login = client
        .post(
            "/login",
            &[
                ("username", "schneider"),
                ("password", "demo"),
                ("next", "/"),
            ],
        )
        .await;
    assert!(login.status.is_redirection(), "login: {}", login.status);
    client
}

/// The subjects the pages are measured on: the largest account, our largest division below
/// the top, one of ours with the most direct reports, a key contact of the largest account.
struct Subjects {
    own: OrganizationId,
    account: AccountId,
    division: UnitId,
    boss: PersonId,
    partner: PersonId,
}

async fn subjects(store: &Store) -> Subjects {
    let largest = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|a| a.contacts)
        .expect("accounts");
    println!(
        "largest account: {} key contacts; resident memory after opening: {:.0} MB",
        largest.contacts,
        resident_mb().unwrap_or_default()
    );
    let own = store
        .own_organization()
        .await
        .unwrap()
        .expect("own organization");
    let units = store.units(own.id).await.unwrap();
    let people = store.chart_people(own.id).await.unwrap();
    let mut sizes: HashMap<UnitId, usize> = HashMap::new();
    for row in &people {
        let mut unit = row.unit_id;
        while let Some(u) = unit {
            *sizes.entry(u).or_default() += 1;
            unit = units.iter().find(|x| x.id == u).and_then(|x| x.parent_id);
        }
    }
    let (division, size) = units
        .iter()
        .filter(|u| u.parent_id.is_some())
        .map(|u| (u.id, sizes.get(&u.id).copied().unwrap_or(0)))
        .max_by_key(|(_, n)| *n)
        .expect("units");
    println!("largest division: {size} people");
    let mut reports: HashMap<PersonId, usize> = HashMap::new();
    for boss in people.iter().filter_map(|r| r.reports_to) {
        *reports.entry(boss).or_default() += 1;
    }
    let boss = reports
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(b, _)| b)
        .expect("a manager");
    let account = largest.account.id;
    Subjects {
        own: own.id,
        account,
        division,
        boss,
        partner: store.key_contacts(account).await.unwrap()[0].person_id,
    }
}

/// The pages measured: what, the path, how many runs.
fn pages(s: &Subjects) -> Vec<(&'static str, String, usize)> {
    let (own, id) = (s.own, s.account);
    vec![
        (
            "a person of our own house (most direct reports)",
            format!("/people/{}", s.boss),
            50,
        ),
        ("a partner person", format!("/people/{}", s.partner), 50),
        (
            "edit form of one of ours",
            format!("/people/{}/edit", s.boss),
            50,
        ),
        (
            "picker: search of 20,000 of ours",
            format!("/pick?scope=org-{own}&name=reports_to_id&reports_to_id_q=mueller"),
            50,
        ),
        (
            "picker: search of every account's key contacts",
            "/pick?scope=key-contacts&name=other_id&other_id_q=costa".to_owned(),
            50,
        ),
        (
            "org chart of the largest division",
            format!("/organizations/{own}/chart?unit={}", s.division),
            20,
        ),
        (
            "mirror page of the largest account",
            format!("/accounts/{id}/mirror"),
            50,
        ),
        (
            "account page of the largest account",
            format!("/accounts/{id}"),
            50,
        ),
        (
            "KAM matrix page (2,000 accounts, first 50 shown)",
            "/matrix".to_owned(),
            50,
        ),
        ("KAM matrix, last page", "/matrix?page=39".to_owned(), 20),
        (
            "portfolio picture (2,000 accounts)",
            "/portfolio".to_owned(),
            10,
        ),
        (
            "KAM matrix as XLSX, all 2,000 accounts",
            "/matrix/export".to_owned(),
            3,
        ),
        (
            "suggestions for the largest account",
            format!("/accounts/{id}/suggestions"),
            5,
        ),
        ("portfolio mirror page", "/mirror".to_owned(), 5),
        (
            "portfolio-wide suggestions page",
            "/mirror/suggestions".to_owned(),
            3,
        ),
    ]
}

#[tokio::main]
async fn main() {
    let path = database().await;
    let store = Store::connect(&path).await.expect("open bench database");
    store.migrate().await.expect("migrate");
    let mut client = logged_in(&store).await;
    let subjects = subjects(&store).await;
    // `cargo bench … -- partner` measures only the pages whose description has that word,
    // ten times as often (for a profiler).
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for (what, path, runs) in pages(&subjects) {
        if !only.is_empty() && !only.iter().any(|word| what.contains(word.as_str())) {
            continue;
        }
        let runs = if only.is_empty() { runs } else { runs * 10 };
        let (p50, p99, size) = page(&mut client, &path, runs).await;
        println!(
            "{what} ({path}, {} kB): p50 {p50:.1} ms, p99 {p99:.1} ms; resident memory since: {:.0} MB",
            size / 1024,
            resident_mb().unwrap_or_default()
        );
    }
    store.close().await;
}
