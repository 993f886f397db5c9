//! The customer jour fixe on both backends: a series with its participants and accounts, a
//! meeting prepared from the data ("what changed since" the previous one, who has the
//! information), contributions that become insights, decisions, actions carried over, and
//! calendar addresses.

use chrono::{DateTime, NaiveDate, Utc};
use counterpart_core::account::{AssignmentInput, AssignmentKind, RatingInput};
use counterpart_core::ids::UnitId;
use counterpart_core::insight::{Category, Certainty, InsightInput};
use counterpart_core::jour_fixe::{ActionInput, CoverageRule, MeetingStatus, SeriesInput};
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_store::testing::World;
use counterpart_store::{ContributionKind, Store, Visibility};

use super::actor;

contract!(
    a_series_meets_prepares_its_agenda_and_keeps_what_was_said,
    a_rule_covers_accounts_and_calendar_addresses_can_be_revoked,
);

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn input(unit: UnitId, first: &str) -> SeriesInput {
    SeriesInput {
        name: "Kunden-Jour-fixe Isar".into(),
        unit_id: unit,
        first_start: chrono::NaiveDateTime::parse_from_str(first, "%Y-%m-%d %H:%M").unwrap(),
        time_zone: "Europe/Berlin".into(),
        rrule: "FREQ=WEEKLY".into(),
        duration_minutes: 60,
        place: Some("Raum 4.12".into()),
        rule: None,
    }
}

fn insight(text: &str, on: NaiveDate) -> InsightInput {
    InsightInput {
        category: Category::Satisfaction,
        text: text.into(),
        learned_on: on,
        source_id: None,
        certainty: Certainty::Heard,
        valid_until: None,
        confidential: false,
    }
}

