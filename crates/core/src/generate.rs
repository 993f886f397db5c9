//! The reference dataset "enterprise", generated deterministically from a seed: the scale
//! envelope the benchmarks are measured against (ARCHITECTURE.md).
//!
//! Our own house has 20,000 people in a realistic pyramid (board, divisions, departments, teams,
//! clerks, secretariats for the top two levels); 2,000 partner organizations (500 of them
//! internal departments) with 100,000 people; one account per partner organization; key
//! contacts, counterpart assignments (current and ended, primary and deputy) and five years of
//! relationship ratings; importance criteria with ratings by three members; logins for a few
//! thousand of our people who hold counterparts, and what they know: a million insights over
//! two years and two million contacts logged over the last year, in German sentences made
//! from templates. Rows carry their ids, so the store can load them in bulk without asking the
//! database for keys.
//!
//! The same seed always gives the same rows. The names are German and international. The
//! insights and contacts are not held in memory: [`Dataset::insights`] and
//! [`Dataset::interactions`] make them one by one, the same ones on every call, and their
//! texts are rendered from a template and a few random bits only when asked for.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::insight::{Category, Certainty};
use crate::interaction::Kind;
use crate::user::Role;

/// Sizes of a generated dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    /// People of our own house.
    pub own_people: usize,
    /// Partner organizations (each one account).
    pub partners: usize,
    /// Of those, internal departments.
    pub internal_partners: usize,
    /// People over all partner organizations.
    pub partner_people: usize,
    /// Years of rating history.
    pub rating_years: u32,
    /// Logins generated for people of ours who hold counterparts (beyond the demo logins).
    pub users: usize,
    /// Insights, learned over the last two years.
    pub insights: usize,
    /// Contacts logged over the last year.
    pub interactions: usize,
}

impl Scale {
    /// The reference scale of ARCHITECTURE.md.
    pub const ENTERPRISE: Self = Self {
        own_people: 20_000,
        partners: 2_000,
        internal_partners: 500,
        partner_people: 100_000,
        rating_years: 5,
        users: 5_000,
        insights: 1_000_000,
        interactions: 2_000_000,
    };

    /// A small dataset with the same shape, for tests.
    pub const SMALL: Self = Self {
        own_people: 400,
        partners: 20,
        internal_partners: 5,
        partner_people: 1_000,
        rating_years: 2,
        users: 100,
        insights: 10_000,
        interactions: 20_000,
    };
}

/// A deterministic pseudo-random generator (SplitMix64): small, fast, and stable across
/// platforms and releases, which a library RNG does not promise.
#[derive(Clone, Debug)]
pub struct SplitMix(u64);

impl SplitMix {
    /// Seeds the generator.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift: unbiased enough for data generation, and never divides by zero.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// An organization row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenOrganization {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// `own`, `external` or `internal`.
    pub kind: &'static str,
}

/// A unit row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenUnit {
    /// Id.
    pub id: i64,
    /// Organization.
    pub organization_id: i64,
    /// Parent unit.
    pub parent_id: Option<i64>,
    /// Name.
    pub name: String,
    /// `division`, `department`, `team` or `secretariat`.
    pub kind: &'static str,
}

/// A person row (with their one position starting `since`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenPerson {
    /// Id.
    pub id: i64,
    /// Organization.
    pub organization_id: i64,
    /// Unit.
    pub unit_id: i64,
    /// Given name.
    pub given_name: &'static str,
    /// Family name.
    pub family_name: &'static str,
    /// Job title.
    pub job_title: String,
    /// Level rank 1–5.
    pub level_rank: i64,
    /// Function key.
    pub function: &'static str,
    /// Manager.
    pub reports_to: Option<i64>,
    /// Boss they assist.
    pub assistant_of: Option<i64>,
    /// E-mail (unique).
    pub email: String,
    /// First day of the position.
    pub since: NaiveDate,
}

/// An account row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenAccount {
    /// Id.
    pub id: i64,
    /// Partner organization.
    pub organization_id: i64,
    /// Name (unique).
    pub name: String,
    /// `customer`, `supplier` or `both`.
    pub relation: &'static str,
    /// `hierarchical`, `single_manager` or `jour_fixe`.
    pub mode: &'static str,
    /// Our responsible unit.
    pub responsible_unit_id: i64,
    /// Our key account manager.
    pub manager_id: Option<i64>,
}

/// A key contact row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenKeyContact {
    /// Id.
    pub id: i64,
    /// Account.
    pub account_id: i64,
    /// Partner person.
    pub person_id: i64,
    /// Decision role key.
    pub role: &'static str,
    /// Stance key.
    pub stance: &'static str,
    /// Influence 1–5.
    pub influence: i64,
}

/// An assignment row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenAssignment {
    /// Id.
    pub id: i64,
    /// Partner person.
    pub partner_id: i64,
    /// Our person.
    pub our_id: i64,
    /// `primary` or `deputy`.
    pub kind: &'static str,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day, for ended assignments.
    pub valid_to: Option<NaiveDate>,
    /// The pair's last contact: the later of its latest rating and the newest contact logged
    /// between the partner and our person.
    pub last_contact_on: Option<NaiveDate>,
}

/// A rating row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenRating {
    /// Id.
    pub id: i64,
    /// Assignment.
    pub assignment_id: i64,
    /// When.
    pub rated_on: NaiveDate,
    /// Relationship 1–5.
    pub relationship: i64,
    /// Partnership 1–5.
    pub partnership: i64,
    /// Satisfaction 1–5.
    pub satisfaction: i64,
}

/// The whole generated dataset.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Organizations; the first is our own.
    pub organizations: Vec<GenOrganization>,
    /// Units, parents first.
    pub units: Vec<GenUnit>,
    /// People, managers first.
    pub people: Vec<GenPerson>,
    /// Accounts.
    pub accounts: Vec<GenAccount>,
    /// Key contacts.
    pub key_contacts: Vec<GenKeyContact>,
    /// Assignments.
    pub assignments: Vec<GenAssignment>,
    /// Ratings, oldest first per assignment.
    pub ratings: Vec<GenRating>,
    /// Importance ratings: (account id, criterion index in [`crate::demo::criteria`], member
    /// index 0–2, score).
    pub importance: Vec<(i64, usize, usize, i64)>,
    /// Logins: the demo logins of [`crate::demo::users`] first (ids from 1, in their order),
    /// then one for each of a few thousand people of ours who hold counterparts.
    pub users: Vec<GenUser>,
    /// What the insights and contacts are drawn from.
    pub knowledge: Knowledge,
}

/// A login row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenUser {
    /// Id.
    pub id: i64,
    /// Login name (unique, valid as [`crate::user::Username`]).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail (unique; none for the demo logins).
    pub email: Option<String>,
    /// Role.
    pub role: Role,
    /// The person of ours the user is.
    pub person_id: Option<i64>,
}

