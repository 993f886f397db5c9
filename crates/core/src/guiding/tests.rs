//! The pre-answers match the data: small accounts built here, their evidence numbers asserted.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::account::DecisionRole;
use crate::mirror::analysis::analyze_account;
use crate::mirror::reverse::reverse;
use crate::mirror::{CurrentAssignment, MirrorContact, Settings};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
}

fn p(id: i64) -> PersonId {
    PersonId::new(id)
}

/// A key contact of theirs (ids 100…) on a level.
fn theirs(id: i64, rank: i64) -> MirrorContact {
    MirrorContact {
        person_id: p(id),
        level_rank: Some(rank),
        is_assistant: false,
        assistant_of: None,
        reports_to: None,
        influence: 3,
        role: DecisionRole::Influencer,
    }
}

/// One of ours (ids 1…) on a level.
fn ours(id: i64, rank: i64) -> OurPerson {
    OurPerson {
        person_id: p(id),
        level_rank: Some(rank),
        is_assistant: false,
        assistant_of: None,
        unit_id: Some(UnitId::new(1)),
        unit_ancestors: Vec::new(),
        capacity: None,
        load: 1,
    }
}

/// A current pair, in contact `days_ago` days ago, rated `rating`.
fn pair(partner: i64, our: i64, kind: AssignmentKind, rating: Option<i64>) -> CurrentAssignment {
    CurrentAssignment {
        partner_id: p(partner),
        our_id: p(our),
        kind,
        relationship: rating,
        last_contact: Some(today() - chrono::Days::new(5)),
        contact_every_days: None,
        valid_from: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    }
}

fn account(
    mode: ManagementMode,
    manager: Option<i64>,
    contacts: Vec<MirrorContact>,
    assignments: Vec<CurrentAssignment>,
) -> MirrorAccount {
    MirrorAccount {
        id: AccountId::new(7),
        mode,
        manager_id: manager.map(p),
        responsible_unit_id: Some(UnitId::new(1)),
        partner_unit: None,
        importance: None,
        tier: None,
        contacts,
        assignments,
        jour_fixe: Default::default(),
    }
}

fn by(user: i64, person: Option<i64>) -> Recorded {
    Recorded {
        user: UserId::new(user),
        person: person.map(p),
    }
}

fn pre(answers: &[PreAnswer], q: Question) -> &PreAnswer {
    answers.iter().find(|a| a.question == q).unwrap()
}

