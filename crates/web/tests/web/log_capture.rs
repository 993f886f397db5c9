//! The log capture every web test runs under (`support::logs`) catches a name: a test that
//! logs a demo person's name or address fails when its app ends, with the test, the string
//! and where it was named, and not the log itself.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::support::TestApp;

/// The text of a caught panic.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// A partner person of the demo: their name and their address.
fn someone() -> (String, String) {
    let person = counterpart_core::demo::organizations()
        .into_iter()
        .flat_map(|o| o.people)
        .find(|p| p.family_name.chars().count() >= 4 && !p.email.is_empty())
        .expect("a demo person");
    (
        format!("{} {}", person.given_name, person.family_name),
        person.email,
    )
}

#[tokio::test]
async fn a_name_in_the_logs_fails_the_test_that_logged_it() {
    let (name, email) = someone();
    let app = TestApp::demo().await;
    let mut director = app.login("schneider").await;
    director.get("/").await;
    let before = app.events_logged();
    assert!(before > 0, "loading the demo and the requests were logged");
    tracing::info!("a careless statement names {name}");
    tracing::warn!("mail to {email} bounced");
    assert_eq!(app.events_logged(), before + 2);

    let caught =
        catch_unwind(AssertUnwindSafe(|| drop(app))).expect_err("the app's end fails the test");
    let text = message(caught.as_ref());
    assert!(
        text.contains(
            "personal data in the logs of test `log_capture::a_name_in_the_logs_fails_the_test_that_logged_it`"
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name:?} in event {}, at byte 27 of its text, logged by INFO web::log_capture (crates/web/tests/web/log_capture.rs:",
            before + 1
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{email:?} in event {}, at byte 8 of its text, logged by WARN",
            before + 2
        )),
        "{text}"
    );
    // The names, the places: not the log lines.
    assert!(!text.contains("careless statement"), "{text}");
    assert!(!text.contains("bounced"), "{text}");
}

#[tokio::test]
async fn what_was_reported_is_reported_once() {
    let (name, _) = someone();
    let app = TestApp::demo().await;
    tracing::info!("named: {name}");
    let first = catch_unwind(AssertUnwindSafe(|| drop(app)));
    assert!(first.is_err());
    // A second app of the same test starts clean.
    let again = TestApp::demo().await;
    let mut director = again.login("krueger").await;
    director.get("/people").await;
    drop(again);
}

/// A request served on another thread (a server's worker) still counts to its test: each
/// request of the test's router runs in a span naming the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_served_on_another_thread_counts_to_its_test() {
    let app = TestApp::demo().await;
    let before = app.events_logged();
    let router = app.router.clone();
    let on = tokio::spawn(async move {
        let mut client = crate::support::Client::new(router);
        client.get("/login").await;
        std::thread::current().name().map(str::to_owned)
    })
    .await
    .unwrap();
    assert_ne!(
        on.as_deref(),
        Some("log_capture::a_request_served_on_another_thread_counts_to_its_test"),
        "the request ran on a worker thread"
    );
    assert!(
        app.events_logged() > before,
        "the request's log counts to this test: {before} → {}",
        app.events_logged()
    );
}
