//! The guiding questions through the JSON API: a questionnaire about an account with what the
//! data suggest and the demo's answer sets (the trend the pages show); a unit's new answer set
//! recorded with an audit row; a wrong body refused naming the answer it is about, storing
//! nothing; a read token and the wrong questionnaire refused.

use axum::http::StatusCode;
use counterpart_core::audit::EntityKind;
use counterpart_store::{AnswerSetFilter, AuditFilter, Store};
use serde_json::{Value, json};

use super::api_write::{json_of, named_fields, problem, token_of};
use crate::support::{TestApp, account_named};

async fn stored(store: &Store) -> usize {
    store
        .answer_sets(AnswerSetFilter::default())
        .await
        .unwrap()
        .len()
}

/// The given field of every item of a JSON array.
fn each(items: &Value, field: &str) -> Vec<Value> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("an array: {items}"))
        .iter()
        .map(|item| item[field].clone())
        .collect()
}

#[tokio::test]
async fn a_questionnaire_reads_with_its_suggestions_and_the_answers_so_far() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let it = account_named(store, "Konzern-IT").await;
    let hansa = account_named(store, "Hansa").await;
    let read = token_of(&app, "gast", "read").await;
    let auth = [("authorization", read.as_str())];
    let mut client = app.client();

    let partner = client
        .api_get(&format!("/api/v1/accounts/{it}/guiding/partner"), &auth)
        .await;
    assert_eq!(partner.status, StatusCode::OK, "{}", partner.body);
    assert!(partner.headers.contains_key("etag"));
    let body = json_of(&partner);
    assert_eq!(body["questionnaire"], "partner");
    assert_eq!(
        each(&body["questions"], "question"),
        [
            json!("counterpart"),
            json!("hierarchy"),
            json!("responsible"),
            json!("exchange")
        ]
    );
    // The page words the same suggestion: Konzern-IT's key people form a diamond.
    assert_eq!(body["questions"][1]["suggested"], "yes", "{body}");
    // The demo answered twice, 13 then 75 (as the account page's trend shows).
    assert_eq!(each(&body["answer_sets"], "score"), [json!(13), json!(75)]);
    assert_eq!(body["answer_sets"][1]["unit_name"], "Betrieb");
    assert_eq!(
        body["answer_sets"][1]["answers"].as_array().unwrap().len(),
        4
    );

    let supplier = client
        .api_get(&format!("/api/v1/accounts/{hansa}/guiding/supplier"), &auth)
        .await;
    assert_eq!(supplier.status, StatusCode::OK, "{}", supplier.body);
    let body = json_of(&supplier);
    assert_eq!(body["questions"][3]["question"], "advantage");
    assert_eq!(
        body["questions"][3]["suggested"],
        Value::Null,
        "only we can judge the advantage"
    );
    assert_eq!(each(&body["answer_sets"], "score"), [json!(50), json!(88)]);

    // The supplier questionnaire is for suppliers only; there are two questionnaires.
    let customer = client
        .api_get(&format!("/api/v1/accounts/{it}/guiding/supplier"), &auth)
        .await;
    problem(&customer, StatusCode::CONFLICT);
    let other = client
        .api_get(&format!("/api/v1/accounts/{it}/guiding/customer"), &auth)
        .await;
    problem(&other, StatusCode::NOT_FOUND);
    let nobody = client
        .api_get("/api/v1/accounts/999999/guiding/partner", &auth)
        .await;
    problem(&nobody, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_unit_answers_and_a_wrong_answer_set_is_refused_by_its_place() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let it = account_named(store, "Konzern-IT").await;
    let path = format!("/api/v1/accounts/{it}/guiding/partner");
    let write = token_of(&app, "krueger", "write").await;
    let auth = [("authorization", write.as_str())];
    let mut client = app.client();
    let guiding = json_of(&client.api_get(&path, &auth).await);
    let unit = guiding["proposed_unit_id"]
        .as_i64()
        .expect("a unit proposed");
    let before = stored(store).await;
    let answers = |comment: &str| {
        json!([
            {"question": "counterpart", "answer": "yes"},
            {"question": "hierarchy", "answer": "partly"},
            {"question": "responsible", "answer": "no", "comment": comment},
            {"question": "exchange", "answer": "yes"},
        ])
    };

    // Wrong bodies: each refused naming the answer it is about; nothing stored.
    let cases = [
        (
            json!({"unit_id": unit, "answers": answers("Niemand\u{7}ruft an.")}),
            vec!["answers[2].comment"],
        ),
        (
            json!({"unit_id": unit, "answers": answers(&"x".repeat(1001))}),
            vec!["answers[2].comment"],
        ),
        (
            json!({"unit_id": unit, "answers": [
                {"question": "advantage", "answer": "yes"},
                {"question": "counterpart", "answer": "yes"},
                {"question": "counterpart", "answer": "no"},
            ]}),
            vec![
                "answers[0].question",
                "answers[2].question",
                "answers",
                "answers",
                "answers",
            ],
        ),
        (
            json!({"unit_id": unit, "answers": [{"question": "counterpart", "answer": "maybe"}]}),
            vec!["answers[0].answer"],
        ),
        (
            json!({"unit_id": 999_999, "answers": answers("")}),
            vec!["unit_id"],
        ),
    ];
    for (body, fields) in cases {
        let refused = client
            .api_send("POST", &path, &auth, body.to_string())
            .await;
        let problem = problem(&refused, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(named_fields(&problem), fields, "{body}");
    }
    assert_eq!(stored(store).await, before, "nothing stored");

    // A read token records nothing.
    let read = token_of(&app, "krueger", "read").await;
    let denied = client
        .api_send(
            "POST",
            &path,
            &[("authorization", &read)],
            json!({"unit_id": unit, "answers": answers("")}).to_string(),
        )
        .await;
    problem(&denied, StatusCode::FORBIDDEN);
    assert_eq!(stored(store).await, before, "nothing stored");

    // A whole answer set: recorded today with what the data suggested, and audited.
    let made = client
        .api_send(
            "POST",
            &path,
            &auth,
            json!({"unit_id": unit, "answers": answers("Niemand ruft an.\nWirklich niemand.")})
                .to_string(),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(made.headers["location"], path.as_str());
    let set = json_of(&made);
    assert_eq!(set["score"], 63, "5 of 8 points: {set}");
    assert_eq!(set["author_name"], "Jörg Krüger");
    assert_eq!(set["answered_on"], crate::support::today().to_string());
    assert_eq!(
        set["answers"][2]["comment"],
        "Niemand ruft an.\nWirklich niemand."
    );
    assert_eq!(
        set["answers"][1]["suggested"], "yes",
        "the suggestion kept beside the answer"
    );
    assert_eq!(stored(store).await, before + 1);
    let audited = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::GuidingAnswers),
            entity_id: set["id"].as_i64(),
            before_id: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor_name, "Jörg Krüger");

    let after = json_of(&client.api_get(&path, &auth).await);
    assert_eq!(
        each(&after["answer_sets"], "score"),
        [json!(13), json!(75), json!(63)]
    );
}
