//! Neighbouring departments as partners, through the pages: the account form offers a unit of
//! our own house, key contacts come from inside it, counterparts from outside it, the person
//! page shows both sides, and the matrix's "internal" filter lists such accounts beside the
//! internal organizations.

use axum::http::StatusCode;
use counterpart_core::ids::PersonId;

use crate::support::TestApp;

async fn person(store: &counterpart_store::Store, name: &str) -> PersonId {
    store
        .search_people(name, None, 1)
        .await
        .unwrap()
        .remove(0)
        .person
        .id
}

#[tokio::test]
async fn a_neighbouring_department_from_the_account_form_to_the_matrix() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let own = store.own_organization().await.unwrap().unwrap();
    let purchasing = store
        .units(own.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == "Einkauf")
        .unwrap()
        .id;
    let purchasing_id = purchasing.to_string();
    let own_id = own.id.to_string();
    let mut editor = app.login("krueger").await;

    // Our own house is offered; chosen, its units are the neighbouring departments.
    let form = editor.get("/accounts/new").await;
    form.assert_contains("(eigenes Haus – eine Nachbarabteilung)");
    let form = editor
        .get(&format!("/accounts/new?organization_id={own_id}"))
        .await;
    form.assert_contains("Nachbarabteilung (Partnereinheit)");
    let audit_before = store
        .audit_entries(&Default::default())
        .await
        .unwrap()
        .first()
        .map(|e| e.id);
    let whole = editor
        .post(
            "/accounts",
            &[
                ("organization_id", &own_id),
                ("relation", "supplier"),
                ("mode", "hierarchical"),
            ],
        )
        .await;
    assert_eq!(whole.status, StatusCode::UNPROCESSABLE_ENTITY);
    whole.assert_contains(r#"id="f-unit_id-error""#);
    whole.assert_contains("bitte die Nachbarabteilung als Partnereinheit wählen");
    assert_eq!(
        store
            .audit_entries(&Default::default())
            .await
            .unwrap()
            .first()
            .map(|e| e.id),
        audit_before,
        "a refused account leaves no trace"
    );
    let created = editor
        .post(
            "/accounts",
            &[
                ("organization_id", &own_id),
                ("unit_id", &purchasing_id),
                ("name", "Einkauf (intern)"),
                ("relation", "supplier"),
                ("mode", "hierarchical"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let account_path = created.location().split('?').next().unwrap().to_owned();
    editor.get(&account_path).await.assert_contains("intern");

    // Key contacts come from inside the department.
    let strauss = person(store, "ralf strauß").await;
    let schneider = person(store, "katharina schneider").await;
    let outside = editor
        .post(
            &format!("{account_path}/contacts"),
            &[
                ("person_id", &schneider.to_string()),
                ("role", "user"),
                ("stance", "neutral"),
                ("influence", "3"),
            ],
        )
        .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    outside.assert_contains("Gehört nicht zur Partnereinheit dieses Accounts");
    let added = editor
        .post(
            &format!("{account_path}/contacts"),
            &[
                ("person_id", &strauss.to_string()),
                ("role", "decision_maker"),
                ("stance", "positive"),
                ("influence", "4"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    // Ralf Strauß is ours and theirs at once: he holds Hansa's customer service, and now
    // one of ours from outside Einkauf holds him; nobody from inside Einkauf may.
    let page_path = format!("/people/{strauss}");
    let page = editor.get(&page_path).await;
    page.assert_contains("Gegenüber bei Partnern");
    page.assert_contains("Als Schlüsselperson einer Nachbarabteilung");
    page.assert_contains("Einkauf (intern)");
    page.assert_contains("Gegenüber aus unserem Haus zuordnen");
    let colleague = store
        .people(own.id, Some(purchasing), false, 50, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.person.id)
        .find(|id| *id != strauss)
        .expect("a buyer of ours in the demo");
    let inside = editor
        .post(
            &format!("{page_path}/counterparts"),
            &[
                ("our_id", &colleague.to_string()),
                ("kind", "primary"),
                ("valid_from", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(inside.status, StatusCode::UNPROCESSABLE_ENTITY);
    inside.assert_contains("Gehört selbst zur Partnerabteilung");
    let assigned = editor
        .post(
            &format!("{page_path}/counterparts"),
            &[
                ("our_id", &schneider.to_string()),
                ("kind", "primary"),
                ("valid_from", "2026-01-01"),
            ],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    let held_by = store
        .counterparts_of(strauss, false, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(held_by.len(), 1);
    assert_eq!(held_by[0].person.person.id, schneider);
    assert!(
        !store
            .counterparts_held_by(strauss, false, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .is_empty(),
        "he still holds his own partners"
    );
    let page = editor.get(&page_path).await;
    page.assert_contains("Katharina Schneider");

    // The "internal" filter: both kinds of internal partner; the external filter neither.
    let internal = editor.get("/matrix?side=internal").await.body;
    let external = editor.get("/matrix?side=external").await.body;
    for name in ["Einkauf (intern)", "Personal"] {
        assert!(
            internal.contains(&format!(">{name}</a>")),
            "{name} internal"
        );
        assert!(
            !external.contains(&format!(">{name}</a>")),
            "{name} external"
        );
    }
    assert!(internal.contains("Konzern-IT"));

    // The demo's neighbouring department reads on every page of an account.
    let personal = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.name == "Personal")
        .expect("the demo's Personal account")
        .account
        .id;
    for tail in ["", "/mirror", "/suggestions", "/briefing", "/edit"] {
        let page = editor.get(&format!("/accounts/{personal}{tail}")).await;
        assert_eq!(page.status, StatusCode::OK, "{tail}");
    }
    let edit = editor.get(&format!("/accounts/{personal}/edit")).await;
    edit.assert_contains("Nachbarabteilung (Partnereinheit)");

    // And in English.
    editor
        .post("/language", &[("lang", "en"), ("back", "/")])
        .await;
    let english = editor
        .get(&format!("/accounts/new?organization_id={own_id}"))
        .await;
    english.assert_contains("Neighbouring department (partner unit)");
    english.assert_contains("(own house – a neighbouring department)");
    let page = editor.get(&page_path).await;
    page.assert_contains("As a key contact of a neighbouring department");
}
