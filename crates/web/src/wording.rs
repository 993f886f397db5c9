//! The mirror's findings, suggestion reasons and needs as sentences a manager understands, in
//! German and English. The analysis and the solver return codes with numbers
//! ([`counterpart_core::mirror`]); the words live here, next to the other texts.

use std::collections::HashMap;

use counterpart_core::account::{AssignmentKind, ManagementMode};
use counterpart_core::ids::PersonId;
use counterpart_core::ladder::Level;
use counterpart_core::mirror::analysis::{Band, FindingDetail, Shape};
use counterpart_core::mirror::suggest::{LockConflict, Need, NoBetter, Reason};
use counterpart_core::user::Language;
use counterpart_store::PersonLabel;

/// Names people and levels for sentences.
pub(crate) struct Names<'a> {
    lang: Language,
    people: &'a HashMap<PersonId, PersonLabel>,
    levels: &'a [Level],
}

impl<'a> Names<'a> {
    pub(crate) fn new(
        lang: Language,
        people: &'a HashMap<PersonId, PersonLabel>,
        levels: &'a [Level],
    ) -> Self {
        Self {
            lang,
            people,
            levels,
        }
    }

    fn de(&self) -> bool {
        self.lang == Language::De
    }

    /// A person's name; a placeholder when unknown (deleted meanwhile).
    pub(crate) fn person(&self, id: PersonId) -> String {
        self.people
            .get(&id)
            .map_or_else(|| format!("#{id}"), |p| p.name.clone())
    }

    /// A person's level rank.
    pub(crate) fn rank(&self, id: PersonId) -> Option<i64> {
        self.people.get(&id).and_then(|p| p.level_rank)
    }

    /// A level's name by rank.
    pub(crate) fn level(&self, rank: Option<i64>) -> String {
        let found = rank.and_then(|r| self.levels.iter().find(|l| l.rank == r));
        match (found, self.de()) {
            (Some(l), true) => l.name_de.clone(),
            (Some(l), false) => l.name_en.clone(),
            (None, true) => "Ebene unbekannt".to_owned(),
            (None, false) => "level unknown".to_owned(),
        }
    }

    /// "Name (Level)".
    pub(crate) fn who(&self, id: PersonId) -> String {
        format!("{} ({})", self.person(id), self.level(self.rank(id)))
    }

    fn levels_word(&self, n: i64) -> String {
        crate::i18n::texts(self.lang).levels(n)
    }

    /// "2 levels below" / "1 level above" from our rank's point of view.
    fn direction(&self, their_rank: i64, our_rank: i64) -> String {
        let n = self.levels_word((our_rank - their_rank).abs());
        match (self.de(), our_rank > their_rank) {
            (true, true) => format!("{n} darunter"),
            (true, false) => format!("{n} darüber"),
            (false, true) => format!("{n} below"),
            (false, false) => format!("{n} above"),
        }
    }

