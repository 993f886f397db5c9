//! No personal data in the logs: every page of the route table as every demo user, and the
//! requests that carry names (searches by name, a failed login by e-mail address, an insight
//! and a contact about a named person), with everything our crates log captured at its most
//! detailed level. None of the people's names or e-mail addresses may appear in it.

#[expect(dead_code, reason = "the support module serves several test binaries")]
mod support;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use support::TestApp;
use support::routes::{Ids, Method, ROUTES};

/// Where the captured log lines go.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_logs_hold_no_names_or_addresses() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Our crates at their most detailed; libraries as the product runs them.
    let filter = tracing_subscriber::EnvFilter::new(
        "info,sqlx=warn,counterpart_web=trace,counterpart_app=trace,counterpart_store=trace",
    );
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("the only subscriber of this test binary");

    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    // Everyone's name and address, of our house and of the partners.
    let mut secrets: Vec<String> = Vec::new();
    for org in store.organizations(&Default::default()).await.unwrap() {
        let people = store
            .export_people(org.organization.id, counterpart_core::user::Language::De)
            .await
            .unwrap();
        for p in people {
            secrets.push(format!("{} {}", p.given_name, p.family_name));
            secrets.push(p.family_name.clone());
            secrets.push(p.email.clone());
        }
    }
    secrets.retain(|s| s.chars().count() >= 4);
    secrets.sort();
    secrets.dedup();
    assert!(secrets.len() > 100, "the demo's people: {}", secrets.len());

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

    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        logs.lines().count() > 200,
        "the requests were logged: {} lines",
        logs.lines().count()
    );
    let found: Vec<String> = secrets
        .iter()
        .filter_map(|secret| {
            logs.lines()
                .find(|line| line.contains(secret.as_str()))
                .map(|line| format!("{secret:?} in: {line}"))
        })
        .collect();
    assert!(
        found.is_empty(),
        "personal data in the logs:\n{}",
        found.join("\n")
    );
}
