//! Erasure (Art. 17 DSGVO) proved on the demo: erasing one of ours (Jörg Krüger, the demo's
//! editor, with insights, contacts, ratings and jour-fixe contributions) and a partner person
//! (Florian Schößler) leaves their name, e-mail address and phone numbers on no page of the
//! route table for any demo user, in no search, export, feed or full dump. Only administrators
//! erase, after a confirmation; two erasures at once never fail with a server error; the
//! retention review lists people without activity and erases them in bulk.

use std::io::Read;

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::{PersonId, SeriesId};
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::Person;
use counterpart_store::testing::{World, backdate_person};
use counterpart_store::{AuditFilter, OrganizationFilter, Store};

use crate::support::routes::{Ids, Method, ROUTES};
use crate::support::{Client, TestApp, unescape};

/// How a person could be found: name (with and without title), e-mail, phones.
fn traces(person: &Person) -> Vec<String> {
    let mut all = vec![
        person.display_name(),
        format!(
            "{} {}",
            person.given_name.clone().unwrap_or_default(),
            person.family_name
        ),
    ];
    all.extend(
        [&person.email, &person.phone, &person.mobile]
            .into_iter()
            .flatten()
            .cloned(),
    );
    all
}

#[track_caller]
fn assert_clean(what: &str, text: &str, traces: &[String]) {
    let text = unescape(text);
    for trace in traces {
        assert!(
            !text.contains(trace.as_str()),
            "{what} still holds {trace:?}"
        );
    }
}

/// The text of every part of an xlsx file (shared strings and sheets).
fn xlsx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        if part.name().is_ok_and(|n| n.ends_with(".xml")) {
            part.read_to_string(&mut text).unwrap();
        }
    }
    text
}

async fn partner_named(store: &Store, family: &str) -> Person {
    for account in store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        for contact in store.key_contacts(account.account.id).await.unwrap() {
            let person = store.person(contact.person_id).await.unwrap();
            if person.family_name == family {
                return person;
            }
        }
    }
    panic!("no key contact named {family}");
}

/// A secret feed address from the page a `create` post answers with.
fn address(body: &str, prefix: &str) -> String {
    let start = body.find(prefix).expect("the new address");
    body[start..]
        .chars()
        .take_while(|c| *c != '"' && *c != '<' && !c.is_whitespace())
        .collect()
}

