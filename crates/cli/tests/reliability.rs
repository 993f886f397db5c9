//! The reliability suite: the `counterpart` binary under attack and accident, on loopback only,
//! each run bounded. A login burst against a running server, import bombs under an
//! address-space limit, `kill -9` in the middle of an import, and two server instances on one
//! PostgreSQL database. What each proves and its figures are in RELIABILITY.md.

mod http;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use http::{Browser, Response};

const BIN: &str = env!("CARGO_BIN_EXE_counterpart");

/// A folder of its own in the temp directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("cp-rel-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the binary under an address-space limit (`ulimit -v`, in KiB), so that a reader which
/// tries to allocate what a bomb asks for dies instead of swapping the machine. glibc keeps
/// few malloc arenas, so that the limit counts what is used rather than address space reserved
/// per thread.
fn limited(kib: u64, args: &[&str]) -> Command {
    let mut script = format!("ulimit -v {kib}; exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .arg(BIN)
        .args(args)
        .env("MALLOC_ARENA_MAX", "2")
        .env_remove("COUNTERPART_DATABASE_URL")
        .env("COUNTERPART_LOG", "warn");
    command
}

/// Waits for a child, killing it after `limit`: a hang fails the test like a crash does.
fn finish(mut child: Child, limit: Duration) -> (Option<i32>, String, String) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            let mut err = String::new();
            use std::io::Read;
            if let Some(mut s) = child.stdout.take() {
                let _ = s.read_to_string(&mut out);
            }
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            return (status.code(), out, err);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the command hung for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `counterpart serve` (or `demo`), killed on drop.
struct Server {
    child: Child,
    address: String,
    /// The server's log (warnings and errors), shown when a test fails.
    log: PathBuf,
}

impl Server {
    /// Starts the binary with `args` (which must make it serve on `127.0.0.1:0`) under an
    /// address-space limit and waits for its address.
    fn start(kib: u64, args: &[&str]) -> Self {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = std::env::temp_dir().join(format!("cp-rel-{}-{n}.log", std::process::id()));
        let mut child = limited(kib, args)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut address = None;
        for line in lines {
            let line = line.unwrap();
            if let Some(rest) = line.strip_prefix("Counterpart is running at http://") {
                address = rest.split_whitespace().next().map(str::to_owned);
                break;
            }
        }
        let address = address.expect("the server prints its address");
        Self {
            child,
            address,
            log,
        }
    }

    /// A line of `/proc/PID/status` in KiB: `VmRSS` (resident now) or `VmHWM` (peak).
    fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is alive");
        status
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{field}:")))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc status"))
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
            && http::request(&self.address, "GET", "/healthz", &[], None).status == 200
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("server log {}:\n{log}", self.log.display());
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Loads the brief's demo into a new SQLite file.
fn demo_database(dir: &TempDir) -> String {
    let db = dir.file("demo.db").to_string_lossy().into_owned();
    let loaded = Command::new(BIN)
        .args(["demo", "--no-serve", "--database-url", &db])
        .env("COUNTERPART_LOG", "warn")
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");
    db
}

/// The name a burst's `i`-th login tries.
type NameOf = Box<dyn Fn(usize) -> String + Sync>;

/// Writes one part of a workbook.
type PartWriter<'a> = &'a dyn Fn(&mut dyn Write);

