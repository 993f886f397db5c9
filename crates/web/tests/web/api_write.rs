//! Changing data through the JSON API: a read-write token creates and changes organizations,
//! units, people and accounts through the same use cases as the forms (the same checks, an
//! audit row for each write); an update needs the version read (`If-Match`), a lost race is
//! 412 naming who won it, a wrong field is 422 naming it; a read token changes nothing.

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{AccountId, OrganizationId, PersonId};
use counterpart_store::AuditFilter;
use serde_json::{Value, json};

use crate::support::routes::Ids;
use crate::support::{Page, TestApp, audit_count};

/// A token of `user` with `scope`, made on the tokens page as a user would; the
/// `Authorization` value to send.
pub(crate) async fn token_of(app: &TestApp, user: &str, scope: &str) -> String {
    let mut browser = app.login(user).await;
    let made = browser
        .post(
            "/account/tokens",
            &[("label", "API write test"), ("scope", scope), ("days", "7")],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let at = made.body.find("id=\"token-new\"").expect("the new token");
    let value = &made.body[at..];
    let start = value.find("value=\"").unwrap() + 7;
    let secret: String = value[start..].chars().take_while(|c| *c != '"').collect();
    format!("Bearer {secret}")
}

pub(crate) fn json_of(page: &Page) -> Value {
    serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}: {}", page.body))
}

/// A Problem Details answer with `status`; its body.
pub(crate) fn problem(page: &Page, status: StatusCode) -> Value {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(page.headers["content-type"], "application/problem+json");
    let body = json_of(page);
    assert_eq!(body["status"], status.as_u16());
    body
}

/// The names of the fields a 422 names.
pub(crate) fn named_fields(body: &Value) -> Vec<String> {
    body["invalid_params"]
        .as_array()
        .unwrap_or_else(|| panic!("invalid_params in {body}"))
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn etag(page: &Page) -> String {
    page.headers["etag"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_organization_is_created_changed_and_deactivated_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    let made = client
        .api_send(
            "POST",
            "/api/v1/organizations",
            &auth,
            json!({"name": "Nordlicht Logistik GmbH", "kind": "external", "notes": "Aus dem CRM"})
                .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/organizations/{id}").as_str()
    );
    assert_eq!(etag(&made), format!("\"v{}\"", body["version"]));
    assert_eq!(body["name"], "Nordlicht Logistik GmbH");
    let stored = app
        .db
        .store
        .organization(OrganizationId::new(id))
        .await
        .unwrap();
    assert_eq!(stored.notes.as_deref(), Some("Aus dem CRM"));
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Organization, id).await,
        1
    );

    // Read, change with the version read, and deactivate in the same call.
    let path = format!("/api/v1/organizations/{id}");
    let read = client.api_get(&path, &auth).await;
    let tag = etag(&read);
    let changed = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"name": "Nordlicht Logistik AG", "kind": "external", "active": false})
                .to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let body = json_of(&changed);
    assert_eq!(body["name"], "Nordlicht Logistik AG");
    assert_eq!(body["notes"], Value::Null, "a field left out is emptied");
    assert_eq!(body["active"], false);
    assert_ne!(etag(&changed), tag);
    assert_eq!(etag(&changed), format!("\"v{}\"", body["version"]));
    let stored = app
        .db
        .store
        .organization(OrganizationId::new(id))
        .await
        .unwrap();
    assert_eq!(stored.name, "Nordlicht Logistik AG");
    assert!(!stored.active);
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Organization, id).await,
        3,
        "created, changed, deactivated"
    );

    // The version just read again answers 304; the old one is a lost race.
    let again = client
        .api_get(
            &path,
            &[
                ("authorization", &write),
                ("if-none-match", &etag(&changed)),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let stale = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"name": "Überschrieben", "kind": "external"}).to_string(),
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);
    let stored = app
        .db
        .store
        .organization(OrganizationId::new(id))
        .await
        .unwrap();
    assert_eq!(stored.name, "Nordlicht Logistik AG", "nothing overwritten");

    // Only one organization is our own.
    let second_own = client
        .api_send(
            "POST",
            "/api/v1/organizations",
            &auth,
            json!({"name": "Zweites Haus", "kind": "own"}).to_string(),
        )
        .await;
    let body = problem(&second_own, StatusCode::CONFLICT);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("own organization"),
        "{body}"
    );
}

