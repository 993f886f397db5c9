//! Neighbouring departments as partners: an account whose partner is a unit of our own house,
//! its key contacts inside that unit, counterparts from outside it only, in the mirror's
//! suggestions and in the matrix's "internal" filter beside a separate internal organization.

use counterpart_core::account::{AccountFields, AccountInput, AssignmentInput, KeyContactInput};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::Settings;
use counterpart_core::mirror::suggest::{Scope, SuggestOptions, suggest};
use counterpart_core::org::OrganizationKind;
use counterpart_core::validate::Problem;
use counterpart_store::testing::World;
use counterpart_store::{AccountFilter, AuditFilter, Store};

use super::{actor, field_problem};

contract!(
    a_neighbouring_department_is_an_account_of_our_own_house,
    counterparts_of_a_neighbouring_department_come_from_outside_it,
);

/// Our house: a board on top, Controlling (the neighbouring department) with Kostenrechnung
/// below it, and IT-Service beside it; and the Controlling account.
struct House {
    own: counterpart_core::ids::OrganizationId,
    controlling: UnitId,
    /// Head of Controlling, then the head of Kostenrechnung (below Controlling).
    inside: Vec<PersonId>,
    /// Head of IT-Service and a clerk there.
    outside: Vec<PersonId>,
    account: AccountId,
}

async fn house(store: &Store) -> House {
    store.seed_defaults().await.unwrap();
    let world = World::new(store);
    let own = world.organization("Nordlicht", OrganizationKind::Own).await;
    let board = world.unit(own, "Vorstand", None).await;
    let controlling = world.unit(own, "Controlling", Some(board)).await;
    let costing = world.unit(own, "Kostenrechnung", Some(controlling)).await;
    let it = world.unit(own, "IT-Service", Some(board)).await;
    // One level apart each: Controlling's head on level 1, Kostenrechnung's on level 2 …
    let mut inside = world
        .ladder_in(own, Some(controlling), &["Carla Controller"])
        .await;
    let costing_people = world
        .ladder_in(own, Some(costing), &["X Platzhalter", "Kurt Kosten"])
        .await;
    inside.push(costing_people[1]);
    let outside = world
        .ladder_in(own, Some(it), &["Ida Informatik", "Theo Technik"])
        .await;
    let account = world.account_of_unit(own, Some(controlling), &inside).await;
    House {
        own,
        controlling,
        inside,
        outside,
        account,
    }
}

fn fields(organization: impl ToString, unit: Option<UnitId>) -> AccountFields {
    AccountFields {
        organization_id: organization.to_string(),
        unit_id: unit.map(|u| u.to_string()).unwrap_or_default(),
        relation: "customer".into(),
        mode: "hierarchical".into(),
        ..Default::default()
    }
}

async fn audit_count(store: &Store) -> usize {
    store
        .audit_entries(&AuditFilter {
            limit: 500,
            ..Default::default()
        })
        .await
        .unwrap()
        .len()
}

