//! The demo dataset, built from the brief's practice examples.
//!
//! Our house is a worldwide facility services provider that mirrored the hierarchy of its
//! largest German customer. Around it: that customer; a mid-size office services supplier whose
//! secretariats keep the relationship to the customers' secretariats; an asset and property
//! management firm that holds a monthly customer conference; a real estate and asset management
//! firm that keeps hierarchical customer data in one database; and an internal IT department
//! served as an internal customer.
//!
//! The key people are written out; the clerks of each unit are drawn from name lists by a
//! fixed rule, so the dataset is the same on every run.

use crate::org::{OrganizationKind, UnitKind};

/// A unit of a demo organization.
#[derive(Clone, Debug)]
pub struct DemoUnit {
    /// Key, unique within the organization.
    pub key: &'static str,
    /// Key of the parent unit.
    pub parent: Option<&'static str>,
    /// Name.
    pub name: &'static str,
    /// Kind.
    pub kind: UnitKind,
}

/// A person of a demo organization.
#[derive(Clone, Debug)]
pub struct DemoPerson {
    /// Key, unique within the dataset (used to link managers and assistants).
    pub key: String,
    /// Academic title.
    pub academic_title: Option<&'static str>,
    /// Given name.
    pub given_name: &'static str,
    /// Family name.
    pub family_name: &'static str,
    /// Job title in their organization.
    pub job_title: String,
    /// Rank on the default ladder (1 = top).
    pub level_rank: i64,
    /// Function key (see [`crate::ladder::DEFAULT_FUNCTIONS`]).
    pub function: &'static str,
    /// Key of their unit.
    pub unit: &'static str,
    /// Key of their manager.
    pub reports_to: Option<String>,
    /// Key of the boss they assist.
    pub assistant_of: Option<String>,
    /// E-mail address.
    pub email: String,
    /// Office phone.
    pub phone: String,
}

/// A demo organization with its units and people.
#[derive(Clone, Debug)]
pub struct DemoOrganization {
    /// Name.
    pub name: &'static str,
    /// Own, external or internal.
    pub kind: OrganizationKind,
    /// What it is, in a sentence.
    pub notes: &'static str,
    /// Units, parents before children.
    pub units: Vec<DemoUnit>,
    /// People, managers before their reports.
    pub people: Vec<DemoPerson>,
}

/// A demo login.
#[derive(Clone, Debug)]
pub struct DemoUser {
    /// Login name.
    pub username: &'static str,
    /// Password (demo only; printed at start).
    pub password: &'static str,
    /// Role.
    pub role: crate::user::Role,
    /// Key of the person of our house this user is.
    pub person: &'static str,
    /// What the persona is, for the start-up message.
    pub persona: &'static str,
}

/// The demo users: a managing director (admin), a department head, a clerk and a guest.
pub fn users() -> Vec<DemoUser> {
    use crate::user::Role;
    vec![
        DemoUser {
            username: "schneider",
            password: "demo",
            role: Role::Admin,
            person: "nl-gf",
            persona: "Geschäftsführerin / managing director (admin)",
        },
        DemoUser {
            username: "krueger",
            password: "demo",
            role: Role::Editor,
            person: "nl-kai",
            persona: "Abteilungsleiter / department head (editor)",
        },
        DemoUser {
            username: "yilmaz",
            password: "demo",
            role: Role::Editor,
            person: "nl-vi-1",
            persona: "Sachbearbeiterin / clerk (editor)",
        },
        DemoUser {
            username: "gast",
            password: "demo",
            role: Role::Viewer,
            person: "nl-gf-sek",
            persona: "Gast / guest (viewer)",
        },
    ]
}

const GIVEN: [&str; 40] = [
    "Anna",
    "Jörg",
    "Sören",
    "Björn",
    "Jürgen",
    "Käthe",
    "Günther",
    "Jürgen",
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
];