async fn erase(admin: &mut Client, id: PersonId) {
    let page = admin.get(&format!("/privacy/people/{id}/erase")).await;
    assert_eq!(page.status, StatusCode::OK);
    let done = admin
        .post(
            &format!("/privacy/people/{id}/erase"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/privacy?erased=1");
}

#[tokio::test]
async fn an_erased_person_is_on_no_page_search_export_feed_or_dump() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let krueger = store.user_named("krueger").await.unwrap();
    let joerg = store.person(krueger.person_id.unwrap()).await.unwrap();
    let florian = partner_named(store, "Schößler").await;
    assert_ne!(
        florian.id.get(),
        ids.partner,
        "the route table's partner stays"
    );
    let mut traces = [traces(&joerg), traces(&florian)].concat();
    traces.extend(krueger.email.clone());
    assert!(traces.len() >= 5, "{traces:?}");

    // What there is of them before.
    let mut admin = app.login("schneider").await;
    let before = admin
        .get(&format!("/privacy/people/{}/access", joerg.id))
        .await;
    for section in [
        "insights_by",
        "contacts_by",
        "ratings_given",
        "contributions",
    ] {
        assert!(
            before.body.contains(&format!("id=\"{section}\"")),
            "{section}"
        );
    }
    let confirm = admin
        .get(&format!("/privacy/people/{}/erase", joerg.id))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let shown = unescape(&confirm.body);
    for words in [
        "Wird gelöscht",
        "Bleibt, ohne ihren Namen",
        "Positionen: 1 Eintrag",
        "Ihre Aufgaben",
    ] {
        assert!(shown.contains(words), "{words}:\n{shown}");
    }
    // Without the box ticked: the field is named, nothing changes.
    let unconfirmed = admin
        .post(&format!("/privacy/people/{}/erase", joerg.id), &[])
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    unconfirmed.assert_contains("Bestätigung");
    assert!(store.person(joerg.id).await.is_ok());

    // An API token of his: it speaks for him before, for nobody after.
    let mut his = app.login("krueger").await;
    his.get("/account/tokens").await;
    let made = his
        .post(
            "/account/tokens",
            &[("label", "Abgleich"), ("scope", "read"), ("days", "30")],
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
    let me = program
        .api_get("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("Krüger"), "{}", me.body);
    // A lock he set through the API on a pair of others: it stays, set by nobody named.
    let his_writer = crate::api_write::token_of(&app, "krueger", "write").await;
    let other_of_ours = store
        .people(joerg.organization_id, None, false, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.id.get())
        .find(|p| *p != joerg.id.get())
        .unwrap();
    let locked = program
        .api_send(
            "POST",
            "/api/v1/locks",
            &[("authorization", &his_writer)],
            serde_json::json!({"partner_id": ids.partner, "our_id": other_of_ours, "rule": "keep"})
                .to_string(),
        )
        .await;
    assert_eq!(locked.status, StatusCode::CREATED, "{}", locked.body);
    assert!(locked.body.contains("Krüger"), "{}", locked.body);

    erase(&mut admin, joerg.id).await;
    erase(&mut admin, florian.id).await;
    store.run_jobs("test").await.unwrap();
    let after = program
        .api_get("/api/v1/me", &[("authorization", &bearer)])
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    for trace in &traces {
        assert!(!after.body.contains(trace.as_str()), "{trace} in the API");
    }
    // Gone: the person page and the report find nobody; the erased user cannot log in.
    assert_eq!(
        admin.get(&format!("/people/{}", joerg.id)).await.status,
        StatusCode::NOT_FOUND
    );
    let (refused, _) = app.try_login("krueger", "demo").await;
    assert_ne!(refused.status, StatusCode::SEE_OTHER);

    // Every page of the route table, as every demo user left.
    let mut walked = 0;
    for user in ["schneider", "yilmaz", "gast"] {
        let mut client = app.login(user).await;
        for &(method, template, _) in ROUTES {
            if method != Method::Get {
                continue;
            }
            let path = ids.fill(template);
            let page = client.get(&path).await;
            assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
            assert_clean(&format!("{path} as {user}"), &page.body, &traces);
            walked += 1;
        }
    }
    assert!(walked > 150, "{walked} pages");

    // Every resource of the API, as a viewer's token reads it: the erased are not there.
    let viewer_bearer = {
        let mut guest = app.login("gast").await;
        let made = guest
            .post(
                "/account/tokens",
                &[
                    ("label", "Nach der Löschung"),
                    ("scope", "read"),
                    ("days", "7"),
                ],
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
        format!("Bearer {secret}")
    };
    let auth = [("authorization", viewer_bearer.as_str())];
    for person in [joerg.id, florian.id] {
        for what in ["", "/insights", "/contacts"] {
            let gone = program
                .api_get(&format!("/api/v1/people/{person}{what}"), &auth)
                .await;
            assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        }
    }
    let mut addresses = vec![
        "/api/v1/organizations?inactive=true&limit=200".to_owned(),
        "/api/v1/accounts?inactive=true&limit=200".to_owned(),
        format!("/api/v1/accounts/{}", ids.account),
        format!("/api/v1/people/{}", ids.partner),
        format!("/api/v1/accounts/{}/insights?limit=200", ids.account),
        format!("/api/v1/accounts/{}/contacts?limit=200", ids.account),
        format!("/api/v1/people/{}/insights?limit=200", ids.partner),
        format!("/api/v1/people/{}/contacts?limit=200", ids.partner),
        "/api/v1/series?cancelled=true&limit=200".to_owned(),
        format!("/api/v1/series/{}/meetings?limit=200", ids.series),
        format!("/api/v1/meetings/{}", ids.meeting),
        format!("/api/v1/meetings/{}/agenda", ids.meeting),
    ];
    for address in [&joerg.email, &florian.email].into_iter().flatten() {
        let query = serde_urlencoded::to_string([("email", address)]).unwrap();
        addresses.push(format!("/api/v1/people?inactive=true&{query}"));
    }
    for organization in [joerg.organization_id, florian.organization_id] {
        addresses.push(format!("/api/v1/organizations/{organization}"));
        addresses.push(format!("/api/v1/organizations/{organization}/units"));
    }
    // The relationships: key contacts, counterparts, ratings, importance, locks, suggestions,
    // the matrix.
    addresses.extend([
        format!("/api/v1/accounts/{}/key-contacts?limit=200", ids.account),
        format!("/api/v1/accounts/{}/assignments?limit=200", ids.account),
        format!("/api/v1/people/{}/assignments?ended=true", ids.partner),
        format!("/api/v1/accounts/{}/importance", ids.account),
        format!("/api/v1/accounts/{}/suggestions?deputies=true", ids.account),
        "/api/v1/suggestions".to_owned(),
        "/api/v1/locks?limit=200".to_owned(),
        format!("/api/v1/locks/{}/{other_of_ours}", ids.partner),
        "/api/v1/criteria".to_owned(),
        "/api/v1/matrix?limit=200".to_owned(),
    ]);
    for assignment in store
        .counterparts_of(
            PersonId::new(ids.partner),
            true,
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
    {
        addresses.push(format!(
            "/api/v1/assignments/{}/ratings?limit=200",
            assignment.assignment.id
        ));
    }
    for address in &addresses {
        let answer = program.api_get(address, &auth).await;
        assert_eq!(answer.status, StatusCode::OK, "{address}: {}", answer.body);
        assert_clean(address, &answer.body, &traces);
    }
    // Searches for each trace.
    let mut viewer = app.login("gast").await;
    for trace in &traces {
        // All but the last character: the page repeats the query, which is no trace itself.
        let mut typed = trace.clone();
        typed.pop();
        let q: String = url_escape(&typed);
        for path in [
            format!("/search?q={q}"),
            format!("/search/quick?q={q}"),
            format!("/people?q={q}"),
            format!("/pick?scope=key-contacts&name=other_id&other_id_q={q}"),
        ] {
            let page = viewer.get(&path).await;
            assert_clean(&path, &page.body, &traces);
        }
        let page = admin
            .get(&format!("/pick?scope=all&name=person_id&person_id_q={q}"))
            .await;
        assert_clean("the administrators' search", &page.body, &traces);
    }
    for name in ["Krüger", "krueger", "Schößler", "schoessler"] {
        let page = viewer.get(&format!("/search?q={}", url_escape(name))).await;
        assert_clean(name, &page.body, &traces);
    }
    // Exports: the KAM matrix, and every organization's people and insights in each format.
    let (status, _, matrix) = admin
        .get_bytes("/matrix/export?sheet=current&sheet=internal&sheet=external")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_clean("the KAM matrix", &xlsx_text(&matrix), &traces);
    let organizations = store
        .organizations(&OrganizationFilter {
            include_inactive: true,
            ..Default::default()
        })
        .await
        .unwrap();
    for org in &organizations {
        for format in ["xlsx", "csv", "insights-csv", "vcf"] {
            let path = format!(
                "/organizations/{}/export?format={format}",
                org.organization.id
            );
            let (status, _, bytes) = admin.get_bytes(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            let text = if format == "xlsx" {
                xlsx_text(&bytes)
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            assert_clean(&path, &text, &traces);
        }
    }
    // Minutes of every meeting.
    for meeting in store.meetings_of(SeriesId::new(ids.series)).await.unwrap() {
        let page = admin
            .get(&format!("/meetings/{}/minutes.md", meeting.id))
            .await;
        assert_clean("the minutes", &page.body, &traces);
    }
    // Feeds: the unit digest of every unit of ours, and the calendar.
    let own = store.own_organization().await.unwrap().unwrap();
    let mut reader = app.client();
    for unit in store.units(own.id).await.unwrap() {
        let made = admin
            .post(
                &format!("/units/{}/digest/feed", unit.id),
                &[("create", "feed")],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK);
        let feed = reader.get(&address(&made.body, "/feeds/digest/")).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert_clean("a digest feed", &feed.body, &traces);
        let page = admin
            .get(&format!("/units/{}/digest?since=2020-01-01", unit.id))
            .await;
        assert_clean("a digest page", &page.body, &traces);
    }
    let made = admin
        .post("/jour-fixe/calendar", &[("create", "calendar")])
        .await;
    let feed = reader.get(&address(&made.body, "/feeds/calendar/")).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_clean(
        "the calendar feed",
        &feed.body.replace("\r\n ", ""),
        &traces,
    );
    // The full dump.
    let mut dump = Vec::new();
    store.dump(&mut dump).await.unwrap();
    assert_clean("the dump", &String::from_utf8(dump).unwrap(), &traces);
    // The audit log keeps a tombstone for each, by number.
    for person in [joerg.id, florian.id] {
        let tombstone = store
            .audit_entries(&AuditFilter {
                entity: Some(EntityKind::Erasure),
                entity_id: Some(person.get()),
                limit: 5,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(tombstone.len(), 1);
        assert_eq!(tombstone[0].label, format!("#{person}"));
    }
    // What Jörg said in the jour fixe stays, as a former colleague's.
    let minutes = admin
        .get(&format!("/meetings/{}/minutes", ids.meeting))
        .await;
    minutes.assert_contains("Früheres Teammitglied");
}

/// Percent-encodes a query value.
fn url_escape(text: &str) -> String {
    serde_urlencoded::to_string([("q", text)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn only_administrators_erase_and_two_erasures_at_once_do_not_fail() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let florian = partner_named(store, "Schößler").await;
    let path = format!("/privacy/people/{}/erase", florian.id);
    for user in ["krueger", "gast"] {
        let mut client = app.login(user).await;
        assert_eq!(client.get(&path).await.status, StatusCode::FORBIDDEN);
        let refused = client.post(&path, &[("confirm", "yes")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(store.person(florian.id).await.unwrap(), florian);
    // An administrator cannot erase their own person.
    let mut admin = app.login("schneider").await;
    let me = store
        .user_named("schneider")
        .await
        .unwrap()
        .person_id
        .unwrap();
    admin.get(&format!("/privacy/people/{me}/erase")).await;
    let own = admin
        .post(
            &format!("/privacy/people/{me}/erase"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    // Two erasures of one person at once: one wins, the other finds nobody.
    admin.get(&path).await;
    let mut second = app.login("schneider").await;
    second.get(&path).await;
    let fields = [("confirm", "yes")];
    let (a, b) = tokio::join!(admin.post(&path, &fields), second.post(&path, &fields));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses[0], StatusCode::SEE_OTHER, "{statuses:?}");
    assert!(
        statuses[1] == StatusCode::NOT_FOUND || statuses[1] == StatusCode::CONFLICT,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn the_retention_review_lists_dormant_people_and_erases_them_in_bulk() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let world = World::new(store);
    let org = world
        .organization("Altbestand GmbH", OrganizationKind::External)
        .await;
    let people = world
        .ladder(org, &["Olga Ohnekontakt", "Udo Unberührt"])
        .await;
    for person in &people {
        backdate_person(store, *person, 5 * 365).await;
    }
    let mut admin = app.login("schneider").await;
    let overview = admin.get("/privacy").await;
    overview.assert_contains("action=\"/privacy/retention\"");
    let review = admin.get("/privacy/retention?years=3").await;
    assert_eq!(review.status, StatusCode::OK);
    review.assert_contains("Olga Ohnekontakt");
    review.assert_contains("Udo Unberührt");
    review.assert_contains("2 Personen");
    // The demo's people are all active: only the two are listed.
    assert_eq!(review.values_of("person_id").len(), 2);
    let wrong = admin.get("/privacy/retention?years=21").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Jahre");
    admin.accept_language = "en".into();
    let english = admin.get("/privacy/retention?years=3").await;
    english.assert_contains("2 people");
    admin.accept_language = "de-DE".into();
    admin.get("/privacy/retention?years=3").await;

    // Choosing shows the confirmation, nothing erased yet.
    let chosen: Vec<(&str, String)> = people
        .iter()
        .map(|p| ("person_id", p.to_string()))
        .chain([("years", "3".to_owned())])
        .collect();
    let pairs: Vec<(&str, &str)> = chosen.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let confirm = admin.post("/privacy/retention/erase", &pairs).await;
    assert_eq!(confirm.status, StatusCode::OK);
    confirm.assert_contains("Diese Personen endgültig löschen?");
    assert!(store.person(people[0]).await.is_ok());
    // Too many at once, or nobody: the field is named.
    let many: Vec<String> = (1..=201).map(|i| i.to_string()).collect();
    let mut too_many: Vec<(&str, &str)> =
        many.iter().map(|id| ("person_id", id.as_str())).collect();
    too_many.push(("confirm", "yes"));
    let refused = admin.post("/privacy/retention/erase", &too_many).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Person:");
    let none = admin
        .post("/privacy/retention/erase", &[("confirm", "yes")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store.person(people[0]).await.is_ok());

    // Confirmed: both erased, each with its tombstone; the demo's active people are kept even
    // when chosen.
    let active = store.user_named("yilmaz").await.unwrap().person_id.unwrap();
    let mut confirmed = pairs.clone();
    let active_id = active.to_string();
    confirmed.push(("person_id", &active_id));
    confirmed.push(("confirm", "yes"));
    let done = admin.post("/privacy/retention/erase", &confirmed).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        done.location(),
        "/privacy/retention?years=3&erased=2&skipped=1"
    );
    let after = admin.get(done.location()).await;
    after.assert_contains("Gelöscht: 2 Personen");
    after.assert_contains("Niemand ist so lange ohne Aktivität.");
    for person in &people {
        assert!(store.person(*person).await.is_err());
        let tombstone = store
            .audit_entries(&AuditFilter {
                entity: Some(EntityKind::Erasure),
                entity_id: Some(person.get()),
                limit: 5,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(tombstone.len(), 1);
    }
    assert!(store.person(active).await.is_ok());
}
