//! Sessions listed and ended, and the second factor, on both backends: a user sees their live
//! sessions with the current one marked and ends any other (never the current one from the
//! list), or all others at once; an administrator ends all; the ended are out at once. A
//! second factor is turned on only with a right code; a login then waits for a code, which is
//! accepted once, counts against the login throttle when wrong, and may be a recovery code,
//! each usable once. Every ending and change is audited, never with a secret.

use chrono::{Duration, Utc};
use counterpart_core::audit::EntityKind;
use counterpart_core::second_factor::{SECRET_BYTES, TotpSecret};
use counterpart_core::user::{Role, Username};
use counterpart_core::validate::Problem;
use counterpart_store::{
    AuditFilter, CodeAttempt, CodeOutcome, LoginAttempt, LoginOutcome, LoginSuccess,
    SecondFactorOff, Store, StoreError,
};

use super::{actor, new_user};

contract!(
    sessions_are_listed_and_ended_by_their_user,
    a_second_factor_guards_the_login,
    wrong_codes_are_throttled_like_passwords
);

const PASSWORD: &str = "correct horse battery";

async fn user(store: &Store, name: &str, role: Role) -> counterpart_core::ids::UserId {
    store
        .create_user(
            &actor("Admin"),
            &new_user(&Username::parse(name).unwrap(), name, PASSWORD, role),
        )
        .await
        .unwrap()
        .id
}

async fn login(store: &Store, name: &str) -> LoginOutcome {
    store
        .login(LoginAttempt {
            username: name,
            password: PASSWORD,
            client: Some("192.0.2.1"),
            device: None,
        })
        .await
        .unwrap()
}

async fn logged_in(store: &Store, name: &str) -> LoginSuccess {
    match login(store, name).await {
        LoginOutcome::Success(login) => *login,
        other => panic!("login as {name}: {other:?}"),
    }
}

async fn code(store: &Store, challenge: &str, code: &str) -> CodeOutcome {
    store
        .login_code(CodeAttempt {
            challenge,
            code,
            client: Some("192.0.2.1"),
            device: None,
        })
        .await
        .unwrap()
}