const FAMILY: [&str; 40] = [
    "Müller",
    "Groß",
    "Schäfer",
    "Köhler",
    "Weiß",
    "Hoffmann",
    "Bäcker",
    "Jäger",
    "Schröder",
    "Krämer",
    "Günther",
    "Böhm",
    "Lößner",
    "Brückner",
    "Vogt",
    "Fuchs",
    "Möller",
    "Haußmann",
    "Zimmermann",
    "Yılmaz",
    "Nüßlein",
    "Kühn",
    "Lange",
    "Fröhlich",
    "Schulze",
    "Dietz",
    "Öztürk",
    "Peters",
    "Rößler",
    "Sommer",
    "Wolff",
    "Hähnel",
    "Braun",
    "Förster",
    "Keller",
    "Jung",
    "Ehrhardt",
    "Straßer",
    "Kaya",
    "Bäuerle",
];

/// Transliterates a name for an e-mail address: umlauts to ae/oe/ue, ß to ss.
fn mail_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'ş' => out.push('s'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            '-' | ' ' => out.push('-'),
            _ => {}
        }
    }
    out
}

/// Builds one organization's people: written-out key people plus generated clerks.
struct Builder {
    domain: &'static str,
    phone_prefix: &'static str,
    people: Vec<DemoPerson>,
    next_name: usize,
}

/// A written-out key person: (key, academic title, given, family, job title, level, function,
/// unit, reports to, assistant of).
type KeyPerson = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

impl Builder {
    fn new(domain: &'static str, phone_prefix: &'static str, seed: usize) -> Self {
        Self {
            domain,
            phone_prefix,
            people: Vec::new(),
            next_name: seed,
        }
    }

    /// Adds a person, giving them a unique e-mail address and a phone extension.
    fn push(&mut self, mut person: DemoPerson) {
        let n = self.people.len() + 100;
        let (given, family) = (mail_part(person.given_name), mail_part(person.family_name));
        let email = format!("{given}.{family}@{}", self.domain);
        person.email = if self.people.iter().any(|p| p.email == email) {
            format!("{given}.{family}{n}@{}", self.domain)
        } else {
            email
        };
        person.phone = format!("{}-{n}", self.phone_prefix);
        self.people.push(person);
    }

    fn key_people(&mut self, people: &[KeyPerson]) {
        let some = |s: &'static str| (!s.is_empty()).then(|| s.to_owned());
        for &(key, title, given, family, job, level, function, unit, boss, assists) in people {
            self.push(DemoPerson {
                key: key.to_owned(),
                academic_title: (!title.is_empty()).then_some(title),
                given_name: given,
                family_name: family,
                job_title: job.to_owned(),
                level_rank: level,
                function,
                unit,
                reports_to: some(boss),
                assistant_of: some(assists),
                email: String::new(),
                phone: String::new(),
            });
        }
    }

    /// Adds `count` clerks to a unit, reporting to `boss`.
    fn clerks(
        &mut self,
        prefix: &str,
        count: usize,
        job: &str,
        function: &'static str,
        unit: &'static str,
        boss: &str,
    ) {
        for i in 1..=count {
            // Walk the name lists with co-prime steps so names mix but never repeat quickly.
            let given = GIVEN[(self.next_name * 7) % GIVEN.len()];
            let family = FAMILY[(self.next_name * 11 + 3) % FAMILY.len()];
            self.next_name += 1;
            self.push(DemoPerson {
                key: format!("{prefix}-{i}"),
                academic_title: None,
                given_name: given,
                family_name: family,
                job_title: job.to_owned(),
                level_rank: 5,
                function,
                unit,
                reports_to: Some(boss.to_owned()),
                assistant_of: None,
                email: String::new(),
                phone: String::new(),
            });
        }
    }
}

#[rustfmt::skip]
fn unit(key: &'static str, parent: Option<&'static str>, name: &'static str, kind: UnitKind) -> DemoUnit {
    DemoUnit {
        key,
        parent,
        name,
        kind,
    }
}

