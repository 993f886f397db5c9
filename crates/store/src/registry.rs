//! Every table of the schema, once, in load order (parents before children): what the dump,
//! the restore, the bulk loaders' identity reset and the schema checks read, so that a new
//! table cannot be forgotten in one of them. A test compares it with the live schema on both
//! backends: a table missing here, a parent listed after its child, or a self-reference not
//! named fails it.

/// What a table holds, and so whether a backup carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holds {
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

/// One table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Table {
    /// Its name.
    pub(crate) name: &'static str,
    /// The columns that order its rows in a dump (its primary key).
    pub(crate) order: &'static str,
    /// Columns that point into the table itself: restored in a second pass, so that the order
    /// of rows never violates a foreign key.
    pub(crate) self_references: &'static [&'static str],
    /// What it holds.
    pub(crate) holds: Holds,
}

impl Table {
    /// Whether its key is a generated `id` whose generator must move past rows loaded with
    /// their ids.
    pub(crate) fn has_identity(&self) -> bool {
        self.order == "id"
    }
}

const fn data(name: &'static str, order: &'static str) -> Table {
    Table {
        name,
        order,
        self_references: &[],
        holds: Holds::Data,
    }
}

/// Every table, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        holds: Holds::Schema,
        ..data("schema_migrations", "version")
    },
    data("meta", "key"),
    data("levels", "id"),
    data("functions", "id"),
    data("organizations", "id"),
    Table {
        self_references: &["parent_id"],
        ..data("units", "id")
    },
    Table {
        self_references: &["reports_to_id", "assistant_of_id"],
        ..data("persons", "id")
    },
    data("positions", "id"),
    data("users", "id"),
    Table {
        holds: Holds::Sessions,
        ..data("sessions", "token_hash")
    },
    Table {
        holds: Holds::Sessions,
        ..data("trusted_devices", "token_hash")
    },
    Table {
        holds: Holds::Sessions,
        ..data("login_throttle", "key")
    },
    data("audit_log", "id"),
    data("criteria", "id"),
    data("accounts", "id"),
    data("key_contacts", "id"),
    data("assignments", "id"),
    data("ratings", "id"),
    data("weight_proposals", "criterion_id, user_id"),
    data("criterion_ratings", "account_id, criterion_id, user_id"),
    data("score_history", "id"),
    data("counterpart_locks", "partner_id, our_id"),
    data("mirror_history", "id"),
    data("findings", "id"),
    data("insights", "id"),
    data("interactions", "id"),
    data("interaction_people", "interaction_id, person_id"),
    // Subscriptions survive a restore: only the tokens' hashes are kept.
    data("feed_tokens", "id"),
    data("jf_series", "id"),
    data("jf_participants", "series_id, person_id"),
    data("jf_series_accounts", "series_id, account_id"),
    data("jf_meetings", "id"),
    data("jf_items", "id"),
    data("jf_contributions", "id"),
    data("jf_actions", "id"),
    data("calendar_tokens", "id"),
    data("guiding_answer_sets", "id"),
    data("guiding_answers", "set_id, question"),
    Table {
        holds: Holds::Staging,
        ..data("import_uploads", "id")
    },
    Table {
        holds: Holds::Staging,
        ..data("jobs", "id")
    },
    Table {
        holds: Holds::Staging,
        ..data("digest_mails", "week, user_id")
    },
];

/// The tables a dump carries, in load order.
pub(crate) fn dumped() -> impl Iterator<Item = &'static Table> {
    TABLES.iter().filter(|t| t.holds == Holds::Data)
}
