//! Store-level benchmarks on the "enterprise" reference dataset (ARCHITECTURE.md).
//!
//! Uses the SQLite file in `$COUNTERPART_BENCH_DB`, or generates the dataset into a temporary
//! file first (about ten seconds). Prints median and p99 of each operation over repeated runs.
//!
//!     cargo bench -p counterpart-store --bench enterprise
//!
//! Times include the database round trips through the `Any` pool, as the web server sees them.

use std::time::{Duration, Instant};

use counterpart_core::generate::{Scale, generate};
use counterpart_core::matrix::build;
use counterpart_store::Store;

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |q: f64| ms(samples[((samples.len() as f64 - 1.0) * q).round() as usize]);
    (p(0.5), p(0.99))
}

async fn time<F, Fut, T>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f(i).await);
        samples.push(start.elapsed());
    }
    stats(samples)
}

#[tokio::main]
async fn main() {
    let path = match std::env::var("COUNTERPART_BENCH_DB") {
        Ok(path) => path,
        Err(_) => {
            let path = std::env::temp_dir().join(format!("cp-bench-{}.db", std::process::id()));
            let store = Store::connect(&path.to_string_lossy()).await.expect("open");
            store.migrate().await.expect("migrate");
            let started = Instant::now();
            let data = generate(Scale::ENTERPRISE, 1, chrono::Utc::now().date_naive());
            let generated = started.elapsed();
            let report = store
                .load_generated(&data, "enterprise (seed 1)")
                .await
                .expect("load");
            println!(
                "generate enterprise: {:.2} s, load {} rows: {:.2} s, total {:.2} s",
                generated.as_secs_f64(),
                report.total(),
                (started.elapsed() - generated).as_secs_f64(),
                started.elapsed().as_secs_f64()
            );
            store.close().await;
            path.to_string_lossy().into_owned()
        }
    };
    let store = Store::connect(&path).await.expect("open bench database");
    let ranks: Vec<i64> = store
        .levels()
        .await
        .unwrap()
        .iter()
        .map(|l| l.rank)
        .collect();

    let (p50, p99) = time(10, |_| async {
        let data = store.matrix_data(&Default::default()).await.unwrap();
        build(&ranks, data.accounts, &data.contacts, &data.counterparts)
    })
    .await;
    println!("KAM matrix, all 2,000 accounts (load + build): p50 {p50:.1} ms, p99 {p99:.1} ms");

    let (p50, p99) = time(10, |_| async {
        store.accounts(&Default::default()).await.unwrap()
    })
    .await;
    println!("account list with counts and gaps: p50 {p50:.1} ms, p99 {p99:.1} ms");

    let queries = [
        "mueller",
        "muller",
        "Groß",
        "schafer",
        "yilmaz",
        "nguyen",
        "kowalski",
        "lange jonas",
        "teamleitung 12",
        "p4711",
    ];
    let (p50, p99) = time(200, |i| {
        let q = queries[i % queries.len()];
        let store = &store;
        async move { store.search_people(q, None, 50).await.unwrap() }
    })
    .await;
    println!("search over 120,000 people, umlaut-folded: p50 {p50:.1} ms, p99 {p99:.1} ms");

    let (p50, p99) = time(200, |i| {
        let id = counterpart_core::ids::PersonId::new(20_001 + (i as i64 * 499) % 100_000);
        let store = &store;
        async move {
            let detail = store.person_detail(id).await.unwrap();
            let counterparts = store.counterparts_of(id, false).await.unwrap();
            (detail, counterparts)
        }
    })
    .await;
    println!("partner person page data (detail + counterparts): p50 {p50:.1} ms, p99 {p99:.1} ms");
    store.close().await;
}
