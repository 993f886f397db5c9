//! Restricted accounts leak nowhere (ADR 0011). On the demo, a restricted account of Key
//! Account Immobilienwirtschaft with known markers — its name and notes, what was learned and
//! logged on it, a rating's comment, what was said and agreed on it in a jour fixe — and users
//! of every role in that unit, in the unit above it, in a unit beside it and without a person.
//! Every page of the route table and every GET of the OpenAPI document, generated from them
//! (a new route is walked without being listed here), is requested as each of them: those who
//! may see the account find it where the page shows it, the others never read its name, a
//! marker or a link to it anywhere, and its own addresses answer them as a missing record's.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use axum::http::StatusCode;
use chrono::NaiveDate;
use counterpart_core::account::{
    AccountInput, AssignmentInput, AssignmentKind, DecisionRole, KeyContactInput, ManagementMode,
    RatingInput, Relation, Stance,
};
use counterpart_core::ids::{AccountId, PersonId, SeriesId, UnitId, UserId};
use counterpart_core::insight::{InsightFields, InsightInput};
use counterpart_core::interaction::{InteractionFields, InteractionInput};
use counterpart_core::jour_fixe::ActionInput;
use counterpart_core::org::OrganizationKind;
use counterpart_core::user::{Role, TokenKind, TokenScope};
use counterpart_store::testing::World;
use counterpart_store::{Actor, InsightAbout, NewToken, Store};
use serde_json::Value;

use crate::support::routes::{Ids, Method, Needs, ROUTES};
use crate::support::{Client, TestApp, unescape};

/// The restricted account's name: on no organization, person or other account.
const ACCOUNT: &str = "Projekt Sternkranich";
/// Its notes.
const NOTES: &str = "Notiz-Mondfalter: Verhandlung vertraulich";
/// What was learned on it, about the account.
const INSIGHT: &str = "Einblick-Glasfluegel: Budget verdoppelt";
/// What was learned on it about a key person.
const PERSON_INSIGHT: &str = "Einblick-Silberreiher: Lena wechselt nach Wien";
/// A contact logged on it.
const CONTACT: &str = "Kontakt-Nachtigall: Vertrag besprochen";
/// A rating's comment on a pair of its key people.
const RATING: &str = "Bewertung-Eisvogel: sehr offen";
/// What was said about it in a jour fixe.
const CONTRIBUTION: &str = "Beitrag-Wendehals: Ausschreibung im Mai";
/// What was agreed on it there.
const ACTION: &str = "Aufgabe-Zaunkoenig: Angebot schreiben";

/// Every text that belongs to the restricted account.
const MARKERS: [&str; 8] = [
    ACCOUNT,
    NOTES,
    INSIGHT,
    PERSON_INSIGHT,
    CONTACT,
    RATING,
    CONTRIBUTION,
    ACTION,
];

/// Where a reader sits in our house relative to the account's responsible unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Position {
    /// In the responsible unit.
    Within,
    /// In the unit above it.
    Above,
    /// In a unit beside it.
    Beside,
    /// Linked to no person of ours.
    Nobody,
}

const POSITIONS: [Position; 4] = [
    Position::Within,
    Position::Above,
    Position::Beside,
    Position::Nobody,
];

const ROLES: [(Role, Needs); 3] = [
    (Role::Viewer, Needs::Viewer),
    (Role::Editor, Needs::Editor),
    (Role::Admin, Needs::Admin),
];

/// One reader of the walk.
struct Reader {
    name: String,
    needs: Needs,
    sees: bool,
    client: Client,
    bearer: String,
    /// Their digest feed of the responsible unit and their calendar subscription.
    feeds: [String; 2],
}

impl Reader {
    fn may(&self, needs: Needs) -> bool {
        self.needs >= needs
    }
}

/// The world: the account, what hangs off it, and the ids to fill into routes.
struct Restricted {
    account: AccountId,
    partner_org: i64,
    /// The addresses of the account's own records, which must never be linked for those
    /// who may not see it: the account, its key contacts, its pairs, its insight.
    own_paths: Vec<String>,
    ids: Ids,
    /// The contact logged on the account.
    logged: i64,
    /// The rating of the account's first pair.
    rating: i64,
    /// The same ids with every one of the account's own records swapped for one that does
    /// not exist: what a hidden record must answer like.
    missing: Ids,
}

