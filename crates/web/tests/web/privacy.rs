//! Data protection pages: the records of processing list every table the program keeps, in
//! both languages; the search finds anyone; the access report shows a person's records and
//! downloads them as JSON; only administrators reach any of it, and each report is audited.

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_core::ids::PersonId;
use counterpart_store::registry::{Holds, tables};
use counterpart_store::{AuditFilter, Visibility};
use serde_json::Value;

use crate::support::routes::Ids;
use crate::support::{TestApp, unescape};

#[tokio::test]
async fn the_records_of_processing_list_every_table_in_both_languages() {
    let app = TestApp::demo().await;
    let mut admin = app.login("schneider").await;
    let page = admin.get("/privacy").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Verzeichnis der Verarbeitungstätigkeiten (Art. 30 DSGVO)");
    page.assert_contains("Auskunft zu einer Person (Art. 15 DSGVO)");
    let kept: Vec<_> = tables()
        .iter()
        .filter(|t| matches!(t.holds, Holds::Data | Holds::Sessions | Holds::Staging))
        .collect();
    assert!(kept.len() > 35, "{} tables", kept.len());
    for table in &kept {
        page.assert_contains(&format!("<code>{}</code>", table.name));
    }
    // What the people table is for, how long it is kept, who sees it, what points to people.
    page.assert_contains("Personen und Positionen");
    page.assert_contains("bis zur Änderung oder Löschung");
    page.assert_contains("alle angemeldeten Benutzer; vertrauliche Einträge");
    page.assert_contains("author_id, author_person_id");
    // The admin menu leads here.
    page.assert_contains("<a href=\"/privacy\" aria-current=\"page\">Datenschutz</a>");

    admin.accept_language = "en".into();
    let page = admin.get("/privacy").await;
    page.assert_contains("Records of processing activities (Art. 30 GDPR)");
    page.assert_contains("People and positions");
    page.assert_contains("until changed or deleted");
    page.assert_contains("only the user they belong to");
    for table in &kept {
        page.assert_contains(&format!("<code>{}</code>", table.name));
    }
}