/// An insight row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenInsight {
    /// Id.
    pub id: i64,
    /// The partner person (a key contact) it is about.
    pub partner_id: Option<i64>,
    /// The account it is about (the partner's, when both are set).
    pub account_id: Option<i64>,
    /// Category.
    pub category: Category,
    /// The text.
    pub text: Sentence,
    /// When it was learned.
    pub learned_on: NaiveDate,
    /// The user who wrote it down.
    pub author_id: i64,
    /// The person of ours that user is.
    pub author_person_id: i64,
    /// That person's unit.
    pub author_unit_id: i64,
    /// Heard or confirmed.
    pub certainty: Certainty,
    /// Read only by the author's unit and the units above it.
    pub confidential: bool,
    /// When it was written down.
    pub created_at: DateTime<Utc>,
}

/// A contact-log row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenInteraction {
    /// Id.
    pub id: i64,
    /// The partner person (a key contact).
    pub partner_id: i64,
    /// The partner's account, mostly.
    pub account_id: Option<i64>,
    /// Meeting, call, e-mail, visit or event.
    pub kind: Kind,
    /// When.
    pub happened_on: NaiveDate,
    /// What it was about.
    pub summary: Sentence,
    /// The user who logged it.
    pub author_id: i64,
    /// The person of ours that user is (who was there).
    pub author_person_id: i64,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
}

/// A German sentence: a template and the random bits that choose the words filled into it.
/// Rendered (with [`fmt::Display`]) only when needed, so that millions of them cost a few
/// bytes each until then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// The template, with `{t}` (a topic), `{o}` (a city), `{z}` (a time), `{w}` (a
    /// competitor) and `{p}` (a percentage) to fill.
    template: &'static str,
    /// Twelve bits per slot choose its word.
    words: u64,
}

impl fmt::Display for Sentence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            f.write_str(&rest[..open])?;
            let slot = rest.as_bytes().get(open + 1).copied().unwrap_or(b'?');
            let (words, shift): (&[&str], u32) = match slot {
                b't' => (&TOPICS, 0),
                b'o' => (&CITIES, 12),
                b'z' => (&TIMES, 24),
                b'w' => (&COMPETITORS, 36),
                _ => (&PERCENTAGES, 48),
            };
            let i = ((self.words >> shift) & 0xfff) as usize % words.len();
            f.write_str(words[i])?;
            rest = rest.get(open + 3..).unwrap_or_default();
        }
        f.write_str(rest)
    }
}

const GIVEN: [&str; 60] = [
    "Anna",
    "Jörg",
    "Sören",
    "Björn",
    "Jürgen",
    "Käthe",
    "Günther",
    "Mareike",
    "Özlem",
    "Tobias",
    "Lena",
    "Malte",
    "Hannah",
    "Dörte",
    "Felix",
    "Sophie",
    "Timo",
    "Franziska",
    "Ümit",
    "Lukas",
    "Johanna",
    "Niklas",
    "Greta",
    "Maximilian",
    "Marie",
    "Jonas",
    "Frauke",
    "Elif",
    "Henrik",
    "Ida",
    "Paul",
    "Lotte",
    "Mehmet",
    "Clara",
    "Moritz",
    "Nele",
    "Konstantin",
    "Wiebke",
    "Till",
    "Ayşe",
    "Olivia",
    "Liam",
    "Sofia",
    "Mateo",
    "Chloé",
    "Lucas",
    "Giulia",
    "Luca",
    "Amélie",
    "Noah",
    "Zofia",
    "Jakub",
    "Ingrid",
    "Lars",
    "Aisha",
    "Omar",
    "Mei",
    "Kenji",
    "Priya",
    "Arjun",
];

/// Family names beyond the demo's German ones ([`crate::demo::FAMILY`]), for an
/// international workforce.
const INTERNATIONAL_FAMILY: [&str; 20] = [
    "Rossi",
    "Dubois",
    "García",
    "Novák",
    "Kowalski",
    "Johansson",
    "Smith",
    "Nguyen",
    "Tanaka",
    "Sharma",
    "Haddad",
    "van Dijk",
    "O'Brien",
    "Papadopoulos",
    "Nielsen",
    "Costa",
    "Horvat",
    "Ivanova",
    "Lindqvist",
    "Moreau",
];

/// A family name: the demo's German ones first, then the international ones, all equally likely.
fn family_name(rng: &mut SplitMix) -> &'static str {
    let german = crate::demo::FAMILY.len();
    let i = rng.below((german + INTERNATIONAL_FAMILY.len()) as u64) as usize;
    crate::demo::FAMILY
        .get(i)
        .copied()
        .unwrap_or_else(|| INTERNATIONAL_FAMILY[i - german])
}

const SECTORS: [&str; 12] = [
    "Maschinenbau",
    "Logistik",
    "Klinikum",
    "Immobilien",
    "Chemie",
    "Handel",
    "Energie",
    "Versicherung",
    "Automotive",
    "Pharma",
    "Telekom",
    "Bau",
];

const CITIES: [&str; 12] = [
    "Köln",
    "München",
    "Düsseldorf",
    "Frankfurt",
    "Nürnberg",
    "Hamburg",
    "Stuttgart",
    "Leipzig",
    "Dresden",
    "Münster",
    "Bremen",
    "Essen",
];

const ROLES: [&str; 5] = [
    "decision_maker",
    "influencer",
    "user",
    "gatekeeper",
    "champion",
];

const STANCES: [&str; 5] = ["supporter", "positive", "neutral", "neutral", "critical"];

const FUNCTIONS: [&str; 6] = [
    "sales",
    "technical",
    "procurement",
    "finance",
    "hr",
    "management",
];

/// What our facility services are about: the topics insights and contacts name.
const TOPICS: [&str; 24] = [
    "die Unterhaltsreinigung",
    "den Winterdienst",
    "die Wartung der Aufzüge",
    "die Gebäudetechnik",
    "das Energiemonitoring",
    "den Sicherheitsdienst",
    "den Empfangsdienst",
    "die Kantine",
    "die Abfallentsorgung",
    "den Brandschutz",
    "die Klimatechnik",
    "die Zutrittskontrolle",
    "die Grünpflege",
    "das Flächenmanagement",
    "den Rahmenvertrag",
    "die Servicezeiten",
    "das Ticketsystem",
    "das monatliche Reporting",
    "die Glasreinigung",
    "den Hausmeisterdienst",
    "die Poststelle",
    "die Umzugsplanung",
    "die Ladeinfrastruktur",
    "den Nachhaltigkeitsbericht",
];

/// When something is to happen.
const TIMES: [&str; 8] = [
    "im ersten Quartal",
    "bis zum Sommer",
    "im Herbst",
    "zum Jahresende",
    "im kommenden Jahr",
    "nach der Budgetrunde",
    "noch in diesem Monat",
    "in den nächsten Wochen",
];