/// The placeholders of the route table that stand for the account's own records.
const OWN: [&str; 6] = ["{a}", "{k}", "{s}", "{g}", "{t}", "{x}"];

fn day() -> NaiveDate {
    counterpart_store::now().date_naive()
}

fn setup() -> Actor {
    Actor {
        user_id: None,
        name: "Test".into(),
    }
}

/// A marker's text as a search types it: all but its last character, so that a page
/// repeating the query does not hold the marker itself.
fn typed(marker: &str) -> String {
    let word = marker.split([':', ' ']).next().unwrap_or(marker);
    let mut typed = word.to_owned();
    typed.pop();
    serde_urlencoded::to_string([("q", typed)]).unwrap()[2..].to_owned()
}

/// The text of every part of an xlsx file (shared strings and sheets).
fn xlsx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx file");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        if part.name().is_ok_and(|n| n.ends_with(".xml")) {
            part.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// The markers a text holds (entities decoded, iCalendar lines unfolded).
fn markers_in(text: &str) -> Vec<&'static str> {
    let text = unescape(&text.replace("\r\n ", ""));
    MARKERS
        .iter()
        .copied()
        .filter(|m| text.contains(m))
        .collect()
}

/// The first address of the account's own records that a text links to: `path` followed by
/// anything but a digit.
fn own_link<'p>(text: &str, own_paths: &'p [String]) -> Option<&'p str> {
    own_paths
        .iter()
        .find(|path| {
            text.match_indices(path.as_str()).any(|(at, _)| {
                !text[at + path.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            })
        })
        .map(String::as_str)
}