async fn a_series_meets_prepares_its_agenda_and_keeps_what_was_said(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let unit = world.unit(own, "Key Account West", None).await;
    let ours = world.ladder(own, &["Vera Vogt", "Karl Kühn"]).await;
    let isar = world.organization("Isar", OrganizationKind::External).await;
    let theirs = world.ladder(isar, &["Anna Amann", "Paul Petz"]).await;
    let account = world.account(isar, &theirs).await;
    let user = world.user("vogt", Role::Editor, Some(ours[0])).await;
    let vogt = counterpart_store::Actor {
        user_id: Some(user),
        name: "Vera Vogt".into(),
    };
    // Anna's counterpart is Vera, rated twice: satisfaction 4, then 3.
    let pair = store
        .assign(
            &actor("Admin"),
            &AssignmentInput {
                partner_id: theirs[0],
                our_id: ours[0],
                kind: AssignmentKind::Primary,
                valid_from: day("2025-01-01"),
            },
        )
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    for (days_ago, satisfaction) in [(20, 4), (2, 3)] {
        let rating = RatingInput {
            rated_on: today - chrono::Days::new(days_ago),
            relationship: 4,
            partnership: 4,
            satisfaction,
            comment: None,
        };
        store.rate(&actor("Admin"), pair.id, &rating).await.unwrap();
    }

    // A series that began a month ago, weekly.
    let first = (Utc::now() - chrono::Duration::days(28))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%d 09:00")
        .to_string();
    let series = store
        .create_series(&vogt, ours[0], &input(unit, &first))
        .await
        .unwrap();
    assert_eq!(series.sequence, 0);
    store
        .add_participant(&vogt, series.id, ours[1])
        .await
        .unwrap();
    store
        .cover_account(&vogt, series.id, account)
        .await
        .unwrap();
    // Adding twice changes nothing; the convenor cannot leave.
    store
        .cover_account(&vogt, series.id, account)
        .await
        .unwrap();
    assert!(
        store
            .remove_participant(&vogt, series.id, ours[0])
            .await
            .is_err()
    );
    let participants = store.participants(series.id).await.unwrap();
    assert_eq!(participants.len(), 2);
    assert_eq!(
        store.series(series.id).await.unwrap().sequence,
        1,
        "a new participant is an update"
    );
    assert_eq!(
        store
            .covered_accounts(&store.series(series.id).await.unwrap())
            .await
            .unwrap(),
        vec![account]
    );

    // The meeting a week ago took place (prepared then), the one of today's week is next.
    let schedule = series.schedule().unwrap();
    let past: Vec<DateTime<Utc>> =
        schedule.between(Utc::now() - chrono::Duration::days(14), Utc::now(), 5);
    let last = *past.last().unwrap();
    let held = store.meeting_at(&vogt, series.id, past[0]).await.unwrap();
    store
        .prepare_agenda(&vogt, held.id, held.starts_at.date_naive())
        .await
        .unwrap();
    let meeting = store.meeting_at(&vogt, series.id, last).await.unwrap();
    assert_eq!(
        store.meeting_at(&vogt, series.id, last).await.unwrap().id,
        meeting.id,
        "one meeting per occurrence"
    );
    let prepared = store
        .prepare_agenda(&vogt, meeting.id, today)
        .await
        .unwrap();
    assert_eq!(prepared.since_on, Some(held.starts_at.date_naive()));
    let agenda = store.agenda(meeting.id).await.unwrap();
    assert_eq!(agenda.len(), 1);
    let item = agenda[0].prepared.as_ref().unwrap();
    assert_eq!(item.name, "Isar");
    // Since the previous meeting: one rating, satisfaction 4 -> 3; Vera has the information.
    assert_eq!(item.ratings.len(), 1);
    assert!(item.ratings[0].satisfaction_fell());
    assert_eq!(item.informed.len(), 1);
    assert_eq!(item.name(item.informed[0].ours), "Vera Vogt");
    // Prepared once: preparing again keeps it.
    let again = store
        .prepare_agenda(&vogt, meeting.id, today)
        .await
        .unwrap();
    assert_eq!(again.prepared_at, prepared.prepared_at);
    assert_eq!(store.agenda(meeting.id).await.unwrap().len(), 1);

    // In the meeting: a contribution becomes Vera's insight on the account, a decision, an
    // added item moved to the top, an action for Karl.
    let at = (meeting.id, agenda[0].id);
    let revision = store.meeting_revision(meeting.id).await.unwrap();
    let insight_id = store
        .contribute(
            &vogt,
            at,
            (user, Some(ours[0])),
            &insight(
                "Zufrieden mit der Reinigung, unzufrieden mit der Haustechnik.",
                today,
            ),
        )
        .await
        .unwrap()
        .expect("an insight on an account's item");
    store
        .decide(&vogt, at, "Haustechnik-Gespräch auf GF-Ebene.")
        .await
        .unwrap();
    let extra = store
        .add_agenda_item(&vogt, meeting.id, "Budget 2027")
        .await
        .unwrap();
    store
        .move_agenda_item(&vogt, meeting.id, extra, true)
        .await
        .unwrap();
    // On an item about no account, what is said is a note, not an insight about nobody.
    let note = store
        .contribute(
            &vogt,
            (meeting.id, extra),
            (user, Some(ours[0])),
            &insight("Budget steht erst im Januar fest.", today),
        )
        .await
        .unwrap();
    assert_eq!(note, None);
    let titles: Vec<String> = store
        .agenda(meeting.id)
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.title)
        .collect();
    assert_eq!(titles, ["Budget 2027", "Isar"]);
    let action = store
        .create_action(
            &vogt,
            Some(at),
            &ActionInput {
                title: "Angebot Haustechnik nachreichen".into(),
                owner_id: ours[1],
                due_on: today - chrono::Days::new(1),
            },
        )
        .await
        .unwrap();
    assert_eq!(action.account_id, Some(account));
    assert!(action.overdue(today));
    // Overdue, it is a finding of the account's mirror (the job the action queued).
    use counterpart_core::mirror::analysis::FindingKind;
    let kinds_of =
        |brief: Option<counterpart_core::mirror::analysis::MirrorBrief>| -> Vec<FindingKind> {
            brief
                .map(|b| b.top.iter().map(|f| f.kind()).collect())
                .unwrap_or_default()
        };
    store.run_jobs("test").await.unwrap();
    assert!(
        kinds_of(store.mirror_brief(account).await.unwrap()).contains(&FindingKind::OverdueActions)
    );
    assert!(store.meeting_revision(meeting.id).await.unwrap() >= revision + 4);

    let said = store.contributions(meeting.id).await.unwrap();
    let kinds: Vec<ContributionKind> = said.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ContributionKind::Insight,
            ContributionKind::Decision,
            ContributionKind::Note
        ]
    );
    assert_eq!(said[0].insight_id, Some(insight_id));
    assert_eq!(said[0].author_name, "Vera Vogt");
    let insights = store
        .insights_about_account(account, &Visibility::everything())
        .await
        .unwrap();
    assert!(
        insights
            .iter()
            .any(|i| i.insight.id == insight_id && i.insight.author_person_id == Some(ours[0]))
    );
    // The stamp a cache of the meeting page compares moves with each write in the meeting,
    // and with the insight withdrawn elsewhere.
    let stamp = store.meeting_stamp(meeting.id).await.unwrap();
    let withdrawn = store.insight(insight_id).await.unwrap();
    store
        .withdraw_insight(&vogt, insight_id, withdrawn.version)
        .await
        .unwrap();
    let after = store.meeting_stamp(meeting.id).await.unwrap();
    assert_ne!(after, stamp, "an insight withdrawn changes the stamp");
    assert_eq!(store.meeting_stamp(meeting.id).await.unwrap(), after);

    // The action is Karl's, open, on the account; done, it is gone from both lists.
    let karls = store
        .open_actions_of(ours[1], &counterpart_store::Visibility::everything())
        .await
        .unwrap();
    assert_eq!(karls.len(), 1);
    assert_eq!(karls[0].account_name.as_deref(), Some("Isar"));
    assert_eq!(store.open_actions_on(account).await.unwrap().len(), 1);
    // The next agenda carries it over.
    let next = schedule.next_from(Utc::now()).unwrap();
    let coming = store.meeting_at(&vogt, series.id, next).await.unwrap();
    store.prepare_agenda(&vogt, coming.id, today).await.unwrap();
    let carried = store.agenda(coming.id).await.unwrap();
    assert_eq!(carried[0].prepared.as_ref().unwrap().actions.len(), 1);
    store
        .finish_action(&vogt, action.id, action.version, Some(today))
        .await
        .unwrap();
    assert!(
        store
            .open_actions_of(ours[1], &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.open_actions_on(account).await.unwrap().is_empty());
    store.run_jobs("test").await.unwrap();
    assert!(
        !kinds_of(store.mirror_brief(account).await.unwrap())
            .contains(&FindingKind::OverdueActions)
    );

    // Cancelling one meeting raises its sequence; the series goes on.
    let cancelled = store
        .cancel_meeting(&vogt, coming.id, coming.version)
        .await
        .unwrap();
    assert_eq!(cancelled.status, MeetingStatus::Cancelled);
    assert_eq!(cancelled.sequence, coming.sequence + 1);
    assert_eq!(store.meetings_about(account).await.unwrap().len(), 2);

    // An agenda holds at most 100 items; the 101st is refused by name.
    let on_agenda = store.agenda(meeting.id).await.unwrap().len();
    for i in on_agenda..100 {
        store
            .add_agenda_item(&vogt, meeting.id, &format!("Punkt {i}"))
            .await
            .unwrap();
    }
    let refused = store
        .add_agenda_item(&vogt, meeting.id, "Einer zu viel")
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, counterpart_store::StoreError::Invalid(e) if e.get("title").is_some()),
        "{refused:?}"
    );
    assert_eq!(store.agenda(meeting.id).await.unwrap().len(), 100);

    // Every write left an audit row.
    use counterpart_core::audit::EntityKind;
    for entity in [
        EntityKind::Series,
        EntityKind::Meeting,
        EntityKind::AgendaItem,
        EntityKind::Contribution,
        EntityKind::Action,
    ] {
        let filter = counterpart_store::AuditFilter {
            entity: Some(entity),
            limit: 50,
            ..Default::default()
        };
        assert!(
            !store.audit_entries(&filter).await.unwrap().is_empty(),
            "{entity:?} audited"
        );
    }
}