async fn audited(store: &Store, entity: EntityKind) -> Vec<counterpart_store::AuditEntry> {
    store
        .audit_entries(&AuditFilter {
            entity: Some(entity),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap()
}

async fn sessions_are_listed_and_ended_by_their_user(store: &Store) {
    let ttl = Duration::hours(12);
    let ina = user(store, "ina", Role::Editor).await;
    let other = user(store, "otto", Role::Viewer).await;
    let login = logged_in(store, "ina").await;
    let here = store
        .create_session(&login, ttl, None, "Firefox, Linux")
        .await
        .unwrap();
    let phone = store
        .create_session(&login, ttl, None, "Safari, iPhone")
        .await
        .unwrap();
    let tablet = store
        .create_session(&login, ttl, None, "Chrome, Android\u{7}")
        .await
        .unwrap();
    let otto = store
        .create_session(&logged_in(store, "otto").await, ttl, None, "")
        .await
        .unwrap();

    let list = store.sessions_of(ina, &here.token).await.unwrap();
    assert_eq!(list.len(), 3, "only Ina's sessions");
    let current: Vec<&str> = list
        .iter()
        .filter(|s| s.current)
        .map(|s| s.device.as_str())
        .collect();
    assert_eq!(current, ["Firefox, Linux"]);
    assert!(
        list.iter().any(|s| s.device == "Chrome, Android"),
        "control characters are dropped from the label"
    );
    assert!(list.iter().all(|s| s.expires_at > Utc::now()));

    // The current session cannot be ended from the list; another user's neither.
    let me = list.iter().find(|s| s.current).unwrap().id;
    let refused = store
        .end_session(&actor("Ina"), ina, me, &here.token)
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::NotFound { .. }),
        "{refused:?}"
    );
    let ottos = store.sessions_of(other, &otto.token).await.unwrap()[0].id;
    assert!(
        store
            .end_session(&actor("Ina"), ina, ottos, &here.token)
            .await
            .is_err()
    );
    assert!(store.session(&otto.token, ttl).await.unwrap().is_some());

    // Ending the phone's: it is out at once, the others stay.
    let phone_id = list
        .iter()
        .find(|s| s.device == "Safari, iPhone")
        .unwrap()
        .id;
    let ended = store
        .end_session(&actor("Ina"), ina, phone_id, &here.token)
        .await
        .unwrap();
    assert_eq!(ended.device, "Safari, iPhone");
    assert!(store.session(&phone.token, ttl).await.unwrap().is_none());
    assert!(store.session(&tablet.token, ttl).await.unwrap().is_some());
    let entries = audited(store, EntityKind::Session).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].entity_id, ina.get());
    assert_eq!(entries[0].label, "ina");
    let json = entries[0].before.as_ref().unwrap().to_string();
    assert!(json.contains("Safari, iPhone"), "{json}");
    assert!(!json.contains(&phone.token) && !json.contains(&phone.csrf_token));

    // Everywhere else: the tablet goes, this one stays.
    assert_eq!(
        store
            .end_other_sessions(&actor("Ina"), ina, &here.token)
            .await
            .unwrap(),
        1
    );
    assert!(store.session(&tablet.token, ttl).await.unwrap().is_none());
    assert!(store.session(&here.token, ttl).await.unwrap().is_some());
    assert_eq!(store.session_count(ina).await.unwrap(), 1);
    // Nothing left to end: nothing audited.
    assert_eq!(
        store
            .end_other_sessions(&actor("Ina"), ina, &here.token)
            .await
            .unwrap(),
        0
    );
    assert_eq!(audited(store, EntityKind::Session).await.len(), 2);

    // An administrator ends all of them, this one too; Otto's stays.
    assert_eq!(
        store.end_all_sessions(&actor("Admin"), ina).await.unwrap(),
        1
    );
    assert!(store.session(&here.token, ttl).await.unwrap().is_none());
    assert!(store.session(&otto.token, ttl).await.unwrap().is_some());
    assert_eq!(audited(store, EntityKind::Session).await.len(), 3);
}

fn secret() -> TotpSecret {
    TotpSecret::from_bytes([42; SECRET_BYTES])
}

fn code_at(offset_steps: i64) -> String {
    secret().code_at(Utc::now().timestamp() + offset_steps * 30)
}

