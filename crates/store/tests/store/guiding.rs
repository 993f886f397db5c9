//! The guiding questions: answer sets are dated, kept (a new one each time), audited, read per
//! account, per unit and as the latest per account; the facts their pre-answers come from are
//! read as the data stand.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use counterpart_core::account::AssignmentInput;
use counterpart_core::audit::EntityKind;
use counterpart_core::guiding::{
    Answer, AnswerSetInput, Evidence, Question, Questionnaire, pre_answers,
};
use counterpart_core::ids::{AccountId, PersonId, UnitId, UserId};
use counterpart_core::insight::{Category, Certainty, InsightInput};
use counterpart_core::interaction::InteractionInput;
use counterpart_core::mirror::Settings;
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_core::validate::Problem;
use counterpart_store::testing::World;
use counterpart_store::{
    Actor, AnswerSetFilter, Answering, AuditFilter, InsightAbout, Store, StoreError, Visibility,
};

use super::field_problem;

contract!(
    answer_sets_are_dated_kept_and_audited,
    the_facts_behind_the_pre_answers_are_read_as_they_stand,
    the_demo_answers_the_guiding_questions,
);

/// Our house with Betrieb (a head on level 1, a clerk on level 5 with no relationship) and a
/// partner with three key people, two of them served by ours on their own level; an editor who
/// is the head.
struct Setting {
    unit: UnitId,
    partner_unit: UnitId,
    account: AccountId,
    ours: Vec<PersonId>,
    theirs: Vec<PersonId>,
    editor: UserId,
}

async fn setting(store: &Store) -> Setting {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let unit = world.unit(own, "Betrieb", None).await;
    let ours = world
        .ladder_in(
            own,
            Some(unit),
            &[
                "Bea Betrieb",
                "Xaver Zwei",
                "Dora Drei",
                "Vera Vier",
                "Sven Sach",
            ],
        )
        .await;
    let partner = world
        .organization("Hansa Bürodienste", OrganizationKind::External)
        .await;
    let partner_unit = world.unit(partner, "Kundenbetreuung", None).await;
    let theirs = world
        .ladder(partner, &["Gustav Geschäft", "Zora Zwei", "Karla Kunde"])
        .await;
    let account = world.account(partner, &theirs).await;
    for (partner, our) in [(theirs[0], ours[0]), (theirs[2], ours[2])] {
        store
            .assign(
                &actor(),
                &AssignmentInput::parse(
                    &partner.to_string(),
                    &our.to_string(),
                    "primary",
                    "2025-01-01",
                )
                .unwrap(),
            )
            .await
            .unwrap();
    }
    let editor = world.user("bea", Role::Editor, Some(ours[0])).await;
    Setting {
        unit,
        partner_unit,
        account,
        ours,
        theirs,
        editor,
    }
}

fn actor() -> Actor {
    Actor {
        user_id: None,
        name: "Test".to_owned(),
    }
}

