//! Import files as people send them: title rows above the header, the manager named by a
//! header with an identifier, columns the import leaves out said aloud, rows with problems
//! corrected or left out in the browser, and the offer to make the new partner an account.

use axum::http::StatusCode;
use counterpart_core::org::OrganizationInput;
use counterpart_store::Actor;

use crate::support::{TestApp, unescape};

#[tokio::test]
async fn an_hr_export_with_a_title_is_corrected_in_the_browser_and_imported() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let org = store
        .create_organization(
            &Actor::system(),
            &OrganizationInput::parse("Beispiel AG", "external", "").unwrap(),
        )
        .await
        .unwrap();
    let mut editor = app.login("krueger").await;
    // A title, a date line, a blank line; the manager by e-mail under a long header; a
    // column we do not know; row 7 names an unknown level, row 8 a manager nobody has.
    let csv = "Organigramm Beispiel AG\n\
               Stand: 01.12.2026\n\
               \n\
               Vorname;Nachname;Ebene;Vorgesetzte(r) E-Mail;E-Mail;Kostenstelle\n\
               Maria;Huber;1;;m.huber@beispiel.example;4711\n\
               Jonas;Berg;2;m.huber@beispiel.example;j.berg@beispiel.example;4712\n\
               Lea;Kraus;Häuptling;j.berg@beispiel.example;l.kraus@beispiel.example;4713\n\
               Tim;Vogt;3;niemand@beispiel.example;t.vogt@beispiel.example;4714\n";
    let uploaded = editor
        .upload(
            &format!("/organizations/{}/import", org.id),
            "hr.csv",
            csv.as_bytes(),
            true,
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let preview_path = uploaded.location().to_owned();
    let preview = editor.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = unescape(&preview.body);
    assert!(body.contains("Die Kopfzeile steht in Zeile 4."), "{body}");
    // The long header is the manager column; the unknown one is said aloud.
    let select = &preview.body[preview.body.find(r#"id="m3""#).unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(
        select.contains(r#"value="manager" selected"#),
        "Vorgesetzte(r) E-Mail is the manager: {select}"
    );
    assert!(
        body.contains("Diese Spalten werden nicht übernommen:</strong> „Kostenstelle“"),
        "{body}"
    );
    // Both problem rows are shown with every cell, the bad ones marked.
    assert!(
        body.contains(
            r#"name="c7_2" value="Häuptling" aria-label="Ebene, Zeile 7" aria-invalid="true""#
        ),
        "{body}"
    );
    assert!(
        body.contains(r#"name="c8_3" value="niemand@beispiel.example""#),
        "{body}"
    );
    assert!(
        body.contains(r#"name="c7_5" value="4713""#),
        "all columns: {body}"
    );

    // A control character in a correction is refused and changes nothing.
    let refused = editor
        .post(
            &format!("{preview_path}/rows"),
            &[("r7", "1"), ("c7_2", "3\u{7}")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Die Korrekturen wurden nicht übernommen:");
    // Correct row 7's level, leave row 8 out.
    let fixed = editor
        .post(
            &format!("{preview_path}/rows"),
            &[
                ("r7", "1"),
                ("c7_2", "3"),
                ("r8", "1"),
                ("c8_3", "niemand@beispiel.example"),
                ("skip8", "1"),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
    let preview = editor.get(&preview_path).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("Keine Probleme gefunden.");
    preview.assert_contains("Übersprungene Zeilen: 8.");
    // Taking the skipped rows back brings the problem back; leaving it out again clears it.
    editor
        .post(&format!("{preview_path}/rows"), &[("restore", "1")])
        .await;
    assert_eq!(
        editor.get(&preview_path).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    editor
        .post(
            &format!("{preview_path}/rows"),
            &[("r8", "1"), ("skip8", "1")],
        )
        .await;

    let done = editor.post(&format!("{preview_path}/commit"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = editor.get(done.location()).await;
    let body = unescape(&page.body);
    assert!(body.contains("3 neu"), "{body}");
    assert!(body.contains("Übersprungene Zeilen: 8."), "{body}");
    // A new partner without an account: the page offers to make it one.
    assert!(
        body.contains(&format!(
            r#"href="/accounts/new?organization_id={}""#,
            org.id
        )),
        "{body}"
    );
    let people = store.people(org.id, None, true, 10, 0).await.unwrap();
    let names: Vec<&str> = people
        .iter()
        .map(|p| p.person.family_name.as_str())
        .collect();
    assert_eq!(names, ["Berg", "Huber", "Kraus"]);
    let kraus = people
        .iter()
        .find(|p| p.person.family_name == "Kraus")
        .unwrap();
    let berg = people
        .iter()
        .find(|p| p.person.family_name == "Berg")
        .unwrap();
    assert_eq!(kraus.person.reports_to_id, Some(berg.person.id));
}

#[tokio::test]
async fn a_person_imported_twice_is_merged_into_one_record() {
    use counterpart_core::person::{PersonFields, PersonInput};
    let app = TestApp::demo().await;
    let store = &app.db.store;
    // A key contact of the demo, and a second record of the same human from an import.
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let contact = store.key_contacts(account).await.unwrap()[0].person_id;
    let original = store.person(contact).await.unwrap();
    let double = store
        .create_person(
            &Actor::system(),
            original.organization_id,
            &PersonInput::parse(&PersonFields {
                given_name: original.given_name.clone().unwrap_or_default(),
                family_name: original.family_name.clone(),
                mobile: "+49 170 1234567".into(),
                ..Default::default()
            })
            .unwrap(),
            chrono::Utc::now().date_naive(),
        )
        .await
        .unwrap();
    let mut editor = app.login("krueger").await;
    let person_page = editor.get(&format!("/people/{contact}")).await;
    person_page.assert_contains(&format!(r#"href="/people/{contact}/merge""#));
    let form = editor.get(&format!("/people/{contact}/merge")).await;
    form.assert_contains("Doppelten Eintrag zusammenführen");
    let version = original.version.to_string();
    // Nothing chosen: the field says so, nothing changes.
    let empty = editor
        .post(
            &format!("/people/{contact}/merge"),
            &[("other_id", ""), ("version", &version)],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store.person(double.id).await.is_ok());
    let merged = editor
        .post(
            &format!("/people/{contact}/merge"),
            &[("other_id", &double.id.to_string()), ("version", &version)],
        )
        .await;
    assert_eq!(merged.status, StatusCode::SEE_OTHER, "{}", merged.body);
    let page = editor.get(merged.location()).await;
    page.assert_contains("Zusammengeführt");
    assert!(store.person(double.id).await.is_err(), "one record left");
    assert_eq!(
        store.person(contact).await.unwrap().mobile.as_deref(),
        Some("+49 170 1234567"),
        "a blank field took the double's value"
    );
}

#[tokio::test]
async fn an_insight_is_recorded_in_a_few_fields_and_read_only_by_those_who_may() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let partner = store.key_contacts(account).await.unwrap()[0].person_id;
    let mut head = app.login("krueger").await;
    head.get(&format!("/people/{partner}"))
        .await
        .assert_contains("Was wir wissen");
    // A category and a text are all it takes; nothing else is refused silently.
    let empty = head
        .post(&format!("/people/{partner}/insights"), &[("text", "")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = head
        .post(
            &format!("/people/{partner}/insights"),
            &[
                ("category", "developments"),
                (
                    "text",
                    "Wechselt im Frühjahr in den Aufsichtsrat – Nachfolge offen.",
                ),
                ("confidential", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let secret = "Wechselt im Frühjahr in den Aufsichtsrat";
    head.get(&format!("/people/{partner}"))
        .await
        .assert_contains(secret);
    // The account page shows it too, for the author; the managing director (above every
    // unit) reads it; the guest, in the secretariat, does not.
    head.get(&format!("/accounts/{account}"))
        .await
        .assert_contains(secret);
    let mut director = app.login("schneider").await;
    director
        .get(&format!("/people/{partner}"))
        .await
        .assert_contains(secret);
    let mut guest = app.login("gast").await;
    let page = guest.get(&format!("/people/{partner}")).await;
    assert!(
        !page.body.contains(secret),
        "the guest reads no confidential insight"
    );
    assert!(!page.body.contains("insight-form"), "nor records one");
    let page = guest.get(&format!("/accounts/{account}")).await;
    assert!(!page.body.contains(secret));
}

#[tokio::test]
async fn a_briefing_says_who_they_are_who_of_ours_knows_them_and_what_we_know() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let partner = store.key_contacts(account).await.unwrap()[0].person_id;
    let ours = store
        .counterparts_of(partner, false, &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    let open = store
        .insights_about_person(partner, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .into_iter()
        .find(|i| !i.insight.confidential)
        .expect("the demo knows something about its first key contact");
    // A guest reads the briefing too: it is for whoever goes to the meeting.
    let mut guest = app.login("gast").await;
    let person = guest.get(&format!("/people/{partner}")).await;
    person.assert_contains(&format!(r#"href="/people/{partner}/briefing""#));
    let page = guest.get(&format!("/people/{partner}/briefing")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    let name = store.person(partner).await.unwrap().display_name();
    assert!(body.contains(&format!("Briefing: {name}")), "{body}");
    for c in &ours {
        assert!(body.contains(&c.person.person.display_name()), "{body}");
    }
    assert!(body.contains(&open.insight.text), "{body}");
    assert!(body.contains("data-print"), "a print button");
    assert!(body.contains("Letzte Kontakte"), "{body}");
    // The account's briefing: its key people level by level with who of ours holds them and
    // the freshest thing we know about each.
    let page = guest.get(&format!("/accounts/{account}/briefing")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    for contact in store.key_contacts(account).await.unwrap() {
        let name = store
            .person(contact.person_id)
            .await
            .unwrap()
            .display_name();
        assert!(body.contains(&name), "{name}: {body}");
    }
    assert!(body.contains("Die Schlüsselpersonen, Ebene für Ebene"));
    assert!(body.contains(&open.insight.text), "{body}");
    // Linked from the account's mirror, the portfolio mirror and the KAM matrix too.
    let briefing = format!(r#"href="/accounts/{account}/briefing""#);
    for page in [
        format!("/accounts/{account}/mirror"),
        "/mirror".to_owned(),
        "/matrix".to_owned(),
    ] {
        guest.get(&page).await.assert_contains(&briefing);
    }
}

#[tokio::test]
async fn one_search_finds_people_accounts_and_what_we_know_for_those_who_may_read_it() {
    let app = TestApp::demo().await;
    let mut director = app.login("schneider").await;
    // A name typed without umlauts, and the text of a confidential insight (Münchner).
    let page = director.get("/search?q=Muenchner").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = unescape(&page.body);
    assert!(
        body.contains("Fusion mit einem Münchner Bestandshalter"),
        "{body}"
    );
    let page = director.get("/search?q=hansa").await;
    let body = unescape(&page.body);
    assert!(body.contains("Hansa Bürodienste GmbH"), "{body}");
    assert!(
        body.contains("Organisationen (1)") && body.contains("Accounts (1)"),
        "{body}"
    );
    // The guest (the managing director's secretariat, no unit above the author's) does not
    // find the confidential one.
    let mut guest = app.login("gast").await;
    let page = guest.get("/search?q=muenchner").await;
    assert!(!page.body.contains("Bestandshalter"), "{}", page.body);
    page.assert_contains("Nichts gefunden");
    // The header's box answers as one types: a fragment with a few hits of each kind and
    // the way to all of them, nothing for an empty box, the same visibility.
    let page = director.get("/search").await;
    page.assert_contains(r#"hx-get="/search/quick""#);
    let quick = director.get("/search/quick?q=hansa").await;
    assert_eq!(quick.status, StatusCode::OK);
    let body = unescape(&quick.body);
    assert!(!body.contains("<html"), "a fragment: {body}");
    assert!(body.contains("Hansa Bürodienste GmbH"), "{body}");
    assert!(body.contains(">Organisationen</p>"), "{body}");
    assert!(body.contains(r#"href="/search?q=hansa""#), "{body}");
    let people = director.get("/search/quick?q=m").await;
    assert!(
        people.body.contains("Nichts gefunden."),
        "one letter finds nothing"
    );
    let empty = director.get("/search/quick?q=+").await;
    assert_eq!(empty.body, "", "an empty box shows nothing");
    let quick = director.get("/search/quick?q=muenchner").await;
    assert!(
        unescape(&quick.body).contains("Fusion mit einem Münchner"),
        "{}",
        quick.body
    );
    let quick = guest.get("/search/quick?q=muenchner").await;
    assert!(!quick.body.contains("Bestandshalter"), "{}", quick.body);
    quick.assert_contains("Nichts gefunden.");
    // A search longer than anyone types is refused, with the limit named, on the page and
    // in the header's box.
    let long = "Standort ".repeat(30);
    let page = director
        .get(&format!("/search?q={}", long.replace(' ', "+")))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("höchstens 200 Zeichen");
    let quick = director
        .get(&format!("/search/quick?q={}", long.replace(' ', "+")))
        .await;
    assert_eq!(quick.status, StatusCode::UNPROCESSABLE_ENTITY);
    quick.assert_contains("höchstens 200 Zeichen");
    let by_name = director.get("/search/quick?q=M%C3%BCller%20%26").await;
    assert_eq!(by_name.status, StatusCode::OK);
    assert!(
        by_name.body.contains("/search?q=M%C3%BCller+%26"),
        "the query is encoded in the link: {}",
        by_name.body
    );
}

#[tokio::test]
async fn a_contact_is_logged_in_seconds_with_what_was_learned_and_no_rating() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let account = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()[0]
        .account
        .id;
    let partner = store.key_contacts(account).await.unwrap()[0].person_id;
    let before = store
        .interactions_with_person(partner, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .len();
    let mut clerk = app.login("yilmaz").await;
    // Nothing but a kind is missing: said at the field, nothing stored.
    let refused = clerk
        .post(
            &format!("/people/{partner}/contacts"),
            &[("summary", "Telefonat.")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        store
            .interactions_with_person(partner, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .len(),
        before
    );
    let logged = clerk
        .post(
            &format!("/people/{partner}/contacts"),
            &[
                ("kind", "call"),
                ("summary", "Rückruf zur Sammelrechnung; geklärt."),
                ("category", "satisfaction"),
                (
                    "text",
                    "Wieder zufrieden, seit die Rechnung monatlich kommt.",
                ),
            ],
        )
        .await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    let page = clerk.get(&format!("/people/{partner}")).await;
    let body = unescape(&page.body);
    assert!(
        body.contains("Rückruf zur Sammelrechnung; geklärt."),
        "{body}"
    );
    assert!(
        body.contains("Wieder zufrieden, seit die Rechnung monatlich kommt."),
        "{body}"
    );
    // The account page lists the contact with whom it was.
    let page = clerk.get(&format!("/accounts/{account}")).await;
    let body = unescape(&page.body);
    let name = store.person(partner).await.unwrap().display_name();
    assert!(body.contains(&format!("Mit {name}")), "{body}");
    assert_eq!(
        store
            .interactions_with_person(partner, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .len(),
        before + 1
    );
}
