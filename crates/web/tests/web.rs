//! In-process tests of every page route: roles, CSRF, errors, forms, conflicts, languages.

mod support;

#[path = "web/api.rs"]
mod api;
#[path = "web/api_conformance.rs"]
mod api_conformance;
#[path = "web/api_guiding.rs"]
mod api_guiding;
#[path = "web/api_jour_fixe.rs"]
mod api_jour_fixe;
#[path = "web/api_knowledge.rs"]
mod api_knowledge;
#[path = "web/api_relations.rs"]
mod api_relations;
#[path = "web/api_write.rs"]
mod api_write;
#[path = "web/digest.rs"]
mod digest;
#[path = "web/erasure.rs"]
mod erasure;
#[path = "web/guiding.rs"]
mod guiding;
#[path = "web/hardening.rs"]
mod hardening;
#[path = "web/ics.rs"]
mod ics;
#[path = "web/imports.rs"]
mod imports;
#[path = "web/internal.rs"]
mod internal;
#[path = "web/jour_fixe.rs"]
mod jour_fixe;
#[path = "web/log_capture.rs"]
mod log_capture;
#[path = "web/privacy.rs"]
mod privacy;
#[path = "web/restricted.rs"]
mod restricted;
#[path = "web/security.rs"]
mod security;
#[path = "web/snapshots.rs"]
mod snapshots;
#[path = "web/tokens.rs"]
mod tokens;
#[path = "web/users.rs"]
mod users;
#[path = "web/visibility.rs"]
mod visibility;

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_store::AuditFilter;
use support::routes::{Ids, Method, Needs, ROUTES, UPLOAD_ROUTES};
use support::{TestApp, person_id};

