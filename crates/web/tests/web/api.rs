//! The JSON API's resources: lists read page by page see every row once, single resources
//! answer 304 to their `ETag`, every error is Problem Details with the right status, a
//! viewer's token reads, the session cookie opens nothing, and the OpenAPI document lists
//! every route.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use counterpart_store::{AccountFilter, OrganizationFilter};
use serde_json::Value;

use crate::support::routes::Ids;
use crate::support::{Page, TestApp};

/// A read token of `user`, made on the tokens page as a user would; the `Authorization`
/// value to send.
async fn bearer_of(app: &TestApp, user: &str) -> String {
    let mut browser = app.login(user).await;
    let made = browser
        .post(
            "/account/tokens",
            &[("label", "API test"), ("scope", "read"), ("days", "7")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let at = made.body.find("id=\"token-new\"").expect("the new token");
    let value = &made.body[at..];
    let start = value.find("value=\"").unwrap() + 7;
    let secret: String = value[start..].chars().take_while(|c| *c != '"').collect();
    format!("Bearer {secret}")
}

fn json(page: &Page) -> Value {
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}: {}", page.body))
}

/// A Problem Details answer with `status`; its body.
fn problem(page: &Page, status: StatusCode) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(
        page.headers["content-type"], "application/problem+json",
        "{status}: {:?}",
        page.headers
    );
    let body = json(page);
    assert_eq!(body["status"], status.as_u16());
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

/// Follows `next` from `first` to the end; the ids of every item, in the order read.
async fn walk(app: &TestApp, bearer: &str, first: &str, limit: usize) -> Vec<i64> {
    let mut client = app.client();
    let mut ids = Vec::new();
    let mut next = Some(first.to_owned());
    let mut pages = 0;
    while let Some(address) = next {
        let page = client.api_get(&address, &[("authorization", bearer)]).await;
        assert_eq!(page.status, StatusCode::OK, "{address}: {}", page.body);
        let body = json(&page);
        let items = body["items"].as_array().unwrap();
        assert!(items.len() <= limit, "{address}: {} items", items.len());
        ids.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        next = body["next"].as_str().map(str::to_owned);
        if next.is_some() {
            assert_eq!(items.len(), limit, "only the last page is short");
        }
        pages += 1;
        assert!(pages < 1000, "the walk ends");
    }
    ids
}

#[tokio::test]
async fn a_viewer_walks_all_organizations_two_at_a_time_and_sees_each_once() {
    let app = TestApp::demo().await;
    let bearer = bearer_of(&app, "gast").await;
    let all: Vec<i64> = app
        .db
        .store
        .organizations(&OrganizationFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|s| s.organization.id.get())
        .collect();
    assert!(all.len() > 2, "the demo has organizations to page through");

    let read = walk(&app, &bearer, "/api/v1/organizations?limit=2", 2).await;
    let unique: BTreeSet<i64> = read.iter().copied().collect();
    assert_eq!(unique.len(), read.len(), "none twice: {read:?}");
    assert_eq!(unique, all.iter().copied().collect(), "every one");
    assert!(read.windows(2).all(|w| w[0] < w[1]), "by id: {read:?}");

    // A filter is kept on every page.
    let external = walk(
        &app,
        &bearer,
        "/api/v1/organizations?kind=external&limit=2",
        2,
    )
    .await;
    let expected: BTreeSet<i64> = app
        .db
        .store
        .organizations(&OrganizationFilter {
            kind: Some("external".parse().unwrap()),
            ..OrganizationFilter::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|s| s.organization.id.get())
        .collect();
    assert_eq!(external.iter().copied().collect::<BTreeSet<_>>(), expected);
    assert_eq!(external.len(), expected.len());

    // The items say what they are.
    let mut client = app.client();
    let first = json(
        &client
            .api_get(
                "/api/v1/organizations?limit=1",
                &[("authorization", &bearer)],
            )
            .await,
    );
    let item = &first["items"][0];
    assert_eq!(item["id"], all.iter().min().copied().unwrap());
    for field in [
        "name",
        "kind",
        "active",
        "version",
        "unit_count",
        "person_count",
    ] {
        assert!(!item[field].is_null(), "{field} in {item}");
    }
    assert_eq!(
        first["next"],
        format!("/api/v1/organizations?limit=1&after={}", item["id"])
    );
}

#[tokio::test]
async fn the_walk_and_the_errors_hold_on_postgres() {
    let Some(app) = TestApp::demo_postgres().await else {
        return;
    };
    let bearer = bearer_of(&app, "gast").await;
    let all: BTreeSet<i64> = app
        .db
        .store
        .organizations(&OrganizationFilter::default())
        .await
        .unwrap()
        .iter()
        .map(|s| s.organization.id.get())
        .collect();
    let read = walk(&app, &bearer, "/api/v1/organizations?limit=2", 2).await;
    assert_eq!(read.len(), all.len());
    assert_eq!(read.iter().copied().collect::<BTreeSet<_>>(), all);
    let accounts = walk(&app, &bearer, "/api/v1/accounts?side=external&limit=5", 5).await;
    assert!(!accounts.is_empty());
    let mut client = app.client();
    let auth = [("authorization", bearer.as_str())];
    for address in [
        "/api/v1/organizations/9223372036854775807",
        "/api/v1/accounts/9223372036854775807",
        "/api/v1/people/9223372036854775807",
    ] {
        problem(&client.api_get(address, &auth).await, StatusCode::NOT_FOUND);
    }
    let huge = client
        .api_get("/api/v1/accounts?after=9223372036854775807", &auth)
        .await;
    assert_eq!(huge.status, StatusCode::OK);
    assert_eq!(json(&huge)["items"], serde_json::json!([]));
    assert_eq!(json(&huge)["next"], Value::Null);
}

#[tokio::test]
async fn accounts_are_walked_by_id_and_filtered_as_on_the_page() {
    let app = TestApp::demo().await;
    let bearer = bearer_of(&app, "gast").await;
    let all: BTreeSet<i64> = app
        .db
        .store
        .accounts(
            &AccountFilter::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .iter()
        .map(|s| s.account.id.get())
        .collect();
    assert!(all.len() > 3);
    let read = walk(&app, &bearer, "/api/v1/accounts?limit=3", 3).await;
    assert_eq!(read.len(), all.len(), "none twice");
    assert_eq!(read.iter().copied().collect::<BTreeSet<_>>(), all);

    let suppliers = walk(
        &app,
        &bearer,
        "/api/v1/accounts?relation=supplier&limit=200",
        200,
    )
    .await;
    let expected: BTreeSet<i64> = app
        .db
        .store
        .accounts(
            &AccountFilter {
                relation: Some("supplier".parse().unwrap()),
                ..AccountFilter::default()
            },
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .iter()
        .map(|s| s.account.id.get())
        .collect();
    assert_eq!(suppliers.iter().copied().collect::<BTreeSet<_>>(), expected);
}

#[tokio::test]
async fn single_resources_carry_an_etag_and_answer_304_while_unchanged() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let bearer = bearer_of(&app, "gast").await;
    let mut client = app.client();
    let person = app
        .db
        .store
        .person(counterpart_core::ids::PersonId::new(ids.partner))
        .await
        .unwrap();
    for (path, id) in [
        (format!("/api/v1/organizations/{}", ids.own), ids.own),
        (format!("/api/v1/organizations/{}/units", ids.own), ids.own),
        (format!("/api/v1/units/{}", ids.unit), ids.unit),
        (format!("/api/v1/people/{}", ids.partner), ids.partner),
        (format!("/api/v1/accounts/{}", ids.account), ids.account),
    ] {
        let first = client.api_get(&path, &[("authorization", &bearer)]).await;
        assert_eq!(first.status, StatusCode::OK, "{path}: {}", first.body);
        let body = json(&first);
        let key = if path.ends_with("/units") {
            "organization_id"
        } else {
            "id"
        };
        assert_eq!(body[key], id, "{path}");
        let etag = first.headers["etag"].to_str().unwrap().to_owned();
        if path.ends_with("/units") {
            // A list of many versions: a hash of what it holds.
            assert!(etag.starts_with("W/\"") && etag.ends_with('"'), "{etag}");
        } else {
            // A resource: its version, which `If-Match` sends back to change it.
            assert_eq!(etag, format!("\"v{}\"", body["version"]), "{path}");
        }
        assert_eq!(first.headers["cache-control"], "private, no-cache");

        let again = client
            .api_get(
                &path,
                &[("authorization", &bearer), ("if-none-match", &etag)],
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.headers["etag"], etag.as_str());

        // One of several tags, weak or strong, matches too; another does not.
        let strong = etag.trim_start_matches("W/");
        let listed = format!("\"other\", {strong}");
        let listed = client
            .api_get(
                &path,
                &[("authorization", &bearer), ("if-none-match", &listed)],
            )
            .await;
        assert_eq!(listed.status, StatusCode::NOT_MODIFIED, "{path}");
        let other = client
            .api_get(
                &path,
                &[("authorization", &bearer), ("if-none-match", "W/\"0\"")],
            )
            .await;
        assert_eq!(other.status, StatusCode::OK, "{path}");
        assert_eq!(other.body, first.body);
    }

    // The shapes carry what an integration needs, with the version.
    let read = json(
        &client
            .api_get(
                &format!("/api/v1/people/{}", ids.partner),
                &[("authorization", &bearer)],
            )
            .await,
    );
    assert_eq!(read["family_name"], person.family_name.as_str());
    assert_eq!(read["display_name"], person.display_name().as_str());
    assert_eq!(read["organization_id"], person.organization_id.get());
    assert_eq!(read["version"], person.version);
    let units = json(
        &client
            .api_get(
                &format!("/api/v1/organizations/{}/units", ids.own),
                &[("authorization", &bearer)],
            )
            .await,
    );
    let stored = app
        .db
        .store
        .units(counterpart_core::ids::OrganizationId::new(ids.own))
        .await
        .unwrap();
    assert_eq!(units["items"].as_array().unwrap().len(), stored.len());
    assert!(
        units["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["id"] == ids.unit)
    );
}

#[tokio::test]
async fn a_changed_resource_gets_a_new_etag() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let bearer = bearer_of(&app, "gast").await;
    let mut client = app.client();
    let path = format!("/api/v1/organizations/{}", ids.own);
    let before = client.api_get(&path, &[("authorization", &bearer)]).await;
    let etag = before.headers["etag"].to_str().unwrap().to_owned();

    let mut editor = app.login("schneider").await;
    let form = editor
        .get(&format!("/organizations/{}/edit", ids.own))
        .await
        .form(&format!("/organizations/{}/edit", ids.own))
        .expect("the edit form");
    let mut form = form;
    form.set("notes", "Changed for the API test");
    let saved = editor
        .post(&format!("/organizations/{}/edit", ids.own), &form.pairs())
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let after = client
        .api_get(
            &path,
            &[("authorization", &bearer), ("if-none-match", &etag)],
        )
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.headers["etag"], etag.as_str());
    let body = json(&after);
    assert_eq!(body["notes"], "Changed for the API test");
    assert_eq!(
        body["version"],
        json(&before)["version"].as_i64().unwrap() + 1
    );
}

#[tokio::test]
async fn every_error_is_problem_details_naming_what_was_wrong() {
    let app = TestApp::demo().await;
    let bearer = bearer_of(&app, "gast").await;
    let auth = [("authorization", bearer.as_str())];
    let mut client = app.client();

    for (address, param) in [
        ("/api/v1/organizations?limit=0", "limit"),
        ("/api/v1/organizations?limit=201", "limit"),
        ("/api/v1/organizations?limit=abc", "limit"),
        ("/api/v1/organizations?limit=-1", "limit"),
        ("/api/v1/organizations?after=abc", "after"),
        ("/api/v1/organizations?after=-5", "after"),
        ("/api/v1/organizations?after=99999999999999999999", "after"),
        ("/api/v1/organizations?kind=customer", "kind"),
        ("/api/v1/organizations?inactive=maybe", "inactive"),
        ("/api/v1/organizations?limt=2", "limt"),
        ("/api/v1/organizations?limit=2&limit=3", "limit"),
        ("/api/v1/accounts?relation=both", "relation"),
        ("/api/v1/accounts?side=left", "side"),
        ("/api/v1/accounts?tier=D", "tier"),
        ("/api/v1/accounts?unit=x", "unit"),
        ("/api/v1/accounts?after=1.5", "after"),
        ("/api/v1/organizations/abc", "id"),
        ("/api/v1/organizations/abc/units", "id"),
        ("/api/v1/people/1e3", "id"),
        ("/api/v1/accounts/%20", "id"),
    ] {
        let page = client.api_get(address, &auth).await;
        let body = problem(&page, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["invalid_params"][0]["name"], param,
            "{address}: {body}"
        );
        assert!(
            body["detail"].as_str().unwrap().contains(param),
            "{address}: {body}"
        );
    }

    for address in [
        "/api/v1/organizations/999999",
        "/api/v1/organizations/0/units",
        "/api/v1/organizations/999999/units",
        "/api/v1/people/999999",
        "/api/v1/accounts/999999",
        "/api/v1/nothing",
        "/api/v1/organizations/1/nothing",
    ] {
        problem(&client.api_get(address, &auth).await, StatusCode::NOT_FOUND);
    }

    for (method, address) in [
        ("PUT", "/api/v1/organizations"),
        ("DELETE", "/api/v1/organizations/1"),
        ("POST", "/api/v1/people/1"),
        ("PATCH", "/api/v1/accounts/1"),
        ("POST", "/api/v1/openapi.json"),
        ("DELETE", "/api/v1/me"),
    ] {
        let page = client.api_request(method, address, &auth).await;
        problem(&page, StatusCode::METHOD_NOT_ALLOWED);
        assert!(
            page.headers["allow"].to_str().unwrap().contains("GET"),
            "{method} {address}: {:?}",
            page.headers
        );
    }

    // Without a token every resource is 401, as Problem Details.
    for address in [
        "/api/v1/organizations",
        "/api/v1/organizations/1",
        "/api/v1/organizations/1/units",
        "/api/v1/people/1",
        "/api/v1/accounts",
        "/api/v1/accounts/1",
    ] {
        let page = client.api_get(address, &[]).await;
        problem(&page, StatusCode::UNAUTHORIZED);
        assert_eq!(page.headers["www-authenticate"], "Bearer");
    }
}

#[tokio::test]
async fn the_session_cookie_opens_no_resource() {
    let app = TestApp::demo().await;
    let mut browser = app.login("schneider").await;
    assert_eq!(browser.get("/organizations").await.status, StatusCode::OK);
    for address in ["/api/v1/organizations", "/api/v1/accounts"] {
        let page = browser.get(address).await;
        problem(&page, StatusCode::UNAUTHORIZED);
    }
}

/// Every route of the API, as the document must list it (the unit test in `api` proves the
/// router serves exactly the documented ones).
const ROUTES: &[&str] = &[
    "/me",
    "/organizations",
    "/organizations/{id}",
    "/organizations/{id}/units",
    "/organizations/{id}/people",
    "/units/{id}",
    "/people/{id}",
    "/people/{id}/positions",
    "/accounts",
    "/accounts/{id}",
    "/people",
    "/people/{id}/insights",
    "/accounts/{id}/insights",
    "/insights/{id}",
    "/people/{id}/contacts",
    "/accounts/{id}/contacts",
    "/contacts/{id}",
    "/series",
    "/series/{id}",
    "/series/{id}/meetings",
    "/series/{id}/participants",
    "/series/{id}/accounts",
    "/meetings/{id}",
    "/meetings/{id}/agenda",
    "/accounts/{id}/key-contacts",
    "/key-contacts/{id}",
    "/accounts/{id}/assignments",
    "/people/{id}/assignments",
    "/assignments/{id}",
    "/assignments/{id}/ratings",
    "/assignments/{id}/ratings/{rating_id}",
    "/criteria",
    "/criteria/{id}",
    "/accounts/{id}/importance",
    "/accounts/{id}/importance/mine",
    "/locks",
    "/locks/{partner_id}/{our_id}",
    "/accounts/{id}/suggestions",
    "/suggestions",
    "/matrix",
    "/accounts/{id}/guiding/{questionnaire}",
    "/openapi.json",
    "/docs",
];

/// Every write of the API, as the document must list it.
const WRITES: &[(&str, &str)] = &[
    ("post", "/organizations"),
    ("put", "/organizations/{id}"),
    ("post", "/organizations/{id}/units"),
    ("put", "/units/{id}"),
    ("post", "/organizations/{id}/people"),
    ("put", "/people/{id}"),
    ("put", "/people/{id}/position"),
    ("post", "/people/{id}/merge"),
    ("post", "/accounts"),
    ("put", "/accounts/{id}"),
    ("post", "/people/{id}/insights"),
    ("post", "/accounts/{id}/insights"),
    ("put", "/insights/{id}"),
    ("delete", "/insights/{id}"),
    ("post", "/people/{id}/contacts"),
    ("post", "/accounts/{id}/contacts"),
    ("post", "/series"),
    ("put", "/series/{id}"),
    ("post", "/series/{id}/meetings"),
    ("put", "/meetings/{id}"),
    ("post", "/meetings/{id}/preparation"),
    ("post", "/meetings/{id}/items/{item}/contributions"),
    ("delete", "/series/{id}"),
    ("post", "/series/{id}/participants"),
    ("delete", "/series/{id}/participants/{person}"),
    ("post", "/series/{id}/accounts"),
    ("delete", "/series/{id}/accounts/{account}"),
    ("post", "/series/{id}/cancellations"),
    ("post", "/meetings/{id}/items"),
    ("post", "/meetings/{id}/items/{item}/move"),
    ("post", "/meetings/{id}/items/{item}/decisions"),
    ("post", "/meetings/{id}/items/{item}/actions"),
    ("put", "/actions/{id}"),
    ("post", "/accounts/{id}/key-contacts"),
    ("put", "/key-contacts/{id}"),
    ("delete", "/key-contacts/{id}"),
    ("post", "/assignments"),
    ("put", "/assignments/{id}"),
    ("delete", "/assignments/{id}"),
    ("post", "/assignments/{id}/ratings"),
    ("post", "/criteria"),
    ("put", "/criteria/{id}"),
    ("put", "/accounts/{id}/importance/mine"),
    ("post", "/locks"),
    ("delete", "/locks/{partner_id}/{our_id}"),
    ("post", "/suggestions/accept"),
    ("post", "/accounts/{id}/guiding/{questionnaire}"),
];

/// The removals of a link that carries no version (a series' participant, an account chosen
/// for it): they take no `If-Match`.
const UNVERSIONED: &[&str] = &[
    "/series/{id}/participants/{person}",
    "/series/{id}/accounts/{account}",
];

/// The actions sent as `POST` that change a versioned record (a merge keeps one person and
/// changes them): they take its `If-Match`.
const VERSIONED_POSTS: &[&str] = &["/people/{id}/merge"];

/// The actions that take no body: preparing an agenda again says all it needs in its path.
const BODILESS: &[&str] = &["/meetings/{id}/preparation"];

#[tokio::test]
async fn the_openapi_document_is_served_without_a_token_and_lists_every_route() {
    let app = TestApp::demo().await;
    let mut client = app.client();
    let page = client.api_get("/api/v1/openapi.json", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers["content-type"], "application/json");
    let doc = json(&page);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let paths: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        ROUTES
            .iter()
            .copied()
            .chain(WRITES.iter().map(|(_, path)| *path))
            .collect(),
        "exactly the routes"
    );
    for path in ROUTES {
        assert!(doc["paths"][path]["get"].is_object(), "GET {path}");
    }
    // Every write says what it takes and every way it can be refused; an update or a
    // removal takes the version read (but the removal of a link, which has none).
    for (method, path) in WRITES {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path}");
        let body = &operation["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        if *method == "delete" {
            assert!(
                operation["requestBody"].is_null(),
                "{method} {path} takes no body"
            );
            assert!(operation["responses"]["204"].is_object(), "{method} {path}");
            assert!(operation["responses"]["403"].is_object(), "{method} {path}");
        } else if BODILESS.contains(path) {
            assert!(
                operation["requestBody"].is_null(),
                "{method} {path} takes no body"
            );
            assert!(operation["responses"]["403"].is_object(), "{method} {path}");
        } else {
            assert!(body.is_string(), "{method} {path} documents its body");
            for status in ["400", "403", "413", "415", "422"] {
                assert!(
                    operation["responses"][status].is_object(),
                    "{method} {path} answers {status}"
                );
            }
        }
        let if_match = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["name"] == "If-Match");
        let versioned = match *method {
            "put" | "delete" => !UNVERSIONED.contains(path),
            _ => VERSIONED_POSTS.contains(path),
        };
        if versioned {
            let if_match = if_match.unwrap_or_else(|| panic!("{method} {path} takes If-Match"));
            assert_eq!(if_match["in"], "header");
            assert_eq!(if_match["required"], true);
            for status in ["412", "428"] {
                assert!(
                    operation["responses"][status].is_object(),
                    "{path} {status}"
                );
            }
        } else {
            assert!(if_match.is_none(), "{method} {path}");
            assert!(
                operation["responses"]["428"].is_null(),
                "{method} {path} asks for no If-Match"
            );
        }
    }
    let scheme = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(doc["security"][0]["bearer"], serde_json::json!([]));
    // The document and its page need no token; everything else does.
    assert_eq!(
        doc["paths"]["/openapi.json"]["get"]["security"],
        serde_json::json!([{}])
    );
    assert!(doc["paths"]["/organizations"]["get"]["security"].is_null());
    assert!(doc["paths"]["/organizations"]["get"]["responses"]["401"].is_object());
    // The errors point at the Problem schema.
    let problem_schema = &doc["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail", "invalid_params"] {
        assert!(problem_schema["properties"][field].is_object(), "{field}");
    }
    assert_eq!(
        doc["paths"]["/organizations/{id}"]["get"]["responses"]["404"]["content"]["application/problem+json"]
            ["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    let parameters: Vec<&str> = doc["paths"]["/organizations"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(parameters, ["kind", "inactive", "after", "limit"]);
    // Every reference resolves to a schema of the document.
    let text = page.body.as_str();
    let mut refs = 0;
    for (at, _) in text.match_indices("\"$ref\"") {
        let rest = &text[at..];
        let start = rest.find("#/components/schemas/").unwrap() + "#/components/schemas/".len();
        let name: String = rest[start..].chars().take_while(|c| *c != '"').collect();
        assert!(
            doc["components"]["schemas"][&name].is_object(),
            "{name} is referred to but not described"
        );
        refs += 1;
    }
    assert!(refs > 10, "{refs} references");
    assert_eq!(
        doc["components"]["schemas"]["RelationFilter"]["enum"],
        serde_json::json!(["customer", "supplier"])
    );

    // Every route the document names answers (with a token) as it says: nothing is 404.
    let bearer = bearer_of(&app, "gast").await;
    let ids = Ids::of_demo(&app.db.store).await;
    let everything = counterpart_store::Visibility::everything();
    let account = counterpart_core::ids::AccountId::new(ids.account);
    // An insight the guest may read (not confidential) and a logged contact.
    let insight = app
        .db
        .store
        .insights_about_account(account, &everything)
        .await
        .unwrap()
        .into_iter()
        .find(|v| !v.insight.confidential)
        .expect("an open insight on the demo's first account")
        .insight
        .id;
    let contact = app
        .db
        .store
        .interactions_on_account(account, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .first()
        .expect("a logged contact on the demo's first account")
        .interaction
        .id;
    let rating = app
        .db
        .store
        .ratings(counterpart_core::ids::AssignmentId::new(ids.assignment))
        .await
        .unwrap()[0]
        .id;
    let (partner, ours) = (
        counterpart_core::ids::PersonId::new(ids.partner),
        counterpart_core::ids::PersonId::new(ids.person),
    );
    app.db
        .store
        .set_lock(
            &counterpart_store::Actor::system(),
            partner,
            ours,
            Some(true),
        )
        .await
        .unwrap();
    for path in ROUTES {
        let address = format!("/api/v1{path}")
            .replace(
                "/organizations/{id}",
                &format!("/organizations/{}", ids.own),
            )
            .replace("/people/{id}", &format!("/people/{}", ids.partner))
            .replace("/units/{id}", &format!("/units/{}", ids.unit))
            .replace("/accounts/{id}", &format!("/accounts/{}", ids.account))
            .replace("/insights/{id}", &format!("/insights/{insight}"))
            .replace("/contacts/{id}", &format!("/contacts/{contact}"))
            .replace("/series/{id}", &format!("/series/{}", ids.series))
            .replace("/meetings/{id}", &format!("/meetings/{}", ids.meeting))
            .replace(
                "/key-contacts/{id}",
                &format!("/key-contacts/{}", ids.contact),
            )
            .replace("{rating_id}", &rating.to_string())
            .replace(
                "/assignments/{id}",
                &format!("/assignments/{}", ids.assignment),
            )
            .replace("/criteria/{id}", &format!("/criteria/{}", ids.criterion))
            .replace("{partner_id}/{our_id}", &format!("{partner}/{ours}"))
            .replace("{questionnaire}", "partner");
        let answer = client
            .api_get(&address, &[("authorization", &bearer)])
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{address}: {}", answer.body);
    }
}

#[tokio::test]
async fn the_reference_page_is_rendered_from_the_document_without_script() {
    let app = TestApp::demo().await;
    let mut client = app.client();
    let page = client.api_get("/api/v1/docs", &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    for path in ROUTES {
        page.assert_contains(&format!("/api/v1{path}"));
    }
    page.assert_contains("invalid_params");
    assert!(!page.body.contains("<script"), "no script");
    assert!(!page.body.contains("https://"), "nothing from elsewhere");
}
