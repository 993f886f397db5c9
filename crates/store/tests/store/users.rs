//! Users as administrators manage them: the person link (one by one and by e-mail address),
//! the last administrator, passwords.

use counterpart_core::ids::PersonId;
use counterpart_core::person::Email;
use counterpart_core::user::{Role, UserInput, Username};
use counterpart_core::validate::Problem;
use counterpart_store::{OwnPassword, Refusal, Store, StoreError, UserQuery};

use counterpart_store::testing::World;

use super::{actor, field_problem, logged_in, new_user, person_input, try_login};
use counterpart_core::org::OrganizationKind;

contract!(
    users_are_linked_to_people_of_our_house,
    users_are_linked_by_email_in_bulk,
    there_is_always_an_active_administrator,
    users_change_their_own_password,
    the_user_list_is_searched_and_paged,
    visibility_is_applied_in_sql,
);

/// A person with an e-mail address in a new organization of the kind given.
async fn person_with_email(
    store: &Store,
    org: counterpart_core::ids::OrganizationId,
    family: &str,
    email: &str,
) -> PersonId {
    let mut input = person_input("Ulla", family);
    input.email = Some(Email::parse(email).unwrap());
    store
        .create_person(&actor("Admin"), org, &input, super::day(2020, 1, 1))
        .await
        .unwrap()
        .id
}

fn details(name: &str, email: Option<&str>, role: Role, person: Option<PersonId>) -> UserInput {
    UserInput {
        display_name: name.to_owned(),
        email: email.map(|e| Email::parse(e).unwrap()),
        role,
        person_id: person,
    }
}

async fn users_are_linked_to_people_of_our_house(store: &Store) {
    let a = actor("Admin");
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let partner = world
        .organization("Brandt", OrganizationKind::External)
        .await;
    let ulla = person_with_email(store, own, "Usedom", "ulla@nordlicht.example").await;
    let stranger = person_with_email(store, partner, "Fremd", "f@brandt.example").await;
    let user = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("ulla").unwrap(),
                "Ulla",
                "correct horse battery",
                Role::Editor,
            ),
        )
        .await
        .unwrap();

    // A person of another organization is not one of us.
    let refused = store
        .update_user(
            &a,
            user.id,
            user.version,
            &details("Ulla", None, Role::Editor, Some(stranger)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(refused, "person_id"),
        Problem::NotOwnOrganization
    );
    let linked = store
        .update_user(
            &a,
            user.id,
            user.version,
            &details(
                "Ulla Usedom",
                Some("ulla@nordlicht.example"),
                Role::Editor,
                Some(ulla),
            ),
        )
        .await
        .unwrap();
    assert_eq!(linked.person_id, Some(ulla));
    assert_eq!(linked.email.as_deref(), Some("ulla@nordlicht.example"));
    // A stale version names who changed the user meanwhile.
    let stale = store
        .update_user(
            &a,
            user.id,
            user.version,
            &details("X", None, Role::Viewer, None),
        )
        .await
        .unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { .. }), "{stale:?}");

    // Nobody else can be that person, or have that address.
    let mut other = new_user(
        &Username::parse("zweite").unwrap(),
        "Zweite",
        "correct horse battery",
        Role::Viewer,
    );
    other.details.person_id = Some(ulla);
    let taken = store.create_user(&a, &other).await.unwrap_err();
    assert_eq!(field_problem(taken, "person_id"), Problem::Taken);
    other.details.person_id = None;
    other.details.email = Some(Email::parse("ulla@nordlicht.example").unwrap());
    let taken = store.create_user(&a, &other).await.unwrap_err();
    assert_eq!(field_problem(taken, "email"), Problem::Taken);
    assert_eq!(store.users().await.unwrap().len(), 1, "nothing was created");
}