/// Builds the restricted account and what hangs off it on the demo, and the readers.
async fn world(app: &TestApp) -> (Restricted, Vec<Reader>) {
    let store = &app.db.store;
    let world = World::new(store);
    let demo = Ids::of_demo(store).await;
    let own = store.own_organization().await.unwrap().unwrap();
    let units = store.units(own.id).await.unwrap();
    let unit = |name: &str| -> UnitId {
        units
            .iter()
            .find(|u| u.name == name)
            .unwrap_or_else(|| panic!("the demo has {name}"))
            .id
    };
    let responsible = unit("Key Account Immobilienwirtschaft");
    let above = unit("Vertrieb & Key Account Management");
    let beside = unit("Vertriebsinnendienst");
    // Friederike Laßmann, the demo's account manager in the responsible unit, holds a pair.
    let manager = store
        .accounts(
            &Default::default(),
            &counterpart_store::Visibility::everything(),
        )
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account.responsible_unit_id == Some(responsible))
        .and_then(|a| a.account.manager_id)
        .expect("an account manager in the responsible unit");

    // The partner and the account, restricted to the responsible unit.
    let partner = world
        .organization("Kranich Holding AG", OrganizationKind::External)
        .await;
    let theirs = world
        .ladder(partner, &["Lena Lindqvist", "Moritz Mahlberg"])
        .await;
    let (lena, moritz) = (theirs[0], theirs[1]);
    let account = store
        .create_account(
            &setup(),
            &AccountInput {
                name: Some(ACCOUNT.into()),
                organization_id: partner,
                unit_id: None,
                relation: Relation::Customer,
                mode: ManagementMode::Hierarchical,
                responsible_unit_id: Some(responsible),
                manager_id: Some(manager),
                notes: Some(NOTES.into()),
                restricted: true,
            },
        )
        .await
        .unwrap()
        .id;
    let mut contacts = Vec::new();
    for person in [lena, moritz] {
        let contact = KeyContactInput {
            person_id: person,
            role: DecisionRole::DecisionMaker,
            stance: Stance::Positive,
            influence: 4,
        };
        contacts.push(
            store
                .add_key_contact(&setup(), account, &contact)
                .await
                .unwrap()
                .id,
        );
    }

    // The readers: each role in the unit, above it, beside it and without a person. The
    // editor in the unit is Friederike herself; the editor beside it holds Moritz.
    let mut people: BTreeMap<(Position, usize), Option<PersonId>> = BTreeMap::new();
    for (r, _) in ROLES.iter().enumerate() {
        for position in POSITIONS {
            let unit = match position {
                Position::Within => Some(responsible),
                Position::Above => Some(above),
                Position::Beside => Some(beside),
                Position::Nobody => None,
            };
            let person = match (position, unit) {
                (Position::Within, _) if r == 1 => Some(manager),
                (_, Some(unit)) => {
                    let name = format!("Leonie Lesend{r}{}", position as u8);
                    Some(world.ladder_in(own.id, Some(unit), &[&name]).await[0])
                }
                (_, None) => None,
            };
            people.insert((position, r), person);
        }
    }
    let holder_beside = people[&(Position::Beside, 1)].unwrap();
    let mut pairs = Vec::new();
    for (partner, ours) in [(lena, manager), (moritz, holder_beside)] {
        let input = AssignmentInput {
            partner_id: partner,
            our_id: ours,
            kind: AssignmentKind::Primary,
            valid_from: day(),
        };
        let pair = store.assign(&setup(), &input).await.unwrap().id;
        let rating = RatingInput {
            rated_on: day(),
            relationship: 4,
            partnership: 4,
            satisfaction: 2,
            comment: Some(RATING.into()),
        };
        store.rate(&setup(), pair, &rating).await.unwrap();
        pairs.push(pair);
    }

    let mut readers = Vec::new();
    let mut author: Option<UserId> = None;
    let mut raters = Vec::new();
    for (r, (role, needs)) in ROLES.iter().enumerate() {
        for position in POSITIONS {
            let username = format!("leser-{}-{position:?}", role.as_str()).to_lowercase();
            let person = people[&(position, r)];
            let user = world.user(&username, *role, person).await;
            if *role == Role::Editor && position == Position::Within {
                author = Some(user);
            }
            if *role != Role::Viewer && matches!(position, Position::Within | Position::Above) {
                raters.push(user);
            }
            let mut tokens = Vec::new();
            for new in [
                NewToken {
                    kind: TokenKind::Api,
                    scope: TokenScope::Read,
                    label: "Leak test".into(),
                    unit_id: None,
                    expires_at: None,
                },
                NewToken::digest(responsible),
                NewToken::calendar(),
            ] {
                tokens.push(store.create_token(&setup(), user, &new).await.unwrap().1);
            }
            readers.push(Reader {
                sees: *role == Role::Admin
                    || matches!(position, Position::Within | Position::Above),
                name: username.clone(),
                needs: *needs,
                client: app.login_to_world(&username).await,
                bearer: format!("Bearer {}", tokens[0]),
                feeds: [
                    format!("/feeds/digest/{}", tokens[1]),
                    format!("/feeds/calendar/{}.ics", tokens[2]),
                ],
            });
        }
    }
    let author = author.expect("the editor in the unit");

    // What is learned and logged on it, by the editor of the unit.
    let learned = |text: &str| {
        InsightInput::parse(
            &InsightFields {
                category: "developments".into(),
                text: text.into(),
                ..Default::default()
            },
            day(),
        )
        .unwrap()
    };
    let on = |partner: Option<PersonId>| InsightAbout {
        partner,
        account: Some(account),
        author,
        author_person: Some(manager),
    };
    let insight = store
        .create_insight(&setup(), on(None), &learned(INSIGHT))
        .await
        .unwrap()
        .id;
    store
        .create_insight(&setup(), on(Some(lena)), &learned(PERSON_INSIGHT))
        .await
        .unwrap();
    let call = InteractionInput::parse(
        &InteractionFields {
            kind: "meeting".into(),
            summary: CONTACT.into(),
            happened_on: String::new(),
        },
        day(),
    )
    .unwrap();
    let logged = store
        .log_interaction(
            &setup(),
            lena,
            Some(account),
            (author, Some(manager)),
            &call,
            &[],
        )
        .await
        .unwrap()
        .id
        .get();
    // The team disagrees on its importance: the importance page names disputed accounts.
    let criterion = store.criteria().await.unwrap()[0].id;
    for (user, score) in raters.iter().zip([1, 5, 1, 5]) {
        store
            .rate_importance(&setup(), *user, account, &[(criterion, Some(score))])
            .await
            .unwrap();
    }

    // The demo's jour fixe covers it; its next meeting is prepared and it is discussed there.
    let series = SeriesId::new(demo.series);
    store
        .cover_account(&setup(), series, account)
        .await
        .unwrap();
    let schedule = store.series(series).await.unwrap().schedule().unwrap();
    let now = counterpart_store::now();
    let at = schedule.between(now, now + chrono::Duration::days(62), 1)[0];
    let meeting = store.meeting_at(&setup(), series, at).await.unwrap().id;
    store
        .prepare_agenda(&setup(), meeting, day())
        .await
        .unwrap();
    let item = store
        .agenda(meeting)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.account_id == Some(account))
        .expect("the agenda covers the account")
        .id;
    let as_author = Actor {
        user_id: Some(author),
        name: "Friederike Laßmann".into(),
    };
    store
        .contribute(
            &as_author,
            (meeting, item),
            (author, Some(manager)),
            &learned(CONTRIBUTION),
        )
        .await
        .unwrap();
    let action = store
        .create_action(
            &as_author,
            Some((meeting, item)),
            &ActionInput {
                title: ACTION.into(),
                owner_id: manager,
                due_on: day(),
            },
        )
        .await
        .unwrap()
        .id;
    store.run_jobs("test").await.unwrap();
    // The pair's rating, which the API reads at `/assignments/{id}/ratings/{rating_id}`.
    let rating = store
        .ratings(pairs[0])
        .await
        .unwrap()
        .first()
        .expect("the account's pair is rated")
        .id
        .get();

    let ids = Ids {
        account: account.get(),
        contact: contacts[0].get(),
        assignment: pairs[0].get(),
        unit: responsible.get(),
        person: manager.get(),
        partner: lena.get(),
        insight: insight.get(),
        meeting: meeting.get(),
        item: item.get(),
        action: action.get(),
        ..demo
    };
    let nothing = 987_654_321;
    let missing = Ids {
        account: nothing,
        contact: nothing,
        assignment: nothing,
        insight: nothing,
        item: nothing,
        action: nothing,
        ..ids.clone()
    };
    let mut own_paths = vec![format!("/accounts/{account}")];
    own_paths.extend(contacts.iter().map(|k| format!("/key-contacts/{k}")));
    own_paths.extend(pairs.iter().map(|s| format!("/assignments/{s}")));
    own_paths.push(format!("/insights/{insight}"));
    own_paths.push(format!("/actions/{action}"));
    (
        Restricted {
            account,
            partner_org: partner.get(),
            own_paths,
            ids,
            logged,
            rating,
            missing,
        },
        readers,
    )
}

