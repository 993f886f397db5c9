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

/// German family names, with umlauts and ß; the generated datasets use them too.
pub(crate) const FAMILY: [&str; 40] = [
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

/// A demo account: partner organization (by index in [`organizations`]), relation, mode,
/// responsible unit of ours and key account manager (by key).
#[derive(Clone, Debug)]
pub struct DemoAccount {
    /// Index of the partner organization in [`organizations`].
    pub organization: usize,
    /// Key of the partner unit, for an account whose partner is a unit of our own house
    /// (organization 0): a neighbouring department.
    pub unit: Option<&'static str>,
    /// `customer`, `supplier` or `both`.
    pub relation: &'static str,
    /// `hierarchical`, `single_manager` or `jour_fixe`.
    pub mode: &'static str,
    /// Key of our responsible unit.
    pub responsible_unit: &'static str,
    /// Key of our key account manager.
    pub manager: Option<&'static str>,
    /// Why the account is set up this way, for its notes.
    pub notes: &'static str,
    /// Key contacts: (person key, role, stance, influence).
    pub contacts: Vec<(&'static str, &'static str, &'static str, i64)>,
    /// Counterparts: (partner key, our key, kind, months ago it started, relationship
    /// ratings from oldest to newest, one per quarter up to today).
    pub counterparts: Vec<(&'static str, &'static str, &'static str, u32, Vec<i64>)>,
}

/// A demo importance criterion: (German, English, German description, English description,
/// scope, weight).
pub type DemoCriterion = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
);

/// The criteria the demo team agreed on.
#[rustfmt::skip]
pub fn criteria() -> Vec<DemoCriterion> {
    vec![
        ("Umsatzanteil", "Revenue share", "1 = unter 1 % unseres Umsatzes, 5 = über 10 %", "1 = below 1 % of our revenue, 5 = above 10 %", "customer", 30.0),
        ("Strategische Bedeutung", "Strategic relevance", "1 = Tagesgeschäft, 5 = prägt unsere Strategie", "1 = day-to-day business, 5 = shapes our strategy", "all", 25.0),
        ("Wachstumspotenzial", "Growth potential", "1 = ausgeschöpft, 5 = großes Potenzial", "1 = exhausted, 5 = large potential", "customer", 20.0),
        ("Referenzwert", "Reference value", "1 = keiner, 5 = Leuchtturm für andere Kunden", "1 = none, 5 = a beacon for other customers", "customer", 10.0),
        ("Kritikalität", "Criticality", "1 = entbehrlich, 5 = ohne ihn steht der Betrieb", "1 = dispensable, 5 = operations stop without them", "supplier", 30.0),
        ("Schwere Ersetzbarkeit", "Hard to replace", "1 = sofort ersetzbar, 5 = kaum ersetzbar", "1 = replaceable at once, 5 = hardly replaceable", "supplier", 20.0),
        ("Abhängigkeit", "Dependency", "1 = wir brauchen sie kaum, 5 = wir hängen von ihnen ab", "1 = we hardly need them, 5 = we depend on them", "internal", 30.0),
    ]
}

/// Weight proposals by demo user: (username, criterion index, weight). Where they differ
/// from the agreed weights, the importance page shows the disagreement.
pub fn weight_proposals() -> Vec<(&'static str, usize, f64)> {
    let agreed: Vec<f64> = criteria().iter().map(|c| c.5).collect();
    let mut proposals = Vec::new();
    for (i, weight) in agreed.iter().enumerate() {
        proposals.push(("schneider", i, *weight));
        // The department head thinks growth matters less, the clerk that references matter more.
        let krueger = if i == 2 { 5.0 } else { *weight };
        let yilmaz = if i == 3 { 30.0 } else { *weight };
        proposals.push(("krueger", i, krueger));
        proposals.push(("yilmaz", i, yilmaz));
    }
    proposals
}

/// Importance ratings by demo user: (username, organization index, criterion index, score).
/// Two members disagree on Isar's growth potential, which the importance page shows.
pub fn importance_ratings() -> Vec<(&'static str, usize, usize, i64)> {
    let mut ratings = Vec::new();
    // (organization, [criterion scores by schneider], [by krueger], [by yilmaz])
    // Scores per criterion (0 = not rated) by schneider, krueger and yilmaz.
    type Scores = [i64; 7];
    let table: [(usize, Scores, Scores, Scores); 6] = [
        (
            1,
            [5, 5, 4, 5, 0, 0, 0],
            [5, 4, 4, 5, 0, 0, 0],
            [4, 5, 3, 4, 0, 0, 0],
        ),
        (
            2,
            [0, 2, 0, 0, 3, 2, 0],
            [0, 2, 0, 0, 4, 2, 0],
            [0, 3, 0, 0, 4, 3, 0],
        ),
        (
            3,
            [3, 4, 5, 3, 0, 0, 0],
            [3, 3, 2, 3, 0, 0, 0],
            [3, 4, 4, 3, 0, 0, 0],
        ),
        (
            4,
            [4, 4, 3, 4, 0, 0, 0],
            [4, 3, 3, 4, 0, 0, 0],
            [3, 4, 3, 3, 0, 0, 0],
        ),
        (
            5,
            [0, 3, 0, 0, 0, 0, 4],
            [0, 3, 0, 0, 0, 0, 5],
            [0, 2, 0, 0, 0, 0, 4],
        ),
        // The neighbouring department (Personal), an account of our own house.
        (
            0,
            [0, 3, 0, 0, 0, 0, 4],
            [0, 2, 0, 0, 0, 0, 4],
            [0, 3, 0, 0, 0, 0, 3],
        ),
    ];
    for (org, a, b, c) in table {
        for (user, scores) in [("schneider", a), ("krueger", b), ("yilmaz", c)] {
            for (criterion, score) in scores.into_iter().enumerate() {
                if score > 0 {
                    ratings.push((user, org, criterion, score));
                }
            }
        }
    }
    ratings
}

/// The demo accounts. They show the brief's practice examples side by side: a mirrored
/// hierarchy (Brandt & Söhne), secretariats keeping the relationship (Hansa), a monthly
/// customer conference with level mismatches (Isar), the single key account manager holding
/// everything (Quartier), an internal customer kept as an organization of its own
/// (Konzern-IT), and a neighbouring department of our own house as an internal partner
/// (Personal).
pub fn accounts() -> Vec<DemoAccount> {
    vec![
        largest_customer_account(),
        office_supplier_account(),
        property_manager_account(),
        real_estate_account(),
        internal_it_account(),
        neighbouring_department_account(),
    ]
}

/// The largest customer (Brandt & Söhne): a mirrored hierarchy, board to management, purchasing
/// to purchasing, secretariat to secretariat.
#[rustfmt::skip]
fn largest_customer_account() -> DemoAccount {
    DemoAccount {
        unit: None,
        organization: 1,
        relation: "customer",
        mode: "hierarchical",
        responsible_unit: "kai",
        manager: Some("nl-kai"),
        notes: "Unsere Hierarchie spiegelt die des Kunden: Vorstand zu Geschäftsführung, Einkauf zu Einkauf, Sekretariat zu Sekretariat. Als das beim Kunden bekannt wurde, war man begeistert.",
        contacts: vec![
            ("bs-vv", "decision_maker", "supporter", 5),
            ("bs-cfo", "decision_maker", "positive", 5),
            ("bs-vv-sek", "gatekeeper", "supporter", 4),
            ("bs-wk", "influencer", "positive", 4),
            ("bs-ek", "decision_maker", "neutral", 5),
            ("bs-fm", "user", "positive", 3),
            ("bs-ek-dl", "influencer", "critical", 4),
            ("bs-as", "user", "neutral", 2),
            ("bs-fm-nord", "user", "positive", 3),
            ("bs-fm-sued", "user", "supporter", 3),
            ("bs-fm-nord-1", "user", "positive", 2),
        ],
        counterparts: vec![
            ("bs-vv", "nl-gf", "primary", 30, vec![4, 4, 5, 5, 5, 5, 5, 5]),
            ("bs-cfo", "nl-cfo", "primary", 30, vec![3, 4, 4, 4, 4, 5, 5, 5]),
            ("bs-vv-sek", "nl-gf-sek", "primary", 28, vec![4, 5, 5, 5, 5, 5, 5, 5]),
            ("bs-wk", "nl-bt", "primary", 26, vec![3, 3, 4, 4, 4, 4, 4, 5]),
            ("bs-ek", "nl-vt", "primary", 26, vec![3, 3, 3, 4, 4, 4, 4, 4]),
            ("bs-fm", "nl-gt", "primary", 24, vec![4, 4, 4, 4, 5, 4, 4, 4]),
            ("bs-ek-dl", "nl-kai", "primary", 20, vec![2, 2, 3, 3, 3, 3, 4]),
            ("bs-ek-dl", "nl-kai-1", "deputy", 20, vec![]),
            ("bs-fm-nord", "nl-gt-koeln", "primary", 18, vec![3, 4, 4, 4, 4, 4]),
            ("bs-fm-sued", "nl-kai-sued", "primary", 18, vec![4, 4, 4, 5, 5, 5]),
            ("bs-fm-nord-1", "nl-gt-koeln-1", "primary", 12, vec![3, 3, 4, 4]),
        ],
    }
}

/// The office supplier (Hansa): the secretariats of both houses keep the relationship.
#[rustfmt::skip]
fn office_supplier_account() -> DemoAccount {
    DemoAccount {
        unit: None,
        organization: 2,
        relation: "supplier",
        mode: "hierarchical",
        responsible_unit: "ek",
        manager: Some("nl-ek"),
        notes: "Büro- und Postdienste. Die Sekretariate beider Häuser halten den Draht – so hat es der Lieferant selbst organisiert.",
        contacts: vec![
            ("hb-gf", "decision_maker", "positive", 5),
            ("hb-gf-sek", "gatekeeper", "supporter", 4),
            ("hb-kb", "influencer", "positive", 3),
            ("hb-kb-sek", "user", "supporter", 2),
        ],
        counterparts: vec![
            ("hb-gf", "nl-cfo", "primary", 24, vec![4, 4, 4, 4, 4, 4, 4, 4]),
            ("hb-gf-sek", "nl-cfo-sek", "primary", 24, vec![5, 5, 5, 5, 5, 5, 5, 5]),
            ("hb-kb", "nl-ek", "primary", 24, vec![3, 4, 4, 4, 4, 4, 4, 4]),
            ("hb-kb-sek", "nl-bt-sek", "primary", 20, vec![4, 4, 5, 5, 5, 5, 5]),
        ],
    }
}

/// The property manager (Isar): a monthly customer conference answered by a jour fixe, with
/// level mismatches left.
#[rustfmt::skip]
fn property_manager_account() -> DemoAccount {
    DemoAccount {
        unit: None,
        organization: 3,
        relation: "customer",
        mode: "jour_fixe",
        responsible_unit: "kaw",
        manager: Some("nl-kaw"),
        notes: "Der Kunde bespricht jeden Monat in seiner Kundenkonferenz jeden Kunden. Wir antworten mit einem Kunden-Jour-Fixe – aber die Ebenen passen noch nicht überall.",
        contacts: vec![
            ("ia-gf", "decision_maker", "neutral", 5),
            ("ia-gf-sek", "gatekeeper", "neutral", 3),
            ("ia-am", "influencer", "positive", 4),
            ("ia-pm", "decision_maker", "critical", 4),
            ("ia-tm", "user", "positive", 3),
            ("ia-pm-muc", "user", "neutral", 2),
        ],
        counterparts: vec![
            ("ia-gf", "nl-vt", "primary", 22, vec![3, 3, 3, 2, 3, 3, 3, 3]),
            ("ia-am", "nl-kaw", "primary", 22, vec![4, 4, 4, 4, 4, 4, 4, 4]),
            ("ia-pm", "nl-kaw-1", "primary", 22, vec![3, 3, 2, 2, 2, 3, 2, 2]),
            ("ia-tm", "nl-gt", "primary", 16, vec![3, 4, 4, 4, 4, 4]),
            ("ia-pm-muc", "nl-kaw-2", "primary", 12, vec![3, 3, 3, 4]),
        ],
    }
}

/// The real estate company (Quartier): one key account manager holds every thread.
#[rustfmt::skip]
fn real_estate_account() -> DemoAccount {
    DemoAccount {
        unit: None,
        organization: 4,
        relation: "customer",
        mode: "single_manager",
        responsible_unit: "kaw",
        manager: Some("nl-kaw"),
        notes: "Eine Key-Account-Managerin hält alle Fäden – das Gegenmodell zur hierarchischen Spiegelung. Die Vorstandsvorsitzende hat niemanden auf ihrer Ebene.",
        contacts: vec![
            ("qr-vv", "decision_maker", "neutral", 5),
            ("qr-vv-sek", "gatekeeper", "neutral", 3),
            ("qr-ib", "decision_maker", "positive", 4),
            ("qr-west", "influencer", "neutral", 3),
            ("qr-kam", "influencer", "positive", 3),
        ],
        counterparts: vec![
            ("qr-vv", "nl-kaw", "primary", 26, vec![4, 4, 3, 3, 3, 3, 2, 2]),
            ("qr-vv-sek", "nl-kaw", "primary", 26, vec![3, 3, 3, 3, 3, 3, 3, 3]),
            ("qr-ib", "nl-kaw", "primary", 26, vec![4, 4, 4, 3, 3, 3, 3, 3]),
            ("qr-west", "nl-kaw", "primary", 26, vec![4, 4, 4, 4, 4, 4, 4, 4]),
            ("qr-kam", "nl-kaw", "primary", 26, vec![5, 5, 4, 4, 4, 4, 4, 4]),
        ],
    }
}

/// The internal customer (Konzern-IT).
#[rustfmt::skip]
fn internal_it_account() -> DemoAccount {
    DemoAccount {
        unit: None,
        organization: 5,
        relation: "customer",
        mode: "hierarchical",
        responsible_unit: "bt",
        manager: None,
        notes: "Interner Kunde: Die Konzern-IT betreibt unser CAFM-System. Chef zu Chef, Mitarbeiter zu Mitarbeiter auch im eigenen Haus.",
        contacts: vec![
            ("it-cio", "decision_maker", "positive", 5),
            ("it-sek", "gatekeeper", "positive", 2),
            ("it-ws", "user", "neutral", 3),
            ("it-app", "influencer", "positive", 4),
            ("it-app-tl", "user", "supporter", 3),
        ],
        counterparts: vec![
            ("it-cio", "nl-bt", "primary", 20, vec![4, 4, 4, 4, 4, 4, 4]),
            ("it-sek", "nl-bt-sek", "primary", 20, vec![4, 4, 5, 5, 5, 5, 5]),
            ("it-app", "nl-fc", "primary", 14, vec![3, 3, 4, 4, 4]),
            ("it-app-tl", "nl-gt-koeln", "primary", 10, vec![4, 4, 4, 4]),
        ],
    }
}

/// A neighbouring department as an internal partner: Personal (HR) finds the staff that
/// Reinigung & Services needs. Its people are ours and theirs at once; their counterparts come
/// from Reinigung & Services, level to level, and one clerk has nobody yet.
#[rustfmt::skip]
fn neighbouring_department_account() -> DemoAccount {
    DemoAccount {
        organization: 0,
        unit: Some("hr"),
        relation: "supplier",
        mode: "hierarchical",
        responsible_unit: "rs",
        manager: Some("nl-rs"),
        notes: "Nachbarabteilung als interner Partner: Die Personalabteilung gewinnt die Objektleitungen und Servicekräfte für den Betrieb. Ihre Leute sind unsere Leute – ihre Gegenüber kommen aus Reinigung & Services, nie aus der Personalabteilung selbst.",
        contacts: vec![
            ("nl-hr", "decision_maker", "positive", 4),
            ("nl-hr-1", "user", "neutral", 3),
            ("nl-hr-2", "influencer", "positive", 2),
        ],
        counterparts: vec![
            ("nl-hr", "nl-rs", "primary", 15, vec![3, 4, 4, 4, 4]),
            ("nl-hr-1", "nl-rs-1", "primary", 9, vec![4, 4, 5]),
        ],
    }
}

/// A demo insight: who of ours wrote it down (a demo user), about whom (a partner person's
/// key), its category's key, the text, how many days ago, confidential, confirmed.
pub struct DemoInsight {
    /// The demo user who recorded it.
    pub user: &'static str,
    /// The partner person it is about.
    pub partner: &'static str,
    /// The category's key.
    pub category: &'static str,
    /// What was learned.
    pub text: &'static str,
    /// Days before today.
    pub days_ago: u64,
    /// Confidential.
    pub confidential: bool,
    /// Confirmed rather than heard.
    pub confirmed: bool,
}

/// What our people learned about the demo's key people, in all five categories, from the
/// managing director, the department head, the clerk and the secretariat.
#[rustfmt::skip]
pub fn insights() -> Vec<DemoInsight> {
    let i = |user, partner, category, text, days_ago, confidential, confirmed| DemoInsight {
        user, partner, category, text, days_ago, confidential, confirmed,
    };
    vec![
        i("schneider", "bs-vv", "future_ideas", "Will bis 2028 alle Standorte in Süddeutschland aus einer Hand betreuen lassen; fragt, ob wir Bayern abdecken können.", 12, false, true),
        i("schneider", "bs-vv", "satisfaction", "Sehr zufrieden mit der Reaktionszeit nach dem Wasserschaden in Köln – hat es im Vorstand erwähnt.", 40, false, true),
        i("schneider", "bs-cfo", "developments", "Kostendruck: Budget für Facility Services wird 2027 um 8 % gekürzt, Ausschreibung möglich.", 20, true, false),
        i("krueger", "bs-ek-dl", "needs", "Braucht monatliche Verbrauchsberichte je Standort, sonst keine Freigabe der Rechnungen.", 9, false, true),
        i("krueger", "bs-ek-dl", "satisfaction", "Unzufrieden mit der Rechnungsstellung (Sammelrechnung zu spät); hat zweimal nachgefragt.", 30, false, true),
        i("krueger", "bs-ek", "environment", "Ein Wettbewerber (Rheinland FM) hat dem Einkauf ein Angebot für Nord vorgelegt.", 15, true, false),
        i("gast", "bs-vv-sek", "other", "Termine beim Vorstand am besten dienstags; das Sekretariat plant drei Wochen im Voraus.", 25, false, true),
        i("yilmaz", "ia-pm", "needs", "Wünscht einen festen Ansprechpartner für die Objektverwaltung statt wechselnder Kollegen.", 6, false, true),
        i("krueger", "ia-gf", "future_ideas", "Plant eine Kundenkonferenz pro Monat, in der jeder Kunde besprochen wird – möchte, dass wir teilnehmen.", 18, false, false),
        i("krueger", "qr-vv", "developments", "Fusion mit einem Münchner Bestandshalter im Gespräch; Entscheidung im Frühjahr.", 11, true, false),
        i("schneider", "it-cio", "satisfaction", "Lobt die Zusammenarbeit beim Umzug des Rechenzentrums.", 50, false, true),
        i("yilmaz", "hb-kb-sek", "environment", "Hansa stellt die Postdienste auf digitale Eingangspost um; betrifft unsere Poststelle.", 14, false, false),
    ]
}

/// A demo contact: who of ours logged it (a demo user), with whom (a partner person's key),
/// how (a kind's key), what it was about, how many days ago.
pub struct DemoContact {
    /// The demo user.
    pub user: &'static str,
    /// The partner person.
    pub partner: &'static str,
    /// The kind's key.
    pub kind: &'static str,
    /// What it was about.
    pub summary: &'static str,
    /// Days before today.
    pub days_ago: u64,
    /// Who else was there (people's keys, of either side).
    pub also: &'static [&'static str],
}

/// The demo's contact log over the last months.
#[rustfmt::skip]
pub fn contacts() -> Vec<DemoContact> {
    let c = |user, partner, kind, summary, days_ago| DemoContact { user, partner, kind, summary, days_ago, also: &[] };
    vec![
        DemoContact {
            also: &["bs-cfo", "nl-cfo"],
            ..c("schneider", "bs-vv", "meeting", "Jahresgespräch in Köln: Ausbau nach Süddeutschland besprochen.", 12)
        },
        c("schneider", "bs-vv", "event", "Neujahrsempfang der IHK, kurzes Gespräch über den Wasserschaden.", 40),
        c("schneider", "bs-cfo", "call", "Budget 2027: Kürzung angekündigt, Termin im Januar vereinbart.", 20),
        c("krueger", "bs-ek-dl", "meeting", "Monatsrunde Einkauf: Verbrauchsberichte je Standort zugesagt.", 9),
        c("krueger", "bs-ek-dl", "email", "Sammelrechnung November nachgereicht.", 30),
        c("gast", "bs-vv-sek", "call", "Terminabstimmung für das Jahresgespräch.", 25),
        c("yilmaz", "ia-pm", "visit", "Objektbegehung Schwabing mit der Objektverwaltung.", 6),
        c("krueger", "ia-gf", "meeting", "Kundenkonferenz: Einladung zur monatlichen Runde.", 18),
        c("schneider", "it-cio", "meeting", "Abschluss Rechenzentrumsumzug.", 50),
    ]
}

/// The demo's customer jour fixe: Nordlicht's answer to Isar's monthly customer conference.
pub struct DemoJourFixe {
    /// Its name.
    pub name: &'static str,
    /// Our unit it belongs to (a unit key of the own organization).
    pub unit: &'static str,
    /// The convenor (a person key).
    pub convenor: &'static str,
    /// The participants besides the convenor.
    pub participants: Vec<&'static str>,
    /// The partner organizations whose accounts it covers (indexes into
    /// [`organizations`]).
    pub accounts: Vec<usize>,
    /// Room and video link.
    pub place: &'static str,
    /// What was said in the three meetings held, oldest first.
    pub meetings: Vec<DemoMeeting>,
}

/// What was said, decided and agreed in one demo meeting, item by item (by the account's
/// organization index).
pub struct DemoMeeting {
    /// Contributions: (account's organization, demo user, category, text).
    pub said: Vec<(usize, &'static str, &'static str, &'static str)>,
    /// Decisions: (account's organization, demo user, text).
    pub decided: Vec<(usize, &'static str, &'static str)>,
    /// Actions: (account's organization, owner's person key, title, due days after the
    /// meeting, done).
    pub agreed: Vec<(usize, &'static str, &'static str, u64, bool)>,
}

/// The monthly Isar jour fixe with its three past meetings: contributions from the managing
/// director, the department head and the clerk, decisions, open and done actions.
#[rustfmt::skip]
pub fn jour_fixe() -> DemoJourFixe {
    DemoJourFixe {
        name: "Kunden-Jour-fixe Immobilienwirtschaft (Isar, Quartier)",
        unit: "kaw",
        convenor: "nl-kaw",
        participants: vec!["nl-kaw-1", "nl-kaw-2", "nl-gt", "nl-kai", "nl-vi-1", "nl-gf"],
        accounts: vec![3, 4],
        place: "Raum Isar, 4. OG · Teams-Link im Kalender",
        meetings: vec![
            DemoMeeting {
                said: vec![
                    (3, "krueger", "satisfaction", "Isar lobt die Reinigung, aber die Störungsmeldungen der Haustechnik in München dauern ihnen zu lange."),
                    (3, "yilmaz", "needs", "Die Objektbuchhaltung von Isar möchte die Rechnungen künftig je Liegenschaft, nicht je Auftrag."),
                    (4, "schneider", "developments", "Quartier plant zwei Neubauprojekte in Leipzig; Ausschreibung für das Facility Management im Frühjahr."),
                ],
                decided: vec![
                    (3, "krueger", "Störungsannahme München: Eskalationsweg mit Isar abstimmen, Ansprechpartner auf beiden Seiten benennen."),
                ],
                agreed: vec![
                    (3, "nl-kaw-1", "Eskalationsweg Haustechnik München mit Isar-Property-Management vereinbaren", 14, true),
                    (3, "nl-vi-1", "Rechnungsstellung je Liegenschaft mit der Buchhaltung klären", 21, true),
                ],
            },
            DemoMeeting {
                said: vec![
                    (3, "krueger", "satisfaction", "Seit dem neuen Eskalationsweg deutlich weniger Beschwerden; das Property Management ist aber weiter kritisch."),
                    (3, "schneider", "environment", "Isar wird von einem Fonds übernommen; die Geschäftsführung bleibt, die Einkaufsrichtlinien ändern sich."),
                    (4, "yilmaz", "needs", "Quartier fragt nach einem gemeinsamen Berichtsformat für alle Objekte."),
                ],
                decided: vec![
                    (3, "schneider", "Nach der Übernahme: Gespräch Geschäftsführung zu Geschäftsführung anbieten – Chef zu Chef."),
                ],
                agreed: vec![
                    (3, "nl-gt", "Mängelliste Haustechnik München bis zum nächsten Jour fixe abarbeiten", 21, false),
                    (4, "nl-kaw", "Berichtsvorlage für Quartier entwerfen", 28, true),
                ],
            },
            DemoMeeting {
                said: vec![
                    (3, "krueger", "developments", "Der neue Fonds-Eigentümer will die Dienstleister bündeln – Chance für Haustechnik und Reinigung aus einer Hand."),
                    (3, "yilmaz", "satisfaction", "Die Buchhaltung von Isar ist mit der neuen Rechnungsstellung je Liegenschaft sehr zufrieden."),
                    (4, "krueger", "satisfaction", "Quartiers Vorstandsvorsitzende hat bei uns niemanden auf ihrer Ebene – das wurde im Gespräch deutlich."),
                ],
                decided: vec![
                    (3, "krueger", "Angebot „alles aus einer Hand“ für Isar vorbereiten; Vorstellung durch Frau Laßmann und Herrn Büttner gemeinsam."),
                    (4, "schneider", "Geschäftsführung übernimmt das Gegenüber für Quartiers Vorstandsvorsitzende."),
                ],
                agreed: vec![
                    (3, "nl-gf", "Termin Geschäftsführung zu Geschäftsführung mit Isar vorschlagen", 10, false),
                    (3, "nl-vi-1", "Preisblatt des Rahmenvertrags Isar aktualisieren", 5, false),
                    (4, "nl-kai", "Gegenüber-Vorschlag Vorstand Quartier im Spiegel prüfen", 7, false),
                ],
            },
        ],
    }
}

/// A demo answer set of the guiding questions: about which partner (an organization's index in
/// [`organizations`], its whole-organization account), answered by which unit of ours (its
/// key), entered by which demo user, which questionnaire, how many days ago, and the answers
/// (question key, answer key, comment).
pub struct DemoAnswerSet {
    /// The partner organization's index.
    pub organization: usize,
    /// The unit of ours that answered.
    pub unit: &'static str,
    /// The demo user who entered it.
    pub user: &'static str,
    /// `partner` or `supplier`.
    pub questionnaire: &'static str,
    /// Days before today.
    pub days_ago: u64,
    /// (question, answer, comment); an empty comment is none.
    pub answers: Vec<(&'static str, &'static str, &'static str)>,
}

/// The guiding questions in the demo: Betrieb answered them about its internal customer
/// Konzern-IT twice (before and after it paired its people level by level: a visible trend),
/// and Einkauf assessed the office supplier Hansa twice.
#[rustfmt::skip]
pub fn guiding_answers() -> Vec<DemoAnswerSet> {
    vec![
        DemoAnswerSet {
            organization: 5,
            unit: "bt",
            user: "schneider",
            questionnaire: "partner",
            days_ago: 160,
            answers: vec![
                ("counterpart", "partly", "Nur der Bereichsleiter kennt den CIO; die Anwendungsbetreuung hat niemanden bei uns."),
                ("hierarchy", "no", "Alles läuft über eine Person im Betrieb."),
                ("responsible", "no", "Jeder dachte, die Technik kümmert sich."),
                ("exchange", "no", "Was wir über die Konzern-IT wissen, bleibt bei Einzelnen."),
            ],
        },
        DemoAnswerSet {
            organization: 5,
            unit: "bt",
            user: "schneider",
            questionnaire: "partner",
            days_ago: 20,
            answers: vec![
                ("counterpart", "yes", "Jede Schlüsselperson der Konzern-IT hat ein Gegenüber bei uns – bis auf den Arbeitsplatz-Service."),
                ("hierarchy", "yes", "Chef zu Chef, Sekretariat zu Sekretariat, Technik zu Anwendungsbetreuung."),
                ("responsible", "partly", "Ein Key Account Manager ist noch nicht benannt."),
                ("exchange", "partly", "Austausch im Betriebsmeeting; ein Kunden-Jour-Fixe ist geplant."),
            ],
        },
        DemoAnswerSet {
            organization: 2,
            unit: "ek",
            user: "krueger",
            questionnaire: "supplier",
            days_ago: 200,
            answers: vec![
                ("direct_contact", "yes", "Die Kundenbetreuung ist unsere feste Ansprechpartnerin."),
                ("understood", "partly", "Unsere Geschäftsführung wird noch von der Sachbearbeitung bedient."),
                ("advocacy", "no", "Preiserhöhung ohne Vorwarnung."),
                ("advantage", "partly", ""),
            ],
        },
        DemoAnswerSet {
            organization: 2,
            unit: "ek",
            user: "krueger",
            questionnaire: "supplier",
            days_ago: 30,
            answers: vec![
                ("direct_contact", "yes", ""),
                ("understood", "yes", "Sekretariat zu Sekretariat, Geschäftsführung zu Geschäftsführung: man spricht dieselbe Sprache."),
                ("advocacy", "partly", "Hat die digitale Eingangspost für uns vorgezogen."),
                ("advantage", "yes", "Die digitale Eingangspost spart unserer Poststelle jeden Tag Zeit."),
            ],
        },
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
    fn guiding_answers_are_complete_and_show_a_trend() {
        use crate::guiding::{AnswerSetInput, Questionnaire, score};
        let orgs = organizations();
        let own_units: Vec<&str> = orgs[0].units.iter().map(|u| u.key).collect();
        let usernames: Vec<&str> = users().iter().map(|u| u.username).collect();
        let mut scores: HashMap<(usize, &str), Vec<(u64, i64)>> = HashMap::new();
        for set in guiding_answers() {
            let account = accounts()
                .into_iter()
                .find(|a| a.organization == set.organization && a.unit.is_none())
                .expect("the partner has an account");
            let questionnaire: Questionnaire = set.questionnaire.parse().unwrap();
            if questionnaire == Questionnaire::Supplier {
                assert_ne!(account.relation, "customer", "a supplier");
            }
            assert!(own_units.contains(&set.unit));
            assert!(usernames.contains(&set.user));
            let mut form: HashMap<String, String> = HashMap::new();
            form.insert("unit_id".into(), "1".into());
            for (q, a, c) in &set.answers {
                form.insert((*q).into(), (*a).into());
                form.insert(format!("{q}_comment"), (*c).into());
            }
            let input = AnswerSetInput::parse(questionnaire, &form).expect("valid answers");
            scores
                .entry((set.organization, set.questionnaire))
                .or_default()
                .push((set.days_ago, score(input.answers.iter().map(|a| a.answer))));
        }
        assert_eq!(scores.len(), 2, "Konzern-IT and Hansa");
        for (key, mut points) in scores {
            assert!(points.len() >= 2, "{key:?} answered at least twice");
            points.sort_by_key(|(days, _)| std::cmp::Reverse(*days));
            assert!(
                points[0].1 < points[points.len() - 1].1,
                "{key:?}: a visible trend"
            );
        }
    }

    #[test]
    fn accounts_reference_existing_people_on_the_right_side() {
        let orgs = organizations();
        let own: Vec<&str> = orgs[0].people.iter().map(|p| p.key.as_str()).collect();
        let own_units: Vec<&str> = orgs[0].units.iter().map(|u| u.key).collect();
        for account in accounts() {
            let partner = &orgs[account.organization];
            let theirs: Vec<&str> = match account.unit {
                // A neighbouring department: its people and those of the units below it,
                // none of whom is a counterpart.
                Some(unit) => {
                    assert_eq!(account.organization, 0, "a unit of our own house");
                    let inside = |p: &DemoPerson| {
                        let mut u = Some(p.unit);
                        while let Some(key) = u {
                            if key == unit {
                                return true;
                            }
                            u = partner
                                .units
                                .iter()
                                .find(|x| x.key == key)
                                .and_then(|x| x.parent);
                        }
                        false
                    };
                    for (_, ours, ..) in &account.counterparts {
                        let p = partner.people.iter().find(|p| p.key == *ours).unwrap();
                        assert!(!inside(p), "{ours} holds their own department");
                    }
                    partner
                        .people
                        .iter()
                        .filter(|p| inside(p))
                        .map(|p| p.key.as_str())
                        .collect()
                }
                None => partner.people.iter().map(|p| p.key.as_str()).collect(),
            };
            assert!(account.unit.is_some() == (partner.kind == OrganizationKind::Own));
            assert!(own_units.contains(&account.responsible_unit));
            assert!(account.manager.is_none_or(|m| own.contains(&m)));
            for (person, _, _, influence) in &account.contacts {
                assert!(theirs.contains(person), "{person}");
                assert!((1..=5).contains(influence));
            }
            for (partner, ours, _, months, ratings) in &account.counterparts {
                assert!(theirs.contains(partner), "{partner}");
                assert!(own.contains(ours), "{ours}");
                assert!(
                    ratings.len() as u32 * 3 <= *months + 3,
                    "ratings fit into the span"
                );
                assert!(ratings.iter().all(|r| (1..=5).contains(r)));
            }
        }
        for (user, org, criterion, score) in importance_ratings() {
            assert!(users().iter().any(|u| u.username == user));
            assert!(org < orgs.len() && criterion < criteria().len() && (1..=5).contains(&score));
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