fn answers(unit: UnitId, given: &[(&str, &str, &str)]) -> AnswerSetInput {
    let mut form: HashMap<String, String> = HashMap::new();
    form.insert("unit_id".into(), unit.to_string());
    for (question, answer, comment) in given {
        form.insert((*question).into(), (*answer).into());
        form.insert(format!("{question}_comment"), (*comment).into());
    }
    let questionnaire = given[0].0.parse::<Question>().unwrap().questionnaire();
    AnswerSetInput::parse(questionnaire, &form).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn answer_sets_are_dated_kept_and_audited(store: &Store) {
    let s = setting(store).await;
    let today = store_today();
    let input = store
        .guiding_input(s.account, today, &Visibility::everything())
        .await
        .unwrap();
    let pre = pre_answers(Questionnaire::Partner, &input, &Settings::new(today));
    let answering = |on: NaiveDate| Answering {
        questionnaire: Questionnaire::Partner,
        account: s.account,
        answered_on: on,
        author: Some(s.editor),
    };
    let first = store
        .record_answer_set(
            &actor(),
            &answering(day(2026, 6, 1)),
            &answers(
                s.unit,
                &[
                    ("counterpart", "no", ""),
                    ("hierarchy", "no", ""),
                    ("responsible", "partly", "Nur die Leitung."),
                    ("exchange", "no", ""),
                ],
            ),
            &pre,
        )
        .await
        .unwrap();
    assert_eq!(first.score(), 13, "1 of 8 points");
    let second = store
        .record_answer_set(
            &actor(),
            &answering(day(2026, 11, 1)),
            &answers(
                s.unit,
                &[
                    ("counterpart", "yes", ""),
                    ("hierarchy", "partly", "Sachbearbeitung fehlt.\nNoch."),
                    ("responsible", "yes", ""),
                    ("exchange", "partly", ""),
                ],
            ),
            &pre,
        )
        .await
        .unwrap();

    // Both kept, oldest first, each answer with what the data suggested and why.
    let sets = store
        .answer_sets(AnswerSetFilter {
            account: Some(s.account),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        sets.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![first.id, second.id]
    );
    assert_eq!(sets[1], second, "read back as written");
    assert_eq!(sets[1].score(), 75);
    assert_eq!(sets[0].answered_on, day(2026, 6, 1));
    assert_eq!(
        sets[1]
            .answer(Question::Hierarchy)
            .and_then(|a| a.comment.as_deref()),
        Some("Sachbearbeitung fehlt.\nNoch.")
    );
    let counterpart = sets[1].answer(Question::Counterpart).unwrap();
    assert_eq!(counterpart.answer, Answer::Yes);
    assert_eq!(
        counterpart.suggested,
        Some(Answer::Partly),
        "2 of 3 covered"
    );
    assert!(
        counterpart.evidence.contains(&Evidence::KeyContacts {
            contacts: 3,
            covered: 2
        }),
        "{:?}",
        counterpart.evidence
    );
    assert_eq!(sets[1].author_name, "Test");

    // By unit and questionnaire; the latest per account.
    let by_unit = store
        .answer_sets(AnswerSetFilter {
            unit: Some(s.unit),
            questionnaire: Some(Questionnaire::Partner),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_unit.len(), 2);
    let none = store
        .answer_sets(AnswerSetFilter {
            unit: Some(s.unit),
            questionnaire: Some(Questionnaire::Supplier),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
    let latest = store
        .latest_answer_sets(&[s.account], Questionnaire::Partner)
        .await
        .unwrap();
    assert_eq!(latest[&s.account].id, second.id);

    // One audit row each.
    let audited = store
        .audit_entries(&AuditFilter {
            entity: Some(EntityKind::GuidingAnswers),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2);
    assert!(audited[0].label.contains("Hansa"), "{}", audited[0].label);

    // A unit of the partner, or none, is refused and nothing is stored.
    let refused = store
        .record_answer_set(
            &actor(),
            &answering(day(2026, 11, 2)),
            &answers(
                s.partner_unit,
                &[
                    ("counterpart", "yes", ""),
                    ("hierarchy", "yes", ""),
                    ("responsible", "yes", ""),
                    ("exchange", "yes", ""),
                ],
            ),
            &pre,
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(refused, "unit_id"),
        Problem::NotOwnOrganization
    );
    let missing = store
        .record_answer_set(
            &actor(),
            &answering(day(2026, 11, 2)),
            &answers(
                UnitId::new(987_654),
                &[
                    ("counterpart", "yes", ""),
                    ("hierarchy", "yes", ""),
                    ("responsible", "yes", ""),
                    ("exchange", "yes", ""),
                ],
            ),
            &pre,
        )
        .await
        .unwrap_err();
    assert!(matches!(missing, StoreError::Invalid(_)), "{missing:?}");
    assert_eq!(
        store
            .answer_sets(AnswerSetFilter::default())
            .await
            .unwrap()
            .len(),
        2,
        "nothing stored"
    );
}

fn store_today() -> NaiveDate {
    counterpart_store::now().date_naive()
}

async fn the_facts_behind_the_pre_answers_are_read_as_they_stand(store: &Store) {
    let s = setting(store).await;
    let today = store_today();
    let world = World::new(store);
    let clerk = world.user("sven", Role::Editor, Some(s.ours[4])).await;
    let insight = |days: u64| InsightInput {
        category: Category::Needs,
        text: "Braucht Berichte.".into(),
        learned_on: today - Days::new(days),
        source_id: None,
        certainty: Certainty::Heard,
        valid_until: None,
        confidential: false,
    };
    for (author, person, days) in [
        (s.editor, s.ours[0], 3),
        (s.editor, s.ours[0], 10),
        (clerk, s.ours[4], 20),
        // Outside the window: not counted.
        (clerk, s.ours[4], 200),
    ] {
        store
            .create_insight(
                &actor(),
                InsightAbout {
                    partner: Some(s.theirs[0]),
                    account: None,
                    author,
                    author_person: Some(person),
                },
                &insight(days),
            )
            .await
            .unwrap();
    }
    store
        .log_interaction(
            &actor(),
            s.theirs[2],
            Some(s.account),
            (s.editor, Some(s.ours[2])),
            &InteractionInput {
                kind: "call".parse().unwrap(),
                happened_on: today - Days::new(4),
                summary: "Kurz abgestimmt.".into(),
            },
            &[],
        )
        .await
        .unwrap();
    let input = store
        .guiding_input(s.account, today, &Visibility::everything())
        .await
        .unwrap();
    assert_eq!(input.knowledge.insights.len(), 3);
    assert_eq!(input.knowledge.contacts.len(), 1);
    assert_eq!(input.people.len(), 2, "the two holding a relationship");
    assert_eq!(
        input.our_side.len(),
        0,
        "no responsible unit and no manager: nobody beyond the holders"
    );
    let partner = pre_answers(Questionnaire::Partner, &input, &Settings::new(today));
    let exchange = partner
        .iter()
        .find(|p| p.question == Question::Exchange)
        .unwrap();
    assert_eq!(
        exchange.evidence,
        vec![
            Evidence::Insights {
                count: 3,
                authors: 2,
                days: 90
            },
            Evidence::ContactsLogged {
                count: 1,
                authors: 1,
                days: 90
            },
            Evidence::Recording {
                recording: 2,
                counterparts: 2
            },
            Evidence::LastJourFixe { on: None },
        ]
    );
    assert_eq!(exchange.suggested, Some(Answer::Yes));

    // Our side of the relationship: the responsible unit's people.
    let mut fields = counterpart_core::account::AccountFields {
        organization_id: store
            .account(s.account)
            .await
            .unwrap()
            .organization_id
            .to_string(),
        relation: "supplier".into(),
        mode: "hierarchical".into(),
        responsible_unit_id: s.unit.to_string(),
        ..Default::default()
    };
    fields.name = "Hansa Bürodienste".into();
    let before = store.account(s.account).await.unwrap();
    store
        .update_account(
            &actor(),
            s.account,
            before.version,
            &counterpart_core::account::AccountInput::parse(&fields).unwrap(),
        )
        .await
        .unwrap();
    let input = store
        .guiding_input(s.account, today, &Visibility::everything())
        .await
        .unwrap();
    assert_eq!(input.our_side.len(), 5, "everyone in Betrieb");
    let supplier = pre_answers(Questionnaire::Supplier, &input, &Settings::new(today));
    let direct = supplier
        .iter()
        .find(|p| p.question == Question::DirectContact)
        .unwrap();
    assert_eq!(direct.suggested, Some(Answer::Yes));
    assert!(
        direct.evidence.contains(&Evidence::TheirCounterparts {
            covered: 2,
            ours: 5,
            theirs: 2
        }),
        "{:?}",
        direct.evidence
    );
}

async fn the_demo_answers_the_guiding_questions(store: &Store) {
    store.load_demo().await.unwrap();
    let sets = store.answer_sets(AnswerSetFilter::default()).await.unwrap();
    let of = |questionnaire: Questionnaire| -> Vec<_> {
        sets.iter()
            .filter(|s| s.questionnaire == questionnaire)
            .cloned()
            .collect()
    };
    let (partner, supplier) = (of(Questionnaire::Partner), of(Questionnaire::Supplier));
    assert_eq!(partner.len(), 2, "Konzern-IT twice");
    assert_eq!(supplier.len(), 2, "Hansa twice");
    assert!(partner[0].answered_on < partner[1].answered_on);
    assert!(
        partner[0].score() < partner[1].score(),
        "a visible trend: {} -> {}",
        partner[0].score(),
        partner[1].score()
    );
    assert_eq!(partner[0].account_id, partner[1].account_id);
    let it = store.account(partner[0].account_id).await.unwrap();
    assert!(it.name.contains("Konzern-IT"), "{}", it.name);
    let hansa = store.account(supplier[0].account_id).await.unwrap();
    assert!(hansa.name.contains("Hansa"), "{}", hansa.name);
    assert!(hansa.relation.is_supplier());
    for set in partner.iter().chain(&supplier) {
        assert_eq!(set.answers.len(), 4);
    }
}
