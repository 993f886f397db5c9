//! What we know through the API: insights recorded, read, changed and withdrawn and the
//! contact log written through the use cases the person and account pages call (an audit row
//! for each write, a lost race 412 naming who won it, a wrong field 422 naming it, a read
//! token 403), lists paged by id with their filters, and a confidential insight there only
//! for those who read it on the pages.

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{AccountId, InsightId, PersonId};
use counterpart_store::AuditFilter;
use counterpart_store::testing::count_rows;
use serde_json::{Value, json};

use crate::api_write::{etag, json_of, named_fields, problem, token_of};
use crate::support::routes::Ids;
use crate::support::{TestApp, audit_count, unescape};

/// Who made the latest change of a record, as the audit log names them.
pub(crate) async fn last_actor(app: &TestApp, entity: EntityKind, id: i64) -> String {
    app.db
        .store
        .audit_entries(&AuditFilter {
            entity: Some(entity),
            entity_id: Some(id),
            before_id: None,
            limit: 1,
        })
        .await
        .unwrap()
        .remove(0)
        .actor_name
}

/// Follows `next` from `first` to the end; the ids (or `key`s) of every item, in the order
/// read.
pub(crate) async fn walk(app: &TestApp, bearer: &str, first: &str, key: &str) -> Vec<Value> {
    let mut client = app.client();
    let mut read = Vec::new();
    let mut next = Some(first.to_owned());
    let mut pages = 0;
    while let Some(address) = next {
        let page = client.api_get(&address, &[("authorization", bearer)]).await;
        assert_eq!(page.status, StatusCode::OK, "{address}: {}", page.body);
        let body = json_of(&page);
        read.extend(
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i[key].clone()),
        );
        next = body["next"].as_str().map(str::to_owned);
        pages += 1;
        assert!(pages < 1000, "the walk ends");
    }
    read
}

fn ids_of(values: &[Value]) -> Vec<i64> {
    values.iter().map(|v| v.as_i64().unwrap()).collect()
}