/// What one reader read: the markers found, by address.
#[derive(Default)]
struct Seen {
    found: BTreeMap<String, Vec<&'static str>>,
}

/// Reads one answer as `reader`: never a server error; for a reader who may not see the
/// account, no marker and no link to its records.
fn check(
    world: &Restricted,
    reader: &Reader,
    what: &str,
    status: StatusCode,
    text: &str,
    seen: &mut Seen,
) {
    assert!(
        !status.is_server_error(),
        "{what} as {}: {status}\n{text}",
        reader.name
    );
    let found = markers_in(text);
    if reader.sees {
        if !found.is_empty() {
            seen.found.insert(what.to_owned(), found);
        }
        return;
    }
    assert!(
        found.is_empty(),
        "{what} shows {} {found:?} of the restricted account:\n{}",
        reader.name,
        unescape(text)
    );
    // A page names the address it was asked for (to come back to after a language switch):
    // that is the reader's own typing, no link to the account.
    let asked = what.split_once(' ').map_or(what, |(_, path)| path);
    let encoded = serde_urlencoded::to_string([("", asked)]).unwrap();
    let text = unescape(text).replace(asked, "").replace(&encoded[1..], "");
    if let Some(link) = own_link(&text, &world.own_paths) {
        panic!("{what} links {} to {link}:\n{text}", reader.name);
    }
}

