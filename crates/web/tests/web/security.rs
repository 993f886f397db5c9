//! Sessions and the second factor in the pages: one's browsers listed on the account page with
//! this one marked, another ended (it is out at once), all others ended; a second factor set up
//! with a code computed here from the secret the page shows, asked for after the password,
//! each code accepted once, wrong codes throttled, recovery codes single-use; administrators
//! end a user's sessions and reset their second factor, and may be required to have one.

use axum::http::StatusCode;
use chrono::Utc;
use counterpart_app::Config;
use counterpart_core::audit::EntityKind;
use counterpart_core::second_factor::TotpSecret;
use counterpart_store::AuditFilter;
use counterpart_web::WebConfig;

use crate::support::{Client, Page, TestApp};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 \
    (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/// A client logged in as a demo user from a browser that says `agent`.
async fn login_from(app: &TestApp, username: &str, agent: &str) -> Client {
    let mut client = app.client();
    client.user_agent = Some(agent.to_owned());
    client.get("/login").await;
    let answer = client
        .post(
            "/login",
            &[("username", username), ("password", "demo"), ("next", "/")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    client.get("/").await;
    client
}

/// The value of the hidden field or input `name` of a page.
fn field(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\" value=\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    body[at + name.len() + 15..]
        .chars()
        .take_while(|c| *c != '"')
        .collect()
}

/// The ids of the sessions a page offers to end.
fn endable(body: &str) -> Vec<String> {
    body.split("action=\"/account/sessions/revoke\"")
        .skip(1)
        .map(|form| field(form, "id"))
        .collect()
}

async fn audited(app: &TestApp, entity: EntityKind) -> usize {
    app.db
        .store
        .audit_entries(&AuditFilter {
            entity: Some(entity),
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn sessions_are_listed_with_this_one_marked_and_ended_elsewhere() {
    let app = TestApp::demo().await;
    let mut desk = login_from(&app, "krueger", FIREFOX).await;
    let mut phone = login_from(&app, "krueger", IPHONE).await;
    let mut guest = app.login("gast").await;

    let page = desk.get("/account/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Anmeldungen und Schlüssel");
    page.assert_contains("Angemeldete Browser");
    page.assert_contains("2 laufende Sitzungen");
    page.assert_contains("Firefox, Linux <span class=\"badge\">diese Sitzung</span>");
    page.assert_contains("Safari, iPhone");
    assert_eq!(page.body.matches("diese Sitzung").count(), 1);
    assert!(!page.body.contains(&desk.cookie("cp_session").unwrap()));
    // Only the other session has an End button; this one ends with "Log out".
    let ids = endable(&page.body);
    assert_eq!(ids.len(), 1);
    let phone_id = ids[0].clone();
    let guest_page = guest.get("/account/tokens").await;
    guest_page.assert_contains("1 laufende Sitzung");
    guest_page.assert_contains("Sie sind nirgends sonst angemeldet.");
    assert!(endable(&guest_page.body).is_empty());

    // Bad input is refused and changes nothing; another's session is not one's own.
    assert_eq!(
        desk.post("/account/sessions/revoke", &[("id", "abc")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let guest_id = {
        let sessions = app
            .db
            .store
            .sessions_of(
                app.db.store.user_named("gast").await.unwrap().id,
                &guest.cookie("cp_session").unwrap(),
            )
            .await
            .unwrap();
        sessions[0].id.to_string()
    };
    let not_mine = desk
        .post("/account/sessions/revoke", &[("id", &guest_id)])
        .await;
    assert_eq!(not_mine.status, StatusCode::NOT_FOUND);
    assert_eq!(guest.get("/").await.status, StatusCode::OK);
    // Without the CSRF token nothing happens.
    let forged = desk
        .post_raw("/account/sessions/revoke", &[("id", &phone_id)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(phone.get("/").await.status, StatusCode::OK);
    assert_eq!(audited(&app, EntityKind::Session).await, 0);

    // Ending the phone's session: its next request lands on the login page.
    desk.get("/account/tokens").await;
    let ended = desk
        .post("/account/sessions/revoke", &[("id", &phone_id)])
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    let page = desk.get(ended.location()).await;
    page.assert_contains("1 Sitzung beendet.");
    page.assert_contains("1 laufende Sitzung");
    let out = phone.get("/accounts").await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/login?next=%2Faccounts");
    assert_eq!(audited(&app, EntityKind::Session).await, 1);

    // Everywhere else: two more browsers go, this one stays.
    let mut tablet = login_from(&app, "krueger", "Mozilla/5.0 (Linux; Android 14)").await;
    let mut other = app.login("krueger").await;
    let page = desk.get("/account/tokens").await;
    page.assert_contains("3 laufende Sitzungen");
    page.assert_contains("unbekannter Browser");
    let ended = desk.post("/account/sessions/revoke-others", &[]).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    desk.get(ended.location())
        .await
        .assert_contains("2 Sitzungen beendet.");
    for client in [&mut tablet, &mut other] {
        assert!(client.get("/").await.location().starts_with("/login"));
    }
    assert_eq!(desk.get("/").await.status, StatusCode::OK);
    assert_eq!(audited(&app, EntityKind::Session).await, 2);

    // In English.
    desk.accept_language = "en".into();
    let mut english = login_from(&app, "yilmaz", FIREFOX).await;
    english.accept_language = "en".into();
    let page = english.get("/account/tokens").await;
    page.assert_contains("Signed-in browsers");
    page.assert_contains("1 live session");
    page.assert_contains("this session");
}

/// The secret of the set-up page.
fn secret_on(page: &Page) -> TotpSecret {
    TotpSecret::parse(&field(&page.body, "secret")).expect("a secret in the form")
}

fn code(secret: &TotpSecret, steps_ahead: i64) -> String {
    secret.code_at(Utc::now().timestamp() + steps_ahead * 30)
}

/// Logs in with the password: the answer must lead to the second step.
async fn password_step(app: &TestApp, username: &str) -> Client {
    let (answer, client) = app.try_login(username, "demo").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert_eq!(answer.location(), "/login/code?next=%2F");
    client
}

/// The recovery codes shown once.
fn recovery_codes(body: &str) -> Vec<String> {
    body.split("<li><code>")
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| *c != '<').collect())
        .collect()
}

#[tokio::test]
async fn a_second_factor_is_set_up_with_a_code_and_asked_for_at_login() {
    let app = TestApp::demo().await;
    let mut clerk = app.login("yilmaz").await;
    let page = clerk.get("/account/second-factor").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Zweiten Faktor einrichten");
    page.assert_contains("<svg class=\"qr\"");
    page.assert_contains("otpauth://totp/Counterpart:yilmaz?secret=");
    let secret = secret_on(&page);
    page.assert_contains(&secret.grouped());
    // Nothing is stored before a code confirms it; each visit makes a new secret.
    let store = &app.db.store;
    let yilmaz = store.user_named("yilmaz").await.unwrap().id;
    assert_eq!(store.second_factor(yilmaz).await.unwrap(), None);
    assert_ne!(
        secret_on(&clerk.get("/account/second-factor").await),
        secret
    );

    // A wrong code is named and the same secret shown again.
    let wrong = clerk
        .post(
            "/account/second-factor",
            &[("secret", &secret.to_base32()), ("code", "12345")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Code: Der Code stimmt nicht");
    assert_eq!(secret_on(&wrong), secret);
    let tampered = clerk
        .post(
            "/account/second-factor",
            &[("secret", "not a secret"), ("code", "123456")],
        )
        .await;
    assert_eq!(tampered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.second_factor(yilmaz).await.unwrap(), None);

    // The right code turns it on and shows ten recovery codes, once.
    let enrolment_code = code(&secret, 0);
    let on = clerk
        .post(
            "/account/second-factor",
            &[("secret", &secret.to_base32()), ("code", &enrolment_code)],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    on.assert_contains("Der zweite Faktor ist eingeschaltet.");
    let recovery = recovery_codes(&on.body);
    assert_eq!(recovery.len(), 10, "{recovery:?}");
    let shown = clerk.get("/account/second-factor").await;
    shown.assert_contains("10 Wiederherstellungscodes übrig");
    assert!(!shown.body.contains(&recovery[0]));
    clerk
        .get("/account/tokens")
        .await
        .assert_contains("Eingeschaltet seit");
    assert_eq!(audited(&app, EntityKind::SecondFactor).await, 1);

    // The password alone is not a login.
    let mut browser = password_step(&app, "yilmaz").await;
    assert!(browser.cookie("cp_session").is_none());
    assert!(browser.get("/").await.location().starts_with("/login"));
    let form = browser.get("/login/code?next=%2F").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("Code eingeben");
    form.assert_contains("autocomplete=\"one-time-code\"");
    // A wrong code, and the code that turned it on (used already), are refused.
    for refused in ["000000", enrolment_code.as_str()] {
        let answer = browser
            .post("/login/code", &[("code", refused), ("next", "/")])
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{refused}");
        answer.assert_contains("Der Code stimmt nicht oder wurde schon benutzt.");
    }
    let next_code = code(&secret, 1);
    let done = browser
        .post(
            "/login/code",
            &[("code", &next_code), ("next", "/accounts")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/accounts");
    assert!(
        browser.cookie("cp_login").is_none(),
        "the half-done login is gone"
    );
    // The two wrong codes are told on the first page.
    browser
        .get("/accounts")
        .await
        .assert_contains("2 fehlgeschlagene Anmeldeversuche");

    // The same code once more, from another browser: refused.
    let mut again = password_step(&app, "yilmaz").await;
    let replay = again
        .post("/login/code", &[("code", &next_code), ("next", "/")])
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    // A recovery code works, once.
    let with_recovery = again
        .post("/login/code", &[("code", &recovery[4]), ("next", "/")])
        .await;
    assert_eq!(with_recovery.status, StatusCode::SEE_OTHER);
    let mut third = password_step(&app, "yilmaz").await;
    let used = third
        .post("/login/code", &[("code", &recovery[4]), ("next", "/")])
        .await;
    assert_eq!(used.status, StatusCode::UNAUTHORIZED);
    again
        .get("/account/second-factor")
        .await
        .assert_contains("9 Wiederherstellungscodes übrig");

    // Without a half-done login the second step leads back to the password.
    let mut stranger = app.client();
    stranger.get("/login").await;
    let back = stranger.get("/login/code").await;
    assert_eq!(back.location(), "/login?next=%2F");
    let expired = stranger
        .post("/login/code", &[("code", "123456"), ("next", "/")])
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    expired.assert_contains("Die Anmeldung ist abgelaufen");

    // Turning it off takes a right code.
    let refused = clerk
        .post("/account/second-factor/disable", &[("code", "000000")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Der Code stimmt nicht");
    let off = clerk
        .post("/account/second-factor/disable", &[("code", &recovery[0])])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    clerk
        .get(off.location())
        .await
        .assert_contains("Der zweite Faktor ist abgeschaltet.");
    assert_eq!(store.second_factor(yilmaz).await.unwrap(), None);
    let (plain, _) = app.try_login("yilmaz", "demo").await;
    assert_eq!(plain.location(), "/");
    // On, recovery code used, off.
    assert_eq!(audited(&app, EntityKind::SecondFactor).await, 3);
}

#[tokio::test]
async fn wrong_codes_count_against_the_login_throttle() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let gast = store.user_named("gast").await.unwrap().id;
    let secret = TotpSecret::from_bytes([9; 20]);
    store
        .enable_second_factor(
            &counterpart_store::Actor::system(),
            gast,
            &secret,
            &code(&secret, 0),
        )
        .await
        .unwrap();
    let mut throttled = None;
    'attempts: for _ in 0..5 {
        let (answer, mut client) = app.try_login("gast", "demo").await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            throttled = Some(answer);
            break;
        }
        for _ in 0..5 {
            let answer = client
                .post("/login/code", &[("code", "000000"), ("next", "/")])
                .await;
            if answer.status == StatusCode::TOO_MANY_REQUESTS {
                throttled = Some(answer);
                break 'attempts;
            }
        }
    }
    let throttled = throttled.expect("wrong codes are throttled");
    throttled.assert_contains("Zu viele Fehlversuche");
    assert!(throttled.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn an_administrator_ends_a_users_sessions_and_resets_their_second_factor() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let mut guest = app.login("gast").await;
    let gast = store.user_named("gast").await.unwrap().id;
    let secret = TotpSecret::from_bytes([5; 20]);
    store
        .enable_second_factor(
            &counterpart_store::Actor::system(),
            gast,
            &secret,
            &code(&secret, 0),
        )
        .await
        .unwrap();
    let mut admin = app.login("schneider").await;
    let page = admin.get(&format!("/admin/users/{gast}")).await;
    page.assert_contains("Anmeldungen und zweiter Faktor");
    page.assert_contains("1 laufende Sitzung");
    page.assert_contains("10 Wiederherstellungscodes übrig");

    // A bare request changes nothing.
    let bare = admin
        .post(&format!("/admin/users/{gast}/sessions/revoke"), &[])
        .await;
    assert_eq!(bare.status, StatusCode::BAD_REQUEST);
    assert_eq!(guest.get("/").await.status, StatusCode::OK);

    let ended = admin
        .post(
            &format!("/admin/users/{gast}/sessions/revoke"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    admin
        .get(ended.location())
        .await
        .assert_contains("1 Sitzung beendet.");
    assert!(guest.get("/").await.location().starts_with("/login"));

    let reset = admin
        .post(
            &format!("/admin/users/{gast}/second-factor/reset"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    let page = admin.get(reset.location()).await;
    page.assert_contains("Der zweite Faktor wurde zurückgesetzt.");
    page.assert_contains("Kein zweiter Faktor.");
    let (plain, _) = app.try_login("gast", "demo").await;
    assert_eq!(plain.location(), "/", "the password alone logs in again");
    assert_eq!(audited(&app, EntityKind::Session).await, 1);
    // Set up by the store above, reset here.
    assert_eq!(audited(&app, EntityKind::SecondFactor).await, 2);

    // Not for editors.
    let mut editor = app.login("krueger").await;
    let denied = editor
        .post(
            &format!("/admin/users/{gast}/second-factor/reset"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn administrators_are_led_to_set_up_a_second_factor_when_one_is_required() {
    let config = Config {
        require_second_factor_for_admins: true,
        ..Config::default()
    };
    let app = TestApp::demo_with(config, WebConfig::default()).await;
    let (answer, mut admin) = app.try_login("schneider", "demo").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    for path in ["/", "/admin/users", "/account/tokens"] {
        let led = admin.get(path).await;
        assert_eq!(led.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(led.location(), "/account/second-factor", "{path}");
    }
    let page = admin.get("/account/second-factor").await;
    page.assert_contains("Administratoren brauchen einen zweiten Faktor");
    let secret = secret_on(&page);
    let on = admin
        .post(
            "/account/second-factor",
            &[("secret", &secret.to_base32()), ("code", &code(&secret, 0))],
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    assert_eq!(admin.get("/admin/users").await.status, StatusCode::OK);
    // Editors are not asked.
    let mut editor = app.login("krueger").await;
    assert_eq!(editor.get("/accounts").await.status, StatusCode::OK);
}
