//! The seek (keyset) reads the API pages through, on both backends: what we know about a
//! partner person or an account, the contact log, people across organizations by e-mail
//! address, and jour-fixe series. Each page walk reads every row that passes its filter once,
//! by id; a confidential insight reaches only the readers who may see it; a withdrawn one
//! reaches nobody.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use counterpart_core::ids::{InsightId, InteractionId, PersonId, SeriesId, UnitId, UserId};
use counterpart_core::insight::{Category, Certainty, InsightInput};
use counterpart_core::interaction::{InteractionInput, Kind};
use counterpart_core::jour_fixe::SeriesInput;
use counterpart_core::org::OrganizationKind;
use counterpart_core::person::PersonInput;
use counterpart_core::user::Role;
use counterpart_store::testing::World;
use counterpart_store::{
    ContactFilter, InsightAbout, InsightFilter, SeriesFilter, Store, Subject, Visibility,
};

use super::actor;

contract!(
    insights_and_contacts_are_paged_by_id_with_their_filters,
    people_are_found_by_address_across_organizations,
    series_are_paged_by_id,
);

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn learned(category: Category, text: &str, on: &str, confidential: bool) -> InsightInput {
    InsightInput {
        category,
        text: text.into(),
        learned_on: day(on),
        source_id: None,
        certainty: Certainty::Heard,
        valid_until: None,
        confidential,
    }
}

/// Every id a walk of pages of `size` reads, in the order read.
async fn walk<T, F, Fut>(size: u32, mut read: F, id: impl Fn(&T) -> i64) -> Vec<i64>
where
    F: FnMut(Option<i64>, u32) -> Fut,
    Fut: std::future::Future<Output = Vec<T>>,
{
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = read(after, size).await;
        assert!(page.len() <= size as usize);
        ids.extend(page.iter().map(&id));
        match page.last() {
            Some(last) if page.len() == size as usize => after = Some(id(last)),
            _ => return ids,
        }
    }
}