#[rustfmt::skip]
fn own_house() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("gf", None, "Geschäftsführung", Division),
        unit("gf-sek", Some("gf"), "Sekretariat der Geschäftsführung", Secretariat),
        unit("vt", Some("gf"), "Vertrieb & Key Account Management", Division),
        unit("vt-sek", Some("vt"), "Sekretariat Vertrieb", Secretariat),
        unit("kai", Some("vt"), "Key Account Industrie", Department),
        unit("kai-sued", Some("kai"), "Team Großkunden Süd", Team),
        unit("kaw", Some("vt"), "Key Account Immobilienwirtschaft", Department),
        unit("vi", Some("vt"), "Vertriebsinnendienst", Team),
        unit("bt", Some("gf"), "Betrieb", Division),
        unit("gt", Some("bt"), "Gebäudetechnik", Department),
        unit("gt-koeln", Some("gt"), "Team Technik Köln", Team),
        unit("rs", Some("bt"), "Reinigung & Services", Department),
        unit("ek", Some("gf"), "Einkauf", Department),
        unit("fc", Some("gf"), "Finanzen & Controlling", Department),
        unit("hr", Some("gf"), "Personal", Department),
    ];
    let mut b = Builder::new("nordlicht-fs.example", "+49 221 4711", 0);
    b.key_people(&[
        ("nl-gf", "Dr.", "Katharina", "Schneider", "Vorsitzende der Geschäftsführung", 1, "management", "gf", "", ""),
        ("nl-cfo", "", "Matthias", "Große-Böckmann", "Geschäftsführer Finanzen", 1, "finance", "gf", "nl-gf", ""),
        ("nl-gf-sek", "", "Sabine", "Meißner", "Assistentin der Geschäftsführung", 5, "assistant", "gf-sek", "nl-gf", "nl-gf"),
        ("nl-cfo-sek", "", "Gülcan", "Aydın", "Sekretärin Geschäftsführung Finanzen", 5, "assistant", "gf-sek", "nl-cfo", "nl-cfo"),
        ("nl-vt", "", "Thomas", "Weißenfels", "Bereichsleiter Vertrieb & Key Account Management", 2, "sales", "vt", "nl-gf", ""),
        ("nl-vt-sek", "", "Ingrid", "Schäuble", "Assistentin Bereichsleitung Vertrieb", 5, "assistant", "vt-sek", "nl-vt", "nl-vt"),
        ("nl-bt", "Dipl.-Ing.", "Stefan", "Hölzl", "Bereichsleiter Betrieb", 2, "technical", "bt", "nl-gf", ""),
        ("nl-bt-sek", "", "Petra", "Fußbroich", "Assistentin Bereichsleitung Betrieb", 5, "assistant", "bt", "nl-bt", "nl-bt"),
        ("nl-kai", "", "Jörg", "Krüger", "Abteilungsleiter Key Account Industrie", 3, "sales", "kai", "nl-vt", ""),
        ("nl-kaw", "", "Friederike", "Laßmann", "Abteilungsleiterin Key Account Immobilienwirtschaft", 3, "sales", "kaw", "nl-vt", ""),
        ("nl-gt", "", "Andreas", "Büttner", "Abteilungsleiter Gebäudetechnik", 3, "technical", "gt", "nl-bt", ""),
        ("nl-rs", "", "Claudia", "Dörfler", "Abteilungsleiterin Reinigung & Services", 3, "technical", "rs", "nl-bt", ""),
        ("nl-ek", "", "Ralf", "Strauß", "Leiter Einkauf", 3, "procurement", "ek", "nl-cfo", ""),
        ("nl-fc", "", "Birgit", "Oßwald", "Leiterin Finanzen & Controlling", 3, "finance", "fc", "nl-cfo", ""),
        ("nl-hr", "", "Nadine", "Köster", "Leiterin Personal", 3, "hr", "hr", "nl-gf", ""),
        ("nl-kai-sued", "", "Markus", "Überall", "Teamleiter Großkunden Süd", 4, "sales", "kai-sued", "nl-kai", ""),
        ("nl-vi", "", "Sandra", "Pöschl", "Teamleiterin Vertriebsinnendienst", 4, "sales", "vi", "nl-vt", ""),
        ("nl-gt-koeln", "", "Dennis", "Schütz", "Teamleiter Technik Köln", 4, "technical", "gt-koeln", "nl-gt", ""),
        ("nl-rs-tl", "", "Monika", "Jäckel", "Teamleiterin Objektservice", 4, "technical", "rs", "nl-rs", ""),
        ("nl-vi-1", "", "Ayşe", "Yılmaz", "Sachbearbeiterin Vertriebsinnendienst", 5, "sales", "vi", "nl-vi", ""),
    ]);
    b.clerks("nl-kai", 4, "Key Account Manager Industrie", "sales", "kai", "nl-kai");
    b.clerks("nl-kai-sued", 4, "Kundenbetreuer Großkunden", "sales", "kai-sued", "nl-kai-sued");
    b.clerks("nl-kaw", 4, "Key Account Manager Immobilien", "sales", "kaw", "nl-kaw");
    b.clerks("nl-vi-x", 6, "Sachbearbeitung Vertriebsinnendienst", "sales", "vi", "nl-vi");
    b.clerks("nl-gt-koeln", 6, "Techniker Gebäudeleittechnik", "technical", "gt-koeln", "nl-gt-koeln");
    b.clerks("nl-rs", 4, "Objektleitung", "technical", "rs", "nl-rs-tl");
    b.clerks("nl-ek", 4, "Einkäufer", "procurement", "ek", "nl-ek");
    b.clerks("nl-fc", 3, "Controller", "finance", "fc", "nl-fc");
    b.clerks("nl-hr", 2, "Personalreferent", "hr", "hr", "nl-hr");
    DemoOrganization {
        name: "Nordlicht Facility Services GmbH",
        kind: OrganizationKind::Own,
        notes: "Unser Haus: weltweit aufgestellter Facility-Dienstleister, deutsche Landesgesellschaft. \
                Hat sein Key Account Management hierarchisch an den größten deutschen Kunden angepasst.",
        units,
        people: b.people,
    }
}