/// A mirrored hierarchy: three key contacts on levels 1, 3 and 5, each served by one of ours on
/// the same level, a deputy on level 2 for the top; insights from two counterparts, a contact
/// logged by a third person who holds no relationship.
#[test]
fn a_mirrored_account_is_pre_answered_yes_with_its_numbers() {
    let mut account = account(
        ManagementMode::Hierarchical,
        None,
        vec![theirs(101, 1), theirs(103, 3), theirs(105, 5)],
        vec![
            pair(101, 1, AssignmentKind::Primary, Some(5)),
            pair(101, 2, AssignmentKind::Deputy, None),
            pair(103, 3, AssignmentKind::Primary, Some(4)),
            pair(105, 5, AssignmentKind::Primary, Some(4)),
        ],
    );
    // A jour fixe discussed it twelve days ago: evidence of how information is exchanged.
    let last_jour_fixe = today() - chrono::Days::new(12);
    account.jour_fixe.last_meeting = Some(last_jour_fixe);
    let people = vec![ours(1, 1), ours(2, 2), ours(3, 3), ours(5, 5), ours(9, 4)];
    let analysis = analyze_account(&account, &people, &Settings::new(today()));
    let knowledge = Knowledge {
        insights: vec![
            by(11, Some(1)),
            by(11, Some(1)),
            by(13, Some(3)),
            by(20, None),
        ],
        contacts: vec![by(19, Some(9)), by(13, Some(3))],
    };
    let facts = PartnerFacts::of(&account, &people, &analysis, &knowledge);
    assert_eq!(facts.counterparts, vec![p(1), p(2), p(3), p(5)]);
    assert_eq!(facts.counterpart_levels, 4, "levels 1, 2, 3 and 5");
    assert_eq!(
        (facts.key_contacts, facts.covered, facts.matched),
        (3, 3, 3)
    );
    assert_eq!(facts.shape, Shape::Diamond);
    assert_eq!(
        (facts.insights, facts.insight_authors),
        (4, 3),
        "people 1 and 3, and a user without a person"
    );
    assert_eq!((facts.contacts_logged, facts.contact_authors), (2, 2));
    assert_eq!(facts.recording, 2, "counterparts 1 and 3; 9 holds none");
    assert!(!facts.nobody_responsible);
    assert_eq!(facts.overdue, 0);

    let answers = partner_pre_answers(&facts);
    assert_eq!(
        answers.iter().map(|a| a.question).collect::<Vec<_>>(),
        Questionnaire::Partner.questions()
    );
    let counterpart = pre(&answers, Question::Counterpart);
    assert_eq!(counterpart.suggested, Some(Answer::Yes));
    assert!(counterpart.evidence.contains(&Evidence::Counterparts {
        people: 4,
        levels: 4
    }));
    assert!(counterpart.evidence.contains(&Evidence::KeyContacts {
        contacts: 3,
        covered: 3
    }));
    let hierarchy = pre(&answers, Question::Hierarchy);
    assert_eq!(hierarchy.suggested, Some(Answer::Yes));
    assert!(hierarchy.evidence.contains(&Evidence::Mirror {
        shape: Shape::Diamond,
        score: facts.score
    }));
    assert!(facts.score >= 90, "score {}", facts.score);
    assert_eq!(
        pre(&answers, Question::Responsible).suggested,
        Some(Answer::Yes)
    );
    let exchange = pre(&answers, Question::Exchange);
    assert_eq!(exchange.suggested, Some(Answer::Yes));
    assert_eq!(
        exchange.evidence,
        vec![
            Evidence::Insights {
                count: 4,
                authors: 3,
                days: WINDOW_DAYS
            },
            Evidence::ContactsLogged {
                count: 2,
                authors: 2,
                days: WINDOW_DAYS
            },
            Evidence::Recording {
                recording: 2,
                counterparts: 4
            },
            Evidence::LastJourFixe {
                on: Some(last_jour_fixe)
            },
        ]
    );
}

/// The brief's anti-pattern: one key account manager holds every thread, nobody writes
/// anything down, and one relationship is overdue.
#[test]
fn a_bow_tie_without_exchange_is_pre_answered_no() {
    let mut stale = pair(103, 1, AssignmentKind::Primary, Some(2));
    stale.last_contact = Some(today() - chrono::Days::new(400));
    let account = account(
        ManagementMode::SingleManager,
        Some(1),
        vec![theirs(101, 1), theirs(103, 3), theirs(105, 5)],
        vec![
            pair(101, 1, AssignmentKind::Primary, Some(4)),
            stale,
            pair(105, 1, AssignmentKind::Primary, Some(3)),
        ],
    );
    let people = vec![ours(1, 3)];
    let analysis = analyze_account(&account, &people, &Settings::new(today()));
    let facts = PartnerFacts::of(&account, &people, &analysis, &Knowledge::default());
    assert_eq!(facts.shape, Shape::BowTie);
    assert_eq!(facts.counterparts, vec![p(1)]);
    assert_eq!(facts.counterpart_levels, 1);
    assert_eq!(facts.overdue, 1);
    let answers = partner_pre_answers(&facts);
    assert_eq!(
        pre(&answers, Question::Counterpart).suggested,
        Some(Answer::Yes),
        "a key account manager is named"
    );
    assert_eq!(
        pre(&answers, Question::Hierarchy).suggested,
        Some(Answer::No)
    );
    let responsible = pre(&answers, Question::Responsible);
    assert_eq!(responsible.suggested, Some(Answer::Partly));
    assert!(responsible.evidence.contains(&Evidence::Overdue {
        overdue: 1,
        pairs: 3
    }));
    assert_eq!(
        pre(&answers, Question::Exchange).suggested,
        Some(Answer::No)
    );
}

