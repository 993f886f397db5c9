//! The API's rate per token: the default a server starts with, and another the operator set
//! (`--api-rate-limit`, used by the conformance run) held the same way.

use axum::http::StatusCode;
use counterpart_app::Config;
use counterpart_web::WebConfig;

use crate::support::TestApp;

#[test]
fn the_default_rate_is_600_requests_a_minute() {
    assert_eq!(WebConfig::default().api_rate_limit, 600);
    assert_eq!(counterpart_web::DEFAULT_API_RATE_LIMIT, 600);
}

#[tokio::test]
async fn a_rate_set_by_the_operator_is_held_and_named() {
    let web = WebConfig {
        api_rate_limit: 3,
        ..WebConfig::default()
    };
    let app = TestApp::demo_with(Config::default(), web).await;
    let mut browser = app.login("gast").await;
    let made = browser
        .post(
            "/account/tokens",
            &[("label", "Rate test"), ("scope", "read"), ("days", "1")],
        )
        .await;
    let at = made.body.find("id=\"token-new\"").expect("the new token");
    let secret: String = made.body[at..]
        .split("value=\"")
        .nth(1)
        .unwrap()
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let bearer = format!("Bearer {secret}");
    let mut program = app.client();
    for n in 1..=3 {
        let answer = program
            .api_get("/api/v1/me", &[("authorization", &bearer)])
            .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "request {n}: {}",
            answer.body
        );
    }
    let braked = program
        .api_get("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(
        braked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        braked.body
    );
    assert!(braked.headers.contains_key("retry-after"));
    assert!(
        braked.body.contains("More than 3 requests a minute"),
        "{}",
        braked.body
    );
}