/// Who else is in the market.
const COMPETITORS: [&str; 6] = [
    "Ein regionaler Anbieter",
    "Ein internationaler Konzern",
    "Ein Start-up aus Berlin",
    "Der frühere Dienstleister",
    "Ein Wettbewerber aus den Niederlanden",
    "Die eigene Tochtergesellschaft",
];

/// How much.
const PERCENTAGES: [&str; 6] = ["5", "10", "15", "20", "25", "30"];

/// Templates of insights, by category.
fn insight_templates(category: Category) -> &'static [&'static str] {
    match category {
        Category::Needs => &[
            "Braucht für den Standort {o} ein neues Konzept für {t}.",
            "Wünscht sich ein monatliches Reporting über {t}, bisher fehlt der Überblick.",
            "Sucht einen Ansprechpartner, der {t} an allen Standorten koordiniert.",
            "Braucht {z} zusätzliche Unterstützung für {t}.",
            "Möchte die Kosten für {t} um {p} Prozent senken, ohne an Qualität zu verlieren.",
            "Erwartet kürzere Reaktionszeiten bei Störungen, vor allem am Standort {o}.",
            "Hätte gern ein gemeinsames Ticketsystem statt E-Mails und Anrufen.",
            "Braucht für die Prüfung {z} belastbare Nachweise über {t}.",
        ],
        Category::Satisfaction => &[
            "Sehr zufrieden mit dem Team am Standort {o}, lobt die Zuverlässigkeit.",
            "Unzufrieden mit unserer Leistung für {t}: mehrfach Termine nicht eingehalten.",
            "Die Qualität unserer Arbeit für {t} hat sich nach eigener Aussage deutlich verbessert.",
            "Beschwert sich über wechselnde Ansprechpartner am Standort {o}.",
            "Findet unser Angebot für {t} zu teuer, ist mit der Leistung aber zufrieden.",
            "Lobt die schnelle Reaktion beim letzten Ausfall am Standort {o}.",
            "Bewertet {t} seit dem Wechsel der Objektleitung wieder positiv.",
        ],
        Category::FutureIdeas => &[
            "Denkt {z} über ein gemeinsames Pilotprojekt für {t} nach.",
            "Könnte sich vorstellen, {t} für alle Standorte an einen Anbieter zu vergeben.",
            "Idee: Sensoren zur Belegungsmessung am Standort {o}, um Flächen zu sparen.",
            "Möchte {z} eine Ausschreibung für {t} starten.",
            "Interessiert an einem Workshop, der {t} nachhaltiger machen soll.",
            "Überlegt, {t} am Standort {o} ganz an uns abzugeben.",
        ],
        Category::Developments => &[
            "Der Standort {o} wird {z} geschlossen, die Belegschaft zieht um.",
            "Neue Geschäftsführung seit kurzem, die Prioritäten werden neu gesetzt.",
            "Das Budget für {t} wurde um {p} Prozent gekürzt.",
            "Umzug in ein neues Bürogebäude in {o} ist {z} geplant.",
            "Reorganisation im Einkauf: Entscheidungen über {t} fallen künftig zentral.",
            "Ein neues Werk in {o} ist im Bau, die Eröffnung ist {z} geplant.",
            "Hat ein Sparprogramm angekündigt, das auch {t} betrifft.",
            "Wechselt {z} in eine neue Rolle, die Nachfolge ist noch offen.",
        ],
        Category::Environment => &[
            "{w} bietet {t} nach eigener Aussage {p} Prozent günstiger an.",
            "{w} betreut am Standort {o} bereits {t}.",
            "Der Betriebsrat achtet stark auf die Arbeitsbedingungen externer Dienstleister.",
            "Steht unter Druck durch neue gesetzliche Vorgaben für {t}.",
            "Der Mutterkonzern gibt für {t} Rahmenverträge vor.",
            "Der Fachkräftemangel am Standort {o} erschwert die Besetzung offener Stellen.",
        ],
        Category::Other => &[
            "Feiert {z} das Firmenjubiläum, eine Einladung ist wahrscheinlich.",
            "Spricht gern über Fußball, Anhänger des Vereins aus {o}.",
            "Bevorzugt kurze Termine am Vormittag und Unterlagen vorab per E-Mail.",
            "Hat das Sommerfest am Standort {o} organisiert und uns dabei erwähnt.",
            "Ist {z} länger im Urlaub, die Vertretung ist informiert.",
        ],
    }
}

/// Templates of contact summaries, by kind.
fn contact_templates(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Meeting => &[
            "Jahresgespräch über {t}",
            "Abstimmung zum Rahmenvertrag",
            "Quartalsgespräch am Standort {o}",
            "Workshop über {t}",
            "Besprechung des Angebots für {t}",
        ],
        Kind::Call => &[
            "Telefonat über {t}",
            "Rückruf zur Störung am Standort {o}",
            "Telefonat zur Rechnung für {t}",
            "Folgetermin {z} vereinbart",
        ],
        Kind::Email => &[
            "Angebot für {t} geschickt",
            "Protokoll der letzten Besprechung versandt",
            "Fragen rund um {t} beantwortet",
            "Unterlagen für den Standort {o} nachgereicht",
        ],
        Kind::Visit => &[
            "Begehung am Standort {o}",
            "Besuch vor Ort, um {t} zu besprechen",
            "Rundgang mit der Standortleitung in {o}",
        ],
        Kind::Event => &[
            "Auf der Fachmesse in {o} getroffen",
            "Kundenabend in {o}",
            "Netzwerktreffen Facility Management",
        ],
    }
}

/// Builds one organization's people: a pyramid of `size` people under one top person, with
/// secretariats for levels 1 and 2.
struct Pyramid<'r> {
    rng: &'r mut SplitMix,
    dataset: &'r mut Dataset,
    next_person: i64,
    next_unit: i64,
    domain: String,
    since: NaiveDate,
}

