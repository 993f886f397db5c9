//! axe-core (WCAG 2.1 A and AA rules) on every page state the route table knows: logged out
//! and as an administrator, in German at 1440×900 and in English at 390×844, with forms that
//! show their errors and an import preview with problems. Then keyboard-only walks through the
//! main navigation, a form, and accepting a suggestion.
//!
//! axe-core comes from npm (`crates/web/tests/a11y`, installed by `.ci/run` with `npm ci`; or
//! `COUNTERPART_AXE=/path/to/axe.min.js`); it is never downloaded at test time. Without it the
//! axe test is skipped with a printed reason, except in CI, where it fails.

use std::path::PathBuf;

use fantoccini::{Client, Locator};

use super::routes::{Ids, Method, ROUTES};
use super::{Server, browser, click, in_ci, keys, login, wait_for};

/// The WCAG 2.1 A/AA rule sets of axe-core.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

fn axe_source() -> Option<String> {
    let path = std::env::var("COUNTERPART_AXE").map_or_else(
        |_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/a11y/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => {
            let reason = format!(
                "axe-core not found at {} ({e}); run `npm ci --prefix crates/web/tests/a11y`",
                path.display()
            );
            assert!(!in_ci(), "CI requires the accessibility test: {reason}");
            eprintln!("skipping the accessibility test: {reason}");
            None
        }
    }
}

/// Runs axe on the page the browser shows; one line per violation, naming the rule, its
/// impact and up to three elements.
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    client
        .execute(&format!("{axe}\n;return true;"), vec![])
        .await
        .expect("axe loads into the page");
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }},
                              resultTypes: ['violations'] }})
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' – '
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))))
           .catch(e => done(['axe failed: ' + e]));"
    );
    let found = client
        .execute_async(&script, vec![])
        .await
        .expect("axe runs");
    found
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Opens `path` and checks it; what axe finds is added to `found`, prefixed with the state.
async fn check(client: &Client, base: &str, axe: &str, path: &str, found: &mut Vec<String>) {
    client.goto(&format!("{base}{path}")).await.unwrap();
    wait_for(client, "//h1").await;
    record(client, axe, path, found).await;
}

async fn record(client: &Client, axe: &str, state: &str, found: &mut Vec<String>) {
    let lang = client
        .execute("return document.documentElement.lang;", vec![])
        .await
        .unwrap();
    for v in violations(client, axe).await {
        found.push(format!("{state} [{}]: {v}", lang.as_str().unwrap_or("?")));
    }
}

/// Submits the main form with its browser checks switched off, so that the server's error
/// messages show (as they do for anyone whose browser does not check).
async fn submit_unchecked(client: &Client, css: &str) {
    client
        .execute(
            &format!(
                "const f = document.querySelector({css:?}); f.noValidate = true; f.requestSubmit();"
            ),
            vec![],
        )
        .await
        .unwrap();
}