#[rustfmt::skip]
fn largest_customer() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("vs", None, "Vorstand", Division),
        unit("vs-sek", Some("vs"), "Vorstandssekretariat", Secretariat),
        unit("wk", Some("vs"), "Werke & Standorte", Division),
        unit("fm", Some("wk"), "Facility Management", Department),
        unit("fm-nord", Some("fm"), "Standortbetreuung Nord", Team),
        unit("fm-sued", Some("fm"), "Standortbetreuung Süd", Team),
        unit("ek", Some("vs"), "Zentraleinkauf", Division),
        unit("ek-dl", Some("ek"), "Einkauf Dienstleistungen", Department),
        unit("as", Some("wk"), "Arbeitssicherheit & Umwelt", Department),
    ];
    let mut b = Builder::new("brandt-soehne.example", "+49 211 5550", 13);
    b.key_people(&[
        ("bs-vv", "Prof. Dr.", "Heinrich", "Brandt", "Vorsitzender des Vorstands", 1, "management", "vs", "", ""),
        ("bs-cfo", "Dr.", "Ulrike", "Wößner", "Vorständin Finanzen & Einkauf", 1, "finance", "vs", "bs-vv", ""),
        ("bs-vv-sek", "", "Gabriele", "Schmitz", "Leiterin Vorstandssekretariat", 5, "assistant", "vs-sek", "bs-vv", "bs-vv"),
        ("bs-cfo-sek", "", "Renate", "Plößl", "Assistentin Vorstand Finanzen", 5, "assistant", "vs-sek", "bs-cfo", "bs-cfo"),
        ("bs-wk", "", "Klaus-Dieter", "Hüsing", "Bereichsleiter Werke & Standorte", 2, "technical", "wk", "bs-vv", ""),
        ("bs-ek", "", "Martina", "Gößling", "Bereichsleiterin Zentraleinkauf", 2, "procurement", "ek", "bs-cfo", ""),
        ("bs-ek-sek", "", "Heike", "Dreßler", "Assistentin Bereichsleitung Einkauf", 5, "assistant", "ek", "bs-ek", "bs-ek"),
        ("bs-fm", "", "Volker", "Brünning", "Leiter Facility Management", 3, "technical", "fm", "bs-wk", ""),
        ("bs-ek-dl", "", "Susanne", "Kießling", "Leiterin Einkauf Dienstleistungen", 3, "procurement", "ek-dl", "bs-ek", ""),
        ("bs-as", "", "Werner", "Läufer", "Leiter Arbeitssicherheit & Umwelt", 3, "technical", "as", "bs-wk", ""),
        ("bs-fm-nord", "", "Jens", "Möbius", "Teamleiter Standortbetreuung Nord", 4, "technical", "fm-nord", "bs-fm", ""),
        ("bs-fm-sued", "", "Tanja", "Bühler", "Teamleiterin Standortbetreuung Süd", 4, "technical", "fm-sued", "bs-fm", ""),
    ]);
    b.clerks("bs-fm-nord", 6, "Objektbetreuer", "technical", "fm-nord", "bs-fm-nord");
    b.clerks("bs-fm-sued", 6, "Objektbetreuerin", "technical", "fm-sued", "bs-fm-sued");
    b.clerks("bs-ek-dl", 4, "Strategischer Einkäufer", "procurement", "ek-dl", "bs-ek-dl");
    b.clerks("bs-as", 2, "Fachkraft für Arbeitssicherheit", "technical", "as", "bs-as");
    DemoOrganization {
        name: "Brandt & Söhne Industriewerke AG",
        kind: OrganizationKind::External,
        notes: "Unser größter deutscher Kunde: Industriekonzern mit zwölf Werken. \
                Wir haben unsere Hierarchie an seine angepasst – Chef zu Chef, Mitarbeiter zu Mitarbeiter.",
        units,
        people: b.people,
    }
}

