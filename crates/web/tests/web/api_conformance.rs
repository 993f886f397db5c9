//! What the API conformance run (`scripts/schemathesis.sh`) found, kept fixed here so that a
//! plain `cargo test` catches it again; and the API's rate per token: the default a server
//! starts with, and another the operator set (`--api-rate-limit`, which the run uses) held the
//! same way.

use axum::http::StatusCode;
use counterpart_app::Config;
use counterpart_web::WebConfig;

use crate::support::TestApp;

/// A read token of `user`, made on the tokens page; the `Authorization` value to send.
async fn bearer_of(app: &TestApp, user: &str) -> String {
    let mut browser = app.login(user).await;
    let made = browser
        .post(
            "/account/tokens",
            &[("label", "Conformance"), ("scope", "read"), ("days", "1")],
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
    format!("Bearer {secret}")
}

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
    let bearer = bearer_of(&app, "gast").await;
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

/// Schemathesis sent `?side=` and `?inactive=`: the document types every parameter (an enum,
/// a boolean, a number), so an empty value is wrong, not "no filter"; it listed everything.
#[tokio::test]
async fn an_empty_parameter_is_refused_by_name() {
    let app = TestApp::demo().await;
    let bearer = bearer_of(&app, "gast").await;
    let mut program = app.client();
    for (address, name) in [
        ("/api/v1/organizations?inactive=", "inactive"),
        ("/api/v1/organizations?kind=&limit=2", "kind"),
        ("/api/v1/accounts?side=", "side"),
        ("/api/v1/accounts?relation=customer&tier=", "tier"),
        ("/api/v1/accounts?limit=", "limit"),
        ("/api/v1/accounts?after=", "after"),
    ] {
        let answer = program
            .api_get(address, &[("authorization", &bearer)])
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{address}: {}",
            answer.body
        );
        assert_eq!(answer.headers["content-type"], "application/problem+json");
        let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(body["invalid_params"][0]["name"], name, "{address}: {body}");
        assert!(
            body["invalid_params"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("is empty"),
            "{body}"
        );
    }
    // Left out, the same filters list as before.
    let all = program
        .api_get("/api/v1/accounts?limit=2", &[("authorization", &bearer)])
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
}

/// Schemathesis sent `If-Match: *` (the document allowed any string; the server refuses the
/// wildcard with 428) and `?email=` (a string of no minimum length; the server refuses an
/// empty parameter): the document now says what the server takes.
#[tokio::test]
async fn the_document_says_which_if_match_and_email_the_server_takes() {
    let app = TestApp::demo().await;
    let doc = app.client().get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&doc.body).unwrap();
    let mut puts = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["name"] == "If-Match" {
                    puts += 1;
                    assert_eq!(
                        parameter["schema"]["pattern"], "^\"v[0-9]+\"$",
                        "{method} {path}"
                    );
                }
                if parameter["name"] == "email" && parameter["in"] == "query" {
                    assert_eq!(parameter["schema"]["minLength"], 1, "{method} {path}");
                }
            }
        }
    }
    assert!(puts >= 5, "every change takes If-Match: {puts}");
    let bearer = bearer_of(&app, "gast").await;
    let mut program = app.client();
    let empty = program
        .api_get(
            "/api/v1/organizations/1/people?email=",
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{}", empty.body);
    assert!(empty.body.contains("\"name\":\"email\""), "{}", empty.body);
}
