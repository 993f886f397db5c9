//! The API's relationships: key contacts, counterpart assignments and their ratings, the
//! importance criteria and a member's ratings, keep/never locks, the mirror's suggestions
//! and the KAM matrix — each write through the page's use case with an audit row, a lost
//! race 412 naming who won it, a wrong field 422 naming it, a read token 403.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{AccountId, AssignmentId, KeyContactId, OrganizationId, PersonId};
use counterpart_core::matrix::sort_by_importance;
use counterpart_store::{Actor, AuditFilter, Store};
use serde_json::{Value, json};

use crate::api_write::{etag, json_of, named_fields, problem, token_of};
use crate::support::routes::Ids;
use crate::support::{Client, TestApp, audit_count, today};

/// Every audit row there is: what a refused write must leave as it was.
async fn all_audit(store: &Store) -> usize {
    store
        .audit_entries(&AuditFilter {
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

async fn display_name(store: &Store, user: &str) -> String {
    store.user_named(user).await.unwrap().display_name
}

/// Follows `next` from `first` to the end; the items read, in order.
async fn walk(client: &mut Client, bearer: &str, first: &str, limit: usize) -> Vec<Value> {
    let mut items = Vec::new();
    let mut next = Some(first.to_owned());
    let mut pages = 0;
    while let Some(address) = next {
        let page = client.api_get(&address, &[("authorization", bearer)]).await;
        assert_eq!(page.status, StatusCode::OK, "{address}: {}", page.body);
        let body = json_of(&page);
        let read = body["items"].as_array().unwrap();
        assert!(read.len() <= limit, "{address}: {} items", read.len());
        next = body["next"].as_str().map(str::to_owned);
        if next.is_some() {
            assert_eq!(read.len(), limit, "only the last page is short");
        }
        items.extend(read.iter().cloned());
        pages += 1;
        assert!(pages < 1000, "the walk ends");
    }
    items
}

/// The ids of `items`.
fn ids_of(items: &[Value]) -> Vec<i64> {
    items.iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// A person of the account's organization who is not a key contact of it yet.
async fn not_yet_key_contact(store: &Store, account: i64) -> i64 {
    let account = store.account(AccountId::new(account)).await.unwrap();
    let contacts: BTreeSet<PersonId> = store
        .key_contacts(account.id)
        .await
        .unwrap()
        .iter()
        .map(|k| k.person_id)
        .collect();
    store
        .people(account.organization_id, None, false, 10_000, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.id)
        .find(|p| !contacts.contains(p))
        .expect("someone at the account who is no key contact yet")
        .get()
}

#[tokio::test]
async fn key_contacts_are_listed_added_changed_and_removed_with_an_audit_row_each() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let list = format!("/api/v1/accounts/{}/key-contacts", ids.account);

    // The list, walked two at a time, is the account's key contacts, each once, by id.
    let read = walk(&mut client, &write, &format!("{list}?limit=2"), 2).await;
    let mut stored: Vec<i64> = store
        .key_contacts(AccountId::new(ids.account))
        .await
        .unwrap()
        .iter()
        .map(|k| k.id.get())
        .collect();
    stored.sort_unstable();
    assert!(
        stored.len() > 2,
        "the demo account has contacts to page through"
    );
    assert_eq!(ids_of(&read), stored);
    let first = &read[0];
    let person = store
        .person(PersonId::new(first["person_id"].as_i64().unwrap()))
        .await
        .unwrap();
    assert_eq!(first["person_name"], person.display_name().as_str());

    // Added: 201 with its address and version, one audit row.
    let newcomer = not_yet_key_contact(store, ids.account).await;
    let made = client
        .api_send(
            "POST",
            &list,
            &auth,
            json!({"person_id": newcomer, "role": "influencer", "stance": "positive", "influence": 4})
                .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/key-contacts/{id}").as_str()
    );
    assert_eq!(etag(&made), format!("\"v{}\"", body["version"]));
    assert_eq!(body["role"], "influencer");
    assert_eq!(body["account_id"], ids.account);
    let stored = store.key_contact(KeyContactId::new(id)).await.unwrap();
    assert_eq!(stored.person_id.get(), newcomer);
    assert_eq!(stored.influence, 4);
    assert_eq!(audit_count(store, EntityKind::KeyContact, id).await, 1);
    // The account page lists them now.
    let mut browser = app.login("gast").await;
    let newcomer_name = store
        .person(PersonId::new(newcomer))
        .await
        .unwrap()
        .display_name();
    browser
        .get(&format!("/accounts/{}", ids.account))
        .await
        .assert_contains(&newcomer_name);

    // Changed with the version read; the old version is a lost race naming who won.
    let path = format!("/api/v1/key-contacts/{id}");
    let read = client.api_get(&path, &auth).await;
    assert_eq!(read.status, StatusCode::OK);
    let tag = etag(&read);
    let changed = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"role": "decision_maker", "stance": "supporter", "influence": 5}).to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(json_of(&changed)["role"], "decision_maker");
    assert_ne!(etag(&changed), tag);
    assert_eq!(audit_count(store, EntityKind::KeyContact, id).await, 2);
    let stale = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"role": "user", "stance": "critical", "influence": 1}).to_string(),
        )
        .await;
    let lost = problem(&stale, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        lost["changed_by"],
        display_name(store, "krueger").await.as_str()
    );
    assert!(lost["changed_at"].is_string(), "{lost}");
    let kept = store.key_contact(KeyContactId::new(id)).await.unwrap();
    assert_eq!(kept.influence, 5, "nothing overwritten");

    // Wrong fields are named; nothing is written.
    let audit_before = all_audit(store).await;
    for (method, address, body, field) in [
        (
            "PUT",
            path.as_str(),
            json!({"role": "boss", "stance": "positive", "influence": 3}),
            "role",
        ),
        (
            "PUT",
            path.as_str(),
            json!({"role": "user", "stance": "positive", "influence": 9}),
            "influence",
        ),
        (
            "PUT",
            path.as_str(),
            json!({"role": "user", "stance": "positive", "influence": 3, "person_id": 1}),
            "person_id",
        ),
        (
            "POST",
            list.as_str(),
            json!({"person_id": newcomer, "role": "user", "stance": "neutral", "influence": 2}),
            "person_id",
        ),
        (
            "POST",
            list.as_str(),
            json!({"person_id": ids.person, "role": "user", "stance": "neutral", "influence": 2}),
            "person_id",
        ),
        (
            "POST",
            list.as_str(),
            json!({"person_id": 999_999, "role": "user", "stance": "neutral", "influence": 2}),
            "person_id",
        ),
    ] {
        let refused = client
            .api_send(
                method,
                address,
                &[("authorization", &write), ("if-match", &etag(&changed))],
                body.to_string(),
            )
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            named_fields(&problem).iter().any(|f| f == field),
            "{body}: {problem}"
        );
    }
    assert_eq!(all_audit(store).await, audit_before, "nothing written");

    // Removed only with the version read: without it 428, with an old one 412.
    let without = client.api_request("DELETE", &path, &auth).await;
    problem(&without, StatusCode::PRECONDITION_REQUIRED);
    let old = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
        )
        .await;
    problem(&old, StatusCode::PRECONDITION_FAILED);
    let removed = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &etag(&changed))],
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert!(removed.body.is_empty());
    assert_eq!(audit_count(store, EntityKind::KeyContact, id).await, 3);
    problem(&client.api_get(&path, &auth).await, StatusCode::NOT_FOUND);
    let again = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &etag(&changed))],
        )
        .await;
    problem(&again, StatusCode::NOT_FOUND);
    problem(
        &client
            .api_get("/api/v1/accounts/999999/key-contacts", &auth)
            .await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn counterparts_are_listed_by_account_and_person_assigned_given_an_interval_and_ended() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    // By account: the current counterparts of its key contacts, as its page shows them.
    let of_account = walk(
        &mut client,
        &write,
        &format!("/api/v1/accounts/{}/assignments?limit=3", ids.account),
        3,
    )
    .await;
    let mut expected = Vec::new();
    for contact in store
        .key_contacts(AccountId::new(ids.account))
        .await
        .unwrap()
    {
        for view in store
            .counterparts_of(
                contact.person_id,
                false,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap()
        {
            expected.push(view.assignment.id.get());
        }
    }
    expected.sort_unstable();
    expected.dedup();
    assert_eq!(ids_of(&of_account), expected);
    assert!(of_account.iter().all(|a| a["valid_to"].is_null()));

    // By person, from either side.
    let of_partner = json_of(
        &client
            .api_get(
                &format!("/api/v1/people/{}/assignments", ids.partner),
                &auth,
            )
            .await,
    );
    assert!(
        ids_of(of_partner["items"].as_array().unwrap()).contains(&ids.assignment),
        "{of_partner}"
    );
    let ours = of_partner["items"][0]["our_id"].as_i64().unwrap();
    let of_ours = walk(
        &mut client,
        &write,
        &format!("/api/v1/people/{ours}/assignments?limit=200"),
        200,
    )
    .await;
    assert!(of_ours.iter().all(|a| a["our_id"] == ours), "{of_ours:?}");
    assert!(of_ours.iter().any(|a| a["partner_id"] == ids.partner));

    // Assigned as deputy by someone of ours who holds them not yet.
    let holders: BTreeSet<i64> = store
        .counterparts_of(
            PersonId::new(ids.partner),
            false,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .iter()
        .map(|v| v.assignment.our_id.get())
        .collect();
    let own = store
        .people(OrganizationId::new(ids.own), None, false, 10_000, 0)
        .await
        .unwrap();
    let deputy = own
        .iter()
        .map(|p| p.person.id.get())
        .find(|p| !holders.contains(p))
        .unwrap();
    let made = client
        .api_send(
            "POST",
            "/api/v1/assignments",
            &auth,
            json!({"partner_id": ids.partner, "our_id": deputy, "kind": "deputy"}).to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        made.headers["location"],
        format!("/api/v1/assignments/{id}").as_str()
    );
    assert_eq!(body["kind"], "deputy");
    assert_eq!(body["valid_from"], today().to_string());
    assert_eq!(body["health"], "unrated");
    assert_eq!(audit_count(store, EntityKind::Assignment, id).await, 1);
    let page = app
        .login("gast")
        .await
        .get(&format!("/people/{}", ids.partner))
        .await;
    let deputy_name = store
        .person(PersonId::new(deputy))
        .await
        .unwrap()
        .display_name();
    page.assert_contains(&deputy_name);

    // Wrong sides and kinds are named; nothing is written.
    let audit_before = all_audit(store).await;
    for (body, field) in [
        (
            json!({"partner_id": ids.partner, "our_id": deputy, "kind": "deputy"}),
            "our_id",
        ),
        (
            json!({"partner_id": ids.partner, "our_id": ids.partner, "kind": "deputy"}),
            "our_id",
        ),
        (
            json!({"partner_id": 999_999, "our_id": deputy, "kind": "deputy"}),
            "partner_id",
        ),
        (
            json!({"partner_id": ids.partner, "our_id": deputy, "kind": "boss"}),
            "kind",
        ),
        (
            json!({"partner_id": ids.partner, "our_id": ours, "kind": "primary", "valid_from": "31.02.2026"}),
            "valid_from",
        ),
    ] {
        let refused = client
            .api_send("POST", "/api/v1/assignments", &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            named_fields(&problem).iter().any(|f| f == field),
            "{body}: {problem}"
        );
    }
    assert_eq!(all_audit(store).await, audit_before, "nothing written");

    // The contact interval, as the relationship page sets it.
    let path = format!("/api/v1/assignments/{id}");
    let tag = etag(&made);
    let set = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"contact_every_days": 30}).to_string(),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(json_of(&set)["contact_every_days"], 30);
    assert_eq!(
        store.pair_contact(AssignmentId::new(id)).await.unwrap().1,
        Some(30)
    );
    let too_often = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&set))],
            json!({"contact_every_days": 0}).to_string(),
        )
        .await;
    let body = problem(&too_often, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&body), ["contact_every_days"]);

    // Ended with the version read: an old one is 412 naming who changed it, a day before
    // the first is 422 naming `valid_to`.
    let stale = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
        )
        .await;
    let lost = problem(&stale, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        lost["changed_by"],
        display_name(store, "krueger").await.as_str()
    );
    let early = client
        .api_request(
            "DELETE",
            &format!("{path}?valid_to=2000-01-01"),
            &[("authorization", &write), ("if-match", &etag(&set))],
        )
        .await;
    let body = problem(&early, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(named_fields(&body), ["valid_to"]);
    let unknown = client
        .api_request(
            "DELETE",
            &format!("{path}?until=2000-01-01"),
            &[("authorization", &write), ("if-match", &etag(&set))],
        )
        .await;
    problem(&unknown, StatusCode::BAD_REQUEST);
    let ended = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", &etag(&set))],
        )
        .await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
    let stored = store.assignment(AssignmentId::new(id)).await.unwrap();
    assert_eq!(stored.valid_to, Some(today()));
    assert_eq!(
        audit_count(store, EntityKind::Assignment, id).await,
        3,
        "assigned, interval, ended"
    );
    // An ended assignment is read still, and listed with `ended=true` only.
    let read = json_of(&client.api_get(&path, &auth).await);
    assert!(read["valid_to"].is_string(), "{read}");
    let current = json_of(
        &client
            .api_get(&format!("/api/v1/people/{deputy}/assignments"), &auth)
            .await,
    );
    assert!(!ids_of(current["items"].as_array().unwrap()).contains(&id));
    let all = json_of(
        &client
            .api_get(
                &format!("/api/v1/people/{deputy}/assignments?ended=true"),
                &auth,
            )
            .await,
    );
    assert!(ids_of(all["items"].as_array().unwrap()).contains(&id));
    problem(
        &client.api_get("/api/v1/assignments/999999", &auth).await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn a_relationship_is_rated_and_its_ratings_read_in_order() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let list = format!("/api/v1/assignments/{}/ratings", ids.assignment);
    let before = walk(&mut client, &write, &format!("{list}?limit=1"), 1).await;
    let stored = store
        .ratings(AssignmentId::new(ids.assignment))
        .await
        .unwrap();
    assert_eq!(before.len(), stored.len());

    let made = client
        .api_send(
            "POST",
            &list,
            &auth,
            json!({
                "rated_on": "2026-11-30",
                "relationship": 4,
                "partnership": 3,
                "satisfaction": 5,
                "comment": "Gutes Gespräch über die Ausschreibung",
            })
            .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(
        body["rated_by_name"],
        display_name(store, "krueger").await.as_str()
    );
    assert_eq!(body["rated_on"], "2026-11-30");
    let location = made.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{list}/{id}"));
    assert_eq!(etag(&made), format!("\"r{id}\""));
    assert_eq!(audit_count(store, EntityKind::Rating, id).await, 1);

    // Its address answers the same, and 304 to its tag.
    let read = client.api_get(&location, &auth).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(json_of(&read), body);
    let held = client
        .api_get(
            &location,
            &[("authorization", &write), ("if-none-match", &etag(&made))],
        )
        .await;
    assert_eq!(held.status, StatusCode::NOT_MODIFIED);
    problem(
        &client.api_get(&format!("{list}/999999"), &auth).await,
        StatusCode::NOT_FOUND,
    );
    // Listed last, and shown on the relationship page.
    let after = walk(&mut client, &write, &format!("{list}?limit=2"), 2).await;
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last().unwrap()["id"], id);
    app.login("gast")
        .await
        .get(&format!("/assignments/{}", ids.assignment))
        .await
        .assert_contains("Gutes Gespräch über die Ausschreibung");

    let audit_before = all_audit(store).await;
    for (body, field) in [
        (
            json!({"relationship": 6, "partnership": 3, "satisfaction": 3}),
            "relationship",
        ),
        (
            json!({"relationship": 3, "partnership": 0, "satisfaction": 3}),
            "partnership",
        ),
        (
            json!({"rated_on": "gestern", "relationship": 3, "partnership": 3, "satisfaction": 3}),
            "rated_on",
        ),
        (
            json!({"relationship": 3, "partnership": 3, "satisfaction": 3, "comment": "a\u{1b}b"}),
            "comment",
        ),
        (json!({"relationship": 3, "partnership": 3}), "body"),
    ] {
        let refused = client
            .api_send("POST", &list, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    assert_eq!(all_audit(store).await, audit_before, "nothing written");
    let nowhere = client
        .api_send(
            "POST",
            "/api/v1/assignments/999999/ratings",
            &auth,
            json!({"relationship": 3, "partnership": 3, "satisfaction": 3}).to_string(),
        )
        .await;
    problem(&nowhere, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn criteria_are_read_by_everyone_and_changed_by_administrators() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let viewer = token_of(&app, "gast", "read").await;
    let editor = token_of(&app, "krueger", "write").await;
    let admin = token_of(&app, "schneider", "write").await;
    let mut client = app.client();

    let list = client
        .api_get("/api/v1/criteria", &[("authorization", &viewer)])
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let stored: Vec<i64> = store
        .criteria()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.get())
        .collect();
    assert_eq!(ids_of(json_of(&list)["items"].as_array().unwrap()), stored);
    let held = client
        .api_get(
            "/api/v1/criteria",
            &[("authorization", &viewer), ("if-none-match", &etag(&list))],
        )
        .await;
    assert_eq!(held.status, StatusCode::NOT_MODIFIED);

    let new = json!({
        "name_de": "Innovationskraft",
        "name_en": "Capacity to innovate",
        "description_de": "1 = folgt, 5 = treibt den Markt",
        "scope": "customer",
        "weight": 12.5,
    });
    // An editor may rate, but the criteria are the administrators'.
    let refused = client
        .api_send(
            "POST",
            "/api/v1/criteria",
            &[("authorization", &editor)],
            new.to_string(),
        )
        .await;
    problem(&refused, StatusCode::FORBIDDEN);
    let made = client
        .api_send(
            "POST",
            "/api/v1/criteria",
            &[("authorization", &admin)],
            new.to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let body = json_of(&made);
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["scope"], "customer");
    assert_eq!(body["weight"], 12.5);
    assert_eq!(body["description_en"], "");
    assert_eq!(audit_count(store, EntityKind::Criterion, id).await, 1);
    app.login("gast")
        .await
        .get("/importance")
        .await
        .assert_contains("Innovationskraft");

    let path = format!("/api/v1/criteria/{id}");
    let read = client.api_get(&path, &[("authorization", &viewer)]).await;
    assert_eq!(etag(&read), etag(&made));
    let changed = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &admin), ("if-match", &etag(&read))],
            json!({"name_de": "Innovation", "name_en": "Innovation", "scope": "all", "weight": 20})
                .to_string(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(json_of(&changed)["description_de"], "", "left out, emptied");
    assert_eq!(audit_count(store, EntityKind::Criterion, id).await, 2);
    let stale = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &admin), ("if-match", &etag(&read))],
            json!({"name_de": "X", "name_en": "X", "scope": "all", "weight": 1}).to_string(),
        )
        .await;
    let lost = problem(&stale, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        lost["changed_by"],
        display_name(store, "schneider").await.as_str()
    );
    for (body, field) in [
        (
            json!({"name_de": "X", "name_en": "X", "scope": "all", "weight": 101}),
            "weight",
        ),
        (
            json!({"name_de": "", "name_en": "X", "scope": "all", "weight": 1}),
            "name_de",
        ),
        (
            json!({"name_de": "X", "name_en": "X", "scope": "galaxy", "weight": 1}),
            "scope",
        ),
        (
            json!({"name_de": "X", "name_en": "X\u{0}", "scope": "all", "weight": 1}),
            "name_en",
        ),
    ] {
        let refused = client
            .api_send(
                "PUT",
                &path,
                &[("authorization", &admin), ("if-match", &etag(&changed))],
                body.to_string(),
            )
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    let criterion = store
        .criteria()
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.id.get() == id)
        .unwrap();
    assert_eq!(criterion.name_de, "Innovation", "nothing overwritten");
    problem(
        &client
            .api_get("/api/v1/criteria/999999", &[("authorization", &viewer)])
            .await,
        StatusCode::NOT_FOUND,
    );
    let _ = ids;
}