#[rustfmt::skip]
fn office_supplier() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("gl", None, "Geschäftsleitung", Division),
        unit("gl-sek", Some("gl"), "Sekretariat", Secretariat),
        unit("kb", Some("gl"), "Kundenbetreuung", Department),
        unit("op", Some("gl"), "Operative Dienste", Department),
    ];
    let mut b = Builder::new("hansa-buero.example", "+49 40 3210", 27);
    b.key_people(&[
        ("hb-gf", "", "Björn", "Petersen", "Geschäftsführer", 1, "management", "gl", "", ""),
        ("hb-gf-sek", "", "Christa", "Jürgensen", "Sekretärin der Geschäftsführung", 5, "assistant", "gl-sek", "hb-gf", "hb-gf"),
        ("hb-kb", "", "Silke", "Thießen", "Leiterin Kundenbetreuung", 3, "sales", "kb", "hb-gf", ""),
        ("hb-kb-sek", "", "Meike", "Hansen", "Teamassistentin Kundenbetreuung", 5, "assistant", "gl-sek", "hb-kb", "hb-kb"),
        ("hb-op", "", "Uwe", "Claußen", "Leiter Operative Dienste", 3, "technical", "op", "hb-gf", ""),
        ("hb-op-tl", "", "Kerstin", "Bößel", "Teamleiterin Postdienste", 4, "technical", "op", "hb-op", ""),
    ]);
    b.clerks("hb-kb", 4, "Kundenbetreuerin", "sales", "kb", "hb-kb");
    b.clerks("hb-op", 5, "Servicekraft", "technical", "op", "hb-op-tl");
    DemoOrganization {
        name: "Hansa Bürodienste GmbH",
        kind: OrganizationKind::External,
        notes: "Mittelständischer Dienstleister (Büro- und Postdienste), unser Lieferant. \
                Seine Sekretariate pflegen die Beziehung zu den Sekretariaten ihrer Kunden.",
        units,
        people: b.people,
    }
}

#[rustfmt::skip]
fn property_manager() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("gf", None, "Geschäftsführung", Division),
        unit("gf-sek", Some("gf"), "Assistenz der Geschäftsführung", Secretariat),
        unit("am", Some("gf"), "Asset Management", Department),
        unit("pm", Some("gf"), "Property Management", Department),
        unit("pm-muc", Some("pm"), "Objektverwaltung München", Team),
        unit("tm", Some("gf"), "Technisches Management", Department),
    ];
    let mut b = Builder::new("isar-apm.example", "+49 89 7788", 41);
    b.key_people(&[
        ("ia-gf", "", "Maximilian", "Huber", "Geschäftsführender Gesellschafter", 1, "management", "gf", "", ""),
        ("ia-gf-sek", "", "Theresa", "Gruber", "Assistentin der Geschäftsführung", 5, "assistant", "gf-sek", "ia-gf", "ia-gf"),
        ("ia-am", "", "Corinna", "Weißbach", "Leiterin Asset Management", 3, "management", "am", "ia-gf", ""),
        ("ia-pm", "", "Florian", "Schößler", "Leiter Property Management", 3, "management", "pm", "ia-gf", ""),
        ("ia-tm", "Dipl.-Ing.", "Georg", "Bräuninger", "Leiter Technisches Management", 3, "technical", "tm", "ia-gf", ""),
        ("ia-pm-muc", "", "Verena", "Steinhäuser", "Teamleiterin Objektverwaltung München", 4, "management", "pm-muc", "ia-pm", ""),
    ]);
    b.clerks("ia-am", 3, "Asset Managerin", "finance", "am", "ia-am");
    b.clerks("ia-pm-muc", 6, "Objektverwalter", "management", "pm-muc", "ia-pm-muc");
    b.clerks("ia-tm", 4, "Technischer Objektmanager", "technical", "tm", "ia-tm");
    DemoOrganization {
        name: "Isar Asset & Property Management GmbH",
        kind: OrganizationKind::External,
        notes: "Asset- und Property-Management-Unternehmen, Kunde. \
                Hält einmal im Monat eine Kundenkonferenz ab, in der jeder Kunde besprochen wird.",
        units,
        people: b.people,
    }
}