async fn a_second_factor_guards_the_login(store: &Store) {
    let ina = user(store, "ina", Role::Admin).await;
    let admin = actor("Admin");
    assert_eq!(store.second_factor(ina).await.unwrap(), None);

    // Turned on only with a right code; the recovery codes come back once.
    let wrong = store
        .enable_second_factor(&admin, ina, &secret(), "000000x")
        .await
        .unwrap_err();
    assert_eq!(super::field_problem(wrong, "code"), Problem::WrongCode);
    assert_eq!(store.second_factor(ina).await.unwrap(), None);
    let recovery = store
        .enable_second_factor(&admin, ina, &secret(), &code_at(0))
        .await
        .unwrap();
    assert_eq!(recovery.len(), 10);
    let status = store.second_factor(ina).await.unwrap().unwrap();
    assert_eq!(status.recovery_left, 10);
    let again = store
        .enable_second_factor(&admin, ina, &secret(), &code_at(1))
        .await
        .unwrap_err();
    assert_eq!(super::field_problem(again, "code"), Problem::Taken);

    // The password alone is half a login: no session, a challenge for the code.
    let LoginOutcome::SecondFactor(challenge) = login(store, "ina").await else {
        panic!("the password asks for the code");
    };
    // The code that turned it on was used already.
    assert!(matches!(
        code(store, &challenge, &code_at(0)).await,
        CodeOutcome::WrongCode
    ));
    assert!(matches!(
        code(store, "not-a-challenge", &code_at(1)).await,
        CodeOutcome::Expired
    ));
    let CodeOutcome::Success(done) = code(store, &challenge, &code_at(1)).await else {
        panic!("the next code logs in");
    };
    assert_eq!(done.user.id, ina);
    assert_eq!(
        done.failed_before, 1,
        "the wrong code is told at the next login"
    );
    // The challenge is gone, and the code of that step is used.
    assert!(matches!(
        code(store, &challenge, &code_at(1)).await,
        CodeOutcome::Expired
    ));
    let LoginOutcome::SecondFactor(challenge) = login(store, "ina").await else {
        panic!("again");
    };
    assert!(matches!(
        code(store, &challenge, &code_at(1)).await,
        CodeOutcome::WrongCode
    ));

    // A recovery code works once, typed as it likes.
    let typed = recovery[3].to_lowercase().replace('-', " ");
    assert!(matches!(
        code(store, &challenge, &typed).await,
        CodeOutcome::Success(_)
    ));
    assert_eq!(
        store
            .second_factor(ina)
            .await
            .unwrap()
            .unwrap()
            .recovery_left,
        9
    );
    let LoginOutcome::SecondFactor(challenge) = login(store, "ina").await else {
        panic!("again");
    };
    assert!(matches!(
        code(store, &challenge, &recovery[3]).await,
        CodeOutcome::WrongCode
    ));

    // Turning it off takes a right code; an administrator resets it.
    let refused = store
        .disable_second_factor(&actor("Ina"), ina, "123456")
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(
        store
            .disable_second_factor(&actor("Ina"), ina, &recovery[0])
            .await
            .unwrap(),
        SecondFactorOff::Done
    );
    assert_eq!(store.second_factor(ina).await.unwrap(), None);
    assert!(matches!(
        login(store, "ina").await,
        LoginOutcome::Success(_)
    ));
    store
        .enable_second_factor(&admin, ina, &TotpSecret::from_bytes([7; 20]), &{
            TotpSecret::from_bytes([7; 20]).code_at(Utc::now().timestamp())
        })
        .await
        .unwrap();
    assert!(store.reset_second_factor(&admin, ina).await.unwrap());
    assert!(!store.reset_second_factor(&admin, ina).await.unwrap());
    assert!(matches!(
        login(store, "ina").await,
        LoginOutcome::Success(_)
    ));

    // Audited: on, the recovery code used, off, on, reset — never the secret or a code.
    let entries = audited(store, EntityKind::SecondFactor).await;
    assert_eq!(entries.len(), 5, "{entries:#?}");
    for entry in &entries {
        assert_eq!(entry.entity_id, ina.get());
        let json = format!("{:?} {:?}", entry.before, entry.after);
        assert!(!json.contains(&secret().to_base32()), "{json}");
        assert!(
            recovery.iter().all(|c| !json.contains(c.as_str())),
            "{json}"
        );
    }
}

async fn wrong_codes_are_throttled_like_passwords(store: &Store) {
    let ina = user(store, "ina", Role::Viewer).await;
    store
        .enable_second_factor(&actor("Ina"), ina, &secret(), &code_at(0))
        .await
        .unwrap();
    // Ten attempts at the name are free (the password counts as one until the code is
    // right); five wrong codes end a half-done login.
    let mut throttled = false;
    for round in 0..4 {
        match login(store, "ina").await {
            LoginOutcome::SecondFactor(challenge) => {
                for _ in 0..5 {
                    match code(store, &challenge, "000000").await {
                        CodeOutcome::Throttled(wait) => {
                            assert!(wait > Duration::zero());
                            throttled = true;
                        }
                        CodeOutcome::WrongCode | CodeOutcome::Expired => {}
                        CodeOutcome::Success(_) => panic!("a wrong code logs in"),
                    }
                }
            }
            LoginOutcome::Throttled(_) => throttled = true,
            other => panic!("round {round}: {other:?}"),
        }
    }
    assert!(throttled, "wrong codes count against the name");
    // Even the right code now waits.
    if let LoginOutcome::SecondFactor(challenge) = login(store, "ina").await {
        assert!(matches!(
            code(store, &challenge, &code_at(1)).await,
            CodeOutcome::Throttled(_)
        ));
    }
}