    /// A finding as a sentence.
    pub(crate) fn finding(&self, detail: &FindingDetail) -> String {
        let de = self.de();
        match *detail {
            FindingDetail::Uncovered {
                contact, deputy, ..
            } => {
                let base = if de {
                    format!("{} hat kein Gegenüber bei uns.", self.who(contact))
                } else {
                    format!("{} has no counterpart of ours.", self.who(contact))
                };
                match deputy {
                    Some(d) if de => format!("{base} {} vertritt nur.", self.person(d)),
                    Some(d) => format!("{base} {} only stands in as deputy.", self.person(d)),
                    None => base,
                }
            }
            FindingDetail::TheirsAbove {
                contact,
                ours,
                their_rank,
                our_rank,
                ..
            }
            | FindingDetail::OursAbove {
                contact,
                ours,
                their_rank,
                our_rank,
                ..
            } => {
                let direction = self.direction(their_rank, our_rank);
                let tail = match (de, our_rank > their_rank) {
                    (true, true) => "Auf Augenhöhe spricht man dieselbe Sprache.",
                    (true, false) => "Das bindet Führungszeit unter ihrer Ebene.",
                    (false, true) => "At the same level people speak the same language.",
                    (false, false) => "That spends senior time below its level.",
                };
                if de {
                    format!(
                        "{} wird von {} betreut – {direction}. {tail}",
                        self.who(contact),
                        self.who(ours)
                    )
                } else {
                    format!(
                        "{} is served by {}, {direction}. {tail}",
                        self.who(contact),
                        self.who(ours)
                    )
                }
            }
            FindingDetail::AssistantUnpaired { contact, ours } => {
                if de {
                    format!(
                        "{} gehört zum Sekretariat, {} nicht – Sekretariat gehört zu Sekretariat.",
                        self.person(contact),
                        self.person(ours)
                    )
                } else {
                    format!(
                        "{} is an assistant/secretariat, {} is not – secretariat belongs with secretariat.",
                        self.person(contact),
                        self.person(ours)
                    )
                }
            }
            FindingDetail::AssistantReversed { contact, ours } => {
                if de {
                    format!(
                        "{} aus unserem Sekretariat betreut {}, die/der nicht zum Sekretariat gehört.",
                        self.person(ours),
                        self.who(contact)
                    )
                } else {
                    format!(
                        "{}, of our secretariat, serves {}, who is not an assistant.",
                        self.person(ours),
                        self.who(contact)
                    )
                }
            }
            FindingDetail::BowTie {
                ours,
                held,
                contacts,
                share_pct,
                by_design,
            } => match (de, by_design) {
                (true, false) => format!(
                    "{} hält {held} von {contacts} Schlüsselkontakten ({share_pct} %) – eine Fliege: \
                     fällt diese Person aus, reißt die Beziehung ab.",
                    self.person(ours)
                ),
                (true, true) => format!(
                    "{} hält {held} von {contacts} Schlüsselkontakten ({share_pct} %), wie im Modus \
                     „ein Key Account Manager“ gewollt.",
                    self.person(ours)
                ),
                (false, false) => format!(
                    "{} holds {held} of {contacts} key contacts ({share_pct} %) – a bow tie: if this \
                     person leaves, the relationship goes with them.",
                    self.person(ours)
                ),
                (false, true) => format!(
                    "{} holds {held} of {contacts} key contacts ({share_pct} %), as the mode \
                     \"single key account manager\" intends.",
                    self.person(ours)
                ),
            },
            FindingDetail::NobodyResponsible { mode, .. } => match (de, mode) {
                (true, ManagementMode::Hierarchical) => {
                    "Niemand bei uns betreut einen Schlüsselkontakt dieses Accounts.".to_owned()
                }
                (true, ManagementMode::SingleManager) => {
                    "Kein Key Account Manager benannt, obwohl der Account so geführt wird."
                        .to_owned()
                }
                (true, ManagementMode::JourFixe) => {
                    "Weder Gegenüber noch ein Key Account Manager, der den Jour fixe einberuft."
                        .to_owned()
                }
                (false, ManagementMode::Hierarchical) => {
                    "Nobody of ours holds any key contact of this account.".to_owned()
                }
                (false, ManagementMode::SingleManager) => {
                    "No key account manager is named, though the account is run by one.".to_owned()
                }
                (false, ManagementMode::JourFixe) => {
                    "Neither counterparts nor a key account manager who calls the jour fixe."
                        .to_owned()
                }
            },
            FindingDetail::OverCapacity {
                ours,
                load,
                capacity,
            } => {
                if de {
                    format!(
                        "{} ist Hauptansprechpartner für {load} Kontakte bei einer Kapazität von {capacity}.",
                        self.person(ours)
                    )
                } else {
                    format!(
                        "{} is the primary counterpart of {load} contacts with a capacity of {capacity}.",
                        self.person(ours)
                    )
                }
            }
            FindingDetail::Stale {
                contact,
                ours,
                last_contact,
                days,
                limit_days,
            } => match (de, last_contact) {
                (true, Some(_)) => format!(
                    "{} und {} hatten seit {days} Tagen keinen Kontakt (erwartet alle {limit_days} Tage).",
                    self.person(ours),
                    self.person(contact)
                ),
                (true, None) => format!(
                    "{} und {} hatten seit Beginn vor {days} Tagen nie Kontakt (erwartet alle {limit_days} Tage).",
                    self.person(ours),
                    self.person(contact)
                ),
                (false, Some(_)) => format!(
                    "{} and {} have not been in contact for {days} days (expected every {limit_days} days).",
                    self.person(ours),
                    self.person(contact)
                ),
                (false, None) => format!(
                    "{} and {} have never been in contact since they were paired {days} days ago (expected every {limit_days} days).",
                    self.person(ours),
                    self.person(contact)
                ),
            },
            FindingDetail::NoJourFixe {
                last_meeting,
                interval_days,
            } => {
                let last = last_meeting.map(|d| d.format("%d.%m.%Y").to_string());
                match (de, interval_days, last) {
                    (true, None, _) => "Als Jour fixe geführt, aber kein Jour fixe bespricht diesen Account – laden Sie selbst zu einem ein.".to_owned(),
                    (false, None, _) => "Managed by jour fixe, but no jour fixe discusses this account – invite to one yourself.".to_owned(),
                    (true, Some(every), Some(last)) => format!("Zuletzt am {last} im Jour fixe besprochen – mehr als doppelt so lange her wie sein Abstand von {every} Tagen."),
                    (false, Some(every), Some(last)) => format!("Last discussed in a jour fixe on {last} – more than twice its interval of {every} days ago."),
                    (true, Some(_), None) => "Noch in keinem Jour fixe besprochen.".to_owned(),
                    (false, Some(_), None) => "Not discussed in any jour fixe yet.".to_owned(),
                }
            }
            FindingDetail::OverdueActions { count, oldest_due } => {
                let oldest = oldest_due.format("%d.%m.%Y");
                match (de, count) {
                    (true, 1) => {
                        format!("1 Aufgabe aus dem Jour fixe ist überfällig (fällig am {oldest}).")
                    }
                    (true, n) => format!(
                        "{n} Aufgaben aus dem Jour fixe sind überfällig (die älteste fällig am {oldest})."
                    ),
                    (false, 1) => format!("1 action from the jour fixe is overdue (due {oldest})."),
                    (false, n) => format!(
                        "{n} actions from the jour fixe are overdue (the oldest due {oldest})."
                    ),
                }
            }
        }
    }

