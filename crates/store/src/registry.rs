//! Every table of the schema, once, in load order (parents before children): what the dump,
//! the restore, the bulk loaders' identity reset and the schema checks read, so that a new
//! table cannot be forgotten in one of them. A test compares it with the live schema on both
//! backends: a table missing here, a parent listed after its child, or a self-reference not
//! named fails it.
//!
//! Each table also says what data protection needs to know about it: why it is kept
//! ([`Purpose`]), for how long ([`Retention`]), who sees it ([`Audience`]) — the records of
//! processing (Art. 30 DSGVO) are generated from that — and how its rows relate to a person
//! ([`Link`]): the access report (Art. 15) reads exactly those links, and a test fails when a
//! column pointing to `persons` or `users` is not covered by one.

/// What a table holds, and so whether a backup carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Data of the organization: in every dump, restored.
    Data,
    /// Who is logged in, login throttling, trusted browsers: not data; a restored instance
    /// starts without them.
    Sessions,
    /// Files waiting for a confirmation (kept a day) and jobs waiting to run: not backed up
    /// (a restored database recomputes what it derives).
    Staging,
    /// The migrations applied: written by the program itself.
    Schema,
}

/// Why a table is kept: the purpose of processing (Art. 30 (1) b DSGVO).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    /// Organizations, units, the ladder and the functions: the structure people are placed in.
    Structure,
    /// People with their contact data and positions: who works where, at which level.
    People,
    /// Accounts, key contacts, counterparts, ratings and locks: the hierarchical relationship
    /// management itself.
    Relationships,
    /// Importance criteria, the team's weights and ratings, scores: which accounts matter most.
    Importance,
    /// What the mirror analysis derives: scores over time and findings.
    Analysis,
    /// Insights and the contact log: what our people learned and when they spoke to whom.
    Knowledge,
    /// The customer jour fixe: series, meetings, agendas, contributions, actions.
    JourFixe,
    /// The guiding questions' self-assessments.
    Guiding,
    /// User accounts, sessions, trusted browsers, login throttling, secret feed addresses:
    /// who may use the product, and keeping others out.
    Access,
    /// The audit log: who changed what, when (accountability, Art. 5 (2) DSGVO).
    Accountability,
    /// Running the product: settings, migrations, the job queue, uploads waiting for a
    /// confirmation, digests sent.
    Operation,
}

/// For how long a table's rows are kept (Art. 30 (1) f DSGVO).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retention {
    /// Until someone changes or deletes them (deactivated records are kept, hidden).
    UntilDeleted,
    /// Kept as history: never changed, they show a trend or who did what.
    History,
    /// Until the session ends: logout, its expiry, or its user ending it from the list of
    /// their sessions.
    Session,
    /// Five minutes: a login half done, waiting for its second factor's code.
    Minutes,
    /// A year at most (a trusted browser), the newest few per user.
    Year,
    /// A day: login throttling idle for a day, uploads not confirmed within 24 hours.
    Day,
    /// Until the user revokes and removes the address.
    UntilRevoked,
    /// Until the user turns it off (or an administrator resets it).
    UntilTurnedOff,
    /// Until the job is done.
    UntilDone,
    /// For as long as the database exists: the program's own bookkeeping.
    Permanent,
}

/// Who can see a table's rows in the product's pages (administrators see every table's rows
/// about one person in an access report).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Every logged-in user (viewers, editors, administrators).
    Everyone,
    /// Every logged-in user, except what belongs to a restricted account: that only the
    /// account's responsible unit, the units above it, and administrators (ADR 0011).
    EveryoneButRestricted,
    /// Every logged-in user, except confidential records (those only their author, the
    /// author's unit and the units above it, and administrators) and what is recorded on a
    /// restricted account (as for [`Audience::EveryoneButRestricted`]).
    EveryoneButConfidentialOrRestricted,
    /// The user they belong to only.
    Owner,
    /// Administrators only.
    Admins,
    /// Nobody: only the program reads them.
    Program,
}