async fn insights_and_contacts_are_paged_by_id_with_their_filters(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let a = actor("Anna");
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let sales = world.unit(own, "Vertrieb", None).await;
    let buying = world.unit(own, "Einkauf", None).await;
    let seller = world.ladder_in(own, Some(sales), &["Lea Nord"]).await[0];
    let buyer = world.ladder_in(own, Some(buying), &["Ben Süd"]).await[0];
    let lea = world.user("lea", Role::Editor, Some(seller)).await;
    let ben = world.user("ben", Role::Editor, Some(buyer)).await;
    let isar = world.organization("Isar", OrganizationKind::External).await;
    let theirs = world.ladder(isar, &["Anna Amann", "Paul Petz"]).await;
    let account = world.account(isar, &theirs).await;
    let other = world.organization("Elbe", OrganizationKind::External).await;
    let stranger = world.ladder(other, &["Olga Ost"]).await[0];

    let about =
        |partner: Option<PersonId>, on_account: bool, author: UserId, person| InsightAbout {
            partner,
            account: on_account.then_some(account),
            author,
            author_person: Some(person),
        };
    let mut open = Vec::new();
    for (i, partner) in [theirs[0], theirs[1], theirs[0]].into_iter().enumerate() {
        let category = if i == 1 {
            Category::Needs
        } else {
            Category::Satisfaction
        };
        let on = ["2026-03-01", "2026-05-01", "2026-07-01"][i];
        let text = format!("Offen {i}");
        let made = store
            .create_insight(
                &a,
                about(Some(partner), false, lea, seller),
                &learned(category, &text, on, false),
            )
            .await
            .unwrap();
        open.push(made.id);
    }
    let on_account = store
        .create_insight(
            &a,
            about(None, true, lea, seller),
            &learned(Category::Developments, "Zum Account", "2026-08-01", false),
        )
        .await
        .unwrap()
        .id;
    let secret = store
        .create_insight(
            &a,
            about(Some(theirs[0]), false, lea, seller),
            &learned(Category::Satisfaction, "Vertraulich", "2026-09-01", true),
        )
        .await
        .unwrap();
    let withdrawn = store
        .create_insight(
            &a,
            about(Some(theirs[0]), false, lea, seller),
            &learned(Category::Other, "Zurückgezogen", "2026-09-02", false),
        )
        .await
        .unwrap();
    store
        .withdraw_insight(&a, withdrawn.id, withdrawn.version)
        .await
        .unwrap();
    // About someone of another organization: in neither list.
    store
        .create_insight(
            &a,
            InsightAbout {
                partner: Some(stranger),
                account: None,
                author: lea,
                author_person: Some(seller),
            },
            &learned(Category::Needs, "Anderswo", "2026-03-01", false),
        )
        .await
        .unwrap();

    let everything = Visibility::everything();
    let author = Visibility {
        all: false,
        user: Some(lea),
        units: vec![sales],
        hidden_accounts: Vec::new(),
        hidden_partners: Vec::new(),
    };
    let beside = Visibility {
        all: false,
        user: Some(ben),
        units: vec![buying],
        hidden_accounts: Vec::new(),
        hidden_partners: Vec::new(),
    };
    let filter = InsightFilter::default();
    let read = |subject: Subject, filter: InsightFilter, visibility: Visibility| {
        move |after: Option<i64>, size: u32| {
            let filter = filter.clone();
            let visibility = visibility.clone();
            async move {
                store
                    .insights_after(
                        subject,
                        &filter,
                        &visibility,
                        after.map(InsightId::new),
                        size,
                    )
                    .await
                    .unwrap()
            }
        }
    };
    let id = |i: &counterpart_core::insight::Insight| i.id.get();

    // The person's: every open one about them and the secret, by id, each once.
    let person = Subject::Person(theirs[0]);
    let mut expected = vec![open[0].get(), open[2].get(), secret.id.get()];
    expected.sort_unstable();
    for size in [1, 2, 50] {
        assert_eq!(
            walk(size, read(person, filter.clone(), everything.clone()), id).await,
            expected,
            "pages of {size}"
        );
    }
    // The confidential one reaches its author's unit, not the unit beside.
    let seen = walk(2, read(person, filter.clone(), author.clone()), id).await;
    assert!(seen.contains(&secret.id.get()));
    let hidden = walk(2, read(person, filter.clone(), beside.clone()), id).await;
    assert!(!hidden.contains(&secret.id.get()), "{hidden:?}");
    assert_eq!(hidden.len(), 2);

    // The account's: about it and about each of its key contacts.
    let on = Subject::Account(account);
    let mut expected = vec![
        open[0].get(),
        open[1].get(),
        open[2].get(),
        on_account.get(),
        secret.id.get(),
    ];
    expected.sort_unstable();
    assert_eq!(
        walk(2, read(on, filter.clone(), everything.clone()), id).await,
        expected
    );
    // The page shows the same (newest first there).
    let page: BTreeSet<i64> = store
        .insights_about_account(account, &everything)
        .await
        .unwrap()
        .iter()
        .map(|v| v.insight.id.get())
        .collect();
    assert_eq!(page, expected.iter().copied().collect());

    // Filters hold on every page.
    let needs = InsightFilter {
        category: Some(Category::Needs),
        since: None,
    };
    assert_eq!(
        walk(1, read(on, needs, everything.clone()), id).await,
        vec![open[1].get()]
    );
    let since = InsightFilter {
        category: None,
        since: Some(day("2026-07-01")),
    };
    let mut recent = vec![open[2].get(), on_account.get(), secret.id.get()];
    recent.sort_unstable();
    assert_eq!(
        walk(1, read(on, since.clone(), everything.clone()), id).await,
        recent
    );
    recent.retain(|i| *i != secret.id.get());
    assert_eq!(walk(1, read(on, since, beside), id).await, recent);

    // The contact log: by id, with who else was there, the kind and day filters holding.
    let mut logged = Vec::new();
    for (i, (partner, kind, on)) in [
        (theirs[0], Kind::Call, "2026-04-01"),
        (theirs[1], Kind::Meeting, "2026-06-01"),
        (theirs[0], Kind::Meeting, "2026-08-01"),
        (stranger, Kind::Email, "2026-08-02"),
    ]
    .into_iter()
    .enumerate()
    {
        let input = InteractionInput {
            kind,
            happened_on: day(on),
            summary: format!("Kontakt {i}"),
        };
        let also: Vec<PersonId> = if i == 2 {
            vec![theirs[1], buyer]
        } else {
            Vec::new()
        };
        let account = (i == 1).then_some(account);
        logged.push(
            store
                .log_interaction(&a, partner, account, (lea, Some(seller)), &input, &also)
                .await
                .unwrap()
                .id,
        );
    }
    let contacts = |subject: Subject, filter: ContactFilter| {
        move |after: Option<i64>, size: u32| {
            let filter = filter.clone();
            async move {
                store
                    .interactions_after(
                        subject,
                        &filter,
                        after.map(InteractionId::new),
                        size,
                        &Visibility::everything(),
                    )
                    .await
                    .unwrap()
            }
        }
    };
    let contact_id = |c: &counterpart_store::LoggedContact| c.interaction.id.get();
    let all = ContactFilter::default();
    assert_eq!(
        walk(1, contacts(person, all.clone()), contact_id).await,
        vec![logged[0].get(), logged[2].get()]
    );
    assert_eq!(
        walk(2, contacts(on, all.clone()), contact_id).await,
        vec![logged[0].get(), logged[1].get(), logged[2].get()]
    );
    let meetings = ContactFilter {
        kind: Some(Kind::Meeting),
        since: Some(day("2026-07-01")),
    };
    assert_eq!(
        walk(1, contacts(on, meetings), contact_id).await,
        vec![logged[2].get()]
    );
    let page = store
        .interactions_after(on, &all, Some(logged[1]), 10, &Visibility::everything())
        .await
        .unwrap();
    let mut others = vec![theirs[1], buyer];
    others.sort_unstable();
    assert_eq!(page[0].also, others, "who else was there, by id");
    let one = store
        .interaction(logged[2], &Visibility::everything())
        .await
        .unwrap();
    assert_eq!(one, page[0]);
    assert_eq!(one.interaction.summary, "Kontakt 2");
    assert!(
        store
            .interaction(InteractionId::new(i64::MAX), &Visibility::everything())
            .await
            .is_err()
    );
}