    /// Why a proposal is good, as short phrases to scan: "Same level", "Within the
    /// responsible unit", "Then 3 of 8 contacts". Whom it replaces and why is the "current"
    /// column's to say, so it is not repeated here.
    pub(crate) fn reasons(&self, partner: PersonId, reasons: &[Reason]) -> Vec<String> {
        reasons
            .iter()
            .filter(|r| !matches!(r, Reason::Replaces { .. }))
            .map(|r| capitalized(&self.reason(partner, r)))
            .collect()
    }

    /// Why nobody better at the contact's level took it, as a sentence.
    pub(crate) fn no_better(&self, partner: PersonId, why: &NoBetter) -> String {
        let de = self.de();
        let level = self.level(self.rank(partner));
        match (*why, de) {
            (NoBetter::LevelUnknown, true) => "Die Ebene der Person ist nicht bekannt.".to_owned(),
            (NoBetter::LevelUnknown, false) => "Their level is not known.".to_owned(),
            (NoBetter::NobodyAtLevel, true) => {
                format!("Bei uns ist sonst niemand auf der Ebene {level}.")
            }
            (NoBetter::NobodyAtLevel, false) => {
                format!("Nobody else of ours is at the level {level}.")
            }
            (NoBetter::AllExcluded { at_level: 1 }, true) => format!(
                "Die einzige Person bei uns auf der Ebene {level} ist für diesen Kontakt \
                 ausgeschlossen („nie“)."
            ),
            (NoBetter::AllExcluded { at_level }, true) => format!(
                "Alle {at_level} Personen bei uns auf der Ebene {level} sind für diesen \
                 Kontakt ausgeschlossen („nie“)."
            ),
            (NoBetter::AllExcluded { at_level: 1 }, false) => format!(
                "The only one of ours at the level {level} is excluded for this contact \
                 (\"never\")."
            ),
            (NoBetter::AllExcluded { at_level }, false) => format!(
                "All {at_level} of ours at the level {level} are excluded for this contact \
                 (\"never\")."
            ),
            (NoBetter::AllAtCapacity { at_level: 1 }, true) => format!(
                "Die einzige Person bei uns auf der Ebene {level} ist ausgelastet (Kapazität)."
            ),
            (NoBetter::AllAtCapacity { at_level }, true) => format!(
                "Alle {at_level} Personen bei uns auf der Ebene {level} sind ausgelastet \
                 (Kapazität)."
            ),
            (NoBetter::AllAtCapacity { at_level: 1 }, false) => {
                format!("The only one of ours at the level {level} has no capacity left.")
            }
            (NoBetter::AllAtCapacity { at_level }, false) => {
                format!("All {at_level} of ours at the level {level} have no capacity left.")
            }
            (NoBetter::NotWorthIt, true) => format!(
                "Auf der Ebene {level} wäre jemand frei, aber ein Wechsel lohnt sich insgesamt \
                 nicht (gute Beziehung, verantwortliche Einheit oder anderswo dringender \
                 gebraucht)."
            ),
            (NoBetter::SomeoneFree, true) => format!(
                "Auf der Ebene {level} wäre jemand frei; wer den Wechsel will, nimmt ihn auf der \
                 Seite der Person vor."
            ),
            (NoBetter::SomeoneFree, false) => format!(
                "Someone at the level {level} is free; whoever wants the change makes it on the \
                 person's page."
            ),
            (NoBetter::NotWorthIt, false) => format!(
                "Someone at the level {level} is free, but a change does not pay off overall (a \
                 good relationship, the responsible unit, or needed more elsewhere)."
            ),
        }
    }

