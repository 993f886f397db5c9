//! No personal data in the logs, over every test of the binary: the first test to start
//! installs a global `tracing` subscriber that takes everything our crates log at their most
//! detailed level (libraries as the product runs them) and looks in each event for the demo
//! people's names and e-mail addresses, as it is logged. Every [`crate::support::TestApp`]
//! (and the browser tests' server) starts a [`Watch`] and checks it when it ends: a test whose
//! requests logged such a string fails, naming the string, the test, which of its events it
//! was, where in the event's text, and the statement that logged it — never the log itself.
//!
//! Each request to a test's router runs inside a span naming the test, so an event is
//! counted to its test even when it is logged on another thread (the browser tests' server);
//! an event outside any request counts to the thread's test (`#[tokio::test]` names its
//! thread after the test), or, from a thread of no test, to every test running then.

use std::collections::{HashMap, HashSet};
use std::fmt::{Debug, Write as _};
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError};

use aho_corasick::{AhoCorasick, MatchKind};
use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record as SpanValues};
use tracing::{Event, Instrument, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// What is captured: our crates at their most detailed, libraries as the product runs them.
const FILTER: &str =
    "info,sqlx=warn,counterpart_web=trace,counterpart_app=trace,counterpart_store=trace";

/// The name of the span each request of a test runs in; its field `test` names the test.
const TEST_SPAN: &str = "counterpart_test";

/// The strings no log may hold, and what was found.
struct Capture {
    secrets: Vec<String>,
    finder: AhoCorasick,
    record: Mutex<Record>,
}

/// What the capture has seen so far.
#[derive(Default)]
struct Record {
    /// Events counted so far, over all tests (orders the leaks of threads of no test).
    seen: u64,
    /// Events logged per test (or thread of no test).
    events: HashMap<String, usize>,
    /// Every test that started a watch.
    tests: HashSet<String>,
    /// Personal data found and not yet reported.
    leaks: Vec<Leak>,
}

/// One demo person's name or address in a logged event.
struct Leak {
    /// Which event of all it was.
    seen: u64,
    /// The test (or thread of no test) it is counted to.
    source: String,
    /// The string found.
    secret: String,
    /// Which of its source's events it was (1 = the first).
    event: usize,
    /// The byte in the event's text where it starts.
    at: usize,
    /// The statement that logged it: level, target, file and line.
    place: String,
}

static CAPTURE: OnceLock<Capture> = OnceLock::new();
static INSTALL: Once = Once::new();

/// The capture, installed as this binary's global subscriber on first use.
fn capture() -> &'static Capture {
    let capture = CAPTURE.get_or_init(Capture::new);
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry()
            .with(tracing_subscriber::EnvFilter::new(FILTER))
            .with(Catcher);
        tracing::subscriber::set_global_default(subscriber)
            .expect("the log capture is the only subscriber of a test binary");
    });
    capture
}

impl Capture {
    fn new() -> Self {
        // Everyone's name and address in the demo, of our house and of the partners.
        let mut secrets = Vec::new();
        for organization in counterpart_core::demo::organizations() {
            for person in organization.people {
                secrets.push(format!("{} {}", person.given_name, person.family_name));
                secrets.push(person.family_name.to_owned());
                secrets.push(person.email.to_lowercase());
                secrets.push(person.email);
            }
        }
        secrets.retain(|s| s.chars().count() >= 4);
        secrets.sort();
        secrets.dedup();
        assert!(secrets.len() > 100, "the demo's people: {}", secrets.len());
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&secrets)
            .expect("the demo's names make a finder");
        Self {
            secrets,
            finder,
            record: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an event of `source` and notes every name or address in its text.
    fn note(&self, source: String, text: &str, place: impl FnOnce() -> String) {
        let mut record = self.lock();
        record.seen += 1;
        let seen = record.seen;
        let count = record.events.entry(source.clone()).or_default();
        *count += 1;
        let event = *count;
        let mut place = Some(place);
        let mut where_ = String::new();
        for found in self.finder.find_iter(text) {
            if let Some(place) = place.take() {
                where_ = place();
            }
            record.leaks.push(Leak {
                seen,
                source: source.clone(),
                secret: self.secrets[found.pattern().as_usize()].clone(),
                event,
                at: found.start(),
                place: where_.clone(),
            });
        }
    }
}

/// The name of the running thread: the test's, for a thread the test harness started.
fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("a thread without a name")
        .to_owned()
}