#[rustfmt::skip]
fn real_estate() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("vs", None, "Vorstand", Division),
        unit("vs-sek", Some("vs"), "Vorstandsbüro", Secretariat),
        unit("ib", Some("vs"), "Immobilienbestand", Division),
        unit("ib-west", Some("ib"), "Region West", Department),
        unit("ib-ost", Some("ib"), "Region Ost", Department),
        unit("kam", Some("vs"), "Kundenmanagement", Department),
    ];
    let mut b = Builder::new("quartier-ream.example", "+49 69 2040", 59);
    b.key_people(&[
        ("qr-vv", "Dr.", "Constanze", "von Lüttichau", "Vorstandsvorsitzende", 1, "management", "vs", "", ""),
        ("qr-vv-sek", "", "Dagmar", "Fleißner", "Leiterin Vorstandsbüro", 5, "assistant", "vs-sek", "qr-vv", "qr-vv"),
        ("qr-ib", "", "Rüdiger", "Lorenz", "Bereichsleiter Immobilienbestand", 2, "management", "ib", "qr-vv", ""),
        ("qr-west", "", "Anja", "Kläsener", "Abteilungsleiterin Region West", 3, "management", "ib-west", "qr-ib", ""),
        ("qr-ost", "", "Sven", "Mäder", "Abteilungsleiter Region Ost", 3, "management", "ib-ost", "qr-ib", ""),
        ("qr-kam", "", "Oliver", "Großmann", "Leiter Kundenmanagement", 3, "sales", "kam", "qr-vv", ""),
        ("qr-west-tl", "", "Bettina", "Rühl", "Teamleiterin Objektbetreuung West", 4, "management", "ib-west", "qr-west", ""),
    ]);
    b.clerks("qr-west", 4, "Objektbetreuerin", "management", "ib-west", "qr-west-tl");
    b.clerks("qr-ost", 5, "Objektbetreuer", "management", "ib-ost", "qr-ost");
    b.clerks("qr-kam", 3, "Kundenmanager", "sales", "kam", "qr-kam");
    DemoOrganization {
        name: "Quartier Real Estate & Asset Management AG",
        kind: OrganizationKind::External,
        notes: "Real-Estate- und Asset-Management-Unternehmen, Kunde. \
                Pflegt hierarchisch bezogene Kundendaten in einer gemeinsamen Datenbank.",
        units,
        people: b.people,
    }
}