/// Every page of the route table, as one reader; the account's own addresses answer a reader
/// who may not see it as they would a record that does not exist.
async fn walk_pages(world: &Restricted, reader: &mut Reader, seen: &mut Seen) -> usize {
    let mut walked = 0;
    for &(method, template, needs) in ROUTES {
        let path = world.ids.fill(template);
        let own = OWN.iter().any(|p| template.contains(p));
        let page = match method {
            Method::Get => reader.client.get(&path).await,
            // Posts only to the account's own addresses, with empty forms: they change
            // nothing, and must say nothing.
            Method::Post if own => reader.client.post(&path, &[]).await,
            Method::Post => continue,
        };
        walked += 1;
        let verb = if method == Method::Get { "GET" } else { "POST" };
        let what = format!("{verb} {path}");
        check(world, reader, &what, page.status, &page.body, seen);
        if !own || reader.sees || !reader.may(needs) {
            continue;
        }
        let elsewhere = world.missing.fill(template);
        let missing = match method {
            Method::Get => reader.client.get(&elsewhere).await,
            Method::Post => reader.client.post(&elsewhere, &[]).await,
        };
        if method == Method::Get {
            assert_eq!(
                page.status,
                StatusCode::NOT_FOUND,
                "{what} as {}: the restricted account's page",
                reader.name
            );
        }
        assert_eq!(
            page.status, missing.status,
            "{what} answers {} otherwise than {elsewhere}, a record that does not exist",
            reader.name
        );
    }
    walked
}