#[tokio::test]
async fn an_insight_is_recorded_read_changed_and_withdrawn_with_an_audit_row_for_each() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/insights", ids.partner),
            &auth,
            json!({
                "category": "future_ideas",
                "text": "Plant ein zweites Rechenzentrum in Leipzig.\nAusschreibung 2027.",
                "learned_on": "2026-11-30",
                "certainty": "confirmed",
            })
            .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/insights/{id}").as_str()
    );
    assert_eq!(etag(&made), format!("\"v{}\"", body["version"]));
    assert_eq!(body["partner_id"], ids.partner);
    assert_eq!(body["category"], "future_ideas");
    assert_eq!(body["certainty"], "confirmed");
    assert_eq!(body["learned_on"], "2026-11-30");
    assert_eq!(body["confidential"], false);
    let krueger = app.db.store.user_named("krueger").await.unwrap();
    assert_eq!(body["author_id"], krueger.id.get());
    let stored = app.db.store.insight(InsightId::new(id)).await.unwrap();
    assert_eq!(
        stored.text,
        "Plant ein zweites Rechenzentrum in Leipzig.\nAusschreibung 2027."
    );
    assert_eq!(audit_count(&app.db.store, EntityKind::Insight, id).await, 1);

    // Read it, and again cheaply; it is in the person's list and the account's.
    let path = format!("/api/v1/insights/{id}");
    let read = client.api_get(&path, &auth).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(etag(&read), etag(&made));
    let again = client
        .api_get(
            &path,
            &[("authorization", &write), ("if-none-match", &etag(&read))],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    for list in [
        format!("/api/v1/people/{}/insights?limit=2", ids.partner),
        format!("/api/v1/accounts/{}/insights?limit=3", ids.account),
    ] {
        let listed = ids_of(&walk(&app, &write, &list, "id").await);
        assert!(listed.contains(&id), "{list}: {listed:?}");
        assert!(listed.windows(2).all(|w| w[0] < w[1]), "by id: {listed:?}");
    }
    // The person's page shows what the API wrote.
    let mut browser = app.login("krueger").await;
    let page = browser.get(&format!("/people/{}", ids.partner)).await;
    assert!(unescape(&page.body).contains("Plant ein zweites Rechenzentrum"));

    // Changed with the version read; the day it was learned stays when left out.
    let changed = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({"category": "developments", "text": "Rechenzentrum Leipzig: Ausschreibung im Mai."})
                .to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let body = json_of(&changed);
    assert_eq!(body["category"], "developments");
    assert_eq!(body["learned_on"], "2026-11-30");
    assert_eq!(
        body["certainty"], "heard",
        "a field left out is as the form leaves it"
    );
    assert_ne!(etag(&changed), etag(&read));
    assert_eq!(audit_count(&app.db.store, EntityKind::Insight, id).await, 2);

    // Meanwhile the managing director corrects it on its page: the API's change made to the
    // version it read is refused, naming her, and hers stays.
    let mut director = app.login("schneider").await;
    let edit = format!("/insights/{id}/edit");
    let mut form = director
        .get(&edit)
        .await
        .form(&edit)
        .expect("the edit form");
    form.set("text", "Rechenzentrum Leipzig: Ausschreibung im Juni.");
    let saved = director.post(&edit, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let winner = last_actor(&app, EntityKind::Insight, id).await;
    let lost = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&changed))],
            json!({"category": "developments", "text": "Überschrieben"}).to_string(),
        )
        .await;
    let refused = problem(&lost, StatusCode::PRECONDITION_FAILED);
    assert_eq!(refused["changed_by"], winner.as_str(), "{refused}");
    assert!(refused["changed_at"].is_string());
    assert_eq!(
        app.db.store.insight(InsightId::new(id)).await.unwrap().text,
        "Rechenzentrum Leipzig: Ausschreibung im Juni."
    );

    // Withdrawn with the version read: 204, then gone from every answer; the row stays.
    for (header, status) in [
        (None, StatusCode::PRECONDITION_REQUIRED),
        (Some(etag(&changed)), StatusCode::PRECONDITION_FAILED),
    ] {
        let mut headers = vec![("authorization", write.as_str())];
        if let Some(tag) = &header {
            headers.push(("if-match", tag));
        }
        problem(&client.api_request("DELETE", &path, &headers).await, status);
    }
    let current = client.api_get(&path, &auth).await;
    let gone = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &etag(&current))],
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert!(gone.body.is_empty());
    assert!(
        app.db
            .store
            .insight(InsightId::new(id))
            .await
            .unwrap()
            .withdrawn
    );
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Insight, id).await,
        4,
        "recorded, changed, corrected, withdrawn"
    );
    problem(&client.api_get(&path, &auth).await, StatusCode::NOT_FOUND);
    let listed = ids_of(
        &walk(
            &app,
            &write,
            &format!("/api/v1/people/{}/insights", ids.partner),
            "id",
        )
        .await,
    );
    assert!(!listed.contains(&id));
    problem(
        &client
            .api_request(
                "DELETE",
                &path,
                &[("authorization", &write), ("if-match", &etag(&current))],
            )
            .await,
        StatusCode::NOT_FOUND,
    );

    // About an account.
    let on_account = client
        .api_send(
            "POST",
            &format!("/api/v1/accounts/{}/insights", ids.account),
            &auth,
            json!({"category": "environment", "text": "Ein Wettbewerber bietet Reinigung und Haustechnik aus einer Hand."})
                .to_string(),
        )
        .await;
    assert_eq!(
        on_account.status,
        StatusCode::CREATED,
        "{}",
        on_account.body
    );
    let body = json_of(&on_account);
    assert_eq!(body["account_id"], ids.account);
    assert_eq!(body["partner_id"], Value::Null);
    assert_eq!(body["learned_on"], app_today(&app));
}

/// Today as the server counts days.
fn app_today(app: &TestApp) -> String {
    let _ = app;
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Berlin)
        .date_naive()
        .to_string()
}