impl Pyramid<'_> {
    fn unit(&mut self, org: i64, parent: Option<i64>, name: String, kind: &'static str) -> i64 {
        let id = self.next_unit;
        self.next_unit += 1;
        self.dataset.units.push(GenUnit {
            id,
            organization_id: org,
            parent_id: parent,
            name,
            kind,
        });
        id
    }

    /// Adds a person: (organization, unit, rank, title, function), their manager and the boss
    /// they assist.
    fn person(
        &mut self,
        (org, unit, rank, title, function): (i64, i64, i64, String, &'static str),
        reports_to: Option<i64>,
        assistant_of: Option<i64>,
    ) -> i64 {
        let id = self.next_person;
        self.next_person += 1;
        let given = *self.rng.pick(&GIVEN);
        let family = family_name(self.rng);
        let email = format!("p{id}@{}", self.domain);
        let since = self.since - Duration::days(self.rng.below(3650) as i64);
        self.dataset.people.push(GenPerson {
            id,
            organization_id: org,
            unit_id: unit,
            given_name: given,
            family_name: family,
            job_title: title,
            level_rank: rank,
            function,
            reports_to,
            assistant_of,
            email,
            since,
        });
        id
    }

    /// A whole organization of about `size` people: top (rank 1) with a secretariat,
    /// divisions (2), departments (3), teams (4), clerks (5). Returns the people's ids by rank.
    fn organization(&mut self, org: i64, size: usize, label: &str) -> Vec<Vec<i64>> {
        let mut by_rank: Vec<Vec<i64>> = vec![Vec::new(); 6];
        let top_unit = self.unit(org, None, format!("{label} Leitung"), "division");
        let top = self.person(
            (org, top_unit, 1, "Geschäftsführung".into(), "management"),
            None,
            None,
        );
        by_rank[1].push(top);
        let sek = self.unit(
            org,
            Some(top_unit),
            format!("{label} Sekretariat"),
            "secretariat",
        );
        let assistant = self.person(
            (
                org,
                sek,
                5,
                "Assistenz der Geschäftsführung".into(),
                "assistant",
            ),
            Some(top),
            Some(top),
        );
        by_rank[5].push(assistant);
        // Shape: divisions ~ size/400 (≥1), departments ~ size/60, teams ~ size/12.
        let divisions = (size / 400).clamp(1, 12);
        let departments = (size / 60).max(divisions);
        let teams = (size / 12).max(departments);
        let mut placed = 2;
        let mut heads = Vec::new();
        for d in 0..divisions {
            let function = FUNCTIONS[d % FUNCTIONS.len()];
            let unit = self.unit(
                org,
                Some(top_unit),
                format!("{label} Bereich {}", d + 1),
                "division",
            );
            let head = self.person(
                (org, unit, 2, format!("Bereichsleitung {}", d + 1), function),
                Some(top),
                None,
            );
            by_rank[2].push(head);
            let a = self.person(
                (
                    org,
                    unit,
                    5,
                    "Assistenz Bereichsleitung".into(),
                    "assistant",
                ),
                Some(head),
                Some(head),
            );
            by_rank[5].push(a);
            placed += 2;
            heads.push((unit, head, function));
        }
        let mut department_heads = Vec::new();
        for i in 0..departments {
            let (division_unit, division_head, function) = heads[i % heads.len()];
            let unit = self.unit(
                org,
                Some(division_unit),
                format!("{label} Abteilung {}", i + 1),
                "department",
            );
            let head = self.person(
                (
                    org,
                    unit,
                    3,
                    format!("Abteilungsleitung {}", i + 1),
                    function,
                ),
                Some(division_head),
                None,
            );
            by_rank[3].push(head);
            placed += 1;
            department_heads.push((unit, head, function));
        }
        let mut team_leads = Vec::new();
        for i in 0..teams {
            let (dep_unit, dep_head, function) = department_heads[i % department_heads.len()];
            let unit = self.unit(
                org,
                Some(dep_unit),
                format!("{label} Team {}", i + 1),
                "team",
            );
            let lead = self.person(
                (org, unit, 4, format!("Teamleitung {}", i + 1), function),
                Some(dep_head),
                None,
            );
            by_rank[4].push(lead);
            placed += 1;
            team_leads.push((unit, lead, function));
        }
        let mut i = 0;
        while placed < size {
            let (unit, lead, function) = team_leads[i % team_leads.len()];
            let clerk = self.person(
                (org, unit, 5, "Sachbearbeitung".into(), function),
                Some(lead),
                None,
            );
            by_rank[5].push(clerk);
            placed += 1;
            i += 1;
        }
        by_rank
    }
}

/// Generates a dataset of the given scale. `today` anchors all dates.
pub fn generate(scale: Scale, seed: u64, today: NaiveDate) -> Dataset {
    let mut rng = SplitMix::new(seed);
    let mut dataset = Dataset::default();
    dataset.organizations.push(GenOrganization {
        id: 1,
        name: "Nordlicht Facility Services GmbH".into(),
        kind: "own",
    });
    let mut pyramid = Pyramid {
        rng: &mut rng,
        dataset: &mut dataset,
        next_person: 1,
        next_unit: 1,
        domain: "nordlicht-fs.example".into(),
        since: today,
    };
    let ours = pyramid.organization(1, scale.own_people, "NL");
    let our_units: Vec<i64> = pyramid.dataset.units.iter().map(|u| u.id).collect();
    let partner_ranks = partner_organizations(&mut pyramid, &scale);
    // Accounts, key contacts, assignments and ratings.
    let mut accounts = Accounts {
        dataset: &mut dataset,
        seed,
        today,
        start: today - Duration::days(365 * i64::from(scale.rating_years)),
        rating_years: scale.rating_years,
        ours: &ours,
        our_units: &our_units,
        next_contact: 1,
        next_assignment: 1,
        next_rating: 1,
    };
    for (p, ranks) in partner_ranks.iter().enumerate() {
        accounts.account(p, ranks);
    }
    dataset.users = users(&dataset, &scale, seed);
    dataset.knowledge = Knowledge::new(&dataset, &scale, seed, today);
    dataset.set_last_contacts();
    dataset
}

/// The partner organizations, internal ones first, and their people; returns each one's
/// people's ids by rank. Partner sizes vary: a few large, most small, summing to the target.
fn partner_organizations(pyramid: &mut Pyramid<'_>, scale: &Scale) -> Vec<Vec<Vec<i64>>> {
    let mut partner_ranks = Vec::with_capacity(scale.partners);
    let base = scale.partner_people / scale.partners.max(1);
    let mut remaining = scale.partner_people;
    for p in 0..scale.partners {
        let org = p as i64 + 2;
        let internal = p < scale.internal_partners;
        let sector = SECTORS[p % SECTORS.len()];
        let city = CITIES[(p / SECTORS.len()) % CITIES.len()];
        let name = if internal {
            format!("Interne Dienste {} ({})", p + 1, sector)
        } else {
            format!("{sector} {city} {} AG", p + 1)
        };
        pyramid.dataset.organizations.push(GenOrganization {
            id: org,
            name,
            kind: if internal { "internal" } else { "external" },
        });
        let left = scale.partners - p;
        let size = if left == 1 {
            remaining
        } else {
            let jitter = pyramid.rng.below(base as u64 + 1) as usize;
            (base / 2 + jitter).clamp(6, remaining.saturating_sub(6 * (left - 1)).max(6))
        };
        remaining = remaining.saturating_sub(size);
        pyramid.domain = format!("partner{}.example", p + 1);
        partner_ranks.push(pyramid.organization(org, size, &format!("P{}", p + 1)));
    }
    partner_ranks
}