/// How a group of a table's rows relates to a person, as the access report (Art. 15 DSGVO)
/// names its sections. Each is one [`Link`] of the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Section {
    /// The person's own record.
    MasterData,
    /// The people who report to them (names only).
    DirectReports,
    /// The people who assist them (names only).
    Assistants,
    /// Their positions over time.
    Positions,
    /// Their user account (never the password hash).
    UserAccount,
    /// Their sessions (dates and the browser's coarse label only).
    Sessions,
    /// Their second factor (the date it was turned on, never the secret).
    SecondFactor,
    /// Their recovery codes (dates only, never the codes).
    RecoveryCodes,
    /// Their logins half done, waiting for the code (dates only).
    LoginChallenges,
    /// The browsers they logged in from before (dates only).
    TrustedDevices,
    /// Their API tokens and secret feed and calendar addresses (kind, label and dates only).
    AccessTokens,
    /// Failed logins counted under their login name.
    LoginThrottle,
    /// The weekly digests sent to them.
    DigestMails,
    /// Files they uploaded for an import, waiting for confirmation (name and date only).
    ImportUploads,
    /// Audit entries about their person record.
    AuditAboutPerson,
    /// Audit entries about their user account.
    AuditAboutUser,
    /// Access reports produced about them.
    AccessReports,
    /// Audit entries of changes they made (what and when, without the values).
    AuditByThem,
    /// Accounts they are the key account manager of.
    AccountsManaged,
    /// Their roles as a key contact of an account.
    KeyContacts,
    /// Their counterparts among our people (they are the partner).
    CounterpartsTheirs,
    /// The partner people they are the counterpart of.
    CounterpartsOurs,
    /// Ratings of the relationships they are part of.
    RatingsReceived,
    /// Ratings they gave.
    RatingsGiven,
    /// Keep/never locks on pairs they are part of.
    Locks,
    /// Mirror findings that name them.
    Findings,
    /// Their proposed weights for the importance criteria.
    WeightProposals,
    /// Their ratings of accounts on the importance criteria.
    ImportanceRatings,
    /// Insights about them.
    InsightsAbout,
    /// Insights they were the source of.
    InsightsFrom,
    /// Insights they recorded.
    InsightsBy,
    /// Contacts logged with them.
    ContactsWith,
    /// Contacts they logged.
    ContactsBy,
    /// Contacts at which they were present besides the partner and the author.
    ContactsAttended,
    /// Their presence at logged contacts.
    ContactPresence,
    /// Jour-fixe series they convene.
    SeriesConvened,
    /// Jour-fixe series they take part in.
    Participations,
    /// Agenda items they added.
    AgendaItems,
    /// What they contributed in meetings.
    Contributions,
    /// Actions they own.
    Actions,
    /// Actions they created (for someone, or for themselves).
    ActionsCreated,
    /// Guiding-question answer sets they wrote.
    GuidingAnswerSets,
    /// The answers of those sets.
    GuidingAnswers,
}

