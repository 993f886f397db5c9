//! Every visible string in German and English.
//!
//! The texts are one struct with a field per string and one instance per language, so a string
//! missing in either language is a compile error rather than a blank on a page. Templates read
//! them as `t.key`. Sentences with values are methods below.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use counterpart_core::account::{
    AssignmentKind, DecisionRole, Health, ManagementMode, Relation, Stance,
};
use counterpart_core::audit::{AuditAction, EntityKind};
use counterpart_core::importance::Scope;
use counterpart_core::org::{OrganizationKind, UnitKind};
use counterpart_core::user::{Language, Role};
use counterpart_core::validate::Problem;
use counterpart_store::Refusal;
use counterpart_store::registry::{Audience, Holds, Purpose, Retention, Section};

macro_rules! texts {
    ($($key:ident: $de:literal, $en:literal;)*) => {
        /// The interface texts of one language.
        #[derive(Debug)]
        pub struct Texts {
            /// The language these texts are in (for counts and sentences built from parts).
            pub lang: Language,
            $(#[doc = $en] pub $key: &'static str,)*
        }

        static DE: Texts = Texts { lang: Language::De, $($key: $de,)* };
        static EN: Texts = Texts { lang: Language::En, $($key: $en,)* };
    };
}

/// The plural form a number takes. German and English share CLDR's rule for cardinals: "one"
/// for exactly 1 (without decimals), "other" for everything else, 0 included ("0 Lücken",
/// "0 gaps"). A language with more forms adds its own arm here and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralForm {
    One,
    Other,
}

/// The plural form of `n` in `lang`.
pub fn plural_form(lang: Language, n: i64) -> PluralForm {
    match (lang, n) {
        (Language::De | Language::En, 1) => PluralForm::One,
        (Language::De | Language::En, _) => PluralForm::Other,
    }
}

/// A whole number a count can be made of, whatever integer type the page holds it in.
pub trait Quantity: Copy {
    fn value(self) -> i64;
}