/// Builds the accounts: one per partner organization with its key contacts, their
/// counterparts (current and ended) with ratings, and the importance ratings. Each account
/// draws from random numbers of its own, seeded by the account.
struct Accounts<'d> {
    /// Where the rows go.
    dataset: &'d mut Dataset,
    /// The dataset's seed.
    seed: u64,
    /// The last day of ratings.
    today: NaiveDate,
    /// The first day of ratings.
    start: NaiveDate,
    /// Years of ratings.
    rating_years: u32,
    /// Our people's ids by rank.
    ours: &'d [Vec<i64>],
    /// Our units' ids.
    our_units: &'d [i64],
    /// Id of the next key contact.
    next_contact: i64,
    /// Id of the next assignment.
    next_assignment: i64,
    /// Id of the next rating.
    next_rating: i64,
}

impl Accounts<'_> {
    /// The account of partner `p` (index from 0), whose people by rank are `ranks`.
    fn account(&mut self, p: usize, ranks: &[Vec<i64>]) {
        let account = p as i64 + 1;
        let org = p as i64 + 2;
        let relation = match rng_for(self.seed, account).below(10) {
            0..=6 => "customer",
            7..=8 => "supplier",
            _ => "both",
        };
        let mut r = rng_for(self.seed ^ 0x5eed, account);
        let mode = match r.below(10) {
            0..=5 => "hierarchical",
            6..=7 => "single_manager",
            _ => "jour_fixe",
        };
        let manager = Some(*r.pick(&self.ours[3]));
        self.dataset.accounts.push(GenAccount {
            id: account,
            organization_id: org,
            name: self.dataset.organizations[org as usize - 1].name.clone(),
            relation,
            mode,
            responsible_unit_id: *r.pick(self.our_units),
            manager_id: manager,
        });
        // Key contacts: the top three levels entirely, a share of team leads and clerks.
        for (rank, people) in ranks.iter().enumerate().skip(1) {
            for &person in people {
                self.key_contact(&mut r, account, rank, person);
            }
        }
        self.importance(&mut r, account, org, relation);
    }

    /// Perhaps makes `person` (of level `rank`) a key contact of `account`, and then perhaps
    /// gives them counterparts.
    fn key_contact(&mut self, r: &mut SplitMix, account: i64, rank: usize, person: i64) {
        let share = match rank {
            1..=3 => 100,
            4 => 80,
            _ => 65,
        };
        if !r.chance(share) {
            return;
        }
        self.dataset.key_contacts.push(GenKeyContact {
            id: self.next_contact,
            account_id: account,
            person_id: person,
            role: ROLES[r.below(ROLES.len() as u64) as usize],
            stance: STANCES[r.below(STANCES.len() as u64) as usize],
            influence: (6 - rank as i64).clamp(1, 5),
        });
        self.next_contact += 1;
        // A counterpart for most key contacts, usually at the same level.
        if r.chance(85) {
            self.counterparts(r, rank, person);
        }
    }

    /// A current primary for a key contact, usually at the same level, with ratings; for most
    /// an ended primary or several before it, and for the upper levels often a deputy.
    ///
    /// The shares give the reference dataset the envelope's 150,000 counterpart assignments:
    /// about 58,000 current primaries, 6,000 deputies and 86,000 ended ones (a relationship
    /// changed hands 1.5 times on average before its current holder).
    fn counterparts(&mut self, r: &mut SplitMix, rank: usize, person: i64) {
        let our_rank = match r.below(10) {
            0..=6 => rank,
            7..=8 => (rank + 1).min(5),
            _ => rank.saturating_sub(1).max(1),
        };
        let pool = &self.ours[our_rank];
        let ours_id = *r.pick(pool);
        let from =
            self.start + Duration::days(r.below(365 * u64::from(self.rating_years) / 2) as i64);
        // Relationships changed hands: up to three earlier holders, each before the next,
        // rated while the rating history ran.
        let mut until = from;
        for share in [88, 52, 28] {
            if !r.chance(share) {
                break;
            }
            let before = *r.pick(pool);
            let earlier = until - Duration::days(200 + r.below(400) as i64);
            let ended = (earlier, Some(until - Duration::days(1)));
            let id = self.assignment(person, before, "primary", ended);
            if until > self.start {
                self.ratings(r, id, earlier.max(self.start), until, 2);
            }
            until = earlier;
        }
        let id = self.assignment(person, ours_id, "primary", (from, None));
        self.ratings(r, id, from, self.today, 3);
        if rank <= 4 && r.chance(60) {
            let deputy = *r.pick(&self.ours[(rank + 1).min(5)]);
            if deputy != ours_id {
                self.assignment(person, deputy, "deputy", (from, None));
            }
        }
    }

    /// Adds an assignment valid over `(from, to)`; returns its id.
    fn assignment(
        &mut self,
        partner_id: i64,
        our_id: i64,
        kind: &'static str,
        (valid_from, valid_to): (NaiveDate, Option<NaiveDate>),
    ) -> i64 {
        let id = self.next_assignment;
        self.next_assignment += 1;
        self.dataset.assignments.push(GenAssignment {
            id,
            partner_id,
            our_id,
            kind,
            valid_from,
            valid_to,
            last_contact_on: None,
        });
        id
    }

    /// Ratings of an assignment from `from` until `until`, every `months` months.
    fn ratings(
        &mut self,
        r: &mut SplitMix,
        assignment: i64,
        from: NaiveDate,
        until: NaiveDate,
        months: i64,
    ) {
        push_ratings(
            &mut self.dataset.ratings,
            &mut self.next_rating,
            r,
            assignment,
            from,
            until,
            months,
        );
    }

    /// Importance: three members rate the criteria that apply to the account.
    fn importance(&mut self, r: &mut SplitMix, account: i64, org: i64, relation: &str) {
        for (criterion, (_, _, _, _, scope, _)) in crate::demo::criteria().iter().enumerate() {
            let internal = self.dataset.organizations[org as usize - 1].kind == "internal";
            let applies = match *scope {
                "all" => true,
                "customer" => relation != "supplier" && !internal,
                "supplier" => relation != "customer" && !internal,
                "internal" => internal,
                _ => false,
            };
            if !applies {
                continue;
            }
            let centre = 1 + r.below(5) as i64;
            for member in 0..3 {
                let score = (centre + r.below(3) as i64 - 1).clamp(1, 5);
                self.dataset
                    .importance
                    .push((account, criterion, member, score));
            }
        }
    }
}