impl Section {
    /// Its key in the access report's JSON.
    pub fn key(self) -> &'static str {
        match self {
            Self::MasterData => "master_data",
            Self::DirectReports => "direct_reports",
            Self::Assistants => "assistants",
            Self::Positions => "positions",
            Self::UserAccount => "user_account",
            Self::Sessions => "sessions",
            Self::SecondFactor => "second_factor",
            Self::RecoveryCodes => "recovery_codes",
            Self::LoginChallenges => "login_challenges",
            Self::TrustedDevices => "trusted_devices",
            Self::AccessTokens => "access_tokens",
            Self::LoginThrottle => "login_throttle",
            Self::DigestMails => "digest_mails",
            Self::ImportUploads => "import_uploads",
            Self::AuditAboutPerson => "audit_about_person",
            Self::AuditAboutUser => "audit_about_user",
            Self::AccessReports => "access_reports",
            Self::AuditByThem => "audit_by_them",
            Self::AccountsManaged => "accounts_managed",
            Self::KeyContacts => "key_contacts",
            Self::CounterpartsTheirs => "counterparts_theirs",
            Self::CounterpartsOurs => "counterparts_ours",
            Self::RatingsReceived => "ratings_received",
            Self::RatingsGiven => "ratings_given",
            Self::Locks => "locks",
            Self::Findings => "findings",
            Self::WeightProposals => "weight_proposals",
            Self::ImportanceRatings => "importance_ratings",
            Self::InsightsAbout => "insights_about",
            Self::InsightsFrom => "insights_from",
            Self::InsightsBy => "insights_by",
            Self::ContactsWith => "contacts_with",
            Self::ContactsBy => "contacts_by",
            Self::ContactsAttended => "contacts_attended",
            Self::ContactPresence => "contact_presence",
            Self::SeriesConvened => "series_convened",
            Self::Participations => "participations",
            Self::AgendaItems => "agenda_items",
            Self::Contributions => "contributions",
            Self::Actions => "actions",
            Self::ActionsCreated => "actions_created",
            Self::GuidingAnswerSets => "guiding_answer_sets",
            Self::GuidingAnswers => "guiding_answers",
        }
    }
}

/// Which columns of the linked rows the report shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Every column but secrets and derived search text ([`NEVER_SHOWN`]).
    All,
    /// Only these (the rows are someone else's, or hold secrets).
    Only(&'static [&'static str]),
}

/// Columns no access report shows: secrets (the password hash, token hashes), derived search
/// text, and stored files with their previews (other people's data).
pub const NEVER_SHOWN: &[&str] = &[
    "password_hash",
    "token_hash",
    "csrf_token",
    "secret",
    "code_hash",
    "search_text",
    "content",
    "preview",
    "mapping",
];

/// What erasing a person (Art. 17 DSGVO) does to the rows of one link. Every link says it, so
/// a table added with a column pointing to a person is erased as soon as its link is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erase {
    /// The rows go, and with them the rows of other tables that depend on them (the ratings
    /// of an assignment, the people present at a contact, a meeting's contribution quoting an
    /// insight).
    Delete,
    /// The rows stay, changed by this SQL `SET` clause, in which `{person}` and `{user}` stand
    /// for the ids as in conditions and `{pseudonym}` for the name that replaces theirs
    /// ("Früheres Teammitglied" / "former colleague").
    Set(&'static str),
    /// The rows stay as they are: someone else's record, or theirs attributed to their user
    /// account only, which is pseudonymised.
    Keep,
    /// Audit entries about the person or their account: the label becomes `#id` and the
    /// personal fields of the before/after JSON are removed; what happened and when stays.
    Redact,
    /// The erasure is refused while such rows exist: they must be handed to someone else
    /// first (a jour-fixe series needs a convenor).
    Refuse,
}

/// How some of a table's rows relate to a person: the rows where `condition` holds, in which
/// `{person}` stands for the person's id and `{user}` for their user account's (NULL when they
/// have none).
#[derive(Clone, Copy, Debug)]
pub struct Link {
    /// What the report calls these rows.
    pub section: Section,
    /// The columns by which these rows relate to the person: every column pointing to
    /// `persons` or `users` (foreign key or not) must be covered by a link of its table; a
    /// link through another table names the column it goes through.
    pub covers: &'static [&'static str],
    /// Which rows: SQL over the table's columns, written here, never by a user.
    pub condition: &'static str,
    /// Which of their columns the report shows.
    pub columns: Columns,
    /// What erasing the person does to these rows.
    pub erase: Erase,
}

const fn link(
    section: Section,
    covers: &'static [&'static str],
    condition: &'static str,
    erase: Erase,
) -> Link {
    Link {
        section,
        covers,
        condition,
        columns: Columns::All,
        erase,
    }
}

impl Link {
    /// The same link, showing only `columns`.
    const fn only(self, columns: &'static [&'static str]) -> Self {
        Self {
            columns: Columns::Only(columns),
            ..self
        }
    }
}

