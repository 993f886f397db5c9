//! Real headless Chromium through ChromeDriver: a managing director logs in, finds a clerk by
//! typing (htmx live search), edits her title and level, sees the new values, and finds the
//! change with her name in the audit log; then switches to English.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian: `apt-get install chromium
//! chromium-driver`; other paths via `COUNTERPART_CHROMIUM` / `COUNTERPART_CHROMEDRIVER`).
//! Without them the test is skipped with a printed reason, except in CI (`CI=true`), where it
//! fails.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use counterpart_store::testing::TestDb;
use counterpart_web::{AppState, WebConfig};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// Kills ChromeDriver (and with it the browser) when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn tool(env: &str, default: &str) -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_owned()));
    path.exists().then_some(path)
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts ChromeDriver and connects a session to a fresh headless Chromium.
async fn browser() -> Option<(Driver, Client)> {
    let (Some(driver), Some(chromium)) = (
        tool("COUNTERPART_CHROMEDRIVER", "/usr/bin/chromedriver"),
        tool("COUNTERPART_CHROMIUM", "/usr/bin/chromium"),
    ) else {
        let reason =
            "chromium or chromedriver not found (apt-get install chromium chromium-driver)";
        assert!(!in_ci(), "CI requires the browser test: {reason}");
        eprintln!("skipping the browser test: {reason}");
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let profile = std::env::temp_dir().join(format!("cp-chromium-{port}"));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", profile.display()), "--window-size=1280,1000",
            ],
            // A German browser: the interface follows Accept-Language until the user chooses.
            "prefs": { "intl.accept_languages": "de-DE,de" },
        }),
    );
    // ChromeDriver needs a moment to listen; retry the session until it answers.
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return Some((driver, client)),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not accept a session at {url}");
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managing_director_edits_a_person_and_finds_it_in_the_audit_log() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let db = TestDb::sqlite().await;
    db.store.load_demo().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState {
        store: db.store.clone(),
        config: Arc::new(WebConfig::default()),
    };
    let server = tokio::spawn(counterpart_web::serve(listener, state, async {
        let _ = stopped.await;
    }));

    // Log in.
    client.goto(&format!("{base}/people")).await.unwrap();
    let login = client.form(Locator::Css("form.card")).await.unwrap();
    login.set_by_name("username", "schneider").await.unwrap();
    login.set_by_name("password", "demo").await.unwrap();
    login.submit().await.unwrap();

    // Back on the people page after login: type a name the way a user without umlauts would.
    let search = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#f-q"))
        .await
        .unwrap();
    search.send_keys("yilmaz").await.unwrap();
    let hit = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::LinkText("Ayşe Yılmaz"))
        .await
        .expect("htmx live search shows the clerk");
    hit.click().await.unwrap();

    // Edit title and level.
    client
        .wait()
        .for_element(Locator::LinkText("Bearbeiten"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let title = client
        .wait()
        .for_element(Locator::Css("#f-job_title"))
        .await
        .unwrap();
    title.clear().await.unwrap();
    title
        .send_keys("Teamleiterin Key Account Service")
        .await
        .unwrap();
    let level = client.find(Locator::Css("#f-level_id")).await.unwrap();
    let team_lead = db.store.levels().await.unwrap()[3].id.to_string();
    level.select_by_value(&team_lead).await.unwrap();
    client
        .find(Locator::Css("#main-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // The person page shows the new values.
    assert_eq!(
        text_of(&client, "#job-title").await,
        "Teamleiterin Key Account Service"
    );
    assert_eq!(text_of(&client, "#level").await, "Teamleitung");
    assert!(text_of(&client, ".notice.ok").await.contains("Gespeichert"));

    // The audit log names who changed what.
    client
        .goto(&format!("{base}/admin/audit?entity=person"))
        .await
        .unwrap();
    let first_row = text_of(&client, "#audit tbody tr").await;
    assert!(first_row.contains("Dr. Katharina Schneider"), "{first_row}");
    assert!(first_row.contains("Ayşe Yılmaz"), "{first_row}");
    assert!(
        first_row.contains("Teamleiterin Key Account Service"),
        "{first_row}"
    );

    // And the whole interface switches to English.
    client
        .find(Locator::Css("button[value=en]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text_of(&client, "h1").await, "Audit log");

    client.close().await.unwrap();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    db.cleanup().await;
}