async fn users_are_linked_by_email_in_bulk(store: &Store) {
    let a = actor("Admin");
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let partner = world
        .organization("Brandt", OrganizationKind::External)
        .await;
    let anna = person_with_email(store, own, "Anders", "Anna@Nordlicht.example").await;
    person_with_email(store, own, "Doppel", "twice@nordlicht.example").await;
    person_with_email(store, own, "Doppelt", "twice@nordlicht.example").await;
    person_with_email(store, partner, "Partner", "p@brandt.example").await;
    let mut users = Vec::new();
    for (name, email) in [
        ("anna", "anna@nordlicht.example"),
        ("twice", "twice@nordlicht.example"),
        ("partner", "p@brandt.example"),
        ("nobody", "nobody@nordlicht.example"),
    ] {
        let mut new = new_user(
            &Username::parse(name).unwrap(),
            name,
            "correct horse battery",
            Role::Viewer,
        );
        new.details.email = Some(Email::parse(email).unwrap());
        users.push(store.create_user(&a, &new).await.unwrap());
    }
    // Only the address that belongs to exactly one person of our house links (case does
    // not matter); an address two people share, a partner's and an unknown one do not.
    let proposed = store.email_links().await.unwrap();
    assert_eq!(
        proposed
            .iter()
            .map(|l| (l.username.as_str(), l.person_id, l.person_name.as_str()))
            .collect::<Vec<_>>(),
        [("anna", anna, "Ulla Anders")]
    );
    let linked = store.link_users_by_email(&a).await.unwrap();
    assert_eq!(linked, proposed);
    assert_eq!(store.user(users[0].id).await.unwrap().person_id, Some(anna));
    assert!(
        store.email_links().await.unwrap().is_empty(),
        "a second run links nothing more"
    );
    let audit = store
        .audit_entries(&counterpart_store::AuditFilter {
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].label, "anna", "the link is in the audit log");
}

async fn there_is_always_an_active_administrator(store: &Store) {
    let a = actor("Admin");
    let first = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("first").unwrap(),
                "First",
                "correct horse battery",
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    let refused = store
        .update_user(
            &a,
            first.id,
            first.version,
            &details("First", None, Role::Editor, None),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Refused(Refusal::LastAdministrator)),
        "{refused:?}"
    );
    let refused = store
        .set_user_active(&a, first.id, false)
        .await
        .unwrap_err();
    assert!(matches!(
        refused,
        StoreError::Refused(Refusal::LastAdministrator)
    ));
    assert!(
        store.user(first.id).await.unwrap().active,
        "nothing changed"
    );

    // Two administrators demoting each other at the same moment: one of them stays.
    let second = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("second").unwrap(),
                "Second",
                "correct horse battery",
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    let demote = |user: counterpart_core::user::User| {
        let store = store.clone();
        let a = a.clone();
        async move {
            store
                .update_user(
                    &a,
                    user.id,
                    user.version,
                    &details("X", None, Role::Viewer, None),
                )
                .await
        }
    };
    let (one, two) = tokio::join!(demote(first.clone()), demote(second.clone()));
    assert_eq!(
        [one.is_ok(), two.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "exactly one demotion passes: {one:?} {two:?}"
    );
    let admins = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.role == Role::Admin && u.active)
        .count();
    assert_eq!(admins, 1);
}