/// One table.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// The columns that order its rows in a dump (its primary key).
    pub order: &'static str,
    /// Columns that point into the table itself: restored in a second pass, so that the order
    /// of rows never violates a foreign key.
    pub self_references: &'static [&'static str],
    /// What it holds.
    pub holds: Holds,
    /// Why it is kept.
    pub purpose: Purpose,
    /// For how long.
    pub retention: Retention,
    /// Who sees it.
    pub audience: Audience,
    /// How its rows relate to a person, for the access report and the erasure.
    pub links: &'static [Link],
    /// Text columns that may hold a person's name, e-mail address or phone number as written
    /// (free text, a copied name, JSON): erasing the person replaces them there with the
    /// pseudonym, in every row.
    pub mentions: &'static [&'static str],
}

impl Table {
    /// Whether its key is a generated `id` whose generator must move past rows loaded with
    /// their ids.
    pub(crate) fn has_identity(&self) -> bool {
        self.order == "id"
    }

    /// The columns pointing to a person or a user that its links cover.
    pub fn personal_columns(&self) -> impl Iterator<Item = &'static str> {
        self.links.iter().flat_map(|l| l.covers.iter().copied())
    }
}

const fn data(
    name: &'static str,
    order: &'static str,
    purpose: Purpose,
    retention: Retention,
    audience: Audience,
) -> Table {
    Table {
        name,
        order,
        self_references: &[],
        holds: Holds::Data,
        purpose,
        retention,
        audience,
        links: &[],
        mentions: &[],
    }
}

use Audience::{
    Admins, Everyone, EveryoneButConfidentialOrRestricted, EveryoneButRestricted, Owner, Program,
};
use Purpose::{
    Access, Accountability, Analysis, Guiding, Importance, JourFixe, Knowledge, Operation, People,
    Relationships, Structure,
};
use Retention::{
    Day, History, Minutes, Permanent, Session, UntilDeleted, UntilDone, UntilRevoked,
    UntilTurnedOff, Year,
};

/// A user account erased: disabled, its login name replaced by `erased-<id>`, its name by the
/// pseudonym, its e-mail address, language and last login cleared, its password unusable (no
/// hash matches `!`), its person gone.
const USER_ERASED: &str = "username = 'erased-' || CAST(id AS TEXT), display_name = {pseudonym}, \
     email = NULL, password_hash = '!', person_id = NULL, language = NULL, last_login_at = NULL, \
     active = 0, version = version + 1";

/// A record they wrote on someone's user account, or someone wrote for them: it stays with
/// the user account, without the person.
const AUTHOR_PERSON_CLEARED: &str =
    "author_person_id = CASE WHEN author_person_id = {person} THEN NULL ELSE author_person_id END";

/// Dates of a secret address, never the address.
const TOKEN_DATES: &[&str] = &[
    "id",
    "kind",
    "scope",
    "label",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
];