/// Every page state of one language: the route table's pages, partner pages, forms with
/// errors and an import preview.
async fn every_state(
    client: &Client,
    base: &str,
    axe: &str,
    extra: &[String],
    ids: &Ids,
    found: &mut Vec<String>,
) {
    for (method, path, _) in ROUTES {
        // Fragments (the pickers' and the header search's results) and downloads are not
        // pages.
        if *method != Method::Get
            || path.starts_with("/pick")
            || path.starts_with("/search/quick")
            || path.contains("/export")
            || path.contains(".ics")
            || path.contains(".md")
            || path.contains(".json")
            || path.contains("/live?")
        {
            continue;
        }
        check(client, base, axe, &ids.fill(path), found).await;
    }
    // The header search's results, open on a page (on a phone, in the opened menu).
    client.goto(&format!("{base}/accounts")).await.unwrap();
    wait_for(client, "//h1").await;
    let toggle = client.find(Locator::Css(".menu-toggle")).await.unwrap();
    if toggle.is_displayed().await.unwrap() {
        toggle.click().await.unwrap();
    }
    let search = client.find(Locator::Css("#header-q")).await.unwrap();
    search.send_keys("zufrieden").await.unwrap();
    wait_for(client, "//div[@id='header-found']//li").await;
    record(client, axe, "header search results", found).await;
    for path in extra {
        check(client, base, axe, path, found).await;
    }
    // Forms with errors.
    for path in [
        "/organizations/new".to_owned(),
        format!("/organizations/{}/people/new", ids.own),
        "/accounts/new".to_owned(),
        "/admin/users/new".to_owned(),
        "/account/password".to_owned(),
    ] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        wait_for(client, "//h1").await;
        submit_unchecked(client, "#main-form").await;
        wait_for(
            client,
            "//*[contains(@class,'error-summary') or @aria-invalid='true']",
        )
        .await;
        record(client, axe, &format!("{path} (with errors)"), found).await;
    }
    // An import preview with a problem row.
    let csv = std::env::temp_dir().join(format!("cp-a11y-{}.csv", std::process::id()));
    std::fs::write(
        &csv,
        "Vorname;Nachname;Funktion;Ebene;Vorgesetzte(r);E-Mail\n\
         Margarete;Jöns;Vorstand;1;;m.joens@rk.example\n\
         Björn;Groß;Leiter Einkauf;Häuptling;m.joens@rk.example;b.gross@rk.example\n",
    )
    .unwrap();
    client
        .goto(&format!("{base}/organizations/{}/import", ids.own))
        .await
        .unwrap();
    client
        .find(Locator::Css("#f-file"))
        .await
        .unwrap()
        .send_keys(&csv.display().to_string())
        .await
        .unwrap();
    click(client, "form[enctype] button[type=submit]").await;
    wait_for(client, "//main//table").await;
    record(client, axe, "import preview", found).await;
    let _ = std::fs::remove_file(csv);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_wcag_violation_on_any_page_state() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    let ids = Ids::of_demo(&store).await;
    // Partner pages: every account, its mirror and suggestions, its organization and chart,
    // a key contact's page.
    let mut extra = Vec::new();
    for a in store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        let (id, org) = (a.account.id, a.account.organization_id);
        extra.push(format!("/accounts/{id}"));
        extra.push(format!("/accounts/{id}/mirror"));
        extra.push(format!("/accounts/{id}/suggestions"));
        extra.push(format!("/accounts/{id}/guiding"));
        if a.account.relation.is_supplier() {
            extra.push(format!("/accounts/{id}/supplier-rating"));
        }
        if let Some(unit) = a.account.responsible_unit_id {
            extra.push(format!("/units/{unit}/guiding"));
        }
        extra.push(format!("/organizations/{org}"));
        extra.push(format!("/organizations/{org}/chart"));
        if let Some(k) = store.key_contacts(id).await.unwrap().first() {
            extra.push(format!("/people/{}", k.person_id));
        }
    }
    // The retention review with people on it: one partner without activity for five years.
    let world = counterpart_store::testing::World::new(&store);
    let old = world
        .organization(
            "Altbestand GmbH",
            counterpart_core::org::OrganizationKind::External,
        )
        .await;
    let dormant = world.ladder(old, &["Olga Ohnekontakt"]).await[0];
    counterpart_store::testing::backdate_person(&store, dormant, 5 * 365).await;
    extra.push("/privacy/retention?years=3".to_owned());
    let mut found = Vec::new();

    // Logged out, in German, on a desktop: the login page, then with a failed attempt.
    client.set_window_size(1440, 900).await.unwrap();
    check(&client, &base, &axe, "/login", &mut found).await;
    let form = client.form(Locator::Css("form.card")).await.unwrap();
    form.set_by_name("username", "schneider").await.unwrap();
    form.set_by_name("password", "wrong").await.unwrap();
    form.submit().await.unwrap();
    wait_for(&client, "//*[@role='alert']").await;
    record(&client, &axe, "/login (failed)", &mut found).await;

    login(&client, &base, "schneider").await;
    every_state(&client, &base, &axe, &extra, &ids, &mut found).await;

    // In English on a phone, the menu open.
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&format!("{base}/")).await.unwrap();
    click(&client, "button[lang='en']").await;
    wait_for(&client, "//html[@lang='en']").await;
    click(&client, ".menu-toggle").await;
    record(&client, &axe, "/ (menu open)", &mut found).await;
    every_state(&client, &base, &axe, &extra, &ids, &mut found).await;
    // Logged out in English.
    client.delete_all_cookies().await.unwrap();
    check(&client, &base, &axe, "/login", &mut found).await;
    // The login's second step, and with a wrong code, for a user with a second factor.
    let gast = store.user_named("gast").await.unwrap().id;
    let secret = counterpart_core::second_factor::TotpSecret::from_bytes([3; 20]);
    let now = chrono::Utc::now().timestamp();
    store
        .enable_second_factor(
            &counterpart_store::Actor::system(),
            gast,
            &secret,
            &secret.code_at(now),
        )
        .await
        .unwrap();
    client.goto(&format!("{base}/login")).await.unwrap();
    let form = client.form(Locator::Css("form.card")).await.unwrap();
    form.set_by_name("username", "gast").await.unwrap();
    form.set_by_name("password", "demo").await.unwrap();
    form.submit().await.unwrap();
    wait_for(&client, "//input[@name='code']").await;
    record(&client, &axe, "/login/code", &mut found).await;
    let form = client.form(Locator::Css("form.card")).await.unwrap();
    form.set_by_name("code", "000000").await.unwrap();
    form.submit().await.unwrap();
    wait_for(&client, "//*[@role='alert']").await;
    record(&client, &axe, "/login/code (wrong code)", &mut found).await;

    assert!(
        found.is_empty(),
        "{} axe violations:\n{}",
        found.len(),
        found.join("\n")
    );
    client.close().await.unwrap();
    server.stop().await;
}

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = " ";