/// A test's part of the capture, from its start.
pub struct Watch {
    test: String,
    from: u64,
}

/// Starts watching what the running test logs (installing the capture for the binary on
/// first use).
pub fn start() -> Watch {
    let mut record = capture().lock();
    let test = thread_name();
    record.tests.insert(test.clone());
    Watch {
        test,
        from: record.seen,
    }
}

impl Watch {
    /// How many events the test has logged so far.
    pub fn events(&self) -> usize {
        capture()
            .lock()
            .events
            .get(&self.test)
            .copied()
            .unwrap_or(0)
    }

    /// Fails the test if a demo person's name or address was logged in it (or, while it ran,
    /// by a thread of no test); what was found is reported once.
    #[track_caller]
    pub fn check(&self) {
        let capture = capture();
        let mut record = capture.lock();
        let (mine, others): (Vec<Leak>, Vec<Leak>) = std::mem::take(&mut record.leaks)
            .into_iter()
            .partition(|leak| {
                leak.source == self.test
                    || (!record.tests.contains(&leak.source) && leak.seen > self.from)
            });
        record.leaks = others;
        let events = record.events.get(&self.test).copied().unwrap_or(0);
        drop(record);
        if mine.is_empty() {
            return;
        }
        let mut report = format!(
            "personal data in the logs of test `{}` ({events} events logged):",
            self.test
        );
        for leak in &mine {
            let whose = if leak.source == self.test {
                String::new()
            } else {
                format!(" of thread `{}`, which belongs to no test", leak.source)
            };
            let _ = write!(
                report,
                "\n  {:?} in event {}{whose}, at byte {} of its text, logged by {}",
                leak.secret, leak.event, leak.at, leak.place
            );
        }
        panic!("{report}");
    }
}

/// The router with each request run in a span naming the watched test, so that what it logs
/// counts to the test on any thread.
pub fn traced(router: Router, watch: &Watch) -> Router {
    let span = tracing::info_span!("counterpart_test", test = %watch.test);
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let span = span.clone();
            async move { next.run(request).instrument(span).await }
        },
    ))
}

/// A span's or event's fields as text, `name=value`, the message first, as the product's
/// log writer puts them.
#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_str(&mut self, field: &Field, value: &str) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() != "message" {
            let _ = write!(self.0, "{}=", field.name());
        }
        self.0.push_str(value);
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, "{}={value:?}", field.name());
        }
    }
}

/// The test a span names.
struct TestName(String);

/// The layer that hands every event to the capture.
struct Catcher;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Catcher {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut text = Text::default();
        attributes.record(&mut text);
        let mut extensions = span.extensions_mut();
        if attributes.metadata().name() == TEST_SPAN {
            let test = text.0.strip_prefix("test=").unwrap_or(&text.0).to_owned();
            extensions.insert(TestName(test));
        } else {
            extensions.insert(text);
        }
    }

    fn on_record(&self, id: &Id, values: &SpanValues<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(text) = span.extensions_mut().get_mut::<Text>()
        {
            values.record(text);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(capture) = CAPTURE.get() else {
            return;
        };
        let mut test = None;
        // The fields of the spans it is logged in, as a log writer prints them too.
        let mut text = Text::default();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                let extensions = span.extensions();
                if let Some(name) = extensions.get::<TestName>() {
                    test = Some(name.0.clone());
                }
                if let Some(fields) = extensions.get::<Text>() {
                    let _ = write!(text.0, "{}{{{}}} ", span.name(), fields.0);
                }
            }
        }
        let mut fields = Text::default();
        event.record(&mut fields);
        text.0.push_str(&fields.0);
        let metadata = event.metadata();
        capture.note(test.unwrap_or_else(thread_name), &text.0, || {
            format!(
                "{} {} ({}:{})",
                metadata.level(),
                metadata.target(),
                metadata.file().unwrap_or("?"),
                metadata.line().unwrap_or(0)
            )
        });
    }
}