    /// Why a contact was in the run, for the column beside its current holder (who is named
    /// there already): "2 levels away", "rated 2".
    pub(crate) fn need_short(&self, need: &Need) -> String {
        let de = self.de();
        match *need {
            Need::LevelGap { distance, .. } => {
                if de {
                    format!("{} entfernt", self.levels_word(distance))
                } else {
                    format!("{} away", self.levels_word(distance))
                }
            }
            Need::FunctionMismatch { .. } => pick(
                de,
                "Sekretariat nicht gespiegelt",
                "secretariat not mirrored",
            ),
            Need::PoorRating { rating, .. } => {
                if de {
                    format!("Beziehung mit {rating} bewertet")
                } else {
                    format!("relationship rated {rating}")
                }
            }
            Need::NeverLocked { .. } => pick(de, "ausgeschlossen („nie“)", "excluded (\"never\")"),
            Need::NotInStaff { .. } => pick(de, "nicht mehr bei uns", "no longer with us"),
            Need::InsidePartnerUnit { .. } => pick(
                de,
                "selbst in der Partnerabteilung",
                "inside the partner department itself",
            ),
            Need::KeepLocked { .. } => pick(de, "von Hand festgelegt", "fixed by hand"),
            Need::ReviewDeputy { .. } => {
                pick(de, "Vertretung wird mitgeprüft", "deputy reviewed too")
            }
            Need::NoPrimary | Need::NoDeputy => self.need(need),
        }
    }