async fn users_change_their_own_password(store: &Store) {
    let a = actor("Admin");
    let user = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("own").unwrap(),
                "Own",
                "correct horse battery",
                Role::Viewer,
            ),
        )
        .await
        .unwrap();
    let ttl = chrono::Duration::hours(1);
    let here = store
        .create_session(
            &logged_in(store, "own", "correct horse battery").await,
            ttl,
            None,
            "",
        )
        .await
        .unwrap();
    let elsewhere = store
        .create_session(
            &logged_in(store, "own", "correct horse battery").await,
            ttl,
            None,
            "",
        )
        .await
        .unwrap();
    let wrong = store
        .change_own_password(user.id, "wrong horse", "a new long password", &here.token)
        .await
        .unwrap_err();
    assert_eq!(
        field_problem(wrong, "current_password"),
        Problem::WrongPassword
    );
    let changed = store
        .change_own_password(
            user.id,
            "correct horse battery",
            "a new long password",
            &here.token,
        )
        .await
        .unwrap();
    assert!(matches!(changed, OwnPassword::Changed(_)), "{changed:?}");
    assert!(
        store.session(&here.token, ttl).await.unwrap().is_some(),
        "this session stays"
    );
    assert!(
        store
            .session(&elsewhere.token, ttl)
            .await
            .unwrap()
            .is_none(),
        "every other session ends"
    );
    logged_in(store, "own", "a new long password").await;

    // Guessing the current password is throttled like a login.
    let mut throttled = false;
    for _ in 0..15 {
        match store
            .change_own_password(user.id, "guess guess", "another new password", &here.token)
            .await
        {
            Ok(OwnPassword::Throttled(_)) => {
                throttled = true;
                break;
            }
            Err(StoreError::Invalid(_)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert!(throttled, "guesses are throttled");
    assert!(matches!(
        try_login(store, "own", "another new password").await,
        counterpart_store::LoginOutcome::BadCredentials
    ));
}

async fn the_user_list_is_searched_and_paged(store: &Store) {
    let a = actor("Admin");
    for i in 0..60 {
        let mut new = new_user(
            &Username::parse(&format!("user{i:02}")).unwrap(),
            &format!("Person {i}"),
            "correct horse battery",
            Role::Viewer,
        );
        if i == 7 {
            new.details.display_name = "Zoë 100%_sicher".into();
        }
        store.create_user(&a, &new).await.unwrap();
    }
    let first = store.user_page(&UserQuery::default()).await.unwrap();
    assert_eq!(first.total, 60);
    assert_eq!(first.entries.len(), 50);
    assert_eq!(first.entries[0].user.username, "user00");
    let second = store
        .user_page(&UserQuery {
            text: String::new(),
            page: 1,
        })
        .await
        .unwrap();
    assert_eq!(second.entries.len(), 10);
    assert_eq!(second.entries[0].user.username, "user50");
    // Wildcards typed are searched for as they are.
    let found = store
        .user_page(&UserQuery {
            text: "100%_".into(),
            page: 0,
        })
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.entries[0].user.username, "user07");
    let none = store
        .user_page(&UserQuery {
            text: "%".into(),
            page: 0,
        })
        .await
        .unwrap();
    assert_eq!(
        none.total, 1,
        "a lone % matches only the name containing one"
    );
}

/// What a reader sees of confidential records, decided in SQL on both backends: everything
/// (administrators), or what is not confidential, their own, and what people of their unit
/// and the units below it wrote.
async fn visibility_is_applied_in_sql(store: &Store) {
    use counterpart_core::ids::{UnitId, UserId};
    use counterpart_store::Visibility;
    let rows = [
        (1, false, Some(9), Some(5)),
        (2, true, Some(7), Some(3)),
        (3, true, Some(8), Some(4)),
        (4, true, Some(8), Some(6)),
        (5, true, None, None),
    ];
    // The rule in SQL, and the same rule on rows already read (what a shared cache filters
    // with) give the same answer.
    let probe = |v: Visibility| async move {
        let in_sql = counterpart_store::testing::visible_probe_rows(store, &rows, &v).await;
        let in_rust: Vec<i64> = rows
            .iter()
            .filter(|(_, confidential, author, unit)| {
                v.sees(
                    *confidential,
                    author.map(UserId::new),
                    unit.map(UnitId::new),
                )
            })
            .map(|row| row.0)
            .collect();
        assert_eq!(in_sql, in_rust, "{v:?}");
        in_sql
    };
    assert_eq!(probe(Visibility::everything()).await, [1, 2, 3, 4, 5]);
    let clerk = Visibility {
        all: false,
        user: Some(UserId::new(7)),
        units: vec![UnitId::new(4)],
        ..Visibility::default()
    };
    assert_eq!(probe(clerk).await, [1, 2, 3]);
    let unlinked = Visibility {
        all: false,
        user: Some(UserId::new(99)),
        units: Vec::new(),
        ..Visibility::default()
    };
    assert_eq!(probe(unlinked).await, [1], "only what is not confidential");
}