#[rustfmt::skip]
fn internal_it() -> DemoOrganization {
    use UnitKind::*;
    let units = vec![
        unit("it", None, "Konzern-IT", Division),
        unit("it-sek", Some("it"), "Sekretariat Konzern-IT", Secretariat),
        unit("it-ws", Some("it"), "Arbeitsplatz-Services", Department),
        unit("it-app", Some("it"), "Anwendungen", Department),
    ];
    let mut b = Builder::new("nordlicht-fs.example", "+49 221 4712", 71);
    b.key_people(&[
        ("it-cio", "", "Tim", "Schürmann", "Bereichsleiter Konzern-IT (CIO)", 2, "technical", "it", "", ""),
        ("it-sek", "", "Bärbel", "Nowak", "Assistentin CIO", 5, "assistant", "it-sek", "it-cio", "it-cio"),
        ("it-ws", "", "Carsten", "Wüst", "Leiter Arbeitsplatz-Services", 3, "technical", "it-ws", "it-cio", ""),
        ("it-app", "", "Julia", "Eßer", "Leiterin Anwendungen", 3, "technical", "it-app", "it-cio", ""),
        ("it-app-tl", "", "Fabian", "Römer", "Teamleiter CAFM-Systeme", 4, "technical", "it-app", "it-app", ""),
    ]);
    b.clerks("it-ws", 4, "IT-Systembetreuer", "technical", "it-ws", "it-ws");
    b.clerks("it-app", 3, "Anwendungsbetreuerin", "technical", "it-app", "it-app-tl");
    DemoOrganization {
        name: "Konzern-IT (interne Dienstleistung)",
        kind: OrganizationKind::Internal,
        notes: "Nachbarabteilung unseres Hauses, als interner Kunde behandelt: \
                Chef zu Chef, Mitarbeiter zu Mitarbeiter auch im eigenen Haus.",
        units,
        people: b.people,
    }
}

/// The whole demo dataset: our house first, then the partners.
pub fn organizations() -> Vec<DemoOrganization> {
    vec![
        own_house(),
        largest_customer(),
        office_supplier(),
        property_manager(),
        real_estate(),
        internal_it(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn dataset_has_the_shape_the_brief_asks_for() {
        let orgs = organizations();
        assert_eq!(
            orgs.iter()
                .filter(|o| o.kind == OrganizationKind::Own)
                .count(),
            1
        );
        assert!(orgs.iter().any(|o| o.kind == OrganizationKind::Internal));
        assert!(orgs.iter().filter(|o| o.kind.is_partner()).count() >= 4);
        let people: Vec<&DemoPerson> = orgs.iter().flat_map(|o| &o.people).collect();
        assert!(
            (140..=180).contains(&people.len()),
            "{} people",
            people.len()
        );
        for rank in 1..=5 {
            assert!(
                people.iter().any(|p| p.level_rank == rank),
                "level {rank} empty"
            );
        }
        let all_names: String = people.iter().map(|p| p.family_name).collect();
        assert!(all_names.contains('ß') && all_names.contains('ü') && all_names.contains('ö'));
    }

    #[test]
    fn links_point_to_earlier_people_of_the_same_organization() {
        let mut keys = HashSet::new();
        for org in organizations() {
            let units: HashSet<&str> = org.units.iter().map(|u| u.key).collect();
            let mut seen: HashMap<&str, &DemoPerson> = HashMap::new();
            for p in &org.people {
                assert!(keys.insert(p.key.clone()), "duplicate key {}", p.key);
                assert!(
                    units.contains(p.unit),
                    "{} has unknown unit {}",
                    p.key,
                    p.unit
                );
                for link in [&p.reports_to, &p.assistant_of].into_iter().flatten() {
                    assert!(seen.contains_key(link.as_str()), "{} -> {link}", p.key);
                }
                seen.insert(&p.key, p);
            }
        }
    }

    #[test]
    fn every_secretariat_person_assists_a_boss() {
        for org in organizations() {
            for p in org.people.iter().filter(|p| p.function == "assistant") {
                assert!(p.assistant_of.is_some(), "{} assists nobody", p.key);
            }
            // And every top person of a partner has a secretariat.
            let top = org.people.iter().find(|p| p.reports_to.is_none()).unwrap();
            assert!(
                org.people
                    .iter()
                    .any(|p| p.assistant_of.as_deref() == Some(&top.key)),
                "{} has no assistant",
                top.key
            );
        }
    }

    #[test]
    fn demo_users_are_people_of_our_house() {
        let own = &organizations()[0];
        for user in users() {
            assert!(
                own.people.iter().any(|p| p.key == user.person),
                "{}",
                user.username
            );
        }
    }

    #[test]
    fn mail_addresses_are_ascii() {
        assert_eq!(mail_part("Große-Böckmann"), "grosse-boeckmann");
        assert_eq!(mail_part("Yılmaz"), "yilmaz");
        for org in organizations() {
            for p in &org.people {
                assert!(p.email.is_ascii(), "{}", p.email);
            }
        }
    }
}
