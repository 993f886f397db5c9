//! Invitations, cancellations and the calendar feed as iCalendar (RFC 5545, built with the
//! `icalendar` crate). A series is one recurring event (its RRULE and an EXDATE per cancelled
//! meeting); a moved meeting is an event of its own with the RECURRENCE-ID of the occurrence
//! it replaces. Times carry the IANA zone name as TZID: calendar clients resolve it themselves
//! (RFC 7809, "time zones by reference"), so no VTIMEZONE is written.

use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus, Property};

/// What a calendar file asks of its reader (the iTIP method, RFC 5546).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// An invitation, or an updated one (a higher SEQUENCE replaces the earlier).
    Request,
    /// The series, or one meeting of it, is called off.
    Cancel,
    /// A subscribed feed: events to show, nothing to answer.
    Publish,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
            Self::Publish => "PUBLISH",
        }
    }
}

/// Someone invited: their name and, if known, their e-mail address (an attendee without one
/// cannot answer and is left out of the ATTENDEE list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitee {
    /// The name shown.
    pub name: String,
    /// Their e-mail address.
    pub email: Option<String>,
}

/// One event of a calendar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The series' UID (shared by the occurrences and the moved meetings).
    pub uid: String,
    /// The SEQUENCE.
    pub sequence: i64,
    /// The title.
    pub summary: String,
    /// The text shown with it.
    pub description: String,
    /// Room, address or video link.
    pub location: Option<String>,
    /// The page of the series or meeting.
    pub url: Option<String>,
    /// Start, wall time in `zone`.
    pub start: NaiveDateTime,
    /// End, wall time in `zone`.
    pub end: NaiveDateTime,
    /// The IANA zone.
    pub zone: String,
    /// The RRULE for the series event; `None` for a single meeting.
    pub rrule: Option<String>,
    /// Cancelled occurrences, as wall times in `zone`.
    pub exdates: Vec<NaiveDateTime>,
    /// For a single meeting of a series: the occurrence it is, as wall time in `zone`.
    pub recurrence_id: Option<NaiveDateTime>,
    /// Whether it is called off.
    pub cancelled: bool,
    /// The convenor.
    pub organizer: Option<Invitee>,
    /// The participants.
    pub attendees: Vec<Invitee>,
}

const FORMAT: &str = "%Y%m%dT%H%M%S";

fn zoned(key: &str, at: NaiveDateTime, zone: &str) -> Property {
    Property::new(key, at.format(FORMAT).to_string())
        .add_parameter("TZID", zone)
        .done()
}

fn person(key: &str, who: &Invitee) -> Option<Property> {
    let email = who.email.as_deref()?;
    let mut property = Property::new(key, format!("mailto:{email}"));
    property.add_parameter("CN", &who.name.replace('"', "'"));
    if key == "ATTENDEE" {
        property
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", "NEEDS-ACTION")
            .add_parameter("RSVP", "TRUE");
    }
    Some(property.done())
}

