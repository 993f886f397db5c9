//! Store-level benchmarks on the "enterprise" reference dataset (ARCHITECTURE.md).
//!
//! Uses the SQLite file in `$COUNTERPART_BENCH_DB`, or generates the dataset into a temporary
//! file first (about a minute: 4.5 million rows with the insights and the contact log). Prints
//! median and p99 of each operation over repeated runs.
//!
//!     cargo bench -p counterpart-store --bench enterprise
//!     cargo bench -p counterpart-store --bench enterprise -- matrix   # only sections named so
//!
//! The sections are `matrix`, `accounts`, `search`, `person`, `knowledge`, `mirror` and
//! `jour_fixe` (which adds a series of 200 accounts to the database it runs on).
//!
//! Times include the database round trips through the `Any` pool, as the web server sees them.

use std::time::{Duration, Instant};

use counterpart_core::generate::{Scale, generate};
use counterpart_core::matrix::{build, sort_by_importance};
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
    // `cargo bench` passes `--bench`; any other argument names the sections to run.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |section: &str| only.is_empty() || only.iter().any(|o| o == section);
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
    // A database made by an older version is brought up to this schema first.
    store.migrate().await.expect("migrate bench database");
    let ranks: Vec<i64> = store
        .levels()
        .await
        .unwrap()
        .iter()
        .map(|l| l.rank)
        .collect();

    if wanted("matrix") {
        matrix(&store, &ranks).await;
    }
    if wanted("accounts") {
        let (p50, p99) = time(10, |_| async {
            store
                .accounts(
                    &Default::default(),
                    &counterpart_store::Visibility::everything(),
                )
                .await
                .unwrap()
        })
        .await;
        println!("account list with counts and gaps: p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
    if wanted("search") {
        search(&store).await;
    }
    if wanted("person") {
        person(&store).await;
    }
    if wanted("knowledge") {
        knowledge(&store).await;
    }
    if wanted("mirror") {
        mirror(&store).await;
    }
    // It writes (a series, its meetings): only when named.
    if only.iter().any(|o| o == "jour_fixe") {
        jour_fixe(&store).await;
    }
    store.close().await;
}

/// The KAM matrix over every account: as its page shows it (all 2,000 ordered by importance,
/// the first 50 loaded and built), and whole (every row in memory, as the export and the
/// portfolio picture build it).
async fn matrix(store: &Store, ranks: &[i64]) {
    let (p50, p99) = time(50, |_| async {
        let mut accounts = store
            .matrix_accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        sort_by_importance(&mut accounts, |a| a);
        accounts.truncate(50);
        let data = store.matrix_data_of(accounts).await.unwrap();
        build(ranks, data.accounts, data.contacts, data.counterparts)
    })
    .await;
    println!(
        "KAM matrix page, all 2,000 accounts ordered, first 50 built: p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
    let (p50, p99) = time(20, |_| async {
        let data = store
            .matrix_data(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        build(ranks, data.accounts, data.contacts, data.counterparts)
    })
    .await;
    println!(
        "KAM matrix, all 2,000 accounts built whole (load + build): p50 {p50:.1} ms, p99 {p99:.1} ms"
    );
    let (p50, p99) = time(20, |_| async {
        store
            .matrix_data(
                &Default::default(),
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()
    })
    .await;
    println!("  of which loading: p50 {p50:.1} ms, p99 {p99:.1} ms");
}

/// People search, umlaut-folded, over every person.
async fn search(store: &Store) {
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
        async move { store.search_people(q, None, 50).await.unwrap() }
    })
    .await;
    println!("search over 120,000 people, umlaut-folded: p50 {p50:.1} ms, p99 {p99:.1} ms");
    for q in queries {
        let found = store.search_people(q, None, 50).await.unwrap().len();
        let (p50, p99) = time(20, |_| async {
            store.search_people(q, None, 50).await.unwrap()
        })
        .await;
        println!("  {q:?} ({found} shown): p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
}

/// What a partner person's page reads.
async fn person(store: &Store) {
    let (p50, p99) = time(200, |i| {
        let id = counterpart_core::ids::PersonId::new(20_001 + (i as i64 * 499) % 100_000);
        async move {
            let detail = store.person_detail(id).await.unwrap();
            let counterparts = store
                .counterparts_of(id, false, &counterpart_store::Visibility::everything())
                .await
                .unwrap();
            (detail, counterparts)
        }
    })
    .await;
    println!("partner person page data (detail + counterparts): p50 {p50:.1} ms, p99 {p99:.1} ms");
}

/// What we know and the contact log: a partner person's insights and contacts (as the
/// briefing reads them), an account's, and the text searches of the header search, with a name
/// (found nowhere in the texts) and with words of the templates (found in many), read as an
/// administrator (every insight visible).
async fn knowledge(store: &Store) {
    use counterpart_core::ids::{AccountId, PersonId};
    use counterpart_core::text::fold;
    use counterpart_store::Visibility;

    let all = Visibility::everything();
    let (p50, p99) = time(200, |i| {
        let id = PersonId::new(20_001 + (i as i64 * 499) % 100_000);
        let all = all.clone();
        async move {
            let insights = store.insights_about_person(id, &all).await.unwrap();
            let contacts = store
                .interactions_with_person(id, &counterpart_store::Visibility::everything())
                .await
                .unwrap();
            (insights, contacts)
        }
    })
    .await;
    println!("a partner person's insights and contacts: p50 {p50:.1} ms, p99 {p99:.1} ms");
    let (p50, p99) = time(50, |i| {
        let id = AccountId::new(1 + (i as i64 * 37) % 2_000);
        let all = all.clone();
        async move {
            let insights = store.insights_about_account(id, &all).await.unwrap();
            let contacts = store
                .interactions_on_account(id, &counterpart_store::Visibility::everything())
                .await
                .unwrap();
            (insights, contacts)
        }
    })
    .await;
    println!("an account's insights and contacts: p50 {p50:.1} ms, p99 {p99:.1} ms");
    for q in ["Haußmann", "Standort", "Glasreinigung", "Köln"] {
        let folded = fold(q);
        let (p50, p99) = time(10, |_| async {
            store.search_insights(&folded, &all, 20).await.unwrap()
        })
        .await;
        println!("  search insights {q:?}: p50 {p50:.1} ms, p99 {p99:.1} ms");
        let (p50, p99) = time(10, |_| async {
            store
                .search_interactions(&folded, 20, &counterpart_store::Visibility::everything())
                .await
                .unwrap()
        })
        .await;
        println!("  search contacts {q:?}: p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
}

/// The mirror portfolio-wide: reading its input, analysing every account, and the optimal
/// suggestion for the whole portfolio (with and without deputies), as the web pages run them.
async fn mirror(store: &Store) {
    use counterpart_core::mirror::Settings;
    use counterpart_core::mirror::analysis::analyze_portfolio;
    use counterpart_core::mirror::suggest::{Scope, SuggestOptions, suggest};

    let (p50, p99) = time(5, |_| async { store.mirror_input(None).await.unwrap() }).await;
    let input = store.mirror_input(None).await.unwrap();
    let contacts: usize = input.accounts.iter().map(|a| a.contacts.len()).sum();
    println!(
        "mirror input, whole portfolio ({} accounts, {contacts} key contacts, {} of ours): \
         p50 {p50:.1} ms, p99 {p99:.1} ms",
        input.accounts.len(),
        input.people.len()
    );
    let settings = Settings::new(counterpart_store::now().date_naive());
    let (p50, p99) = time(5, |_| async { analyze_portfolio(&input, &settings) }).await;
    println!("mirror analysis, every account and unit roll-up: p50 {p50:.1} ms, p99 {p99:.1} ms");
    for deputies in [false, true] {
        let mut options = SuggestOptions::new(Scope::Portfolio);
        options.deputies = deputies;
        let run = suggest(&input, &options, &settings).unwrap();
        let (p50, p99) = time(5, |_| async {
            suggest(&input, &options, &settings).unwrap()
        })
        .await;
        let (total50, total99) = time(3, |_| async {
            let input = store.mirror_input(None).await.unwrap();
            suggest(&input, &options, &settings).unwrap()
        })
        .await;
        println!(
            "portfolio suggestion{}: {} demands, {} candidate pairs, {} proposals, {} unserved, \
             mirror {:.1} -> {:.1}; solve p50 {p50:.0} ms, p99 {p99:.0} ms; \
             with reading the input p50 {total50:.0} ms, p99 {total99:.0} ms",
            if deputies { " with deputies" } else { "" },
            run.optimality.demands,
            run.optimality.candidate_pairs,
            run.proposals.len(),
            run.unserved.len(),
            run.mirror_before.unwrap_or_default(),
            run.mirror_after.unwrap_or_default(),
        );
    }
}

/// Preparing the agenda of a jour fixe covering 200 accounts (issue 14: under a second): a
/// weekly series, each run prepares another of its meetings from the data.
async fn jour_fixe(store: &Store) {
    use counterpart_core::jour_fixe::SeriesInput;
    let actor = counterpart_store::Actor::system();
    let own = store.own_organization().await.unwrap().expect("our house");
    let unit = store.units(own.id).await.unwrap()[0].id;
    let convenor = store.people(own.id, None, false, 1, 0).await.unwrap()[0]
        .person
        .id;
    let input = SeriesInput {
        name: "Bench-Jour-fixe".into(),
        unit_id: unit,
        first_start: (chrono::Utc::now() - chrono::Duration::days(7 * 30))
            .date_naive()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        time_zone: "Europe/Berlin".into(),
        rrule: "FREQ=WEEKLY".into(),
        duration_minutes: 60,
        place: None,
        rule: None,
    };
    let series = store.create_series(&actor, convenor, &input).await.unwrap();
    let accounts = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    for a in accounts.iter().take(200) {
        store
            .cover_account(&actor, series.id, a.account.id)
            .await
            .unwrap();
    }
    let occurrences = series.schedule().unwrap().between(
        chrono::Utc::now() - chrono::Duration::days(7 * 29),
        chrono::Utc::now(),
        10,
    );
    let today = chrono::Utc::now().date_naive();
    let (p50, p99) = time(occurrences.len(), |i| {
        let at = occurrences[i];
        let actor = actor.clone();
        async move {
            let meeting = store.meeting_at(&actor, series.id, at).await.unwrap();
            store
                .prepare_agenda(&actor, meeting.id, today)
                .await
                .unwrap()
        }
    })
    .await;
    println!(
        "jour fixe agenda for 200 accounts ({} runs): p50 {p50:.0} ms, p99 {p99:.0} ms",
        occurrences.len()
    );
}