#[tokio::test]
async fn every_route_checks_the_role() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let fill = |path: &str| ids.fill(path);
    let last_before = store
        .audit_entries(&AuditFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .id;
    let mut anonymous = app.client();
    anonymous.get("/login").await;
    let mut clients = vec![
        (Some(Needs::Viewer), app.login("gast").await),
        (Some(Needs::Editor), app.login("krueger").await),
        (Some(Needs::Admin), app.login("schneider").await),
        (None, anonymous),
    ];
    for &(method, template, needs) in ROUTES.iter().chain(UPLOAD_ROUTES) {
        let path = fill(template);
        let is_upload = UPLOAD_ROUTES.iter().any(|r| r.1 == template);
        for (role, client) in &mut clients {
            // Empty forms: allowed users get a form error, never a change.
            let page = match method {
                Method::Get => client.get(&path).await,
                Method::Post => client.post(&path, &[]).await,
            };
            let what = format!("{method:?} {path} as {role:?}");
            match role {
                None => {
                    assert_eq!(page.status, StatusCode::SEE_OTHER, "{what}");
                    assert!(
                        page.location().starts_with("/login?next="),
                        "{what}: {}",
                        page.location()
                    );
                }
                Some(role) if *role < needs => {
                    assert_eq!(page.status, StatusCode::FORBIDDEN, "{what}");
                    page.assert_contains("Dafür fehlt Ihnen die Berechtigung");
                }
                Some(_) if is_upload => {
                    assert_eq!(page.status, StatusCode::NOT_FOUND, "{what}");
                }
                Some(_) => {
                    assert!(
                        page.status.is_success()
                            || page.status.is_redirection()
                            || page.status == StatusCode::UNPROCESSABLE_ENTITY
                            // An empty form where a file upload belongs.
                            || page.status == StatusCode::BAD_REQUEST,
                        "{what}: {}",
                        page.status
                    );
                    assert!(!page.location().starts_with("/login"), "{what}");
                }
            }
        }
    }
    // Nothing above changed data: the audit log ends where the demo loader left it, but for
    // the access reports the administrator produced (producing one is audited).
    let after = store
        .audit_entries(&AuditFilter {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    let changes: Vec<_> = after
        .iter()
        .take_while(|e| e.id != last_before)
        .filter(|e| e.entity != EntityKind::AccessReport)
        .collect();
    assert!(
        changes.is_empty(),
        "a denied or empty request changed data: {changes:?}"
    );
    let reports = after
        .iter()
        .take_while(|e| e.id != last_before)
        .filter(|e| e.entity == EntityKind::AccessReport)
        .count();
    assert_eq!(
        reports,
        ROUTES
            .iter()
            .filter(|(_, path, _)| {
                path.starts_with("/privacy/people/") && path.contains("/access")
            })
            .count(),
        "one access report per request of an administrator, none for the others"
    );
}

#[tokio::test]
async fn public_routes_need_no_login() {
    let app = TestApp::demo().await;
    let mut client = app.client();
    assert_eq!(client.get("/login").await.status, StatusCode::OK);
    assert_eq!(client.get("/healthz").await.status, StatusCode::OK);
    let css = client.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let htmx = client.get("/static/htmx.min.js").await;
    assert_eq!(htmx.status, StatusCode::OK);
    assert!(htmx.body.contains("htmx"), "htmx is served by us");
    assert_eq!(
        client.get("/static/nope.js").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn state_changes_without_the_csrf_token_are_refused() {
    let app = TestApp::demo().await;
    let mut editor = app.login("krueger").await;
    let own = app.db.store.own_organization().await.unwrap().unwrap();
    let fields = [
        ("name", "Gehackt GmbH"),
        ("kind", "external"),
        ("notes", ""),
    ];
    let missing = editor.post_raw("/organizations", &fields).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    missing.assert_contains("Das Formular ist abgelaufen");
    let mut wrong = fields.to_vec();
    let forged = "0".repeat(64);
    wrong.push(("_csrf", &forged));
    assert_eq!(
        editor.post_raw("/organizations", &wrong).await.status,
        StatusCode::FORBIDDEN
    );
    // The login form is protected too (against login CSRF).
    let mut anonymous = app.client();
    let login = anonymous
        .post_raw("/login", &[("username", "krueger"), ("password", "demo")])
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    // Nothing was created; with the token it works.
    let names: Vec<String> = app
        .db
        .store
        .organizations(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.organization.name)
        .collect();
    assert!(!names.contains(&"Gehackt GmbH".to_owned()));
    let created = editor.post("/organizations", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_ne!(created.location(), format!("/organizations/{}", own.id));
}

#[tokio::test]
async fn errors_are_pages_not_crashes() {
    let app = TestApp::demo().await;
    let mut viewer = app.login("gast").await;
    let missing = viewer.get("/people/999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    missing.assert_contains("Diese Seite gibt es nicht");
    assert_eq!(
        viewer.get("/no/such/page").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        viewer.get("/organizations/not-a-number").await.status,
        StatusCode::BAD_REQUEST
    );
    let mut editor = app.login("krueger").await;
    editor.get("/").await;
    let huge = editor.post_bytes("/organizations", 2 * 1024 * 1024).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    huge.assert_contains("zu groß");
}

#[tokio::test]
async fn security_headers_and_cookie_flags() {
    let app = TestApp::demo().await;
    let mut client = app.client();
    let page = client.get("/login").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert!(!page.body.contains("<script>"), "no inline script");
    let login = client
        .post(
            "/login",
            &[("username", "gast"), ("password", "demo"), ("next", "/")],
        )
        .await;
    let cookie = login.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("cp_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn login_logout_and_wrong_passwords() {
    let app = TestApp::demo().await;
    let mut client = app.client();
    client.get("/login").await;
    let wrong = client
        .post("/login", &[("username", "gast"), ("password", "nope")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    wrong.assert_contains("Benutzername oder Passwort ist falsch.");
    wrong.assert_contains(r#"value="gast""#);
    // After login the next target is honoured, but only on this site.
    let ok = client
        .post(
            "/login",
            &[
                ("username", "gast"),
                ("password", "demo"),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(ok.location(), "/");
    client.get("/").await.assert_contains("<h1>Mein Tag</h1>");
    let out = client.post("/logout", &[]).await;
    assert_eq!(out.location(), "/login");
    let after = client.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session is gone");
}

#[tokio::test]
async fn language_switch_is_remembered_per_user() {
    let app = TestApp::demo().await;
    let mut client = app.login("yilmaz").await;
    client
        .get("/organizations")
        .await
        .assert_contains("Organisationen");
    let switched = client
        .post("/language", &[("lang", "en"), ("back", "/organizations")])
        .await;
    assert_eq!(switched.location(), "/organizations");
    let english = client.get("/organizations").await;
    english.assert_contains(r#"<html lang="en">"#);
    english.assert_contains("Partner side (external)");
    // A new session of the same user, with a German browser, stays English.
    let mut again = app.login("yilmaz").await;
    again.get("/people").await.assert_contains("Find people");
    // Anonymous visitors follow their browser, or the cookie once they choose.
    let mut visitor = app.client();
    visitor.accept_language = "en-US,en;q=0.8".into();
    visitor
        .get("/login")
        .await
        .assert_contains("Log in to Counterpart");
    visitor.accept_language = "de".into();
    visitor
        .post(
            "/language",
            &[("lang", "en"), ("back", "https://evil.example/")],
        )
        .await;
    visitor
        .get("/login")
        .await
        .assert_contains("Log in to Counterpart");
    assert_eq!(
        visitor
            .post("/language", &[("lang", "fr"), ("back", "/")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn editing_a_person_shows_the_change_and_who_made_it() {
    let app = TestApp::demo().await;
    let mut editor = app.login("krueger").await;
    let found = editor.get("/people?q=yilmaz").await;
    let id = person_id(&found.body, "Ayşe Yılmaz").expect("search finds Ayşe Yılmaz");
    let form = editor.get(&format!("/people/{id}/edit")).await;
    form.assert_contains("Sachbearbeiterin Vertriebsinnendienst");
    let levels = app.db.store.levels().await.unwrap();
    let person = app
        .db
        .store
        .person(counterpart_core::ids::PersonId::new(id))
        .await
        .unwrap();
    let team_lead = levels[3].id.to_string();
    let version = person.version.to_string();
    let unit = person.unit_id.unwrap().to_string();
    let reports_to = person.reports_to_id.unwrap().to_string();
    let fields = [
        ("given_name", "Ayşe"),
        ("family_name", "Yılmaz"),
        ("job_title", "Teamleiterin Key Account Service"),
        ("level_id", team_lead.as_str()),
        ("unit_id", unit.as_str()),
        ("reports_to_id", reports_to.as_str()),
        ("email", "ayse.yilmaz@nordlicht-fs.example"),
        ("version", version.as_str()),
    ];
    let saved = editor.post(&format!("/people/{id}/edit"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = editor.get(saved.location()).await;
    page.assert_contains("Gespeichert.");
    page.assert_contains(r#"<span id="job-title">Teamleiterin Key Account Service</span>"#);
    page.assert_contains(r#"id="level">Teamleitung</span>"#);
    page.assert_contains("von Jörg Krüger");
}

#[tokio::test]
async fn the_audit_log_names_the_editor() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let hit = store
        .search_people("yilmaz", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let mut editor = app.login("krueger").await;
    editor.get(&format!("/people/{}/edit", hit.id)).await;
    let version = hit.version.to_string();
    let saved = editor
        .post(
            &format!("/people/{}/edit", hit.id),
            &[
                ("given_name", "Ayşe"),
                ("family_name", "Yılmaz"),
                ("job_title", "Teamleiterin"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    editor
        .get(&format!("/people/{}", hit.id))
        .await
        .assert_contains("von Jörg Krüger");
    let mut admin = app.login("schneider").await;
    let log = admin
        .get(&format!("/admin/audit?entity=person&id={}", hit.id))
        .await;
    log.assert_contains("Jörg Krüger");
    log.assert_contains(
        "<del>Sachbearbeiterin Vertriebsinnendienst</del> → <ins>Teamleiterin</ins>",
    );
    // The log speaks in words: field labels, the names ids stand for, local times.
    let manager = store
        .person(hit.reports_to_id.unwrap())
        .await
        .unwrap()
        .display_name();
    log.assert_contains(&format!("Vorgesetzte(r): <del>{manager}</del>"));
    log.assert_contains("Hierarchieebene: <del>5 · Sachbearbeitung</del>");
    for raw in ["reports_to_id", "level_id", "unit_id", "version"] {
        assert!(!log.body.contains(raw), "{raw} shown raw");
    }
    let entries = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Person),
            entity_id: Some(hit.id.get()),
            limit: 5,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(entries[0].actor_name, "Jörg Krüger");
}

#[tokio::test]
async fn forms_name_every_bad_field_in_the_users_language() {
    let app = TestApp::demo().await;
    let own = app.db.store.own_organization().await.unwrap().unwrap();
    let mut editor = app.login("krueger").await;
    editor
        .get(&format!("/organizations/{}/people/new", own.id))
        .await;
    let bad = editor
        .post(
            &format!("/organizations/{}/people", own.id),
            &[
                ("family_name", " "),
                ("email", "not-an-address"),
                ("phone", "call me"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Bitte prüfen Sie die markierten Felder");
    bad.assert_contains(r#"<p class="error" id="f-family_name-error">Bitte ausfüllen.</p>"#);
    bad.assert_contains("Keine gültige E-Mail-Adresse");
    bad.assert_contains(r#"aria-invalid="true""#);
    bad.assert_contains(r#"value="not-an-address""#); // nothing typed is lost
    editor
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    editor
        .get(&format!("/organizations/{}/people/new", own.id))
        .await;
    let english = editor
        .post(
            &format!("/organizations/{}/people", own.id),
            &[("family_name", ""), ("email", "x")],
        )
        .await;
    english.assert_contains("Please fill this in.");
    english.assert_contains("Not a valid e-mail address");
}

#[tokio::test]
async fn a_lost_race_names_who_changed_and_keeps_the_input() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let hit = store
        .search_people("weissenfels", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let stale = hit.version.to_string();
    let mut first = app.login("schneider").await;
    let mut second = app.login("krueger").await;
    first.get(&format!("/people/{}/edit", hit.id)).await;
    second.get(&format!("/people/{}/edit", hit.id)).await;
    let path = format!("/people/{}/edit", hit.id);
    let ok = first
        .post(
            &path,
            &[
                ("given_name", "Thomas"),
                ("family_name", "Weißenfels"),
                ("job_title", "Vertriebsleiter"),
                ("version", &stale),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let lost = second
        .post(
            &path,
            &[
                ("given_name", "Thomas"),
                ("family_name", "Weißenfels"),
                ("job_title", "Bereichsleiter Sales"),
                ("version", &stale),
            ],
        )
        .await;
    assert_eq!(lost.status, StatusCode::CONFLICT);
    lost.assert_contains("inzwischen von Dr. Katharina Schneider geändert");
    lost.assert_contains(r#"value="Bereichsleiter Sales""#);
    assert_eq!(
        store.person(hit.id).await.unwrap().job_title.as_deref(),
        Some("Vertriebsleiter")
    );
    // Saving again after reading the warning overwrites deliberately.
    let current = store.person(hit.id).await.unwrap().version.to_string();
    let again = second
        .post(
            &path,
            &[
                ("given_name", "Thomas"),
                ("family_name", "Weißenfels"),
                ("job_title", "Bereichsleiter Sales"),
                ("version", &current),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn reports_to_loops_are_refused_with_a_message() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let boss = store
        .search_people("katharina schneider", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let clerk = store
        .search_people("yilmaz", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let mut admin = app.login("schneider").await;
    admin.get(&format!("/people/{}/edit", boss.id)).await;
    let version = boss.version.to_string();
    let clerk_id = clerk.id.to_string();
    let page = admin
        .post(
            &format!("/people/{}/edit", boss.id),
            &[
                ("given_name", "Katharina"),
                ("family_name", "Schneider"),
                ("reports_to_id", &clerk_id),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Das ergäbe einen Kreis in der Hierarchie");
    assert_eq!(store.person(boss.id).await.unwrap().reports_to_id, None);
}

#[tokio::test]
async fn the_organizations_and_accounts_lists_come_in_pages() {
    use counterpart_core::org::{OrganizationInput, OrganizationKind};
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let setup = counterpart_store::Actor {
        user_id: None,
        name: "Test".into(),
    };
    let before = store
        .organizations(&Default::default())
        .await
        .unwrap()
        .len();
    let per_page = counterpart_store::ORGANIZATIONS_PER_PAGE as usize;
    let accounts_before = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .len();
    let accounts_per_page = counterpart_app::accounts::ACCOUNTS_PAGE;
    for n in 0..(per_page + 5 - before) {
        let input = OrganizationInput {
            name: format!("Zulieferer {n:03}"),
            kind: OrganizationKind::External,
            notes: None,
        };
        let org = store.create_organization(&setup, &input).await.unwrap();
        // Enough of them become accounts for a second page of accounts.
        if n < accounts_per_page + 3 - accounts_before {
            let account = counterpart_core::account::AccountInput::parse(
                &counterpart_core::account::AccountFields {
                    organization_id: org.id.to_string(),
                    relation: "supplier".into(),
                    mode: "hierarchical".into(),
                    ..Default::default()
                },
            )
            .unwrap();
            store.create_account(&setup, &account).await.unwrap();
        }
    }
    // Sorted by name, the last one created is the last of the list.
    let last = format!("Zulieferer {:03}", per_page + 4 - before);
    let mut viewer = app.login("gast").await;
    let rows = |body: &str| body.matches(r#"<a href="/organizations/"#).count();
    let first = viewer.get("/organizations").await;
    assert_eq!(rows(&first.body), per_page, "a full first page");
    first.assert_contains(r#"href="/organizations?kind=&#38;page=1""#);
    assert!(!first.body.contains(&last), "the last is on the next page");
    let second = viewer.get("/organizations?kind=&page=1").await;
    assert_eq!(rows(&second.body), 5, "the rest");
    second.assert_contains(&last);
    second.assert_contains(r#"href="/organizations?kind=&#38;page=0""#);
    assert!(!second.body.contains("page=2"), "no page after the last");
    // A page past the end is empty, not an error; a page that is no number is refused.
    let past = viewer.get("/organizations?page=4000000000").await;
    assert_eq!(past.status, StatusCode::OK);
    past.assert_contains("Keine Organisationen");
    let wrong = viewer.get("/organizations?page=-1").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);

    // The accounts list likewise, its filter kept on the page links.
    let total = accounts_per_page + 3;
    let rows = |body: &str| body.matches(r#"<td><a href="/accounts/"#).count();
    let first = viewer.get("/accounts").await;
    assert_eq!(rows(&first.body), accounts_per_page);
    first.assert_contains(&format!("1–{accounts_per_page} / {total}"));
    first.assert_contains("page=1");
    let second = viewer
        .get("/accounts?relation=&side=&tier=&unit=&page=1")
        .await;
    assert_eq!(rows(&second.body), 3);
    second.assert_contains(&format!("{}–{total} / {total}", accounts_per_page + 1));
    let suppliers = viewer.get("/accounts?relation=supplier&page=1").await;
    suppliers.assert_contains("relation=supplier");
    let past = viewer.get("/accounts?page=99").await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(rows(&past.body), 0);
}

#[tokio::test]
async fn organizations_units_and_positions_through_the_pages() {
    let app = TestApp::demo().await;
    let mut editor = app.login("krueger").await;
    // Filters on the list.
    let internal = editor.get("/organizations?kind=internal").await;
    internal.assert_contains("Konzern-IT (interne Dienstleistung)");
    assert!(!internal.body.contains("Brandt &#38; Söhne"));
    // Create an organization with a unit and a person, then move the person there.
    editor.get("/organizations/new").await;
    let created = editor
        .post(
            "/organizations",
            &[
                ("name", "Rhein-Ruhr Logistik GmbH"),
                ("kind", "external"),
                ("notes", "Neukunde"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let org_path = created.location().split('?').next().unwrap().to_owned();
    let org_id = org_path.rsplit('/').next().unwrap().to_owned();
    editor.get(&format!("{org_path}/units/new")).await;
    let unit = editor
        .post(
            &format!("{org_path}/units"),
            &[
                ("name", "Einkauf"),
                ("kind", "department"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(unit.status, StatusCode::SEE_OTHER, "{}", unit.body);
    let unit_page = editor.get(unit.location()).await;
    unit_page.assert_contains("Einkauf");
    let duplicate = editor
        .post(
            "/organizations",
            &[("name", "rhein-ruhr logistik gmbh"), ("kind", "external")],
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    duplicate.assert_contains("Bereits vergeben.");

    let mover = app
        .db
        .store
        .search_people("kiessling", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    editor
        .get(&format!(
            "/people/{}/position?organization_id={org_id}",
            mover.id
        ))
        .await
        .assert_contains("Einkauf");
    let version = mover.version.to_string();
    let moved = editor
        .post(
            &format!("/people/{}/position", mover.id),
            &[
                ("organization_id", &org_id),
                ("unit_id", ""),
                ("job_title", "Leiterin Einkauf"),
                ("level_id", ""),
                ("valid_from", "2026-12-01"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let page = editor.get(&format!("/people/{}", mover.id)).await;
    page.assert_contains("Rhein-Ruhr Logistik GmbH");
    page.assert_contains("Brandt &#38; Söhne Industriewerke AG");
    page.assert_contains("Isar Asset &#38; Property Management GmbH");
    page.assert_contains("01.12.2026 – aktuell");
    page.assert_contains("01.07.2023 – 30.11.2026");
}

#[tokio::test]
async fn admins_rename_and_reorder_the_ladder() {
    let app = TestApp::demo().await;
    let mut admin = app.login("schneider").await;
    admin.get("/admin/levels").await;
    let added = admin
        .post(
            "/admin/levels",
            &[("name_de", "Gruppenleitung"), ("name_en", "Group lead")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let empty = admin
        .post("/admin/levels", &[("name_de", ""), ("name_en", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Name (Deutsch): Bitte ausfüllen.");
    let levels = app.db.store.levels().await.unwrap();
    let group = levels
        .iter()
        .find(|l| l.name_de == "Gruppenleitung")
        .unwrap();
    admin
        .post(
            &format!("/admin/levels/{}/move", group.id),
            &[("direction", "up")],
        )
        .await;
    let page = admin.get("/admin/levels").await;
    let group_at = page.body.find("Gruppenleitung").unwrap();
    let clerk_at = page.body.find("Sachbearbeitung").unwrap();
    assert!(group_at < clerk_at, "moved above the clerks");
    admin.get("/admin/functions").await;
    let function = admin
        .post(
            "/admin/functions",
            &[
                ("key", "key_account"),
                ("name_de", "Key Account"),
                ("name_en", "Key account"),
            ],
        )
        .await;
    assert_eq!(function.status, StatusCode::SEE_OTHER);
    let bad_key = admin
        .post(
            "/admin/functions",
            &[("key", "Key Account"), ("name_de", "X"), ("name_en", "X")],
        )
        .await;
    assert_eq!(bad_key.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_account_from_creation_to_a_coloured_matrix_cell() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let mut editor = app.login("krueger").await;
    // A new customer with one key person.
    editor.get("/organizations/new").await;
    let org = editor
        .post(
            "/organizations",
            &[("name", "Rheinland Kliniken gGmbH"), ("kind", "external")],
        )
        .await;
    let org_id = org
        .location()
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    editor
        .get(&format!("/organizations/{org_id}/people/new"))
        .await;
    let board = store.levels().await.unwrap()[0].id.to_string();
    let person = editor
        .post(
            &format!("/organizations/{org_id}/people"),
            &[
                ("given_name", "Margarete"),
                ("family_name", "Jöns"),
                ("level_id", &board),
            ],
        )
        .await;
    let person_path = person.location().split('?').next().unwrap().to_owned();
    let person_id = person_path.rsplit('/').next().unwrap().to_owned();

    editor.get("/accounts/new").await;
    let bad = editor
        .post(
            "/accounts",
            &[
                ("organization_id", ""),
                ("relation", "partner"),
                ("mode", "hierarchical"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains(r#"id="f-organization_id-error""#);
    let created = editor
        .post(
            "/accounts",
            &[
                ("organization_id", &org_id),
                ("relation", "customer"),
                ("mode", "hierarchical"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let account_path = created.location().split('?').next().unwrap().to_owned();
    let page = editor.get(&account_path).await;
    page.assert_contains("Rheinland Kliniken gGmbH");
    let added = editor
        .post(
            &format!("{account_path}/contacts"),
            &[
                ("person_id", &person_id),
                ("role", "decision_maker"),
                ("stance", "positive"),
                ("influence", "5"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let page = editor.get(&account_path).await;
    page.assert_contains("Lücke: niemand von uns");

    // The matrix shows the gap in the board column.
    let matrix = editor.get("/matrix").await;
    let row = matrix_row(&matrix.body, "Rheinland Kliniken gGmbH");
    assert!(
        row.contains("is-gap") && row.contains("Margarete Jöns"),
        "{row}"
    );

    // Assign our managing director from the partner person's page, then rate.
    let ours = store
        .search_people("katharina schneider", None, 1)
        .await
        .unwrap()
        .remove(0)
        .person
        .id
        .to_string();
    editor.get(&person_path).await;
    let assigned = editor
        .post(
            &format!("{person_path}/counterparts"),
            &[
                ("other_id", &ours),
                ("kind", "primary"),
                ("valid_from", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    let row = matrix_row(
        &editor.get("/matrix").await.body,
        "Rheinland Kliniken gGmbH",
    );
    assert!(
        !row.contains("is-gap") && row.contains("health-unrated"),
        "{row}"
    );

    let assignment = store
        .counterparts_of(
            counterpart_core::ids::PersonId::new(person_id.parse().unwrap()),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .assignment
        .id;
    editor.get(&format!("/assignments/{assignment}")).await;
    let invalid = editor
        .post(
            &format!("/assignments/{assignment}/ratings"),
            &[
                ("rated_on", "2026-02-01"),
                ("relationship", "7"),
                ("partnership", "3"),
                ("satisfaction", "3"),
            ],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    invalid.assert_contains("Beziehung: Erlaubt sind Werte von 1 bis 5.");
    for (on, value, class) in [
        ("2026-02-01", "2", "health-poor"),
        ("2026-05-01", "5", "health-good"),
    ] {
        let rated = editor
            .post(
                &format!("/assignments/{assignment}/ratings"),
                &[
                    ("rated_on", on),
                    ("relationship", value),
                    ("partnership", "4"),
                    ("satisfaction", "4"),
                    ("comment", "Termin auf Augenhöhe"),
                ],
            )
            .await;
        assert_eq!(rated.status, StatusCode::SEE_OTHER, "{}", rated.body);
        let row = matrix_row(
            &editor.get("/matrix").await.body,
            "Rheinland Kliniken gGmbH",
        );
        assert!(row.contains(class), "after rating {value}: {row}");
    }
    let relationship = editor.get(&format!("/assignments/{assignment}")).await;
    relationship.assert_contains("<svg");
    relationship.assert_contains("Termin auf Augenhöhe");
    relationship.assert_contains("Jörg Krüger");
}

/// The HTML of the matrix row of one account.
fn matrix_row(body: &str, account: &str) -> String {
    let start = body
        .find(&format!(">{account}</a>"))
        .unwrap_or_else(|| panic!("{account} not in the matrix"));
    let end = body[start..]
        .find("</tr>")
        .map_or(body.len(), |e| start + e);
    body[start..end].to_owned()
}

#[tokio::test]
async fn importance_is_rated_by_members_and_disagreement_shows() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let isar = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.organization_name.starts_with("Isar"))
        .unwrap();
    let mut viewer = app.login("gast").await;
    let page = viewer.get("/importance").await;
    page.assert_contains("Wachstumspotenzial");
    page.assert_contains("strittig");
    page.assert_contains("Isar Asset &#38; Property Management GmbH");
    // The guest sees the breakdown but has no rating controls.
    let account = viewer.get(&format!("/accounts/{}", isar.account.id)).await;
    account.assert_contains("So setzt sich die Wichtigkeit zusammen");
    assert!(!account.body.contains("Bewertungen speichern"));

    let mut editor = app.login("yilmaz").await;
    editor.get(&format!("/accounts/{}", isar.account.id)).await;
    let growth = store.criteria().await.unwrap()[2].id;
    let field = format!("c{growth}");
    let wrong = editor
        .post(
            &format!("/accounts/{}/importance", isar.account.id),
            &[(&field, "9")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let before = store
        .account_score(isar.account.id)
        .await
        .unwrap()
        .unwrap()
        .value;
    let saved = editor
        .post(
            &format!("/accounts/{}/importance", isar.account.id),
            &[(&field, "1")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let after = store
        .account_score(isar.account.id)
        .await
        .unwrap()
        .unwrap()
        .value;
    assert!(after < before, "{before} → {after}");
    // Members propose weights; the lead (admin) sets the final weight and the tiers.
    editor.get("/importance").await;
    let proposal = editor
        .post("/importance/proposals", &[(&format!("w{growth}"), "abc")])
        .await;
    assert_eq!(proposal.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut admin = app.login("schneider").await;
    admin.get("/importance").await;
    let tiers = admin
        .post("/importance/tiers", &[("tier_a", "30"), ("tier_b", "60")])
        .await;
    assert_eq!(tiers.status, StatusCode::UNPROCESSABLE_ENTITY);
    let tiers = admin
        .post("/importance/tiers", &[("tier_a", "90"), ("tier_b", "50")])
        .await;
    assert_eq!(tiers.status, StatusCode::SEE_OTHER);
    assert!(
        store
            .accounts(
                &Default::default(),
                &counterpart_store::Visibility::everything()
            )
            .await
            .unwrap()
            .iter()
            .all(|a| a.tier != Some(counterpart_core::importance::Tier::A))
    );
}

#[tokio::test]
async fn the_portfolio_plots_scored_accounts_as_links() {
    let app = TestApp::demo().await;
    let mut viewer = app.login("gast").await;
    let page = viewer.get("/portfolio").await;
    page.assert_contains(r#"<svg viewBox="0 0 860 520""#);
    for account in app
        .db
        .store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        page.assert_contains(&format!(
            r#"<a href="/accounts/{}" class="point"#,
            account.account.id
        ));
    }
    page.assert_contains("Ausbauen: wichtig, Beziehung schwach");
    // The table says which quadrant each account is in.
    let quadrants: usize = [
        "Pflegen: wichtig, Beziehung stark",
        "Ausbauen: wichtig, Beziehung schwach",
        "Beobachten",
        "Effizient betreuen",
    ]
    .iter()
    .map(|q| page.body.matches(&format!("<td>{q}</td>")).count())
    .sum();
    assert_eq!(quadrants, 6, "one quadrant per plotted account");
    let suppliers = viewer.get("/portfolio?relation=supplier").await;
    suppliers.assert_contains("Hansa Bürodienste GmbH");
    assert!(!suppliers.body.contains("Brandt &#38; Söhne"));
}

#[tokio::test]
async fn org_charts_are_pictures_with_filters_and_a_list() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let own = store.own_organization().await.unwrap().unwrap();
    let mut viewer = app.login("gast").await;
    let full = viewer
        .get(&format!("/organizations/{}/chart", own.id))
        .await;
    assert_eq!(full.status, StatusCode::OK);
    full.assert_contains(r#"class="orgchart-svg""#);
    let boxes = full.body.matches(r#"<a href="/people/"#).count();
    let active = store
        .people(own.id, None, false, 1000, 0)
        .await
        .unwrap()
        .len();
    // Every active person once in the picture and once in the list.
    assert_eq!(boxes, 2 * active, "boxes and list entries");
    // The managing director's assistant sits beside her, linked by a dashed line.
    full.assert_contains(r#"class="person assistant""#);
    full.assert_contains(r#"class="assist""#);

    // Levels 1–3 only: clerks disappear and their bosses show how many are hidden.
    let top = viewer
        .get(&format!("/organizations/{}/chart?levels=3", own.id))
        .await;
    assert!(top.body.matches(r#"<a href="/people/"#).count() < boxes / 2);
    assert!(
        top.body.contains(r#"class="hidden-count">+"#),
        "hidden reports are counted"
    );

    // Collapsing the sales division draws one box for all its people.
    let sales = store
        .units(own.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name.starts_with("Vertrieb"))
        .unwrap();
    let folded = viewer
        .get(&format!(
            "/organizations/{}/chart?collapse={}",
            own.id, sales.id
        ))
        .await;
    folded.assert_contains(r#"class="collapsed""#);
    folded.assert_contains("<title>Ausklappen: Vertrieb &#38; Key Account Management</title>");
    // One unit only: the chart of a department.
    let unit = viewer
        .get(&format!(
            "/organizations/{}/chart?unit={}",
            own.id, sales.id
        ))
        .await;
    unit.assert_contains("Thomas Weißenfels");
    assert!(
        !unit.body.contains("Dr. Katharina Schneider</a>"),
        "people outside the unit are not drawn"
    );
}

#[tokio::test]
async fn an_hr_file_is_previewed_fixed_and_imported_once() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let org = store
        .create_organization(
            &counterpart_store::Actor::system(),
            &counterpart_core::org::OrganizationInput::parse(
                "Rheinland Kliniken gGmbH",
                "external",
                "",
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let mut editor = app.login("krueger").await;
    editor
        .get(&format!("/organizations/{}/import", org.id))
        .await
        .assert_contains("Personen importieren");
    // Without the token the upload is refused.
    let forged = editor
        .upload(
            &format!("/organizations/{}/import", org.id),
            "hr.csv",
            b"Nachname\nX\n",
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // "Funktion" is the job title in this HR file; one row has an unknown level.
    let csv = "Vorname;Nachname;Funktion;Ebene;Abteilung;Vorgesetzte(r);E-Mail\n\
               Margarete;Jöns;Vorstandsvorsitzende;1;Vorstand;;m.joens@rk.example\n\
               Björn;Groß;Leiter Einkauf;Häuptling;Einkauf;m.joens@rk.example;b.gross@rk.example\n";
    let uploaded = editor
        .upload(
            &format!("/organizations/{}/import", org.id),
            "hr.csv",
            csv.as_bytes(),
            true,
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let preview_path = uploaded.location().to_owned();
    let preview = editor.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    preview.assert_contains("Zeile 3, Spalte „Ebene“");
    assert!(
        !preview.body.contains("Jetzt importieren"),
        "no confirmation while problems remain"
    );
    assert!(
        store
            .people(org.id, None, true, 10, 0)
            .await
            .unwrap()
            .is_empty(),
        "the preview writes nothing"
    );

    // Fixed file, and the user maps "Funktion" to the job title.
    let fixed = csv.replace("Häuptling", "3");
    let uploaded = editor
        .upload(
            &format!("/organizations/{}/import", org.id),
            "hr.csv",
            fixed.as_bytes(),
            true,
        )
        .await;
    let preview_path = uploaded.location().to_owned();
    let mapped = editor
        .post(
            &format!("{preview_path}/mapping"),
            &[
                ("m0", "given_name"),
                ("m1", "family_name"),
                ("m2", "job_title"),
                ("m3", "level"),
                ("m4", "unit"),
                ("m5", "manager"),
                ("m6", "email"),
            ],
        )
        .await;
    assert_eq!(mapped.location(), preview_path, "{}", mapped.body);
    let preview = editor.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("Keine Probleme gefunden.");
    preview.assert_contains("<td>Leiter Einkauf</td>");
    // The preview is kept: viewing it again does not read the file.
    assert_eq!(editor.get(&preview_path).await.body, preview.body);
    let commit_path = format!("{preview_path}/commit");
    // Meanwhile someone adds one of the file's people: the import would now do something
    // other than the preview showed, so nothing is written and the new preview is shown.
    store
        .create_person(
            &counterpart_store::Actor::system(),
            org.id,
            &counterpart_core::person::PersonInput::parse(
                &counterpart_core::person::PersonFields {
                    given_name: "Margarete".into(),
                    family_name: "Jöns".into(),
                    email: "m.joens@rk.example".into(),
                    ..Default::default()
                },
            )
            .unwrap(),
            chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    let stale = editor.post(&commit_path, &[]).await;
    assert_eq!(
        stale.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "counts other than confirmed are refused"
    );
    stale.assert_contains("Die Daten haben sich seit der Vorschau geändert");
    assert_eq!(
        store.people(org.id, None, true, 10, 0).await.unwrap().len(),
        1
    );
    let done = editor.post(&commit_path, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    editor
        .get(done.location())
        .await
        .assert_contains("Import abgeschlossen: 1 neu, 1 ändern, 0 unverändert.");
    let people = store.people(org.id, None, true, 10, 0).await.unwrap();
    assert_eq!(people.len(), 2);
    assert!(
        people
            .iter()
            .any(|p| p.person.job_title.as_deref() == Some("Leiter Einkauf"))
    );
    // The upload is gone once imported.
    assert_eq!(
        editor.get(&preview_path).await.status,
        StatusCode::NOT_FOUND
    );
    // A broken file is explained, not a crash.
    let broken = editor
        .upload(
            &format!("/organizations/{}/import", org.id),
            "hr.xlsx",
            b"this is no workbook",
            true,
        )
        .await;
    let page = editor.get(broken.location()).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Eine andere Datei hochladen");
}

#[tokio::test]
async fn an_export_downloads_and_imports_back_through_the_pages() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let brandt = store
        .organizations(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.organization.name.starts_with("Brandt"))
        .unwrap();
    let mut editor = app.login("krueger").await;
    let file = editor
        .get_bytes(&format!(
            "/organizations/{}/export?format=xlsx",
            brandt.organization.id
        ))
        .await;
    assert_eq!(file.0, StatusCode::OK);
    assert!(
        file.1
            .contains("attachment; filename=\"brandt-sohne-industriewerke-ag.xlsx\""),
        "{}",
        file.1
    );
    let copy = store
        .create_organization(
            &counterpart_store::Actor::system(),
            &counterpart_core::org::OrganizationInput::parse("Brandt Kopie", "external", "")
                .unwrap(),
        )
        .await
        .unwrap();
    editor
        .get(&format!("/organizations/{}/import", copy.id))
        .await;
    let uploaded = editor
        .upload(
            &format!("/organizations/{}/import", copy.id),
            "brandt.xlsx",
            &file.2,
            true,
        )
        .await;
    let preview = editor.get(uploaded.location()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("Keine Probleme gefunden.");
    let done = editor
        .post(&format!("{}/commit", uploaded.location()), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        store
            .people(copy.id, None, false, 1000, 0)
            .await
            .unwrap()
            .len() as i64,
        brandt.people
    );
    let csv = editor
        .get_bytes(&format!("/organizations/{}/export?format=csv", copy.id))
        .await;
    assert!(
        String::from_utf8_lossy(&csv.2).contains("Kießling"),
        "CSV in UTF-8 with umlauts"
    );
    let vcf = editor
        .get_bytes(&format!("/organizations/{}/export?format=vcf", copy.id))
        .await;
    assert!(String::from_utf8_lossy(&vcf.2).starts_with("BEGIN:VCARD"));
}

#[tokio::test]
async fn the_matrix_goes_to_excel_and_a_team_sheet_comes_back() {
    use counterpart_core::account::{AssignmentKind, DecisionRole, Health, Relation};
    use counterpart_core::ids::{AccountId, PersonId};
    use counterpart_core::matrix::{ContactEntry, CounterpartEntry, MatrixAccount, MatrixRow};
    let app = TestApp::demo().await;
    let mut viewer = app.login("gast").await;
    let (status, disposition, bytes) = viewer
        .get_bytes("/matrix/export?sheet=current&sheet=customers&sheet=internal")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains("kam-matrix.xlsx"));
    let sheets = counterpart_core::exchange::read::xlsx_sheets(
        &bytes,
        &counterpart_core::exchange::read::Limits::default(),
    )
    .unwrap();
    assert_eq!(sheets, ["Auswahl", "Kunden", "Intern", "Legende"]);
    let lines = counterpart_core::matrix_xlsx::read_matrix(
        &bytes,
        Some("Intern"),
        &counterpart_core::exchange::read::Limits::default(),
    )
    .unwrap();
    // The internal accounts: a department kept as an organization (Konzern-IT) and a
    // neighbouring department of our own house (Personal).
    assert!(
        lines
            .iter()
            .all(|l| l.account.starts_with("Konzern-IT") || l.account == "Personal"),
        "the internal sheet has the internal accounts only"
    );
    assert!(lines.iter().any(|l| l.account == "Personal"));

    // A team's own sheet with a new customer.
    let row = MatrixRow {
        account: MatrixAccount {
            id: AccountId::new(0),
            name: "Rheinland Kliniken gGmbH".into(),
            relation: Relation::Customer,
            internal: false,
            responsible_unit: None,
            score: None,
            tier: None,
            mirror_score: None,
        },
        cells: vec![vec![ContactEntry {
            person_id: PersonId::new(0),
            name: "Dr. Eva Neu".into(),
            role: DecisionRole::DecisionMaker,
            counterparts: vec![CounterpartEntry {
                our_id: PersonId::new(0),
                name: "Dr. Katharina Schneider".into(),
                kind: AssignmentKind::Primary,
                relationship: Some(4),
                health: Health::Good,
                level_rank: Some(1),
                contact: counterpart_core::cadence::State::InTime,
            }],
        }]],
        unleveled: vec![],
        gaps: 0,
        contacts: 1,
    };
    let levels = vec![(1, "Vorstand/Geschäftsführung".to_owned())];
    let sheet = counterpart_core::matrix_xlsx::write_matrix(
        &[("Team".into(), vec![row])],
        &levels,
        counterpart_core::user::Language::De,
    )
    .unwrap();
    let mut editor = app.login("krueger").await;
    editor.get("/matrix/import").await;
    let uploaded = editor
        .upload("/matrix/import", "team.xlsx", &sheet, true)
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let dry = editor.get(uploaded.location()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    dry.assert_contains("1 · 1 · 1 · 1 · 1");
    assert!(
        !editor
            .get("/matrix")
            .await
            .body
            .contains("Rheinland Kliniken"),
        "a dry run writes nothing"
    );
    let done = editor
        .post(&format!("{}/commit", uploaded.location()), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let matrix = editor.get(done.location()).await;
    matrix.assert_contains("Übernommen");
    matrix.assert_contains("Rheinland Kliniken gGmbH");
    matrix.assert_contains("Dr. Eva Neu");
}

/// The text between `start` and the next `end` after it.
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the page:\n{body}"))
        + start.len();
    let to = body[from..].find(end).expect("end marker") + from;
    &body[from..to]
}

fn mirror_score(body: &str) -> f64 {
    between(body, "id=\"mirror-score\">", "<")
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_mirror_shows_where_it_breaks_and_accepted_suggestions_raise_the_score() {
    use counterpart_core::account::ManagementMode;
    let app = TestApp::demo().await;
    let store = &app.db.store;
    // The customer with the monthly conference: level mismatches and a secretariat without
    // anybody of ours.
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.mode == ManagementMode::JourFixe)
        .unwrap()
        .account;
    let mut editor = app.login("krueger").await;
    let page = editor
        .get(&format!("/accounts/{}/mirror", account.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("class=\"mirror-svg\"");
    page.assert_contains("mnode theirs uncovered");
    page.assert_contains("hat kein Gegenüber bei uns.");
    page.assert_contains("Ebene × Ebene");
    page.assert_contains("class=\"heat heat-4 diag\"");
    page.assert_contains("class=\"series mirror\"");
    let before = mirror_score(&page.body);
    assert!(
        before < 90.0,
        "the demo's jour fixe account is not mirrored yet: {before}"
    );
    // The account page shows the same score with its worst findings.
    let overview = editor.get(&format!("/accounts/{}", account.id)).await;
    assert_eq!(mirror_score(&overview.body), before);

    let page = editor
        .get(&format!("/accounts/{}/suggestions", account.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Exakt optimal (Min-Cost-Flow)");
    page.assert_contains("Gleiche Ebene");
    let pick = between(&page.body, "name=\"pick\" value=\"", "\"").to_owned();
    let fingerprint = between(&page.body, "name=\"fingerprint\" value=\"", "\"").to_owned();
    let scope = format!("account:{}", account.id);

    // Viewers read suggestions but cannot accept them.
    let mut viewer = app.login("gast").await;
    let seen = viewer
        .get(&format!("/accounts/{}/suggestions", account.id))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("name=\"pick\""));
    let denied = viewer
        .post("/suggestions/accept", &[("scope", &scope), ("pick", &pick)])
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // "Accept all" on a list that changed meanwhile accepts nothing and says so.
    let stale = editor
        .post(
            "/suggestions/accept",
            &[("scope", &scope), ("all", "1"), ("fingerprint", "0")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("Die Daten haben sich inzwischen geändert");
    assert_eq!(
        mirror_score(
            &editor
                .get(&format!("/accounts/{}/mirror", account.id))
                .await
                .body
        ),
        before
    );

    // A "never" lock takes the first proposal off the list.
    let (partner, rest) = pick.split_once(':').unwrap();
    let ours = rest.split(':').next().unwrap();
    let back = format!("/accounts/{}/suggestions", account.id);
    let locked = editor
        .post(
            "/locks",
            &[
                ("lock", &format!("{partner}:{ours}:never")),
                ("back", &back),
            ],
        )
        .await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER);
    assert_eq!(locked.location(), back);
    let page = editor.get(&back).await;
    assert!(
        !page.body.contains(&format!("value=\"{pick}\"")),
        "a pair locked never is proposed again"
    );
    editor
        .post(
            "/locks",
            &[
                ("lock", &format!("{partner}:{ours}:clear")),
                ("back", &back),
            ],
        )
        .await;

    // Accept everything: normal assignments with audit entries, and the score rises.
    let page = editor.get(&back).await;
    let fingerprint_now = between(&page.body, "name=\"fingerprint\" value=\"", "\"").to_owned();
    assert_eq!(fingerprint_now, fingerprint, "same data, same proposals");
    let done = editor
        .post(
            "/suggestions/accept",
            &[
                ("scope", &scope),
                ("all", "1"),
                ("fingerprint", &fingerprint),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        done.location()
            .starts_with(&format!("/accounts/{}/mirror?accepted=", account.id)),
        "{}",
        done.location()
    );
    let page = editor.get(done.location()).await;
    page.assert_contains("Übernommene Zuordnungen:");
    let after = mirror_score(&page.body);
    assert!(after > before, "the score rose from {before} to {after}");
    let audit = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Assignment),
            limit: 20,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.actor_name.contains("Krüger")),
        "{audit:?}"
    );
    // The KAM matrix and the portfolio show the new score.
    let matrix = editor.get("/matrix").await;
    matrix.assert_contains(&format!(
        "href=\"/accounts/{}/mirror\" class=\"score-chip",
        account.id
    ));
    let portfolio = editor.get("/mirror").await;
    portfolio.assert_contains("Was zuerst Aufmerksamkeit braucht");
    portfolio.assert_contains("Fliege");
    // One of our units: only the accounts it is responsible for, below it included.
    let unit = account.responsible_unit_id.unwrap();
    let mine = editor.get(&format!("/mirror?unit={unit}")).await;
    assert_eq!(mine.status, StatusCode::OK);
    mine.assert_contains(&format!("href=\"/accounts/{}/mirror\"", account.id));
    let others = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.account.responsible_unit_id != Some(unit))
        .count();
    assert!(others > 0);
    assert!(
        !mine.body.contains("Brandt &#38; Söhne") && !mine.body.contains("Brandt & Söhne"),
        "another unit's account is not listed"
    );

    // The same in English.
    editor
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let brandt = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name.starts_with("Brandt"))
        .unwrap()
        .account
        .id;
    let page = editor.get(&format!("/accounts/{brandt}/mirror")).await;
    // The trend's numbers are there as a table too.
    page.assert_contains("<summary>The numbers as a table</summary>");
    page.assert_contains("Mirror score");
    page.assert_contains("has no counterpart of ours.");
    page.assert_contains("Level × level");
    let page = editor.get(&format!("/accounts/{brandt}/suggestions")).await;
    page.assert_contains("Exactly optimal (min-cost flow)");
    page.assert_contains("Same level");
}

#[tokio::test]
async fn capacities_are_validated_and_kept() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let own = store.own_organization().await.unwrap().unwrap();
    let person = store.people(own.id, None, false, 1, 0).await.unwrap()[0]
        .person
        .id;
    let mut editor = app.login("krueger").await;
    let path = format!("/people/{person}");
    editor
        .get(&path)
        .await
        .assert_contains("Kapazität für Gegenüber");
    let bad = editor
        .post(&format!("{path}/capacity"), &[("capacity", "viele")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Kapazität: ");
    assert_eq!(
        store.capacity(person).await.unwrap(),
        None,
        "nothing stored"
    );
    let ok = editor
        .post(&format!("{path}/capacity"), &[("capacity", "7")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(store.capacity(person).await.unwrap(), Some(7));
    let page = editor.get(&path).await;
    assert_eq!(between(&page.body, "id=\"capacity-value\">", "<"), "7");
    // Partner people have no capacity of ours.
    let partner = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let contact = store.key_contacts(partner).await.unwrap()[0].person_id;
    let refused = editor
        .post(&format!("/people/{contact}/capacity"), &[("capacity", "3")])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
}

#[path = "web/pickers.rs"]
mod pickers;

#[tokio::test]
async fn a_contact_without_a_better_counterpart_says_why() {
    let app = TestApp::demo().await;
    let isar = app
        .db
        .store
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
        .id;
    let mut editor = app.login("krueger").await;
    let page = editor.get(&format!("/accounts/{isar}/suggestions")).await;
    let body = support::unescape(&page.body);
    // Isar's managing director is served a level below; nobody of ours at the board level
    // takes over, and the page says why.
    let kept = &body[body
        .find(r#"id="kept""#)
        .expect("a section for kept holders")..];
    let kept = &kept[..kept.find("</section>").unwrap()];
    assert!(
        kept.contains(
            "Maximilian Huber (Vorstand/Geschäftsführung) – bleibt bei Thomas Weißenfels"
        ),
        "{kept}"
    );
    assert!(!kept.contains("Ebene unbekannt"), "everyone named: {kept}");
    assert!(
        [
            "ausgelastet",
            "ausgeschlossen",
            "niemand",
            "lohnt sich",
            "wäre jemand frei"
        ]
        .iter()
        .any(|why| kept.contains(why)),
        "{kept}"
    );
    // Reasons are short phrases, and whom a proposal replaces is said once, in its column.
    assert!(
        body.contains(r#"<ul class="reasons"><li>Gleiche Ebene"#),
        "{body}"
    );
    assert!(!body.contains("ersetzt "), "{body}");
}

#[tokio::test]
async fn the_start_page_says_what_to_do_next() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let accounts = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    let gaps: i64 = accounts.iter().map(|a| a.gaps).sum();
    let with_gaps = accounts.iter().filter(|a| a.gaps > 0).count();
    assert!(gaps > 1 && with_gaps > 1, "the demo has gaps to show");
    let mut director = app.login("schneider").await;
    let page = director.get("/overview").await;
    let body = support::unescape(&page.body);
    assert!(body.contains("Was als Nächstes zu tun ist"), "{body}");
    assert!(
        body.contains(&format!(
            "<strong>{gaps} Lücken</strong></a> ohne Gegenüber bei uns, in {with_gaps} Accounts"
        )),
        "{body}"
    );
    // The first account needing attention is the most important one with a gap or a weak
    // mirror, and the page leads to its suggestions.
    let first = accounts
        .iter()
        .find(|a| a.gaps > 0 || a.mirror_score.is_some_and(|m| m < 80.0))
        .unwrap();
    let table = &body[body
        .find("Wichtige Accounts, die Aufmerksamkeit brauchen")
        .unwrap()..];
    assert!(
        table.find(&first.account.name).unwrap() < table.find("</tbody>").unwrap(),
        "{table}"
    );
    assert!(body.contains(&format!(
        r#"href="/accounts/{}/suggestions""#,
        first.account.id
    )));
    // The managing director is a person of our house: her counterparts, counted.
    let user = store.user_named("schneider").await.unwrap();
    let held = store
        .counterparts_held_by(
            user.person_id.unwrap(),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .len();
    assert!(
        body.contains(&format!("Sie sind Gegenüber für {held} Person")),
        "{body}"
    );
    // The page reads in English too, counts included.
    let mut guest = app.login("gast").await;
    guest
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let page = guest.get("/overview").await;
    page.assert_contains("What to do next");
    page.assert_contains(&format!(
        "<strong>{gaps} gaps</strong></a> without a counterpart of ours, in {with_gaps} accounts"
    ));

    // With many partners the page names the largest twelve and leads to the list of all.
    let partners = store
        .organizations(&Default::default())
        .await
        .unwrap()
        .iter()
        .filter(|o| o.organization.kind.is_partner())
        .count();
    let page = director.get("/overview").await;
    assert!(!page.body.contains("Alle Partner"), "{}", page.body);
    let world = counterpart_store::testing::World::new(store);
    for i in 0..counterpart_app::home::PARTNERS_SHOWN {
        world
            .organization(
                &format!("Kleinbetrieb {i:02}"),
                counterpart_core::org::OrganizationKind::External,
            )
            .await;
    }
    let page = director.get("/overview").await;
    let listed = &page.body[page.body.find("id=\"partners-h\"").unwrap()..];
    let listed = &listed[..listed.find("</section>").unwrap()];
    assert_eq!(
        listed.matches("<li>").count(),
        counterpart_app::home::PARTNERS_SHOWN,
        "{listed}"
    );
    // The demo's partners have people, the new ones none: all of the demo's are named.
    assert!(!listed.contains("Kleinbetrieb 11"), "{listed}");
    let total = partners + counterpart_app::home::PARTNERS_SHOWN;
    assert!(
        listed.contains(&format!(
            "<a href=\"/organizations\">Alle Partner</a> ({total} Organisationen)"
        )),
        "{listed}"
    );
}

#[tokio::test]
async fn my_day_lists_the_most_urgent_pairs_and_leads_to_all() {
    use counterpart_core::account::{AssignmentInput, AssignmentKind};
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let krueger = store.user_named("krueger").await.unwrap();
    let ours = krueger.person_id.unwrap();
    let everything = counterpart_store::Visibility::everything();
    let before = store
        .counterparts_held_by(ours, false, &everything)
        .await
        .unwrap()
        .len();
    // Enough new partner people, each with Krüger as counterpart, to pass the list's length.
    let world = counterpart_store::testing::World::new(store);
    let partner = world
        .organization(
            "Großabnehmer",
            counterpart_core::org::OrganizationKind::External,
        )
        .await;
    let names: Vec<String> = (0..counterpart_app::my_day::PAIRS_SHOWN)
        .map(|i| format!("Kontakt Nummer{i:02}"))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let setup = counterpart_store::Actor {
        user_id: None,
        name: "Test".into(),
    };
    // Each new contact's satisfaction fell from 5 by 1 to 4 points.
    let (earlier, later) = (
        support::today() - chrono::Days::new(10),
        support::today() - chrono::Days::new(5),
    );
    for (i, partner_id) in world.ladder(partner, &names).await.into_iter().enumerate() {
        let pair = store
            .assign(
                &setup,
                &AssignmentInput {
                    partner_id,
                    our_id: ours,
                    kind: AssignmentKind::Primary,
                    valid_from: earlier,
                },
            )
            .await
            .unwrap();
        for (on, satisfaction) in [(earlier, 5), (later, 4 - i % 4)] {
            let rating = counterpart_core::account::RatingInput::parse(
                &on.to_string(),
                "3",
                "3",
                &satisfaction.to_string(),
                "",
            )
            .unwrap();
            store.rate(&setup, pair.id, &rating).await.unwrap();
        }
    }
    let held = before + counterpart_app::my_day::PAIRS_SHOWN;
    assert_eq!(
        store
            .counterparts_held_by(ours, false, &everything)
            .await
            .unwrap()
            .len(),
        held
    );
    let mut head = app.login("krueger").await;
    let day = head.get("/").await;
    let section = &day.body[day.body.find("id=\"pairs\"").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(
        section.matches("<li>").count(),
        counterpart_app::my_day::PAIRS_SHOWN,
        "{section}"
    );
    let more = held - counterpart_app::my_day::PAIRS_SHOWN;
    let word = if more == 1 { "weiteres" } else { "weitere" };
    assert!(
        section.contains(&format!(
            "{more} {word} Gegenüber · <a href=\"/people/{ours}#counterparts\">alle auf Ihrer Seite</a>"
        )),
        "{section}"
    );

    // Falling satisfaction: the largest drops, and how many more the next step counts.
    let fell = &day.body[day.body.find("id=\"fell\"").unwrap()..];
    let fell = &fell[..fell.find("</section>").unwrap()];
    let drops: Vec<i64> = fell
        .split("<li>")
        .skip(1)
        .map(|item| {
            let arrow = &item[..item.find(" →").unwrap()];
            let from: i64 = arrow[arrow.rfind('>').unwrap() + 1..].parse().unwrap();
            let to: i64 = item[item.find("→ ").unwrap() + "→ ".len()..][..1]
                .parse()
                .unwrap();
            from - to
        })
        .collect();
    assert_eq!(drops.len(), counterpart_app::my_day::FELL_SHOWN, "{fell}");
    assert_eq!(drops[0], 4, "{fell}");
    assert!(
        drops.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {drops:?}"
    );
    let lead = "href=\"#fell\"><strong>";
    let counted = &day.body[day.body.find(lead).unwrap() + lead.len()..];
    let counted: usize = counted[..counted.find(' ').unwrap()].parse().unwrap();
    assert!(counted >= names.len(), "{counted}");
    assert!(
        fell.contains(&format!(
            "{} weitere Schlüsselpersonen · die stärksten Rückgänge stehen oben",
            counted - counterpart_app::my_day::FELL_SHOWN
        )),
        "{fell}"
    );
}

#[tokio::test]
async fn my_day_shows_what_is_due_and_what_colleagues_learned() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let krueger = store.user_named("krueger").await.unwrap();
    let held = store
        .counterparts_held_by(
            krueger.person_id.unwrap(),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    assert!(
        !held.is_empty(),
        "the demo's department head holds partner people"
    );
    let pair = &held[0];
    let partner = pair.person.person.id;
    let mut head = app.login("krueger").await;
    let day = head.get("/").await;
    day.assert_contains("<h1>Mein Tag</h1>");
    day.assert_contains("Meine Gegenüber");
    day.assert_contains("Neu in den letzten 14 Tagen");
    for view in &held {
        day.assert_contains(&format!(
            r#"href="/people/{}/briefing""#,
            view.person.person.id
        ));
    }
    // The header's one search box is on every page.
    day.assert_contains(r#"id="header-q""#);

    // A clerk records what she heard about that person; the head sees it on his next look.
    let mut clerk = app.login("yilmaz").await;
    let recorded = clerk
        .post(
            &format!("/people/{partner}/insights"),
            &[
                ("category", "needs"),
                ("text", "Will die Berichte künftig je Standort."),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER);
    let day = head.get("/").await;
    day.assert_contains("Will die Berichte künftig je Standort.");
    let body = support::unescape(&day.body);
    assert!(
        body.contains("neue Erkenntnis") && body.contains("von Kolleginnen und Kollegen"),
        "the next steps point to what is new: {body}"
    );

    // The pair is expected every day from now on: after its last contact it is overdue, on
    // My day, on the account page's chip and in the matrix.
    let path = format!("/assignments/{}", pair.assignment.id);
    let page = head.get(&path).await;
    let form = page
        .form(&format!("{path}/interval"))
        .expect("the interval form");
    let version = form
        .fields
        .iter()
        .find(|(name, _)| name == "version")
        .map(|(_, v)| v.clone())
        .expect("the version seen");
    let refused = head
        .post(
            &format!("{path}/interval"),
            &[("contact_every_days", "0"), ("version", &version)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Kontaktintervall in Tagen");
    let saved = head
        .post(
            &format!("{path}/interval"),
            &[("contact_every_days", "1"), ("version", &version)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = head.get(&path).await;
    page.assert_contains("für dieses Paar festgelegt");
    page.assert_contains(r#"value="1""#);
    let day = head.get("/").await;
    day.assert_contains(r#"<span class="contact-state contact-overdue">Kontakt überfällig</span>"#);
    let account = store
        .key_contact_roles(partner, &counterpart_store::Visibility::everything())
        .await
        .unwrap()[0]
        .1
        .id;
    let page = head.get(&format!("/accounts/{account}")).await;
    page.assert_contains("contact-state contact-overdue");
    let matrix = head.get("/matrix").await;
    matrix.assert_contains(r#"<span class="contact-state contact-overdue">überfällig</span>"#);
    // Empty again: back to the default by level and tier.
    let version = store
        .assignment(pair.assignment.id)
        .await
        .unwrap()
        .version
        .to_string();
    head.post(
        &format!("{path}/interval"),
        &[("contact_every_days", ""), ("version", &version)],
    )
    .await;
    head.get(&path)
        .await
        .assert_contains("Standard nach Ebene und Stufe");

    // The contact log is searched like names: "objektbegehung" finds the clerk's visit.
    let found = head.get("/search?q=objektbegehung").await;
    found.assert_contains("Objektbegehung Schwabing");

    // A user without a person link sees the overview and how to get My day.
    let guest_less = store
        .create_user(
            &counterpart_store::Actor::system(),
            &counterpart_store::NewUser {
                username: counterpart_core::user::Username::parse("ohneperson").unwrap(),
                details: counterpart_core::user::UserInput {
                    display_name: "Ohne Person".into(),
                    email: None,
                    role: counterpart_core::user::Role::Viewer,
                    person_id: None,
                },
                password: "correct horse battery".into(),
            },
        )
        .await
        .unwrap();
    assert!(guest_less.person_id.is_none());
    let (_, mut unlinked) = app.try_login("ohneperson", "correct horse battery").await;
    let page = unlinked.get("/").await;
    page.assert_contains("mit keiner Person des eigenen Hauses verknüpft");
    page.assert_contains("Was als Nächstes zu tun ist");
}

#[tokio::test]
async fn briefings_ask_what_we_do_not_know_and_say_what_changed() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let user = store.user_named("krueger").await.unwrap();
    let held = store
        .counterparts_held_by(
            user.person_id.unwrap(),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap();
    let partner = held[0].person.person.id;
    let mut head = app.login("krueger").await;
    let before = head.get(&format!("/people/{partner}/briefing")).await;
    before.assert_contains("Offene Fragen");
    // What we learn about the person's future ideas answers that question.
    let question = "Welche Pläne und Ideen hat sie für die nächsten Jahre?";
    let asked = before.body.contains(question);
    head.post(
        &format!("/people/{partner}/insights"),
        &[
            ("category", "future_ideas"),
            ("text", "Plant ein zweites Lager in Ulm."),
        ],
    )
    .await;
    let after = head.get(&format!("/people/{partner}/briefing")).await;
    assert!(
        asked && !after.body.contains(question),
        "the question about future ideas is answered"
    );
    // The demo rates each pair every quarter: the trend is shown.
    after.assert_contains("Verlauf ");
    after.assert_contains(" → ");
    // The account briefing lists what changed in the last 90 days: the latest ratings.
    let account = store
        .key_contact_roles(partner, &counterpart_store::Visibility::everything())
        .await
        .unwrap()[0]
        .1
        .id;
    let briefing = head.get(&format!("/accounts/{account}/briefing")).await;
    briefing.assert_contains("Was sich getan hat");
    let body = support::unescape(&briefing.body);
    assert!(
        body.contains("Beziehung") && body.contains("Zufriedenheit"),
        "a rating line: {body}"
    );
}

#[tokio::test]
async fn a_contact_names_who_else_was_there() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let krueger = store.user_named("krueger").await.unwrap();
    let partner = store
        .counterparts_held_by(
            krueger.person_id.unwrap(),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .person
        .person
        .id;
    let boss = store
        .person_detail(partner)
        .await
        .unwrap()
        .manager
        .expect("the demo's head of purchasing has a boss")
        .person;
    let mut head = app.login("krueger").await;
    let page = head.get(&format!("/people/{partner}")).await;
    // The form offers the people around the partner to tick.
    page.assert_contains(&format!(r#"name="also" value="{}""#, boss.id));
    let path = format!("/people/{partner}/contacts");
    let refused = head
        .post(
            &path,
            &[
                ("kind", "meeting"),
                ("summary", "Runde zu dritt."),
                ("also", "keine-nummer"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Auch dabei");
    let saved = head
        .post(
            &path,
            &[
                ("kind", "meeting"),
                ("summary", "Runde zu dritt."),
                ("also", &boss.id.to_string()),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = head.get(&format!("/people/{partner}")).await;
    page.assert_contains(&format!("Auch dabei: {}", boss.display_name()));
}