fn event(e: &CalendarEvent, stamp: DateTime<Utc>) -> Event {
    let mut event = Event::new();
    event
        .uid(&e.uid)
        .timestamp(stamp)
        .sequence(u32::try_from(e.sequence.max(0)).unwrap_or(u32::MAX))
        .summary(&e.summary)
        .description(&e.description)
        .starts(CalendarDateTime::WithTimezone {
            date_time: e.start,
            tzid: e.zone.clone(),
        })
        .ends(CalendarDateTime::WithTimezone {
            date_time: e.end,
            tzid: e.zone.clone(),
        })
        .status(if e.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    if let Some(location) = &e.location {
        event.location(location);
    }
    if let Some(url) = &e.url {
        event.add_property("URL", url);
    }
    if let Some(rule) = &e.rrule {
        event.add_property("RRULE", rule);
    }
    for exdate in &e.exdates {
        event.append_multi_property(zoned("EXDATE", *exdate, &e.zone));
    }
    if let Some(id) = e.recurrence_id {
        event.append_property(zoned("RECURRENCE-ID", id, &e.zone));
    }
    if let Some(organizer) = e.organizer.as_ref().and_then(|o| person("ORGANIZER", o)) {
        event.append_property(organizer);
    }
    for attendee in e.attendees.iter().filter_map(|a| person("ATTENDEE", a)) {
        event.append_multi_property(attendee);
    }
    event.done()
}

/// A calendar file: `events` with `method`, stamped `stamp`, named `name`.
pub fn calendar(
    method: Method,
    name: &str,
    events: &[CalendarEvent],
    stamp: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::new();
    calendar
        .append_property(Property::new("PRODID", "-//Counterpart//Jour fixe//DE"))
        .append_property(Property::new("METHOD", method.as_str()))
        .name(name);
    for e in events {
        calendar.push(event(e, stamp));
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series() -> CalendarEvent {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        CalendarEvent {
            uid: "series-1@counterpart".into(),
            sequence: 2,
            summary: "Kunden-Jour-fixe Isar".into(),
            description: "Tagesordnung: Isar; Konzern-IT, Hansa".into(),
            location: Some("Raum 4.12, Teams: https://example.org/j/1".into()),
            url: Some("https://counterpart.example/jour-fixe/1".into()),
            start: at("2026-10-06 09:00"),
            end: at("2026-10-06 10:00"),
            zone: "Europe/Berlin".into(),
            rrule: Some("FREQ=MONTHLY;BYDAY=1TU".into()),
            exdates: vec![at("2026-12-01 09:00")],
            recurrence_id: None,
            cancelled: false,
            organizer: Some(Invitee {
                name: "Dr. Karin Weiß, Leitung".into(),
                email: Some("k.weiss@nordlicht.example".into()),
            }),
            attendees: vec![
                Invitee {
                    name: "Jonas Brandt".into(),
                    email: Some("j.brandt@nordlicht.example".into()),
                },
                Invitee {
                    name: "Ohne Adresse".into(),
                    email: None,
                },
            ],
        }
    }

    #[test]
    fn an_invitation_carries_the_rule_the_zone_and_the_sequence() {
        let text = calendar(
            Method::Request,
            "Jour fixe",
            &[series()],
            DateTime::parse_from_rfc3339("2026-12-07T06:00:00Z")
                .unwrap()
                .to_utc(),
        );
        let unfolded = text.replace("\r\n ", "");
        for line in [
            "METHOD:REQUEST",
            "UID:series-1@counterpart",
            "SEQUENCE:2",
            "DTSTART;TZID=Europe/Berlin:20261006T090000",
            "DTEND;TZID=Europe/Berlin:20261006T100000",
            "RRULE:FREQ=MONTHLY;BYDAY=1TU",
            "EXDATE;TZID=Europe/Berlin:20261201T090000",
            "DESCRIPTION:Tagesordnung: Isar\\; Konzern-IT\\, Hansa",
            "ORGANIZER;CN=\"Dr. Karin Weiß, Leitung\":mailto:k.weiss@nordlicht.example",
            "STATUS:CONFIRMED",
            "DTSTAMP:20261207T060000Z",
        ] {
            assert!(unfolded.contains(line), "{line} missing in\n{text}");
        }
        assert_eq!(unfolded.matches("ATTENDEE").count(), 1, "{text}");
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        assert!(text.contains("\r\n"));
    }

    #[test]
    fn a_cancellation_says_so() {
        let mut one = series();
        one.rrule = None;
        one.exdates.clear();
        one.recurrence_id = Some(one.start);
        one.cancelled = true;
        one.sequence = 3;
        let text = calendar(Method::Cancel, "Jour fixe", &[one], Utc::now());
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("METHOD:CANCEL"));
        assert!(unfolded.contains("STATUS:CANCELLED"));
        assert!(unfolded.contains("RECURRENCE-ID;TZID=Europe/Berlin:20261006T090000"));
        assert!(!unfolded.contains("RRULE"));
    }
}