async fn people_are_found_by_address_across_organizations(store: &Store) {
    store.seed_defaults().await.unwrap();
    let a = actor("Anna");
    let world = World::new(store);
    let isar = world.organization("Isar", OrganizationKind::External).await;
    let elbe = world.organization("Elbe", OrganizationKind::External).await;
    let with = |family: &str, email: &str| PersonInput {
        given_name: None,
        family_name: family.into(),
        academic_title: None,
        job_title: None,
        level_id: None,
        function_id: None,
        unit_id: None,
        reports_to_id: None,
        assistant_of_id: None,
        email: Some(counterpart_core::person::Email::parse(email).unwrap()),
        phone: None,
        mobile: None,
        notes: None,
    };
    let since = day("2024-01-01");
    let first = store
        .create_person(&a, isar, &with("Amann", "anna@isar.example"), since)
        .await
        .unwrap();
    // The same address at another company (she moved, or a shared mailbox), in capitals.
    let second = store
        .create_person(&a, elbe, &with("Amann", "Anna@Isar.Example"), since)
        .await
        .unwrap();
    let gone = store
        .create_person(&a, elbe, &with("Alt", "anna@isar.example"), since)
        .await
        .unwrap();
    store
        .set_person_active(&a, gone.id, gone.version, false)
        .await
        .unwrap();
    store
        .create_person(&a, elbe, &with("Berg", "bert@elbe.example"), since)
        .await
        .unwrap();

    let found = |email: Option<&'static str>, inactive: bool| {
        move |after: Option<i64>, size: u32| async move {
            store
                .people_anywhere_after(email, inactive, after.map(PersonId::new), size)
                .await
                .unwrap()
        }
    };
    let id = |p: &counterpart_core::person::Person| p.id.get();
    assert_eq!(
        walk(1, found(Some("ANNA@isar.example"), false), id).await,
        vec![first.id.get(), second.id.get()]
    );
    assert_eq!(
        walk(5, found(Some("anna@isar.example"), true), id).await,
        vec![first.id.get(), second.id.get(), gone.id.get()]
    );
    assert!(
        walk(5, found(Some("nobody@isar.example"), true), id)
            .await
            .is_empty()
    );
    // Without an address: everyone active, each once.
    let everyone = walk(2, found(None, false), id).await;
    assert_eq!(everyone.len(), 3);
    assert!(everyone.windows(2).all(|w| w[0] < w[1]));
}

async fn series_are_paged_by_id(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let a = actor("Anna");
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let west = world.unit(own, "Key Account West", None).await;
    let east = world.unit(own, "Key Account Ost", None).await;
    let convenor = world.ladder_in(own, Some(west), &["Vera Vogt"]).await[0];
    let input = |name: &str, unit: UnitId| SeriesInput {
        name: name.into(),
        unit_id: unit,
        first_start: chrono::NaiveDateTime::parse_from_str("2026-10-06 09:00", "%Y-%m-%d %H:%M")
            .unwrap(),
        time_zone: "Europe/Berlin".into(),
        rrule: "FREQ=WEEKLY".into(),
        duration_minutes: 60,
        place: None,
        rule: None,
    };
    let mut made = Vec::new();
    for (name, unit) in [("West 1", west), ("Ost", east), ("West 2", west)] {
        made.push(
            store
                .create_series(&a, convenor, &input(name, unit))
                .await
                .unwrap(),
        );
    }
    store
        .cancel_series(&a, made[2].id, made[2].version)
        .await
        .unwrap();
    let read = |filter: SeriesFilter| {
        move |after: Option<i64>, size: u32| {
            let filter = filter.clone();
            async move {
                store
                    .series_after(&filter, after.map(SeriesId::new), size)
                    .await
                    .unwrap()
            }
        }
    };
    let id = |s: &counterpart_core::jour_fixe::Series| s.id.get();
    let ids: Vec<i64> = made.iter().map(|s| s.id.get()).collect();
    assert_eq!(
        walk(1, read(SeriesFilter::default()), id).await,
        ids[..2].to_vec(),
        "running ones"
    );
    let all = SeriesFilter {
        unit_id: None,
        include_cancelled: true,
    };
    assert_eq!(walk(2, read(all), id).await, ids);
    let of_west = SeriesFilter {
        unit_id: Some(west),
        include_cancelled: true,
    };
    assert_eq!(walk(1, read(of_west), id).await, vec![ids[0], ids[2]]);
}