    fn reason(&self, partner: PersonId, reason: &Reason) -> String {
        let de = self.de();
        match *reason {
            Reason::SameLevel { rank } => {
                if de {
                    format!("gleiche Ebene ({})", self.level(Some(rank)))
                } else {
                    format!("same level ({})", self.level(Some(rank)))
                }
            }
            Reason::LevelDistance {
                their_rank,
                our_rank,
                ..
            } => format!(
                "{} ({})",
                self.direction(their_rank, our_rank),
                self.level(Some(our_rank))
            ),
            Reason::LevelUnknown => {
                if de {
                    "eine Ebene ist unbekannt".to_owned()
                } else {
                    "a level is unknown".to_owned()
                }
            }
            Reason::SecretariatToSecretariat => {
                if de {
                    "Sekretariat zu Sekretariat".to_owned()
                } else {
                    "secretariat to secretariat".to_owned()
                }
            }
            Reason::FunctionMismatch { their_assistant } => match (de, their_assistant) {
                (true, true) => "nur ihre Seite ist Sekretariat".to_owned(),
                (true, false) => "nur unsere Seite ist Sekretariat".to_owned(),
                (false, true) => "only their side is a secretariat".to_owned(),
                (false, false) => "only our side is a secretariat".to_owned(),
            },
            Reason::AssistantOfBossCounterpart {
                boss,
                boss_counterpart,
            } => {
                if de {
                    format!(
                        "assistiert {}, dem Gegenüber von {}",
                        self.person(boss_counterpart),
                        self.person(boss)
                    )
                } else {
                    format!(
                        "assists {}, the counterpart of {}",
                        self.person(boss_counterpart),
                        self.person(boss)
                    )
                }
            }
            Reason::WithinResponsibleUnit { .. } => {
                if de {
                    "in der verantwortlichen Einheit".to_owned()
                } else {
                    "within the responsible unit".to_owned()
                }
            }
            Reason::KeepsGoodRelationship { kind, rating } => match (de, kind) {
                (true, AssignmentKind::Primary) => {
                    format!("behält eine gute Beziehung (Bewertung {rating})")
                }
                (true, AssignmentKind::Deputy) => {
                    format!(
                        "die bisherige Vertretung mit guter Beziehung (Bewertung {rating}) rückt auf"
                    )
                }
                (false, AssignmentKind::Primary) => {
                    format!("keeps a good relationship (rated {rating})")
                }
                (false, AssignmentKind::Deputy) => {
                    format!("the current deputy, on good terms (rated {rating}), steps up")
                }
            },
            Reason::KeepsExistingPairing { kind, .. } => match (de, kind) {
                (true, AssignmentKind::Primary) => "bleibt beim bisherigen Gegenüber".to_owned(),
                (true, AssignmentKind::Deputy) => {
                    "kennt den Kontakt schon als Vertretung".to_owned()
                }
                (false, AssignmentKind::Primary) => "stays with the current counterpart".to_owned(),
                (false, AssignmentKind::Deputy) => "already knows the contact as deputy".to_owned(),
            },
            Reason::Replaces {
                previous, rating, ..
            } => {
                let mut what = vec![self.level(self.rank(previous))];
                if let (Some(theirs), Some(ours)) = (self.rank(partner), self.rank(previous))
                    && theirs != ours
                {
                    what.push(self.direction(theirs, ours));
                }
                if let Some(r) = rating {
                    what.push(if de {
                        format!("Bewertung {r}")
                    } else {
                        format!("rated {r}")
                    });
                }
                if de {
                    format!("ersetzt {} ({})", self.person(previous), what.join(", "))
                } else {
                    format!("replaces {} ({})", self.person(previous), what.join(", "))
                }
            }
            Reason::Load { after, capacity } => {
                if de {
                    format!("danach {after} von {capacity} möglichen Kontakten")
                } else {
                    format!("then {after} of {capacity} possible contacts")
                }
            }
            Reason::LockedByUser => {
                if de {
                    "von Hand festgelegt („behalten“)".to_owned()
                } else {
                    "fixed by hand (\"keep\")".to_owned()
                }
            }
        }
    }

    /// Why a contact was part of the run.
    pub(crate) fn need(&self, need: &Need) -> String {
        let de = self.de();
        match *need {
            Need::NoPrimary => {
                if de {
                    "ohne Gegenüber".to_owned()
                } else {
                    "no counterpart".to_owned()
                }
            }
            Need::LevelGap { ours, distance } => {
                if de {
                    format!(
                        "{} ist {} entfernt",
                        self.person(ours),
                        self.levels_word(distance)
                    )
                } else {
                    format!(
                        "{} is {} away",
                        self.person(ours),
                        self.levels_word(distance)
                    )
                }
            }
            Need::FunctionMismatch { ours, .. } => {
                if de {
                    format!("{}: Sekretariat nicht gespiegelt", self.person(ours))
                } else {
                    format!("{}: secretariat not mirrored", self.person(ours))
                }
            }
            Need::PoorRating { ours, rating } => {
                if de {
                    format!("Beziehung zu {} mit {rating} bewertet", self.person(ours))
                } else {
                    format!("relationship with {} rated {rating}", self.person(ours))
                }
            }
            Need::NeverLocked { ours } => {
                if de {
                    format!("{} ist ausgeschlossen („nie“)", self.person(ours))
                } else {
                    format!("{} is excluded (\"never\")", self.person(ours))
                }
            }
            Need::NotInStaff { ours } => {
                if de {
                    format!("{} ist nicht mehr bei uns", self.person(ours))
                } else {
                    format!("{} is no longer with us", self.person(ours))
                }
            }
            Need::InsidePartnerUnit { ours } => {
                if de {
                    format!("{} gehört selbst zur Partnerabteilung", self.person(ours))
                } else {
                    format!(
                        "{} belongs to the partner department itself",
                        self.person(ours)
                    )
                }
            }
            Need::KeepLocked { ours } => {
                if de {
                    format!("{} von Hand festgelegt", self.person(ours))
                } else {
                    format!("{} fixed by hand", self.person(ours))
                }
            }
            Need::NoDeputy => {
                if de {
                    "ohne Vertretung".to_owned()
                } else {
                    "no deputy".to_owned()
                }
            }
            Need::ReviewDeputy { ours } => {
                if de {
                    format!("Vertretung {} wird mitgeprüft", self.person(ours))
                } else {
                    format!("deputy {} reviewed too", self.person(ours))
                }
            }
        }
    }