#[tokio::test]
async fn a_lost_race_is_412_naming_who_changed_it_and_leaves_their_change() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let mut client = app.client();
    let path = format!("/api/v1/accounts/{}", ids.account);
    let read = client.api_get(&path, &[("authorization", &write)]).await;
    assert_eq!(read.status, StatusCode::OK);
    let tag = etag(&read);
    let mut account = json_of(&read);

    // Meanwhile someone else changes the account on its page.
    let mut other = app.login("schneider").await;
    let edit = format!("/accounts/{}/edit", ids.account);
    let mut form = other.get(&edit).await.form(&edit).expect("the edit form");
    form.set("notes", "Geändert von der Geschäftsführung");
    let saved = other.post(&edit, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let winner = app
        .db
        .store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::Account),
            entity_id: Some(ids.account),
            before_id: None,
            limit: 1,
        })
        .await
        .unwrap()
        .remove(0)
        .actor_name;

    // The API's change, made to the version it read, is refused and names the winner.
    let object = account.as_object_mut().unwrap();
    for read_only in ["id", "version"] {
        object.remove(read_only);
    }
    object.insert("notes".into(), json!("Vom API überschrieben"));
    let lost = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            account.to_string(),
        )
        .await;
    let body = problem(&lost, StatusCode::PRECONDITION_FAILED);
    assert_eq!(body["changed_by"], winner.as_str(), "{body}");
    assert!(body["changed_at"].is_string(), "{body}");
    assert!(body["detail"].as_str().unwrap().contains(&winner), "{body}");
    let stored = app
        .db
        .store
        .account(AccountId::new(ids.account))
        .await
        .unwrap();
    assert_eq!(
        stored.notes.as_deref(),
        Some("Geändert von der Geschäftsführung")
    );

    // Without `If-Match`, or with `*`, nothing is changed either; a tag of no version is 412.
    for (header, status) in [
        (None, StatusCode::PRECONDITION_REQUIRED),
        (Some("*"), StatusCode::PRECONDITION_REQUIRED),
        (Some("W/\"abc\""), StatusCode::PRECONDITION_FAILED),
    ] {
        let mut headers = vec![("authorization", write.as_str())];
        if let Some(value) = header {
            headers.push(("if-match", value));
        }
        let refused = client
            .api_send("PUT", &path, &headers, account.to_string())
            .await;
        problem(&refused, status);
    }
    let unchanged = app
        .db
        .store
        .account(AccountId::new(ids.account))
        .await
        .unwrap();
    assert_eq!(unchanged.version, stored.version);
}