/// The logins: the demo logins, linked as they always were (the first to our top person, the
/// second to the first rank-3 manager, the others to the first rank-5 staff), then
/// `scale.users` editors for people of ours who hold a current counterpart, drawn at random.
fn users(dataset: &Dataset, scale: &Scale, seed: u64) -> Vec<GenUser> {
    let ours: Vec<&GenPerson> = dataset
        .people
        .iter()
        .filter(|p| p.organization_id == 1)
        .collect();
    let mut users = Vec::new();
    let mut linked = HashSet::new();
    for (i, user) in crate::demo::users().iter().enumerate() {
        let rank = match i {
            0 => 1,
            1 => 3,
            _ => 5,
        };
        let person = ours
            .iter()
            .filter(|p| p.level_rank == rank)
            .nth(i.saturating_sub(2));
        linked.extend(person.map(|p| p.id));
        users.push(GenUser {
            id: i as i64 + 1,
            username: user.username.to_owned(),
            display_name: person.map_or_else(
                || user.username.to_owned(),
                |p| crate::person::display_name(None, Some(p.given_name), p.family_name),
            ),
            email: None,
            role: user.role,
            person_id: person.map(|p| p.id),
        });
    }
    let mut holders: Vec<i64> = Vec::new();
    for a in &dataset.assignments {
        if a.valid_to.is_none() && linked.insert(a.our_id) {
            holders.push(a.our_id);
        }
    }
    // Fisher–Yates with the dataset's seed, then in the order of the people.
    let mut r = SplitMix::new(seed ^ 0x0005_e75e_75e7);
    for i in (1..holders.len()).rev() {
        holders.swap(i, r.below(i as u64 + 1) as usize);
    }
    holders.truncate(scale.users);
    holders.sort_unstable();
    for person in holders {
        let p = dataset.person(person);
        let id = users.len() as i64 + 1;
        users.push(GenUser {
            id,
            username: username(p),
            display_name: crate::person::display_name(None, Some(p.given_name), p.family_name),
            email: Some(p.email.to_lowercase()),
            role: Role::Editor,
            person_id: Some(p.id),
        });
    }
    users
}

/// A login name for a person: given and family name folded to ASCII, and the person's id,
/// which makes it unique ("jorg.muller.4711").
fn username(p: &GenPerson) -> String {
    let name = crate::text::fold(&format!("{} {}", p.given_name, p.family_name));
    let mut out: String = name
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('.'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .take(30)
        .collect();
    out.push('.');
    out.push_str(&p.id.to_string());
    out
}

/// What the insights and contacts of a dataset are drawn from: who writes them (the logins
/// linked to people of ours who may edit), whom each of them is counterpart of, and every
/// key contact. The rows themselves are made on demand ([`Dataset::insights`],
/// [`Dataset::interactions`]), each sequence from its own random numbers.
#[derive(Clone, Debug, Default)]
pub struct Knowledge {
    /// The dataset's seed.
    seed: u64,
    /// The last day anything happened.
    today: NaiveDate,
    /// How many insights.
    insights: usize,
    /// How many contacts.
    interactions: usize,
    /// The authors.
    authors: Vec<Author>,
    /// The (partner person, account) pairs the authors are current counterparts of, by
    /// author ([`Author::pairs`]).
    pairs: Vec<(i64, i64)>,
    /// Every key contact: (person, account).
    contacts: Vec<(i64, i64)>,
}

/// A user who writes insights and logs contacts.
#[derive(Clone, Copy, Debug)]
struct Author {
    /// The user.
    user: i64,
    /// The person of ours the user is.
    person: i64,
    /// That person's unit.
    unit: i64,
    /// Their counterpart pairs in [`Knowledge::pairs`], from and to.
    pairs: (usize, usize),
}

impl Knowledge {
    /// The plan for `dataset`, whose users and relationships are made.
    fn new(dataset: &Dataset, scale: &Scale, seed: u64, today: NaiveDate) -> Self {
        let account_of: HashMap<i64, i64> = dataset
            .accounts
            .iter()
            .map(|a| (a.organization_id, a.id))
            .collect();
        let mut held: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for a in dataset.assignments.iter().filter(|a| a.valid_to.is_none()) {
            let org = dataset.person(a.partner_id).organization_id;
            if let Some(&account) = account_of.get(&org) {
                held.entry(a.our_id)
                    .or_default()
                    .push((a.partner_id, account));
            }
        }
        let mut authors = Vec::new();
        let mut pairs = Vec::new();
        for user in &dataset.users {
            let Some(person) = user.person_id.filter(|_| user.role.can_edit()) else {
                continue;
            };
            let from = pairs.len();
            pairs.extend(held.get(&person).into_iter().flatten().copied());
            authors.push(Author {
                user: user.id,
                person,
                unit: dataset.person(person).unit_id,
                pairs: (from, pairs.len()),
            });
        }
        let contacts: Vec<(i64, i64)> = dataset
            .key_contacts
            .iter()
            .map(|k| (k.person_id, k.account_id))
            .collect();
        let possible = !authors.is_empty() && !contacts.is_empty();
        Self {
            seed,
            today,
            insights: if possible { scale.insights } else { 0 },
            interactions: if possible { scale.interactions } else { 0 },
            authors,
            pairs,
            contacts,
        }
    }

    /// An author, and whom they learned something from or were in touch with: with
    /// `own_share` percent one of their own counterpart pairs, else any key contact.
    fn pick(&self, r: &mut SplitMix, own_share: u64) -> (Author, (i64, i64)) {
        let author = *r.pick(&self.authors);
        let own = &self.pairs[author.pairs.0..author.pairs.1];
        let about = if !own.is_empty() && r.chance(own_share) {
            *r.pick(own)
        } else {
            *r.pick(&self.contacts)
        };
        (author, about)
    }

    /// Insight number `id`, the next from `r`.
    fn insight(&self, r: &mut SplitMix, id: i64) -> GenInsight {
        let (author, (partner, account)) = self.pick(r, 80);
        let (partner_id, account_id) = match r.below(100) {
            0..=54 => (Some(partner), Some(account)),
            55..=79 => (Some(partner), None),
            _ => (None, Some(account)),
        };
        let category = match r.below(100) {
            0..=24 => Category::Needs,
            25..=44 => Category::Satisfaction,
            45..=56 => Category::FutureIdeas,
            57..=76 => Category::Developments,
            77..=91 => Category::Environment,
            _ => Category::Other,
        };
        let template = *r.pick(insight_templates(category));
        let text = Sentence {
            template,
            words: r.next_u64(),
        };
        let learned_on = self.today - Duration::days(r.below(730) as i64);
        GenInsight {
            id,
            partner_id,
            account_id,
            category,
            text,
            learned_on,
            author_id: author.user,
            author_person_id: author.person,
            author_unit_id: author.unit,
            certainty: if r.chance(65) {
                Certainty::Confirmed
            } else {
                Certainty::Heard
            },
            confidential: r.chance(5),
            created_at: self.noted(r, learned_on),
        }
    }

    /// Contact number `id`, the next from `r`.
    fn interaction(&self, r: &mut SplitMix, id: i64) -> GenInteraction {
        let (author, (partner, account)) = self.pick(r, 85);
        let kind = match r.below(100) {
            0..=29 => Kind::Email,
            30..=59 => Kind::Call,
            60..=84 => Kind::Meeting,
            85..=94 => Kind::Visit,
            _ => Kind::Event,
        };
        let template = *r.pick(contact_templates(kind));
        let summary = Sentence {
            template,
            words: r.next_u64(),
        };
        let happened_on = self.today - Duration::days(r.below(365) as i64);
        GenInteraction {
            id,
            partner_id: partner,
            account_id: r.chance(85).then_some(account),
            kind,
            happened_on,
            summary,
            author_id: author.user,
            author_person_id: author.person,
            created_at: self.noted(r, happened_on),
        }
    }

    /// When something of `day` was written down: that day or one of the two after it (not
    /// after today), during working hours.
    fn noted(&self, r: &mut SplitMix, day: NaiveDate) -> DateTime<Utc> {
        let day = (day + Duration::days(r.below(3) as i64)).min(self.today);
        let start = day.and_hms_opt(7, 0, 0).unwrap_or_default().and_utc();
        start + Duration::seconds(r.below(11 * 3600) as i64)
    }
}

impl Dataset {
    /// The person with id `id` (people are numbered from 1 in the order they are listed).
    fn person(&self, id: i64) -> &GenPerson {
        let person = &self.people[id as usize - 1];
        debug_assert_eq!(person.id, id);
        person
    }

    /// How many insights [`Self::insights`] makes.
    pub fn insight_count(&self) -> usize {
        self.knowledge.insights
    }

    /// How many contacts [`Self::interactions`] makes.
    pub fn interaction_count(&self) -> usize {
        self.knowledge.interactions
    }

    /// The insights, made one by one: the same on every call.
    pub fn insights(&self) -> impl Iterator<Item = GenInsight> + '_ {
        let knowledge = &self.knowledge;
        let mut r = SplitMix::new(knowledge.seed ^ 0x1a51_6475);
        (1..=knowledge.insights as i64).map(move |id| knowledge.insight(&mut r, id))
    }

    /// The contacts logged, made one by one: the same on every call.
    pub fn interactions(&self) -> impl Iterator<Item = GenInteraction> + '_ {
        let knowledge = &self.knowledge;
        let mut r = SplitMix::new(knowledge.seed ^ 0xc0_47ac_7500);
        (1..=knowledge.interactions as i64).map(move |id| knowledge.interaction(&mut r, id))
    }

    /// Sets every assignment's last contact: its latest rating or the newest contact logged
    /// between its partner and its person of ours, whichever is later (as migration 11 and
    /// logging a contact keep it).
    fn set_last_contacts(&mut self) {
        let mut newest: HashMap<(i64, i64), NaiveDate> = HashMap::new();
        for c in self.interactions() {
            let day = newest
                .entry((c.partner_id, c.author_person_id))
                .or_insert(c.happened_on);
            *day = (*day).max(c.happened_on);
        }
        let mut rated: HashMap<i64, NaiveDate> = HashMap::new();
        for r in &self.ratings {
            rated.insert(r.assignment_id, r.rated_on);
        }
        for a in &mut self.assignments {
            let logged = newest.get(&(a.partner_id, a.our_id)).copied();
            a.last_contact_on = rated.get(&a.id).copied().max(logged);
        }
    }
}

