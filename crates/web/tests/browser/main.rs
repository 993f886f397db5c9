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
use std::time::Duration;

#[path = "../support/routes.rs"]
#[expect(
    dead_code,
    reason = "the browser tests use only the pages of the route table"
)]
mod routes;

#[path = "../support/logs.rs"]
#[expect(
    dead_code,
    reason = "the browser tests count no events; the in-process tests do"
)]
mod logs;

mod a11y;

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

/// The text of the first element matching `css`, once the page that has it has loaded. An
/// element of the page being left can go stale between finding and reading: then look again.
async fn text_of(client: &Client, css: &str) -> String {
    for _ in 0..50 {
        let element = client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"));
        match element.text().await {
            Ok(text) => return text,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("{css} kept going stale")
}

/// The demo served on a random port. What it logs is checked for the demo people's names and
/// addresses when it stops (`logs`).
struct Server {
    base: String,
    db: TestDb,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    logs: logs::Watch,
}

impl Server {
    async fn demo() -> Self {
        let logs = logs::start();
        let db = TestDb::sqlite().await;
        db.store.load_demo().await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(
            counterpart_app::App::new(db.store.clone(), Default::default()),
            WebConfig::default(),
        );
        // As `counterpart_web::serve` serves it, each request in a span naming the test.
        let app = logs::traced(counterpart_web::app(state), &logs)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Self {
            base,
            db,
            stop,
            task,
            logs,
        }
    }

    /// Stops the server; the test fails if it logged a demo person's name or address.
    async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.unwrap().unwrap();
        self.db.cleanup().await;
        self.logs.check();
    }
}

async fn login(client: &Client, base: &str, username: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    let form = client.form(Locator::Css("form.card")).await.unwrap();
    form.set_by_name("username", username).await.unwrap();
    form.set_by_name("password", "demo").await.unwrap();
    form.submit().await.unwrap();
    client
        .wait()
        .for_element(Locator::Css("nav[aria-label]"))
        .await
        .unwrap();
}

/// Waits until an element matching the XPath exists (the page it belongs to has loaded).
async fn wait_for(client: &Client, xpath: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("never appeared: {xpath}: {e}"));
}