/// Presses Tab until the focused element matches `css` (at most `limit` times).
async fn tab_to(client: &Client, css: &str, limit: usize) {
    for _ in 0..limit {
        keys(client, TAB).await;
        let here = client
            .execute(
                "return document.activeElement.matches(arguments[0]);",
                vec![css.into()],
            )
            .await
            .unwrap();
        if here.as_bool() == Some(true) {
            return;
        }
    }
    panic!("{css} never took the focus in {limit} presses of Tab");
}

async fn path(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_alone_navigates_submits_a_form_and_accepts_a_suggestion() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let server = Server::demo().await;
    let (base, store) = (server.base.clone(), server.db.store.clone());
    login(&client, &base, "schneider").await;

    // The main navigation on a desktop: the first Tab reaches the skip link; then the menu.
    client.set_window_size(1440, 900).await.unwrap();
    client.goto(&format!("{base}/")).await.unwrap();
    wait_for(&client, "//h1").await;
    tab_to(&client, "a.skip", 1).await;
    tab_to(&client, "nav a[href='/accounts']", 5).await;
    keys(&client, ENTER).await;
    wait_for(&client, "//h1[normalize-space()='Accounts']").await;
    assert_eq!(path(&client).await, "/accounts");
    // The administration menu opens with Enter and leads to the users.
    tab_to(&client, "details.dropdown > summary", 12).await;
    keys(&client, ENTER).await;
    tab_to(&client, "a[href='/admin/users']", 2).await;
    keys(&client, ENTER).await;
    wait_for(&client, "//h1[normalize-space()='Benutzer']").await;

    // On a phone: the menu button opens the navigation.
    client.set_window_size(390, 844).await.unwrap();
    client.goto(&format!("{base}/")).await.unwrap();
    wait_for(&client, "//h1").await;
    tab_to(&client, ".menu-toggle", 6).await;
    keys(&client, ENTER).await;
    tab_to(&client, "nav a[href='/matrix']", 6).await;
    keys(&client, ENTER).await;
    wait_for(&client, "//h1[normalize-space()='KAM-Matrix']").await;

    // A filter chosen with the arrow keys does not reload the page; its button applies it and
    // the focus comes back to that button.
    client.set_window_size(1440, 900).await.unwrap();
    client.goto(&format!("{base}/accounts")).await.unwrap();
    wait_for(&client, "//h1").await;
    tab_to(&client, "#f-relation", 30).await;
    keys(&client, "\u{E015}").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        client.current_url().await.unwrap().query(),
        None,
        "choosing with an arrow key reloaded the page"
    );
    tab_to(&client, "#filter-apply", 6).await;
    keys(&client, ENTER).await;
    wait_for(
        &client,
        "//select[@id='f-relation']/option[@selected][@value!='']",
    )
    .await;
    let focused = client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused.as_str(), Some("filter-apply"));

    // A form, filled and sent by keyboard: a new organization.
    client
        .goto(&format!("{base}/organizations/new"))
        .await
        .unwrap();
    wait_for(&client, "//h1").await;
    tab_to(&client, "#f-name", 30).await;
    keys(&client, "Tastatur & Söhne GmbH").await;
    keys(&client, ENTER).await;
    wait_for(&client, "//h1[normalize-space()='Tastatur & Söhne GmbH']").await;

    // Accepting a suggestion: Tab to the first proposal, Space ticks it, Tab to "accept",
    // Enter; one assignment more is stored.
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
    client
        .goto(&format!("{base}/accounts/{account}/suggestions"))
        .await
        .unwrap();
    wait_for(&client, "//p[@id='optimality']").await;
    tab_to(&client, "input[name=pick]", 80).await;
    let pick = client
        .execute("return document.activeElement.value;", vec![])
        .await
        .unwrap();
    // "partner:ours:kind"
    let pick: Vec<i64> = pick
        .as_str()
        .unwrap()
        .split(':')
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    keys(&client, SPACE).await;
    tab_to(&client, ".actions button[type=submit]:not([name])", 40).await;
    keys(&client, ENTER).await;
    wait_for(
        &client,
        "//div[contains(@class,'notice')]/p[contains(., 'Übernommene Zuordnungen: 1')]",
    )
    .await;
    let now = store
        .counterparts_of(
            counterpart_core::ids::PersonId::new(pick[0]),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert!(
        now.iter().any(|c| c.assignment.our_id.get() == pick[1]),
        "the ticked pair is stored"
    );

    client.close().await.unwrap();
    server.stop().await;
}