#[tokio::test]
async fn wrong_bodies_are_refused_naming_the_field_and_change_nothing() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let people = format!("/api/v1/organizations/{}/people", ids.own);
    let before = app
        .db
        .store
        .people(OrganizationId::new(ids.own), None, true, 100_000, 0)
        .await
        .unwrap()
        .len();

    for (body, field) in [
        (json!({"given_name": "Ida"}), "body"),
        (json!({"family_name": ""}), "family_name"),
        (json!({"family_name": "Bell\u{7}"}), "family_name"),
        (json!({"family_name": "x".repeat(201)}), "family_name"),
        (
            json!({"family_name": "Bell", "email": "no-address"}),
            "email",
        ),
        (
            json!({"family_name": "Bell", "level_id": "high"}),
            "level_id",
        ),
        (
            json!({"family_name": "Bell", "level_id": 999_999}),
            "level_id",
        ),
        (json!({"family_name": "Bell", "unit_id": -3}), "unit_id"),
        (json!({"family_name": "Bell", "shoe_size": 44}), "shoe_size"),
        (json!({"family_name": "Bell", "active": false}), "active"),
    ] {
        let refused = client
            .api_send("POST", &people, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    // A number or a boolean where a choice's name belongs is a wrong field too, not a body
    // that is not JSON.
    for kind in [json!(true), json!(7), json!(null), json!(["own"])] {
        let body = json!({"name": "Isar Werke", "kind": kind});
        let refused = client
            .api_send("POST", "/api/v1/organizations", &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), ["kind"], "{body}: {problem}");
    }
    // The unknown field is named in the reason.
    let unknown = client
        .api_send(
            "POST",
            &people,
            &auth,
            json!({"family_name": "Bell", "shoe_size": 44}).to_string(),
        )
        .await;
    assert!(unknown.body.contains("shoe_size"), "{}", unknown.body);

    let not_json = client
        .api_send("POST", &people, &auth, "{\"family_name\": ")
        .await;
    let body = problem(&not_json, StatusCode::BAD_REQUEST);
    assert!(
        body["detail"].as_str().unwrap().contains("line 1"),
        "{body}"
    );
    let form = client
        .api_send(
            "POST",
            &people,
            &[
                ("authorization", write.as_str()),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            "family_name=Bell",
        )
        .await;
    problem(&form, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = client
        .api_send(
            "POST",
            &people,
            &auth,
            json!({"family_name": "Bell", "notes": "x".repeat(70 * 1024)}).to_string(),
        )
        .await;
    problem(&huge, StatusCode::PAYLOAD_TOO_LARGE);
    let nowhere = client
        .api_send(
            "POST",
            "/api/v1/organizations/9223372036854775807/people",
            &auth,
            json!({"family_name": "Bell"}).to_string(),
        )
        .await;
    problem(&nowhere, StatusCode::NOT_FOUND);

    let after = app
        .db
        .store
        .people(OrganizationId::new(ids.own), None, true, 100_000, 0)
        .await
        .unwrap()
        .len();
    assert_eq!(after, before, "nothing was created");
}

#[tokio::test]
async fn a_read_token_and_a_viewer_change_nothing() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let read = token_of(&app, "krueger", "read").await;
    let viewer = token_of(&app, "gast", "read").await;
    let mut client = app.client();
    let path = format!("/api/v1/organizations/{}", ids.own);
    let tag = etag(&client.api_get(&path, &[("authorization", &read)]).await);
    for token in [&read, &viewer] {
        let refused = client
            .api_send(
                "PUT",
                &path,
                &[("authorization", token), ("if-match", &tag)],
                json!({"name": "Umbenannt", "kind": "own"}).to_string(),
            )
            .await;
        let body = problem(&refused, StatusCode::FORBIDDEN);
        assert!(body["detail"].as_str().unwrap().contains("read"), "{body}");
        // 403 comes first: a read token learns nothing about its body.
        let refused = client
            .api_send(
                "POST",
                "/api/v1/organizations",
                &[("authorization", token)],
                "not even json",
            )
            .await;
        problem(&refused, StatusCode::FORBIDDEN);
    }
    let own = app
        .db
        .store
        .organization(OrganizationId::new(ids.own))
        .await
        .unwrap();
    assert_ne!(own.name, "Umbenannt");
    // No cookie opens a write either.
    let mut browser = app.login("schneider").await;
    let with_cookie = browser
        .post(
            "/api/v1/organizations",
            &[("name", "Per Cookie"), ("kind", "external")],
        )
        .await;
    assert_eq!(with_cookie.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_hr_system_finds_a_person_by_address_then_creates_or_changes_them() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let list = format!(
        "/api/v1/organizations/{}/people?email=Ida.Bell%40Example.org",
        ids.own
    );
    let none = json_of(&client.api_get(&list, &auth).await);
    assert_eq!(none["items"], json!([]));

    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/organizations/{}/people", ids.own),
            &auth,
            json!({
                "given_name": "Ida",
                "family_name": "Bell",
                "email": "ida.bell@example.org",
                "job_title": "Einkäuferin",
                "unit_id": ids.unit,
            })
            .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = json_of(&made)["id"].as_i64().unwrap();

    // The next run finds her (the address compared without regard to case) and changes her.
    let found = json_of(&client.api_get(&list, &auth).await);
    assert_eq!(found["items"][0]["id"], id, "{found}");
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    let read = client.api_get(&format!("/api/v1/people/{id}"), &auth).await;
    let changed = client
        .api_send(
            "PUT",
            &format!("/api/v1/people/{id}"),
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({
                "given_name": "Ida",
                "family_name": "Bell-Hansen",
                "email": "ida.bell@example.org",
                "job_title": "Leiterin Einkauf",
                "unit_id": ids.unit,
            })
            .to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let person = app.db.store.person(PersonId::new(id)).await.unwrap();
    assert_eq!(person.family_name, "Bell-Hansen");
    assert_eq!(person.job_title.as_deref(), Some("Leiterin Einkauf"));
    assert_eq!(audit_count(&app.db.store, EntityKind::Person, id).await, 2);

    // A promotion keeps the history: a new position from a day on (after the first one,
    // which began today).
    let tomorrow = (crate::support::today() + chrono::Days::new(1)).to_string();
    let read = client.api_get(&format!("/api/v1/people/{id}"), &auth).await;
    let promoted = client
        .api_send(
            "PUT",
            &format!("/api/v1/people/{id}/position"),
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({
                "organization_id": ids.own,
                "unit_id": ids.unit,
                "job_title": "Bereichsleiterin Einkauf",
                "valid_from": tomorrow,
            })
            .to_string(),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(json_of(&promoted)["job_title"], "Bereichsleiterin Einkauf");
    // Her history: the new position leads, the first one ended the day before.
    let history = json_of(
        &client
            .api_get(&format!("/api/v1/people/{id}/positions"), &auth)
            .await,
    );
    assert_eq!(history["person_id"], id);
    let positions = history["items"].as_array().unwrap();
    assert_eq!(positions.len(), 2, "{history}");
    assert_eq!(positions[0]["job_title"], "Bereichsleiterin Einkauf");
    assert_eq!(positions[0]["valid_from"], tomorrow.as_str());
    assert_eq!(positions[0]["valid_to"], Value::Null);
    assert_eq!(positions[1]["organization_id"], ids.own);
    assert_eq!(
        positions[1]["valid_to"],
        crate::support::today().to_string()
    );
    let nobody = client
        .api_get("/api/v1/people/999999/positions", &auth)
        .await;
    problem(&nobody, StatusCode::NOT_FOUND);
    let bad_day = client
        .api_send(
            "PUT",
            &format!("/api/v1/people/{id}/position"),
            &[("authorization", &write), ("if-match", &etag(&promoted))],
            json!({"organization_id": ids.own, "valid_from": "1. Dezember"}).to_string(),
        )
        .await;
    let body = problem(&bad_day, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&body), ["valid_from"]);
}

/// A person of our own house made through the API from `fields`; their id.
async fn person_made(app: &TestApp, write: &str, own: i64, fields: Value) -> i64 {
    let made = app
        .client()
        .api_send(
            "POST",
            &format!("/api/v1/organizations/{own}/people"),
            &[("authorization", write)],
            fields.to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    json_of(&made)["id"].as_i64().unwrap()
}

#[tokio::test]
async fn two_records_of_one_human_are_merged_as_on_the_person_page() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let keep = person_made(
        &app,
        &write,
        ids.own,
        json!({"given_name": "Paula", "family_name": "Prüfer", "unit_id": ids.unit}),
    )
    .await;
    let gone = person_made(
        &app,
        &write,
        ids.own,
        json!({
            "given_name": "Paula",
            "family_name": "Prüfer",
            "email": "paula.pruefer@example.org",
            "job_title": "Prüferin",
            "unit_id": ids.unit,
        }),
    )
    .await;
    let merge = format!("/api/v1/people/{keep}/merge");
    let read = client
        .api_get(&format!("/api/v1/people/{keep}"), &auth)
        .await;
    let tag = etag(&read);
    let with_tag = [
        ("authorization", write.as_str()),
        ("if-match", tag.as_str()),
    ];

    // Wrong duplicates are 422 naming `duplicate_id`, as the form names its field; nothing
    // changes.
    for (sent, field) in [
        (json!({"duplicate_id": keep}), "duplicate_id"),
        (json!({"duplicate_id": ids.partner}), "duplicate_id"),
        (json!({"duplicate_id": 987_654_321}), "duplicate_id"),
        (json!({"duplicate_id": -3}), "duplicate_id"),
        (json!({"duplicate_id": "zwei"}), "duplicate_id"),
        (json!({"other_id": gone}), "other_id"),
    ] {
        let refused = client
            .api_send("POST", &merge, &with_tag, sent.to_string())
            .await;
        let body = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&body), [field], "{sent}: {body}");
    }
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Person, keep).await,
        1
    );
    assert!(app.db.store.person(PersonId::new(gone)).await.is_ok());

    // A read token merges nothing, an unknown person is 404, no `If-Match` is 428.
    let reader = token_of(&app, "krueger", "read").await;
    let body = json!({"duplicate_id": gone}).to_string();
    problem(
        &client
            .api_send(
                "POST",
                &merge,
                &[("authorization", &reader), ("if-match", &tag)],
                body.clone(),
            )
            .await,
        StatusCode::FORBIDDEN,
    );
    problem(
        &client
            .api_send(
                "POST",
                "/api/v1/people/987654321/merge",
                &with_tag,
                body.clone(),
            )
            .await,
        StatusCode::NOT_FOUND,
    );
    problem(
        &client.api_send("POST", &merge, &auth, body.clone()).await,
        StatusCode::PRECONDITION_REQUIRED,
    );
    assert!(app.db.store.person(PersonId::new(gone)).await.is_ok());

    // Merged: the kept person takes the duplicate's address and job, the duplicate is gone,
    // and the audit log records both.
    let merged = client
        .api_send("POST", &merge, &with_tag, body.clone())
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    let answer = json_of(&merged);
    assert_eq!(answer["id"], keep);
    assert_eq!(answer["email"], "paula.pruefer@example.org");
    assert_eq!(answer["job_title"], "Prüferin");
    assert_eq!(etag(&merged), format!("\"v{}\"", answer["version"]));
    assert_ne!(etag(&merged), tag);
    let stored = app.db.store.person(PersonId::new(keep)).await.unwrap();
    assert_eq!(stored.email.as_deref(), Some("paula.pruefer@example.org"));
    assert_eq!(stored.job_title.as_deref(), Some("Prüferin"));
    assert!(app.db.store.person(PersonId::new(gone)).await.is_err());
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Person, keep).await,
        2
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Person, gone).await,
        2
    );

    // The version sent before the merge is stale now: a lost race, 412 naming who won it.
    let third = person_made(
        &app,
        &write,
        ids.own,
        json!({"given_name": "Paula", "family_name": "Prüfer", "unit_id": ids.unit}),
    )
    .await;
    let lost = client
        .api_send(
            "POST",
            &merge,
            &with_tag,
            json!({"duplicate_id": third}).to_string(),
        )
        .await;
    let body = problem(&lost, StatusCode::PRECONDITION_FAILED);
    assert!(body["changed_by"].is_string(), "{body}");
    assert!(app.db.store.person(PersonId::new(third)).await.is_ok());
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Person, keep).await,
        2
    );
}