    /// A lock that could not be honoured as given.
    pub(crate) fn conflict(&self, conflict: &LockConflict) -> String {
        let de = self.de();
        match *conflict {
            LockConflict::KeepAndNever { partner, ours } => {
                if de {
                    format!(
                        "{} – {} ist zugleich „behalten“ und „nie“; „nie“ gilt.",
                        self.person(partner),
                        self.person(ours)
                    )
                } else {
                    format!(
                        "{} – {} is locked both \"keep\" and \"never\"; \"never\" wins.",
                        self.person(partner),
                        self.person(ours)
                    )
                }
            }
            LockConflict::SecondPrimary {
                partner,
                ours,
                primary,
            } => {
                if de {
                    format!(
                        "„Behalten“ für {} – {} würde ein zweites Hauptgegenüber neben {} schaffen und gilt nicht.",
                        self.person(partner),
                        self.person(ours),
                        self.person(primary)
                    )
                } else {
                    format!(
                        "\"Keep\" for {} – {} would make a second primary beside {} and is not applied.",
                        self.person(partner),
                        self.person(ours),
                        self.person(primary)
                    )
                }
            }
            LockConflict::NotInStaff { partner, ours } => {
                if de {
                    format!(
                        "„Behalten“ für {} – {} gilt nicht: {} ist nicht mehr bei uns.",
                        self.person(partner),
                        self.person(ours),
                        self.person(ours)
                    )
                } else {
                    format!(
                        "\"Keep\" for {} – {} is ignored: {} is no longer with us.",
                        self.person(partner),
                        self.person(ours),
                        self.person(ours)
                    )
                }
            }
            LockConflict::InsidePartnerUnit { partner, ours } => {
                if de {
                    format!(
                        "„Behalten“ für {} – {} gilt nicht: {} gehört selbst zur Partnerabteilung.",
                        self.person(partner),
                        self.person(ours),
                        self.person(ours)
                    )
                } else {
                    format!(
                        "\"Keep\" for {} – {} is ignored: {} belongs to the partner department itself.",
                        self.person(partner),
                        self.person(ours),
                        self.person(ours)
                    )
                }
            }
        }
    }
}

/// The text with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn pick(de: bool, german: &str, english: &str) -> String {
    if de { german } else { english }.to_owned()
}

/// The name of a shape.
pub(crate) fn shape(lang: Language, shape: Shape) -> &'static str {
    match (lang, shape) {
        (Language::De, Shape::Diamond) => "Diamant",
        (Language::De, Shape::BowTie) => "Fliege",
        (Language::De, Shape::Mixed) => "Gemischt",
        (Language::De, Shape::Empty) => "Leer",
        (Language::En, Shape::Diamond) => "Diamond",
        (Language::En, Shape::BowTie) => "Bow tie",
        (Language::En, Shape::Mixed) => "Mixed",
        (Language::En, Shape::Empty) => "Empty",
    }
}

/// What a shape means.
pub(crate) fn shape_explained(lang: Language, shape: Shape) -> &'static str {
    match (lang, shape) {
        (Language::De, Shape::Diamond) => {
            "Viele Fäden auf Augenhöhe: Die Beziehung hängt nicht an einer Person."
        }
        (Language::De, Shape::BowTie) => {
            "Eine Person bei uns hält fast alle Kontakte – der Engpass, vor dem das Konzept warnt."
        }
        (Language::De, Shape::Mixed) => "Mehrere Fäden, aber zu viele nicht auf derselben Ebene.",
        (Language::De, Shape::Empty) => "Noch kein Schlüsselkontakt hat ein Gegenüber.",
        (Language::En, Shape::Diamond) => {
            "Many threads at eye level: the relationship does not hang on one person."
        }
        (Language::En, Shape::BowTie) => {
            "One person of ours holds almost every contact – the bottleneck the concept warns of."
        }
        (Language::En, Shape::Mixed) => "Several threads, but too many not at the same level.",
        (Language::En, Shape::Empty) => "No key contact has a counterpart yet.",
    }
}