/// Hundreds of anonymous logins at once, as a script posts them: password hashing runs a few at
/// a time, so memory stays flat, and the throttle counts every attempt before checking it, so
/// no more passwords are evaluated than the limits allow.
#[test]
fn a_login_burst_keeps_memory_flat_and_evaluates_few_passwords() {
    let dir = TempDir::new("burst");
    let db = demo_database(&dir);
    let server = Server::start(
        4 * 1024 * 1024,
        &["serve", "--bind", "127.0.0.1:0", "--database-url", &db],
    );
    let address = server.address.clone();
    let mut browser = Browser::new(&address);
    browser.get("/login");
    let peak_before = server.memory_kib("VmHWM");
    let mut statuses: HashMap<u16, usize> = HashMap::new();
    let bursts: [(&str, NameOf); 4] = [
        ("an unknown name", Box::new(|_| "niemand".to_owned())),
        ("again", Box::new(|_| "niemand".to_owned())),
        ("a user's name", Box::new(|_| "krueger".to_owned())),
        ("ever new names", Box::new(|i| format!("gast{i}"))),
    ];
    for (what, name) in &bursts {
        let answers: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..300)
                .map(|i| {
                    let browser = browser.clone();
                    let name = name(i);
                    scope.spawn(move || {
                        let mut browser = browser;
                        browser
                            .post(
                                "/login",
                                &[("username", &name), ("password", &format!("rate {i}"))],
                            )
                            .status
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let evaluated = answers.iter().filter(|&&s| s == 401).count();
        for status in &answers {
            *statuses.entry(*status).or_default() += 1;
        }
        assert!(
            answers.iter().all(|s| [401, 429, 503].contains(s)),
            "{what}: {answers:?}"
        );
        eprintln!(
            "{what}: {evaluated} of 300 passwords evaluated; peak now {} MiB, resident {} MiB",
            server.memory_kib("VmHWM") / 1024,
            server.memory_kib("VmRSS") / 1024
        );
        assert!(evaluated <= 10, "{what}: {evaluated} passwords evaluated");
    }
    // All from one address: it may not get more than its own 30 evaluated in all.
    let evaluated = statuses.get(&401).copied().unwrap_or(0);
    assert!(evaluated <= 30, "{evaluated} evaluated in all");
    let peak_after = server.memory_kib("VmHWM");
    let grown_mib = (peak_after.saturating_sub(peak_before)) / 1024;
    eprintln!(
        "peak resident memory {} MiB before, {} MiB after 900 logins ({statuses:?})",
        peak_before / 1024,
        peak_after / 1024
    );
    assert!(
        grown_mib < 100,
        "the peak grew by {grown_mib} MiB during the burst"
    );
}

/// Writes a minimal workbook: the sheet's XML and, if given, the shared strings, each produced
/// by a writer so that a part may unpack to a gigabyte without being held in memory here.
fn workbook(path: &Path, sheet: PartWriter<'_>, shared: Option<PartWriter<'_>>) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut part = |name: &str, write: &dyn Fn(&mut dyn Write)| {
        zip.start_file(name, options).unwrap();
        write(&mut zip);
    };
    part("[Content_Types].xml", &|w| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#).unwrap();
    });
    part("_rels/.rels", &|w| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).unwrap();
    });
    part("xl/workbook.xml", &|w| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Personen" sheetId="1" r:id="rId1"/></sheets></workbook>"#).unwrap();
    });
    part("xl/_rels/workbook.xml.rels", &|w| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#).unwrap();
    });
    part("xl/worksheets/sheet1.xml", sheet);
    if let Some(shared) = shared {
        part("xl/sharedStrings.xml", shared);
    }
    zip.finish().unwrap();
}

const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &[u8] = b"</sheetData></worksheet>";

/// Writes `mib` MiB of `unit` repeated.
fn repeat(w: &mut dyn Write, unit: &[u8], mib: usize) {
    let chunk: Vec<u8> = unit.iter().copied().cycle().take(1024 * 1024).collect();
    for _ in 0..mib {
        w.write_all(&chunk).unwrap();
    }
}

