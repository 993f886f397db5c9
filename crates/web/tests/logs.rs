//! No personal data in the logs: every page of the route table as every demo user, and the
//! requests that carry names (searches by name, a failed login by e-mail address, an insight
//! and a contact about a named person), with everything our crates log captured at its most
//! detailed level. None of the people's names or e-mail addresses may appear in it. The
//! capture and the check are the test support's (`support::logs`), which every web test
//! runs under; this test makes sure the requests most likely to leak are among them.

#[expect(dead_code, reason = "the support module serves several test binaries")]
mod support;

use axum::http::StatusCode;
use support::TestApp;
use support::routes::{Ids, Method, ROUTES};

#[tokio::test]
async fn the_logs_hold_no_names_or_addresses() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    // Every page, as each of the demo's users.
    for user in ["schneider", "krueger", "yilmaz", "gast"] {
        let mut client = app.login(user).await;
        for &(method, template, _) in ROUTES {
            if method == Method::Get {
                client.get(&ids.fill(template)).await;
            }
        }
    }
    // What carries names: searches, a failed login by address, what we learned and a contact.
    let partner = store
        .person(counterpart_core::ids::PersonId::new(ids.partner))
        .await
        .unwrap();
    let name = partner.display_name();
    let mut director = app.login("schneider").await;
    for query in [partner.family_name.as_str(), name.as_str()] {
        let encoded = query.replace(' ', "+");
        director.get(&format!("/search?q={encoded}")).await;
        director.get(&format!("/search/quick?q={encoded}")).await;
        director.get(&format!("/people?q={encoded}")).await;
    }
    let address = partner.email.clone().unwrap_or_default();
    let (page, _) = app.try_login(&address, "wrong password").await;
    assert_ne!(page.status, StatusCode::SEE_OTHER);
    director.get(&format!("/people/{}", partner.id)).await;
    let saved = director
        .post(
            &format!("/people/{}/insights", partner.id),
            &[
                ("category", "needs"),
                ("text", &format!("{name} braucht die Zahlen bis Freitag.")),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    director.get(&format!("/people/{}", partner.id)).await;
    let logged = director
        .post(
            &format!("/people/{}/contacts", partner.id),
            &[
                ("kind", "call"),
                ("summary", &format!("Telefonat mit {name}")),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);

    // The API: a person, the lists, and wrong requests (a name where an id belongs).
    let made = director
        .post(
            "/account/tokens",
            &[("label", "Protokolltest"), ("scope", "read"), ("days", "1")],
        )
        .await;
    let at = made.body.find("id=\"token-new\"").expect("a token");
    let secret: String = made.body[at..]
        .split("value=\"")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let bearer = format!("Bearer {secret}");
    let mut program = app.client();
    let encoded = name.replace(' ', "%20");
    for address in [
        format!("/api/v1/people/{}", partner.id),
        "/api/v1/organizations?limit=200".to_owned(),
        "/api/v1/accounts?limit=200".to_owned(),
        format!("/api/v1/people/{encoded}"),
        format!("/api/v1/organizations?kind={encoded}"),
        format!("/api/v1/accounts?{encoded}=1"),
        format!("/api/v1/people?email={}", address.replace('@', "%40")),
        format!("/api/v1/people/{}/insights", partner.id),
        format!("/api/v1/people/{}/contacts?kind=call", partner.id),
        format!("/api/v1/accounts/{}/insights?limit=200", ids.account),
        format!("/api/v1/people/{encoded}/insights"),
        format!("/api/v1/people/{}/contacts?since={encoded}", partner.id),
        format!("/api/v1/series/{}/meetings?after={encoded}", ids.series),
        format!("/api/v1/meetings/{}/agenda", ids.meeting),
    ] {
        let answer = program
            .api_get(&address, &[("authorization", &bearer)])
            .await;
        assert_ne!(
            answer.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{address}"
        );
    }

    // The support's capture checks every event for the demo people's names and addresses
    // (and fails the test when the app is dropped); here, that it saw the requests at all.
    let events = app.events_logged();
    assert!(events > 200, "the requests were logged: {events} events");
    drop(app);
}
