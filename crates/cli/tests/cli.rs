//! End-to-end runs of the `counterpart` binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_counterpart");

/// A temporary SQLite file, removed on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("cp-cli-{name}-{}.db", std::process::id()));
        let db = Self(path);
        db.remove();
        db
    }

    fn url(&self) -> &str {
        self.0.to_str().unwrap()
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("COUNTERPART_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn demo_loads_once_and_users_can_be_managed() {
    let db = TempDb::new("demo");
    let first = run(&["demo", "--no-serve", "--database-url", db.url()], "");
    assert!(first.status.success(), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(text.contains("Loaded the demo: 6 organizations"), "{text}");
    assert!(
        text.contains("schneider") && text.contains("password for all: demo"),
        "{text}"
    );
    let again = run(&["demo", "--no-serve", "--database-url", db.url()], "");
    assert!(
        stdout(&again).contains("Using the existing demo database"),
        "{}",
        stdout(&again)
    );

    let added = run(
        &[
            "user",
            "add",
            "m.jaeger",
            "--name",
            "Martina Jäger",
            "--role",
            "editor",
            "--password-stdin",
            "--database-url",
            db.url(),
        ],
        "a long enough password\n",
    );
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("Created user m.jaeger (editor)"));
    assert!(
        !stdout(&added).contains("a long enough password"),
        "a typed password is never echoed"
    );

    let weak = run(
        &[
            "user",
            "add",
            "x.weak",
            "--name",
            "W",
            "--password-stdin",
            "--database-url",
            db.url(),
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(stderr(&weak).contains("password"), "{}", stderr(&weak));

    let generated = run(
        &["user", "passwd", "m.jaeger", "--database-url", db.url()],
        "",
    );
    assert!(
        stdout(&generated).contains("Password (shown only once): "),
        "{}",
        stdout(&generated)
    );

    let disabled = run(
        &["user", "disable", "m.jaeger", "--database-url", db.url()],
        "",
    );
    assert!(disabled.status.success());
    let list = stdout(&run(&["user", "list", "--database-url", db.url()], ""));
    let line = list.lines().find(|l| l.starts_with("m.jaeger")).unwrap();
    assert!(line.contains("editor") && line.contains(" no "), "{line}");
    assert!(list.contains("schneider"));

    let unknown = run(
        &["user", "disable", "nobody", "--database-url", db.url()],
        "",
    );
    assert_eq!(unknown.status.code(), Some(2));

    // Sessions ended and a second factor reset from the command line (none here to end or
    // reset: the pages' and the store's tests cover the effect).
    let ended = run(
        &[
            "user",
            "end-sessions",
            "schneider",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(ended.status.success(), "{}", stderr(&ended));
    assert_eq!(stdout(&ended).trim(), "Ended 0 session(s) of schneider.");
    let reset = run(
        &[
            "user",
            "reset-second-factor",
            "schneider",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(reset.status.success(), "{}", stderr(&reset));
    assert_eq!(stdout(&reset).trim(), "schneider has no second factor.");
    let unknown = run(
        &[
            "user",
            "reset-second-factor",
            "nobody",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert_eq!(unknown.status.code(), Some(2));

    // A user for a person of our house, by id or later by e-mail address.
    let no_person = run(
        &[
            "user",
            "add",
            "p.none",
            "--name",
            "P",
            "--person",
            "999999",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert_eq!(no_person.status.code(), Some(2));
    assert!(
        stderr(&no_person).contains("person_id"),
        "{}",
        stderr(&no_person)
    );
    let cfo = counterpart_core::demo::organizations()
        .into_iter()
        .flat_map(|o| o.people)
        .find(|p| p.key == "nl-cfo")
        .unwrap();
    let by_mail = run(
        &[
            "user",
            "add",
            "m.gb",
            "--name",
            "Matthias",
            "--email",
            &cfo.email.to_uppercase(),
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(by_mail.status.success(), "{}", stderr(&by_mail));
    let linked = run(&["user", "link-by-email", "--database-url", db.url()], "");
    assert!(linked.status.success(), "{}", stderr(&linked));
    assert!(
        stdout(&linked).contains("m.gb → Matthias Große-Böckmann")
            && stdout(&linked).contains("Linked 1 user(s)."),
        "{}",
        stdout(&linked)
    );
}

#[test]
fn demo_refuses_a_database_that_is_not_the_demo() {
    let db = TempDb::new("notdemo");
    let added = run(
        &[
            "user",
            "add",
            "admin2",
            "--name",
            "A",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let demo = run(&["demo", "--no-serve", "--database-url", db.url()], "");
    assert_eq!(demo.status.code(), Some(2));
    assert!(stderr(&demo).contains("not the demo"), "{}", stderr(&demo));
}

#[test]
fn serve_creates_a_first_admin_and_stops_on_sigterm() {
    let db = TempDb::new("serve");
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", db.url()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut password = None;
    let mut address = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(p) = line.trim().strip_prefix("password: ") {
            password = Some(p.to_owned());
        }
        if let Some(rest) = line.strip_prefix("Counterpart is running at http://") {
            address = rest.split_whitespace().next().map(str::to_owned);
            break;
        }
    }
    let password = password.expect("a generated admin password is printed");
    assert_eq!(password.len(), 20);
    let address = address.expect("the address is printed");

    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{response}"
    );

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    // A second start does not create another admin.
    let list = stdout(&run(&["user", "list", "--database-url", db.url()], ""));
    assert_eq!(
        list.lines().filter(|l| l.starts_with("admin")).count(),
        1,
        "{list}"
    );
}

#[test]
fn solve_prints_the_optimum_and_names_bad_lines() {
    let dir = std::env::temp_dir();
    let good = dir.join(format!("cp-cli-{}.min", std::process::id()));
    // Two units from node 1 to node 3: directly (cost 5 each, capacity 1) or via node 2 (2 + 2).
    std::fs::write(
        &good,
        "c tiny\np min 3 3\nn 1 2\nn 3 -2\na 1 3 0 1 5\na 1 2 0 2 2\na 2 3 0 2 2\n",
    )
    .unwrap();
    let solved = run(&["solve", good.to_str().unwrap()], "");
    assert!(solved.status.success(), "{}", stderr(&solved));
    let text = stdout(&solved);
    assert_eq!(text.lines().next(), Some("s 8"), "{text}");
    assert!(
        text.contains("f 1 2 2") && text.contains("f 2 3 2"),
        "{text}"
    );

    let bad = dir.join(format!("cp-cli-bad-{}.min", std::process::id()));
    std::fs::write(&bad, "p min 3 1\nn 1 1\nn 3 -1\na 1 9 0 1 1\n").unwrap();
    let failed = run(&["solve", bad.to_str().unwrap()], "");
    assert_eq!(failed.status.code(), Some(2));
    assert!(stderr(&failed).contains("line 4"), "{}", stderr(&failed));

    let infeasible = dir.join(format!("cp-cli-inf-{}.min", std::process::id()));
    std::fs::write(&infeasible, "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 3 1\n").unwrap();
    let failed = run(&["solve", infeasible.to_str().unwrap()], "");
    assert_eq!(failed.status.code(), Some(2));
    assert!(
        stderr(&failed).contains("no feasible flow"),
        "{}",
        stderr(&failed)
    );
    let _ = std::fs::remove_file(infeasible);

    // A reference instance, gzipped: the known optimum.
    let reference = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../core/tests/data/mincostflow/S.min.gz"
    );
    let solved = run(&["solve", reference], "");
    assert_eq!(stdout(&solved).lines().next(), Some("s 2277"));

    let missing = run(&["solve", "/nonexistent/file.min"], "");
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_file(good);
    let _ = std::fs::remove_file(bad);
}

#[test]
fn bad_arguments_are_explained() {
    let bad_bind = run(&["serve", "--bind", "not-an-address"], "");
    assert_eq!(bad_bind.status.code(), Some(2));
    assert!(
        stderr(&bad_bind).contains("--bind"),
        "{}",
        stderr(&bad_bind)
    );
    let bad_zone = run(&["serve", "--time-zone", "Mars/Olympus"], "");
    assert_eq!(bad_zone.status.code(), Some(2));
    assert!(
        stderr(&bad_zone).contains("not a time zone"),
        "{}",
        stderr(&bad_zone)
    );
    let half_mail = run(&["serve", "--smtp-url", "smtp://mail.example.com"], "");
    assert_eq!(half_mail.status.code(), Some(2));
    assert!(
        stderr(&half_mail).contains("--mail-from"),
        "{}",
        stderr(&half_mail)
    );
    let bad_sender = run(
        &[
            "serve",
            "--smtp-url",
            "smtp://mail.example.com",
            "--mail-from",
            "kam",
            "--bind",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_eq!(bad_sender.status.code(), Some(2));
    assert!(
        stderr(&bad_sender).contains("not a sender address"),
        "{}",
        stderr(&bad_sender)
    );
    let no_rate = run(&["serve", "--api-rate-limit", "0"], "");
    assert_eq!(no_rate.status.code(), Some(2));
    assert!(
        stderr(&no_rate).contains("--api-rate-limit"),
        "{}",
        stderr(&no_rate)
    );
    let bad_url = run(&["migrate", "--database-url", "mysql://x"], "");
    assert_eq!(bad_url.status.code(), Some(2));
    assert!(
        stderr(&bad_url).contains("unsupported scheme"),
        "{}",
        stderr(&bad_url)
    );
    let help = run(&["--help"], "");
    assert!(
        stdout(&help).contains("hierarchical key account management"),
        "{}",
        stdout(&help)
    );
}

#[test]
fn export_restore_and_backup_round_trip() {
    let source = TempDb::new("dump-src");
    assert!(
        run(&["demo", "--no-serve", "--database-url", source.url()], "")
            .status
            .success()
    );
    let dir = std::env::temp_dir();
    let dump = dir.join(format!("cp-cli-dump-{}.json", std::process::id()));
    let again = dir.join(format!("cp-cli-dump2-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&dump);
    let _ = std::fs::remove_file(&again);
    let exported = run(
        &[
            "export",
            "--all",
            dump.to_str().unwrap(),
            "--database-url",
            source.url(),
        ],
        "",
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let refused = run(
        &[
            "export",
            "--all",
            dump.to_str().unwrap(),
            "--database-url",
            source.url(),
        ],
        "",
    );
    assert_eq!(
        refused.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );

    let target = TempDb::new("dump-dst");
    let restored = run(
        &[
            "restore",
            dump.to_str().unwrap(),
            "--database-url",
            target.url(),
        ],
        "",
    );
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(
        stdout(&restored).contains("persons"),
        "{}",
        stdout(&restored)
    );
    let twice = run(
        &[
            "restore",
            dump.to_str().unwrap(),
            "--database-url",
            target.url(),
        ],
        "",
    );
    assert_eq!(twice.status.code(), Some(2));
    assert!(stderr(&twice).contains("not empty"), "{}", stderr(&twice));
    assert!(
        run(
            &[
                "export",
                "--all",
                again.to_str().unwrap(),
                "--database-url",
                target.url()
            ],
            ""
        )
        .status
        .success()
    );
    assert_eq!(
        std::fs::read(&dump).unwrap(),
        std::fs::read(&again).unwrap(),
        "dump → restore → dump is identical"
    );

    let copy = TempDb::new("backup");
    let backed = run(&["backup", copy.url(), "--database-url", source.url()], "");
    assert!(backed.status.success(), "{}", stderr(&backed));
    let list = stdout(&run(&["user", "list", "--database-url", copy.url()], ""));
    assert!(
        list.contains("schneider"),
        "the copy is a working database: {list}"
    );
    let _ = std::fs::remove_file(dump);
    let _ = std::fs::remove_file(again);
}

#[test]
fn import_is_a_dry_run_until_commit_and_reimports_match() {
    let db = TempDb::new("import");
    let dir = std::env::temp_dir();
    let csv = dir.join(format!("cp-cli-import-{}.csv", std::process::id()));
    // Windows-1252 as German Excel writes it, one unknown level in row 3.
    let text = "Vorname;Nachname;Position;Ebene;Abteilung;Vorgesetzte(r);E-Mail\r\n\
                Margarete;Jöns;Vorstandsvorsitzende;1;Vorstand;;m.joens@rk.example\r\n\
                Björn;Groß;Leiter Einkauf;Häuptling;Einkauf;m.joens@rk.example;b.gross@rk.example\r\n";
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(&csv, &latin1).unwrap();
    let args = [
        "import",
        csv.to_str().unwrap(),
        "--org",
        "Rheinland Kliniken",
        "--lang",
        "de",
        "--database-url",
        db.url(),
    ];
    let bad = run(&args, "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stdout(&bad).contains("Zeile 3, Spalte „Ebene“"),
        "{}",
        stdout(&bad)
    );
    assert!(
        stdout(&bad).contains("Nachname"),
        "the detected mapping is shown"
    );

    let fixed: Vec<u8> = text
        .replace("Häuptling", "3")
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(&csv, fixed).unwrap();
    let dry = run(&args, "");
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("Dry run: nothing was written"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&dry).contains("does not exist yet"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&dry).contains("Jöns"),
        "umlauts survive Windows-1252: {}",
        stdout(&dry)
    );

    let mut commit = args.to_vec();
    commit.push("--commit");
    let done = run(&commit, "");
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(
        stdout(&done).contains("Created the organization"),
        "{}",
        stdout(&done)
    );
    assert!(
        stdout(&done).contains("2 created, 0 updated, 0 unchanged, 2 new unit(s)"),
        "{}",
        stdout(&done)
    );
    let again = run(&commit, "");
    assert!(
        stdout(&again).contains("0 created, 0 updated, 2 unchanged"),
        "{}",
        stdout(&again)
    );

    // An XLSX written by our own export imports the same way; --map corrects a column.
    let table = counterpart_core::exchange::read::Table::from_rows(
        vec!["Nachname".into(), "Mail".into(), "Aufgabe".into()],
        vec![vec![
            "Kleine".into(),
            "k.kleine@rk.example".into(),
            "Einkäuferin".into(),
        ]],
    );
    let xlsx = dir.join(format!("cp-cli-import-{}.xlsx", std::process::id()));
    std::fs::write(
        &xlsx,
        counterpart_core::exchange::write::write_xlsx(&[("Personen", &table)]).unwrap(),
    )
    .unwrap();
    let mapped = run(
        &[
            "import",
            xlsx.to_str().unwrap(),
            "--org",
            "Rheinland Kliniken",
            "--map",
            "Aufgabe=job_title",
            "--commit",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(
        mapped.status.success(),
        "{}{}",
        stdout(&mapped),
        stderr(&mapped)
    );
    assert!(
        stdout(&mapped).contains("Aufgabe") && stdout(&mapped).contains("job_title"),
        "{}",
        stdout(&mapped)
    );
    assert!(stdout(&mapped).contains("1 created"), "{}", stdout(&mapped));
    // The export of the organization imports into another one with the same people.
    let out = dir.join(format!("cp-cli-export-{}.csv", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let exported = run(
        &[
            "export",
            "--org",
            "rheinland kliniken",
            out.to_str().unwrap(),
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(
        stdout(&exported).contains("Wrote 3 people"),
        "{}{}",
        stdout(&exported),
        stderr(&exported)
    );
    let copy = run(
        &[
            "import",
            out.to_str().unwrap(),
            "--org",
            "Kopie",
            "--commit",
            "--database-url",
            db.url(),
        ],
        "",
    );
    assert!(stdout(&copy).contains("3 created"), "{}", stdout(&copy));
    let _ = std::fs::remove_file(out);
    let _ = std::fs::remove_file(csv);
    let _ = std::fs::remove_file(xlsx);
}

#[test]
fn token_create_prints_a_working_token_once_and_names_bad_input() {
    use counterpart_core::audit::{AuditAction, EntityKind};
    use counterpart_core::user::{TokenKind, TokenScope};

    let db = TempDb::new("token");
    let loaded = run(&["demo", "--no-serve", "--database-url", db.url()], "");
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let create = |user: &str, scope: &str, days: &str, label: &str| {
        run(
            &[
                "token",
                "create",
                "--user",
                user,
                "--scope",
                scope,
                "--days",
                days,
                "--label",
                label,
                "--database-url",
                db.url(),
            ],
            "",
        )
    };

    let made = create("schneider", "write", "2", "Schemathesis");
    assert!(made.status.success(), "{}", stderr(&made));
    // Standard output is the token alone, for `TOKEN=$(counterpart token create …)`.
    let secret = stdout(&made).trim_end().to_owned();
    assert_eq!(secret.len(), 64, "{secret:?}");
    assert!(secret.chars().all(|c| c.is_ascii_hexdigit()), "{secret:?}");
    assert!(
        stderr(&made).contains("for schneider") && stderr(&made).contains("shown only once"),
        "{}",
        stderr(&made)
    );
    let read = create("gast", "read", "1", "Lesen");
    assert!(read.status.success(), "{}", stderr(&read));
    assert_ne!(stdout(&read).trim_end(), secret);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = counterpart_store::Store::connect(db.url()).await.unwrap();
        let token = store
            .use_token(&secret, TokenKind::Api)
            .await
            .unwrap()
            .expect("the printed token opens the API");
        assert_eq!(token.scope, TokenScope::Write);
        assert_eq!(token.label, "Schemathesis");
        assert_eq!(
            store.user(token.user_id).await.unwrap().username,
            "schneider"
        );
        // Two days from its making (the moments differ by the time the command took).
        let minutes = (token.expires_at.unwrap() - token.created_at).num_minutes();
        assert!(
            (2 * 24 * 60 - 5..=2 * 24 * 60).contains(&minutes),
            "{minutes}"
        );
        let audited = store
            .audit_entries(&counterpart_store::AuditFilter {
                entity: Some(EntityKind::AccessToken),
                entity_id: Some(token.id),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(audited.len(), 1, "{audited:?}");
        assert_eq!(audited[0].action, AuditAction::Create);
        assert_eq!(audited[0].actor_name, "Kommandozeile / command line");
        // Only the hash is stored: the secret is in no audit row.
        assert!(
            !audited[0]
                .after
                .clone()
                .unwrap_or_default()
                .contains(&secret)
        );
    });

    // Wrong input: exit code 2, the field named, nothing printed on standard output.
    for (user, scope, days, label, named) in [
        ("niemand", "read", "1", "x-test", "username"),
        ("gast", "write", "1", "x-test", "scope"),
        ("schneider", "read", "0", "x-test", "days"),
        ("schneider", "read", "366", "x-test", "days"),
        ("schneider", "read", "1", "", "label"),
        ("schneider", "read", "1", "bell\u{7}", "label"),
    ] {
        let refused = create(user, scope, days, label);
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{user} {scope} {days} {label:?}: {}",
            stderr(&refused)
        );
        assert!(
            stderr(&refused).contains(named),
            "{named}: {}",
            stderr(&refused)
        );
        assert_eq!(stdout(&refused), "", "{named}");
    }
    let unknown_scope = create("schneider", "admin", "1", "x-test");
    assert_eq!(unknown_scope.status.code(), Some(2));
    assert!(
        stderr(&unknown_scope).contains("--scope"),
        "{}",
        stderr(&unknown_scope)
    );
    runtime.block_on(async {
        let store = counterpart_store::Store::connect(db.url()).await.unwrap();
        let tokens = store
            .audit_entries(&counterpart_store::AuditFilter {
                entity: Some(EntityKind::AccessToken),
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(tokens.len(), 2, "only the two good tokens were made");
    });
}