/// Pages that take what a user typed or a record the route table does not name: searches
/// for each marker, the partner's organization with its exports, the KAM matrix's workbook,
/// the feeds.
async fn walk_more(world: &Restricted, reader: &mut Reader, seen: &mut Seen) -> usize {
    let mut paths: Vec<String> = Vec::new();
    for marker in MARKERS {
        let q = typed(marker);
        paths.extend([
            format!("/search?q={q}"),
            format!("/search/quick?q={q}"),
            format!("/jour-fixe/{}?account_q={q}", world.ids.series),
        ]);
    }
    paths.extend([
        "/pick?scope=key-contacts&name=other_id&other_id_q=lindq".to_owned(),
        "/pick?scope=key-contacts&name=other_id&other_id_q=mahlb".to_owned(),
        "/pick?scope=all&name=person_id&person_id_q=lindq".to_owned(),
        format!("/organizations/{}", world.partner_org),
        format!("/people/{}/briefing", world.ids.partner),
        "/mirror/suggestions?deputies=1".to_owned(),
        format!("/units/{}/digest?since=2020-01-01", world.ids.unit),
        format!("/meetings/{}/minutes.md", world.ids.meeting),
        "/accounts?inactive=1".to_owned(),
        "/matrix?side=external".to_owned(),
    ]);
    paths.extend(reader.feeds.iter().cloned());
    for path in &paths {
        let page = reader.client.get(path).await;
        check(world, reader, path, page.status, &page.body, seen);
    }
    let mut downloads =
        vec!["/matrix/export?sheet=current&sheet=internal&sheet=external".to_owned()];
    for format in ["xlsx", "csv", "insights-csv", "vcf"] {
        downloads.push(format!(
            "/organizations/{}/export?format={format}",
            world.partner_org
        ));
    }
    for path in &downloads {
        let (status, _, bytes) = reader.client.get_bytes(path).await;
        let text = if path.contains("xlsx") || path.contains("matrix/export") {
            if status == StatusCode::OK {
                xlsx_text(&bytes)
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            }
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        check(world, reader, path, status, &text, seen);
    }
    paths.len() + downloads.len()
}

/// A path parameter of the API, by the resource named before it: the id it is filled with,
/// and whether that is one of the restricted account's own records.
fn api_id(world: &Restricted, path: &str, param: &str) -> (i64, bool) {
    let before = path
        .split(&format!("/{{{param}}}"))
        .next()
        .and_then(|head| head.rsplit('/').next())
        .unwrap_or_default();
    match before {
        "accounts" => (world.ids.account, true),
        "key-contacts" | "key_contacts" => (world.ids.contact, true),
        "assignments" | "counterparts" => (world.ids.assignment, true),
        "insights" => (world.ids.insight, true),
        "actions" => (world.ids.action, true),
        "organizations" => (world.partner_org, false),
        "people" | "persons" => (world.ids.partner, false),
        "units" => (world.ids.unit, false),
        "meetings" => (world.ids.meeting, false),
        "series" | "jour-fixe" => (world.ids.series, false),
        // A lock pairs a partner person with one of ours: `/locks/{partner_id}/{our_id}`.
        "locks" => (world.ids.partner, false),
        "contacts" => (world.logged, true),
        "criteria" => (world.ids.criterion, false),
        "{partner_id}" => (world.ids.person, false),
        "ratings" => (world.rating, true),
        other => panic!(
            "the leak test does not know which record {{{param}}} stands for in {path} \
             (after /{other}/): teach `api_id` in crates/web/tests/web/restricted.rs"
        ),
    }
}

/// Every GET of the OpenAPI document as one reader's token reads it; the account's own
/// resources answer 404 to a reader who may not see it, like a missing one.
async fn walk_api(app: &TestApp, world: &Restricted, reader: &Reader, seen: &mut Seen) -> usize {
    let mut client = app.client();
    let auth = [("authorization", reader.bearer.as_str())];
    let document: Value =
        serde_json::from_str(&client.api_get("/api/v1/openapi.json", &[]).await.body).unwrap();
    let mut walked = 0;
    for (path, operations) in document["paths"].as_object().expect("paths") {
        let Some(get) = operations.get("get") else {
            continue;
        };
        let mut filled = path.clone();
        let mut missing = path.clone();
        let mut own = false;
        let mut query = Vec::new();
        for parameter in get["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().unwrap_or_default();
            match parameter["in"].as_str() {
                // The guiding questions are about the account of the path: the partner
                // questionnaire is asked of every account.
                Some("path") if name == "questionnaire" => {
                    filled = filled.replace("{questionnaire}", "partner");
                    missing = missing.replace("{questionnaire}", "partner");
                }
                Some("path") => {
                    let (id, of_account) = api_id(world, path, name);
                    own |= of_account;
                    let slot = format!("{{{name}}}");
                    filled = filled.replace(&slot, &id.to_string());
                    missing = missing.replace(
                        &slot,
                        &if of_account { 987_654_321 } else { id }.to_string(),
                    );
                }
                Some("query") => match name {
                    "limit" => query.push("limit=200"),
                    "inactive" => query.push("inactive=true"),
                    _ if parameter["required"].as_bool() == Some(true) => {
                        panic!("the leak test does not know what to send as {name} to {path}")
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        let tail = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        let address = format!("/api/v1{filled}{tail}");
        let answer = client.api_get(&address, &auth).await;
        check(world, reader, &address, answer.status, &answer.body, seen);
        walked += 1;
        if own && !reader.sees {
            let elsewhere = client
                .api_get(&format!("/api/v1{missing}{tail}"), &auth)
                .await;
            assert_eq!(
                (answer.status, elsewhere.status),
                (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
                "{address} as {}: like a record that does not exist",
                reader.name
            );
        }
    }
    walked
}

/// What those who may see the account find, and where, at the least: it cannot pass by
/// showing nothing to anyone.
const SHOWN: &[(&str, &[&str])] = &[
    (
        "GET /accounts/{a}",
        &[ACCOUNT, NOTES, INSIGHT, PERSON_INSIGHT, CONTACT],
    ),
    ("GET /accounts", &[ACCOUNT]),
    ("GET /matrix", &[ACCOUNT]),
    (
        "GET /accounts/{a}/briefing",
        &[ACCOUNT, INSIGHT, PERSON_INSIGHT],
    ),
    ("GET /accounts/{a}/mirror", &[ACCOUNT]),
    ("GET /assignments/{s}", &[RATING]),
    ("GET /people/{q}", &[PERSON_INSIGHT, CONTACT]),
    ("GET /meetings/{m}", &[ACCOUNT, CONTRIBUTION, ACTION]),
    ("GET /importance", &[ACCOUNT]),
];

#[tokio::test]
async fn restricted_account_leaks_nowhere() {
    let app = TestApp::demo().await;
    let (world, mut readers) = world(&app).await;
    let store: &Store = &app.db.store;
    assert!(
        store.account(world.account).await.unwrap().restricted,
        "the walk is about a restricted account"
    );
    let mut walked = 0;
    for reader in &mut readers {
        let mut seen = Seen::default();
        walked += walk_pages(&world, reader, &mut seen).await;
        walked += walk_more(&world, reader, &mut seen).await;
        walked += walk_api(&app, &world, reader, &mut seen).await;
        if !reader.sees {
            // The partner and its people stay: master data.
            for path in [
                format!("/organizations/{}", world.partner_org),
                format!("/people/{}", world.ids.partner),
            ] {
                let page = reader.client.get(&path).await;
                assert_eq!(page.status, StatusCode::OK, "{path} as {}", reader.name);
                page.assert_contains(if path.starts_with("/people") {
                    "Lindqvist"
                } else {
                    "Kranich Holding AG"
                });
            }
            continue;
        }
        for (address, markers) in SHOWN {
            let (method, template) = address.split_once(' ').unwrap();
            let path = format!("{method} {}", world.ids.fill(template));
            let found = seen.found.get(&path).cloned().unwrap_or_default();
            for marker in *markers {
                assert!(
                    found.contains(marker),
                    "{path} shows {} no {marker:?} (found {found:?})",
                    reader.name
                );
            }
        }
        let everywhere: BTreeSet<&str> = seen.found.values().flatten().copied().collect();
        assert_eq!(
            everywhere.len(),
            MARKERS.len(),
            "{} found every marker somewhere: {everywhere:?}",
            reader.name
        );
    }
    assert_eq!(readers.len(), 12, "three roles in four positions");
    assert_eq!(readers.iter().filter(|r| r.sees).count(), 8);
    assert!(walked > 12 * 150, "{walked} requests");
}

/// The account form: an editor restricts an account of their own unit (audited; the account
/// then shows the flag and is gone for a unit beside it), is told that a restricted account
/// needs a responsible unit and one they would still see, and a wrong value of the box is
/// named; a refused form changes nothing. The API shows the flag.
#[tokio::test]
async fn the_account_form_restricts_an_account_to_its_unit_and_names_what_is_wrong() {
    let app = TestApp::demo().await;
    let store = &app.db.store;
    let everything = counterpart_store::Visibility::everything();
    let accounts = store
        .accounts(&Default::default(), &everything)
        .await
        .unwrap();
    let krueger = store.user_named("krueger").await.unwrap();
    let own_unit = store
        .person(krueger.person_id.unwrap())
        .await
        .unwrap()
        .unit_id
        .unwrap();
    // Brandt & Söhne: Krüger's unit (Key Account Industrie) is responsible for it.
    let account = accounts
        .iter()
        .find(|a| a.account.responsible_unit_id == Some(own_unit))
        .expect("an account of Krüger's unit")
        .account
        .clone();
    let other_unit = accounts
        .iter()
        .filter_map(|a| a.account.responsible_unit_id)
        .find(|u| *u != own_unit)
        .expect("an account of another unit");
    let edit = format!("/accounts/{}/edit", account.id);
    let audited = || async {
        store
            .audit_entries(&counterpart_store::AuditFilter {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .len()
    };

    let mut editor = app.login("krueger").await;
    let form_page = editor.get(&edit).await;
    let form = form_page.form(&edit).expect("the account form");
    assert!(
        !form.fields.iter().any(|(n, _)| n == "restricted"),
        "an open account's box is not ticked"
    );
    form_page.assert_contains("Eingeschränkt: nur für die verantwortliche Einheit");
    form_page.assert_contains("id=\"f-restricted\"");
    form_page.assert_contains("aria-describedby=\"f-restricted-hint\"");

    // Refused, each naming its field, and nothing changes.
    let before = audited().await;
    let refusals = [
        (
            "",
            "1",
            "responsible_unit_id",
            "Ein eingeschränkter Account braucht eine verantwortliche Einheit",
        ),
        (
            &*other_unit.to_string(),
            "1",
            "responsible_unit_id",
            "So eingeschränkt wäre der Account für Sie verborgen",
        ),
        (
            &*own_unit.to_string(),
            "vielleicht",
            "restricted",
            "Bitte einen der angebotenen Werte",
        ),
    ];
    for (unit, flag, field, message) in refusals {
        let mut sent = form.clone();
        sent.set("responsible_unit_id", unit)
            .set("restricted", flag);
        let answer = editor.post(&edit, &sent.pairs()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{unit:?} {flag:?}: {}",
            answer.body
        );
        answer.assert_contains(message);
        answer.assert_contains(&format!("id=\"f-{field}-error\""));
    }
    assert_eq!(audited().await, before, "a refused form writes nothing");
    assert_eq!(store.account(account.id).await.unwrap(), account);

    // Restricted to his own unit: saved and audited, shown as such.
    let mut sent = form.clone();
    sent.set("restricted", "1");
    let saved = editor.post(&edit, &sent.pairs()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = store.account(account.id).await.unwrap();
    assert!(stored.restricted);
    let entry = store
        .audit_entries(&counterpart_store::AuditFilter {
            entity: Some(counterpart_core::audit::EntityKind::Account),
            entity_id: Some(account.id.get()),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .remove(0);
    assert!(entry.before.unwrap().contains("\"restricted\":false"));
    assert!(entry.after.unwrap().contains("\"restricted\":true"));
    let page = editor.get(saved.location()).await;
    page.assert_contains("<span class=\"badge restricted\">Eingeschränkt</span>");
    page.assert_contains("Eingeschränkt: nur die verantwortliche Einheit, die Einheiten darüber");
    let again = editor.get(&edit).await.form(&edit).unwrap();
    assert!(again.fields.contains(&("restricted".into(), "1".into())));
    // The records of processing say who sees what belongs to a restricted account.
    let mut admin = app.login("schneider").await;
    admin.get("/privacy").await.assert_contains(
        "was zu einem eingeschränkten Account gehört, nur dessen verantwortliche Einheit",
    );
    let mut english = app.login("schneider").await;
    english.accept_language = "en".into();
    let shown = english.get(&format!("/accounts/{}", account.id)).await;
    assert_eq!(shown.status, StatusCode::OK, "administrators see it");
    shown.assert_contains("<span class=\"badge restricted\">Restricted</span>");
    shown.assert_contains("only the responsible unit, the units above it and administrators");

    // Beside the unit it is gone: 404, and not in the list.
    let mut beside = app.login("yilmaz").await;
    assert_eq!(
        beside
            .get(&format!("/accounts/{}", account.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(!unescape(&beside.get("/accounts").await.body).contains(&account.name));
    // The API says it is restricted to those who see it.
    let (_, token) = store
        .create_token(
            &setup(),
            krueger.id,
            &NewToken {
                kind: TokenKind::Api,
                scope: TokenScope::Read,
                label: "Formtest".into(),
                unit_id: None,
                expires_at: None,
            },
        )
        .await
        .unwrap();
    let api = app
        .client()
        .api_get(
            &format!("/api/v1/accounts/{}", account.id),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["restricted"], Value::Bool(true), "{json}");

    // Open again: everyone sees it.
    let mut open = again.clone();
    open.set("restricted", "");
    let reopened = editor.post(&edit, &open.pairs()).await;
    assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
    assert_eq!(
        beside
            .get(&format!("/accounts/{}", account.id))
            .await
            .status,
        StatusCode::OK
    );
}