#[tokio::test]
async fn a_members_importance_ratings_are_set_only_from_those_they_read() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let krueger = store.user_named("krueger").await.unwrap().id;
    let account = AccountId::new(ids.account);

    // The account's importance as its page shows it.
    let importance = json_of(
        &client
            .api_get(
                &format!("/api/v1/accounts/{}/importance", ids.account),
                &auth,
            )
            .await,
    );
    let lines = importance["criteria"].as_array().unwrap();
    assert!(!lines.is_empty(), "{importance}");
    let criterion = lines[0]["criterion_id"].as_i64().unwrap();
    let second = lines[1]["criterion_id"].as_i64().unwrap();
    // A criterion for other accounts (a supplier's, say) is not rated here.
    let elsewhere = store
        .criteria()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id.get())
        .find(|c| !lines.iter().any(|l| l["criterion_id"] == *c))
        .expect("a criterion that does not apply to the account");
    let score = store.account_score(account).await.unwrap();
    assert_eq!(importance["score"], json!(score.as_ref().map(|s| s.value)));

    // Their own ratings, with a tag of them.
    let path = format!("/api/v1/accounts/{}/importance/mine", ids.account);
    let mine = client.api_get(&path, &auth).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let held = store.member_ratings(krueger, account).await.unwrap();
    assert_eq!(
        json_of(&mine)["ratings"].as_array().unwrap().len(),
        held.len()
    );
    let tag = etag(&mine);
    assert!(tag.starts_with("\"r"), "{tag}");

    let set = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"ratings": [{"criterion_id": criterion, "score": 5}, {"criterion_id": second, "score": 2}]})
                .to_string(),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_ne!(etag(&set), tag);
    let now = store.member_ratings(krueger, account).await.unwrap();
    assert_eq!(
        now.iter()
            .map(|(c, s)| (c.get(), *s))
            .collect::<BTreeSet<_>>(),
        BTreeSet::from([(criterion, 5), (second, 2)]),
        "every criterion not named is not rated any more"
    );
    assert!(audit_count(store, EntityKind::ImportanceRating, ids.account).await >= 2);
    let line = json_of(
        &client
            .api_get(
                &format!("/api/v1/accounts/{}/importance", ids.account),
                &auth,
            )
            .await,
    )["criteria"][0]
        .clone();
    assert_eq!(line["mine"], 5);

    // What they read before is gone: 412 naming them, and nothing changes.
    let audit_before = all_audit(store).await;
    let stale = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &tag)],
            json!({"ratings": [{"criterion_id": criterion, "score": 1}]}).to_string(),
        )
        .await;
    let lost = problem(&stale, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        lost["changed_by"],
        display_name(store, "krueger").await.as_str()
    );
    let without = client
        .api_send("PUT", &path, &auth, json!({"ratings": []}).to_string())
        .await;
    problem(&without, StatusCode::PRECONDITION_REQUIRED);
    let unquoted = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", "r123")],
            json!({"ratings": []}).to_string(),
        )
        .await;
    problem(&unquoted, StatusCode::PRECONDITION_FAILED);
    for (body, field) in [
        (
            json!({"ratings": [{"criterion_id": criterion, "score": 7}]}),
            "ratings[0].score",
        ),
        (
            json!({"ratings": [{"criterion_id": 999_999, "score": 3}]}),
            "ratings[0].criterion_id",
        ),
        (
            json!({"ratings": [{"criterion_id": criterion, "score": 3}, {"criterion_id": elsewhere, "score": 3}]}),
            "ratings[1].criterion_id",
        ),
        (
            json!({"ratings": [{"criterion_id": criterion, "score": 3}, {"criterion_id": criterion, "score": 4}]}),
            "ratings[1].criterion_id",
        ),
        (
            json!({"ratings": [{"criterion_id": criterion, "score": "high"}]}),
            "ratings[0].score",
        ),
    ] {
        let refused = client
            .api_send(
                "PUT",
                &path,
                &[("authorization", &write), ("if-match", &etag(&set))],
                body.to_string(),
            )
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    assert_eq!(all_audit(store).await, audit_before, "nothing written");
    assert_eq!(store.member_ratings(krueger, account).await.unwrap(), now);

    // Withdrawn all at once with the tag read.
    let cleared = client
        .api_send(
            "PUT",
            &path,
            &[("authorization", &write), ("if-match", &etag(&set))],
            json!({"ratings": []}).to_string(),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert!(
        store
            .member_ratings(krueger, account)
            .await
            .unwrap()
            .is_empty()
    );
    problem(
        &client
            .api_get("/api/v1/accounts/999999/importance/mine", &auth)
            .await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn locks_are_listed_made_and_lifted_only_as_they_were_read() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let own: Vec<i64> = store
        .people(OrganizationId::new(ids.own), None, false, 3, 0)
        .await
        .unwrap()
        .iter()
        .map(|p| p.person.id.get())
        .collect();

    for ours in &own {
        let made = client
            .api_send(
                "POST",
                "/api/v1/locks",
                &auth,
                json!({"partner_id": ids.partner, "our_id": ours, "rule": "never"}).to_string(),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
        assert_eq!(etag(&made), "\"never\"");
        assert_eq!(
            made.headers["location"],
            format!("/api/v1/locks/{}/{ours}", ids.partner).as_str()
        );
        assert_eq!(
            json_of(&made)["set_by"],
            display_name(store, "krueger").await.as_str()
        );
    }
    assert_eq!(
        audit_count(store, EntityKind::Lock, ids.partner).await,
        own.len()
    );
    // The list, two at a time, and the account's suggestions show them.
    let listed = walk(&mut client, &write, "/api/v1/locks?limit=2", 2).await;
    let pairs: Vec<(i64, i64)> = listed
        .iter()
        .map(|l| {
            (
                l["partner_id"].as_i64().unwrap(),
                l["our_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut expected: Vec<(i64, i64)> = own.iter().map(|o| (ids.partner, *o)).collect();
    expected.sort_unstable();
    assert_eq!(pairs, expected);
    let of_account = json_of(
        &client
            .api_get(&format!("/api/v1/locks?account={}", ids.account), &auth)
            .await,
    );
    assert_eq!(of_account["items"].as_array().unwrap().len(), own.len());
    let suggestions = json_of(
        &client
            .api_get(
                &format!("/api/v1/accounts/{}/suggestions", ids.account),
                &auth,
            )
            .await,
    );
    assert_eq!(suggestions["locks"].as_array().unwrap().len(), own.len());
    assert!(
        suggestions["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !(p["partner_id"] == ids.partner
                && own.contains(&p["our_id"].as_i64().unwrap()))),
        "never proposed: {suggestions}"
    );

    // A pair locked already, one of theirs as ours, ourselves: named, nothing written.
    let audit_before = all_audit(store).await;
    for (body, field) in [
        (
            json!({"partner_id": ids.partner, "our_id": own[0], "rule": "keep"}),
            "our_id",
        ),
        (
            json!({"partner_id": ids.partner, "our_id": ids.partner, "rule": "keep"}),
            "our_id",
        ),
        (
            json!({"partner_id": 999_999, "our_id": own[0], "rule": "keep"}),
            "partner_id",
        ),
        (
            json!({"partner_id": ids.partner, "our_id": own[0], "rule": "always"}),
            "rule",
        ),
    ] {
        let refused = client
            .api_send("POST", "/api/v1/locks", &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    assert_eq!(all_audit(store).await, audit_before, "nothing written");

    // Lifted only while it is the rule read.
    let path = format!("/api/v1/locks/{}/{}", ids.partner, own[0]);
    let read = client.api_get(&path, &auth).await;
    assert_eq!(etag(&read), "\"never\"");
    assert_eq!(json_of(&read)["rule"], "never");
    let wrong = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"keep\"")],
        )
        .await;
    let lost = problem(&wrong, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        lost["changed_by"],
        display_name(store, "krueger").await.as_str()
    );
    let nonsense = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"v3\"")],
        )
        .await;
    problem(&nonsense, StatusCode::PRECONDITION_FAILED);
    problem(
        &client.api_request("DELETE", &path, &auth).await,
        StatusCode::PRECONDITION_REQUIRED,
    );
    assert!(
        store
            .lock(PersonId::new(ids.partner), PersonId::new(own[0]))
            .await
            .unwrap()
            .is_some()
    );
    let lifted = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"never\"")],
        )
        .await;
    assert_eq!(lifted.status, StatusCode::NO_CONTENT, "{}", lifted.body);
    assert_eq!(
        audit_count(store, EntityKind::Lock, ids.partner).await,
        own.len() + 1
    );
    problem(&client.api_get(&path, &auth).await, StatusCode::NOT_FOUND);
    let gone = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"never\"")],
        )
        .await;
    problem(&gone, StatusCode::NOT_FOUND);
    for (address, param) in [
        ("/api/v1/locks?after=12", "after"),
        ("/api/v1/locks?after=a:b", "after"),
        ("/api/v1/locks?account=x", "account"),
        ("/api/v1/locks?limit=0", "limit"),
        ("/api/v1/locks/x/1", "partner_id"),
        ("/api/v1/locks/1/y", "our_id"),
    ] {
        let body = problem(
            &client.api_get(address, &auth).await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(body["invalid_params"][0]["name"], param, "{address}");
    }
}