#[tokio::test]
async fn the_search_finds_anyone_and_leads_to_the_report() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let partner = store.person(PersonId::new(ids.partner)).await.unwrap();
    let mut admin = app.login("schneider").await;
    let found = admin
        .get(&format!(
            "/pick?scope=all&name=person_id&person_id_q={}",
            partner.family_name.replace(' ', "+")
        ))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        unescape(&found.body).contains(&partner.family_name),
        "{}",
        found.body
    );
    assert!(found.body.contains(&format!("value=\"{}\"", partner.id)));
    let chosen = admin
        .get(&format!("/privacy/access?person_id={}", partner.id))
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(
        chosen.location(),
        format!("/privacy/people/{}/access", partner.id)
    );
    assert_eq!(
        admin.get("/privacy/access?person_id=").await.location(),
        "/privacy"
    );
    // Searching everyone, deactivated people too, is for administrators.
    let mut editor = app.login("krueger").await;
    let refused = editor
        .get("/pick?scope=all&name=person_id&person_id_q=mue")
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_access_report_shows_a_persons_records_and_downloads_them() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let ids = Ids::of_demo(store).await;
    let partner = store.person(PersonId::new(ids.partner)).await.unwrap();
    let insight = store
        .insights_about_person(partner.id, &Visibility::everything())
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("the demo knows something about its first key contact")
        .insight
        .text;

    // The person page links to it, for administrators only.
    let mut admin = app.login("schneider").await;
    let person_page = admin.get(&format!("/people/{}", partner.id)).await;
    person_page.assert_contains(&format!("href=\"/privacy/people/{}/access\"", partner.id));
    let mut editor = app.login("krueger").await;
    let person_page = editor.get(&format!("/people/{}", partner.id)).await;
    assert!(!person_page.body.contains("/privacy/"));

    let page = admin
        .get(&format!("/privacy/people/{}/access", partner.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    assert!(body.contains(&format!(
        "Auskunft nach Art. 15 DSGVO: {}",
        partner.display_name()
    )));
    for title in [
        "Stammdaten",
        "Positionen",
        "Rollen als Schlüsselperson",
        "Ihre Ansprechpartner bei uns",
        "Bewertungen ihrer Beziehungen",
        "Informationen über sie",
        "Kontakte mit ihr",
        "Änderungsprotokoll: die Person",
        "Erstellte Auskünfte",
    ] {
        assert!(body.contains(title), "{title}");
    }
    assert!(body.contains(&insight), "the insight about them");
    if let Some(email) = &partner.email {
        assert!(body.contains(email.as_str()));
    }
    assert!(body.contains("1 Eintrag"), "counts through the plural rule");
    page.assert_contains("data-print");

    // The same as JSON, a download.
    let (status, disposition, bytes) = admin
        .get_bytes(&format!("/privacy/people/{}/access.json", partner.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"access-report-person-{}.json\"",
            partner.id
        )
    );
    let json: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(json["format"], "counterpart-access-report");
    assert_eq!(json["person"]["id"], partner.id.get());
    assert_eq!(json["person"]["name"], partner.display_name());
    assert!(json["produced_at"].is_string());
    assert_eq!(json["user_id"], Value::Null);
    let sections = json["sections"].as_object().unwrap();
    for key in [
        "master_data",
        "positions",
        "key_contacts",
        "counterparts_theirs",
        "ratings_received",
        "insights_about",
        "contacts_with",
        "audit_about_person",
        "access_reports",
        "user_account",
        "insights_by",
    ] {
        assert!(sections.contains_key(key), "{key}");
        assert!(sections[key]["rows"].is_array(), "{key}");
        assert!(sections[key]["table"].is_string(), "{key}");
    }
    assert_eq!(
        sections["master_data"]["rows"][0]["family_name"],
        partner.family_name.as_str()
    );
    assert!(
        !sections["key_contacts"]["rows"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let texts: Vec<&str> = sections["insights_about"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["text"].as_str())
        .collect();
    assert!(texts.contains(&insight.as_str()));

    // Two reports produced, each audited with the person's id and nothing else of theirs.
    let produced = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::AccessReport),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(produced.len(), 2);
    for entry in &produced {
        assert_eq!(entry.entity_id, partner.id.get());
        assert!(!entry.label.contains(&partner.family_name));
        assert_eq!((&entry.before, &entry.after), (&None, &None));
    }
    let audit = admin.get("/admin/audit?entity=access_report").await;
    audit.assert_contains("Auskunft (Art. 15 DSGVO)");

    // Editors and viewers are refused, and nothing is produced for them.
    let mut viewer = app.login("gast").await;
    for path in [
        format!("/privacy/people/{}/access", partner.id),
        format!("/privacy/people/{}/access.json", partner.id),
        "/privacy".to_owned(),
    ] {
        assert_eq!(editor.get(&path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(viewer.get(&path).await.status, StatusCode::FORBIDDEN);
    }
    let after = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::AccessReport),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(after.len(), 2);
    // A person nobody knows: not found.
    assert_eq!(
        admin.get("/privacy/people/987654/access").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_users_report_holds_their_account_but_never_a_secret() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let krueger = store.user_named("krueger").await.unwrap();
    let person = krueger.person_id.expect("the demo's editor is one of ours");
    let mut editor = app.login("krueger").await;
    editor.get("/").await;
    let mut admin = app.login("schneider").await;
    let (status, _, bytes) = admin
        .get_bytes(&format!("/privacy/people/{person}/access.json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["user_id"], krueger.id.get());
    let sections = &json["sections"];
    assert_eq!(sections["user_account"]["rows"][0]["username"], "krueger");
    assert!(
        !sections["sessions"]["rows"].as_array().unwrap().is_empty(),
        "her session, by its dates and its browser's coarse label"
    );
    assert_eq!(
        sections["sessions"]["columns"],
        serde_json::json!(["created_at", "last_seen_at", "expires_at", "device"])
    );
    assert!(
        !sections["insights_by"]["rows"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for secret in ["password_hash", "token_hash", "csrf_token", "$argon2"] {
        assert!(!text.contains(secret), "{secret}");
    }
}