macro_rules! quantity {
    ($($t:ty),*) => {$(
        impl Quantity for $t {
            fn value(self) -> i64 {
                i64::try_from(self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
quantity!(i64, i32, u32, u64, usize);

/// Templates hand values on by reference, sometimes twice.
impl<Q: Quantity> Quantity for &Q {
    fn value(self) -> i64 {
        (*self).value()
    }
}

/// A whole number with its thousands grouped as `lang` writes them: "21.000" in German,
/// "21,000" in English.
pub fn grouped(lang: Language, n: i64) -> String {
    let separator = match lang {
        Language::De => '.',
        Language::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// Counted nouns: `t.gaps(3)` is "3 Lücken" or "3 gaps", `t.gaps(1)` "1 Lücke" or "1 gap".
/// Every count shown on a page goes through one of these, so the plural rule lives in one place.
macro_rules! counts {
    ($($key:ident: $de_one:literal / $de_other:literal, $en_one:literal / $en_other:literal;)*) => {
        impl Texts {
            $(
                #[doc = concat!("\"1 ", $en_one, "\", \"2 ", $en_other, "\".")]
                pub fn $key(&self, n: impl Quantity) -> String {
                    let n = n.value();
                    let word = match (self.lang, plural_form(self.lang, n)) {
                        (Language::De, PluralForm::One) => $de_one,
                        (Language::De, PluralForm::Other) => $de_other,
                        (Language::En, PluralForm::One) => $en_one,
                        (Language::En, PluralForm::Other) => $en_other,
                    };
                    format!("{} {word}", grouped(self.lang, n))
                }
            )*
        }
    };
}

counts! {
    people: "Person" / "Personen", "person" / "people";
    units: "Einheit" / "Einheiten", "unit" / "units";
    gaps: "Lücke" / "Lücken", "gap" / "gaps";
    findings: "Befund" / "Befunde", "finding" / "findings";
    more_findings: "weiterer Befund" / "weitere Befunde", "more finding" / "more findings";
    more_due: "weiteres fälliges Paar" / "weitere fällige Paare", "more pair due" / "more pairs due";
    more_units: "weitere Einheit" / "weitere Einheiten", "more unit" / "more units";
    more_pairs: "weiteres Gegenüber" / "weitere Gegenüber", "more counterpart" / "more counterparts";
    more_key_contacts: "weitere Schlüsselperson" / "weitere Schlüsselpersonen", "more key person" / "more key people";
    more_problems: "weiteres Problem" / "weitere Probleme", "more problem" / "more problems";
    demands: "Bedarf" / "Bedarfe", "demand" / "demands";
    candidate_pairs: "Kandidatenpaar" / "Kandidatenpaare", "candidate pair" / "candidate pairs";
    contacts: "Kontakt" / "Kontakte", "contact" / "contacts";
    accounts: "Account" / "Accounts", "account" / "accounts";
    organizations: "Organisation" / "Organisationen", "organization" / "organizations";
    levels: "Ebene" / "Ebenen", "level" / "levels";
    assignments: "Zuordnung" / "Zuordnungen", "assignment" / "assignments";
    suggestions: "Vorschlag" / "Vorschläge", "suggestion" / "suggestions";
    rows: "Zeile" / "Zeilen", "row" / "rows";
    voices: "Stimme" / "Stimmen", "vote" / "votes";
    days: "Tag" / "Tage", "day" / "days";
    insights: "neue Erkenntnis" / "neue Erkenntnisse", "new insight" / "new insights";
    key_contacts: "Schlüsselperson" / "Schlüsselpersonen", "key person" / "key people";
    minutes: "Minute" / "Minuten", "minute" / "minutes";
    open_actions: "offene Aufgabe" / "offene Aufgaben", "open action" / "open actions";
    entries: "Eintrag" / "Einträge", "entry" / "entries";
    actions_due: "fällige Aufgabe" / "fällige Aufgaben", "action due" / "actions due";
}

// The guiding questions' evidence.
counts! {
    live_tokens: "gültiger Schlüssel" / "gültige Schlüssel", "live token" / "live tokens";
    live_sessions: "laufende Sitzung" / "laufende Sitzungen", "live session" / "live sessions";
    sessions_ended: "Sitzung beendet" / "Sitzungen beendet", "session ended" / "sessions ended";
    recovery_left: "Wiederherstellungscode übrig" / "Wiederherstellungscodes übrig", "recovery code left" / "recovery codes left";
}

counts! {
    counterparts_of_ours: "Ansprechpartner" / "Ansprechpartner", "counterpart" / "counterparts";
    guiding_insights: "Information" / "Informationen", "insight" / "insights";
    days_in: "Tag" / "Tagen", "day" / "days";
}

texts! {
    app_tagline: "Hierarchisches Key Account Management", "Hierarchical key account management";
    skip_to_content: "Zum Inhalt springen", "Skip to content";
    main_navigation: "Hauptnavigation", "Main navigation";
    nav_home: "Übersicht", "Overview";
    nav_organizations: "Organisationen", "Organizations";
    nav_people: "Personen", "People";
    nav_levels: "Hierarchieebenen", "Hierarchy levels";
    nav_functions: "Funktionen", "Functions";
    nav_audit: "Änderungsprotokoll", "Audit log";
    logged_in_as: "Angemeldet als", "Logged in as";
    logout: "Abmelden", "Log out";
    login: "Anmelden", "Log in";
    login_title: "Bei Counterpart anmelden", "Log in to Counterpart";
    username: "Benutzername", "Username";
    password: "Passwort", "Password";
    login_failed: "Benutzername oder Passwort ist falsch.", "Wrong username or password.";
    login_throttled: "Zu viele Fehlversuche. Der nächste Versuch ist möglich in", "Too many failed attempts. The next attempt is possible in";
    login_busy: "Gerade prüft der Server sehr viele Anmeldungen. Bitte versuchen Sie es in einigen Sekunden erneut.", "The server is checking very many logins right now. Please try again in a few seconds.";
    login_notice_title: "Fehlgeschlagene Anmeldeversuche", "Failed login attempts";
    login_notice_hint: "Wenn Sie das nicht waren, versucht jemand Ihr Passwort zu erraten. Wählen Sie ein langes, einzigartiges Passwort und sagen Sie Ihrer Administration Bescheid.", "If that was not you, someone is trying to guess your password. Choose a long, unique password and tell your administrator.";
    language: "Sprache", "Language";
    language_switch: "Sprache wählen", "Choose language";

    home_title: "Übersicht", "Overview";
    home_intro: "Ein Kunde ist nie eine Firma, sondern immer Menschen. Counterpart stellt jeder wichtigen Person bei Kunden, Lieferanten und Nachbarabteilungen ein Gegenüber aus dem eigenen Haus auf derselben Hierarchieebene zur Seite – Chef zu Chef, Mitarbeiter zu Mitarbeiter.", "A customer is never a company but always people. Counterpart gives every important person at customers, suppliers and neighbouring departments a counterpart in our own house at the same hierarchy level – boss to boss, clerk to clerk.";
    home_find_person: "Person suchen", "Find a person";
    home_own_house: "Unser Haus", "Our house";
    home_partners: "Partner", "Partners";
    home_all_partners: "Alle Partner", "All partners";
    home_no_own: "Noch keine eigene Organisation angelegt.", "No own organization yet.";

    organizations_title: "Organisationen", "Organizations";
    filter_all: "Alle", "All";
    filter_own: "Eigenes Haus", "Own house";
    filter_external: "Kundenseite (extern)", "Partner side (external)";
    filter_internal: "Intern", "Internal";
    show_inactive: "Deaktivierte zeigen", "Show deactivated";
    filter_apply: "Anwenden", "Apply";
    new_organization: "Neue Organisation", "New organization";
    no_organizations: "Keine Organisationen für diesen Filter.", "No organizations match this filter.";
    col_name: "Name", "Name";
    col_kind: "Art", "Kind";
    col_units: "Einheiten", "Units";
    col_people: "Personen", "People";
    col_title: "Position", "Job title";
    col_level: "Ebene", "Level";
    col_unit: "Einheit", "Unit";
    col_organization: "Organisation", "Organization";
    col_function: "Funktion", "Function";
    inactive: "deaktiviert", "deactivated";

    organization: "Organisation", "Organization";
    field_name: "Name", "Name";
    field_kind: "Art", "Kind";
    field_notes: "Notizen", "Notes";
    kind_own: "Eigenes Haus", "Own house";
    kind_external: "Extern (Kunde/Lieferant)", "External (customer/supplier)";
    kind_internal: "Interne Abteilung", "Internal department";
    edit: "Bearbeiten", "Edit";
    save: "Speichern", "Save";
    cancel: "Abbrechen", "Cancel";
    create: "Anlegen", "Create";
    deactivate: "Deaktivieren", "Deactivate";
    reactivate: "Reaktivieren", "Reactivate";
    confirm_deactivate: "Wirklich deaktivieren? Alle Daten bleiben erhalten und können reaktiviert werden.", "Really deactivate? All data is kept and can be reactivated.";
    units_title: "Organisationseinheiten", "Units";
    no_units: "Noch keine Einheiten.", "No units yet.";
    new_unit: "Neue Einheit", "New unit";
    people_title: "Personen", "People";
    no_people: "Noch keine Personen.", "No people yet.";
    new_person: "Neue Person", "New person";
    all_units: "Alle Einheiten", "All units";
    units_below_hint: "Wählen Sie eine Einheit, um die darunter zu sehen.", "Choose a unit to see those below it.";
    people_in_unit: "Personen in dieser Einheit", "People in this unit";
    filter_unit: "Einheit filtern", "Filter by unit";
    newer: "Neuere", "Newer";
    older: "Ältere", "Older";
    previous_page: "Vorherige Seite", "Previous page";
    next_page: "Nächste Seite", "Next page";

    unit: "Organisationseinheit", "Unit";
    field_parent: "Übergeordnete Einheit", "Parent unit";
    no_parent: "— keine (oberste Ebene) —", "— none (top level) —";
    subunits: "Untereinheiten", "Sub-units";
    unit_kind_division: "Bereich", "Division";
    unit_kind_department: "Abteilung", "Department";
    unit_kind_team: "Team", "Team";
    unit_kind_secretariat: "Sekretariat", "Secretariat";
    unit_kind_other: "Sonstige", "Other";

    people_search_title: "Personen suchen", "Find people";
    search_label: "Name, Position oder E-Mail", "Name, job title or e-mail";
    search_hint: "Umlaute egal: „mueller“ und „muller“ finden „Müller“.", "Umlauts don't matter: \"mueller\" and \"muller\" find \"Müller\".";
    search: "Suchen", "Search";
    search_no_results: "Niemand gefunden. Prüfen Sie die Schreibweise oder suchen Sie nach einem Teil des Namens.", "Nobody found. Check the spelling or search for part of the name.";
    search_prompt: "Geben Sie einen Namen ein, um zu suchen.", "Type a name to search.";

    person: "Person", "Person";
    field_given_name: "Vorname", "Given name";
    field_family_name: "Nachname", "Family name";
    field_academic_title: "Akademischer Titel", "Academic title";
    field_academic_title_hint: "z. B. Dr. oder Prof. Dr.", "e.g. Dr. or Prof. Dr.";
    field_job_title: "Position (Stellenbezeichnung)", "Job title";
    field_level: "Hierarchieebene", "Hierarchy level";
    field_function: "Funktion", "Function";
    field_unit: "Organisationseinheit", "Unit";
    field_reports_to: "Vorgesetzte(r)", "Manager";
    field_assistant_of: "Assistenz von", "Assistant to";
    field_email: "E-Mail", "E-mail";
    field_phone: "Telefon", "Phone";
    field_mobile: "Mobil", "Mobile";
    field_valid_from: "Gültig ab", "Valid from";
    field_valid_from_hint: "Erster Tag in der neuen Position. Die bisherige endet am Vortag.", "First day in the new position. The current one ends the day before.";
    col_period: "Zeitraum", "Period";
    none_option: "— keine Angabe —", "— not set —";
    nobody_option: "— niemand —", "— nobody —";
    contact: "Kontakt", "Contact";
    hierarchy: "Hierarchie", "Hierarchy";
    manager: "Vorgesetzte(r)", "Manager";
    assists: "Assistenz von", "Assistant to";
    direct_reports: "Direkt unterstellt", "Direct reports";
    assistants: "Assistenz / Sekretariat", "Assistants / secretariat";
    no_direct_reports: "Niemand.", "Nobody.";
    positions_title: "Positionen im Zeitverlauf", "Positions over time";
    position_current: "aktuell", "current";
    position_until: "bis", "until";
    new_position: "Neue Position / Wechsel", "New position / move";
    new_position_title: "Neue Position oder Wechsel des Arbeitgebers", "New position or change of employer";
    new_position_intro: "Beförderung, Versetzung oder Wechsel zu einer anderen Organisation: Die Person bleibt ein Datensatz, alles Bekannte bleibt erhalten. Bei einem Arbeitgeberwechsel werden Vorgesetzten- und Assistenzbeziehungen der alten Organisation gelöst.", "Promotion, transfer or move to another organization: the person stays one record and everything known stays attached. On a change of employer, manager and assistant links into the old organization are cleared.";
    field_new_organization: "Organisation", "Organization";
    last_change: "Zuletzt geändert", "Last changed";
    by: "von", "by";
    not_set: "—", "—";

    admin_levels_title: "Hierarchieebenen", "Hierarchy levels";
    admin_levels_intro: "Eine gemeinsame Leiter für alle Organisationen: Jede Organisation behält ihre eigenen Titel, die Ebene macht sie vergleichbar. Rang 1 ist die oberste Ebene.", "One ladder shared by all organizations: each keeps its own titles, the level makes them comparable. Rank 1 is the top.";
    admin_functions_title: "Funktionen", "Functions";
    admin_functions_intro: "Funktionen mit der Markierung „Assistenz“ werden bei der Spiegelung miteinander gepaart: Sekretariat zu Sekretariat.", "Functions marked \"assistant\" are paired with each other in the mirror: secretariat to secretariat.";
    col_rank: "Rang", "Rank";
    field_name_de: "Name (Deutsch)", "Name (German)";
    field_name_en: "Name (Englisch)", "Name (English)";
    field_key: "Schlüssel", "Key";
    field_key_hint: "Kleinbuchstaben, Ziffern und _, z. B. key_account", "Lowercase letters, digits and _, e.g. key_account";
    field_is_assistant: "Assistenz/Sekretariat", "Assistant/secretariat";
    move_up: "Nach oben", "Move up";
    move_down: "Nach unten", "Move down";
    add_level: "Ebene hinzufügen", "Add level";
    add_function: "Funktion hinzufügen", "Add function";
    yes: "ja", "yes";
    role_admin: "Administration", "Administrator";
    role_editor: "Bearbeitung", "Editor";
    role_viewer: "Nur lesen", "Read only";
    no: "nein", "no";

    audit_title: "Änderungsprotokoll", "Audit log";
    audit_intro: "Jede Änderung, mit wer, wann, vorher und nachher.", "Every change, with who, when, before and after.";
    col_when: "Wann", "When";
    col_who: "Wer", "Who";
    col_action: "Aktion", "Action";
    col_what: "Was", "What";
    col_changes: "Änderungen", "Changes";
    audit_empty: "Noch keine Einträge.", "No entries yet.";
    all_entities: "Alle Arten", "All kinds";
    entity_organization: "Organisation", "Organization";
    entity_unit: "Einheit", "Unit";
    entity_person: "Person", "Person";
    entity_position: "Position", "Position";
    entity_level: "Ebene", "Level";
    entity_function: "Funktion", "Function";
    entity_user: "Benutzer", "User";
    action_create: "angelegt", "created";
    action_update: "geändert", "changed";
    action_deactivate: "deaktiviert", "deactivated";
    action_reactivate: "reaktiviert", "reactivated";
    action_delete: "gelöscht", "deleted";

    form_errors_title: "Bitte prüfen Sie die markierten Felder:", "Please check the marked fields:";
    required_note: "Mit * markierte Felder sind Pflichtfelder.", "Fields marked * are required.";
    saved: "Gespeichert.", "Saved.";
    conflict_reload: "Aktuelle Fassung laden (Ihre Eingaben gehen verloren)", "Load the current version (discards your input)";

    error_title: "Fehler", "Error";
    error_not_found: "Diese Seite gibt es nicht – oder der Eintrag wurde entfernt.", "This page does not exist – or the record was removed.";
    error_forbidden: "Dafür fehlt Ihnen die Berechtigung. Wenden Sie sich an eine Administratorin oder einen Administrator.", "You are not allowed to do this. Please ask an administrator.";
    error_bad_request: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.", "The request is invalid. Please reload the page and try again.";
    error_too_large: "Die Anfrage ist zu groß (höchstens 1 MB).", "The request is too large (at most 1 MB).";
    error_field_too_long: "Ein Feld des Formulars ist zu lang (höchstens 32.000 Zeichen). Nichts wurde gespeichert.", "A field of the form is too long (at most 32,000 characters). Nothing was saved.";
    error_control_character: "Die Adresse enthält ein Steuerzeichen (etwa einen Zeilenumbruch). Bitte die Adresse prüfen.", "The address contains a control character (such as a line break). Please check the address.";
    error_csrf: "Das Formular ist abgelaufen oder kam nicht von dieser Seite. Bitte laden Sie die Seite neu und senden Sie es erneut.", "The form has expired or did not come from this site. Please reload the page and submit it again.";
    error_method: "Diese Aktion ist hier nicht möglich.", "This action is not possible here.";
    error_internal: "Etwas ist schiefgegangen. Ihre Daten sind unverändert. Bitte versuchen Sie es später erneut.", "Something went wrong. Your data is unchanged. Please try again later.";
    error_unavailable: "Der Dienst ist gerade nicht erreichbar.", "The service is unavailable right now.";
    back_home: "Zur Übersicht", "Back to the overview";
    refused_second_own: "Es gibt bereits eine eigene Organisation; es kann nur eine geben.", "There is already an own organization; there can only be one.";
    refused_deactivate_own: "Das eigene Haus kann nicht deaktiviert werden.", "The own house cannot be deactivated.";
    refused_not_empty: "Die Datenbank ist nicht leer.", "The database is not empty.";
    nav_accounts: "Accounts", "Accounts";
    nav_matrix: "KAM-Matrix", "KAM matrix";
    nav_importance: "Wichtigkeit", "Importance";
    nav_jour_fixe: "Jour fixe", "Jour fixe";
    jf_title: "Kunden-Jour-fixe", "Customer jour fixe";
    jf_intro: "Wo sich alle verantwortlich fühlen, tauscht man sich regelmäßig über den aktuellen Stand der Kunden und ihre Bedürfnisse aus: Jeder bringt aus seiner Rolle ein, was er über seine Kontakte weiß.", "Where everyone feels responsible, people meet regularly on the current state of the customers and their needs: each contributes from their role what they know about their contacts.";
    jf_series_title: "Reihen", "Series";
    jf_none: "Noch keine Jour-fixe-Reihe. Kümmert sich niemand außer Ihnen um bestimmte Partner, laden Sie selbst zu einem internen Kunden-Jour-fixe ein.", "No jour fixe series yet. If nobody but you cares about certain partners, invite to an internal customer jour fixe yourself.";
    jf_new: "Jour fixe einberufen", "Convene a jour fixe";
    jf_new_intro: "Sie laden ein und nehmen teil. Danach fügen Sie Teilnehmende und Accounts hinzu und kündigen den Termin an (Einladung als .ics, Kalender-Abo, „Mein Tag“ der Eingeladenen).", "You invite and take part. Then add participants and accounts and announce it (invitation as .ics, calendar subscription, the invitees' My day).";
    jf_edit: "Jour-fixe-Reihe bearbeiten", "Edit jour fixe series";
    jf_edit_intro: "Eingeladene erhalten eine aktualisierte Einladung; noch nicht vorbereitete Termine folgen der neuen Wiederholung.", "Invitees get an updated invitation; meetings not yet prepared follow the new recurrence.";
    jf_convene: "Einberufen", "Convene";
    jf_needs_person: "Einberufen kann nur, wer als Person unseres Hauses hinterlegt ist (Benutzerverwaltung).", "Only a user linked to a person of our house can convene (user administration).";
    jf_field_name: "Name", "Name";
    jf_field_unit: "Einheit", "Unit";
    jf_field_first_date: "Erster Termin", "First meeting";
    jf_field_start_time: "Beginn", "Start";
    jf_field_duration: "Dauer (Minuten)", "Duration (minutes)";
    jf_field_duration_hint: "15 bis 480 Minuten", "15 to 480 minutes";
    jf_field_repeat: "Wiederholung", "Repeats";
    jf_field_rrule: "Eigene Regel (RRULE)", "Own rule (RRULE)";
    jf_field_rrule_hint: "Nur bei „eigene Regel“, z. B. FREQ=MONTHLY;BYDAY=1TU (jeden ersten Dienstag)", "Only for “own rule”, e.g. FREQ=MONTHLY;BYDAY=1TU (every first Tuesday)";
    jf_field_time_zone: "Zeitzone", "Time zone";
    jf_field_time_zone_hint: "IANA-Name, z. B. Europe/Berlin", "IANA name, e.g. Europe/Berlin";
    jf_field_place: "Ort oder Videolink", "Place or video link";
    jf_field_rule: "Accounts nach Regel", "Accounts by rule";
    jf_field_rule_hint: "Zusätzlich zu einzeln gewählten Accounts: alle, die die Filter unten erfüllen – bei jeder Vorbereitung neu ermittelt.", "Besides accounts chosen one by one: all that match the filters below, found anew for every agenda.";
    jf_field_rule_internal: "Art", "Kind";
    jf_field_rule_tier: "Wichtigkeitsstufe", "Importance tier";
    jf_field_rule_unit: "Verantwortliche Einheit", "Responsible unit";
    jf_rule_off: "Nein, nur gewählte Accounts", "No, chosen accounts only";
    jf_rule_on: "Ja, auch nach Regel", "Yes, also by rule";
    jf_rule_any_kind: "Alle", "All";
    jf_rule_internal: "Interne Partner", "Internal partners";
    jf_rule_external: "Externe Partner", "External partners";
    jf_rule_any_tier: "Alle Stufen", "All tiers";
    jf_rule_any_unit: "Alle Einheiten", "All units";
    jf_repeat_weekly: "Wöchentlich", "Weekly";
    jf_repeat_fortnightly: "Alle zwei Wochen", "Every two weeks";
    jf_repeat_monthly_weekday: "Monatlich am selben Wochentag (z. B. 1. Dienstag)", "Monthly on the same weekday (e.g. 1st Tuesday)";
    jf_repeat_monthly_day_choice: "Monatlich am selben Tag", "Monthly on the same day";
    jf_repeat_quarterly: "Vierteljährlich am selben Wochentag", "Quarterly on the same weekday";
    jf_repeat_custom: "Eigene Regel (RRULE)", "Own rule (RRULE)";
    jf_repeat_weekly_on: "wöchentlich am", "weekly on";
    jf_repeat_fortnightly_on: "alle zwei Wochen am", "every two weeks on";
    jf_repeat_monthly_on: "monatlich am", "monthly on the";
    jf_repeat_quarterly_on: "vierteljährlich am", "quarterly on the";
    jf_repeat_monthly_day: "monatlich am", "monthly on day";
    jf_last: "letzten", "last";
    jf_convenor: "Einberufen von", "Convenor";
    jf_convenes: "lädt ein", "convenes";
    jf_when: "Wann", "When";
    jf_participants: "Teilnehmende", "Participants";
    jf_cancelled: "abgesagt", "cancelled";
    jf_moved: "verlegt", "moved";
    jf_invitation: "Einladung (.ics)", "Invitation (.ics)";
    jf_cancel_series: "Reihe absagen", "Cancel series";
    jf_cancel_series_confirm: "Die ganze Reihe absagen? Eingeladene erhalten eine Absage.", "Cancel the whole series? Invitees get a cancellation.";
    jf_covered: "Abgedeckte Accounts", "Accounts covered";
    jf_by_rule: "mit Regel", "with rule";
    jf_coming: "Nächste Termine", "Coming meetings";
    jf_no_coming: "Keine weiteren Termine.", "No more meetings.";
    jf_open_meeting: "Öffnen", "Open";
    jf_prepare_now: "Jetzt vorbereiten", "Prepare now";
    jf_prepare_again: "Tagesordnung neu vorbereiten", "Prepare the agenda again";
    jf_prepare_again_hint: "Solange im Termin noch nichts festgehalten ist, lässt sich die Tagesordnung aus den Daten von jetzt neu vorbereiten (etwa nach neu aufgenommenen Accounts).", "As long as nothing has been recorded in the meeting, its agenda can be prepared again from the data as it is now (after accounts were added, say).";
    jf_prepare_hint: "Die Tagesordnung wird drei Tage vorher aus den Daten vorbereitet und dann so behalten.", "The agenda is prepared from the data three days before and then kept as prepared.";
    jf_cancel_meeting: "Termin absagen", "Cancel meeting";
    jf_cancel_meeting_confirm: "Diesen Termin absagen? Die Reihe läuft weiter.", "Cancel this meeting? The series goes on.";
    jf_past: "Bisherige Termine", "Past meetings";
    jf_minutes: "Protokoll", "Minutes";
    jf_minutes_markdown: "Als Markdown", "As Markdown";
    jf_add_participant: "Teilnehmende hinzufügen", "Add participant";
    jf_chosen_accounts: "Gewählte Accounts", "Chosen accounts";
    jf_no_accounts: "Noch keine Accounts gewählt.", "No accounts chosen yet.";
    jf_find_account: "Account suchen", "Find account";
    jf_no_account_found: "Kein Account mit diesem Namen.", "No account by that name.";
    jf_add_account: "Aufnehmen", "Add";
    jf_calendar_title: "Im eigenen Kalender abonnieren", "Subscribe in your calendar";
    jf_calendar_intro: "Eine geheime Adresse mit allen Terminen Ihrer Reihen, für Outlook, Thunderbird oder das Telefon. Sie wird einmal angezeigt und kann jederzeit widerrufen werden.", "A secret address with all meetings of your series, for Outlook, Thunderbird or your phone. It is shown once and can be revoked at any time.";
    jf_calendar_new: "Ihre Kalenderadresse (nur jetzt sichtbar):", "Your calendar address (shown only now):";
    jf_calendar_create: "Kalenderadresse erzeugen", "Create calendar address";
    jf_not_prepared: "Die Tagesordnung ist noch nicht vorbereitet.", "The agenda has not been prepared yet.";
    jf_live_hint: "Beiträge der anderen erscheinen hier nach wenigen Sekunden von selbst.", "Others' contributions appear here by themselves within a few seconds.";
    jf_agenda_empty: "Die Reihe deckt keine Accounts ab; Punkte können unten ergänzt werden.", "The series covers no accounts; items can be added below.";
    jf_agenda_changed: "Die Tagesordnung wurde geändert.", "The agenda was changed.";
    jf_reload: "Neu laden", "Reload";
    jf_move_up: "Nach oben", "Move up";
    jf_move_meeting: "Termin verlegen", "Move this meeting";
    jf_move_hint: "Nur dieser Termin; die Eingeladenen erhalten eine aktualisierte Einladung.", "This meeting only; the invitees get an updated invitation.";
    jf_move_save: "Verlegen", "Move";
    jf_move_down: "Nach unten", "Move down";
    jf_since: "Was sich geändert hat seit", "What changed since";
    jf_nothing_changed: "Keine Änderungen seit dem letzten Termin.", "No changes since the last meeting.";
    jf_open_actions: "Offene Aufgaben", "Open actions";
    jf_question_development: "Wie entwickeln sich der Kunde und sein Umfeld?", "How are the customer and its environment developing?";
    jf_question_satisfaction: "Wie zufrieden ist der Kunde, und wie entwickelt sich das?", "How satisfied is the customer, and how is that developing?";
    jf_question_who: "Wer hat die Informationen?", "Who has the information?";
    jf_update_ratings: "Beziehungen und Zufriedenheit neu bewerten (bei den Schlüsselpersonen)", "Rate relationships and satisfaction anew (at the key people)";
    jf_nobody_informed: "Niemand von uns hat derzeit Kontakt zu den Schlüsselpersonen.", "Nobody of ours is in contact with the key people at present.";
    jf_last_contact: "letzter Kontakt", "last contact";
    jf_never_in_contact: "noch kein Kontakt", "no contact yet";
    jf_said: "Beiträge, Beschlüsse, Aufgaben", "Contributions, decisions, actions";
    jf_contribute: "Beitragen, was ich weiß", "Contribute what I know";
    jf_what_you_know: "Was wissen Sie aus Ihrer Rolle?", "What do you know from your role?";
    jf_contribute_save: "Beitrag speichern", "Save contribution";
    jf_decide: "Beschluss festhalten", "Note a decision";
    jf_decision: "Beschluss", "Decision";
    jf_note: "Beitrag", "Contribution";
    jf_decide_save: "Beschluss speichern", "Save decision";
    jf_agree_action: "Aufgabe vereinbaren", "Agree an action";
    jf_action: "Aufgabe", "Action";
    jf_action_done: "Aufgabe erledigt", "Action done";
    jf_action_title: "Was ist zu tun?", "What is to be done?";
    jf_action_owner: "Wer?", "Who?";
    jf_action_save: "Aufgabe speichern", "Save action";
    jf_choose: "Bitte wählen", "Please choose";
    jf_due: "fällig", "due";
    jf_add_item: "Punkt ergänzen", "Add item";
    jf_item_title: "Thema", "Topic";
    jf_nothing_said: "Nichts festgehalten.", "Nothing recorded.";
    jf_importance: "Wichtigkeit", "Importance";
    jf_tier: "Stufe", "tier";
    jf_mirror_score: "Spiegel", "Mirror";
    jf_pair_began: "Neues Gegenüber", "New counterpart";
    jf_pair_ended: "Gegenüber beendet", "Counterpart ended";
    jf_disagreement: "Uneinig bei", "Disagreement on";
    jf_my_meetings: "Meine Jour-fixe-Termine", "My jour fixe meetings";
    jf_my_actions: "Meine Aufgaben", "My actions";
    my_day_actions: "aus dem Jour fixe: heute oder früher fällig.", "from the jour fixe: due today or earlier.";
    jf_mark_done: "Erledigt", "Done";
    jf_overdue: "überfällig", "overdue";
    jf_account_section: "Jour fixe", "Jour fixe";
    jf_account_none: "Kein Jour fixe bespricht diesen Account.", "No jour fixe discusses this account.";
    jf_account_add_to: "In Reihe aufnehmen", "Add to series";
    jf_discussed: "Besprochen", "Discussed";
    nav_portfolio: "Portfolio", "Portfolio";
    accounts_title: "Accounts", "Accounts";
    accounts_intro: "Die wichtigsten Kunden und Lieferanten, extern und intern – nach Wichtigkeit geordnet.", "The most important customers and suppliers, external and internal – ordered by importance.";
    new_account: "Neuer Account", "New account";
    no_accounts: "Keine Accounts für diesen Filter.", "No accounts match this filter.";
    account: "Account", "Account";
    col_relation: "Beziehung", "Relation";
    col_mode: "Organisation des KAM", "How KAM is organized";
    col_responsible: "Verantwortlich", "Responsible";
    col_manager: "Key Account Manager", "Key account manager";
    col_score: "Wichtigkeit", "Importance";
    col_contacts: "Schlüsselpersonen", "Key contacts";
    col_gaps: "Lücken", "Gaps";
    relation_customer: "Kunde", "Customer";
    relation_supplier: "Lieferant", "Supplier";
    relation_both: "Kunde und Lieferant", "Customer and supplier";
    mode_hierarchical: "Hierarchisch (Ebene zu Ebene)", "Hierarchical (level to level)";
    mode_single_manager: "Ein Key Account Manager", "Single key account manager";
    mode_jour_fixe: "Kunden-Jour-Fixe", "Customer jour fixe";
    side_external: "extern", "external";
    side_internal: "intern", "internal";
    filter_relation: "Beziehung", "Relation";
    filter_side: "Seite", "Side";
    filter_tier: "Stufe", "Tier";
    filter_our_unit: "Unsere Einheit", "Our unit";
    all_option: "Alle", "All";
    field_account_name: "Name des Accounts", "Account name";
    field_account_name_hint: "Leer lassen: der Name der Organisation (und Einheit) wird übernommen.", "Leave empty to use the organization's (and unit's) name.";
    field_partner_organization: "Partnerorganisation", "Partner organization";
    field_partner_unit: "Einheit der Partnerorganisation", "Unit of the partner organization";
    field_partner_unit_hint: "Nur wenn der Account ein Teil der Organisation ist, z. B. eine Abteilung.", "Only when the account is part of the organization, e.g. one department.";
    field_partner_department: "Nachbarabteilung (Partnereinheit)", "Neighbouring department (partner unit)";
    field_partner_department_hint: "Der Account ist eine Einheit des eigenen Hauses: Ihre Leute (auch die der Einheiten darunter) sind die Schlüsselpersonen, ihre Gegenüber kommen aus anderen Einheiten.", "The account is a unit of our own house: its people (also those of the units below) are the key contacts; their counterparts come from other units.";
    own_house_option: "eigenes Haus – eine Nachbarabteilung", "own house – a neighbouring department";
    field_relation: "Beziehung", "Relation";
    field_mode: "Organisation des Key Account Managements", "How key account management is organized";
    field_responsible_unit: "Verantwortliche Einheit bei uns", "Responsible unit of ours";
    field_manager: "Key Account Manager bei uns", "Our key account manager";
    field_restricted: "Eingeschränkt: nur für die verantwortliche Einheit und die Einheiten darüber", "Restricted: only for the responsible unit and the units above it";
    field_restricted_hint: "Alle anderen (außer Administratoren) sehen den Account nicht – weder in Listen, Matrix, Suche und Exporten noch, was zu ihm festgehalten ist. Die Organisation und ihre Personen bleiben sichtbar.", "Everyone else (administrators aside) does not see the account – not in lists, the matrix, search or exports, nor what is recorded on it. The organization and its people stay visible.";
    account_restricted_badge: "Eingeschränkt", "Restricted";
    account_visibility: "Sichtbarkeit", "Visibility";
    account_restricted_note: "Eingeschränkt: nur die verantwortliche Einheit, die Einheiten darüber und Administratoren", "Restricted: only the responsible unit, the units above it and administrators";
    whole_organization: "— ganze Organisation —", "— whole organization —";
    key_contacts_title: "Schlüsselpersonen und ihre Gegenüber", "Key contacts and their counterparts";
    key_contacts_empty: "Noch keine Schlüsselpersonen. Wer ist bei diesem Kunden wirklich wichtig?", "No key contacts yet. Who really matters at this customer?";
    add_key_contact: "Schlüsselperson hinzufügen", "Add key contact";
    field_person: "Person", "Person";
    field_role: "Rolle bei Entscheidungen", "Role in decisions";
    field_stance: "Haltung zu uns", "Stance toward us";
    field_influence: "Einfluss (1–5)", "Influence (1–5)";
    role_decision_maker: "Entscheider", "Decision maker";
    role_influencer: "Beeinflusser", "Influencer";
    role_user: "Anwender", "User";
    role_gatekeeper: "Türöffner", "Gatekeeper";
    role_champion: "Fürsprecher", "Champion";
    role_other: "Sonstige", "Other";
    stance_supporter: "Unterstützer", "Supporter";
    stance_positive: "positiv", "positive";
    stance_neutral: "neutral", "neutral";
    stance_critical: "kritisch", "critical";
    stance_opponent: "Gegner", "Opponent";
    col_counterparts: "Unsere Gegenüber", "Our counterparts";
    no_counterpart: "Lücke: niemand von uns", "Gap: nobody of ours";
    kind_primary: "Hauptansprechpartner", "Primary";
    kind_deputy: "Vertretung", "Deputy";
    assign_counterpart: "Gegenüber zuordnen", "Assign a counterpart";
    field_our_person: "Person aus unserem Haus", "Person of our house";
    field_valid_from_assign: "Ab", "From";
    remove: "Entfernen", "Remove";
    confirm_remove: "Wirklich entfernen?", "Really remove?";
    save_contact: "Übernehmen", "Apply";
    rate: "Bewerten", "Rate";
    rating_title: "Beziehung", "Relationship";
    relationship: "Beziehung", "Relationship";
    partnership: "Partnerschaft", "Partnership";
    satisfaction: "Zufriedenheit", "Satisfaction";
    rated_on: "Datum", "Date";
    rated_by: "Bewertet von", "Rated by";
    comment: "Kommentar", "Comment";
    ratings_history: "Bewertungen im Zeitverlauf", "Ratings over time";
    no_ratings: "Noch keine Bewertung.", "Not rated yet.";
    add_rating: "Neue Bewertung", "New rating";
    scale_hint: "1 = schlecht … 5 = ausgezeichnet", "1 = poor … 5 = excellent";
    end_assignment: "Zuordnung beenden", "End assignment";
    field_valid_to: "Letzter Tag", "Last day";
    ended: "beendet", "ended";
    counterparts_title: "Gegenüber in unserem Haus", "Counterparts in our house";
    my_counterparts_title: "Gegenüber bei Partnern", "Counterparts at partners";
    no_counterparts: "Niemand zugeordnet.", "Nobody assigned.";
    key_contact_in: "Schlüsselperson in", "Key contact in";
    neighbour_title: "Als Schlüsselperson einer Nachbarabteilung", "As a key contact of a neighbouring department";
    neighbour_intro: "Diese Person gehört zu einer Abteilung, die wir als internen Partner führen: Hier steht, wer aus anderen Einheiten unseres Hauses ihr Gegenüber ist.", "This person belongs to a department we manage as an internal partner: here is who from other units of our house is their counterpart.";
    assign_ours_to_them: "Gegenüber aus unserem Haus zuordnen", "Assign a counterpart of ours";
    latest_rating: "Letzte Bewertung", "Latest rating";
    trend: "Trend", "Trend";
    health_good: "gut", "good";
    health_fair: "mittel", "fair";
    health_poor: "schlecht", "poor";
    health_unrated: "unbewertet", "unrated";
    importance_title: "Wichtigkeit", "Importance";
    importance_intro: "Was „wichtig“ heißt, legt das Team gemeinsam fest: Jede und jeder schlägt Gewichte vor und bewertet die Accounts; die Leitung setzt die endgültigen Gewichte. Wo die Meinungen weit auseinanderliegen, lohnt das Gespräch.", "What \"important\" means is defined by the team together: each member proposes weights and rates the accounts; the lead sets the final weights. Where opinions differ widely, talk about it.";
    criteria_title: "Kriterien", "Criteria";
    col_criterion: "Kriterium", "Criterion";
    entity_tiers: "Stufengrenzen", "Tier thresholds";
    entity_weight_proposal: "Gewichtungsvorschlag", "Weight proposal";
    entity_importance_rating: "Wichtigkeitsbewertung", "Importance rating";
    entity_lock: "Festlegung (Behalten/Nie)", "Lock (keep/never)";
    entity_import_upload: "Hochgeladene Importdatei", "Uploaded import file";
    col_scope: "Gilt für", "Applies to";
    col_weight: "Gewicht", "Weight";
    col_proposals: "Vorschläge des Teams", "Team proposals";
    col_my_proposal: "Mein Vorschlag", "My proposal";
    col_team: "Team", "Team";
    col_mine: "Meine Bewertung", "My rating";
    col_points: "Punkte", "Points";
    disputed: "strittig", "disputed";
    scope_all: "alle", "all";
    scope_customer: "Kunden", "customers";
    scope_supplier: "Lieferanten", "suppliers";
    scope_internal: "interne", "internal";
    add_criterion: "Kriterium hinzufügen", "Add criterion";
    field_description_de: "Beschreibung (Deutsch)", "Description (German)";
    field_description_en: "Beschreibung (Englisch)", "Description (English)";
    field_scope: "Gilt für", "Applies to";
    field_weight: "Gewicht (0–100)", "Weight (0–100)";
    tiers_title: "Stufen", "Tiers";
    field_tier_a: "Stufe A ab Punktzahl", "Tier A from score";
    field_tier_b: "Stufe B ab Punktzahl", "Tier B from score";
    disagreements_title: "Wo das Team uneinig ist", "Where the team disagrees";
    no_disagreements: "Keine großen Meinungsunterschiede.", "No large differences of opinion.";
    not_rated: "nicht bewertet", "not rated";
    score_explained: "So setzt sich die Wichtigkeit zusammen", "How the importance is made up";
    save_ratings: "Bewertungen speichern", "Save ratings";
    save_proposals: "Vorschläge speichern", "Save proposals";
    matrix_title: "KAM-Matrix", "KAM matrix";
    matrix_intro: "Je Account die Schlüsselpersonen auf jeder Hierarchieebene und unsere Gegenüber, gefärbt nach der letzten Beziehungsbewertung. Rot umrandet: niemand von uns.", "For each account the key people at every hierarchy level and our counterparts, coloured by the latest relationship rating. Outlined in red: nobody of ours.";
    export_xlsx: "Als Excel exportieren", "Export as Excel";
    legend: "Legende", "Legend";
    portfolio_title: "Portfolio", "Portfolio";
    portfolio_intro: "Jeder Punkt ein Account: rechts wichtiger, oben bessere Beziehungen. Kreise sind externe, Rauten interne Accounts; gefüllt Kunden, hohl Lieferanten.", "Each point an account: further right more important, higher up better relationships. Circles are external, diamonds internal accounts; filled customers, hollow suppliers.";
    quadrant_develop: "Ausbauen: wichtig, Beziehung schwach", "Develop: important, weak relationship";
    quadrant_keep: "Pflegen: wichtig, Beziehung stark", "Keep: important, strong relationship";
    quadrant_watch: "Beobachten", "Watch";
    quadrant_efficient: "Effizient betreuen", "Serve efficiently";
    axis_importance: "Wichtigkeit (0–100)", "Importance (0–100)";
    axis_health: "Beziehungsqualität (Ø letzte Bewertungen, 1–5)", "Relationship health (mean of latest ratings, 1–5)";
    unscored_accounts: "Noch nicht bewertet und daher nicht eingezeichnet:", "Not scored yet and therefore not plotted:";
    chart_title: "Organigramm", "Org chart";
    chart_list: "Als Liste", "As a list";
    chart_hint: "Ein Klick auf ein Kästchen öffnet die Person, auf eine Einheit klappt sie ein oder aus. Druckt im Querformat.", "Click a box to open the person, a unit to collapse or expand it. Prints in landscape.";
    all_levels: "Alle Ebenen", "All levels";
    levels_up_to: "Ebenen", "Levels";
    collapse_units: "Einheiten einklappen", "Collapse units";
    collapse: "Einklappen", "Collapse";
    expand: "Ausklappen", "Expand";
    import_title: "Personen importieren", "Import people";
    import_intro: "Aus Excel (XLSX), CSV (Komma oder Semikolon, auch wie deutsches Excel speichert) oder vCard. Sie sehen zuerst eine Vorschau mit allen Problemen; gespeichert wird erst nach Ihrer Bestätigung, und dann alle Zeilen oder keine. Bekannte Personen (gleiche E-Mail oder Personalnummer) werden aktualisiert, nicht verdoppelt.", "From Excel (XLSX), CSV (comma or semicolon, also as German Excel saves it) or vCard. You first see a preview with every problem; nothing is stored until you confirm, and then all rows or none. Known people (same e-mail or personnel number) are updated, not duplicated.";
    import_file: "Datei", "File";
    import_file_hint: "CSV, XLSX oder vCard (.vcf), höchstens 50 MB. Die erste Zeile enthält die Spaltenüberschriften.", "CSV, XLSX or vCard (.vcf), at most 50 MB. The first row holds the column headers.";
    import_sheet: "Tabellenblatt (nur Excel; leer = das erste)", "Sheet (Excel only; empty = the first)";
    import_upload: "Hochladen und prüfen", "Upload and check";
    import_reading: "Datei wird gelesen …", "Reading the file …";
    import_no_file: "Bitte wählen Sie eine Datei aus.", "Please choose a file.";
    import_sheets: "Blätter", "Sheets";
    import_again: "Eine andere Datei hochladen", "Upload another file";
    import_columns: "Spalten", "Columns";
    import_file_column: "Spalte der Datei", "Column of the file";
    import_target: "Wird gespeichert als", "Stored as";
    import_ignore: "— ignorieren —", "— ignore —";
    import_apply_mapping: "Zuordnung übernehmen und erneut prüfen", "Apply the mapping and check again";
    import_summary: "Ergebnis der Prüfung", "Result of the check";
    import_new: "neu", "new";
    import_update: "ändern", "change";
    import_unchanged: "unverändert", "unchanged";
    import_new_units: "Neue Einheiten", "New units";
    import_no_problems: "Keine Probleme gefunden.", "No problems found.";
    import_confirm: "Jetzt importieren (alle Zeilen oder keine)", "Import now (all rows or none)";
    import_running: "Import läuft … bitte warten.", "Importing … please wait.";
    import_cancel: "Verwerfen", "Discard";
    import_problems: "Probleme", "Problems";
    import_fix_hint: "Korrigieren Sie die Datei und laden Sie sie erneut hoch, oder ändern Sie oben die Zuordnung der Spalten.", "Correct the file and upload it again, or change the column mapping above.";
    import_rows_preview: "Die ersten Zeilen, wie sie gespeichert werden", "The first rows as they will be stored";
    import_changed: "Die Daten haben sich seit der Vorschau geändert; es wurde nichts gespeichert. Bitte prüfen Sie die Vorschau erneut.", "The data changed since the preview; nothing was stored. Please check the preview again.";
    import_done: "Import abgeschlossen", "Import complete";
    import_button: "Importieren", "Import";
    col_row: "Zeile", "Row";
    sheet_current: "Auswahl", "Selection";
    sheet_customers: "Kunden", "Customers";
    sheet_suppliers: "Lieferanten", "Suppliers";
    sheet_internal: "Intern", "Internal";
    sheet_tier_a: "Stufe A", "Tier A";
    matrix_export_sheets: "Blätter der Excel-Datei", "Sheets of the Excel file";
    matrix_import_title: "KAM-Matrix aus Excel übernehmen", "Take over a KAM matrix from Excel";
    matrix_import_intro: "Laden Sie eine Matrix im Aufbau des Excel-Exports hoch (auch von Ihrem Team bearbeitet). Fehlende Accounts und Schlüsselpersonen werden angelegt; unsere Gegenüber müssen im eigenen Haus vorhanden sein. Sie sehen erst, was geschehen würde; übernommen wird alles oder nichts.", "Upload a matrix in the layout of the Excel export (also as edited by your team). Missing accounts and key people are created; our counterparts must exist in our own house. You first see what would happen; then everything is taken over or nothing.";
    matrix_import_button: "Aus Excel übernehmen", "Take over from Excel";
    matrix_would: "Das würde übernommen", "This would be taken over";
    matrix_take_over: "Jetzt übernehmen", "Take over now";
    matrix_outcome: "Accounts, Personen, Schlüsselpersonen, Zuordnungen, Bewertungen", "accounts, people, key contacts, assignments, ratings";
    matrix_ours_not_found: "niemand in unserem Haus heißt so", "nobody in our house has this name";
    matrix_ours_ambiguous: "mehrere in unserem Haus heißen so", "several people in our house have this name";
    matrix_person_ambiguous: "mehrere Personen dieser Organisation heißen so", "several people of this organization have this name";
    matrix_own_organization: "das ist unser eigenes Haus, kein Account", "this is our own house, not an account";
    matrix_account_taken: "diesen Namen trägt bereits ein Account, den Sie nicht ändern können", "an account you cannot change already has this name";
    matrix_imported: "Übernommen", "Taken over";
    cell: "Zelle", "Cell";
    nav_mirror: "Spiegelung", "Mirror";
    mirror_title: "Spiegelung", "Mirror";
    mirror_portfolio_title: "Spiegelung des Portfolios", "Portfolio mirror";
    mirror_intro: "Hat jede wichtige Person beim Partner ein Gegenüber bei uns auf derselben Ebene? Chef zu Chef, Mitarbeiter zu Mitarbeiter, Sekretariat zu Sekretariat.", "Does every important person at the partner have a counterpart of ours at the same level? Boss to boss, clerk to clerk, secretariat to secretariat.";
    mirror_score: "Spiegel-Score", "Mirror score";
    score_coverage: "Abdeckung", "Coverage";
    score_level_match: "Ebenengleichheit", "Level match";
    score_spread: "Verteilung der Fäden", "Thread spread";
    score_weight: "Gewicht", "Weight";
    score_parts_explained: "Abdeckung: Anteil der Schlüsselkontakte (nach Einfluss gewichtet) mit einem Hauptgegenüber. Ebenengleichheit: je Ebene Abstand 25 Punkte weniger. Verteilung: wie wenig die Kontakte an einer einzigen Person bei uns hängen.", "Coverage: the share of key contacts (weighted by influence) with a primary counterpart. Level match: 25 points less per level of distance. Spread: how little the contacts hang on a single person of ours.";
    shape: "Form", "Shape";
    findings_title: "Befunde", "Findings";
    findings_empty: "Keine Befunde – die Spiegelung steht.", "No findings – the mirror holds.";
    severity: "Schwere", "Severity";
    mirror_view_title: "Spiegelbild", "Mirror view";
    mirror_view_hint: "Links ihre Schlüsselkontakte, rechts unsere Gegenüber, jeweils im Band ihrer Ebene. Waagerechte Linien sind gespiegelt; die Farbe zeigt die letzte Beziehungsbewertung, gestrichelt ist eine Vertretung. Ein Klick öffnet Person oder Zuordnung.", "Their key contacts on the left, our counterparts on the right, each in the band of its level. Horizontal lines are mirrored; the colour shows the latest relationship rating, dashed lines are deputies. A click opens the person or the assignment.";
    their_side: "Ihre Seite", "Their side";
    our_side: "Unsere Seite", "Our side";
    no_counterpart_short: "kein Gegenüber", "no counterpart";
    heatmap_title: "Ebene × Ebene", "Level × level";
    heatmap_hint: "Zeilen: ihre Ebene, Spalten: unsere. Gezählt werden aktuelle Zuordnungen; die Diagonale ist die Spiegelung.", "Rows: their level, columns: ours. Current assignments are counted; the diagonal is the mirror.";
    heatmap_deputies: "davon Vertretungen", "of which deputies";
    trend_title: "Verlauf des Spiegel-Scores", "Mirror score over time";
    trend_empty: "Noch kein Verlauf.", "No trend yet.";
    ask_suggestions: "Gegenüber vorschlagen", "Suggest counterparts";
    computing: "Berechne die optimale Zuordnung …", "Computing the optimal assignment …";
    mirror_inactive: "Deaktivierte Accounts werden nicht analysiert.", "Deactivated accounts are not analysed.";
    mirror_empty: "Dieser Account hat noch keine Schlüsselkontakte.", "This account has no key contacts yet.";
    accepted_notice: "Übernommene Zuordnungen:", "Assignments accepted:";
    suggestions_title: "Vorschläge", "Suggestions";
    whole_portfolio: "gesamtes Portfolio", "whole portfolio";
    suggestions_intro: "Für jeden Schlüsselkontakt ohne oder mit schlecht passendem Gegenüber schlägt Counterpart jemanden aus unserem Haus vor: auf derselben Ebene, Sekretariat zu Sekretariat, möglichst in der verantwortlichen Einheit, gute Beziehungen bleiben, niemand über seine Kapazität.", "For every key contact without a counterpart or with a poorly matched one, Counterpart proposes someone of ours: at the same level, secretariat to secretariat, preferably within the responsible unit, keeping good relationships, nobody beyond their capacity.";
    with_deputies: "Auch Vertretungen vorschlagen", "Also propose deputies";
    recompute: "Neu berechnen", "Recompute";
    score_now_after: "Spiegel-Score jetzt → nach Übernahme aller Vorschläge", "Mirror score now → after accepting every suggestion";
    col_contact: "Kontakt", "Contact";
    col_proposed: "Vorschlag", "Proposed";
    col_current: "Bisher", "Current";
    col_why: "Begründung", "Why";
    col_role_kind: "Rolle", "Role";
    pick_label: "Übernehmen", "Accept";
    change_new: "neu", "new";
    change_replace: "Wechsel", "change";
    change_stay: "bleibt", "stays";
    accept_selected: "Ausgewählte übernehmen", "Accept selected";
    accept_all: "Alle übernehmen", "Accept all";
    lock_keep: "Behalten", "Keep";
    lock_never: "Nie", "Never";
    lock_hint: "„Behalten“ legt ein Paar fest, „Nie“ schließt es aus; die nächste Berechnung hält sich daran.", "\"Keep\" fixes a pair, \"Never\" rules it out; the next run honours both.";
    locked_badge: "festgelegt", "fixed";
    picker_hint: "Namen tippen; die Treffer erscheinen darunter.", "Type a name; the matches appear below.";
    picker_type_more: "Mindestens zwei Buchstaben eines Namens eingeben.", "Type at least two letters of a name.";
    locks_title: "Festlegungen", "Locks";
    locks_none: "Keine Festlegungen für diese Schlüsselpersonen.", "No locks on these key contacts.";
    locks_ours: "Unsere Person", "Our person";
    locks_rule: "Festlegung", "Lock";
    locks_by: "Gesetzt von", "Set by";
    locks_lift: "Aufheben", "Lift";
    suggestions_none: "Keine Änderungen nötig: Jeder Schlüsselkontakt hat ein passendes Gegenüber, oder niemand mit freier Kapazität ist verfügbar.", "No changes needed: every key contact has a fitting counterpart, or nobody with free capacity is available.";
    suggestions_stays: "Zuordnungen bleiben, wie sie sind:", "Assignments stay as they are:";
    suggestions_more: "Gezeigt sind die ersten 300 Änderungen; „Alle übernehmen“ übernimmt alle:", "Showing the first 300 changes; \"Accept all\" accepts all of them:";
    unserved_title: "Ohne passendes Gegenüber", "Without a suitable counterpart";
    unserved_hint: "Niemand mit freier Kapazität nahe ihrer Ebene. Kapazitäten erhöhen oder Personen gewinnen.", "Nobody with free capacity near their level. Raise capacities or staff up.";
    conflicts_title: "Festlegungen, die nicht gelten", "Locks not applied";
    suggestions_changed: "Die Daten haben sich inzwischen geändert. Bitte prüfen Sie die neuen Vorschläge.", "The data changed meanwhile. Please review the new suggestions.";
    suggestions_none_picked: "Bitte wählen Sie mindestens einen Vorschlag aus.", "Please select at least one suggestion.";
    col_mirror: "Spiegel", "Mirror";
    col_importance: "Wichtigkeit", "Importance";
    band_high: "hoch", "high";
    band_medium: "mittel", "medium";
    col_top_finding: "Wichtigster Befund", "Top finding";
    attention_title: "Was zuerst Aufmerksamkeit braucht", "What needs attention first";
    attention_hint: "Sortiert nach fehlendem Spiegel-Score und schweren Befunden, gewichtet mit der Wichtigkeit des Accounts.", "Sorted by missing mirror score and severe findings, weighted by the account's importance.";
    units_rollup_title: "Nach unseren Einheiten", "By our units";
    col_weighted: "gewichtet", "weighted";
    col_mean: "Durchschnitt", "mean";
    col_bow_ties: "Fliegen", "Bow ties";
    shapes_title: "Formen", "Shapes";
    portfolio_suggest: "Vorschläge für das gesamte Portfolio", "Suggestions for the whole portfolio";
    unit_suggest: "Vorschläge", "Suggest";
    mirror_no_accounts: "Noch keine aktiven Accounts.", "No active accounts yet.";
    field_capacity: "Kapazität", "Capacity";
    capacity_title: "Kapazität für Gegenüber", "Capacity for counterparts";
    capacity_hint: "Wie viele Schlüsselkontakte diese Person als Hauptgegenüber halten kann. Leer lassen für den Standard ihrer Ebene.", "How many key contacts this person can hold as primary. Leave empty for their level's default.";
    capacity_default: "Standard ihrer Ebene", "Default of their level";
    capacity_held: "Hält jetzt als Hauptgegenüber", "Holds now as primary";
    save_capacity: "Kapazität speichern", "Save capacity";
    open_mirror: "Spiegelbild öffnen", "Open mirror view";
    footer_note: "Counterpart – Kundenorientierung ist, wenn man das Key Account Management nicht delegiert, sondern hierarchisch organisiert.", "Counterpart – customer orientation means organising key account management hierarchically instead of delegating it.";

    nav_users: "Benutzer", "Users";
    nav_admin: "Verwaltung", "Administration";
    view_label: "Ansicht", "View";
    insights_title: "Was wir wissen", "What we know";
    contacts_title: "Kontakte", "Contacts";
    contacts_empty: "Noch kein Kontakt festgehalten.", "No contact logged yet.";
    contact_kind: "Wie?", "How?";
    contact_meeting: "Treffen", "Meeting";
    contact_call: "Telefonat", "Call";
    contact_email: "E-Mail", "E-mail";
    contact_visit: "Besuch", "Visit";
    contact_event: "Veranstaltung", "Event";
    contact_summary: "Worum ging es?", "What was it about?";
    contact_date: "Wann", "When";
    contact_date_hint: "Leer lassen für heute.", "Leave empty for today.";
    contact_learned: "Dabei erfahren (optional)", "Learned in it (optional)";
    contact_with: "Mit", "With";
    contact_also: "Auch dabei", "Also there";
    contact_also_ours: "von uns:", "of ours:";
    contact_also_theirs_side: "ihre Seite", "their side";
    contact_also_ours_side: "unsere Seite", "our side";
    contact_save: "Kontakt festhalten", "Log the contact";
    field_summary: "Worum ging es?", "What was it about?";
    entity_interaction: "Kontakt", "Contact";
    entity_feed_token: "Feed-Adresse", "Feed address";
    entity_series: "Jour-fixe-Reihe", "Jour fixe series";
    entity_meeting: "Jour-fixe-Termin", "Jour fixe meeting";
    entity_agenda_item: "Tagesordnungspunkt", "Agenda item";
    entity_contribution: "Beitrag im Jour fixe", "Jour fixe contribution";
    entity_action: "Aufgabe", "Action";
    entity_calendar_token: "Kalender-Abo-Adresse", "Calendar subscription address";
    entity_access_token: "Zugangsschlüssel", "Access token";
    nav_tokens: "Zugangsschlüssel", "Access tokens";
    nav_security: "Anmeldungen und Schlüssel", "Sign-ins and tokens";
    security_title: "Anmeldungen und Schlüssel", "Sign-ins and tokens";
    sessions_title: "Angemeldete Browser", "Signed-in browsers";
    sessions_intro: "Wo Sie gerade angemeldet sind. Eine Sitzung, die Sie nicht kennen, beenden Sie hier – sie ist sofort abgemeldet. Diese Sitzung beenden Sie mit „Abmelden“.", "Where you are logged in now. End a session you do not recognise here – it is logged out at once. You end this session with “Log out”.";
    sessions_device: "Browser", "Browser";
    sessions_unknown_device: "unbekannter Browser", "unknown browser";
    sessions_started: "Angemeldet", "Logged in";
    sessions_last_seen: "Zuletzt aktiv", "Last active";
    sessions_expires: "Endet ohne Nutzung", "Ends unless used";
    sessions_this: "diese Sitzung", "this session";
    sessions_end: "Beenden", "End";
    sessions_end_others: "Überall sonst abmelden", "Sign out everywhere else";
    sessions_none_other: "Sie sind nirgends sonst angemeldet.", "You are not logged in anywhere else.";
    second_factor_title: "Zweiter Faktor", "Second factor";
    second_factor_on_since: "Eingeschaltet seit", "On since";
    second_factor_off_text: "Aus. Mit einem zweiten Faktor braucht die Anmeldung neben dem Passwort einen Code aus einer Authenticator-App auf Ihrem Telefon.", "Off. With a second factor, logging in needs a code from an authenticator app on your phone besides the password.";
    second_factor_set_up: "Zweiten Faktor einrichten", "Set up a second factor";
    second_factor_manage: "Zweiten Faktor verwalten", "Manage the second factor";
    second_factor_scan: "1. Öffnen Sie Ihre Authenticator-App (etwa Aegis, FreeOTP, Google oder Microsoft Authenticator) und scannen Sie diesen QR-Code.", "1. Open your authenticator app (Aegis, FreeOTP, Google or Microsoft Authenticator, for example) and scan this QR code.";
    second_factor_qr_label: "QR-Code zum Einrichten in der Authenticator-App", "QR code for setting up the authenticator app";
    second_factor_manual: "Kein Scan möglich? Geben Sie diesen Schlüssel von Hand ein (zeitbasiert, 6 Stellen, alle 30 Sekunden neu):", "Cannot scan? Type this key by hand (time-based, 6 digits, new every 30 seconds):";
    second_factor_link: "Auf dem Telefon: in der App öffnen", "On the phone: open in the app";
    second_factor_confirm_hint: "2. Geben Sie den Code ein, den die App jetzt zeigt. Erst dann wird der zweite Faktor eingeschaltet.", "2. Type the code the app shows now. Only then is the second factor turned on.";
    field_code: "Code", "Code";
    second_factor_secret: "Schlüssel", "Key";
    second_factor_turn_on: "Einschalten", "Turn on";
    second_factor_enabled: "Der zweite Faktor ist eingeschaltet.", "The second factor is on.";
    recovery_title: "Ihre Wiederherstellungscodes", "Your recovery codes";
    recovery_intro: "Haben Sie Ihr Telefon nicht zur Hand, meldet Sie jeder dieser Codes einmal an. Bewahren Sie sie sicher auf (ausgedruckt oder im Passwort-Manager) – sie werden nur jetzt angezeigt.", "Without your phone at hand, each of these codes logs you in once. Keep them safe (printed or in a password manager) – they are shown only now.";
    second_factor_disable_title: "Zweiten Faktor abschalten", "Turn the second factor off";
    second_factor_disable_hint: "Geben Sie einen aktuellen Code aus der App oder einen Wiederherstellungscode ein.", "Type a current code from the app or a recovery code.";
    second_factor_turn_off: "Abschalten", "Turn off";
    second_factor_disabled: "Der zweite Faktor ist abgeschaltet.", "The second factor is off.";
    second_factor_throttled: "Zu viele falsche Codes. Nächster Versuch in", "Too many wrong codes. Next attempt in";
    second_factor_required: "Administratoren brauchen einen zweiten Faktor: Bitte richten Sie ihn jetzt ein, danach geht es weiter.", "Administrators need a second factor: please set it up now, then you can continue.";
    second_factor_back: "Zurück zu Anmeldungen und Schlüsseln", "Back to sign-ins and tokens";
    login_code_title: "Code eingeben", "Enter your code";
    login_code_intro: "Ihr Passwort stimmt. Geben Sie jetzt den 6-stelligen Code aus Ihrer Authenticator-App ein – oder einen Ihrer Wiederherstellungscodes.", "Your password is right. Now type the 6-digit code from your authenticator app – or one of your recovery codes.";
    login_code_submit: "Bestätigen", "Confirm";
    login_code_wrong: "Der Code stimmt nicht oder wurde schon benutzt.", "The code is wrong or was used already.";
    login_code_expired: "Die Anmeldung ist abgelaufen oder wurde nach zu vielen falschen Codes abgebrochen. Bitte melden Sie sich erneut an.", "The login expired or was stopped after too many wrong codes. Please log in again.";
    login_code_cancel: "Neu anmelden", "Start again";
    user_security_title: "Anmeldungen und zweiter Faktor", "Sessions and second factor";
    user_sessions_end_all: "Alle Sitzungen beenden", "End all sessions";
    user_sessions_hint: "Meldet den Benutzer überall ab, etwa nach einem verlorenen Laptop.", "Logs the user out everywhere, for example after a lost laptop.";
    user_second_factor_off: "Kein zweiter Faktor.", "No second factor.";
    user_second_factor_reset: "Zweiten Faktor zurücksetzen", "Reset the second factor";
    user_second_factor_reset_hint: "Für einen Benutzer, der Telefon und Wiederherstellungscodes verloren hat: Er meldet sich danach nur mit dem Passwort an und kann den zweiten Faktor neu einrichten.", "For a user who lost both phone and recovery codes: they then log in with the password alone and can set up the second factor again.";
    second_factor_was_reset: "Der zweite Faktor wurde zurückgesetzt.", "The second factor was reset.";
    tokens_title: "Zugangsschlüssel und geheime Adressen", "Access tokens and secret addresses";
    tokens_intro: "Alles, was Ihnen geheim ausgehändigt wurde, an einem Ort: API-Schlüssel für andere Programme, Ihr Kalender-Abo und Ihre Feed-Adressen. Jeder Schlüssel wird nur einmal angezeigt und nur als Prüfsumme gespeichert; widerrufen wirkt sofort.", "Everything issued to you in secret, in one place: API tokens for other programs, your calendar subscription and your feed addresses. Each token is shown once and stored only as a hash; revoking takes effect at once.";
    tokens_none: "Noch keine Schlüssel oder Adressen.", "No tokens or addresses yet.";
    tokens_kind: "Art", "Kind";
    tokens_kind_api: "API-Schlüssel", "API token";
    tokens_kind_calendar: "Kalender-Abo", "Calendar subscription";
    tokens_kind_digest: "Feed der Wochenzusammenfassung", "Digest feed";
    tokens_label: "Bezeichnung", "Name";
    tokens_label_hint: "Wofür? Zum Beispiel „Berichtswesen“ oder „HR-Abgleich“.", "What for? For example “Reporting” or “HR sync”.";
    tokens_scope: "Berechtigung", "Permission";
    tokens_scope_read: "nur lesen", "read only";
    tokens_scope_write: "lesen und ändern", "read and write";
    tokens_days: "Gültig für (Tage)", "Valid for (days)";
    tokens_create: "API-Schlüssel erzeugen", "Create API token";
    tokens_new_title: "Neuer API-Schlüssel", "New API token";
    tokens_new: "Ihr neuer Schlüssel – jetzt kopieren, er wird nicht noch einmal angezeigt:", "Your new token – copy it now, it will not be shown again:";
    tokens_new_usage: "So schickt ein Programm ihn mit:", "This is how a program sends it:";
    tokens_made: "Erzeugt", "Made";
    tokens_expires: "Läuft ab", "Expires";
    tokens_never: "nie", "never";
    tokens_last_used: "Zuletzt benutzt", "Last used";
    tokens_never_used: "noch nie benutzt", "never used";
    tokens_status: "Status", "Status";
    tokens_live: "gültig", "live";
    tokens_expired: "abgelaufen", "expired";
    tokens_revoked: "widerrufen", "revoked";
    tokens_revoke: "Widerrufen", "Revoke";
    tokens_owner: "Benutzer", "User";
    tokens_where_calendar: "Ein Kalender-Abo erzeugen Sie unter Jour fixe, eine Feed-Adresse bei der Wochenzusammenfassung Ihrer Einheit.", "You create a calendar subscription under Jour fixe, a feed address on your unit's weekly digest.";
    tokens_admin_title: "Alle gültigen Zugangsschlüssel", "All live access tokens";
    tokens_admin_intro: "Die gültigen Schlüssel und Adressen aller Benutzer, neueste zuerst. Ein Widerruf wirkt sofort und wird protokolliert.", "Every user's live tokens and addresses, newest first. Revoking takes effect at once and is audited.";
    briefing_title: "Briefing", "Briefing";
    briefing_who: "Wer", "Who";
    briefing_last_contacts: "Letzte Kontakte", "Last contacts";
    search_everything: "Suche", "Search";
    search_quick_nothing: "Nichts gefunden.", "Nothing found.";
    search_too_long: "Bitte suchen Sie mit höchstens 200 Zeichen.", "Please search with at most 200 characters.";
    search_quick_all: "Alle Ergebnisse anzeigen", "Show all results";
    search_nothing: "Nichts gefunden. Prüfen Sie die Schreibweise oder suchen Sie nach einem Teil des Wortes.", "Nothing found. Check the spelling or search for part of the word.";
    search_everything_hint: "Personen, Organisationen, Accounts und was wir wissen – Umlaute egal (Müller = Mueller).", "People, organizations, accounts and what we know – umlauts as you like (Müller = Mueller).";
    briefing_key_people: "Die Schlüsselpersonen, Ebene für Ebene", "The key people, level by level";
    briefing_freshest: "Zuletzt erfahren", "Latest we know";
    briefing_since: "In dieser Position seit", "In this position since";
    briefing_reports: "Ihm/ihr unterstellt", "Reporting to them";
    briefing_assistants: "Assistenz", "Assistant";
    briefing_earlier: "Frühere Arbeitgeber", "Earlier employers";
    briefing_ours: "Wer von uns sie/ihn kennt", "Who of ours knows them";
    briefing_around: "Und das Umfeld", "And the people around them";
    briefing_nothing_known: "Noch nichts festgehalten – nach dem Termin auf der Seite der Person ergänzen.", "Nothing written down yet – add it on the person's page after the meeting.";
    print: "Drucken", "Print";
    insights_empty: "Noch nichts festgehalten. Was haben Sie im letzten Gespräch erfahren?", "Nothing written down yet. What did you learn in your last conversation?";
    insight_category: "Worum geht es?", "What is it about?";
    insight_needs: "Bedürfnisse", "Needs";
    insight_satisfaction: "Zufriedenheit", "Satisfaction";
    insight_future_ideas: "Zukunftsideen", "Future ideas";
    insight_developments: "Aktuelle Entwicklungen", "Current developments";
    insight_environment: "Umfeld", "Environment";
    insight_other: "Sonstiges", "Other";
    insight_text: "Was Sie erfahren haben", "What you learned";
    insight_confidential: "Vertraulich", "Confidential";
    insight_confidential_badge: "vertraulich", "confidential";
    insight_confidential_hint: "Vertraulich lesen nur Sie, Ihre Einheit, die Einheiten darüber und die Administration.", "Confidential: read only by you, your unit, the units above it and the administrators.";
    insight_confirmed: "bestätigt", "confirmed";
    insight_heard: "gehört", "heard";
    insight_save: "Festhalten", "Record";
    insight_stale: "veraltet", "out of date";
    insight_about: "über", "about";
    insight_from: "von", "from";
    insight_withdraw: "Zurückziehen", "Withdraw";
    insight_withdraw_confirm: "Diese Erkenntnis zurückziehen? Sie bleibt im Änderungsprotokoll.", "Withdraw this insight? It stays in the audit log.";
    insight_edit_title: "Erkenntnis bearbeiten", "Edit insight";
    // The guiding questions (Leitfragen) and the supplier side.
    guiding_title: "Leitfragen", "Guiding questions";
    guiding_partner_title: "Leitfragen zum Partner", "Guiding questions about the partner";
    guiding_supplier_title: "Leitfragen zum Lieferanten", "Guiding questions about the supplier";
    guiding_partner_intro: "Eine Organisationseinheit von uns beantwortet die Leitfragen über diesen Partner. Wo die Daten antworten können, ist ein Vorschlag mit seinen Belegen vorausgewählt: Bestätigen oder korrigieren Sie ihn. Jede Antwort wird mit Datum gespeichert, frühere bleiben erhalten.", "A unit of ours answers the guiding questions about this partner. Where the data can answer, a suggestion with its evidence is preselected: confirm or correct it. Every answer is stored with its date; earlier ones are kept.";
    guiding_supplier_intro: "Wie betreut dieser Lieferant uns? Eine Organisationseinheit von uns beantwortet die Fragen; wo die Daten antworten können, ist ein Vorschlag mit seinen Belegen vorausgewählt. Jede Bewertung wird mit Datum gespeichert, frühere bleiben erhalten.", "How does this supplier look after us? A unit of ours answers the questions; where the data can answer, a suggestion with its evidence is preselected. Every assessment is stored with its date; earlier ones are kept.";
    guiding_unit: "Antwortende Organisationseinheit", "Answering unit";
    guiding_unit_hint: "Vorgeschlagen ist die verantwortliche Einheit des Accounts.", "The account's responsible unit is proposed.";
    q_counterpart: "Haben Sie einen Key Account Manager oder ein Gegenüber für diesen Partner?", "Is there a key account manager or counterpart for this partner?";
    q_counterpart_short: "Key Account Manager / Gegenüber", "Key account manager / counterpart";
    q_hierarchy: "Ist die Verantwortung „Chef zu Chef“ und „Mitarbeiter zu Mitarbeiter“ organisiert – statt direkt auf eine Person delegiert?", "Is responsibility organised boss to boss and staff to staff, rather than delegated to one person?";
    q_hierarchy_short: "Chef zu Chef", "Boss to boss";
    q_responsible: "Fühlt sich für diesen Partner jemand zuständig?", "Does someone feel responsible for this partner?";
    q_responsible_short: "Zuständigkeit", "Responsibility";
    q_exchange: "Tauschen die Personen Ihrer Organisationseinheit, die Kontakt zu diesem Partner haben, ihre Informationen untereinander aus?", "Do the people of your unit who have contact with this partner exchange their information among themselves?";
    q_exchange_short: "Informationsaustausch", "Information exchange";
    q_exchange_hint: "Wie? Zum Beispiel im Kunden-Jour-Fixe, in der Teamrunde, in dieser Datenbank.", "How? For example in a customer jour fixe, a team meeting, this database.";
    q_direct_contact: "Hat Ihr Lieferant einen direkten Ansprechpartner für Sie?", "Does your supplier have a direct contact for you?";
    q_direct_contact_short: "Direkter Ansprechpartner", "Direct contact";
    q_understood: "Fühlen Sie sich von ihm verstanden?", "Do you feel understood by them?";
    q_understood_short: "Verstanden", "Understood";
    q_advocacy: "Setzt er sich für Sie in seinem Unternehmen ein?", "Do they stand up for you in their company?";
    q_advocacy_short: "Setzt sich ein", "Stands up for us";
    q_advantage: "Bietet er Ihnen einen erlebbaren Vorteil?", "Do they offer you a tangible advantage?";
    q_advantage_short: "Erlebbarer Vorteil", "Tangible advantage";
    answer_yes: "Ja", "Yes";
    answer_partly: "Teilweise", "Partly";
    answer_no: "Nein", "No";
    guiding_answer: "Antwort", "Answer";
    guiding_suggested: "Vorschlag aus den Daten", "Suggested by the data";
    guiding_no_suggestion: "Kein Vorschlag: Die Daten können diese Frage nicht beantworten.", "No suggestion: the data cannot answer this question.";
    guiding_corrected: "korrigiert", "corrected";
    guiding_suggested_short: "Vorschlag", "suggested";
    guiding_save: "Antworten speichern", "Save answers";
    guiding_history: "Bisherige Antworten", "Answers so far";
    guiding_history_empty: "Noch keine Antworten.", "No answers yet.";
    guiding_score: "Erfüllt", "Score";
    guiding_score_hint: "Anteil der bestmöglichen Antworten: Ja zählt voll, teilweise halb.", "Share of the best possible answers: yes counts fully, partly half.";
    guiding_answered_on: "Beantwortet am", "Answered on";
    guiding_by: "von", "by";
    guiding_answer_partner: "Leitfragen beantworten", "Answer the guiding questions";
    guiding_answer_supplier: "Lieferanten bewerten", "Assess the supplier";
    guiding_latest: "Zuletzt beantwortet", "Last answered";
    guiding_none_yet: "Noch nicht beantwortet.", "Not answered yet.";
    guiding_previous: "vorher", "before";
    guiding_unit_title: "Leitfragen der Organisationseinheit", "Guiding questions of the unit";
    guiding_unit_intro: "Wie beantwortet diese Einheit die Leitfragen über ihre Partner – heute und im Verlauf? Aufgeführt sind die Partner, für die sie verantwortlich ist oder über die sie geantwortet hat.", "How does this unit answer the guiding questions about its partners, today and over time? Listed are the partners it is responsible for or has answered about.";
    guiding_unit_empty: "Diese Einheit ist für keinen Partner verantwortlich und hat noch keine Leitfragen beantwortet.", "This unit is responsible for no partner and has not answered any guiding questions yet.";
    guiding_compare: "Partner im Vergleich", "Partners compared";
    guiding_trend: "Verlauf", "Trend";
    guiding_partner: "Partner", "Partner";
    reverse_title: "Wie der Lieferant uns spiegelt", "How the supplier mirrors us";
    reverse_intro: "Hat der Lieferant für unsere Leute ein Gegenüber auf gleicher Ebene? Dieselbe Analyse wie die Spiegelung, von der anderen Seite gesehen: unsere Leute in dieser Beziehung und in der verantwortlichen Einheit, ihre Gegenüber beim Lieferanten.", "Does the supplier have a counterpart on the same level for our people? The same analysis as the mirror, seen from the other side: our people in this relationship and in the responsible unit, their counterparts at the supplier.";
    reverse_ours: "Unsere Person", "Our person";
    reverse_theirs: "Gegenüber beim Lieferanten", "Counterpart at the supplier";
    reverse_nobody: "niemand", "nobody";
    reverse_empty: "Noch niemand von uns in dieser Beziehung.", "Nobody of ours in this relationship yet.";
    reverse_same_level: "gleiche Ebene", "same level";
    col_supplier_assessment: "Lieferant", "Supplier";
    col_supplier_assessment_hint: "Letzte Bewertung des Lieferanten (Leitfragen), Erfüllt 0–100", "Latest assessment of the supplier (guiding questions), score 0–100";
    entity_guiding_answers: "Leitfragen-Antworten", "Answers to the guiding questions";
    entity_access_report: "Auskunft (Art. 15 DSGVO)", "Access report (Art. 15 GDPR)";

    nav_privacy: "Datenschutz", "Data protection";
    privacy_title: "Datenschutz", "Data protection";
    privacy_access_title: "Auskunft zu einer Person (Art. 15 DSGVO)", "Access request for a person (Art. 15 GDPR)";
    privacy_access_intro: "Suchen Sie die Person – aus unserem Haus oder bei einem Partner, auch deaktiviert – und erstellen Sie die Auskunft: alles, was Counterpart über sie speichert, als druckbare Seite und als JSON-Datei. Jede Auskunft wird im Änderungsprotokoll vermerkt.", "Find the person – of our house or at a partner, deactivated ones too – and produce the report: everything Counterpart stores about them, as a printable page and as a JSON file. Every report is noted in the audit log.";
    privacy_person: "Person", "Person";
    privacy_access_button: "Auskunft erstellen", "Produce the report";
    privacy_records_title: "Verzeichnis der Verarbeitungstätigkeiten (Art. 30 DSGVO)", "Records of processing activities (Art. 30 GDPR)";
    privacy_records_intro: "Erzeugt aus der Tabellenliste des Programms, nach der auch Sicherung und Wiederherstellung arbeiten: jede Tabelle mit Zweck, Aufbewahrung und wer sie sieht. Eine neue Tabelle erscheint hier, sobald es sie gibt.", "Generated from the program's list of tables, which backup and restore follow too: every table with its purpose, retention and who sees it. A new table appears here as soon as it exists.";
    privacy_controller_note: "Verantwortlicher, Empfänger außerhalb des Hauses und Übermittlungen in Drittländer ergänzt Ihre Datenschutzorganisation; Counterpart überträgt nichts an Dritte.", "The controller, recipients outside the house and transfers to third countries are added by your data protection organisation; Counterpart transfers nothing to third parties.";
    col_table: "Tabelle", "Table";
    col_personal_columns: "Bezug zu Personen", "Refers to people by";
    col_retention: "Aufbewahrung", "Retention";
    col_audience: "Wer sieht es", "Who sees it";
    col_backup: "In Sicherungen", "In backups";
    privacy_no_link: "–", "–";
    holds_data: "ja", "yes";
    holds_sessions: "nein (Anmeldedaten)", "no (login data)";
    holds_staging: "nein (Zwischenstand)", "no (staging)";
    holds_schema: "nein (Programm)", "no (program)";
    access_link: "Auskunft (Art. 15)", "Access report (Art. 15)";
    access_title: "Auskunft nach Art. 15 DSGVO", "Access report under Art. 15 GDPR";
    access_intro: "Alles, was Counterpart über diese Person speichert, Tabelle für Tabelle. Passwort-Hashes und Zugangs-Token werden nie ausgegeben; von Sitzungen und geheimen Adressen nur die Daten. Die JSON-Datei enthält dasselbe vollständig, leere Felder eingeschlossen.", "Everything Counterpart stores about this person, table by table. Password hashes and access tokens are never shown; of sessions and secret addresses only the dates. The JSON file holds the same in full, empty fields included.";
    access_produced: "Erstellt", "Produced";
    access_json: "Als JSON herunterladen", "Download as JSON";
    access_none: "Keine Einträge.", "No entries.";
    access_contents: "Inhalt", "Contents";
    entity_erasure: "Löschung (Art. 17 DSGVO)", "Erasure (Art. 17 GDPR)";
    entity_session: "Anmeldungen", "Sessions";
    entity_second_factor: "Zweiter Faktor", "Second factor";
    former_colleague: "Früheres Teammitglied", "former colleague";
    erase_link: "Löschen (Art. 17)", "Erase (Art. 17)";
    erase_title: "Löschung nach Art. 17 DSGVO", "Erasure under Art. 17 GDPR";
    erase_intro: "Die Person wird mit allem gelöscht, was über sie gespeichert ist. Was sie selbst über andere festgehalten hat, bleibt und heißt künftig „Früheres Teammitglied“; ihr Benutzerkonto wird gesperrt und geleert. Wo ein Eintrag bleiben muss (das Änderungsprotokoll), werden Name, E-Mail-Adresse und Telefonnummern ersetzt. Das lässt sich nicht rückgängig machen.", "The person is erased with everything stored about them. What they recorded about others stays and is attributed to “former colleague”; their user account is disabled and cleared. Where a record must stay (the audit log), their name, e-mail address and phone numbers are replaced. This cannot be undone.";
    erase_removed: "Wird gelöscht", "Will be removed";
    erase_changed: "Bleibt, ohne ihren Namen", "Stays, without their name";
    erase_kept: "Bleibt unverändert (einem früheren Teammitglied zugeordnet)", "Stays as it is (attributed to a former colleague)";
    erase_nothing: "Nichts.", "Nothing.";
    erase_blocked: "Diese Person leitet noch eine Jour-fixe-Serie. Übergeben Sie die Leitung zuerst an jemand anderen; dann lässt sie sich löschen.", "This person still convenes a jour-fixe series. Hand it to someone else first; then they can be erased.";
    erase_confirm: "Ich habe geprüft, was gelöscht wird, und will diese Person endgültig löschen", "I have checked what will be removed and want to erase this person for good";
    erase_submit: "Endgültig löschen", "Erase for good";
    erase_done: "Die Person wurde gelöscht. Das Änderungsprotokoll vermerkt die Löschung mit ihrer Nummer.", "The person was erased. The audit log notes the erasure with their number.";
    erase_mentions: "Außerdem werden Erwähnungen ihres Namens, ihrer E-Mail-Adresse und Telefonnummern in anderen Einträgen ersetzt; Dateien, die auf die Bestätigung eines Imports warten, werden verworfen.", "Besides, mentions of their name, e-mail address and phone numbers in other records are replaced; files waiting for an import's confirmation are dropped.";
    retention_title: "Aufbewahrung prüfen", "Retention review";
    retention_intro: "Personen – aus unserem Haus und bei Partnern –, zu denen es seit einigen Jahren keinen Kontakt, keine Änderung, keine Information und keine Anmeldung gab. Prüfen Sie, ob sie noch gebraucht werden, und löschen Sie sie sonst.", "People – of our house and at partners – with no contact, change, insight or login for some years. Check whether they are still needed, and erase them otherwise.";
    retention_years: "Ohne Aktivität seit Jahren", "Without activity for years";
    retention_show: "Liste zeigen", "Show the list";
    retention_none: "Niemand ist so lange ohne Aktivität.", "Nobody has been inactive that long.";
    col_last_activity: "Letzte Aktivität", "Last activity";
    col_choose: "Auswählen", "Choose";
    retention_erase: "Ausgewählte löschen …", "Erase the chosen …";
    retention_confirm_title: "Diese Personen endgültig löschen?", "Erase these people for good?";
    retention_confirm_intro: "Jede Person wird für sich gelöscht, wie bei der einzelnen Löschung, mit einem eigenen Eintrag im Änderungsprotokoll. Wer inzwischen wieder aktiv war, bleibt.", "Each person is erased on their own, as in a single erasure, with an entry of their own in the audit log. Anyone active again meanwhile is kept.";
    retention_confirm: "Ich habe die Liste geprüft und will diese Personen endgültig löschen", "I have checked the list and want to erase these people for good";
    retention_done: "Gelöscht", "Erased";
    retention_skipped: "behalten (inzwischen aktiv, schon gelöscht oder Leitung einer Serie)", "kept (active meanwhile, erased already, or convening a series)";
    retention_at_most: "Höchstens 200 Personen auf einmal.", "At most 200 people at once.";
    field_confirm: "Bestätigung", "Confirmation";
    field_years: "Jahre", "Years";
    refused_erases_oneself: "Das geht nicht: Ihre eigene Person können Sie nicht löschen. Bitten Sie eine andere Administratorin oder einen anderen Administrator.", "Not possible: you cannot erase your own person. Ask another administrator.";
    field_learned_on: "Erfahren am", "Learned on";
    field_valid_until: "Gilt bis", "Valid until";
    field_certainty: "Sicherheit", "Certainty";
    entity_insight: "Erkenntnis", "Insight";
    merge_title: "Doppelten Eintrag zusammenführen", "Merge a double record";
    merge_menu: "Doppelten Eintrag zusammenführen …", "Merge a double record …";
    merge_intro: "Wählen Sie den zweiten Eintrag desselben Menschen (aus derselben Organisation). Er wird in diesen übernommen: leere Angaben hier bekommen seine Werte, seine Positionen, Schlüsselkontakt-Rollen, Gegenüber mit ihren Bewertungen, Sperren und die Personen, die an ihn berichten, kommen hierher; wo beide dieselbe Rolle hatten, bleibt diese. Danach gibt es den zweiten Eintrag nicht mehr. Das Änderungsprotokoll hält beides fest.", "Choose the second record of the same human (from the same organization). It is merged into this one: empty details here take its values; its positions, key-contact roles, counterparts with their ratings, locks and the people reporting to it come here; where both held the same role, this one's stays. Afterwards the second record is gone. The audit log records both.";
    merge_other: "Der doppelte Eintrag", "The double record";
    merge_submit: "Zusammenführen", "Merge";
    merged: "Zusammengeführt: Der doppelte Eintrag ist in diesem aufgegangen.", "Merged: the double record is now part of this one.";
    home_next: "Was als Nächstes zu tun ist", "What to do next";
    home_all_well: "Jede Schlüsselperson hat ein Gegenüber, und jede Spiegelung steht. Nichts zu tun.", "Every key person has a counterpart and every mirror holds. Nothing to do.";
    home_gaps_in: "ohne Gegenüber bei uns, in", "without a counterpart of ours, in";
    home_gaps_hint: "in der KAM-Matrix rot umrandet", "outlined in red in the KAM matrix";
    home_weak_mirrors: "mit einem Spiegel-Score unter 80: die Vorschläge zeigen, wer bei uns auf derselben Ebene übernehmen kann", "with a mirror score below 80: the suggestions show who of ours at the same level can take over";
    home_mine: "Ihre Gegenüber", "Your counterparts";
    home_mine_count: "Sie sind Gegenüber für", "You are the counterpart of";
    home_attention: "Wichtige Accounts, die Aufmerksamkeit brauchen", "Important accounts that need attention";
    home_next_step: "Nächster Schritt", "Next step";
    home_suggest: "Vorschläge", "Suggestions";
    kept_title: "Ohne besseres Gegenüber", "No better counterpart";
    kept_hint: "Diese Schlüsselpersonen behalten ihr Gegenüber, obwohl es nicht auf ihrer Ebene ist – und warum.", "These key people keep their counterpart although it is not at their level – and why.";
    kept_with: "bleibt bei", "stays with";
    kept_one_level: "1 Ebene Abstand; einen Wechsel schlägt Counterpart ab 2 Ebenen vor", "1 level apart; Counterpart proposes a change from 2 levels on";
    chart_numbers: "Die Zahlen als Tabelle", "The numbers as a table";
    col_quadrant: "Quadrant", "Quadrant";
    field_active: "Aktiv", "Active";
    field_user: "Benutzer", "User";
    field_criterion: "Kriterium", "Criterion";
    field_score: "Bewertung", "Score";
    field_rated_by: "Bewertet von", "Rated by";
    field_rank: "Rang", "Rank";
    field_organization: "Organisation", "Organization";
    audit_deleted: "gelöscht", "deleted";
    more_actions: "Weitere Aktionen", "More actions";
    export_as: "Exportieren als", "Export as";
    export_as_csv: "als CSV", "as CSV";
    make_account: "Als Account anlegen", "Make it an account";
    import_offer_account: "Die Personen sind da. Soll die Organisation ein Account werden, mit Schlüsselkontakten und Gegenübern?", "The people are in. Shall the organization become an account, with key contacts and counterparts?";
    import_skipped_rows: "Übersprungene Zeilen", "Rows skipped";
    import_restore_rows: "Alle wieder aufnehmen", "Take them all back";
    import_problem_rows: "Zeilen mit Problemen", "Rows with problems";
    import_problem_rows_hint: "Korrigieren Sie die markierten Zellen hier oder lassen Sie eine Zeile aus; die Datei selbst bleibt unverändert. Importiert wird danach alles Übrige – oder nichts.", "Correct the marked cells here or leave a row out; the file itself stays as it is. Then everything else is imported – or nothing.";
    import_skip: "Auslassen", "Leave out";
    import_apply_fixes: "Korrekturen übernehmen", "Apply corrections";
    import_fix_refused: "Die Korrekturen wurden nicht übernommen:", "The corrections were not applied:";
    import_header_row: "Die Kopfzeile steht in Zeile", "The header is in row";
    import_header_row_hint: "Die Zeilen darüber (Titel, Datum) werden nicht gelesen.", "The rows above it (title, date) are not read.";
    import_ignored_title: "Diese Spalten werden nicht übernommen", "These columns are not imported";
    import_ignored_hint: "Enthält eine davon eine der bekannten Angaben (etwa die E-Mail der oder des Vorgesetzten), ordnen Sie sie unten zu.", "If one of them holds one of the known kinds of data (such as the manager's e-mail), map it below.";
    import_not_used: "wird nicht übernommen", "not imported";
    zoom: "Zoom", "Zoom";
    zoom_fit: "Einpassen", "Fit to width";
    zoom_in: "Vergrößern", "Zoom in";
    zoom_out: "Verkleinern", "Zoom out";
    zoom_actual: "Originalgröße", "Actual size";
    zoom_hint: "Verschieben: ziehen mit der Maus, mit dem Finger oder mit den Pfeiltasten.", "Pan: drag with the mouse or a finger, or use the arrow keys.";
    view_full: "Ausführlich", "Full";
    view_compact: "Kompakt", "Compact";
    menu: "Menü", "Menu";
    nav_own_password: "Passwort ändern", "Change password";
    users_title: "Benutzer", "Users";
    users_intro: "Wer sich anmelden darf, was er darf – und welche Person des eigenen Hauses er ist. Die Verknüpfung mit der Person entscheidet später, welche vertraulichen Einträge jemand sieht.", "Who may log in, what they may do – and which person of our own house they are. The link to the person will decide which confidential records someone sees.";
    users_search: "Benutzer suchen", "Search users";
    users_search_hint: "Benutzername, Name oder E-Mail-Adresse", "Username, name or e-mail address";
    users_none_found: "Kein Benutzer passt zu dieser Suche.", "No user matches this search.";
    new_user: "Neuer Benutzer", "New user";
    field_display_name: "Angezeigter Name", "Display name";
    field_display_name_hint: "So erscheint der Benutzer in der Oberfläche und im Änderungsprotokoll.", "How the user appears in the interface and the audit log.";
    field_user_email_hint: "Damit lässt sich der Benutzer mit seiner Person im eigenen Haus verknüpfen.", "Lets the user be linked to their person in our own house.";
    field_user_role: "Rolle", "Role";
    field_user_person: "Person im eigenen Haus", "Person in our own house";
    user_no_person: "Keine Person verknüpft", "No person linked";
    field_first_password: "Erstes Passwort", "First password";
    first_password_hint: "Mindestens 10 Zeichen. Leer lassen, dann erzeugt Counterpart eines und zeigt es einmal an.", "At least 10 characters. Leave empty and Counterpart makes one up and shows it once.";
    username_hint: "3–40 Zeichen: a–z, 0–9, Punkt, Unterstrich, Bindestrich.", "3–40 characters: a–z, 0–9, dot, underscore, hyphen.";
    col_username: "Benutzername", "Username";
    col_role: "Rolle", "Role";
    col_person: "Person", "Person";
    col_last_login: "Letzte Anmeldung", "Last login";
    col_status: "Status", "Status";
    never_logged_in: "noch nie", "never";
    user_active: "aktiv", "active";
    user_disabled: "gesperrt", "disabled";
    disable_user: "Benutzer sperren", "Disable user";
    enable_user: "Benutzer entsperren", "Enable user";
    disable_user_hint: "Ein gesperrter Benutzer kann sich nicht anmelden; seine Sitzungen enden sofort.", "A disabled user cannot log in; their sessions end at once.";
    reset_password: "Passwort zurücksetzen", "Reset password";
    field_new_password: "Neues Passwort", "New password";
    reset_password_hint: "Mindestens 10 Zeichen – oder lassen Sie Counterpart eines erzeugen. Alle Sitzungen des Benutzers enden.", "At least 10 characters – or let Counterpart make one up. All of the user's sessions end.";
    set_password: "Dieses Passwort setzen", "Set this password";
    generate_password: "Passwort erzeugen", "Generate a password";
    password_shown_once: "Das Passwort wird nur jetzt angezeigt. Geben Sie es auf sicherem Weg weiter; der Benutzer ändert es nach der Anmeldung unter „Passwort ändern“.", "The password is shown only now. Hand it over safely; the user changes it after logging in under “Change password”.";
    user_created: "Benutzer angelegt.", "User created.";
    password_was_reset: "Passwort zurückgesetzt; die Sitzungen des Benutzers sind beendet.", "Password reset; the user's sessions have ended.";
    link_by_email_title: "Per E-Mail-Adresse verknüpfen", "Link by e-mail address";
    link_by_email_intro: "Benutzer ohne Person, deren E-Mail-Adresse genau einer aktiven Person des eigenen Hauses gehört, werden mit ihr verknüpft – auf einmal, für Tausende.", "Users without a person whose e-mail address belongs to exactly one active person of our own house are linked to them – at once, for thousands.";
    link_by_email_none: "Zurzeit lässt sich niemand per E-Mail-Adresse verknüpfen.", "Nobody can be linked by e-mail address right now.";
    link_by_email_preview: "Vorschau", "Preview";
    own_password_title: "Passwort ändern", "Change password";
    own_password_intro: "Mindestens 10 Zeichen. Ihre anderen Sitzungen werden beendet; diese hier bleibt.", "At least 10 characters. Your other sessions end; this one stays.";
    field_current_password: "Bisheriges Passwort", "Current password";
    field_password_repeat: "Neues Passwort wiederholen", "Repeat the new password";
    own_password_changed: "Ihr Passwort ist geändert. Ihre anderen Sitzungen sind beendet.", "Your password has been changed. Your other sessions have ended.";
    password_throttled: "Zu viele falsche Passwörter. Der nächste Versuch ist möglich in", "Too many wrong passwords. The next attempt is possible in";
    refused_last_admin: "Das geht nicht: Danach gäbe es keinen aktiven Administrator mehr. Ernennen Sie zuerst einen anderen.", "Not possible: afterwards there would be no active administrator. Appoint another one first.";
    refused_backup_sqlite: "Die Online-Sicherung ist für SQLite; sichern Sie PostgreSQL mit pg_dump.", "Online backup is for SQLite; back up PostgreSQL with pg_dump.";

    briefing_trend: "Verlauf", "Trend";
    briefing_open_questions: "Offene Fragen", "Open questions";
    briefing_open_hint: "Was wir seit einem halben Jahr nicht erfahren haben – fragen Sie im Gespräch danach.", "What we have not learned in half a year – ask about it in the meeting.";
    question_needs: "Was braucht die Person gerade, was steht bei ihr an?", "What does the person need right now, what is coming up for them?";
    question_satisfaction: "Wie zufrieden ist sie mit uns – und was hat sich daran geändert?", "How satisfied are they with us – and what has changed?";
    question_future_ideas: "Welche Pläne und Ideen hat sie für die nächsten Jahre?", "What plans and ideas do they have for the coming years?";
    question_developments: "Was entwickelt sich gerade bei ihr und in ihrem Haus?", "What is developing for them and in their organization right now?";
    question_environment: "Was bewegt ihr Umfeld – Markt, Wettbewerb, Kollegen?", "What moves their environment – market, competitors, colleagues?";
    briefing_changes: "Was sich getan hat", "What has changed";
    briefing_changes_since: "seit", "since";
    briefing_no_changes: "Keine neuen Bewertungen und keine neuen oder beendeten Gegenüber in diesem Zeitraum.", "No new ratings and no counterparts begun or ended in this period.";
    digest_title: "Digest", "Digest";
    digest_intro: "Was sich auf den Accounts der Einheit und der Einheiten darunter getan hat – aufbereitet für alle, die dort Kundenkontakt haben.", "What happened on the accounts of the unit and the units below it – prepared for everyone there who meets customers.";
    digest_since: "Seit", "Since";
    digest_show: "Anzeigen", "Show";
    digest_learned: "Was wir erfahren haben", "What we learned";
    digest_ratings: "Bewertungen", "Ratings";
    digest_pairs: "Gegenüber neu oder beendet", "Counterparts begun or ended";
    digest_pair_began: "begonnen", "began";
    digest_pair_ended: "beendet", "ended";
    digest_due: "Kontakte fällig", "Contacts due";
    digest_attention: "Accounts mit Lücken oder schwachem Spiegel", "Accounts with gaps or a weak mirror";
    digest_findings: "Neue Befunde im Spiegel", "New findings in the mirror";
    digest_finding_seen: "erstmals gesehen", "first seen";
    finding_kind_uncovered: "Ohne Gegenüber bei uns", "No counterpart of ours";
    finding_kind_theirs_above: "Unser Gegenüber steht tiefer", "Our counterpart ranks lower";
    finding_kind_ours_above: "Unser Gegenüber steht höher", "Our counterpart ranks higher";
    finding_kind_assistant_unpaired: "Ihr Sekretariat ohne unser Sekretariat", "Their assistant without ours";
    finding_kind_assistant_reversed: "Unser Sekretariat betreut eine Führungskraft", "Our assistant serves a manager";
    finding_kind_bow_tie: "Eine Person hält fast alle Fäden", "One person holds most threads";
    finding_kind_nobody_responsible: "Niemand verantwortlich", "Nobody responsible";
    finding_kind_over_capacity: "Über der Kapazität", "Over capacity";
    finding_kind_stale: "Kontakt überfällig", "Contact overdue";
    finding_kind_no_jour_fixe: "Kein Jour fixe", "No jour fixe";
    finding_kind_overdue_actions: "Aufgaben überfällig", "Actions overdue";
    digest_quiet: "Nichts Neues in diesem Zeitraum, nichts fällig.", "Nothing new in this period, nothing due.";
    digest_none: "Nichts in diesem Zeitraum.", "Nothing in this period.";
    digest_feed_title: "Als Feed abonnieren", "Subscribe as a feed";
    digest_feed_intro: "Eine geheime Adresse für Ihren Feed-Reader (Atom) mit dem Digest der letzten sieben Tage, so wie Sie ihn lesen dürfen. Wer die Adresse kennt, liest mit – widerrufen Sie sie, wenn sie in falsche Hände gerät.", "A secret address for your feed reader (Atom) with the last seven days' digest, as you may read it. Whoever knows the address reads along – revoke it if it falls into the wrong hands.";
    digest_feed_create: "Feed-Adresse erzeugen", "Make a feed address";
    digest_feed_new: "Ihre neue Feed-Adresse – sie wird nur jetzt angezeigt:", "Your new feed address – it is shown only now:";
    digest_feed_made: "erzeugt", "made";
    digest_feed_used: "zuletzt abgerufen", "last read";
    digest_feed_never_used: "noch nie abgerufen", "never read";
    digest_feed_revoked: "widerrufen", "revoked";
    digest_feed_revoke: "Widerrufen", "Revoke";
    digest_link: "Digest der Einheit", "The unit's digest";
    my_day_title: "Mein Tag", "My day";
    my_day_hello: "Was heute für Sie ansteht – als Gegenüber Ihrer Kontakte und für Ihre Einheit.", "What is on today for you – as the counterpart of your contacts and for your unit.";
    my_day_overview: "Zur Übersicht des Portfolios", "To the portfolio overview";
    my_day_next: "Als Nächstes", "Next";
    my_day_all_well: "Alles im Plan: kein Kontakt fällig, nichts Neues zu lesen.", "All on track: no contact due, nothing new to read.";
    my_day_overdue: "überfällig – melden Sie sich zuerst dort.", "overdue – get in touch there first.";
    my_day_due: "fällig in diesen Tagen.", "due these days.";
    my_day_fell: "mit gesunkener Zufriedenheit – fragen Sie nach, was sich geändert hat.", "with falling satisfaction – ask what has changed.";
    my_day_read: "von Kolleginnen und Kollegen zu Ihren Kontakten – lesen Sie vor dem nächsten Gespräch.", "from colleagues on your contacts – read before your next meeting.";
    my_day_unit_gaps: "in den Accounts Ihrer Einheit ohne Gegenüber.", "in your unit's accounts without a counterpart.";
    my_day_pairs: "Meine Gegenüber", "My counterparts";
    my_day_all_pairs: "alle auf Ihrer Seite", "all on your page";
    my_day_no_pairs: "Sie sind noch niemandes Gegenüber. Öffnen Sie einen Account und ordnen Sie sich einer Schlüsselperson auf Ihrer Ebene zu – oder lassen Sie sich Vorschläge machen.", "You are nobody's counterpart yet. Open an account and assign yourself to a key person at your level – or ask for suggestions.";
    my_day_log_contact: "Kontakt erfassen", "Log a contact";
    my_day_new: "Neu seit Ihrem letzten Besuch", "New since your last visit";
    my_day_new_first: "Neu in den letzten 14 Tagen", "New in the last 14 days";
    my_day_since: "seit", "since";
    my_day_nothing_new: "Nichts Neues zu Ihren Kontakten. Was Sie selbst erfahren, erfassen Sie auf der Seite der Person.", "Nothing new on your contacts. What you learn yourself you record on the person's page.";
    my_day_fell_title: "Zufriedenheit gesunken", "Satisfaction fell";
    my_day_fell_order: "die stärksten Rückgänge stehen oben", "the largest drops are listed first";
    my_day_unit: "Meine Einheit", "My unit";
    my_day_unit_all_well: "Alle Accounts Ihrer Einheit haben Gegenüber und einen guten Spiegel.", "All of your unit's accounts have counterparts and a good mirror.";
    my_day_no_unit: "Ihre Person gehört zu keiner Einheit; ordnen Sie sie im Organigramm zu, dann zeigt „Mein Tag“ die Accounts Ihrer Einheit.", "Your person belongs to no unit; assign it in the org chart, then “My day” shows your unit's accounts.";
    my_day_unit_mirror: "Spiegel der Einheit", "The unit's mirror";
    my_day_unlinked: "Ihr Benutzer ist mit keiner Person des eigenen Hauses verknüpft. Bitten Sie Ihre Administration, ihn unter „Benutzer“ zu verknüpfen – dann zeigt Counterpart hier „Mein Tag“: Ihre Gegenüber, was fällig ist und was Kollegen Neues erfahren haben.", "Your user is not linked to a person of our own house. Ask your administrator to link it under “Users” – then Counterpart shows “My day” here: your counterparts, what is due and what colleagues learned.";
    nav_my_day: "Mein Tag", "My day";
    contact_in_time: "Kontakt im Plan", "Contact on track";
    contact_due: "Kontakt fällig", "Contact due";
    contact_overdue: "Kontakt überfällig", "Contact overdue";
    contact_section: "Kontakt", "Contact";
    contact_due_short: "fällig", "due";
    contact_overdue_short: "überfällig", "overdue";
    contact_expected: "Erwartet alle", "Expected every";
    contact_default: "Standard nach Ebene und Stufe", "default by level and tier";
    contact_own: "für dieses Paar festgelegt", "set for this pair";
    last_contact: "Letzter Kontakt", "Last contact";
    never_in_contact: "noch nie", "never";
    contact_due_on: "Fällig ab", "Due from";
    field_contact_every_days: "Kontaktintervall in Tagen", "Contact interval in days";
    contact_interval_hint: "Leer lassen für den Standard nach Ebene der Person und Stufe des Accounts. Ein geloggter Kontakt oder eine Bewertung zählt als Kontakt.", "Leave empty for the default by the person's level and the account's tier. A logged contact or a rating counts as a contact.";
    save_interval: "Intervall speichern", "Save interval";
}

/// The texts of a language.
pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// 27.11.2026 (de) or 27 Nov 2026 (en).
pub fn format_date(lang: Language, d: NaiveDate) -> String {
    match lang {
        Language::De => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
        Language::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[d.month0() as usize],
            d.year()
        ),
    }
}

/// 27.11.2026, 05:20 UTC (de) or 27 Nov 2026, 05:20 UTC (en).
pub fn format_datetime(lang: Language, tz: Tz, t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&tz);
    format!(
        "{}, {:02}:{:02} {}",
        format_date(lang, local.date_naive()),
        local.hour(),
        local.minute(),
        local.format("%Z")
    )
}

/// "Since your last login, someone tried your name 3 times without success, the last time on
/// …".
pub fn failed_logins(
    lang: Language,
    tz: Tz,
    failed: i64,
    last_at: Option<DateTime<Utc>>,
) -> String {
    let last = last_at.map(|t| format_datetime(lang, tz, t));
    match (lang, failed == 1, last) {
        (Language::De, true, Some(at)) => format!(
            "Seit Ihrer letzten Anmeldung gab es 1 fehlgeschlagenen Anmeldeversuch mit Ihrem \
             Benutzernamen, am {at}."
        ),
        (Language::De, false, Some(at)) => format!(
            "Seit Ihrer letzten Anmeldung gab es {failed} fehlgeschlagene Anmeldeversuche mit \
             Ihrem Benutzernamen, zuletzt am {at}."
        ),
        (Language::De, true, None) => "Seit Ihrer letzten Anmeldung gab es 1 fehlgeschlagenen \
             Anmeldeversuch mit Ihrem Benutzernamen."
            .to_owned(),
        (Language::De, false, None) => format!(
            "Seit Ihrer letzten Anmeldung gab es {failed} fehlgeschlagene Anmeldeversuche mit \
             Ihrem Benutzernamen."
        ),
        (Language::En, true, Some(at)) => format!(
            "Since your last login there was 1 failed attempt to log in with your username, \
             on {at}."
        ),
        (Language::En, false, Some(at)) => format!(
            "Since your last login there were {failed} failed attempts to log in with your \
             username, the last on {at}."
        ),
        (Language::En, true, None) => {
            "Since your last login there was 1 failed attempt to log in with your username."
                .to_owned()
        }
        (Language::En, false, None) => format!(
            "Since your last login there were {failed} failed attempts to log in with your \
             username."
        ),
    }
}

/// "3 Treffer", "1 match", "mehr als 20 Treffer – bitte genauer suchen".
pub fn matches(lang: Language, n: usize, shown: usize) -> String {
    match (lang, n) {
        (Language::De, 0) => "Keine Treffer.".to_owned(),
        (Language::En, 0) => "No matches.".to_owned(),
        (Language::De, n) if n >= shown => {
            format!("Die ersten {shown} Treffer – für andere bitte genauer suchen.")
        }
        (Language::En, n) if n >= shown => {
            format!("The first {shown} matches – search more precisely for others.")
        }
        (Language::De, n) => format!("{n} Treffer."),
        (Language::En, 1) => "1 match.".to_owned(),
        (Language::En, n) => format!("{n} matches."),
    }
}

/// "1 Benutzer", "12 users".
pub fn users(lang: Language, n: u64) -> String {
    match (lang, n) {
        (Language::De, n) => format!("{n} Benutzer"),
        (Language::En, 1) => "1 user".to_owned(),
        (Language::En, n) => format!("{n} users"),
    }
}

/// The button that links users by e-mail: "3 Benutzer verknüpfen", "Link 1 user".
pub fn link_users(lang: Language, n: usize) -> String {
    match lang {
        Language::De => format!("{} verknüpfen", users(lang, n as u64)),
        Language::En => format!("Link {}", users(lang, n as u64)),
    }
}

/// After linking: "2 Benutzer verknüpft.", "Linked 1 user.".
pub fn users_linked(lang: Language, n: usize) -> String {
    match lang {
        Language::De => format!("{} verknüpft.", users(lang, n as u64)),
        Language::En => format!("Linked {}.", users(lang, n as u64)),
    }
}

/// A wait as words: "12 Sekunden", "1 Minute", "15 minutes" (rounded up).
pub fn wait(lang: Language, wait: chrono::Duration) -> String {
    let seconds = wait.num_seconds().max(1);
    let (n, de_one, de_many, en) = if seconds < 60 {
        (seconds, "Sekunde", "Sekunden", "second")
    } else {
        ((seconds + 59) / 60, "Minute", "Minuten", "minute")
    };
    match lang {
        Language::De => format!("{n} {}", if n == 1 { de_one } else { de_many }),
        Language::En => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
    }
}

/// A field problem as a sentence.
pub fn problem(lang: Language, problem: &Problem) -> String {
    let de = lang == Language::De;
    match problem {
        Problem::Required => pick(de, "Bitte ausfüllen.", "Please fill this in."),
        Problem::TooLong { max } => {
            if de {
                format!("Höchstens {max} Zeichen.")
            } else {
                format!("At most {max} characters.")
            }
        }
        Problem::TooShort { min } => {
            if de {
                format!("Mindestens {min} Zeichen.")
            } else {
                format!("At least {min} characters.")
            }
        }
        Problem::InvalidEmail => pick(
            de,
            "Keine gültige E-Mail-Adresse (Beispiel: name@firma.de).",
            "Not a valid e-mail address (example: name@company.com).",
        ),
        Problem::InvalidPhone => pick(
            de,
            "Keine gültige Telefonnummer: 3–20 Ziffern, dazu + ( ) / - . und Leerzeichen.",
            "Not a valid phone number: 3–20 digits, plus + ( ) / - . and spaces.",
        ),
        Problem::UnknownChoice => pick(
            de,
            "Bitte einen der angebotenen Werte wählen.",
            "Please choose one of the offered values.",
        ),
        Problem::InvalidDate => pick(
            de,
            "Kein gültiges Datum (TT.MM.JJJJ).",
            "Not a valid date (YYYY-MM-DD).",
        ),
        Problem::OutOfRange { min, max } => {
            if de {
                format!("Erlaubt sind Werte von {min} bis {max}.")
            } else {
                format!("Allowed are values from {min} to {max}.")
            }
        }
        Problem::Cycle => pick(
            de,
            "Das ergäbe einen Kreis in der Hierarchie: Der Eintrag stünde über sich selbst.",
            "This would make a loop in the hierarchy: the entry would end up above itself.",
        ),
        Problem::SelfReference => pick(
            de,
            "Ein Eintrag kann nicht auf sich selbst verweisen.",
            "An entry cannot point to itself.",
        ),
        Problem::OtherOrganization => pick(
            de,
            "Gehört zu einer anderen Organisation.",
            "Belongs to another organization.",
        ),
        Problem::NotFound => pick(
            de,
            "Nicht (mehr) vorhanden – bitte neu auswählen.",
            "Does not exist (any more) – please choose again.",
        ),
        Problem::Taken => pick(de, "Bereits vergeben.", "Already taken."),
        Problem::EndBeforeStart => pick(
            de,
            "Das Datum muss nach dem Beginn der aktuellen Position liegen.",
            "The date must lie after the start of the current position.",
        ),
        Problem::WrongPassword => pick(
            de,
            "Das bisherige Passwort stimmt nicht.",
            "The current password is wrong.",
        ),
        Problem::WrongCode => pick(
            de,
            "Der Code stimmt nicht oder wurde schon benutzt – bitte den aktuellen Code aus der App eingeben.",
            "The code is wrong or was used already – please type the current code from the app.",
        ),
        Problem::Mismatch => pick(
            de,
            "Die Wiederholung weicht ab – bitte beide Male gleich eingeben.",
            "The repetition differs – please type the same both times.",
        ),
        Problem::NotOwnOrganization => pick(
            de,
            "Bitte eine Person des eigenen Hauses wählen.",
            "Please choose a person of our own house.",
        ),
        Problem::PartnerUnitRequired => pick(
            de,
            "Ist die Partnerorganisation das eigene Haus, bitte die Nachbarabteilung als Partnereinheit wählen.",
            "When the partner organization is our own house, please choose the neighbouring department as the partner unit.",
        ),
        Problem::OutsidePartnerUnit => pick(
            de,
            "Gehört nicht zur Partnereinheit dieses Accounts (der Nachbarabteilung) – bitte eine Person aus ihr wählen.",
            "Not in this account's partner unit (the neighbouring department) – please choose a person from it.",
        ),
        Problem::InsidePartnerUnit => pick(
            de,
            "Gehört selbst zur Partnerabteilung (oder ist die Person selbst): Das Gegenüber muss aus einer anderen Einheit des eigenen Hauses kommen.",
            "Belongs to the partner department itself (or is the person themselves): the counterpart must come from another unit of our house.",
        ),
        Problem::InvalidRecurrence => pick(
            de,
            "Keine Wiederholung, die ein Kalender versteht (eine iCalendar-RRULE wie FREQ=MONTHLY;BYDAY=1TU), oder eine, die öfter als täglich wiederholt.",
            "Not a recurrence a calendar understands (an iCalendar RRULE such as FREQ=MONTHLY;BYDAY=1TU), or one that repeats more often than daily.",
        ),
        Problem::RestrictedNeedsUnit => pick(
            de,
            "Ein eingeschränkter Account braucht eine verantwortliche Einheit: Nur diese und die Einheiten darüber sehen ihn.",
            "A restricted account needs a responsible unit: only that unit and the units above it see the account.",
        ),
        Problem::RestrictedBeyondOwnUnit => pick(
            de,
            "So eingeschränkt wäre der Account für Sie verborgen: Bitte Ihre Einheit oder eine darunter als verantwortlich wählen.",
            "Restricted like this, the account would be hidden from you: please choose your unit or one below it as responsible.",
        ),
        Problem::ControlCharacter => pick(
            de,
            "Enthält ein Steuerzeichen (z. B. aus einer kopierten Datei) oder, in einem \
             einzeiligen Feld, einen Zeilenumbruch oder Tabulator. Bitte entfernen.",
            "Contains a control character (e.g. from a copied file) or, in a one-line field, \
             a line break or tab. Please remove it.",
        ),
    }
}

fn pick(de: bool, german: &str, english: &str) -> String {
    if de { german } else { english }.to_owned()
}

/// "Changed meanwhile by Berta Beispiel on 27.11.2026, 05:20 UTC."
pub fn changed_meanwhile(
    lang: Language,
    tz: Tz,
    by: Option<&str>,
    at: Option<DateTime<Utc>>,
) -> String {
    let when = at.map(|t| format_datetime(lang, tz, t));
    match (lang, by, when) {
        (Language::De, Some(by), Some(when)) => format!(
            "Dieser Eintrag wurde inzwischen von {by} geändert ({when}). Ihre Eingaben stehen unten noch im Formular. \
             Prüfen Sie die aktuelle Fassung, oder speichern Sie erneut, um sie bewusst zu überschreiben."
        ),
        (Language::De, _, _) => "Dieser Eintrag wurde inzwischen geändert. Ihre Eingaben stehen unten noch im Formular. \
             Prüfen Sie die aktuelle Fassung, oder speichern Sie erneut, um sie bewusst zu überschreiben."
            .to_owned(),
        (Language::En, Some(by), Some(when)) => format!(
            "This record was changed meanwhile by {by} ({when}). Your input is still in the form below. \
             Check the current version, or save again to overwrite it deliberately."
        ),
        (Language::En, _, _) => "This record was changed meanwhile. Your input is still in the form below. \
             Check the current version, or save again to overwrite it deliberately."
            .to_owned(),
    }
}

impl Texts {
    /// The name of an organization kind.
    pub fn organization_kind(&self, kind: &OrganizationKind) -> &'static str {
        match kind {
            OrganizationKind::Own => self.kind_own,
            OrganizationKind::External => self.kind_external,
            OrganizationKind::Internal => self.kind_internal,
        }
    }

    /// The name of a unit kind.
    pub fn unit_kind(&self, kind: &UnitKind) -> &'static str {
        match kind {
            UnitKind::Division => self.unit_kind_division,
            UnitKind::Department => self.unit_kind_department,
            UnitKind::Team => self.unit_kind_team,
            UnitKind::Secretariat => self.unit_kind_secretariat,
            UnitKind::Other => self.unit_kind_other,
        }
    }

    /// The name of an audited entity kind.
    pub fn entity(&self, kind: &EntityKind) -> &'static str {
        match kind {
            EntityKind::Organization => self.entity_organization,
            EntityKind::Unit => self.entity_unit,
            EntityKind::Person => self.entity_person,
            EntityKind::Position => self.entity_position,
            EntityKind::Level => self.entity_level,
            EntityKind::Function => self.entity_function,
            EntityKind::User => self.entity_user,
            EntityKind::Account => self.account,
            EntityKind::KeyContact => self.field_person,
            EntityKind::Assignment => self.rating_title,
            EntityKind::Rating => self.rate,
            EntityKind::Criterion => self.col_criterion,
            EntityKind::Tiers => self.entity_tiers,
            EntityKind::WeightProposal => self.entity_weight_proposal,
            EntityKind::ImportanceRating => self.entity_importance_rating,
            EntityKind::Lock => self.entity_lock,
            EntityKind::ImportUpload => self.entity_import_upload,
            EntityKind::Insight => self.entity_insight,
            EntityKind::Interaction => self.entity_interaction,
            EntityKind::FeedToken => self.entity_feed_token,
            EntityKind::Series => self.entity_series,
            EntityKind::Meeting => self.entity_meeting,
            EntityKind::AgendaItem => self.entity_agenda_item,
            EntityKind::Contribution => self.entity_contribution,
            EntityKind::Action => self.entity_action,
            EntityKind::CalendarToken => self.entity_calendar_token,
            EntityKind::GuidingAnswers => self.entity_guiding_answers,
            EntityKind::AccessReport => self.entity_access_report,
            EntityKind::AccessToken => self.entity_access_token,
            EntityKind::Erasure => self.entity_erasure,
            EntityKind::Session => self.entity_session,
            EntityKind::SecondFactor => self.entity_second_factor,
        }
    }

    /// The weekday of a day: "Dienstag", "Tuesday".
    pub fn weekday(&self, day: NaiveDate) -> &'static str {
        const DE: [&str; 7] = [
            "Montag",
            "Dienstag",
            "Mittwoch",
            "Donnerstag",
            "Freitag",
            "Samstag",
            "Sonntag",
        ];
        const EN: [&str; 7] = [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ];
        let i = day.weekday().num_days_from_monday() as usize;
        match self.lang {
            Language::De => DE[i],
            Language::En => EN[i],
        }
    }

    /// The name of an audit action.
    pub fn action(&self, action: &AuditAction) -> &'static str {
        match action {
            AuditAction::Create => self.action_create,
            AuditAction::Update => self.action_update,
            AuditAction::Deactivate => self.action_deactivate,
            AuditAction::Reactivate => self.action_reactivate,
            AuditAction::Delete => self.action_delete,
        }
    }

    /// The name of a role.
    pub fn role(&self, role: &Role) -> &'static str {
        match role {
            Role::Admin => self.role_admin,
            Role::Editor => self.role_editor,
            Role::Viewer => self.role_viewer,
        }
    }

    /// Why an action was refused.
    pub fn refusal(&self, refusal: &Refusal) -> &'static str {
        match refusal {
            Refusal::SecondOwnOrganization => self.refused_second_own,
            Refusal::DeactivateOwnOrganization => self.refused_deactivate_own,
            Refusal::DatabaseNotEmpty => self.refused_not_empty,
            Refusal::BackupNeedsSqlite => self.refused_backup_sqlite,
            Refusal::LastAdministrator => self.refused_last_admin,
            Refusal::ErasureBlocked(_) => self.erase_blocked,
            Refusal::ErasesOneself => self.refused_erases_oneself,
        }
    }

    /// The name of an account relation.
    pub fn relation(&self, r: &Relation) -> &'static str {
        match r {
            Relation::Customer => self.relation_customer,
            Relation::Supplier => self.relation_supplier,
            Relation::Both => self.relation_both,
        }
    }

    /// The name of a management mode.
    pub fn mode(&self, m: &ManagementMode) -> &'static str {
        match m {
            ManagementMode::Hierarchical => self.mode_hierarchical,
            ManagementMode::SingleManager => self.mode_single_manager,
            ManagementMode::JourFixe => self.mode_jour_fixe,
        }
    }

    /// The name of a decision role.
    pub fn decision_role(&self, r: &DecisionRole) -> &'static str {
        match r {
            DecisionRole::DecisionMaker => self.role_decision_maker,
            DecisionRole::Influencer => self.role_influencer,
            DecisionRole::User => self.role_user,
            DecisionRole::Gatekeeper => self.role_gatekeeper,
            DecisionRole::Champion => self.role_champion,
            DecisionRole::Other => self.role_other,
        }
    }

    /// The name of a stance.
    pub fn stance(&self, s: &Stance) -> &'static str {
        match s {
            Stance::Supporter => self.stance_supporter,
            Stance::Positive => self.stance_positive,
            Stance::Neutral => self.stance_neutral,
            Stance::Critical => self.stance_critical,
            Stance::Opponent => self.stance_opponent,
        }
    }

    /// The name of an assignment kind.
    pub fn assignment_kind(&self, k: &AssignmentKind) -> &'static str {
        match k {
            AssignmentKind::Primary => self.kind_primary,
            AssignmentKind::Deputy => self.kind_deputy,
        }
    }

    /// How a pair stands against its expected contact interval.
    pub fn contact_state(&self, s: &counterpart_core::cadence::State) -> &'static str {
        use counterpart_core::cadence::State;
        match s {
            State::InTime => self.contact_in_time,
            State::Due => self.contact_due,
            State::Overdue => self.contact_overdue,
        }
    }

    /// The short word for a pair's contact state, as a matrix cell shows it.
    pub fn contact_state_short(&self, s: &counterpart_core::cadence::State) -> &'static str {
        use counterpart_core::cadence::State;
        match s {
            State::InTime => "",
            State::Due => self.contact_due_short,
            State::Overdue => self.contact_overdue_short,
        }
    }

    /// "2 neue Erkenntnisse: Zufriedenheit".
    pub fn jf_new_insights(&self, n: usize, category: &str) -> String {
        format!("{}: {category}", self.insights(n))
    }

    /// "seit 22 Tagen ohne Kontakt", "22 days without contact".
    pub fn jf_days_without_contact(&self, days: i64) -> String {
        match self.lang {
            Language::De if days == 1 => "seit 1 Tag ohne Kontakt".to_owned(),
            Language::De => format!("seit {days} Tagen ohne Kontakt"),
            Language::En => format!("{} without contact", self.days(days)),
        }
    }

    /// The first question's answer from the data.
    pub fn jf_development_note(&self, insights: usize) -> String {
        match (self.lang, insights) {
            (Language::De, 0) => "Seit dem letzten Termin keine neuen Erkenntnisse zu Entwicklungen oder Umfeld – wer weiß etwas?".to_owned(),
            (Language::En, 0) => "No new insights on developments or the environment since the last meeting – who knows something?".to_owned(),
            (Language::De, n) => format!("{} zu Entwicklungen und Umfeld seit dem letzten Termin.", self.insights(n)),
            (Language::En, n) => format!("{} on developments and the environment since the last meeting.", self.insights(n)),
        }
    }

    /// The second question's answer from the data: new satisfaction insights, ratings that fell.
    pub fn jf_satisfaction_note(&self, insights: usize, fell: usize) -> String {
        let fell_text = match (self.lang, fell) {
            (Language::De, 0) => "keine gesunkene Zufriedenheit".to_owned(),
            (Language::En, 0) => "no satisfaction fell".to_owned(),
            (Language::De, 1) => "bei 1 Schlüsselperson gesunken".to_owned(),
            (Language::De, n) => format!("bei {n} Schlüsselpersonen gesunken"),
            (Language::En, 1) => "fell with 1 key person".to_owned(),
            (Language::En, n) => format!("fell with {n} key people"),
        };
        format!("{} · {fell_text}.", self.insights(insights))
    }

    /// "vor 3 Tagen", "3 days ago"; "heute", "today".
    pub fn days_ago(&self, n: i64) -> String {
        match (self.lang, n) {
            (Language::De, 0) => "heute".to_owned(),
            (Language::En, 0) => "today".to_owned(),
            (Language::De, 1) => "vor 1 Tag".to_owned(),
            (Language::De, n) => format!("vor {n} Tagen"),
            (Language::En, n) => format!("{} ago", self.days(n)),
        }
    }

    /// The name of a health band.
    pub fn health(&self, h: &Health) -> &'static str {
        match h {
            Health::Good => self.health_good,
            Health::Fair => self.health_fair,
            Health::Poor => self.health_poor,
            Health::Unrated => self.health_unrated,
        }
    }

    /// The statement of what a suggestion run is optimal over.
    pub fn optimality_statement(
        &self,
        demands: usize,
        pairs: usize,
        per_contact: usize,
        window: i64,
        truncated: usize,
    ) -> String {
        let (pairs, demands, levels) = (
            self.candidate_pairs(pairs),
            self.demands(demands),
            self.levels(window),
        );
        let cut = match (self.lang, truncated) {
            (_, 0) => String::new(),
            (Language::De, 1) => " 1 Kontakt hatte mehr Kandidaten als dieses Limit.".to_owned(),
            (Language::De, n) => format!(" {n} Kontakte hatten mehr Kandidaten als dieses Limit."),
            (Language::En, n) => {
                format!(" {} had more candidates than that limit.", self.contacts(n))
            }
        };
        match self.lang {
            Language::De => format!(
                "Exakt optimal (Min-Cost-Flow) über {pairs} für {demands}: je Kontakt die \
                 {per_contact} günstigsten Personen bis {levels} entfernt, dazu die bisherigen \
                 Gegenüber.{cut}"
            ),
            Language::En => format!(
                "Exactly optimal (min-cost flow) over {pairs} for {demands}: per contact the \
                 {per_contact} cheapest people up to {levels} away, plus the current \
                 counterparts.{cut}"
            ),
        }
    }

    /// The name of a criterion scope.
    pub fn scope(&self, s: &Scope) -> &'static str {
        match s {
            Scope::All => self.scope_all,
            Scope::Customer => self.scope_customer,
            Scope::Supplier => self.scope_supplier,
            Scope::Internal => self.scope_internal,
        }
    }

    /// The label of a field name used in forms, for the error summary.
    pub fn field_label(&self, field: &str) -> &'static str {
        match field {
            "name" => self.field_name,
            "kind" => self.field_kind,
            "notes" => self.field_notes,
            "parent_id" => self.field_parent,
            "given_name" => self.field_given_name,
            "family_name" => self.field_family_name,
            "academic_title" => self.field_academic_title,
            "job_title" => self.field_job_title,
            "level_id" => self.field_level,
            "function_id" => self.field_function,
            "unit_id" => self.field_unit,
            "counterpart" => self.q_counterpart_short,
            "hierarchy" => self.q_hierarchy_short,
            "responsible" => self.q_responsible_short,
            "exchange" => self.q_exchange_short,
            "direct_contact" => self.q_direct_contact_short,
            "understood" => self.q_understood_short,
            "advocacy" => self.q_advocacy_short,
            "advantage" => self.q_advantage_short,
            "answered_on" => self.guiding_answered_on,
            "questionnaire" => self.guiding_title,
            "reports_to_id" => self.field_reports_to,
            "assistant_of_id" => self.field_assistant_of,
            "email" => self.field_email,
            "phone" => self.field_phone,
            "mobile" => self.field_mobile,
            "valid_from" => self.field_valid_from,
            "organization_id" => self.field_new_organization,
            "name_de" => self.field_name_de,
            "name_en" => self.field_name_en,
            "key" => self.field_key,
            "username" => self.username,
            "password" => self.password,
            "relation" => self.field_relation,
            "mode" => self.field_mode,
            "responsible_unit_id" => self.field_responsible_unit,
            "manager_id" => self.field_manager,
            "restricted" => self.field_restricted,
            "person_id" => self.field_person,
            "confirm" => self.field_confirm,
            "years" => self.field_years,
            "role" => self.field_role,
            "stance" => self.field_stance,
            "influence" => self.field_influence,
            "partner_id" => self.field_person,
            "our_id" => self.field_our_person,
            "rated_on" => self.rated_on,
            "relationship" => self.relationship,
            "partnership" => self.partnership,
            "satisfaction" => self.satisfaction,
            "comment" => self.comment,
            "valid_to" => self.field_valid_to,
            "contact_every_days" => self.field_contact_every_days,
            "since" => self.digest_since,
            "also" => self.contact_also,
            "create" => self.digest_feed_create,
            "description_de" => self.field_description_de,
            "description_en" => self.field_description_en,
            "scope" => self.field_scope,
            "code" => self.field_code,
            "secret" => self.second_factor_secret,
            "weight" => self.field_weight,
            "tier_a" => self.field_tier_a,
            "tier_b" => self.field_tier_b,
            "capacity" => self.field_capacity,
            "category" => self.insight_category,
            "summary" => self.field_summary,
            "happened_on" => self.contact_date,
            "text" => self.insight_text,
            "learned_on" => self.field_learned_on,
            "certainty" => self.field_certainty,
            "confidential" => self.insight_confidential,
            "source_id" => self.insight_from,
            "author_id" => self.field_user,
            "author_person_id" => self.field_person,
            "author_unit_id" => self.field_unit,
            "withdrawn" => self.insight_withdraw,
            "active" => self.field_active,
            "account_id" => self.account,
            "user_id" => self.field_user,
            "criterion_id" => self.field_criterion,
            "score" => self.field_score,
            "rated_by_name" => self.field_rated_by,
            "display_name" => self.field_display_name,
            "rank" => self.field_rank,
            "language" => self.language,
            "organization_name" => self.field_organization,
            _ => "",
        }
    }
}