#[tokio::test]
async fn suggestions_are_read_in_words_and_accepted_as_the_page_does() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    // An account whose suggestions change something.
    let mut found = None;
    for account in store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        let id = account.account.id.get();
        let body = json_of(
            &client
                .api_get(&format!("/api/v1/accounts/{id}/suggestions"), &auth)
                .await,
        );
        if body["changes"].as_u64().unwrap() > 0 {
            found = Some((id, body));
            break;
        }
    }
    let (account, suggestions) = found.expect("the demo has an account to improve");
    assert_eq!(suggestions["account_id"], account);
    let proposals = suggestions["proposals"].as_array().unwrap();
    assert_eq!(
        proposals.len() as u64,
        suggestions["changes"].as_u64().unwrap()
    );
    let first = &proposals[0];
    assert!(
        first["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.is_string())
            && !first["reasons"].as_array().unwrap().is_empty(),
        "explained in words: {first}"
    );
    assert!(first["partner_name"].as_str().unwrap().len() > 1);
    for p in proposals {
        // A replacement names whom it replaces.
        assert_eq!(
            p["current_id"].is_null(),
            p["current_name"].is_null(),
            "{p}"
        );
        assert_eq!(p["change"] == "replace", !p["current_id"].is_null(), "{p}");
    }
    let optimality = suggestions["optimality"].as_str().unwrap();
    assert!(optimality.contains("optimal"), "{optimality}");
    let german = json_of(
        &client
            .api_get(
                &format!("/api/v1/accounts/{account}/suggestions?lang=de"),
                &auth,
            )
            .await,
    );
    assert_eq!(german["fingerprint"], suggestions["fingerprint"]);
    assert_ne!(german["optimality"], suggestions["optimality"]);
    assert!(
        german["optimality"]
            .as_str()
            .unwrap()
            .contains("Exakt optimal")
    );

    // Accepting all of another list than the one read accepts nothing.
    let assignments_before = audit_total(store, EntityKind::Assignment).await;
    let changed = client
        .api_send(
            "POST",
            "/api/v1/suggestions/accept",
            &auth,
            json!({"account_id": account, "fingerprint": "0000000000000000"}).to_string(),
        )
        .await;
    problem(&changed, StatusCode::CONFLICT);
    for (body, field) in [
        (json!({"account_id": account}), "picks"),
        (json!({"account_id": account, "picks": []}), "picks"),
        (
            json!({"account_id": account, "picks": [], "fingerprint": "x"}),
            "picks",
        ),
        (
            json!({"account_id": 999_999, "fingerprint": suggestions["fingerprint"]}),
            "account_id",
        ),
        (
            json!({"account_id": account, "unit_id": 1, "fingerprint": "x"}),
            "unit_id",
        ),
        (
            json!({"account_id": account, "picks": [{"partner_id": 1, "our_id": 2, "kind": "boss"}]}),
            "picks[0].kind",
        ),
        (
            json!({"account_id": account, "picks": [
                {"partner_id": suggestions["proposals"][0]["partner_id"], "our_id": 999_999, "kind": "primary"}
            ]}),
            "picks[0].our_id",
        ),
    ] {
        let refused = client
            .api_send(
                "POST",
                "/api/v1/suggestions/accept",
                &auth,
                body.to_string(),
            )
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), [field], "{body}: {problem}");
    }
    assert_eq!(
        audit_total(store, EntityKind::Assignment).await,
        assignments_before
    );

    // All of the list read: each proposal becomes an assignment from today, audited.
    let accepted = client
        .api_send(
            "POST",
            "/api/v1/suggestions/accept",
            &auth,
            json!({"account_id": account, "fingerprint": suggestions["fingerprint"]}).to_string(),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let made = json_of(&accepted)["accepted"].as_u64().unwrap();
    assert_eq!(made, suggestions["changes"].as_u64().unwrap());
    assert!(audit_total(store, EntityKind::Assignment).await >= assignments_before + made as usize);
    for p in proposals {
        let holders = store
            .counterparts_of(
                PersonId::new(p["partner_id"].as_i64().unwrap()),
                false,
                &counterpart_store::Visibility::everything(),
            )
            .await
            .unwrap();
        assert!(
            holders
                .iter()
                .any(|v| v.assignment.our_id.get() == p["our_id"].as_i64().unwrap()),
            "{p}"
        );
    }
    let after = json_of(
        &client
            .api_get(&format!("/api/v1/accounts/{account}/suggestions"), &auth)
            .await,
    );
    assert_ne!(after["fingerprint"], suggestions["fingerprint"]);

    // The portfolio's, and one unit's.
    let portfolio = client.api_get("/api/v1/suggestions", &auth).await;
    assert_eq!(portfolio.status, StatusCode::OK, "{}", portfolio.body);
    let portfolio = json_of(&portfolio);
    assert!(portfolio["account_id"].is_null() && portfolio["subject"].is_null());
    assert!(portfolio["proposals"].as_array().unwrap().len() <= 300);
    for (address, status) in [
        ("/api/v1/suggestions?unit=999999", StatusCode::NOT_FOUND),
        ("/api/v1/suggestions?lang=fr", StatusCode::BAD_REQUEST),
        (
            "/api/v1/suggestions?deputies=maybe",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/v1/accounts/999999/suggestions", StatusCode::NOT_FOUND),
    ] {
        problem(&client.api_get(address, &auth).await, status);
    }
}

async fn audit_total(store: &Store, entity: EntityKind) -> usize {
    store
        .audit_entries(&AuditFilter {
            entity: Some(entity),
            limit: 100_000,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

/// The account ids of the matrix in its order, as the store holds them.
async fn matrix_order(store: &Store, filter: &counterpart_store::AccountFilter) -> Vec<i64> {
    let mut accounts = store
        .matrix_accounts(filter, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    sort_by_importance(&mut accounts, |a| a);
    accounts.iter().map(|a| a.id.get()).collect()
}

#[tokio::test]
async fn the_matrix_is_read_page_by_page_in_the_order_of_its_page() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let viewer = token_of(&app, "gast", "read").await;
    let auth = [("authorization", viewer.as_str())];
    let mut client = app.client();

    let rows = walk(&mut client, &viewer, "/api/v1/matrix?limit=2", 2).await;
    let order: Vec<i64> = rows
        .iter()
        .map(|r| r["account"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, matrix_order(store, &Default::default()).await);
    assert!(order.len() > 2);
    // As the page shows it: the first two rows in this order.
    let page = app.login("gast").await.get("/matrix").await;
    let link = |i: usize| format!("<a href=\"/accounts/{}\">", order[i]);
    let (a, b) = (
        page.body.find(&link(0)).expect("first row"),
        page.body.find(&link(1)).expect("second row"),
    );
    assert!(a < b, "{} before {}", order[0], order[1]);

    // Each row: one cell per level, the account's key contacts in them, gaps counted.
    let first = json_of(&client.api_get("/api/v1/matrix?limit=1", &auth).await);
    let levels = first["levels"].as_array().unwrap();
    assert_eq!(levels.len(), store.levels().await.unwrap().len());
    let row = &first["items"][0];
    assert_eq!(row["cells"].as_array().unwrap().len(), levels.len());
    let mut people: Vec<i64> = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["contacts"].as_array().unwrap().clone())
        .chain(row["unleveled"].as_array().unwrap().clone())
        .map(|c| c["person_id"].as_i64().unwrap())
        .collect();
    people.sort_unstable();
    let mut expected: Vec<i64> = store
        .key_contacts(AccountId::new(row["account"]["id"].as_i64().unwrap()))
        .await
        .unwrap()
        .iter()
        .map(|k| k.person_id.get())
        .collect();
    expected.sort_unstable();
    assert_eq!(people, expected);
    assert_eq!(row["contacts"], expected.len());
    assert_eq!(
        first["next"],
        format!("/api/v1/matrix?limit=1&after={}", row["account"]["id"])
    );

    // The page's filters, kept on every page.
    let suppliers = walk(
        &mut client,
        &viewer,
        "/api/v1/matrix?relation=supplier&limit=1",
        1,
    )
    .await;
    let supplier_filter = counterpart_store::AccountFilter {
        relation: Some("supplier".parse().unwrap()),
        ..Default::default()
    };
    assert_eq!(
        suppliers
            .iter()
            .map(|r| r["account"]["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        matrix_order(store, &supplier_filter).await
    );
    // A walk goes on after an account that has left the list meanwhile.
    let second = order[1];
    store
        .set_account_active(
            &Actor::system(),
            AccountId::new(second),
            store.account(AccountId::new(second)).await.unwrap().version,
            false,
        )
        .await
        .unwrap();
    let rest = json_of(
        &client
            .api_get(&format!("/api/v1/matrix?after={second}&limit=200"), &auth)
            .await,
    );
    let rest: Vec<i64> = rest["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["account"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(rest, order[2..].to_vec());

    for (address, param) in [
        ("/api/v1/matrix?tier=Z", "tier"),
        ("/api/v1/matrix?relation=both", "relation"),
        ("/api/v1/matrix?after=abc", "after"),
        ("/api/v1/matrix?limit=201", "limit"),
        ("/api/v1/matrix?page=2", "page"),
    ] {
        let body = problem(
            &client.api_get(address, &auth).await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(body["invalid_params"][0]["name"], param, "{address}");
    }
    problem(
        &client.api_get("/api/v1/matrix?after=999999", &auth).await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn a_read_token_changes_no_relationship() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let read = token_of(&app, "krueger", "read").await;
    let viewer = token_of(&app, "gast", "read").await;
    let mut client = app.client();
    let before = all_audit(store).await;
    let writes = [
        (
            "POST",
            format!("/api/v1/accounts/{}/key-contacts", ids.account),
        ),
        ("PUT", format!("/api/v1/key-contacts/{}", ids.contact)),
        ("DELETE", format!("/api/v1/key-contacts/{}", ids.contact)),
        ("POST", "/api/v1/assignments".to_owned()),
        ("PUT", format!("/api/v1/assignments/{}", ids.assignment)),
        ("DELETE", format!("/api/v1/assignments/{}", ids.assignment)),
        (
            "POST",
            format!("/api/v1/assignments/{}/ratings", ids.assignment),
        ),
        ("POST", "/api/v1/criteria".to_owned()),
        ("PUT", format!("/api/v1/criteria/{}", ids.criterion)),
        (
            "PUT",
            format!("/api/v1/accounts/{}/importance/mine", ids.account),
        ),
        ("POST", "/api/v1/locks".to_owned()),
        (
            "DELETE",
            format!("/api/v1/locks/{}/{}", ids.partner, ids.person),
        ),
        ("POST", "/api/v1/suggestions/accept".to_owned()),
    ];
    for token in [&read, &viewer] {
        for (method, address) in &writes {
            // 403 before anything of the request is looked at: no body, no If-Match.
            let refused = client
                .api_send(
                    method,
                    address,
                    &[("authorization", token)],
                    "not even json",
                )
                .await;
            let body = problem(&refused, StatusCode::FORBIDDEN);
            assert!(
                body["detail"].as_str().unwrap().contains("read"),
                "{method} {address}: {body}"
            );
        }
    }
    assert_eq!(all_audit(store).await, before, "nothing written");
    // Without a token, nothing at all.
    for (method, address) in &writes {
        let page = client.api_send(method, address, &[], "{}").await;
        problem(&page, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn relationships_hold_on_postgres() {
    let Some(app) = TestApp::demo_postgres().await else {
        return;
    };
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();

    let newcomer = not_yet_key_contact(store, ids.account).await;
    let made = client
        .api_send(
            "POST",
            &format!("/api/v1/accounts/{}/key-contacts", ids.account),
            &auth,
            json!({"person_id": newcomer, "role": "user", "stance": "neutral", "influence": 2})
                .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = json_of(&made)["id"].as_i64().unwrap();
    let stale = client
        .api_request(
            "DELETE",
            &format!("/api/v1/key-contacts/{id}"),
            &[("authorization", &write), ("if-match", "\"v0\"")],
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);

    let lock = client
        .api_send(
            "POST",
            "/api/v1/locks",
            &auth,
            json!({"partner_id": ids.partner, "our_id": ids.person, "rule": "keep"}).to_string(),
        )
        .await;
    assert_eq!(lock.status, StatusCode::CREATED, "{}", lock.body);
    let path = format!("/api/v1/locks/{}/{}", ids.partner, ids.person);
    let wrong = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"never\"")],
        )
        .await;
    problem(&wrong, StatusCode::PRECONDITION_FAILED);
    let lifted = client
        .api_request(
            "DELETE",
            &path,
            &[("authorization", &write), ("if-match", "\"keep\"")],
        )
        .await;
    assert_eq!(lifted.status, StatusCode::NO_CONTENT);

    let mine = format!("/api/v1/accounts/{}/importance/mine", ids.account);
    let read = client.api_get(&mine, &auth).await;
    let set = client
        .api_send(
            "PUT",
            &mine,
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({"ratings": [{"criterion_id": ids.criterion, "score": 4}]}).to_string(),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let stale = client
        .api_send(
            "PUT",
            &mine,
            &[("authorization", &write), ("if-match", &etag(&read))],
            json!({"ratings": []}).to_string(),
        )
        .await;
    problem(&stale, StatusCode::PRECONDITION_FAILED);

    let rows = walk(&mut client, &write, "/api/v1/matrix?limit=3", 3).await;
    let order: Vec<i64> = rows
        .iter()
        .map(|r| r["account"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, matrix_order(store, &Default::default()).await);
}

#[tokio::test]
async fn no_wrong_id_body_or_header_is_a_server_error() {
    let app = TestApp::demo().await;
    let write = token_of(&app, "schneider", "write").await;
    let mut client = app.client();
    let routes = [
        ("GET", "/accounts/{x}/key-contacts"),
        ("POST", "/accounts/{x}/key-contacts"),
        ("GET", "/key-contacts/{x}"),
        ("PUT", "/key-contacts/{x}"),
        ("DELETE", "/key-contacts/{x}"),
        ("GET", "/accounts/{x}/assignments"),
        ("GET", "/people/{x}/assignments"),
        ("POST", "/assignments"),
        ("GET", "/assignments/{x}"),
        ("PUT", "/assignments/{x}"),
        ("DELETE", "/assignments/{x}"),
        ("GET", "/assignments/{x}/ratings"),
        ("POST", "/assignments/{x}/ratings"),
        ("GET", "/assignments/{x}/ratings/{x}"),
        ("GET", "/criteria/{x}"),
        ("PUT", "/criteria/{x}"),
        ("POST", "/criteria"),
        ("GET", "/accounts/{x}/importance"),
        ("GET", "/accounts/{x}/importance/mine"),
        ("PUT", "/accounts/{x}/importance/mine"),
        ("GET", "/locks/{x}/{x}"),
        ("DELETE", "/locks/{x}/{x}"),
        ("POST", "/locks"),
        ("GET", "/accounts/{x}/suggestions"),
        ("POST", "/suggestions/accept"),
    ];
    let bodies = [
        "",
        "null",
        "[]",
        "{}",
        r#"{"person_id": -1, "role": "user", "stance": "neutral", "influence": 3}"#,
        r#"{"partner_id": 9223372036854775807, "our_id": -5, "kind": "primary", "valid_from": "2026-02-30"}"#,
        r#"{"relationship": 1e400, "partnership": 3, "satisfaction": 3}"#,
        r#"{"ratings": [{"criterion_id": -1, "score": 9223372036854775807}]}"#,
        r#"{"contact_every_days": -9223372036854775808}"#,
        r#"{"name_de": "X", "name_en": "Y", "scope": "all", "weight": -0.0}"#,
        r#"{"picks": [{"partner_id": -1, "our_id": -1, "kind": "deputy"}]}"#,
    ];
    for x in [
        "abc",
        "-1",
        "0",
        "9223372036854775807",
        "99999999999999999999",
        "%00",
    ] {
        for (method, template) in routes {
            let path = format!("/api/v1{}", template.replace("{x}", x));
            for tag in ["\"v1\"", "\"never\"", "*", "W/\"v-1\""] {
                let headers = [("authorization", write.as_str()), ("if-match", tag)];
                let answers = if method == "GET" || method == "DELETE" {
                    vec![client.api_request(method, &path, &headers).await]
                } else {
                    let mut answers = Vec::new();
                    for body in bodies {
                        answers.push(client.api_send(method, &path, &headers, body).await);
                    }
                    answers
                };
                for answer in answers {
                    assert!(
                        answer.status.is_success()
                            || answer.status.is_client_error()
                            || answer.status == StatusCode::NOT_MODIFIED,
                        "{method} {path} ({tag}): {} {}",
                        answer.status,
                        answer.body
                    );
                    if answer.status.is_client_error() {
                        assert_eq!(
                            answer.headers["content-type"], "application/problem+json",
                            "{method} {path}"
                        );
                    }
                }
            }
        }
    }
}