async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn select(client: &Client, css: &str, value: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

/// Chooses a person in a picker: types the search into its field and takes the match.
async fn pick(client: &Client, name: &str, query: &str, id: &str) {
    client
        .find(Locator::Css(&format!("#f-{name}-q")))
        .await
        .unwrap_or_else(|e| panic!("no picker {name}: {e}"))
        .send_keys(query)
        .await
        .unwrap();
    click(
        client,
        &format!("#f-{name}-options input[type=radio][value='{id}']"),
    )
    .await;
}

/// The classes inside the matrix row of an account.
async fn matrix_row(client: &Client, base: &str, account: &str) -> String {
    client.goto(&format!("{base}/matrix")).await.unwrap();
    let row = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&format!(
            "//tr[th/a[normalize-space()='{account}']]"
        )))
        .await
        .expect("the account has a matrix row");
    row.html(false).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managing_director_edits_a_person_and_finds_it_in_the_audit_log() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, db) = (server.base.clone(), &server.db);

    // Log in (coming from the people page, which the login returns to).
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
    wait_for(&client, "//h1[normalize-space()='Audit log']").await;

    client.close().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_head_creates_an_account_assigns_and_rates_and_the_matrix_changes_colour() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    // A new customer with one board member, prepared through the store.
    let actor = counterpart_store::Actor::system();
    let org = store
        .create_organization(
            &actor,
            &counterpart_core::org::OrganizationInput::parse(
                "Rheinland Kliniken gGmbH",
                "external",
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let mut input =
        counterpart_core::person::PersonInput::parse(&counterpart_core::person::PersonFields {
            given_name: "Margarete".into(),
            family_name: "Jöns".into(),
            ..Default::default()
        })
        .unwrap();
    input.level_id = Some(store.levels().await.unwrap()[0].id);
    let board = store
        .create_person(&actor, org.id, &input, chrono::Utc::now().date_naive())
        .await
        .unwrap();
    let ours = store
        .search_people("katharina schneider", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;

    login(&client, &base, "krueger").await;
    // New account: choosing the organization reloads the form (htmx) with its units.
    client.goto(&format!("{base}/accounts/new")).await.unwrap();
    client
        .execute(
            "document.getElementById('main-form').dataset.stale = '1'",
            vec![],
        )
        .await
        .unwrap();
    select(&client, "#f-organization_id", &org.id.to_string()).await;
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#main-form:not([data-stale])"))
        .await
        .expect("the form reloads for the chosen organization");
    click(&client, "#main-form button[type=submit]").await;
    wait_for(
        &client,
        "//h1[normalize-space()='Rheinland Kliniken gGmbH']",
    )
    .await;

    // Add the board member as key contact: the matrix shows a gap.
    pick(&client, "person_id", "Jöns", &board.id.to_string()).await;
    select(&client, "#kc-role", "decision_maker").await;
    click(
        &client,
        "#contacts form[action$='/contacts'] button[type=submit]",
    )
    .await;
    wait_for(
        &client,
        "//section[@id='contacts']//td/a[normalize-space()='Margarete Jöns']",
    )
    .await;
    let row = matrix_row(&client, &base, "Rheinland Kliniken gGmbH").await;
    assert!(
        row.contains("is-gap") && row.contains("Margarete Jöns"),
        "{row}"
    );

    // Assign our managing director from the partner person's page: unrated.
    client
        .goto(&format!("{base}/people/{}", board.id))
        .await
        .unwrap();
    pick(&client, "other_id", "Schneider Kath", &ours.id.to_string()).await;
    click(&client, "#counterparts form button[type=submit]").await;
    wait_for(
        &client,
        "//section[@id='counterparts']//span[@class='chip']",
    )
    .await;
    let row = matrix_row(&client, &base, "Rheinland Kliniken gGmbH").await;
    assert!(
        !row.contains("is-gap") && row.contains("health-unrated"),
        "{row}"
    );

    // Rate the relationship: poor, then good; the cell follows.
    for (value, class) in [("2", "health-poor"), ("5", "health-good")] {
        client
            .goto(&format!("{base}/people/{}", board.id))
            .await
            .unwrap();
        click(&client, "#counterparts .chip a").await;
        for field in ["relationship", "partnership", "satisfaction"] {
            select(&client, &format!("#r-{field}"), value).await;
        }
        click(&client, "form[action$='/ratings'] button[type=submit]").await;
        wait_for(
            &client,
            &format!("//table//td[@class='num'][1][normalize-space()='{value}']"),
        )
        .await;
        let row = matrix_row(&client, &base, "Rheinland Kliniken gGmbH").await;
        assert!(row.contains(class), "after rating {value}: {row}");
    }

    client.close().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kam_lead_sees_where_the_mirror_breaks_accepts_a_suggestion_and_the_score_rises() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    // The customer with the monthly conference: a head of department served by a clerk.
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.mode == counterpart_core::account::ManagementMode::JourFixe)
        .unwrap()
        .account
        .id;
    login(&client, &base, "krueger").await;
    client
        .goto(&format!("{base}/accounts/{account}"))
        .await
        .unwrap();
    let before: f64 = text_of(&client, "#mirror-score").await.parse().unwrap();
    click(&client, "#mirror a[href$='/mirror']").await;
    wait_for(
        &client,
        "//*[local-name()='svg'][contains(@class,'mirror-svg')]",
    )
    .await;
    assert!(
        client.find(Locator::Css(".mnode.uncovered")).await.is_ok(),
        "a key person without a counterpart stands out"
    );
    click(&client, "form[action$='/suggestions'] button[type=submit]").await;
    wait_for(&client, "//p[@id='optimality']").await;
    let reason = text_of(&client, "td.reason").await;
    assert!(reason.starts_with("Gleiche Ebene"), "{reason}");
    // Enter on a proposal's checkbox submits the accept form (its first button), never a
    // lock: with nothing ticked, nothing changes.
    client
        .find(Locator::Css("input[name=pick]"))
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    wait_for(&client, "//p[@id='optimality']").await;
    assert!(
        store.locks().await.unwrap().is_empty(),
        "Enter on a checkbox locked a pair"
    );
    click(&client, "input[name=pick]").await;
    click(&client, ".actions button[type=submit]:not([name])").await;
    wait_for(
        &client,
        "//div[contains(@class,'notice')]/p[contains(., 'Übernommene Zuordnungen: 1')]",
    )
    .await;
    let after: f64 = text_of(&client, "#mirror-score").await.parse().unwrap();
    assert!(after > before, "the score rose from {before} to {after}");

    client.close().await.unwrap();
    server.stop().await;
}

/// Whether the page is wider than the window (a phone would scroll sideways).
async fn overflows(client: &Client) -> bool {
    client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(true)
}

/// Presses keys on the element that has the focus.
async fn keys(client: &Client, keys: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
}

/// Saves a screenshot into `$COUNTERPART_SCREENSHOTS`, if set (for a person to look at).
async fn screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("COUNTERPART_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_links_a_user_to_their_person_on_a_phone_by_keyboard() {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    const DOWN: &str = "\u{E015}";
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    login(&client, &base, "schneider").await;
    for (width, height) in [(1440, 900), (390, 844)] {
        client.set_window_size(width, height).await.unwrap();
        for page in ["/admin/users", "/account/password"] {
            client.goto(&format!("{base}{page}")).await.unwrap();
            wait_for(&client, "//h1").await;
            assert!(!overflows(&client).await, "{page} at {width}×{height}");
            let name = page.trim_start_matches('/').replace('/', "-");
            screenshot(&client, &format!("{name}-{width}")).await;
        }
    }
    // On the phone, by keyboard: the guest's page, the person picker, another person of ours.
    let gast = store.user_named("gast").await.unwrap();
    client
        .goto(&format!("{base}/admin/users/{}", gast.id))
        .await
        .unwrap();
    wait_for(&client, "//input[@id='f-person_id-q']").await;
    assert!(!overflows(&client).await, "the user's page at 390×844");
    screenshot(&client, "admin-user-390").await;
    client
        .find(Locator::Css("#f-person_id-q"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    keys(&client, "Sch").await;
    wait_for(
        &client,
        "//div[@id='f-person_id-options']//input[@type='radio'][@value!=''][not(@checked)]",
    )
    .await;
    // Tab reaches the radio group at the current choice; the arrow moves to the next person.
    keys(&client, TAB).await;
    keys(&client, DOWN).await;
    let chosen = client
        .execute("return document.activeElement.value;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!chosen.is_empty(), "a person, not nobody, is chosen");
    assert_ne!(chosen, gast.person_id.unwrap().to_string());
    // Tab to "Speichern" (the radio group is one stop) and press Enter.
    keys(&client, TAB).await;
    keys(&client, ENTER).await;
    wait_for(
        &client,
        "//div[contains(@class,'notice')]/p[.='Gespeichert.']",
    )
    .await;
    assert_eq!(
        store
            .user(gast.id)
            .await
            .unwrap()
            .person_id
            .map(|p| p.to_string()),
        Some(chosen)
    );
    // The same page in English.
    click(&client, "button[lang='en']").await;
    wait_for(&client, "//label[.='Person in our own house']").await;
    screenshot(&client, "admin-user-390-en").await;
    client.close().await.unwrap();
    server.stop().await;
}

/// A number a script returns.
async fn number(client: &Client, script: &str) -> f64 {
    client
        .execute(script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_else(|| panic!("no number from {script}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wide_views_use_the_width_and_phones_get_a_menu() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    login(&client, &base, "schneider").await;
    client.set_window_size(1440, 900).await.unwrap();

    // The header is one row for an administrator.
    client.goto(&format!("{base}/")).await.unwrap();
    wait_for(&client, "//h1").await;
    let header = number(
        &client,
        "return document.querySelector('header.top').offsetHeight;",
    )
    .await;
    assert!(header < 70.0, "one row: {header}px");
    // And nothing of it is pushed out of the window (the language switch once was).
    let overflow = number(
        &client,
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
    )
    .await;
    assert!(overflow <= 0.0, "wider than the window by {overflow}px");
    screenshot(&client, "home-1440").await;

    // The compact matrix shows every level without scrolling; the account column is sticky.
    client
        .goto(&format!("{base}/matrix?view=compact"))
        .await
        .unwrap();
    wait_for(&client, "//table[contains(@class,'compact')]").await;
    let overflow = number(
        &client,
        "const w = document.querySelector('.matrix-wrap'); return w.scrollWidth - w.clientWidth;",
    )
    .await;
    assert!(
        overflow <= 1.0,
        "the compact matrix fits 1440 px: {overflow}px over"
    );
    let sticky = client
        .execute(
            "return getComputedStyle(document.querySelector('table.matrix tbody th')).position;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(sticky.as_str(), Some("sticky"));
    screenshot(&client, "matrix-compact-1440").await;

    // An org chart opens fitted to its box; + zooms in.
    let isar = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name.starts_with("Isar"))
        .unwrap()
        .account
        .organization_id;
    client
        .goto(&format!("{base}/organizations/{isar}/chart"))
        .await
        .unwrap();
    wait_for(&client, "//output[contains(@class,'zoom-level')]").await;
    let spare = number(
        &client,
        "const b = document.querySelector('.chart-scroll'); \
         return b.clientWidth - document.querySelector('.orgchart-svg').getBoundingClientRect().width;",
    )
    .await;
    assert!(spare >= 0.0, "the chart fits its box: {spare}px spare");
    let fitted = text_of(&client, ".zoom-level").await;
    click(&client, "button[data-zoom='in']").await;
    let zoomed = text_of(&client, ".zoom-level").await;
    let percent = |s: &str| s.trim_end_matches(" %").parse::<f64>().unwrap();
    assert!(percent(&zoomed) > percent(&fitted), "{fitted} → {zoomed}");
    screenshot(&client, "chart-isar-1440").await;

    // On a phone: a short header, the navigation behind the menu button, no page scrolls
    // sideways.
    client.set_window_size(390, 844).await.unwrap();
    let hansa = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name.starts_with("Hansa"))
        .unwrap()
        .account
        .id;
    for page in [
        "/".to_owned(),
        "/matrix".to_owned(),
        format!("/organizations/{isar}/chart"),
        "/accounts".to_owned(),
        "/mirror".to_owned(),
        "/portfolio".to_owned(),
        format!("/accounts/{hansa}"),
        format!("/accounts/{hansa}/supplier-rating"),
        format!("/accounts/{hansa}/guiding"),
        "/matrix?relation=supplier".to_owned(),
    ] {
        client.goto(&format!("{base}{page}")).await.unwrap();
        wait_for(&client, "//h1").await;
        assert!(!overflows(&client).await, "{page} at 390×844");
        let name = if page == "/" {
            "home".to_owned()
        } else {
            page.trim_start_matches('/').replace(['/', '?', '='], "-")
        };
        screenshot(&client, &format!("{name}-390")).await;
    }
    let header = number(
        &client,
        "return document.querySelector('header.top').offsetHeight;",
    )
    .await;
    assert!(header < 60.0, "a short header on a phone: {header}px");
    assert!(
        !client
            .find(Locator::Css("nav#main-nav a[href='/accounts']"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "the navigation waits behind the menu button"
    );
    click(&client, ".menu-toggle").await;
    assert!(
        client
            .find(Locator::Css("nav#main-nav a[href='/accounts']"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    screenshot(&client, "menu-open-390").await;
    client.close().await.unwrap();
    server.stop().await;
}

/// The pages of a PDF that Chromium printed: its page objects (`/Type /Page`, not `/Pages`).
/// (The audit log of the demo prints on 12 pages by this count, a briefing on one or two.)
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(at, m)| !text[at + m.len()..].starts_with('s'))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_briefing_prints_on_at_most_two_a4_pages() {
    use fantoccini::wd::{PrintConfiguration, PrintSize};
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    login(&client, &base, "schneider").await;
    // The most important customer's first key people: the most known about them.
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let mut pages_of: Vec<String> = store
        .key_contacts(account)
        .await
        .unwrap()
        .iter()
        .take(3)
        .map(|c| format!("/people/{}/briefing", c.person_id))
        .collect();
    pages_of.push(format!("/accounts/{account}/briefing"));
    for path in pages_of {
        client.goto(&format!("{base}{path}")).await.unwrap();
        wait_for(&client, "//h1[starts-with(normalize-space(), 'Briefing')]").await;
        let a4 = PrintConfiguration::builder()
            .size(PrintSize::A4)
            .build()
            .unwrap();
        let pages = pdf_pages(&client.print(a4).await.unwrap());
        assert!((1..=2).contains(&pages), "{path} prints on {pages} pages");
    }
    client.close().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_records_an_insight_on_a_phone_in_three_taps_and_the_director_finds_it() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let person = store.key_contacts(account).await.unwrap()[0].person_id;
    client.set_window_size(390, 844).await.unwrap();
    login(&client, &base, "yilmaz").await;
    client
        .goto(&format!("{base}/people/{person}"))
        .await
        .unwrap();
    wait_for(&client, "//form[@id='insight-form']").await;
    // Besides typing the text: the category, the text field, save.
    let mut taps = 0;
    click(&client, "label[for='ic-needs']").await;
    taps += 1;
    click(&client, "#insight-text").await;
    taps += 1;
    keys(
        &client,
        "Möchte die Verbrauchsberichte künftig als Excel-Datei.",
    )
    .await;
    click(&client, "#insight-form button[type=submit]").await;
    taps += 1;
    wait_for(
        &client,
        "//li[contains(@class,'insight')][contains(., 'als Excel-Datei')]",
    )
    .await;
    assert!(taps <= 5, "{taps} taps");
    screenshot(&client, "insight-recorded-390").await;
    if overflows(&client).await {
        let wide = client
            .execute(
                "var w = document.documentElement.clientWidth, out = [];\
                 document.querySelectorAll('body *').forEach(function (e) {\
                   var r = e.getBoundingClientRect();\
                   if (r.right > w + 1 && !e.closest('.table-wrap')) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.right));\
                 });\
                 return out.join(', ') + ' client ' + w + ' scroll ' + document.documentElement.scrollWidth + ' inner ' + window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        panic!("the person page sticks out on a phone: {wide}");
    }

    // The clerk's other new pages fit the phone too: My day, her unit's digest, the search.
    let clerk = store.user_named("yilmaz").await.unwrap();
    let unit = store
        .person(clerk.person_id.unwrap())
        .await
        .unwrap()
        .unit_id
        .unwrap();
    for page in [
        "/".to_owned(),
        format!("/units/{unit}/digest"),
        "/search?q=excel".to_owned(),
    ] {
        client.goto(&format!("{base}{page}")).await.unwrap();
        wait_for(&client, "//h1").await;
        assert!(!overflows(&client).await, "{page} sticks out on a phone");
    }

    // The managing director reads it in the account briefing and finds it in the search.
    client.delete_all_cookies().await.unwrap();
    client.set_window_size(1440, 900).await.unwrap();
    login(&client, &base, "schneider").await;
    client
        .goto(&format!("{base}/accounts/{account}/briefing"))
        .await
        .unwrap();
    wait_for(&client, "//main[contains(., 'als Excel-Datei')]").await;
    // As she types, the header's box shows what it finds; Escape closes it; Enter shows all.
    let search = client.find(Locator::Css("#header-q")).await.unwrap();
    search.send_keys("excel-datei").await.unwrap();
    wait_for(
        &client,
        "//div[@id='header-found']//li[contains(., 'als Excel-Datei')]",
    )
    .await;
    // (Escape also empties the box, as a search box does.)
    search.send_keys("\u{E00C}").await.unwrap();
    assert_eq!(
        text_of(&client, "#header-found").await,
        "",
        "Escape closes it"
    );
    search.send_keys("excel-datei\u{E007}").await.unwrap();
    wait_for(
        &client,
        "//section[contains(., 'Was wir wissen')]//li[contains(., 'als Excel-Datei')]",
    )
    .await;
    client.close().await.unwrap();
    server.stop().await;
}

/// Types into a field.
async fn type_into(client: &Client, css: &str, text: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no field {css}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_contribute_to_one_meeting_and_both_are_in_the_minutes() {
    let Some((_driver_a, head)) = browser().await else {
        return;
    };
    let Some((_driver_b, clerk)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    let series = store.series_list().await.unwrap()[0].series.id;
    let meeting = store
        .meetings_of(series)
        .await
        .unwrap()
        .into_iter()
        .rfind(|m| m.prepared_at.is_some())
        .unwrap()
        .id;
    let item = store.agenda(meeting).await.unwrap()[0].id;
    let page = format!("{base}/meetings/{meeting}");
    clerk.set_window_size(390, 844).await.unwrap();
    login(&head, &base, "krueger").await;
    login(&clerk, &base, "yilmaz").await;
    head.goto(&page).await.unwrap();
    clerk.goto(&page).await.unwrap();
    wait_for(
        &head,
        "//h3[normalize-space()='Wer hat die Informationen?']",
    )
    .await;
    wait_for(
        &clerk,
        "//h3[normalize-space()='Wer hat die Informationen?']",
    )
    .await;
    assert!(!overflows(&clerk).await, "the meeting fits a phone");

    // Both open their form on the first item and send at the same moment.
    click(&head, &format!("#item-{item} details.contribute > summary")).await;
    type_into(
        &head,
        &format!("#c-text-{item}"),
        "Der Objektleiter wechselt im Februar nach Hamburg.",
    )
    .await;
    click(&clerk, &format!("#item-{item} details.decide > summary")).await;
    type_into(
        &clerk,
        &format!("#d-text-{item}"),
        "Abschiedstermin mit dem Objektleiter vereinbaren.",
    )
    .await;
    let head_send = format!("#item-{item} details.contribute button[type=submit]");
    let clerk_send = format!("#item-{item} details.decide button[type=submit]");
    let (a, b) = tokio::join!(click(&head, &head_send), click(&clerk, &clerk_send));
    let ((), ()) = (a, b);
    // Each sees their own after the send, and the other's arrives by polling, unreloaded.
    let log = format!("//ul[@id='log-{item}']");
    wait_for(&head, &format!("{log}/li[contains(., 'Abschiedstermin')]")).await;
    wait_for(&clerk, &format!("{log}/li[contains(., 'nach Hamburg')]")).await;
    // Once more with the page left standing: the clerk's next contribution reaches the head
    // of department without his reloading.
    let marker = head
        .execute("window.cpMarker = 'still here'; return true;", vec![])
        .await
        .unwrap();
    assert_eq!(marker, json!(true));
    click(
        &clerk,
        &format!("#item-{item} details.contribute > summary"),
    )
    .await;
    type_into(
        &clerk,
        &format!("#c-text-{item}"),
        "Die Buchhaltung fragt nach dem Jahresbericht.",
    )
    .await;
    click(
        &clerk,
        &format!("#item-{item} details.contribute button[type=submit]"),
    )
    .await;
    wait_for(&head, &format!("{log}/li[contains(., 'Jahresbericht')]")).await;
    assert_eq!(
        head.execute("return window.cpMarker || null;", vec![])
            .await
            .unwrap(),
        json!("still here"),
        "it arrived without a reload"
    );

    // An action for the clerk shows on her My day.
    click(&head, &format!("#item-{item} details.agree > summary")).await;
    type_into(
        &head,
        &format!("#a-title-{item}"),
        "Jahresbericht an Isar schicken",
    )
    .await;
    let clerk_person = store
        .user_named("yilmaz")
        .await
        .unwrap()
        .person_id
        .unwrap()
        .to_string();
    select(&head, &format!("#a-owner-{item}"), &clerk_person).await;
    head.execute(
        &format!("document.getElementById('a-due-{item}').value = '2027-01-20'; return true;"),
        vec![],
    )
    .await
    .unwrap();
    click(
        &head,
        &format!("#item-{item} details.agree button[type=submit]"),
    )
    .await;
    wait_for(
        &head,
        &format!("{log}/li[contains(., 'Jahresbericht an Isar')]"),
    )
    .await;
    clerk.goto(&format!("{base}/")).await.unwrap();
    wait_for(
        &clerk,
        "//section[@id='actions']//li[contains(., 'Jahresbericht an Isar schicken')]",
    )
    .await;
    assert!(!overflows(&clerk).await, "My day fits a phone");

    // The minutes hold everything said, and print on few pages.
    head.goto(&format!("{page}/minutes")).await.unwrap();
    for said in [
        "nach Hamburg",
        "Abschiedstermin",
        "Jahresbericht an Isar schicken",
    ] {
        wait_for(
            &head,
            &format!("//ol[@class='minutes']//li[contains(., '{said}')]"),
        )
        .await;
    }
    use fantoccini::wd::{PrintConfiguration, PrintSize};
    let a4 = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .build()
        .unwrap();
    let pages = pdf_pages(&head.print(a4).await.unwrap());
    assert!(
        (1..=3).contains(&pages),
        "the minutes print on {pages} pages"
    );
    head.close().await.unwrap();
    clerk.close().await.unwrap();
    server.stop().await;
}

/// The minutes of a meeting about ten accounts, three contributions on each, print on a few
/// portrait A4 pages (the "at most a few A4 pages for ten accounts": three).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_minutes_of_ten_accounts_print_on_at_most_three_a4_pages() {
    use counterpart_core::insight::{Category, Certainty, InsightInput};
    use fantoccini::wd::{PrintConfiguration, PrintSize};
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    let system = counterpart_store::Actor::system();
    let series = store.series_list().await.unwrap()[0].series.clone();
    // The demo's accounts, and more on the units of its partners up to ten.
    let mut accounts: Vec<_> = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.account.id)
        .collect();
    let own = store.own_organization().await.unwrap().unwrap().id;
    for organization in store.organizations(&Default::default()).await.unwrap() {
        let organization = organization.organization.id;
        if organization == own {
            continue;
        }
        for unit in store.units(organization).await.unwrap() {
            if accounts.len() >= 10 {
                break;
            }
            let input = counterpart_core::account::AccountInput {
                name: Some(unit.name.clone()),
                organization_id: organization,
                unit_id: Some(unit.id),
                relation: counterpart_core::account::Relation::Customer,
                mode: counterpart_core::account::ManagementMode::JourFixe,
                responsible_unit_id: None,
                manager_id: None,
                notes: None,
                restricted: false,
            };
            // A unit that is an account already is refused: the next one.
            if let Ok(account) = store.create_account(&system, &input).await {
                accounts.push(account.id);
            }
        }
    }
    assert!(accounts.len() >= 10, "{} accounts", accounts.len());
    for account in accounts.iter().take(10) {
        store
            .cover_account(&system, series.id, *account)
            .await
            .unwrap();
    }
    // A coming meeting, prepared with all ten (anew, if the job prepared it already).
    let next = series
        .schedule()
        .unwrap()
        .next_from(chrono::Utc::now() + chrono::Duration::days(14))
        .unwrap();
    let meeting = store.meeting_at(&system, series.id, next).await.unwrap();
    let today = chrono::Utc::now().date_naive();
    store
        .prepare_agenda(&system, meeting.id, today)
        .await
        .unwrap();
    let agenda = store.agenda(meeting.id).await.unwrap();
    assert!(agenda.len() >= 10, "{} items", agenda.len());
    let krueger = store.user_named("krueger").await.unwrap();
    let author = counterpart_store::Actor {
        user_id: Some(krueger.id),
        name: krueger.display_name.clone(),
    };
    for item in &agenda {
        for n in 1..=3 {
            let said = InsightInput {
                category: Category::Needs,
                text: format!(
                    "Beitrag {n} zu {}: Der Kunde plant einen neuen Standort und fragt nach \
                     Rahmenverträgen für die nächsten zwei Jahre.",
                    item.title
                ),
                learned_on: today,
                source_id: None,
                certainty: Certainty::Heard,
                valid_until: None,
                confidential: false,
            };
            store
                .contribute(
                    &author,
                    (meeting.id, item.id),
                    (krueger.id, krueger.person_id),
                    &said,
                )
                .await
                .unwrap();
        }
    }
    login(&client, &base, "schneider").await;
    client
        .goto(&format!("{base}/meetings/{}/minutes", meeting.id))
        .await
        .unwrap();
    wait_for(&client, "//ol[@class='minutes']/li[10]").await;
    let a4 = PrintConfiguration::builder()
        .size(PrintSize::A4)
        .build()
        .unwrap();
    let pages = pdf_pages(&client.print(a4).await.unwrap());
    assert!(
        (1..=3).contains(&pages),
        "ten accounts' minutes print on {pages} pages"
    );
    client.close().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_a_second_factor_logs_in_with_the_code_of_their_app() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    let krueger = store.user_named("krueger").await.unwrap().id;
    let secret = counterpart_core::second_factor::TotpSecret::from_bytes([11; 20]);
    let now = chrono::Utc::now().timestamp();
    store
        .enable_second_factor(
            &counterpart_store::Actor::system(),
            krueger,
            &secret,
            &secret.code_at(now),
        )
        .await
        .unwrap();
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&format!("{base}/accounts")).await.unwrap();
    let form = client.form(Locator::Css("form.card")).await.unwrap();
    form.set_by_name("username", "krueger").await.unwrap();
    form.set_by_name("password", "demo").await.unwrap();
    form.submit().await.unwrap();
    // The second step: the code field has the focus, typed and sent with Enter.
    wait_for(&client, "//h1[normalize-space()='Code eingeben']").await;
    let focused = client
        .execute("return document.activeElement.name;", vec![])
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("code"));
    screenshot(&client, "login-code-phone").await;
    keys(&client, &format!("{}\u{E007}", secret.code_at(now + 30))).await;
    wait_for(&client, "//h1[normalize-space()='Accounts']").await;
    assert_eq!(
        client.current_url().await.unwrap().path(),
        "/accounts",
        "back where the login began"
    );
    client.close().await.unwrap();
    server.stop().await;
}