#[tokio::test]
async fn lists_of_insights_are_paged_and_filtered_and_refuse_wrong_parameters() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let read = token_of(&app, "schneider", "read").await;
    let everything = counterpart_store::Visibility::everything();
    let expected: Vec<i64> = {
        let mut all: Vec<i64> = app
            .db
            .store
            .insights_about_account(AccountId::new(ids.account), &everything)
            .await
            .unwrap()
            .iter()
            .map(|v| v.insight.id.get())
            .collect();
        all.sort_unstable();
        all
    };
    assert!(
        expected.len() > 2,
        "the demo's account has insights to page"
    );
    let list = format!("/api/v1/accounts/{}/insights", ids.account);
    for limit in [1, 2, 200] {
        let read = ids_of(&walk(&app, &read, &format!("{list}?limit={limit}"), "id").await);
        assert_eq!(read, expected, "pages of {limit}: each once, by id");
    }
    // A filter holds on every page, and is kept in `next`.
    let needs = walk(
        &app,
        &read,
        &format!("{list}?category=needs&limit=1"),
        "category",
    )
    .await;
    assert!(!needs.is_empty());
    assert!(needs.iter().all(|c| c == "needs"), "{needs:?}");
    let mut client = app.client();
    let first = json_of(
        &client
            .api_get(
                &format!("{list}?category=needs&limit=1"),
                &[("authorization", &read)],
            )
            .await,
    );
    if needs.len() > 1 {
        let next = first["next"].as_str().unwrap();
        assert!(next.contains("category=needs"), "{next}");
    }
    let since = walk(
        &app,
        &read,
        &format!("{list}?since=2026-12-01"),
        "learned_on",
    )
    .await;
    assert!(since.iter().all(|d| d.as_str().unwrap() >= "2026-12-01"));

    for (address, param) in [
        (format!("{list}?category=gossip"), "category"),
        (format!("{list}?since=gestern"), "since"),
        (format!("{list}?since=2026-13-01"), "since"),
        (format!("{list}?limit=0"), "limit"),
        (format!("{list}?after=x"), "after"),
        (format!("{list}?colour=red"), "colour"),
        ("/api/v1/people/abc/insights".to_owned(), "id"),
        ("/api/v1/insights/1.5".to_owned(), "id"),
    ] {
        let body = problem(
            &client.api_get(&address, &[("authorization", &read)]).await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(
            body["invalid_params"][0]["name"], param,
            "{address}: {body}"
        );
    }
    for address in [
        "/api/v1/people/9223372036854775807/insights",
        "/api/v1/accounts/999999/insights",
        "/api/v1/insights/999999",
    ] {
        problem(
            &client.api_get(address, &[("authorization", &read)]).await,
            StatusCode::NOT_FOUND,
        );
    }
    // No token, no list; and the lists take no other method.
    problem(&client.api_get(&list, &[]).await, StatusCode::UNAUTHORIZED);
    let put = client
        .api_request("PUT", &list, &[("authorization", &read)])
        .await;
    problem(&put, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn a_confidential_insight_is_only_for_those_who_read_it_on_the_pages() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let author = token_of(&app, "krueger", "write").await;
    let secret = "Vertraulich: der Einkaufsleiter wechselt im Frühjahr zum Wettbewerb.";
    let mut client = app.client();
    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/insights", ids.partner),
            &[("authorization", author.as_str())],
            json!({"category": "environment", "text": secret, "confidential": true}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(json_of(&made)["confidential"], true);
    let id = json_of(&made)["id"].as_i64().unwrap();

    // Krüger wrote it; Schneider administers; Yılmaz works in a unit beside his, the guest in
    // the managing director's secretariat: not above his unit.
    for (user, sees) in [
        ("krueger", true),
        ("schneider", true),
        ("yilmaz", false),
        ("gast", false),
    ] {
        let bearer = token_of(&app, user, "read").await;
        let auth = [("authorization", bearer.as_str())];
        let one = client
            .api_get(&format!("/api/v1/insights/{id}"), &auth)
            .await;
        let lists = [
            format!("/api/v1/people/{}/insights", ids.partner),
            format!("/api/v1/accounts/{}/insights?limit=200", ids.account),
            format!(
                "/api/v1/people/{}/insights?category=environment",
                ids.partner
            ),
        ];
        let mut in_lists = Vec::new();
        for list in &lists {
            in_lists.push(ids_of(&walk(&app, &bearer, list, "id").await).contains(&id));
        }
        // The person page, as the same user reads it.
        let mut browser = app.login(user).await;
        let on_page =
            unescape(&browser.get(&format!("/people/{}", ids.partner)).await.body).contains(secret);
        assert_eq!(on_page, sees, "{user} on the page");
        if sees {
            assert_eq!(one.status, StatusCode::OK, "{user}: {}", one.body);
            assert_eq!(json_of(&one)["text"], secret);
            assert_eq!(in_lists, [true, true, true], "{user}");
        } else {
            problem(&one, StatusCode::NOT_FOUND);
            assert!(!one.body.contains("Einkaufsleiter"), "{user}");
            assert_eq!(in_lists, [false, false, false], "{user}");
        }
    }
    // Its author's change that leaves `confidential` out keeps it confidential.
    let read = client
        .api_get(
            &format!("/api/v1/insights/{id}"),
            &[("authorization", author.as_str())],
        )
        .await;
    let changed = client
        .api_send(
            "PUT",
            &format!("/api/v1/insights/{id}"),
            &[
                ("authorization", author.as_str()),
                ("if-match", &etag(&read)),
            ],
            json!({"category": "environment", "text": secret}).to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(json_of(&changed)["confidential"], true);
    assert!(
        app.db
            .store
            .insight(InsightId::new(id))
            .await
            .unwrap()
            .confidential
    );

    // Nor can one who may not read it change or withdraw it: it does not exist for them.
    let other = token_of(&app, "yilmaz", "write").await;
    for method in ["PUT", "DELETE"] {
        let answer = client
            .api_send(
                method,
                &format!("/api/v1/insights/{id}"),
                &[("authorization", other.as_str()), ("if-match", "\"v1\"")],
                json!({"category": "needs", "text": "Überschrieben"}).to_string(),
            )
            .await;
        problem(&answer, StatusCode::NOT_FOUND);
    }
    let stored = app.db.store.insight(InsightId::new(id)).await.unwrap();
    assert_eq!((stored.text.as_str(), stored.withdrawn), (secret, false));
}

#[tokio::test]
async fn wrong_insights_are_refused_naming_the_field_and_others_change_nothing() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let people = format!("/api/v1/people/{}/insights", ids.partner);
    let before = count_rows(&app.db.store, "insights").await;
    for (body, field) in [
        (json!({"text": "Ohne Kategorie"}), "body"),
        (json!({"category": "gossip", "text": "x"}), "category"),
        (json!({"category": "needs", "text": ""}), "text"),
        (json!({"category": "needs", "text": "  \n "}), "text"),
        (json!({"category": "needs", "text": "Klingel\u{7}"}), "text"),
        (
            json!({"category": "needs", "text": "x".repeat(4001)}),
            "text",
        ),
        (
            json!({"category": "needs", "text": "x", "learned_on": "31.02.2026"}),
            "learned_on",
        ),
        (
            json!({"category": "needs", "text": "x", "learned_on": "2026-12-01", "valid_until": "2026-11-30"}),
            "valid_until",
        ),
        (
            json!({"category": "needs", "text": "x", "source_id": 999_999}),
            "source_id",
        ),
        (
            json!({"category": "needs", "text": "x", "certainty": "sure"}),
            "certainty",
        ),
        (
            json!({"category": "needs", "text": "x", "confidential": "yes"}),
            "confidential",
        ),
        (
            json!({"category": "needs", "text": "x", "author_id": 1}),
            "author_id",
        ),
    ] {
        let refused = client
            .api_send("POST", &people, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    // About a person of our own house: the pages record insights about partners only.
    let own = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/insights", ids.person),
            &auth,
            json!({"category": "needs", "text": "x"}).to_string(),
        )
        .await;
    let body = problem(&own, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["detail"].as_str().unwrap().contains("own house"),
        "{body}"
    );
    for address in [
        "/api/v1/people/999999/insights",
        "/api/v1/accounts/999999/insights",
    ] {
        let nowhere = client
            .api_send(
                "POST",
                address,
                &auth,
                json!({"category": "needs", "text": "x"}).to_string(),
            )
            .await;
        problem(&nowhere, StatusCode::NOT_FOUND);
    }
    problem(
        &client
            .api_send("POST", &people, &auth, "{\"category\": ")
            .await,
        StatusCode::BAD_REQUEST,
    );
    problem(
        &client
            .api_send(
                "POST",
                &people,
                &[
                    ("authorization", write.as_str()),
                    ("content-type", "text/plain"),
                ],
                "needs",
            )
            .await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    );
    assert_eq!(
        count_rows(&app.db.store, "insights").await,
        before,
        "nothing was recorded"
    );

    // A read token, and an editor who did not write it, change nothing (an open one of his,
    // which she reads).
    let krueger = app.db.store.user_named("krueger").await.unwrap().id;
    let stored = app
        .db
        .store
        .insights_about_account(
            AccountId::new(ids.account),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.insight.author_id == krueger && !v.insight.confidential)
        .expect("an open insight of his")
        .insight;
    let insight = format!("/api/v1/insights/{}", stored.id);
    let tag = format!("\"v{}\"", stored.version);
    let reader = token_of(&app, "krueger", "read").await;
    let clerk = token_of(&app, "yilmaz", "write").await;
    for (token, status) in [
        (&reader, StatusCode::FORBIDDEN),
        (&clerk, StatusCode::FORBIDDEN),
    ] {
        for method in ["PUT", "DELETE"] {
            let refused = client
                .api_send(
                    method,
                    &insight,
                    &[("authorization", token.as_str()), ("if-match", &tag)],
                    json!({"category": "needs", "text": "Überschrieben"}).to_string(),
                )
                .await;
            problem(&refused, status);
        }
    }
    let refused = client
        .api_send(
            "POST",
            &people,
            &[("authorization", reader.as_str())],
            "not even json",
        )
        .await;
    let body = problem(&refused, StatusCode::FORBIDDEN);
    assert!(body["detail"].as_str().unwrap().contains("read"), "{body}");
    assert_eq!(app.db.store.insight(stored.id).await.unwrap(), stored);
    // A change's wrong field is named as well, and changes nothing.
    let wrong = client
        .api_send(
            "PUT",
            &insight,
            &[("authorization", write.as_str()), ("if-match", &tag)],
            json!({"category": "needs", "text": "x", "valid_until": "bald"}).to_string(),
        )
        .await;
    assert_eq!(
        named_fields(&problem(&wrong, StatusCode::UNPROCESSABLE_ENTITY)),
        ["valid_until"]
    );
}

#[tokio::test]
async fn a_mail_client_finds_the_sender_by_address_and_logs_the_contact() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let partner = app
        .db
        .store
        .person(PersonId::new(ids.partner))
        .await
        .unwrap();
    let address = partner
        .email
        .clone()
        .expect("the demo's partner has an address");

    // The sender, found by address across organizations (without regard to case).
    let query = serde_urlencoded::to_string([("email", address.to_uppercase())]).unwrap();
    let found = json_of(
        &client
            .api_get(&format!("/api/v1/people?{query}"), &auth)
            .await,
    );
    assert_eq!(found["items"][0]["id"], ids.partner, "{found}");
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["next"], Value::Null);
    let nobody = json_of(
        &client
            .api_get("/api/v1/people?email=niemand%40example.org", &auth)
            .await,
    );
    assert_eq!(nobody["items"], json!([]));

    // The mail, logged as a contact with what was learned in it.
    let before = count_rows(&app.db.store, "insights").await;
    let logged = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/contacts", ids.partner),
            &auth,
            json!({
                "kind": "email",
                "summary": "Rückfrage zur Sammelrechnung Dezember; Antwort bis Freitag zugesagt.",
                "learned": {"category": "needs", "text": "Will die Rechnungen künftig je Standort."},
            })
            .to_string(),
        )
        .await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let body = json_of(&logged);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        logged.headers["location"],
        format!("/api/v1/contacts/{id}").as_str()
    );
    assert_eq!(etag(&logged), "\"v1\"");
    assert_eq!(body["partner_id"], ids.partner);
    assert_eq!(body["kind"], "email");
    assert_eq!(body["happened_on"], app_today(&app));
    assert_eq!(body["also_ids"], json!([]));
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Interaction, id).await,
        1
    );
    assert_eq!(count_rows(&app.db.store, "insights").await, before + 1);
    let learned = walk(
        &app,
        &write,
        &format!(
            "/api/v1/people/{}/insights?since={}",
            ids.partner,
            app_today(&app)
        ),
        "text",
    )
    .await;
    assert!(
        learned.contains(&json!("Will die Rechnungen künftig je Standort.")),
        "{learned:?}"
    );

    // Read, listed (by kind and day), and on the person's page.
    let path = format!("/api/v1/contacts/{id}");
    let read = client.api_get(&path, &auth).await;
    assert_eq!(json_of(&read), body);
    let again = client
        .api_get(
            &path,
            &[("authorization", &write), ("if-none-match", "\"v1\"")],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    for list in [
        format!("/api/v1/people/{}/contacts?limit=1", ids.partner),
        format!("/api/v1/people/{}/contacts?kind=email", ids.partner),
        format!(
            "/api/v1/accounts/{}/contacts?since={}",
            ids.account,
            app_today(&app)
        ),
    ] {
        assert!(
            ids_of(&walk(&app, &write, &list, "id").await).contains(&id),
            "{list}"
        );
    }
    let calls = walk(
        &app,
        &write,
        &format!("/api/v1/people/{}/contacts?kind=call", ids.partner),
        "kind",
    )
    .await;
    assert!(calls.iter().all(|k| k == "call"));
    let mut browser = app.login("gast").await;
    assert!(
        unescape(&browser.get(&format!("/people/{}", ids.partner)).await.body)
            .contains("Rückfrage zur Sammelrechnung Dezember")
    );

    // A logged contact is not changed or removed afterwards: the pages offer neither.
    for method in ["PUT", "DELETE", "PATCH"] {
        let answer = client.api_request(method, &path, &auth).await;
        problem(&answer, StatusCode::METHOD_NOT_ALLOWED);
        let allow = answer.headers["allow"].to_str().unwrap();
        assert!(allow.contains("GET") && !allow.contains(method), "{allow}");
    }
}