/// The bombs: (file name, what the refusal says).
fn bombs(dir: &TempDir) -> Vec<(PathBuf, &'static str)> {
    let mut out = Vec::new();
    // CSV: a header of 20,000 columns, then 100,000 rows of one cell (329 KB that once asked
    // for tens of GB).
    let path = dir.file("width.csv");
    let mut text = (0..20_000)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(";");
    text.push('\n');
    text.push_str(&"x\n".repeat(100_000));
    std::fs::write(&path, text).unwrap();
    out.push((path, "lies beyond the 200 columns"));
    // CSV: more rows than an import takes.
    let path = dir.file("rows.csv");
    std::fs::write(&path, format!("Nachname\n{}", "x\n".repeat(1_000_001))).unwrap();
    out.push((path, "more than 1000000 data rows"));
    // CSV: one cell of 20 MB.
    let path = dir.file("cell.csv");
    std::fs::write(
        &path,
        format!("Nachname;Notizen\nx;{}\n", "y".repeat(20_000_000)),
    )
    .unwrap();
    out.push((path, "holds more than 10000 characters"));
    // XLSX: the header's one cell at column XFD.
    let path = dir.file("xfd.xlsx");
    workbook(
        &path,
        &|w| {
            w.write_all(SHEET_HEAD).unwrap();
            w.write_all(
                br#"<row r="1"><c r="XFD1" t="inlineStr"><is><t>Nachname</t></is></c></row>"#,
            )
            .unwrap();
            for r in 2..20_000 {
                write!(
                    w,
                    r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>"#
                )
                .unwrap();
            }
            w.write_all(SHEET_TAIL).unwrap();
        },
        None,
    );
    out.push((path, "Cell XFD1 lies beyond the 200 columns"));
    // XLSX: shared strings that unpack to 1 GiB from about a megabyte.
    let path = dir.file("strings.xlsx");
    workbook(
        &path,
        &|w| {
            w.write_all(SHEET_HEAD).unwrap();
            w.write_all(br#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
                .unwrap();
            w.write_all(SHEET_TAIL).unwrap();
        },
        Some(&|w| {
            w.write_all(br#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#)
                .unwrap();
            repeat(w, b"A", 1024);
            w.write_all(b"</t></si></sst>").unwrap();
        }),
    );
    out.push((path, "too large to import"));
    // XLSX: a sheet that unpacks to 1 GiB.
    let path = dir.file("sheet.xlsx");
    workbook(
        &path,
        &|w| {
            w.write_all(SHEET_HEAD).unwrap();
            repeat(
                w,
                br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
                1024,
            );
            w.write_all(SHEET_TAIL).unwrap();
        },
        None,
    );
    out.push((path, "too large to import"));
    // vCard: more contacts than an import takes.
    let path = dir.file("cards.vcf");
    std::fs::write(&path, "BEGIN:VCARD\nFN:a\nEND:VCARD\n".repeat(1_000_001)).unwrap();
    out.push((path, "more than 1000000 data rows"));
    // vCard: one line of 40 MB.
    let path = dir.file("line.vcf");
    std::fs::write(
        &path,
        format!(
            "BEGIN:VCARD\nFN:a\nNOTE:{}\nEND:VCARD\n",
            "n".repeat(40_000_000)
        ),
    )
    .unwrap();
    out.push((path, "holds more than 10000 characters"));
    for (path, _) in &out {
        assert!(
            std::fs::metadata(path).unwrap().len() < 48 * 1024 * 1024,
            "{} fits the upload limit",
            path.display()
        );
    }
    out
}

/// Every bomb is refused with its limit named, by the command line and through the web upload,
/// in processes that may not use more than a few gigabytes of address space.
#[test]
fn import_bombs_are_refused_with_their_limit_in_bounded_memory() {
    let dir = TempDir::new("bombs");
    let bombs = bombs(&dir);
    let db = demo_database(&dir);
    for (path, message) in &bombs {
        let file = path.to_string_lossy();
        let started = Instant::now();
        let child = limited(
            2 * 1024 * 1024,
            &[
                "import",
                &file,
                "--org",
                "Bombe",
                "--lang",
                "en",
                "--database-url",
                &db,
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let (code, _, err) = finish(child, Duration::from_secs(180));
        eprintln!(
            "CLI {}: exit {code:?} in {:.1} s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
        assert_eq!(code, Some(2), "{}: {err}", path.display());
        assert!(err.contains(message), "{}: {err}", path.display());
    }
    // A file over the size limit is refused before it is read.
    let path = dir.file("big.csv");
    std::fs::write(
        &path,
        "Nachname\n".to_owned() + &"x\n".repeat(6 * 1024 * 1024),
    )
    .unwrap();
    let child = limited(
        2 * 1024 * 1024,
        &[
            "import",
            &path.to_string_lossy(),
            "--org",
            "Bombe",
            "--lang",
            "en",
            "--import-max-mb",
            "10",
            "--database-url",
            &db,
        ],
    )
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let (code, _, err) = finish(child, Duration::from_secs(60));
    assert_eq!(code, Some(2));
    assert!(err.contains("at most 10 MB"), "{err}");

    // The same through the web upload, one server for all of them.
    let mut server = Server::start(
        3 * 1024 * 1024,
        &["serve", "--bind", "127.0.0.1:0", "--database-url", &db],
    );
    let mut editor = Browser::new(&server.address);
    editor.language = "en".into();
    editor.login("krueger", "demo");
    let own = editor
        .get("/organizations")
        .body
        .split("href=\"/organizations/")
        .filter_map(|rest| rest.split('"').next())
        .find(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        .expect("an organization's link")
        .to_owned();
    for (path, message) in &bombs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let content = std::fs::read(path).unwrap();
        editor.get(&format!("/organizations/{own}/import"));
        let started = Instant::now();
        let uploaded: Response =
            editor.upload(&format!("/organizations/{own}/import"), &name, &content);
        assert_eq!(uploaded.status, 303, "{name}: {}", uploaded.body);
        let preview = editor.get(&uploaded.location());
        eprintln!(
            "web {name}: {} in {:.1} s",
            preview.status,
            started.elapsed().as_secs_f64()
        );
        assert_eq!(preview.status, 422, "{name}");
        assert!(preview.body.contains(message), "{name}: {}", preview.body);
        assert!(server.alive(), "the server survived {name}");
    }
    eprintln!(
        "server peak resident memory: {} MiB",
        server.memory_kib("VmHWM") / 1024
    );
}

/// A committed import killed at any moment leaves all its rows or none, never an organization
/// without people, and a database that checks out and serves.
#[test]
fn kill_9_during_an_import_leaves_all_or_nothing() {
    let dir = TempDir::new("kill");
    let db = dir.file("kill.db").to_string_lossy().into_owned();
    let migrated = Command::new(BIN)
        .args(["migrate", "--database-url", &db])
        .output()
        .unwrap();
    assert!(migrated.status.success());
    let rows = 20_000;
    let csv = dir.file("people.csv");
    let mut text = String::from("Personalnummer;Vorname;Nachname;Vorgesetzte(r);E-Mail\n");
    for n in 0..rows {
        let manager = if n == 0 {
            String::new()
        } else {
            format!("p{}@kill.example", (n - 1) / 8)
        };
        text.push_str(&format!(
            "P{n:06};Vera;Koch{n};{manager};p{n}@kill.example\n"
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let import = |org: &str| {
        Command::new(BIN)
            .args([
                "import",
                &csv.to_string_lossy(),
                "--org",
                org,
                "--commit",
                "--database-url",
                &db,
            ])
            .env("COUNTERPART_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole import takes here, to spread the kills over it.
    let started = Instant::now();
    let (code, _, _) = finish(import("Vorlauf"), Duration::from_secs(300));
    assert_eq!(code, Some(0));
    let whole = started.elapsed();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (mut all, mut none) = (0, 0);
    for run in 0..20u32 {
        let org = format!("Lauf {run}");
        let mut child = import(&org);
        // From right after the start to past the end: the later kills come too late and
        // leave the whole import.
        std::thread::sleep(whole * run / 14);
        let _ = child.kill();
        let _ = child.wait();
        let found = runtime.block_on(async {
            let store = counterpart_store::Store::connect(&db).await.unwrap();
            store.integrity_check().await.expect("integrity_check ok");
            let orgs = store
                .organizations(&counterpart_store::OrganizationFilter {
                    include_inactive: true,
                    ..Default::default()
                })
                .await
                .unwrap();
            let found = orgs
                .iter()
                .find(|o| o.organization.name == org)
                .map(|o| o.people);
            store.close().await;
            found
        });
        match found {
            None => none += 1,
            Some(n) if n == rows as i64 => all += 1,
            Some(n) => panic!("run {run}: {org} has {n} of {rows} people"),
        }
    }
    eprintln!("20 kills: {all} imports whole, {none} without a trace (whole import {whole:?})");
    let mut server = Server::start(
        2 * 1024 * 1024,
        &["serve", "--bind", "127.0.0.1:0", "--database-url", &db],
    );
    assert!(server.alive(), "the restarted server serves");
}

/// Two server instances on one PostgreSQL database: sessions and the login throttle are
/// shared, and a thousand conflicting edits of one person through both lose nothing.
#[test]
fn two_instances_on_one_postgres_database_lose_no_edit() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(db) = runtime.block_on(counterpart_store::testing::TestDb::postgres()) else {
        return;
    };
    let url = db.url();
    let loaded = Command::new(BIN)
        .args(["demo", "--no-serve", "--database-url", &url])
        .env("COUNTERPART_LOG", "warn")
        .output()
        .unwrap();
    assert!(loaded.status.success(), "{loaded:?}");
    let args = ["serve", "--bind", "127.0.0.1:0", "--database-url", &url];
    let servers = [Server::start(4 << 20, &args), Server::start(4 << 20, &args)];
    let (a, b) = (servers[0].address.clone(), servers[1].address.clone());

    // A session made on one instance works on the other.
    let mut editor = Browser::new(&a);
    editor.login("krueger", "demo");
    let mut on_b = editor.clone();
    on_b.address = b.clone();
    assert_eq!(on_b.get("/organizations").status, 200);

    // Failed logins counted on one instance throttle on the other.
    let mut guesser = Browser::new(&a);
    guesser.get("/login");
    for i in 0..10 {
        guesser.address = if i % 2 == 0 { a.clone() } else { b.clone() };
        guesser.post("/login", &[("username", "gast"), ("password", "falsch")]);
    }
    guesser.address = b.clone();
    let throttled = guesser.post("/login", &[("username", "gast"), ("password", "demo")]);
    assert_eq!(throttled.status, 429, "{}", throttled.body);

    // Eight editors change one person's job title at once, each through both instances.
    let person = runtime.block_on(async {
        let own = db.store.own_organization().await.unwrap().unwrap();
        db.store.people(own.id, None, false, 1, 0).await.unwrap()[0]
            .person
            .id
    });
    let users = ["schneider", "krueger", "yilmaz"];
    let outcomes: Vec<(Vec<String>, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let (a, b) = (a.clone(), b.clone());
                scope.spawn(move || {
                    let mut me = Browser::new(&a);
                    me.login(users[t % 3], "demo");
                    let (mut accepted, mut refused) = (Vec::new(), 0);
                    for i in 0..130 {
                        me.address = if (t + i) % 2 == 0 {
                            a.clone()
                        } else {
                            b.clone()
                        };
                        let path = format!("/people/{person}/edit");
                        let form = me.get(&path).form(&path);
                        let title = format!("Titel {t}-{i}");
                        let mut fields: Vec<(&str, &str)> = form
                            .iter()
                            .filter(|(n, _)| n != "_csrf" && n != "job_title")
                            .map(|(n, v)| (n.as_str(), v.as_str()))
                            .collect();
                        fields.push(("job_title", &title));
                        let answer = me.post(&path, &fields);
                        match answer.status {
                            303 => accepted.push(title),
                            409 => {
                                assert!(
                                    answer.body.contains("wurde inzwischen von ")
                                        || answer.body.contains("changed meanwhile by "),
                                    "a refused edit names who changed it:\n{}",
                                    answer.body
                                );
                                refused += 1;
                            }
                            other => panic!("edit {t}-{i}: {other}\n{}", answer.body),
                        }
                    }
                    (accepted, refused)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted: Vec<String> = outcomes.iter().flat_map(|(a, _)| a.clone()).collect();
    let refused: usize = outcomes.iter().map(|(_, r)| r).sum();
    assert!(accepted.len() + refused >= 1000);
    // Every accepted edit is in the audit log, exactly once; nothing else changed the person.
    let audited = runtime.block_on(async {
        let mut titles = Vec::new();
        let mut before_id = None;
        loop {
            let page = db
                .store
                .audit_entries(&counterpart_store::AuditFilter {
                    entity: Some(counterpart_core::audit::EntityKind::Person),
                    entity_id: Some(person.get()),
                    before_id,
                    limit: 500,
                })
                .await
                .unwrap();
            let Some(last) = page.last() else { break };
            before_id = Some(last.id.get());
            for entry in &page {
                if let Some(after) = &entry.after {
                    let value: serde_json::Value = serde_json::from_str(after).unwrap();
                    if let Some(title) = value["job_title"].as_str() {
                        titles.push(title.to_owned());
                    }
                }
            }
        }
        titles
    });
    let mut expected = accepted.clone();
    expected.sort();
    let mut found: Vec<String> = audited
        .into_iter()
        .filter(|t| t.starts_with("Titel "))
        .collect();
    found.sort();
    assert_eq!(found, expected, "accepted edits and audit rows differ");
    eprintln!(
        "{} edits through two instances: {} accepted, {refused} refused with the name of who \
         changed it, 0 lost",
        accepted.len() + refused,
        accepted.len()
    );
    drop(servers);
    runtime.block_on(db.cleanup());
}