async fn a_rule_covers_accounts_and_calendar_addresses_can_be_revoked(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let unit = world.unit(own, "Betrieb", None).await;
    let ours = world.ladder(own, &["Bea Betrieb"]).await;
    let it = world
        .organization("Konzern-IT", OrganizationKind::Internal)
        .await;
    let hansa = world
        .organization("Hansa", OrganizationKind::External)
        .await;
    let it_people = world.ladder(it, &["Tim Schürmann"]).await;
    let hansa_people = world.ladder(hansa, &["Hanna Hansen"]).await;
    let internal = world.account(it, &it_people).await;
    world.account(hansa, &hansa_people).await;
    let user = world.user("betrieb", Role::Editor, Some(ours[0])).await;
    let mut series_input = input(unit, "2026-12-01 09:00");
    series_input.rule = Some(CoverageRule {
        internal: Some(true),
        ..CoverageRule::default()
    });
    let series = store
        .create_series(&actor("Admin"), ours[0], &series_input)
        .await
        .unwrap();
    assert_eq!(
        store.covered_accounts(&series).await.unwrap(),
        vec![internal]
    );
    assert_eq!(store.series_of_person(ours[0]).await.unwrap().len(), 1);

    // A series meeting tomorrow is not prepared while it covers nothing; once it covers an
    // account, the job prepares the meeting with it.
    let tomorrow = (Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::Europe::Berlin)
        .format("%Y-%m-%d 10:00")
        .to_string();
    let mut soon = input(unit, &tomorrow);
    soon.name = "Bald".into();
    let soon = store
        .create_series(&actor("Admin"), ours[0], &soon)
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    assert!(
        store.meetings_of(soon.id).await.unwrap().is_empty(),
        "nothing to prepare"
    );
    let hansa_account = store
        .accounts(
            &counterpart_store::AccountFilter::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.id != internal)
        .unwrap()
        .account
        .id;
    store
        .cover_account(&actor("Admin"), soon.id, hansa_account)
        .await
        .unwrap();
    store.run_jobs("test").await.unwrap();
    let planned = store.meetings_of(soon.id).await.unwrap();
    assert_eq!(planned.len(), 1);
    assert!(planned[0].prepared_at.is_some());
    assert_eq!(store.agenda(planned[0].id).await.unwrap().len(), 1);

    let calendar = counterpart_core::user::TokenKind::Calendar;
    let (token, secret) = store
        .create_token(
            &actor("Admin"),
            user,
            &counterpart_store::testing::calendar_feed(),
        )
        .await
        .unwrap();
    let used = |secret: String| async move {
        store
            .use_token(&secret, calendar)
            .await
            .unwrap()
            .map(|t| t.user_id)
    };
    assert_eq!(used(secret.clone()).await, Some(user));
    assert_eq!(used("wrong".to_owned()).await, None);
    assert!(
        store.tokens_of(user, Some(calendar)).await.unwrap()[0]
            .last_used_at
            .is_some()
    );
    store
        .revoke_token(&actor("Admin"), token.id, Some(user))
        .await
        .unwrap();
    assert_eq!(used(secret).await, None);

    // A cancelled series has no more meetings to plan and refuses changes.
    let cancelled = store
        .cancel_series(&actor("Admin"), series.id, series.version)
        .await
        .unwrap();
    assert!(cancelled.cancelled_at.is_some());
    assert!(
        store
            .series_of_person(ours[0])
            .await
            .unwrap()
            .iter()
            .all(|s| s.id != series.id),
        "a cancelled series is nobody's any more"
    );
    assert!(
        store
            .add_participant(&actor("Admin"), series.id, ours[0])
            .await
            .is_err()
    );
}