/// Data protection: the registry's purposes, retentions, audiences and the access report's
/// sections in words. Each is one match over the enum with both languages side by side, so a
/// new variant or a missing language does not compile.
impl Texts {
    fn de_en(&self, de: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Language::De => de,
            Language::En => en,
        }
    }

    /// The name of a purpose of processing.
    pub fn purpose(&self, p: &Purpose) -> &'static str {
        match p {
            Purpose::Structure => self.de_en(
                "Aufbau der Organisationen",
                "Structure of the organizations",
            ),
            Purpose::People => self.de_en("Personen und Positionen", "People and positions"),
            Purpose::Relationships => self.de_en("Beziehungsmanagement", "Relationship management"),
            Purpose::Importance => self.de_en("Wichtigkeit der Accounts", "Importance of accounts"),
            Purpose::Analysis => self.de_en("Auswertungen der Spiegelung", "Mirror analysis"),
            Purpose::Knowledge => self.de_en("Wissen und Kontakte", "Knowledge and contacts"),
            Purpose::JourFixe => self.de_en("Kunden-Jour-Fixe", "Customer jour fixe"),
            Purpose::Guiding => self.de_en("Leitfragen", "Guiding questions"),
            Purpose::Access => self.de_en("Zugang und Sicherheit", "Access and security"),
            Purpose::Accountability => self.de_en("Nachweis der Änderungen", "Accountability"),
            Purpose::Operation => self.de_en("Betrieb des Programms", "Running the program"),
        }
    }

    /// Why data of a purpose is processed.
    pub fn purpose_reason(&self, p: &Purpose) -> &'static str {
        match p {
            Purpose::Structure => self.de_en(
                "Organisationen, Einheiten, Hierarchieebenen und Funktionen: der Rahmen, in dem Personen stehen.",
                "Organizations, units, hierarchy levels and functions: the frame people are placed in.",
            ),
            Purpose::People => self.de_en(
                "Wer wo auf welcher Ebene arbeitet und wie man die Person erreicht, damit jede wichtige Person ein Gegenüber auf derselben Ebene bekommt.",
                "Who works where at which level and how to reach them, so that every important person gets a counterpart at the same level.",
            ),
            Purpose::Relationships => self.de_en(
                "Accounts, Schlüsselpersonen, Ansprechpartner, Bewertungen der Beziehungen und Sperren für Vorschläge: das hierarchische Key Account Management selbst.",
                "Accounts, key people, counterparts, ratings of relationships and locks for suggestions: hierarchical key account management itself.",
            ),
            Purpose::Importance => self.de_en(
                "Kriterien, Gewichte und Einschätzungen des Teams, um die wichtigsten Kunden und Lieferanten zu bestimmen.",
                "The team's criteria, weights and ratings, to find the most important customers and suppliers.",
            ),
            Purpose::Analysis => self.de_en(
                "Aus den Daten abgeleitete Werte und Befunde über die Zeit, um Lücken in der Spiegelung zu zeigen.",
                "Scores and findings derived from the data over time, to show gaps in the mirror.",
            ),
            Purpose::Knowledge => self.de_en(
                "Was unsere Leute über Partner erfahren haben und wann sie mit wem gesprochen haben, damit jeder vor einem Termin das aktuelle Bild hat.",
                "What our people learned about partners and when they spoke to whom, so that everyone has the current picture before a meeting.",
            ),
            Purpose::JourFixe => self.de_en(
                "Regelmäßige Treffen mit Tagesordnung, Beiträgen, Beschlüssen und Aufgaben.",
                "Recurring meetings with agenda, contributions, decisions and actions.",
            ),
            Purpose::Guiding => self.de_en(
                "Selbsteinschätzungen der Einheiten zu ihren Partnern, datiert.",
                "The units' dated self-assessments about their partners.",
            ),
            Purpose::Access => self.de_en(
                "Benutzerkonten, Sitzungen, vertraute Browser, Schutz vor dem Erraten von Passwörtern und geheime Abo-Adressen: wer das Programm nutzen darf, und andere fernhalten.",
                "User accounts, sessions, trusted browsers, protection against password guessing and secret subscription addresses: who may use the program, and keeping others out.",
            ),
            Purpose::Accountability => self.de_en(
                "Wer wann was geändert hat, mit dem Stand davor und danach (Rechenschaftspflicht, Art. 5 Abs. 2 DSGVO).",
                "Who changed what when, with the state before and after (accountability, Art. 5 (2) GDPR).",
            ),
            Purpose::Operation => self.de_en(
                "Einstellungen, angewandte Schemaänderungen, anstehende Hintergrundarbeiten, hochgeladene Dateien bis zur Bestätigung und versandte Zusammenfassungen.",
                "Settings, schema changes applied, background work pending, uploaded files until confirmed, and digests sent.",
            ),
        }
    }

    /// How long a table's rows are kept.
    pub fn retention(&self, r: &Retention) -> &'static str {
        match r {
            Retention::UntilDeleted => self.de_en(
                "bis zur Änderung oder Löschung (Deaktiviertes bleibt erhalten)",
                "until changed or deleted (deactivated records are kept)",
            ),
            Retention::History => {
                self.de_en("als Verlauf, unbefristet", "as history, without limit")
            }
            Retention::Session => self.de_en(
                "bis zur Abmeldung, zum Ablauf der Sitzung oder bis der Benutzer sie in der Liste seiner Anmeldungen beendet",
                "until logout, the session expires, or its user ends it from the list of their sessions",
            ),
            Retention::Year => self.de_en(
                "höchstens ein Jahr, nur die neuesten je Benutzer",
                "a year at most, only the newest per user",
            ),
            Retention::Minutes => self.de_en(
                "fünf Minuten (eine halb fertige Anmeldung, die auf den Code wartet)",
                "five minutes (a login half done, waiting for its code)",
            ),
            Retention::UntilTurnedOff => self.de_en(
                "bis der Benutzer den zweiten Faktor abschaltet oder ein Administrator ihn zurücksetzt",
                "until the user turns the second factor off or an administrator resets it",
            ),
            Retention::Day => self.de_en("einen Tag", "a day"),
            Retention::UntilRevoked => self.de_en(
                "bis der Benutzer die Adresse widerruft und entfernt",
                "until the user revokes and removes the address",
            ),
            Retention::UntilDone => {
                self.de_en("bis die Arbeit erledigt ist", "until the work is done")
            }
            Retention::Permanent => self.de_en(
                "solange die Datenbank besteht",
                "as long as the database exists",
            ),
        }
    }

    /// Who sees a table's rows.
    pub fn audience(&self, a: &Audience) -> &'static str {
        match a {
            Audience::Everyone => self.de_en("alle angemeldeten Benutzer", "every logged-in user"),
            Audience::EveryoneButRestricted => self.de_en(
                "alle angemeldeten Benutzer; was zu einem eingeschränkten Account gehört, nur dessen verantwortliche Einheit, die Einheiten darüber sowie Administratoren",
                "every logged-in user; what belongs to a restricted account only its responsible unit, the units above it, and administrators",
            ),
            Audience::EveryoneButConfidentialOrRestricted => self.de_en(
                "alle angemeldeten Benutzer; vertrauliche Einträge nur der Verfasser, seine Einheit und die Einheiten darüber sowie Administratoren; Einträge zu einem eingeschränkten Account nur dessen verantwortliche Einheit, die Einheiten darüber sowie Administratoren",
                "every logged-in user; confidential entries only their author, the author's unit and the units above it, and administrators; entries on a restricted account only its responsible unit, the units above it, and administrators",
            ),
            Audience::Owner => self.de_en(
                "nur der Benutzer, dem sie gehören",
                "only the user they belong to",
            ),
            Audience::Admins => self.de_en("Administratoren", "administrators"),
            Audience::Program => self.de_en("niemand, nur das Programm", "nobody, only the program"),
        }
    }

    /// Whether a backup carries a table.
    pub fn holds(&self, h: &Holds) -> &'static str {
        match h {
            Holds::Data => self.holds_data,
            Holds::Sessions => self.holds_sessions,
            Holds::Staging => self.holds_staging,
            Holds::Schema => self.holds_schema,
        }
    }

    /// The title of a section of the access report.
    pub fn access_section(&self, s: &Section) -> &'static str {
        match s {
            Section::MasterData => self.de_en("Stammdaten", "Master data"),
            Section::DirectReports => self.de_en(
                "Direkt unterstellt (nur Namen)",
                "Direct reports (names only)",
            ),
            Section::Assistants => self.de_en("Assistenz (nur Namen)", "Assistants (names only)"),
            Section::Positions => self.de_en("Positionen", "Positions"),
            Section::UserAccount => self.de_en(
                "Benutzerkonto (ohne Passwort)",
                "User account (without password)",
            ),
            Section::Sessions => self.de_en(
                "Sitzungen (Daten und grobe Browser-Angabe)",
                "Sessions (dates and the browser, coarsely)",
            ),
            Section::SecondFactor => self.de_en(
                "Zweiter Faktor (nur das Datum, nie das Geheimnis)",
                "Second factor (the date only, never the secret)",
            ),
            Section::RecoveryCodes => self.de_en(
                "Wiederherstellungscodes (nur Daten, nie die Codes)",
                "Recovery codes (dates only, never the codes)",
            ),
            Section::LoginChallenges => self.de_en(
                "Angefangene Anmeldungen, die auf den Code warten (nur Daten)",
                "Logins begun, waiting for the code (dates only)",
            ),
            Section::LoginThrottle => self.de_en(
                "Fehlgeschlagene Anmeldungen unter ihrem Anmeldenamen",
                "Failed logins under their login name",
            ),
            Section::TrustedDevices => self.de_en(
                "Vertraute Browser (nur Daten)",
                "Trusted browsers (dates only)",
            ),
            Section::AccessTokens => self.de_en(
                "API-Tokens und geheime Feed- und Kalender-Adressen (Art, Name und Daten)",
                "API tokens and secret feed and calendar addresses (kind, name and dates)",
            ),
            Section::DigestMails => {
                self.de_en("Versandte Wochenzusammenfassungen", "Weekly digests sent")
            }
            Section::ImportUploads => self.de_en(
                "Hochgeladene Dateien (Name und Datum)",
                "Uploaded files (name and date)",
            ),
            Section::AuditAboutPerson => {
                self.de_en("Änderungsprotokoll: die Person", "Audit log: the person")
            }
            Section::AuditAboutUser => self.de_en(
                "Änderungsprotokoll: das Benutzerkonto",
                "Audit log: the user account",
            ),
            Section::AccessReports => self.de_en("Erstellte Auskünfte", "Access reports produced"),
            Section::AuditByThem => self.de_en(
                "Änderungsprotokoll: ihre Änderungen (ohne Werte)",
                "Audit log: their changes (without values)",
            ),
            Section::AccountsManaged => {
                self.de_en("Accounts, die sie verantwortet", "Accounts they manage")
            }
            Section::KeyContacts => {
                self.de_en("Rollen als Schlüsselperson", "Roles as a key person")
            }
            Section::CounterpartsTheirs => {
                self.de_en("Ihre Ansprechpartner bei uns", "Their counterparts of ours")
            }
            Section::CounterpartsOurs => self.de_en(
                "Partner, deren Ansprechpartner sie ist",
                "Partners they are the counterpart of",
            ),
            Section::RatingsReceived => self.de_en(
                "Bewertungen ihrer Beziehungen",
                "Ratings of their relationships",
            ),
            Section::RatingsGiven => self.de_en("Abgegebene Bewertungen", "Ratings given"),
            Section::Locks => self.de_en("Festlegungen für Vorschläge", "Locks for suggestions"),
            Section::Findings => self.de_en("Befunde der Spiegelung", "Mirror findings"),
            Section::WeightProposals => self.de_en("Vorgeschlagene Gewichte", "Proposed weights"),
            Section::ImportanceRatings => {
                self.de_en("Einschätzungen der Wichtigkeit", "Importance ratings")
            }
            Section::InsightsAbout => self.de_en("Informationen über sie", "Insights about them"),
            Section::InsightsFrom => self.de_en(
                "Informationen, deren Quelle sie ist",
                "Insights they were the source of",
            ),
            Section::InsightsBy => {
                self.de_en("Von ihr erfasste Informationen", "Insights they recorded")
            }
            Section::ContactsWith => self.de_en("Kontakte mit ihr", "Contacts with them"),
            Section::ContactsBy => self.de_en("Von ihr erfasste Kontakte", "Contacts they logged"),
            Section::ContactsAttended => self.de_en(
                "Kontakte, bei denen sie dabei war",
                "Contacts they attended",
            ),
            Section::ContactPresence => {
                self.de_en("Anwesenheit bei Kontakten", "Presence at contacts")
            }
            Section::SeriesConvened => self.de_en(
                "Jour-Fixe-Reihen, die sie leitet",
                "Jour-fixe series they convene",
            ),
            Section::Participations => self.de_en(
                "Teilnahme an Jour-Fixe-Reihen",
                "Participation in jour-fixe series",
            ),
            Section::AgendaItems => {
                self.de_en("Hinzugefügte Tagesordnungspunkte", "Agenda items added")
            }
            Section::Contributions => self.de_en(
                "Beiträge und Beschlüsse in Besprechungen",
                "Contributions and decisions in meetings",
            ),
            Section::Actions => self.de_en("Ihre Aufgaben", "Actions they own"),
            Section::ActionsCreated => {
                self.de_en("Von ihnen angelegte Aufgaben", "Actions they created")
            }
            Section::GuidingAnswerSets => {
                self.de_en("Leitfragen-Einschätzungen", "Guiding-question assessments")
            }
            Section::GuidingAnswers => {
                self.de_en("Leitfragen-Antworten", "Guiding-question answers")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_singular_for_exactly_one_in_both_languages() {
        let (de, en) = (texts(Language::De), texts(Language::En));
        assert_eq!(de.gaps(1), "1 Lücke");
        assert_eq!(de.gaps(2_usize), "2 Lücken");
        assert_eq!(de.gaps(0), "0 Lücken");
        assert_eq!(de.findings(1_u32), "1 Befund");
        assert_eq!(de.more_findings(1), "1 weiterer Befund");
        assert_eq!(de.more_due(1), "1 weiteres fälliges Paar");
        assert_eq!(de.more_due(2), "2 weitere fällige Paare");
        assert_eq!(en.more_due(1), "1 more pair due");
        assert_eq!(de.more_units(1), "1 weitere Einheit");
        assert_eq!(en.more_units(1_999), "1,999 more units");
        assert_eq!(de.more_problems(3), "3 weitere Probleme");
        assert_eq!(de.demands(1), "1 Bedarf");
        assert_eq!(de.people(1_i64), "1 Person");
        assert_eq!(de.people(21_000_usize), "21.000 Personen");
        assert_eq!(de.more_units(1_999), "1.999 weitere Einheiten");
        assert_eq!(en.people(1_234_567), "1,234,567 people");
        assert_eq!(de.units(999), "999 Einheiten");
        assert_eq!(grouped(Language::De, -12_345), "-12.345");
        assert_eq!(en.gaps(1), "1 gap");
        assert_eq!(en.people(1), "1 person");
        assert_eq!(en.people(2), "2 people");
        assert_eq!(en.levels(0), "0 levels");
        assert_eq!(plural_form(Language::De, -1), PluralForm::Other);
    }

    #[test]
    fn the_optimality_statement_agrees_with_its_numbers() {
        let de = texts(Language::De).optimality_statement(1, 1, 8, 1, 1);
        assert!(de.contains("über 1 Kandidatenpaar für 1 Bedarf"), "{de}");
        assert!(de.contains("bis 1 Ebene entfernt"), "{de}");
        assert!(de.contains("1 Kontakt hatte mehr"), "{de}");
        let de = texts(Language::De).optimality_statement(4, 30, 8, 2, 0);
        assert!(de.contains("über 30 Kandidatenpaare für 4 Bedarfe"), "{de}");
        assert!(
            !de.contains("hatte"),
            "no limit sentence when none was cut: {de}"
        );
        let en = texts(Language::En).optimality_statement(1, 2, 8, 2, 3);
        assert!(en.contains("over 2 candidate pairs for 1 demand"), "{en}");
        assert!(en.contains("3 contacts had more candidates"), "{en}");
    }

    #[test]
    fn dates_follow_the_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(format_date(Language::De, d), "01.03.2026");
        assert_eq!(format_date(Language::En, d), "1 Mar 2026");
    }

    #[test]
    fn every_problem_reads_differently_in_each_language() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 3 },
            Problem::TooShort { min: 3 },
            Problem::InvalidEmail,
            Problem::InvalidPhone,
            Problem::UnknownChoice,
            Problem::InvalidDate,
            Problem::OutOfRange { min: 1, max: 5 },
            Problem::Cycle,
            Problem::SelfReference,
            Problem::OtherOrganization,
            Problem::NotFound,
            Problem::Taken,
            Problem::EndBeforeStart,
            Problem::ControlCharacter,
            Problem::WrongPassword,
            Problem::WrongCode,
            Problem::Mismatch,
            Problem::NotOwnOrganization,
            Problem::PartnerUnitRequired,
            Problem::OutsidePartnerUnit,
            Problem::InsidePartnerUnit,
            Problem::InvalidRecurrence,
            Problem::RestrictedNeedsUnit,
            Problem::RestrictedBeyondOwnUnit,
        ];
        for p in &problems {
            assert_ne!(problem(Language::De, p), problem(Language::En, p), "{p:?}");
        }
    }

    #[test]
    fn moments_are_shown_in_the_configured_time_zone() {
        let at = DateTime::parse_from_rfc3339("2026-12-06T16:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            format_datetime(Language::De, chrono_tz::Europe::Berlin, at),
            "06.12.2026, 17:05 CET"
        );
        let summer = DateTime::parse_from_rfc3339("2026-07-01T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            format_datetime(Language::En, chrono_tz::Europe::Berlin, summer),
            "2 Jul 2026, 00:30 CEST",
            "the date is the local one"
        );
        assert_eq!(
            format_datetime(Language::En, chrono_tz::UTC, summer),
            "1 Jul 2026, 22:30 UTC"
        );
    }

    #[test]
    fn conflicts_name_who_changed() {
        let berlin = chrono_tz::Europe::Berlin;
        let text = changed_meanwhile(Language::En, berlin, Some("Berta"), Some(Utc::now()));
        assert!(text.contains("Berta"));
        assert!(
            changed_meanwhile(Language::De, berlin, Some("Berta"), Some(Utc::now()))
                .contains("von Berta")
        );
    }
}