#[test]
fn nobody_at_all_is_no_everywhere() {
    let account = account(
        ManagementMode::Hierarchical,
        None,
        vec![theirs(101, 1)],
        Vec::new(),
    );
    let analysis = analyze_account(&account, &[], &Settings::new(today()));
    let facts = PartnerFacts::of(&account, &[], &analysis, &Knowledge::default());
    let answers = partner_pre_answers(&facts);
    for q in Questionnaire::Partner.questions() {
        assert_eq!(pre(&answers, *q).suggested, Some(Answer::No), "{q}");
    }
    assert!(
        pre(&answers, Question::Responsible)
            .evidence
            .contains(&Evidence::NobodyResponsible)
    );
}

/// The supplier seen from our side: of our four people, three have someone there, two of them
/// on their own level; one key person there is an influential champion.
#[test]
fn the_reversed_mirror_answers_the_supplier_questions() {
    let account = account(
        ManagementMode::Hierarchical,
        None,
        vec![theirs(101, 1), theirs(102, 2), theirs(104, 4)],
        vec![
            // Our 1 (level 1) serves their 101 (level 1) and 104 (level 4): 101 is theirs for 1.
            pair(101, 1, AssignmentKind::Primary, Some(5)),
            pair(104, 1, AssignmentKind::Primary, Some(3)),
            // Our 2 (level 2) serves their 102 (level 2).
            pair(102, 2, AssignmentKind::Primary, Some(4)),
            // Our 5 (level 5) serves their 104 (level 4)... as a deputy only.
            pair(104, 5, AssignmentKind::Deputy, None),
            // Our 3 (level 3) serves 104 (level 4) as a primary: one level apart.
            pair(104, 3, AssignmentKind::Primary, None),
        ],
    );
    let people = vec![ours(1, 1), ours(2, 2), ours(3, 3), ours(5, 5)];
    let turned = reverse(&account, &people);
    assert_eq!(
        turned.counterpart_of(p(1)),
        Some(p(101)),
        "the closest level"
    );
    assert_eq!(turned.counterpart_of(p(2)), Some(p(102)));
    assert_eq!(turned.counterpart_of(p(3)), Some(p(104)));
    assert_eq!(turned.counterpart_of(p(5)), None, "a deputy only");
    assert_eq!(turned.account.contacts.len(), 4);
    assert_eq!(turned.people.len(), 3);
    let analysis = analyze_account(&turned.account, &turned.people, &Settings::new(today()));
    let advocates = [
        Advocate {
            argues_for_us: true,
            influence: 4,
        },
        Advocate {
            argues_for_us: false,
            influence: 5,
        },
    ];
    let facts = SupplierFacts::of(&turned.account, &analysis, &advocates);
    assert_eq!(
        (facts.ours, facts.covered, facts.matched, facts.theirs),
        (4, 3, 3, 3)
    );
    assert_eq!(facts.relationship_tenths, Some(45), "(5 + 4) / 2");
    assert_eq!(facts.rated, 2);
    assert_eq!((facts.advocates, facts.influential_advocates), (1, 1));
    let answers = supplier_pre_answers(&facts);
    assert_eq!(
        answers.iter().map(|a| a.question).collect::<Vec<_>>(),
        Questionnaire::Supplier.questions()
    );
    let direct = pre(&answers, Question::DirectContact);
    assert_eq!(direct.suggested, Some(Answer::Yes));
    assert!(direct.evidence.contains(&Evidence::TheirCounterparts {
        covered: 3,
        ours: 4,
        theirs: 3
    }));
    assert_eq!(
        pre(&answers, Question::Understood).suggested,
        Some(Answer::Yes)
    );
    assert_eq!(
        pre(&answers, Question::Advocacy).suggested,
        Some(Answer::Yes)
    );
    let advantage = pre(&answers, Question::Advantage);
    assert_eq!(advantage.suggested, None, "only we can judge it");
    assert_eq!(advantage.evidence, vec![Evidence::OnlyYouKnow]);
}