#[tokio::test]
async fn a_contact_on_an_account_names_who_else_was_there_and_wrong_ones_are_refused() {
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let store = &app.db.store;
    let contacts = store
        .key_contacts(AccountId::new(ids.account))
        .await
        .unwrap();
    let (met, also) = (contacts[0].person_id.get(), contacts[1].person_id.get());
    let colleague = store
        .user_named("yilmaz")
        .await
        .unwrap()
        .person_id
        .unwrap()
        .get();
    let on_account = format!("/api/v1/accounts/{}/contacts", ids.account);
    let logged = client
        .api_send(
            "POST",
            &on_account,
            &auth,
            json!({
                "partner_id": met,
                "kind": "meeting",
                "summary": "Jahresgespräch: Verlängerung des Rahmenvertrags besprochen.",
                "happened_on": "2026-11-20",
                "also_ids": [colleague, also, also],
            })
            .to_string(),
        )
        .await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let body = json_of(&logged);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["account_id"], ids.account);
    assert_eq!(body["partner_id"], met);
    let mut others = vec![colleague, also];
    others.sort_unstable();
    assert_eq!(body["also_ids"], json!(others), "each once, by id");
    assert_eq!(
        audit_count(&app.db.store, EntityKind::Interaction, id).await,
        1
    );
    assert!(
        ids_of(
            &walk(
                &app,
                &write,
                &format!("{on_account}?kind=meeting&limit=1"),
                "id"
            )
            .await
        )
        .contains(&id)
    );

    let before = count_rows(store, "interactions").await;
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(2)).to_string();
    let many: Vec<i64> = (1..=21).collect();
    for (body, field) in [
        (
            json!({"partner_id": met, "kind": "telepathy", "summary": "x"}),
            "kind",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": ""}),
            "summary",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x\u{1b}[31m"}),
            "summary",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x".repeat(2001)}),
            "summary",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "happened_on": tomorrow}),
            "happened_on",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "also_ids": [999_999]}),
            "also_ids",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "also_ids": many}),
            "also_ids",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "learned": {"category": "needs", "text": ""}}),
            "learned.text",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "learned": {"category": "gossip", "text": "y"}}),
            "learned.category",
        ),
        (
            json!({"partner_id": 999_999, "kind": "call", "summary": "x"}),
            "partner_id",
        ),
        (
            json!({"partner_id": met, "kind": "call", "summary": "x", "account_id": 1}),
            "account_id",
        ),
    ] {
        let refused = client
            .api_send("POST", &on_account, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    // On a person's log: an account that does not exist is that field's problem; a person
    // of our own house is no partner; an unknown person is 404.
    let refused = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{met}/contacts"),
            &auth,
            json!({"kind": "call", "summary": "x", "account_id": 999_999}).to_string(),
        )
        .await;
    assert_eq!(
        named_fields(&problem(&refused, StatusCode::UNPROCESSABLE_ENTITY)),
        ["account_id"]
    );
    let own = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/contacts", ids.person),
            &auth,
            json!({"kind": "call", "summary": "x"}).to_string(),
        )
        .await;
    problem(&own, StatusCode::UNPROCESSABLE_ENTITY);
    for address in [
        "/api/v1/people/999999/contacts".to_owned(),
        "/api/v1/accounts/999999/contacts".to_owned(),
    ] {
        let body = if address.starts_with("/api/v1/accounts") {
            json!({"partner_id": met, "kind": "call", "summary": "x"})
        } else {
            json!({"kind": "call", "summary": "x"})
        };
        problem(
            &client
                .api_send("POST", &address, &auth, body.to_string())
                .await,
            StatusCode::NOT_FOUND,
        );
    }
    // A read token logs nothing.
    let reader = token_of(&app, "krueger", "read").await;
    let refused = client
        .api_send(
            "POST",
            &on_account,
            &[("authorization", reader.as_str())],
            json!({"partner_id": met, "kind": "call", "summary": "x"}).to_string(),
        )
        .await;
    problem(&refused, StatusCode::FORBIDDEN);
    assert_eq!(
        count_rows(store, "interactions").await,
        before,
        "nothing logged"
    );

    // The lists' parameters are checked like every other list's.
    for (address, param) in [
        (format!("{on_account}?kind=fax"), "kind"),
        (format!("{on_account}?since=letzte%20Woche"), "since"),
        (
            "/api/v1/people?email=".to_owned() + &"x".repeat(255),
            "email",
        ),
        ("/api/v1/people?mail=a%40b.de".to_owned(), "mail"),
        ("/api/v1/contacts/abc".to_owned(), "id"),
    ] {
        let body = problem(
            &client.api_get(&address, &auth).await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(
            body["invalid_params"][0]["name"], param,
            "{address}: {body}"
        );
    }
    problem(
        &client.api_get("/api/v1/contacts/999999", &auth).await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn knowledge_holds_on_postgres() {
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
            &format!("/api/v1/people/{}/insights", ids.partner),
            &auth,
            json!({"category": "needs", "text": "Auf PostgreSQL.", "confidential": true})
                .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = json_of(&made)["id"].as_i64().unwrap();
    let list = format!(
        "/api/v1/accounts/{}/insights?category=needs&limit=1",
        ids.account
    );
    assert!(ids_of(&walk(&app, &write, &list, "id").await).contains(&id));
    let guest = token_of(&app, "gast", "read").await;
    assert!(!ids_of(&walk(&app, &guest, &list, "id").await).contains(&id));
    let stale = client
        .api_send(
            "PUT",
            &format!("/api/v1/insights/{id}"),
            &[("authorization", write.as_str()), ("if-match", "\"v0\"")],
            json!({"category": "needs", "text": "x"}).to_string(),
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);
    let partner = app
        .db
        .store
        .person(PersonId::new(ids.partner))
        .await
        .unwrap();
    let query =
        serde_urlencoded::to_string([("email", partner.email.unwrap().to_uppercase())]).unwrap();
    let found = json_of(
        &client
            .api_get(&format!("/api/v1/people?{query}"), &auth)
            .await,
    );
    assert_eq!(found["items"][0]["id"], ids.partner);
    let logged = client
        .api_send(
            "POST",
            &format!("/api/v1/people/{}/contacts", ids.partner),
            &auth,
            json!({"kind": "call", "summary": "Auf PostgreSQL angerufen."}).to_string(),
        )
        .await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let contact = json_of(&logged)["id"].as_i64().unwrap();
    let calls = format!("/api/v1/people/{}/contacts?kind=call&limit=1", ids.partner);
    assert!(ids_of(&walk(&app, &write, &calls, "id").await).contains(&contact));
}
