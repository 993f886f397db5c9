//! Every secret on one page: an API token made (shown once), used on the API by bearer alone,
//! limited in what it may do and how often, revoked; the calendar address made on the
//! jour-fixe page listed and revoked there too; administrators see and revoke everyone's.

use axum::http::StatusCode;

use crate::support::TestApp;

/// The token shown once on the page after making one.
fn shown_token(body: &str) -> String {
    let at = body.find("id=\"token-new\"").expect("the new token");
    let value = &body[at..];
    let start = value.find("value=\"").unwrap() + 7;
    value[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn an_api_token_is_made_used_by_bearer_and_revoked_on_one_page() {
    let app = TestApp::demo().await;
    let mut clerk = app.login("yilmaz").await;
    let page = clerk.get("/account/tokens").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Zugangsschlüssel und geheime Adressen");
    page.assert_contains("0 gültige Schlüssel");

    // Wrong input is named at its field and makes nothing.
    let refused = clerk
        .post(
            "/account/tokens",
            &[("label", ""), ("scope", "admin"), ("days", "400")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Bitte ausfüllen");
    refused.assert_contains("0 gültige Schlüssel");

    let made = clerk
        .post(
            "/account/tokens",
            &[
                ("label", "Berichtswesen"),
                ("scope", "read"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let secret = shown_token(&made.body);
    assert_eq!(secret.len(), 64);
    made.assert_contains("1 gültiger Schlüssel");
    made.assert_contains("Berichtswesen");
    // Shown once: the list never holds it again.
    assert!(!clerk.get("/account/tokens").await.body.contains(&secret));

    // The API by bearer alone: no cookie, no CSRF.
    let mut program = app.client();
    let bearer = format!("Bearer {secret}");
    let me = program
        .api_get("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let json: serde_json::Value = serde_json::from_str(&me.body).unwrap();
    assert_eq!(json["name"], "Ayşe Yılmaz");
    assert_eq!(json["role"], "editor");
    assert_eq!(json["token"]["scope"], "read");
    assert_eq!(json["token"]["label"], "Berichtswesen");
    assert_eq!(
        me.headers
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "{:?}",
        me.headers
    );
    // Without a token, or with the session cookie alone: 401 as Problem Details.
    for headers in [vec![], vec![("authorization", "Bearer nonsense")]] {
        let refused = program.api_get("/api/v1/me", &headers).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
        assert_eq!(refused.headers["content-type"], "application/problem+json");
        assert_eq!(refused.headers["www-authenticate"], "Bearer");
        let problem: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
        assert_eq!(problem["status"], 401);
    }
    assert_eq!(
        clerk.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED,
        "a session cookie opens no API"
    );
    let unknown = program
        .api_get("/api/v1/nothing", &[("authorization", &bearer)])
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.headers["content-type"], "application/problem+json");

    // Revoked on the page: the API refuses it at once.
    let token_id = app
        .db
        .store
        .tokens_of(app.db.store.user_named("yilmaz").await.unwrap().id, None)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let revoked = clerk
        .post("/account/tokens/revoke", &[("id", &token_id)])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert_eq!(
        program
            .api_get("/api/v1/me", &[("authorization", &bearer)])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_guest_reads_only_and_administrators_see_and_revoke_every_token() {
    let app = TestApp::demo().await;
    let mut guest = app.login("gast").await;
    // A viewer is offered reading only; asking for writing is refused at the field.
    let page = guest.get("/account/tokens").await;
    assert!(!page.body.contains("value=\"write\""));
    let refused = guest
        .post(
            "/account/tokens",
            &[("label", "Mehr"), ("scope", "write"), ("days", "30")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let made = guest
        .post(
            "/account/tokens",
            &[("label", "Nur lesen"), ("scope", "read"), ("days", "7")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK);
    // The calendar address made on the jour-fixe page is listed here too.
    let calendar = guest
        .post("/jour-fixe/calendar", &[("create", "calendar")])
        .await;
    assert_eq!(calendar.status, StatusCode::OK);
    let mine = guest.get("/account/tokens").await;
    mine.assert_contains("Kalender-Abo");
    mine.assert_contains("2 gültige Schlüssel");
    // Another user cannot revoke it.
    let id = app
        .db
        .store
        .tokens_of(app.db.store.user_named("gast").await.unwrap().id, None)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let mut clerk = app.login("yilmaz").await;
    clerk.get("/account/tokens").await;
    assert_eq!(
        clerk
            .post("/account/tokens/revoke", &[("id", &id)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        clerk.get("/admin/tokens").await.status,
        StatusCode::FORBIDDEN
    );

    // The administrator sees both with their owner and revokes one.
    let mut admin = app.login("schneider").await;
    let all = admin.get("/admin/tokens").await;
    assert_eq!(all.status, StatusCode::OK);
    all.assert_contains("Alle gültigen Zugangsschlüssel");
    all.assert_contains("gast");
    all.assert_contains("Nur lesen");
    let revoked = admin.post("/admin/tokens/revoke", &[("id", &id)]).await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    guest
        .get("/account/tokens")
        .await
        .assert_contains("1 gültiger Schlüssel");
}