/// The name of a severity band.
pub(crate) fn band(lang: Language, band: Band) -> &'static str {
    match (lang, band) {
        (Language::De, Band::High) => "hoch",
        (Language::De, Band::Medium) => "mittel",
        (Language::De, Band::Low) => "niedrig",
        (Language::De, Band::Info) => "Hinweis",
        (Language::En, Band::High) => "high",
        (Language::En, Band::Medium) => "medium",
        (Language::En, Band::Low) => "low",
        (Language::En, Band::Info) => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use counterpart_core::ids::LevelId;

    fn ladder() -> Vec<Level> {
        [
            (1, "Geschäftsführung", "Managing director"),
            (3, "Abteilungsleitung", "Head of department"),
            (5, "Sachbearbeitung", "Specialist/clerk"),
        ]
        .into_iter()
        .map(|(rank, de, en)| Level {
            id: LevelId::new(rank),
            rank,
            name_de: de.into(),
            name_en: en.into(),
            version: 1,
        })
        .collect()
    }

    fn people() -> HashMap<PersonId, PersonLabel> {
        [
            (1, "Dr. Ulrike Brandt", 1),
            (2, "Jonas Krüger", 5),
            (3, "Petra Schneider", 1),
        ]
        .into_iter()
        .map(|(id, name, rank)| {
            (
                PersonId::new(id),
                PersonLabel {
                    name: name.into(),
                    level_rank: Some(rank),
                    job_title: None,
                    organization: String::new(),
                },
            )
        })
        .collect()
    }

    #[test]
    fn a_mismatch_reads_as_a_sentence_in_both_languages() {
        let (people, levels) = (people(), ladder());
        let detail = FindingDetail::TheirsAbove {
            contact: PersonId::new(1),
            ours: PersonId::new(2),
            their_rank: 1,
            our_rank: 5,
            distance: 4,
        };
        assert_eq!(
            Names::new(Language::En, &people, &levels).finding(&detail),
            "Dr. Ulrike Brandt (Managing director) is served by Jonas Krüger (Specialist/clerk), \
             4 levels below. At the same level people speak the same language."
        );
        assert_eq!(
            Names::new(Language::De, &people, &levels).finding(&detail),
            "Dr. Ulrike Brandt (Geschäftsführung) wird von Jonas Krüger (Sachbearbeitung) \
             betreut – 4 Ebenen darunter. Auf Augenhöhe spricht man dieselbe Sprache."
        );
    }

    #[test]
    fn a_proposal_explains_itself() {
        let (people, levels) = (people(), ladder());
        let reasons = [
            Reason::SameLevel { rank: 1 },
            Reason::Replaces {
                previous: PersonId::new(2),
                distance: Some(4),
                rating: None,
            },
            Reason::WithinResponsibleUnit {
                unit: counterpart_core::ids::UnitId::new(1),
            },
        ];
        // Short phrases; whom it replaces is the "current" column's to say.
        assert_eq!(
            Names::new(Language::En, &people, &levels).reasons(PersonId::new(1), &reasons),
            [
                "Same level (Managing director)",
                "Within the responsible unit"
            ]
        );
        assert_eq!(
            Names::new(Language::De, &people, &levels).reasons(PersonId::new(1), &reasons),
            [
                "Gleiche Ebene (Geschäftsführung)",
                "In der verantwortlichen Einheit"
            ]
        );
    }

    #[test]
    fn unknown_people_and_levels_are_named_as_such() {
        let (people, levels) = (people(), ladder());
        let names = Names::new(Language::De, &people, &levels);
        assert_eq!(names.who(PersonId::new(99)), "#99 (Ebene unbekannt)");
        assert_eq!(names.level(Some(2)), "Ebene unbekannt");
    }
}