/// The random numbers of one account, from the dataset's seed.
fn rng_for(seed: u64, account: i64) -> SplitMix {
    let mut r = SplitMix::new(seed ^ (account as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    r.next_u64();
    r
}

/// Ratings every `months` months from `from` to `until`, drifting around a base value.
/// Ratings of an assignment from a month after `from` until `until`, every `months` months,
/// drifting by at most one step from one to the next.
fn push_ratings(
    ratings: &mut Vec<GenRating>,
    next: &mut i64,
    r: &mut SplitMix,
    assignment: i64,
    from: NaiveDate,
    until: NaiveDate,
    months: i64,
) {
    let mut value = 2 + r.below(4) as i64;
    let mut day = from + Duration::days(30);
    while day <= until {
        value = (value + r.below(3) as i64 - 1).clamp(1, 5);
        ratings.push(GenRating {
            id: *next,
            assignment_id: assignment,
            rated_on: day,
            relationship: value,
            partnership: (value + r.below(3) as i64 - 1).clamp(1, 5),
            satisfaction: (value + r.below(3) as i64 - 1).clamp(1, 5),
        });
        *next += 1;
        day += Duration::days(30 * months);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let a = generate(Scale::SMALL, 7, today());
        let b = generate(Scale::SMALL, 7, today());
        let c = generate(Scale::SMALL, 8, today());
        assert_eq!(a.people, b.people);
        assert_eq!(a.ratings, b.ratings);
        assert_ne!(a.people, c.people);
    }

    #[test]
    fn sizes_and_shape() {
        let d = generate(Scale::SMALL, 1, today());
        let own = d.people.iter().filter(|p| p.organization_id == 1).count();
        assert_eq!(own, Scale::SMALL.own_people);
        assert_eq!(d.people.len() - own, Scale::SMALL.partner_people);
        assert_eq!(
            d.organizations
                .iter()
                .filter(|o| o.kind == "internal")
                .count(),
            Scale::SMALL.internal_partners
        );
        assert_eq!(d.accounts.len(), Scale::SMALL.partners);
        // About one and a half counterpart assignments per partner person, as the envelope's
        // 150,000 for 100,000: most relationships changed hands before their current holder.
        let per_person = d.assignments.len() as f64 / Scale::SMALL.partner_people as f64;
        assert!((1.35..1.65).contains(&per_person), "{per_person}");
        let ended = d
            .assignments
            .iter()
            .filter(|a| a.valid_to.is_some())
            .count();
        assert!(ended > d.assignments.len() / 2, "{ended} ended");
        // No holder's time overlaps the next one's.
        let mut by_partner: HashMap<i64, Vec<&GenAssignment>> = HashMap::new();
        for a in d.assignments.iter().filter(|a| a.kind == "primary") {
            by_partner.entry(a.partner_id).or_default().push(a);
        }
        for held in by_partner.values_mut() {
            held.sort_by_key(|a| a.valid_from);
            for pair in held.windows(2) {
                assert_eq!(
                    pair[0].valid_to,
                    Some(pair[1].valid_from - Duration::days(1))
                );
            }
        }
        // A pyramid: more clerks than team leads than department heads.
        let count = |rank| {
            d.people
                .iter()
                .filter(|p| p.organization_id == 1 && p.level_rank == rank)
                .count()
        };
        assert!(
            count(5) > count(4)
                && count(4) > count(3)
                && count(3) >= count(2)
                && count(2) >= count(1)
        );
    }

    #[test]
    fn references_hold() {
        let d = generate(Scale::SMALL, 3, today());
        let people: HashMap<i64, &GenPerson> = d.people.iter().map(|p| (p.id, p)).collect();
        let units: HashSet<i64> = d.units.iter().map(|u| u.id).collect();
        let emails: HashSet<&str> = d.people.iter().map(|p| p.email.as_str()).collect();
        assert_eq!(emails.len(), d.people.len(), "e-mails are unique");
        for p in &d.people {
            assert!(units.contains(&p.unit_id));
            for link in [p.reports_to, p.assistant_of].into_iter().flatten() {
                let boss = people[&link];
                assert!(boss.id < p.id, "managers come first");
                assert_eq!(boss.organization_id, p.organization_id);
            }
        }
        let names: HashSet<&str> = d.accounts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names.len(), d.accounts.len(), "account names are unique");
        for a in &d.assignments {
            assert_ne!(people[&a.partner_id].organization_id, 1);
            assert_eq!(people[&a.our_id].organization_id, 1);
            assert!(a.valid_to.is_none_or(|to| to >= a.valid_from));
        }
        assert!(d.ratings.iter().all(|r| (1..=5).contains(&r.relationship)));
    }

    #[test]
    fn logins_are_unique_and_linked_to_people_who_hold_counterparts() {
        let d = generate(Scale::SMALL, 3, today());
        let demo = crate::demo::users();
        assert_eq!(d.users.len(), demo.len() + Scale::SMALL.users);
        for (i, user) in demo.iter().enumerate() {
            assert_eq!(d.users[i].username, user.username);
            assert_eq!(d.users[i].id, i as i64 + 1);
        }
        let names: HashSet<&str> = d.users.iter().map(|u| u.username.as_str()).collect();
        let emails: HashSet<&str> = d.users.iter().filter_map(|u| u.email.as_deref()).collect();
        let people: HashSet<i64> = d.users.iter().filter_map(|u| u.person_id).collect();
        assert_eq!(names.len(), d.users.len());
        assert_eq!(emails.len(), Scale::SMALL.users);
        assert_eq!(people.len(), d.users.len(), "one login per person");
        let holders: HashSet<i64> = d
            .assignments
            .iter()
            .filter(|a| a.valid_to.is_none())
            .map(|a| a.our_id)
            .collect();
        for (i, user) in d.users.iter().enumerate() {
            assert_eq!(user.id, i as i64 + 1);
            assert!(crate::user::Username::parse(&user.username).is_ok());
            let person = d.person(user.person_id.unwrap());
            assert_eq!(person.organization_id, 1);
            if i >= demo.len() {
                assert!(holders.contains(&person.id));
                assert_eq!(user.role, Role::Editor);
            }
        }
    }

    #[test]
    fn knowledge_is_the_same_every_time_and_refers_to_what_exists() {
        let d = generate(Scale::SMALL, 3, today());
        let again = generate(Scale::SMALL, 3, today());
        assert!(d.insights().eq(again.insights()));
        assert!(d.interactions().eq(again.interactions()));
        assert!(
            !d.insights()
                .eq(generate(Scale::SMALL, 4, today()).insights())
        );
        assert_eq!(d.insights().count(), Scale::SMALL.insights);
        assert_eq!(d.interactions().count(), Scale::SMALL.interactions);
        let contacts: HashSet<(i64, i64)> = d
            .key_contacts
            .iter()
            .map(|k| (k.person_id, k.account_id))
            .collect();
        let contact_people: HashSet<i64> = contacts.iter().map(|c| c.0).collect();
        let accounts: HashSet<i64> = d.accounts.iter().map(|a| a.id).collect();
        let users: HashMap<i64, &GenUser> = d.users.iter().map(|u| (u.id, u)).collect();
        let mut confidential = 0;
        for i in d.insights() {
            let author = users[&i.author_id];
            assert!(author.role.can_edit());
            assert_eq!(author.person_id, Some(i.author_person_id));
            assert_eq!(d.person(i.author_person_id).unit_id, i.author_unit_id);
            match (i.partner_id, i.account_id) {
                (Some(p), Some(a)) => assert!(contacts.contains(&(p, a))),
                (Some(p), None) => assert!(contact_people.contains(&p)),
                (None, Some(a)) => assert!(accounts.contains(&a)),
                (None, None) => panic!("an insight about nobody"),
            }
            assert!(i.learned_on <= today() && i.learned_on > today() - Duration::days(730));
            assert!(i.created_at.date_naive() >= i.learned_on);
            assert!(i.created_at.date_naive() <= today());
            let text = i.text.to_string();
            assert!(!text.contains('{') && text.ends_with('.'), "{text}");
            confidential += usize::from(i.confidential);
        }
        let share = confidential * 100 / Scale::SMALL.insights;
        assert!((3..=7).contains(&share), "{share} % confidential");
        let mut newest: HashMap<(i64, i64), NaiveDate> = HashMap::new();
        for c in d.interactions() {
            assert_eq!(users[&c.author_id].person_id, Some(c.author_person_id));
            assert!(contact_people.contains(&c.partner_id));
            if let Some(a) = c.account_id {
                assert!(contacts.contains(&(c.partner_id, a)));
            }
            assert!(c.happened_on > today() - Duration::days(365));
            let summary = c.summary.to_string();
            assert!(!summary.is_empty() && !summary.contains('{'), "{summary}");
            let day = newest
                .entry((c.partner_id, c.author_person_id))
                .or_insert(c.happened_on);
            *day = (*day).max(c.happened_on);
        }
        // The last contact of a pair: its latest rating or its newest contact, whichever is
        // later; most current pairs have had a contact logged within the year.
        let mut latest = HashMap::new();
        for r in &d.ratings {
            latest.insert(r.assignment_id, r.rated_on);
        }
        let mut logged = 0;
        for a in &d.assignments {
            let contact = newest.get(&(a.partner_id, a.our_id)).copied();
            assert_eq!(a.last_contact_on, latest.get(&a.id).copied().max(contact));
            logged += usize::from(contact.is_some() && a.last_contact_on == contact);
        }
        assert!(logged > 0);
    }

    #[test]
    fn every_template_renders_in_full() {
        let mut r = SplitMix::new(1);
        for category in Category::ALL {
            for template in insight_templates(*category) {
                for _ in 0..20 {
                    let text = Sentence {
                        template,
                        words: r.next_u64(),
                    }
                    .to_string();
                    assert!(!text.contains(['{', '}']), "{text}");
                }
            }
        }
        for kind in Kind::ALL {
            for template in contact_templates(*kind) {
                let text = Sentence {
                    template,
                    words: u64::MAX,
                }
                .to_string();
                assert!(!text.contains(['{', '}']), "{text}");
            }
        }
    }

    #[test]
    fn random_numbers_stay_in_range() {
        let mut r = SplitMix::new(42);
        for n in [1, 2, 7, 1000] {
            for _ in 0..1000 {
                assert!(r.below(n) < n);
            }
        }
        assert_eq!(r.below(0), 0);
    }
}
