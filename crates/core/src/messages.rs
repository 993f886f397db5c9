//! Field problems as sentences for import reports and the command line. (Forms have their own
//! wording in the web layer, next to the field.)

use crate::user::Language;
use crate::validate::Problem;

impl Problem {
    /// The problem as a sentence in the user's language, for import reports and the command
    /// line. (Forms have their own wording in the web layer, next to the field.)
    pub fn message(&self, lang: Language) -> String {
        let de = lang == Language::De;
        let problem = self;
        let pick = |german: &str, english: &str| if de { german } else { english }.to_owned();
        match problem {
            Problem::Required => pick("Bitte ausfüllen.", "Please fill this in."),
            Problem::TooLong { max } => pick(
                &format!("Höchstens {max} Zeichen."),
                &format!("At most {max} characters."),
            ),
            Problem::TooShort { min } => pick(
                &format!("Mindestens {min} Zeichen."),
                &format!("At least {min} characters."),
            ),
            Problem::InvalidEmail => pick(
                "Keine gültige E-Mail-Adresse (Beispiel: name@firma.de).",
                "Not a valid e-mail address (example: name@company.com).",
            ),
            Problem::InvalidPhone => pick(
                "Keine gültige Telefonnummer: 3–20 Ziffern, dazu + ( ) / - . und Leerzeichen.",
                "Not a valid phone number: 3–20 digits, plus + ( ) / - . and spaces.",
            ),
            Problem::UnknownChoice => pick("Unbekannter Wert.", "Unknown value."),
            Problem::InvalidDate => pick(
                "Kein gültiges Datum (TT.MM.JJJJ).",
                "Not a valid date (YYYY-MM-DD).",
            ),
            Problem::OutOfRange { min, max } => pick(
                &format!("Erlaubt sind Werte von {min} bis {max}."),
                &format!("Allowed are values from {min} to {max}."),
            ),
            Problem::Cycle => pick(
                "Das ergäbe einen Kreis in der Hierarchie.",
                "This would make a loop in the hierarchy.",
            ),
            Problem::SelfReference => pick(
                "Eine Person kann nicht auf sich selbst verweisen.",
                "A person cannot point to themselves.",
            ),
            Problem::OtherOrganization => pick(
                "Gehört zu einer anderen Organisation.",
                "Belongs to another organization.",
            ),
            Problem::NotFound => pick("Nicht vorhanden.", "Does not exist."),
            Problem::Taken => pick("Bereits vergeben.", "Already taken."),
            Problem::EndBeforeStart => pick(
                "Das Ende liegt vor dem Beginn.",
                "The end lies before the start.",
            ),
            Problem::ControlCharacter => pick(
                "Enthält ein Steuerzeichen oder einen Zeilenumbruch, wo keiner sein darf.",
                "Contains a control character or a line break where none may be.",
            ),
            Problem::WrongPassword => pick(
                "Das bisherige Passwort stimmt nicht.",
                "The current password is wrong.",
            ),
            Problem::WrongCode => pick(
                "Der Code stimmt nicht (oder wurde schon benutzt).",
                "The code is wrong (or was used already).",
            ),
            Problem::Mismatch => pick(
                "Die Wiederholung stimmt nicht überein.",
                "The repetition does not match.",
            ),
            Problem::NotOwnOrganization => pick(
                "Muss eine Person des eigenen Hauses sein.",
                "Must be a person of our own organization.",
            ),
            Problem::PartnerUnitRequired => pick(
                "Für einen Account im eigenen Haus die Nachbarabteilung (Organisationseinheit) angeben.",
                "For an account in our own house, name the neighbouring department (unit).",
            ),
            Problem::OutsidePartnerUnit => pick(
                "Gehört nicht zur Partnereinheit (Nachbarabteilung) des Accounts.",
                "Not inside the account's partner unit (the neighbouring department).",
            ),
            Problem::InsidePartnerUnit => pick(
                "Gehört selbst zur Partnereinheit; das Gegenüber muss aus einer anderen Einheit kommen.",
                "Is inside the partner unit itself; the counterpart must come from another unit.",
            ),
            Problem::InvalidRecurrence => pick(
                "Keine gültige Wiederholung (iCalendar-RRULE, höchstens täglich).",
                "Not a valid recurrence (an iCalendar RRULE, at most daily).",
            ),
            Problem::RestrictedNeedsUnit => pick(
                "Ein eingeschränkter Account braucht eine verantwortliche Einheit.",
                "A restricted account needs a responsible unit.",
            ),
            Problem::RestrictedBeyondOwnUnit => pick(
                "Eingeschränkt wäre der Account für Sie verborgen: Die verantwortliche Einheit muss Ihre oder eine darunter sein.",
                "Restricted, the account would be hidden from you: the responsible unit must be yours or one below it.",
            ),
        }
    }
}