#[test]
fn a_supplier_nobody_serves_gives_no_direct_contact() {
    let account = account(
        ManagementMode::Hierarchical,
        None,
        vec![theirs(101, 1)],
        Vec::new(),
    );
    let turned = reverse(&account, &[ours(1, 1), ours(2, 4)]);
    let analysis = analyze_account(&turned.account, &turned.people, &Settings::new(today()));
    let facts = SupplierFacts::of(&turned.account, &analysis, &[]);
    assert_eq!((facts.ours, facts.covered), (2, 0));
    let answers = supplier_pre_answers(&facts);
    assert_eq!(
        pre(&answers, Question::DirectContact).suggested,
        Some(Answer::No)
    );
    assert_eq!(pre(&answers, Question::Understood).suggested, None);
    assert_eq!(pre(&answers, Question::Advocacy).suggested, None);
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_complete_form_is_an_answer_set() {
    let input = AnswerSetInput::parse(
        Questionnaire::Partner,
        &form(&[
            ("unit_id", "4"),
            ("counterpart", "yes"),
            ("hierarchy", "partly"),
            (
                "hierarchy_comment",
                "  Chef zu Chef ja,\r\nSachbearbeitung noch nicht. ",
            ),
            ("responsible", "no"),
            ("exchange", "yes"),
        ]),
    )
    .unwrap();
    assert_eq!(input.unit_id, UnitId::new(4));
    assert_eq!(input.answers.len(), 4);
    assert_eq!(input.answers[1].answer, Answer::Partly);
    assert_eq!(
        input.answers[1].comment.as_deref(),
        Some("Chef zu Chef ja,\nSachbearbeitung noch nicht.")
    );
    assert_eq!(
        score(input.answers.iter().map(|a| a.answer)),
        63,
        "5 of 8 points"
    );
}

#[test]
fn every_bad_field_is_named() {
    let errors = AnswerSetInput::parse(
        Questionnaire::Supplier,
        &form(&[
            ("unit_id", "x"),
            ("direct_contact", "vielleicht"),
            ("understood", "yes"),
            ("understood_comment", "bell\u{7}"),
            ("advantage", "no"),
            ("advantage_comment", &"ä".repeat(MAX_COMMENT + 1)),
        ]),
    )
    .unwrap_err();
    assert_eq!(errors.get("unit_id"), Some(&Problem::NotFound));
    assert_eq!(errors.get("direct_contact"), Some(&Problem::UnknownChoice));
    assert_eq!(errors.get("advocacy"), Some(&Problem::Required));
    assert_eq!(
        errors.get("understood_comment"),
        Some(&Problem::ControlCharacter)
    );
    assert_eq!(
        errors.get("advantage_comment"),
        Some(&Problem::TooLong { max: MAX_COMMENT })
    );
    assert_eq!(errors.get("understood"), None);
    let missing = AnswerSetInput::parse(Questionnaire::Partner, &form(&[])).unwrap_err();
    for field in [
        "unit_id",
        "counterpart",
        "hierarchy",
        "responsible",
        "exchange",
    ] {
        assert_eq!(missing.get(field), Some(&Problem::Required), "{field}");
    }
}

#[test]
fn scores_and_questionnaires_fit_together() {
    assert_eq!(score([]), 0);
    assert_eq!(score([Answer::Yes; 4]), 100);
    assert_eq!(score([Answer::No, Answer::Partly]), 25);
    for q in Question::ALL {
        assert!(q.questionnaire().questions().contains(q));
        assert_eq!(q.comment_field(), format!("{q}_comment"));
    }
    let evidence = Evidence::Mirror {
        shape: Shape::Diamond,
        score: 78,
    };
    let json = serde_json::to_string(&evidence).unwrap();
    assert_eq!(json, r#"{"kind":"mirror","shape":"diamond","score":78}"#);
    assert_eq!(serde_json::from_str::<Evidence>(&json).unwrap(), evidence);
}
