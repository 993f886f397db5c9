#!/usr/bin/env python3
"""An independent reading of Counterpart's calendar files, for the tests.

Parses an iCalendar file with Python's `icalendar` (a parse error fails) and expands its
events' recurrences with `recurring-ical-events` between two UTC moments. Prints one line per
occurrence, `UID START-IN-UTC STATUS`, sorted. Used by crates/web/tests/ics.rs; installed by
.ci/run (see requirements in scripts/ics-requirements.txt).

    scripts/ics-expand.py FILE FROM UNTIL     # FROM/UNTIL as 2026-10-01T00:00:00Z
"""
import sys
from datetime import datetime, timezone

import icalendar
import recurring_ical_events


def moment(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def main():
    path, start, end = sys.argv[1], moment(sys.argv[2]), moment(sys.argv[3])
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    lines = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        begins = event["DTSTART"].dt.astimezone(timezone.utc)
        status = str(event.get("STATUS", ""))
        lines.append(f"{event['UID']} {begins.strftime('%Y-%m-%dT%H:%M:%SZ')} {status}")
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main()
