//! Our recurrences and calendar files against an independent implementation: Python's
//! `icalendar` parses them and `recurring-ical-events` expands them (`scripts/ics-expand.py`,
//! installed by `.ci/run`; outside CI the test is skipped when they are missing).

use std::process::Command;

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use counterpart_core::jour_fixe::ics::{self, CalendarEvent, Method};
use counterpart_core::jour_fixe::recurrence::Schedule;

use crate::support::TestApp;
use crate::support::routes::Ids;

/// Whether the Python side is there; in CI it must be.
fn python_ready() -> bool {
    let ready = Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        assert!(
            std::env::var("CI").is_err(),
            "CI needs Python's icalendar and recurring-ical-events (scripts/ics-requirements.txt)"
        );
        eprintln!("skipped: python3 with icalendar and recurring-ical-events is not installed");
    }
    ready
}

/// The occurrences Python finds in a calendar file: (uid, start, status), sorted.
fn expand(body: &str, from: &str, until: &str) -> Vec<(String, DateTime<Utc>, String)> {
    let dir = std::env::temp_dir().join(format!("cp-ics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.ics", body.len()));
    std::fs::write(&file, body).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/ics-expand.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&file)
        .args([from, until])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Python could not read the calendar:\n{}\n{body}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut parts = line.split(' ');
            let uid = parts.next().unwrap_or_default().to_owned();
            let at = DateTime::parse_from_rfc3339(parts.next().unwrap_or_default())
                .unwrap()
                .to_utc();
            (uid, at, parts.next().unwrap_or_default().to_owned())
        })
        .collect()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn a_monthly_series_expands_alike_across_daylight_saving() {
    if !python_ready() {
        return;
    }
    let wall = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    for (first, rule) in [
        ("2026-10-06 09:00", "FREQ=MONTHLY;BYDAY=1TU"),
        ("2026-10-22 17:30", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("2026-09-29 08:00", "FREQ=MONTHLY;BYDAY=-1TU;COUNT=6"),
        ("2026-10-31 10:00", "FREQ=MONTHLY;BYMONTHDAY=31"),
    ] {
        let schedule = Schedule::new(wall(first), "Europe/Berlin", rule).unwrap();
        let (from, until) = ("2026-09-01T00:00:00Z", "2027-06-01T00:00:00Z");
        let ours = schedule.between(utc(from), utc(until), 100);
        // One meeting called off: excluded on both sides.
        let cancelled = ours[2];
        let berlin = chrono_tz::Europe::Berlin;
        let event = CalendarEvent {
            uid: "test@counterpart".into(),
            sequence: 1,
            summary: "Jour fixe".into(),
            description: String::new(),
            location: None,
            url: None,
            start: wall(first),
            end: wall(first) + chrono::Duration::minutes(60),
            zone: "Europe/Berlin".into(),
            rrule: Some(rule.into()),
            exdates: vec![cancelled.with_timezone(&berlin).naive_local()],
            recurrence_id: None,
            cancelled: false,
            organizer: None,
            attendees: Vec::new(),
        };
        let body = ics::calendar(Method::Request, "Test", &[event], Utc::now());
        let theirs: Vec<DateTime<Utc>> = expand(&body, from, until)
            .into_iter()
            .map(|(_, at, _)| at)
            .collect();
        let expected: Vec<DateTime<Utc>> =
            ours.iter().copied().filter(|at| *at != cancelled).collect();
        assert_eq!(theirs, expected, "{rule} from {first}");
        // Both sides cross a change of the clocks: some starts at 07:00 or 08:00 UTC differ
        // from the winter ones, and the wall time stays.
        assert!(
            expected
                .iter()
                .all(|at| at.with_timezone(&berlin).naive_local().time() == wall(first).time()),
            "{rule}: the wall time stays"
        );
    }
}

#[tokio::test]
async fn the_invitations_and_the_feed_read_in_another_parser() {
    if !python_ready() {
        return;
    }
    let app = TestApp::demo().await;
    let ids = Ids::of_demo(&app.db.store).await;
    let mut clerk = app.login("yilmaz").await;
    let (from, until) = ("2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z");

    let series = clerk
        .get(&format!("/jour-fixe/{}/invitation.ics", ids.series))
        .await;
    assert_eq!(series.status, StatusCode::OK);
    let occurrences = expand(&series.body, from, until);
    assert!(occurrences.len() >= 12, "{occurrences:?}");
    // The demo's past meetings are among them, 09:00 in Berlin whatever the season.
    let meetings = app
        .db
        .store
        .meetings_of(counterpart_core::ids::SeriesId::new(ids.series))
        .await
        .unwrap();
    for meeting in &meetings {
        assert!(
            occurrences
                .iter()
                .any(|(_, at, _)| *at == meeting.starts_at),
            "{} in {occurrences:?}",
            meeting.starts_at
        );
    }

    let one = clerk
        .get(&format!("/meetings/{}/invitation.ics", ids.meeting))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    let single = expand(&one.body, from, until);
    assert_eq!(single.len(), 1, "{single:?}");

    let made = clerk
        .post("/jour-fixe/calendar", &[("create", "calendar")])
        .await;
    let start = made.body.find("/feeds/calendar/").expect("the address");
    let address: String = made.body[start..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let feed = app.client().get(&address).await;
    assert_eq!(feed.status, StatusCode::OK);
    let fed = expand(&feed.body, from, until);
    assert_eq!(
        fed.len(),
        occurrences.len(),
        "the feed holds the clerk's one series"
    );
}
