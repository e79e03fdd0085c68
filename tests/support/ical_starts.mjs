// Reads an iCalendar feed on standard input with ical.js, the parser of Thunderbird, and
// prints each event's start and end as UTC instants: {"<uid>": {"start": ..., "end": ...}}.
// The feed's own VTIMEZONE blocks are the only zones ical.js knows here, so a start in a
// zone the feed does not define, or defines wrongly, shows in the result.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}

function utc(event, name) {
  const property = event.getFirstProperty(name);
  const time = property.getFirstValue();
  const tzid = property.getParameter("tzid");
  if (tzid && time.zone?.tzid !== tzid) {
    throw new Error(`${name} names the zone ${tzid}, which the feed does not define`);
  }
  if (!tzid && time.zone !== ICAL.Timezone.utcTimezone) {
    throw new Error(`${name} is a floating time`);
  }
  return time.toJSDate().toISOString();
}

const starts = {};
for (const event of calendar.getAllSubcomponents("vevent")) {
  starts[event.getFirstPropertyValue("uid")] = { start: utc(event, "dtstart"), end: utc(event, "dtend") };
}
process.stdout.write(JSON.stringify(starts));
