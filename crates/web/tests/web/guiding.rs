//! The guiding questions through the pages: each questionnaire pre-answered with its evidence,
//! the demo's answers with their trend on the account, unit and matrix pages, in German and
//! English; a form with a missing answer is refused naming the question and stores nothing;
//! without the CSRF token nothing is stored either.

use axum::http::StatusCode;
use counterpart_core::ids::UnitId;
use counterpart_store::{AnswerSetFilter, Store};

use crate::support::{TestApp, account_named};

async fn unit(store: &Store, name: &str) -> UnitId {
    let own = store.own_organization().await.unwrap().unwrap();
    store
        .units(own.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.name == name)
        .unwrap()
        .id
}

async fn stored(store: &Store) -> usize {
    store
        .answer_sets(AnswerSetFilter::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_guiding_questions_show_their_evidence_and_trend() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let it = account_named(store, "Konzern-IT").await;
    let hansa = account_named(store, "Hansa").await;
    let mut reader = app.login("gast").await;

    // The partner questions about Konzern-IT, each pre-answered from the data.
    let page = reader.get(&format!("/accounts/{it}/guiding")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Leitfragen zum Partner");
    page.assert_contains(
        "Haben Sie einen Key Account Manager oder ein Gegenüber für diesen Partner?",
    );
    page.assert_contains(
        "Ist die Verantwortung „Chef zu Chef“ und „Mitarbeiter zu Mitarbeiter“ organisiert",
    );
    page.assert_contains(
        "Vorschlag aus den Daten: <strong class=\"answer answer-partly\">Teilweise</strong>",
    );
    page.assert_contains("4 Ansprechpartner auf 4 Ebenen");
    page.assert_contains("4 von 5 Schlüsselpersonen mit einem Gegenüber");
    page.assert_contains("Form: Diamant");
    page.assert_contains("1 Information von 1 Person bei uns in 90 Tagen");
    // The demo answered twice: 1 of 8 points, then 6 of 8.
    page.assert_contains(">13</span> → <span class=\"trend-point\"");
    page.assert_contains(">75</span>");
    page.assert_contains("Chef zu Chef, Sekretariat zu Sekretariat");
    // A reader sees the answers, not the form.
    assert!(!page.body.contains("id=\"guiding-form\""));

    // The supplier questions about Hansa, with the supplier's mirror of us.
    let page = reader
        .get(&format!("/accounts/{hansa}/supplier-rating"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Hat Ihr Lieferant einen direkten Ansprechpartner für Sie?");
    page.assert_contains("Fühlen Sie sich von ihm verstanden?");
    page.assert_contains("Setzt er sich für Sie in seinem Unternehmen ein?");
    page.assert_contains("Bietet er Ihnen einen erlebbaren Vorteil?");
    page.assert_contains("Kein Vorschlag: Die Daten können diese Frage nicht beantworten.");
    page.assert_contains("Wie der Lieferant uns spiegelt");
    page.assert_contains("Gegenüber beim Lieferanten");
    page.assert_contains(">50</span> → <span class=\"trend-point\"");
    page.assert_contains(">88</span>");

    // The supplier questions are for suppliers only.
    let customer = reader.get(&format!("/accounts/{it}/supplier-rating")).await;
    assert_eq!(customer.status, StatusCode::BAD_REQUEST);

    // The account page shows the latest answers and the supplier's mirror of us.
    let page = reader.get(&format!("/accounts/{hansa}")).await;
    page.assert_contains("Leitfragen zum Lieferanten");
    page.assert_contains("Erfüllt <strong>88</strong> (vorher 50)");
    page.assert_contains("Wie der Lieferant uns spiegelt");
    let page = reader.get(&format!("/accounts/{it}")).await;
    page.assert_contains("Erfüllt <strong>75</strong> (vorher 13)");
    assert!(
        !page.body.contains("Wie der Lieferant uns spiegelt"),
        "a customer"
    );

    // The unit compares its partners over time.
    let operations = unit(store, "Betrieb").await;
    let page = reader.get(&format!("/units/{operations}")).await;
    page.assert_contains(&format!("href=\"/units/{operations}/guiding\""));
    let page = reader.get(&format!("/units/{operations}/guiding")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Leitfragen der Organisationseinheit");
    page.assert_contains("Konzern-IT (interne Dienstleistung)");
    page.assert_contains(">13</span> → <span class=\"trend-point\"");

    // The matrix of suppliers shows the latest supplier assessment.
    let page = reader.get("/matrix?relation=supplier").await;
    page.assert_contains("Letzte Bewertung des Lieferanten");
    page.assert_contains(&format!("href=\"/accounts/{hansa}/supplier-rating\""));
    let customers = reader.get("/matrix?relation=customer").await;
    assert!(!customers.body.contains("Letzte Bewertung des Lieferanten"));

    // In English.
    reader.accept_language = "en".into();
    let page = reader.get(&format!("/accounts/{it}/guiding")).await;
    page.assert_contains("Is there a key account manager or counterpart for this partner?");
    page.assert_contains("4 counterparts on 4 levels");
    page.assert_contains("1 insight from 1 person of ours in 90 days");
    let page = reader
        .get(&format!("/accounts/{hansa}/supplier-rating"))
        .await;
    page.assert_contains("Does your supplier have a direct contact for you?");
    page.assert_contains("How the supplier mirrors us");
}

#[tokio::test]
async fn answers_are_stored_and_a_missing_one_is_refused_by_name() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let it = account_named(store, "Konzern-IT").await;
    let hansa = account_named(store, "Hansa").await;
    let action = format!("/accounts/{it}/guiding");
    let mut editor = app.login("krueger").await;
    let before = stored(store).await;

    // A missing answer: refused, the question named at its place, nothing stored.
    let page = editor.get(&action).await;
    let mut form = page.form(&action).expect("the form");
    form.fields.retain(|(name, _)| name != "hierarchy");
    form.set("exchange_comment", "Im Betriebsmeeting.");
    let refused = editor.post(&action, &form.pairs()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Chef zu Chef: Bitte ausfüllen.");
    refused.assert_contains("id=\"f-hierarchy-error\"");
    refused.assert_contains("Im Betriebsmeeting.");
    assert_eq!(stored(store).await, before, "nothing stored");

    // Without the form's token: refused, nothing stored.
    let mut pairs = page.form(&action).unwrap().fields;
    pairs.retain(|(name, _)| name != "_csrf");
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let forged = editor.post_raw(&action, &pairs).await;
    assert!(forged.status.is_client_error(), "{}", forged.status);
    assert_eq!(stored(store).await, before, "nothing stored");

    // Confirmed as suggested, one corrected with a comment: a new set, dated today.
    let page = editor.get(&action).await;
    let mut form = page.form(&action).unwrap();
    form.set("responsible", "no");
    form.set(
        "responsible_comment",
        "Niemand ruft an.\r\nWirklich niemand.",
    );
    let saved = editor.post(&action, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), format!("{action}?saved=1#history"));
    let sets = store
        .answer_sets(AnswerSetFilter {
            account: Some(it),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(sets.len(), 3, "two from the demo and this one");
    let newest = sets.last().unwrap();
    assert_eq!(newest.author_name, "Jörg Krüger");
    assert_eq!(
        newest.unit_id,
        unit(store, "Betrieb").await,
        "the responsible unit"
    );
    let responsible = newest
        .answer(counterpart_core::guiding::Question::Responsible)
        .unwrap();
    assert_eq!(
        responsible.comment.as_deref(),
        Some("Niemand ruft an.\nWirklich niemand.")
    );
    let shown = editor.get(&saved.location().replace("#history", "")).await;
    shown.assert_contains("Gespeichert.");
    shown.assert_contains("korrigiert (Vorschlag: Ja)");

    // The supplier questions on a supplier; an unanswerable one is not preselected.
    let action = format!("/accounts/{hansa}/supplier-rating");
    let page = editor.get(&action).await;
    let mut form = page.form(&action).unwrap();
    let refused = editor.post(&action, &form.pairs()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Erlebbarer Vorteil: Bitte ausfüllen.");
    form.set("advantage", "yes");
    let saved = editor.post(&action, &form.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(stored(store).await, before + 2);

    // The supplier questions about a customer: refused, nothing stored.
    let customer = editor
        .post(
            &format!("/accounts/{it}/supplier-rating"),
            &[("unit_id", "1"), ("direct_contact", "yes")],
        )
        .await;
    assert_eq!(customer.status, StatusCode::BAD_REQUEST);
    assert_eq!(stored(store).await, before + 2);
}
