//! The administrators' user pages and every user's own password, as a browser sees them.

use axum::http::StatusCode;

use crate::support::TestApp;

/// The text of the first `<code class="secret">` on a page: a password shown once.
fn shown_password(body: &str) -> String {
    let tag = "<code class=\"secret\">";
    let start = body.find(tag).expect("a password is shown") + tag.len();
    let end = body[start..].find("</code>").unwrap() + start;
    body[start..end].to_owned()
}

#[tokio::test]
async fn an_administrator_creates_a_user_who_logs_in_with_the_password_shown_once() {
    let app = TestApp::demo().await;
    let mut admin = app.login("schneider").await;
    let list = admin.get("/admin/users").await;
    list.assert_contains("4 Benutzer");
    list.assert_contains("Per E-Mail-Adresse verknüpfen");
    admin.get("/admin/users/new").await;
    let created = admin
        .post(
            "/admin/users",
            &[
                ("username", "Ulla.Usedom"),
                ("display_name", "Ulla Usedom"),
                ("email", "Ulla@Nordlicht.Example"),
                ("role", "editor"),
                ("person_id", ""),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.assert_contains("Benutzer angelegt.");
    created.assert_contains("Das Passwort wird nur jetzt angezeigt.");
    let password = shown_password(&created.body);
    assert_eq!(password.len(), 20);
    let again = admin.get("/admin/users?q=usedom").await;
    again.assert_contains("1 Benutzer");
    again.assert_contains("ulla@nordlicht.example");
    assert!(
        !again.body.contains(&password),
        "the password is not shown again"
    );
    let (answer, mut ulla) = app.try_login("ulla.usedom", &password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    let home = ulla.get("/").await;
    home.assert_contains("Ulla Usedom");
    // Not an administrator: the user pages are closed to her.
    assert_eq!(ulla.get("/admin/users").await.status, StatusCode::FORBIDDEN);

    // A taken login name is named at its field, and what was typed stays.
    let taken = admin
        .post(
            "/admin/users",
            &[
                ("username", "ulla.usedom"),
                ("display_name", "Zweite Ulla"),
                ("role", "viewer"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    taken.assert_contains("Bereits vergeben.");
    taken.assert_contains("Mindestens 10 Zeichen");
    taken.assert_contains("value=\"Zweite Ulla\"");
}

#[tokio::test]
async fn a_user_is_linked_to_a_person_of_our_house_only() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let gast = store.user_named("gast").await.unwrap();
    let own = store.own_organization().await.unwrap().unwrap();
    let partner = store
        .organizations(&Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.organization.id != own.id)
        .unwrap();
    let stranger = store
        .people(partner.organization.id, None, false, 1, 0)
        .await
        .unwrap()[0]
        .person
        .clone();
    let mut admin = app.login("schneider").await;
    let page = admin.get(&format!("/admin/users/{}", gast.id)).await;
    let mut form = page.form(&format!("/admin/users/{}", gast.id)).unwrap();
    form.set("person_id", &stranger.id.to_string());
    let refused = admin
        .post(&format!("/admin/users/{}", gast.id), &form.pairs())
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Bitte eine Person des eigenen Hauses wählen.");
    assert_eq!(
        store.user(gast.id).await.unwrap().person_id,
        gast.person_id,
        "nothing changed"
    );

    // The picker offers the people of our house; choosing one links them.
    let unlinked = store
        .people(own.id, None, false, 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person)
        .find(|p| Some(p.id) != gast.person_id && p.family_name != "Schneider")
        .unwrap();
    let mut form = page.form(&format!("/admin/users/{}", gast.id)).unwrap();
    form.set("person_id", &unlinked.id.to_string());
    let saved = admin
        .post(&format!("/admin/users/{}", gast.id), &form.pairs())
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = admin.get(saved.location()).await;
    shown.assert_contains("Gespeichert.");
    shown.assert_contains(&unlinked.family_name);
    assert_eq!(
        store.user(gast.id).await.unwrap().person_id,
        Some(unlinked.id)
    );
}

#[tokio::test]
async fn the_last_administrator_stays_and_a_disabled_user_is_logged_out() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let me = store.user_named("schneider").await.unwrap();
    let mut admin = app.login("schneider").await;
    let page = admin.get(&format!("/admin/users/{}", me.id)).await;
    let mut form = page.form(&format!("/admin/users/{}", me.id)).unwrap();
    form.set("role", "editor");
    let refused = admin
        .post(&format!("/admin/users/{}", me.id), &form.pairs())
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    refused.assert_contains("keinen aktiven Administrator mehr");

    let mut guest = app.login("gast").await;
    assert_eq!(guest.get("/").await.status, StatusCode::OK);
    let gast = store.user_named("gast").await.unwrap();
    admin.get(&format!("/admin/users/{}", gast.id)).await;
    let disabled = admin
        .post(
            &format!("/admin/users/{}/active", gast.id),
            &[("active", "0")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    admin
        .get(disabled.location())
        .await
        .assert_contains("gesperrt");
    let after = guest.get("/").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session has ended");
    assert!(after.location().starts_with("/login"));
    let (answer, _) = app.try_login("gast", "demo").await;
    assert_ne!(answer.status, StatusCode::SEE_OTHER, "cannot log in again");
}

#[tokio::test]
async fn an_administrator_resets_a_password_by_typing_or_generating_one() {
    let app = TestApp::demo().await;
    let gast = app.db.store.user_named("gast").await.unwrap();
    let mut admin = app.login("schneider").await;
    let path = format!("/admin/users/{}/password", gast.id);
    admin.get(&format!("/admin/users/{}", gast.id)).await;
    let short = admin.post(&path, &[("password", "kurz")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    short.assert_contains("id=\"f-password-error\"");
    let typed = admin
        .post(&path, &[("password", "a typed long password")])
        .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER);
    let (answer, _) = app.try_login("gast", "a typed long password").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    admin.get(&format!("/admin/users/{}", gast.id)).await;
    let generated = admin
        .post(&path, &[("password", ""), ("generate", "1")])
        .await;
    assert_eq!(generated.status, StatusCode::OK);
    let password = shown_password(&generated.body);
    let (answer, _) = app.try_login("gast", &password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn users_are_linked_by_email_after_a_preview() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let own = store.own_organization().await.unwrap().unwrap();
    let linked: Vec<_> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|u| u.person_id)
        .collect();
    let person = store
        .people(own.id, None, false, 500, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person)
        .find(|p| p.email.is_some() && !linked.contains(&p.id))
        .expect("a person of our house with an address and no user");
    let email = person.email.clone().unwrap().to_uppercase();
    let mut admin = app.login("schneider").await;
    admin.get("/admin/users/new").await;
    let created = admin
        .post(
            "/admin/users",
            &[
                ("username", "neu"),
                ("display_name", "Neu"),
                ("email", &email),
                ("role", "viewer"),
                ("password", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    admin
        .get("/admin/users")
        .await
        .assert_contains("1 Benutzer verknüpfen");
    let preview = admin.get("/admin/users/link").await;
    preview.assert_contains(&person.family_name);
    let done = admin.post("/admin/users/link", &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let list = admin.get(done.location()).await;
    list.assert_contains("1 Benutzer verknüpft.");
    list.assert_contains("Zurzeit lässt sich niemand per E-Mail-Adresse verknüpfen.");
    let user = store.user_named("neu").await.unwrap();
    assert_eq!(user.person_id, Some(person.id));
}

#[tokio::test]
async fn every_user_changes_their_own_password_and_their_other_sessions_end() {
    let app = TestApp::demo().await;
    let mut here = app.login("yilmaz").await;
    let mut elsewhere = app.login("yilmaz").await;
    let page = here.get("/account/password").await;
    page.assert_contains("Passwort ändern");
    let wrong = here
        .post(
            "/account/password",
            &[
                ("current_password", "nicht demo"),
                ("password", "a brand new password"),
                ("password_repeat", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Das bisherige Passwort stimmt nicht.");
    let mismatch = here
        .post(
            "/account/password",
            &[
                ("current_password", "demo"),
                ("password", "a brand new password"),
                ("password_repeat", "a brand new passwort"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    mismatch.assert_contains("Die Wiederholung weicht ab");
    let changed = here
        .post(
            "/account/password",
            &[
                ("current_password", "demo"),
                ("password", "a brand new password"),
                ("password_repeat", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    here.get(changed.location())
        .await
        .assert_contains("Ihr Passwort ist geändert.");
    assert_eq!(
        here.get("/").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        elsewhere.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the other session has ended"
    );
    let (answer, _) = app.try_login("yilmaz", "a brand new password").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn moments_are_shown_in_the_configured_time_zone() {
    use crate::support::TestApp as App;
    let berlin = App::demo().await;
    let mut admin = berlin.login("schneider").await;
    let audit = admin.get("/admin/audit").await;
    assert!(
        audit.body.contains(" CET") || audit.body.contains(" CEST"),
        "the default is Europe/Berlin"
    );
    let config = counterpart_app::Config {
        time_zone: chrono_tz::UTC,
        ..Default::default()
    };
    let utc = App::demo_with(config, counterpart_web::WebConfig::default()).await;
    let mut admin = utc.login("schneider").await;
    let audit = admin.get("/admin/audit").await;
    audit.assert_contains(" UTC</");
    assert!(!audit.body.contains(" CET"));
}
