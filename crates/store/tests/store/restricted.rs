//! Restricted accounts (ADR 0011): what the restriction hides from whom, worked out by
//! `Store::hidden_from`, and every read across accounts leaving it out in SQL — the same
//! answers as `Visibility::sees_account` and `sees_pairs_of` give on rows already read.

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentInput, AssignmentKind};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::insight::{InsightFields, InsightInput};
use counterpart_core::interaction::{InteractionFields, InteractionInput};
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::Role;
use counterpart_store::testing::World;
use counterpart_store::{AccountFilter, Actor, InsightAbout, Pick, Store, Visibility};

contract!(restricted_accounts_are_left_out_of_every_read_across_accounts,);

/// The marker in every text recorded on the restricted account.
const MARKER: &str = "Kranichflug";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// A reader of a unit set (their own unit and those below it), as `App::visibility` makes it.
async fn reader(store: &Store, units: &[UnitId]) -> Visibility {
    let (hidden_accounts, hidden_partners) = store.hidden_from(units).await.unwrap();
    Visibility {
        all: false,
        user: None,
        units: units.to_vec(),
        hidden_accounts,
        hidden_partners,
    }
}

async fn restricted_accounts_are_left_out_of_every_read_across_accounts(store: &Store) {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let setup = Actor {
        user_id: None,
        name: "Test".into(),
    };
    // Our house: Vertrieb with two teams side by side.
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let sales = world.unit(own, "Vertrieb", None).await;
    let key_accounts = world.unit(own, "Key Account", Some(sales)).await;
    let inside = world.unit(own, "Innendienst", Some(sales)).await;
    let ours = world
        .ladder_in(own, Some(key_accounts), &["Karl Key", "Kira Key"])
        .await;
    // A partner: Lena is a key contact of the restricted account only, Moritz of both,
    // Nora of the open one only.
    let partner = world
        .organization("Kranich Holding", OrganizationKind::External)
        .await;
    let theirs = world
        .ladder(partner, &["Lena Lind", "Moritz Mahl", "Nora Nagel"])
        .await;
    let (lena, moritz, nora) = (theirs[0], theirs[1], theirs[2]);
    let secret = world.account(partner, &[lena, moritz]).await;
    // A second account of the same partner needs another name: a unit of theirs.
    let branch = world.unit(partner, "Zweigwerk", None).await;
    let open = world
        .account_of_unit(partner, Some(branch), &[moritz, nora])
        .await;
    assert!(!store.any_restricted().await.unwrap());
    world.restrict(secret, key_accounts).await;
    assert!(store.any_restricted().await.unwrap());
    for (partner, our) in [(lena, ours[0]), (moritz, ours[0]), (nora, ours[1])] {
        let input = AssignmentInput {
            partner_id: partner,
            our_id: our,
            kind: AssignmentKind::Primary,
            valid_from: day(),
        };
        store.assign(&setup, &input).await.unwrap();
    }
    // What is recorded on the restricted account, and what on Lena alone.
    let author = world.user("ina", Role::Editor, Some(ours[1])).await;
    let insight = |text: &str| {
        InsightInput::parse(
            &InsightFields {
                category: "needs".into(),
                text: text.into(),
                ..Default::default()
            },
            day(),
        )
        .unwrap()
    };
    let on = |partner, account| InsightAbout {
        partner,
        account,
        author,
        author_person: Some(ours[1]),
    };
    for (about, text) in [
        (on(None, Some(secret)), format!("{MARKER}: Budget steigt.")),
        (
            on(Some(lena), Some(secret)),
            format!("{MARKER}: Lena zieht um."),
        ),
        (on(Some(lena), None), "Lena mag Kaffee.".to_owned()),
        (
            on(Some(moritz), Some(secret)),
            format!("{MARKER}: Moritz prüft."),
        ),
        (on(Some(nora), Some(open)), "Nora plant Ausbau.".to_owned()),
    ] {
        store
            .create_insight(&setup, about, &insight(&text))
            .await
            .unwrap();
    }
    let call = |summary: &str| {
        InteractionInput::parse(
            &InteractionFields {
                kind: "call".into(),
                summary: summary.into(),
                happened_on: String::new(),
            },
            day(),
        )
        .unwrap()
    };
    for (partner, account, summary) in [
        (lena, Some(secret), format!("{MARKER} am Telefon")),
        (lena, None, "Lena kurz gesprochen".to_owned()),
    ] {
        store
            .log_interaction(
                &setup,
                partner,
                account,
                (author, Some(ours[1])),
                &call(&summary),
                &[],
            )
            .await
            .unwrap();
    }

    // Who the restriction hides it from: not the unit, nor the one above; the team beside it
    // and a reader of no unit do not see it, nor Lena's pairs (Moritz matters in the open
    // account too).
    let everything = Visibility::everything();
    let above = reader(store, &[sales, key_accounts, inside]).await;
    let within = reader(store, &[key_accounts]).await;
    let beside = reader(store, &[inside]).await;
    let nobody = reader(store, &[]).await;
    for seeing in [&above, &within] {
        assert!(seeing.hidden_accounts.is_empty(), "{seeing:?}");
        assert!(seeing.hidden_partners.is_empty(), "{seeing:?}");
    }
    for blind in [&beside, &nobody] {
        assert_eq!(blind.hidden_accounts, [secret]);
        assert_eq!(blind.hidden_partners, [lena]);
        assert!(!blind.sees_account(secret) && blind.sees_account(open));
        assert!(!blind.sees_pairs_of(lena) && blind.sees_pairs_of(moritz));
    }

    // Every read across accounts, as the unit above and as the team beside read it.
    let ids = |list: Vec<AccountId>| {
        let mut list = list;
        list.sort_unstable();
        list
    };
    let all = AccountFilter::default();
    // Every account gets a mirror score (below 101, so each counts as weak there).
    store.refresh_mirror_scores(None).await.unwrap();
    for (seen, sees) in [
        (&everything, true),
        (&above, true),
        (&beside, false),
        (&nobody, false),
    ] {
        let expected: Vec<AccountId> = if sees {
            ids(vec![secret, open])
        } else {
            vec![open]
        };
        let what = format!("{seen:?}");
        let listed = store.accounts(&all, seen).await.unwrap();
        assert_eq!(
            ids(listed.iter().map(|a| a.account.id).collect()),
            expected,
            "{what}"
        );
        // The SQL and the rule on rows already read agree.
        let every = store.accounts(&all, &everything).await.unwrap();
        let by_rule: Vec<AccountId> = every
            .iter()
            .map(|a| a.account.id)
            .filter(|a| seen.sees_account(*a))
            .collect();
        assert_eq!(ids(by_rule), expected, "{what}");
        let page = store.accounts_page(&all, seen, 0, 10).await.unwrap();
        assert_eq!(page.total, expected.len(), "{what}");
        assert_eq!(
            ids(page.accounts.iter().map(|a| a.account.id).collect()),
            expected,
            "{what}"
        );
        let counts = store.attention_counts(seen, 101.0).await.unwrap();
        assert_eq!(counts.weak_mirrors, expected.len() as i64, "{what}");
        let paged = store.accounts_after(&all, None, 10, seen).await.unwrap();
        assert_eq!(
            ids(paged.iter().map(|a| a.account.id).collect()),
            expected,
            "{what}"
        );
        let of_partner = store.accounts_of_organization(partner, seen).await.unwrap();
        assert_eq!(
            ids(of_partner.iter().map(|a| a.id).collect()),
            expected,
            "{what}"
        );
        let matrix = store.matrix_data(&all, seen).await.unwrap();
        assert_eq!(
            ids(matrix.accounts.iter().map(|a| a.id).collect()),
            expected,
            "{what}"
        );
        assert_eq!(
            matrix.contacts.iter().any(|c| c.account_id == secret),
            sees,
            "{what}"
        );
        let rows = store.matrix_accounts(&all, seen).await.unwrap();
        assert_eq!(ids(rows.iter().map(|a| a.id).collect()), expected, "{what}");
        let found = store.search_accounts("kranich", 10, seen).await.unwrap();
        assert_eq!(ids(found.iter().map(|a| a.0).collect()), expected, "{what}");
        let roles = store.key_contact_roles(moritz, seen).await.unwrap();
        assert_eq!(
            ids(roles.iter().map(|(_, a)| a.id).collect()),
            expected,
            "{what}"
        );
        // Lena's pair is the restricted account's; Moritz's is the open one's too.
        let lenas = store.counterparts_of(lena, true, seen).await.unwrap();
        assert_eq!(lenas.len(), usize::from(sees), "{what}");
        let moritz_pairs = store.counterparts_of_each(&[moritz], seen).await.unwrap();
        assert_eq!(moritz_pairs.len(), 1, "{what}");
        let held: Vec<PersonId> = store
            .counterparts_held_by(ours[0], false, seen)
            .await
            .unwrap()
            .iter()
            .map(|v| v.assignment.partner_id)
            .collect();
        assert_eq!(held.contains(&lena), sees, "{what}");
        assert!(held.contains(&moritz), "{what}");
        let count = store.counterparts_held_count(ours[0], seen).await.unwrap();
        assert_eq!(
            count,
            held.len() as u64,
            "{what}: the count agrees with the pairs"
        );
        let pickable = store
            .search_pickable("lind", Pick::KeyContacts, 10, seen)
            .await
            .unwrap();
        assert_eq!(pickable.len(), usize::from(sees), "{what}");
        let notes = store
            .search_pickable("mahl", Pick::KeyContacts, 10, seen)
            .await
            .unwrap();
        assert_eq!(notes.len(), 1, "{what}");
        assert!(notes[0].1.contains("Kranich Holding –"), "{what}");
        assert_eq!(
            notes[0].1.split(", ").count(),
            if sees { 2 } else { 1 },
            "the accounts named beside Moritz: {}",
            notes[0].1
        );
        // What is recorded on it: nowhere; what is recorded on Lena alone stays.
        let texts = |list: Vec<String>| list.join(" | ");
        let about_lena = texts(
            store
                .insights_about_person(lena, seen)
                .await
                .unwrap()
                .into_iter()
                .map(|v| v.insight.text)
                .collect(),
        );
        assert_eq!(about_lena.contains(MARKER), sees, "{what}: {about_lena}");
        assert!(about_lena.contains("Kaffee"), "{what}: {about_lena}");
        let searched = store
            .search_insights("kranichflug", seen, 20)
            .await
            .unwrap();
        assert_eq!(searched.len(), if sees { 3 } else { 0 }, "{what}");
        let of_partner = store.insights_of_organization(partner, seen).await.unwrap();
        assert_eq!(
            of_partner.iter().any(|v| v.insight.text.contains(MARKER)),
            sees,
            "{what}"
        );
        assert_eq!(of_partner.len(), if sees { 5 } else { 2 }, "{what}");
        let contacts = store.interactions_with_person(lena, seen).await.unwrap();
        assert_eq!(contacts.len(), if sees { 2 } else { 1 }, "{what}");
        let calls = store
            .search_interactions("kranichflug", 20, seen)
            .await
            .unwrap();
        assert_eq!(calls.len(), usize::from(sees), "{what}");
        // The digest of Vertrieb: the restricted account's key contacts and what was
        // recorded on it are not there.
        let units = [sales, key_accounts, inside];
        let since = day() - chrono::Days::new(30);
        let digest = store
            .insights_on_units_since(&units, since, seen)
            .await
            .unwrap();
        // Every account of the partner has no responsible unit but the restricted one.
        assert_eq!(
            digest.iter().any(|v| v.insight.text.contains(MARKER)),
            sees,
            "{what}"
        );
        assert!(!sees || !digest.is_empty(), "{what}");
        // Nothing was recorded after today: a digest from tomorrow on is empty, on the
        // accounts and about their key contacts alike.
        let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
        let later = store
            .insights_on_units_since(&units, tomorrow, seen)
            .await
            .unwrap();
        assert!(later.is_empty(), "{what}: {later:?}");
        let key_contacts = store.unit_key_contacts(&units, seen).await.unwrap();
        assert_eq!(
            key_contacts.iter().any(|k| k.account_id == secret),
            sees,
            "{what}"
        );
        // The open account's guiding questions count what was learned about its key
        // people, but not what was recorded on the restricted account about Moritz.
        let knowledge = store.guiding_knowledge(open, since, seen).await.unwrap();
        assert_eq!(
            knowledge.insights.len(),
            if sees { 2 } else { 1 },
            "{what}: Nora's, and Moritz's on the restricted account"
        );
        let tiers = store.partner_tiers(&[lena, moritz], seen).await.unwrap();
        assert!(tiers.is_empty(), "no account is rated yet: {tiers:?}");
    }
}