#[tokio::test]
async fn units_and_accounts_are_created_and_changed_as_on_their_forms() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    let unit = client
        .api_send(
            "POST",
            &format!("/api/v1/organizations/{}/units", ids.own),
            &auth,
            json!({"name": "Einkauf Süd", "kind": "team", "parent_id": ids.unit}).to_string(),
        )
        .await;
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.body);
    let body = json_of(&unit);
    let unit_id = body["id"].as_i64().unwrap();
    assert_eq!(body["parent_id"], ids.unit);
    assert!(body["depth"].as_u64().unwrap() >= 1);
    // A unit under itself would loop: refused, naming the field.
    let looped = client
        .api_send(
            "PUT",
            &format!("/api/v1/units/{unit_id}"),
            &[("authorization", &write), ("if-match", &etag(&unit))],
            json!({"name": "Einkauf Süd", "kind": "team", "parent_id": unit_id}).to_string(),
        )
        .await;
    let problem_body = problem(&looped, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&problem_body), ["parent_id"]);

    let partner = app
        .db
        .store
        .organizations(&counterpart_store::OrganizationFilter {
            kind: Some("external".parse().unwrap()),
            ..Default::default()
        })
        .await
        .unwrap()[0]
        .organization
        .id
        .get();
    let account = client
        .api_send(
            "POST",
            "/api/v1/accounts",
            &auth,
            json!({
                "name": "Neues Geschäft",
                "organization_id": partner,
                "relation": "customer",
                "mode": "hierarchical",
                "responsible_unit_id": unit_id,
            })
            .to_string(),
        )
        .await;
    assert_eq!(account.status, StatusCode::CREATED, "{}", account.body);
    let body = json_of(&account);
    let account_id = body["id"].as_i64().unwrap();
    assert_eq!(body["responsible_unit_id"], unit_id);
    let deactivated = client
        .api_send(
            "PUT",
            &format!("/api/v1/accounts/{account_id}"),
            &[("authorization", &write), ("if-match", &etag(&account))],
            json!({
                "name": "Neues Geschäft",
                "organization_id": partner,
                "relation": "both",
                "mode": "jour_fixe",
                "responsible_unit_id": unit_id,
                "active": false,
            })
            .to_string(),
        )
        .await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    let stored = app
        .db
        .store
        .account(AccountId::new(account_id))
        .await
        .unwrap();
    assert!(!stored.active);
    assert_eq!(stored.relation.as_str(), "both");
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Account, account_id).await,
        3
    );

    let wrong_relation = client
        .api_send(
            "POST",
            "/api/v1/accounts",
            &auth,
            json!({"organization_id": partner, "relation": "friend", "mode": "hierarchical"})
                .to_string(),
        )
        .await;
    let body = problem(&wrong_relation, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&body), ["relation"]);
}

#[tokio::test]
async fn writes_hold_on_postgres() {
    let Some(app) = TestApp::demo_postgres().await else {
        return;
    };
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/organizations/{}/people", ids.own),
            &auth,
            json!({"family_name": "Bell", "email": "IDA@example.org"}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let found = json_of(
        &client
            .api_get(
                &format!(
                    "/api/v1/organizations/{}/people?email=ida%40EXAMPLE.org",
                    ids.own
                ),
                &auth,
            )
            .await,
    );
    assert_eq!(found["items"][0]["id"], json_of(&made)["id"]);
    let id = json_of(&made)["id"].as_i64().unwrap();
    let stale = client
        .api_send(
            "PUT",
            &format!("/api/v1/people/{id}"),
            &[("authorization", &write), ("if-match", "\"v0\"")],
            json!({"family_name": "Bell"}).to_string(),
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);
}
