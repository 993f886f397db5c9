//! Every secret a user is issued, kept alike on both backends: only the hash stored, one kind
//! never opens another, expiry and revocation stop it at once, its last use noted at most once
//! a minute, at most fifty live per user even when asked for at once, a disabled user's
//! tokens open nothing, and every change audited.

use chrono::{Duration, Utc};
use counterpart_core::user::{MAX_TOKENS_PER_USER, Role, TokenKind, TokenScope, Username};
use counterpart_store::{AuditFilter, NewToken, Store, StoreError};

use super::{actor, new_user};

contract!(tokens_open_their_kind_until_they_expire_or_are_revoked);

fn api(label: &str, expires_in: Option<Duration>) -> NewToken {
    NewToken {
        kind: TokenKind::Api,
        scope: TokenScope::Read,
        label: label.to_owned(),
        unit_id: None,
        expires_at: expires_in.map(|d| Utc::now() + d),
    }
}

async fn tokens_open_their_kind_until_they_expire_or_are_revoked(store: &Store) {
    let a = actor("Admin");
    // An administrator besides: the last one may not be disabled, Ina may.
    store
        .create_user(
            &a,
            &new_user(
                &Username::parse("admin").unwrap(),
                "Admin",
                "correct horse battery",
                Role::Admin,
            ),
        )
        .await
        .unwrap();
    let user = store
        .create_user(
            &a,
            &new_user(
                &Username::parse("ina").unwrap(),
                "Ina",
                "correct horse battery",
                Role::Editor,
            ),
        )
        .await
        .unwrap();
    let audited = || async {
        store
            .audit_entries(&AuditFilter {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .len()
    };
    let before = audited().await;
    let (token, secret) = store
        .create_token(&a, user.id, &api("Berichtswesen", Some(Duration::days(30))))
        .await
        .unwrap();
    assert_eq!(audited().await, before + 1, "made: audited");
    assert_eq!(secret.len(), 64, "{secret}");
    assert_eq!(token.label, "Berichtswesen");
    // It opens the API, as its user; not the calendar, and nothing with another secret.
    let used = store.use_token(&secret, TokenKind::Api).await.unwrap();
    assert_eq!(used.as_ref().map(|t| t.user_id), Some(user.id));
    assert!(
        store
            .use_token(&secret, TokenKind::Calendar)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .use_token("wrong", TokenKind::Api)
            .await
            .unwrap()
            .is_none()
    );
    // Its use is noted once a minute, not on every request.
    let first_use = store.tokens_of(user.id, None).await.unwrap()[0].last_used_at;
    assert!(first_use.is_some());
    store.use_token(&secret, TokenKind::Api).await.unwrap();
    assert_eq!(
        store.tokens_of(user.id, None).await.unwrap()[0].last_used_at,
        first_use
    );

    // Expired, it opens nothing and is not among the live ones.
    let (_, stale) = store
        .create_token(&a, user.id, &api("Alt", Some(Duration::seconds(-1))))
        .await
        .unwrap();
    assert!(
        store
            .use_token(&stale, TokenKind::Api)
            .await
            .unwrap()
            .is_none()
    );
    let live: Vec<_> = store
        .live_tokens(100)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.token.label)
        .collect();
    assert_eq!(live, ["Berichtswesen"]);

    // Revoked by someone else's hand: refused (not theirs); by its owner: gone at once.
    let stranger = Some(counterpart_core::ids::UserId::new(user.id.get() + 1000));
    assert!(matches!(
        store.revoke_token(&a, token.id, stranger).await,
        Err(StoreError::NotFound { .. })
    ));
    store
        .revoke_token(&a, token.id, Some(user.id))
        .await
        .unwrap();
    assert!(
        store
            .use_token(&secret, TokenKind::Api)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        matches!(
            store.revoke_token(&a, token.id, None).await,
            Err(StoreError::NotFound { .. })
        ),
        "revoked once"
    );

    // At most fifty live per user, also when asked for at once.
    let mut tries = tokio::task::JoinSet::new();
    for n in 0..MAX_TOKENS_PER_USER + 5 {
        let (store, a, user) = (store.clone(), a.clone(), user.id);
        tries.spawn(async move {
            store
                .create_token(&a, user, &api(&format!("Skript {n}"), None))
                .await
        });
    }
    let results = tries.join_all().await;
    let made = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(i64::try_from(made).unwrap(), MAX_TOKENS_PER_USER);
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, StoreError::Invalid(_))),
        "the rest refused, naming the field"
    );

    // A disabled user's tokens open nothing.
    let (_, kept) = {
        store
            .revoke_token(
                &a,
                store.tokens_of(user.id, None).await.unwrap()[0].id,
                None,
            )
            .await
            .unwrap();
        store
            .create_token(&a, user.id, &api("Nach Sperre", None))
            .await
            .unwrap()
    };
    assert!(
        store
            .use_token(&kept, TokenKind::Api)
            .await
            .unwrap()
            .is_some()
    );
    store.set_user_active(&a, user.id, false).await.unwrap();
    assert!(
        store
            .use_token(&kept, TokenKind::Api)
            .await
            .unwrap()
            .is_none()
    );
}
