//! Choosing a person among thousands: every picker is a search over the whole organization,
//! and no page lists everyone (issue 10: the page about one of our people once held 68,313
//! options and took 70,000 queries).

use axum::http::StatusCode;
use counterpart_core::exchange::mapping::detect;
use counterpart_core::exchange::read::{Limits, read_csv};
use counterpart_store::{Actor, ImportTarget};

use crate::support::TestApp;
use crate::support::routes::Ids;

#[tokio::test]
async fn pickers_search_the_whole_organization_and_pages_list_no_one() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    // An organization of 2,100 people: more than any list offered before.
    let org = store
        .create_organization(
            &Actor::system(),
            &counterpart_core::org::OrganizationInput::parse("Großkunde AG", "external", "")
                .unwrap(),
        )
        .await
        .unwrap();
    let mut csv = String::from("Vorname;Nachname;Position\n");
    for n in 0..2100 {
        csv.push_str(&format!("Vera;Muster{n:04};Referentin\n"));
    }
    csv.push_str("Zoë;Zweitausendeinhundert;Leiterin\n");
    let table = read_csv(csv.as_bytes(), &Limits::default()).unwrap();
    store
        .apply_import(
            &Actor::system(),
            ImportTarget::Existing(org.id),
            &table,
            &detect(&table.headers),
            None,
            &|_| {},
        )
        .await
        .unwrap();
    let last = store
        .search_people("Zweitausendeinhundert", Some(org.id), 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    let mut editor = app.login("krueger").await;

    // The person form: manager and assistant are searched, not listed.
    let form = editor.get(&format!("/people/{}/edit", last.id)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"id="f-reports_to_id-q""#));
    assert!(
        form.body.matches("<option").count() < 100,
        "the form lists no organization"
    );
    assert!(form.body.len() < 60_000, "{} bytes", form.body.len());
    let found = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&reports_to_id_q=zweitausend",
            org.id
        ))
        .await;
    found.assert_contains("Zweitausendeinhundert, Zoë – Leiterin");
    found.assert_contains(&format!(r#"value="{}""#, last.id));
    found.assert_contains("1 Treffer.");
    // Too many matches: the first twenty, and a hint to narrow the search.
    let many = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&optional=1&reports_to_id_q=muster",
            org.id
        ))
        .await;
    assert_eq!(
        many.body.matches(r#"type="radio""#).count(),
        21,
        "nobody + 20"
    );
    many.assert_contains("Die ersten 20 Treffer");
    // The current choice stays checked while searching; a search needs two letters.
    let keep = editor
        .get(&format!(
            "/pick?scope=org-{}&name=reports_to_id&reports_to_id_q=z&reports_to_id={}",
            org.id, last.id
        ))
        .await;
    keep.assert_contains(&format!(r#"value="{}" checked"#, last.id));
    keep.assert_contains("Mindestens zwei Buchstaben");
    // Saving with a picked manager works like the select did.
    let mut edit = form.form(&format!("/people/{}/edit", last.id)).unwrap();
    let manager = store
        .search_people("Muster0007", Some(org.id), 1)
        .await
        .unwrap()
        .remove(0)
        .person;
    edit.set("reports_to_id", &manager.id.to_string());
    let saved = editor
        .post(&format!("/people/{}/edit", last.id), &edit.pairs())
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        store.person(last.id).await.unwrap().reports_to_id,
        Some(manager.id)
    );
    let again = editor.get(&format!("/people/{}/edit", last.id)).await;
    again.assert_contains(&format!(r#"value="{}" checked"#, manager.id));

    // One of ours: the key contacts of every account are searched, with their accounts.
    let own_page = editor.get(&ids.fill("/people/{p}")).await;
    assert!(own_page.body.contains(r#"id="f-other_id-q""#));
    assert!(own_page.body.matches("<option").count() < 20);
    let contacts = editor
        .get("/pick?scope=key-contacts&name=other_id&other_id_q=kiessling")
        .await;
    contacts.assert_contains("Kießling");
    contacts.assert_contains("(Brandt");
    // Nothing but our own field names and scopes.
    for bad in [
        "/pick?scope=key-contacts&name=x%22onmouseover&x_q=ab",
        "/pick?scope=everyone&name=other_id&other_id_q=ab",
        "/pick?name=other_id&other_id_q=ab",
    ] {
        assert_eq!(
            editor.get(bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}