async fn a_neighbouring_department_is_an_account_of_our_own_house(store: &Store) {
    let a = actor("Anna");
    let h = house(store).await;
    let account = store.account(h.account).await.unwrap();
    assert_eq!(
        account.name, "Controlling",
        "named by the department itself"
    );
    assert_eq!(account.unit_id, Some(h.controlling));
    let contacts: Vec<PersonId> = store
        .key_contacts(h.account)
        .await
        .unwrap()
        .iter()
        .map(|k| k.person_id)
        .collect();
    assert_eq!(
        contacts, h.inside,
        "people of the unit and of the units below it"
    );

    let before = audit_count(store).await;
    // Our whole house cannot be its own partner.
    let mut whole = AccountInput::parse(&fields(h.own, None)).unwrap();
    whole.name = Some("Wir selbst".into());
    assert_eq!(
        field_problem(
            store.create_account(&a, &whole).await.unwrap_err(),
            "unit_id"
        ),
        Problem::PartnerUnitRequired
    );
    // The key account manager and the responsible unit sit outside the department.
    let mut managed = AccountInput::parse(&fields(h.own, Some(h.controlling))).unwrap();
    managed.name = Some("Controlling II".into());
    managed.manager_id = Some(h.inside[1]);
    managed.responsible_unit_id = Some(h.controlling);
    let err = store.create_account(&a, &managed).await.unwrap_err();
    assert_eq!(field_problem(err, "manager_id"), Problem::InsidePartnerUnit);
    let err = store.create_account(&a, &managed).await.unwrap_err();
    assert_eq!(
        field_problem(err, "responsible_unit_id"),
        Problem::InsidePartnerUnit
    );
    // A key contact comes from inside the department.
    let it_head =
        KeyContactInput::parse(&h.outside[0].to_string(), "user", "neutral", "3").unwrap();
    assert_eq!(
        field_problem(
            store
                .add_key_contact(&a, h.account, &it_head)
                .await
                .unwrap_err(),
            "person_id"
        ),
        Problem::OutsidePartnerUnit
    );
    assert_eq!(audit_count(store).await, before, "refusals leave no trace");
    assert_eq!(store.key_contacts(h.account).await.unwrap().len(), 2);

    // The "internal" filter shows it beside a department kept as an organization of its own.
    let world = World::new(store);
    let hr = world
        .organization("Personalabteilung", OrganizationKind::Internal)
        .await;
    let hr_people = world.ladder(hr, &["Hanna Personal"]).await;
    let hr_account = world.account(hr, &hr_people).await;
    let brandt = world
        .organization("Brandt", OrganizationKind::External)
        .await;
    let brandt_people = world.ladder(brandt, &["Karl Kunde"]).await;
    let brandt_account = world.account(brandt, &brandt_people).await;
    let ids = |internal| async move {
        let filter = AccountFilter {
            internal,
            ..AccountFilter::default()
        };
        let mut listed: Vec<AccountId> = store
            .accounts(&filter, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .iter()
            .map(|s| s.account.id)
            .collect();
        listed.sort();
        let mut matrix: Vec<AccountId> = store
            .matrix_accounts(&filter, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        matrix.sort();
        assert_eq!(listed, matrix, "the list and the matrix agree");
        listed
    };
    assert_eq!(ids(Some(true)).await, vec![h.account, hr_account]);
    assert_eq!(ids(Some(false)).await, vec![brandt_account]);
    let internal: Vec<bool> = store
        .matrix_accounts(
            &AccountFilter::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .iter()
        .filter(|m| m.id == h.account)
        .map(|m| m.internal)
        .collect();
    assert_eq!(internal, [true]);
}

async fn counterparts_of_a_neighbouring_department_come_from_outside_it(store: &Store) {
    let a = actor("Anna");
    let h = house(store).await;
    let (carla, kurt) = (h.inside[0], h.inside[1]);
    let (ida, theo) = (h.outside[0], h.outside[1]);
    let assign = |partner: PersonId, ours: PersonId| {
        AssignmentInput::parse(
            &partner.to_string(),
            &ours.to_string(),
            "primary",
            "2025-01-01",
        )
        .unwrap()
    };
    let before = audit_count(store).await;
    for (partner, ours, field, problem) in [
        (carla, carla, "our_id", Problem::SelfReference),
        (carla, kurt, "our_id", Problem::InsidePartnerUnit),
        // Ida's IT-Service is no partner: she is ours only.
        (ida, theo, "partner_id", Problem::OutsidePartnerUnit),
    ] {
        let err = store.assign(&a, &assign(partner, ours)).await.unwrap_err();
        assert_eq!(field_problem(err, field), problem, "{partner} ↔ {ours}");
    }
    assert_eq!(audit_count(store).await, before, "refusals leave no trace");
    assert!(
        store
            .counterparts_of(carla, false, &counterpart_store::Visibility::everything())
            .await
            .unwrap()
            .is_empty()
    );

    // Ours and theirs at once: Kurt is held by Theo and holds a customer himself.
    store.assign(&a, &assign(kurt, theo)).await.unwrap();
    let world = World::new(store);
    let brandt = world
        .organization("Brandt", OrganizationKind::External)
        .await;
    let karl = world.ladder(brandt, &["Karl Kunde"]).await;
    world.account(brandt, &karl).await;
    store.assign(&a, &assign(karl[0], kurt)).await.unwrap();
    let held_by: Vec<PersonId> = store
        .counterparts_of(kurt, false, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .iter()
        .map(|v| v.person.person.id)
        .collect();
    assert_eq!(held_by, [theo]);
    let holds: Vec<PersonId> = store
        .counterparts_held_by(kurt, false, &counterpart_store::Visibility::everything())
        .await
        .unwrap()
        .iter()
        .map(|v| v.person.person.id)
        .collect();
    assert_eq!(holds, [karl[0]]);

    // The mirror knows the partner unit, and its suggestions never come from inside it: the
    // two candidates outside are Ida and Theo, whatever their levels.
    let input = store.suggestion_input(h.account).await.unwrap();
    assert_eq!(input.accounts[0].partner_unit, Some(h.controlling));
    let mut options = SuggestOptions::new(Scope::Account(h.account));
    options.deputies = true;
    let today = chrono::Utc::now().date_naive();
    let r = suggest(&input, &options, &Settings::new(today)).unwrap();
    assert!(!r.proposals.is_empty());
    for p in &r.proposals {
        assert!(
            [ida, theo].contains(&p.ours),
            "{:?} proposed for {:?}",
            p.ours,
            p.partner_id
        );
    }
    // Carla needs a primary, and one of the two outside takes her.
    assert!(r.proposals.iter().any(|p| p.partner_id == carla));
}