/// Every table, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        holds: Holds::Schema,
        ..data(
            "schema_migrations",
            "version",
            Operation,
            Permanent,
            Program,
        )
    },
    data("meta", "key", Operation, Permanent, Program),
    data("levels", "id", Structure, UntilDeleted, Everyone),
    data("functions", "id", Structure, UntilDeleted, Everyone),
    data("organizations", "id", Structure, UntilDeleted, Everyone),
    Table {
        self_references: &["parent_id"],
        ..data("units", "id", Structure, UntilDeleted, Everyone)
    },
    Table {
        self_references: &["reports_to_id", "assistant_of_id"],
        links: &[
            link(Section::MasterData, &["id"], "id = {person}", Erase::Delete),
            link(
                Section::DirectReports,
                &["reports_to_id"],
                "reports_to_id = {person}",
                Erase::Set("reports_to_id = NULL, version = version + 1"),
            )
            .only(&["id", "given_name", "family_name"]),
            link(
                Section::Assistants,
                &["assistant_of_id"],
                "assistant_of_id = {person}",
                Erase::Set("assistant_of_id = NULL, version = version + 1"),
            )
            .only(&["id", "given_name", "family_name"]),
        ],
        mentions: &["notes"],
        ..data("persons", "id", People, UntilDeleted, Everyone)
    },
    Table {
        links: &[link(
            Section::Positions,
            &["person_id"],
            "person_id = {person}",
            Erase::Delete,
        )],
        ..data("positions", "id", People, History, Everyone)
    },
    Table {
        links: &[link(
            Section::UserAccount,
            &["person_id"],
            "person_id = {person}",
            Erase::Set(USER_ERASED),
        )],
        ..data("users", "id", Access, UntilDeleted, Admins)
    },
    // A session keeps the hash of its token, its CSRF token, when it began, was last seen
    // (to the minute) and ends, and a coarse browser label of fixed words ("Firefox,
    // Windows"): never the User-Agent header as sent, never an address. Its user sees them.
    Table {
        holds: Holds::Sessions,
        links: &[link(
            Section::Sessions,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(&["created_at", "last_seen_at", "expires_at", "device"])],
        ..data("sessions", "id", Access, Session, Owner)
    },
    // A login half done keeps the hash of its token, the user and five minutes of life.
    Table {
        holds: Holds::Sessions,
        links: &[link(
            Section::LoginChallenges,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(&["created_at", "expires_at"])],
        ..data("login_challenges", "token_hash", Access, Minutes, Program)
    },
    // The second factor keeps the TOTP secret (as it is: ADR 0012), when it was turned on and
    // the last time step accepted; the recovery codes only their hashes and when each was
    // used. They survive a restore, like the password hash they stand beside.
    Table {
        links: &[link(
            Section::SecondFactor,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(&["enabled_at"])],
        ..data("second_factors", "user_id", Access, UntilTurnedOff, Owner)
    },
    Table {
        links: &[link(
            Section::RecoveryCodes,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(&["created_at", "used_at"])],
        ..data("recovery_codes", "id", Access, UntilTurnedOff, Owner)
    },
    Table {
        holds: Holds::Sessions,
        links: &[link(
            Section::TrustedDevices,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(&["created_at"])],
        ..data("trusted_devices", "token_hash", Access, Year, Program)
    },
    Table {
        holds: Holds::Sessions,
        links: &[link(
            Section::LoginThrottle,
            &["key"],
            "key = 'name:' || (SELECT username FROM users WHERE id = {user})",
            Erase::Delete,
        )],
        ..data("login_throttle", "key", Access, Day, Program)
    },
    Table {
        links: &[
            link(
                Section::AuditAboutPerson,
                &["entity_id"],
                "entity = 'person' AND entity_id = {person}",
                Erase::Redact,
            ),
            link(
                Section::AuditAboutUser,
                &["entity_id"],
                "entity IN ('user', 'session', 'second_factor') AND entity_id = {user}",
                Erase::Redact,
            ),
            link(
                Section::AccessReports,
                &["entity_id"],
                "entity = 'access_report' AND entity_id = {person}",
                Erase::Keep,
            )
            .only(&["id", "at", "actor_name", "label"]),
            link(
                Section::AuditByThem,
                &["actor_user_id"],
                "actor_user_id = {user}",
                Erase::Set("actor_name = {pseudonym}"),
            )
            .only(&["id", "at", "entity", "entity_id", "action", "label"]),
        ],
        mentions: &["actor_name", "label", "before_json", "after_json"],
        ..data("audit_log", "id", Accountability, History, Admins)
    },
    data("criteria", "id", Importance, UntilDeleted, Everyone),
    Table {
        links: &[link(
            Section::AccountsManaged,
            &["manager_id"],
            "manager_id = {person}",
            Erase::Set("manager_id = NULL, version = version + 1"),
        )
        .only(&["id", "name", "relation", "active"])],
        mentions: &["mirror_brief"],
        ..data(
            "accounts",
            "id",
            Relationships,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[link(
            Section::KeyContacts,
            &["person_id"],
            "person_id = {person}",
            Erase::Delete,
        )],
        ..data(
            "key_contacts",
            "id",
            Relationships,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[
            link(
                Section::CounterpartsTheirs,
                &["partner_id"],
                "partner_id = {person}",
                Erase::Delete,
            ),
            link(
                Section::CounterpartsOurs,
                &["our_id"],
                "our_id = {person}",
                Erase::Delete,
            ),
        ],
        ..data(
            "assignments",
            "id",
            Relationships,
            History,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[
            link(
                Section::RatingsReceived,
                &["assignment_id"],
                "assignment_id IN (SELECT id FROM assignments \
                 WHERE partner_id = {person} OR our_id = {person})",
                Erase::Delete,
            ),
            link(
                Section::RatingsGiven,
                &["rated_by"],
                "rated_by = {user}",
                Erase::Set("rated_by_name = {pseudonym}"),
            ),
        ],
        mentions: &["comment", "rated_by_name"],
        ..data(
            "ratings",
            "id",
            Relationships,
            History,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[link(
            Section::WeightProposals,
            &["user_id"],
            "user_id = {user}",
            Erase::Keep,
        )],
        ..data(
            "weight_proposals",
            "criterion_id, user_id",
            Importance,
            UntilDeleted,
            Everyone,
        )
    },
    Table {
        links: &[link(
            Section::ImportanceRatings,
            &["user_id"],
            "user_id = {user}",
            Erase::Keep,
        )],
        ..data(
            "criterion_ratings",
            "account_id, criterion_id, user_id",
            Importance,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    data(
        "score_history",
        "id",
        Analysis,
        History,
        EveryoneButRestricted,
    ),
    Table {
        links: &[link(
            Section::Locks,
            &["partner_id", "our_id"],
            "partner_id = {person} OR our_id = {person}",
            Erase::Delete,
        )],
        mentions: &["created_by_name"],
        ..data(
            "counterpart_locks",
            "partner_id, our_id",
            Relationships,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    data(
        "mirror_history",
        "id",
        Analysis,
        History,
        EveryoneButRestricted,
    ),
    Table {
        links: &[link(
            Section::Findings,
            &["contact_id", "ours_id"],
            "contact_id = {person} OR ours_id = {person}",
            Erase::Delete,
        )],
        ..data("findings", "id", Analysis, History, EveryoneButRestricted)
    },
    Table {
        links: &[
            link(
                Section::InsightsAbout,
                &["partner_id"],
                "partner_id = {person}",
                Erase::Delete,
            ),
            link(
                Section::InsightsFrom,
                &["source_id"],
                "source_id = {person}",
                Erase::Set("source_id = NULL"),
            ),
            link(
                Section::InsightsBy,
                &["author_id", "author_person_id"],
                "author_id = {user} OR author_person_id = {person}",
                Erase::Set(AUTHOR_PERSON_CLEARED),
            ),
        ],
        mentions: &["text"],
        ..data(
            "insights",
            "id",
            Knowledge,
            UntilDeleted,
            EveryoneButConfidentialOrRestricted,
        )
    },
    Table {
        links: &[
            link(
                Section::ContactsWith,
                &["partner_id"],
                "partner_id = {person}",
                Erase::Delete,
            ),
            link(
                Section::ContactsBy,
                &["author_id", "author_person_id"],
                "author_id = {user} OR author_person_id = {person}",
                Erase::Set(AUTHOR_PERSON_CLEARED),
            ),
            link(
                Section::ContactsAttended,
                &["id"],
                "id IN (SELECT interaction_id FROM interaction_people WHERE person_id = {person})",
                Erase::Keep,
            ),
        ],
        mentions: &["summary"],
        ..data(
            "interactions",
            "id",
            Knowledge,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[link(
            Section::ContactPresence,
            &["person_id"],
            "person_id = {person}",
            Erase::Delete,
        )],
        ..data(
            "interaction_people",
            "interaction_id, person_id",
            Knowledge,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    // API tokens and subscriptions survive a restore: only the tokens' hashes are kept.
    Table {
        links: &[link(
            Section::AccessTokens,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )
        .only(TOKEN_DATES)],
        ..data("access_tokens", "id", Access, UntilRevoked, Owner)
    },
    Table {
        links: &[link(
            Section::SeriesConvened,
            &["convenor_id"],
            "convenor_id = {person}",
            Erase::Refuse,
        )],
        ..data("jf_series", "id", JourFixe, UntilDeleted, Everyone)
    },
    Table {
        links: &[link(
            Section::Participations,
            &["person_id"],
            "person_id = {person}",
            Erase::Delete,
        )],
        ..data(
            "jf_participants",
            "series_id, person_id",
            JourFixe,
            UntilDeleted,
            Everyone,
        )
    },
    data(
        "jf_series_accounts",
        "series_id, account_id",
        JourFixe,
        UntilDeleted,
        EveryoneButRestricted,
    ),
    data("jf_meetings", "id", JourFixe, History, Everyone),
    Table {
        links: &[link(
            Section::AgendaItems,
            &["added_by"],
            "added_by = {user}",
            Erase::Keep,
        )],
        mentions: &["title", "prepared"],
        ..data("jf_items", "id", JourFixe, History, EveryoneButRestricted)
    },
    Table {
        links: &[link(
            Section::Contributions,
            &["author_id"],
            "author_id = {user}",
            Erase::Set("author_name = {pseudonym}"),
        )],
        mentions: &["text", "author_name"],
        ..data(
            "jf_contributions",
            "id",
            JourFixe,
            History,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[
            link(
                Section::Actions,
                &["owner_id"],
                "owner_id = {person}",
                Erase::Delete,
            ),
            link(
                Section::ActionsCreated,
                &["created_by"],
                "created_by = {user}",
                Erase::Keep,
            ),
        ],
        mentions: &["title"],
        ..data(
            "jf_actions",
            "id",
            JourFixe,
            UntilDeleted,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[link(
            Section::GuidingAnswerSets,
            &["author_id"],
            "author_id = {user}",
            Erase::Set("author_name = {pseudonym}"),
        )],
        mentions: &["author_name"],
        ..data(
            "guiding_answer_sets",
            "id",
            Guiding,
            History,
            EveryoneButRestricted,
        )
    },
    Table {
        links: &[link(
            Section::GuidingAnswers,
            &["set_id"],
            "set_id IN (SELECT id FROM guiding_answer_sets WHERE author_id = {user})",
            Erase::Keep,
        )],
        mentions: &["evidence", "comment"],
        ..data(
            "guiding_answers",
            "set_id, question",
            Guiding,
            History,
            EveryoneButRestricted,
        )
    },
    Table {
        holds: Holds::Staging,
        links: &[link(
            Section::ImportUploads,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )],
        ..data("import_uploads", "id", Operation, Day, Owner)
    },
    Table {
        holds: Holds::Staging,
        ..data("jobs", "id", Operation, UntilDone, Program)
    },
    Table {
        holds: Holds::Staging,
        links: &[link(
            Section::DigestMails,
            &["user_id"],
            "user_id = {user}",
            Erase::Delete,
        )],
        ..data("digest_mails", "week, user_id", Operation, History, Program)
    },
];

/// Every table, in load order.
pub fn tables() -> &'static [Table] {
    TABLES
}

/// The tables a dump carries, in load order.
pub(crate) fn dumped() -> impl Iterator<Item = &'static Table> {
    TABLES.iter().filter(|t| t.holds == Holds::Data)
}

/// The tables the records of processing list: every table but the migrations applied.
pub fn processed() -> impl Iterator<Item = &'static Table> {
    TABLES.iter().filter(|t| t.holds != Holds::Schema)
}

/// Every link of every table, with its table, in load order.
pub fn links() -> impl Iterator<Item = (&'static Table, &'static Link)> {
    TABLES
        .iter()
        .flat_map(|t| t.links.iter().map(move |l| (t, l)))
}
