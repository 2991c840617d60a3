//! Times as people read them in every view. Written field by field rather than by chrono's `format`,
//! which reads its format string anew for every time (more than all the rest of a list row, a tenth of
//! `show` of a long ticket); the times the fields cannot write (`plain_fields`) still go through chrono,
//! so the text is the same, as the tests below check.

use chrono::{Datelike, Timelike};

use crate::model::ticket::Time;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A time as people read it in a thread, with its zone: `Mon 2 Mar 2026 09:00 UTC`.
pub fn when(at: &Time) -> String {
    let mut text = String::with_capacity(28);
    push_when(&mut text, at);
    text
}

/// Appends `when(at)` to `text`.
pub fn push_when(text: &mut String, at: &Time) {
    let Some(fields) = plain_fields(at) else {
        text.push_str(&at.format("%a %-d %b %Y %H:%M UTC").to_string());
        return;
    };
    text.push_str(WEEKDAYS[at.weekday().num_days_from_monday() as usize]);
    text.push(' ');
    push_day_and_month(text, fields);
    text.push(' ');
    push_digits(text, fields[0], 4);
    text.push(' ');
    push_hour_minute(text, fields);
    text.push_str(" UTC");
}

/// A short time for side-conversation lines.
pub fn clock(at: &Time) -> String {
    let Some(fields) = plain_fields(at) else {
        return at.format("%H:%M").to_string();
    };
    let mut text = String::with_capacity(5);
    push_hour_minute(&mut text, fields);
    text
}

/// A day and time for side-conversation lines that span days: `10 Mar 10:06`.
pub fn day_and_clock(at: &Time) -> String {
    let Some(fields) = plain_fields(at) else {
        return at.format("%-d %b %H:%M").to_string();
    };
    let mut text = String::with_capacity(12);
    push_day_and_month(&mut text, fields);
    text.push(' ');
    push_hour_minute(&mut text, fields);
    text
}

/// Appends `%-d %b`: the day without padding and the month's short name.
fn push_day_and_month(text: &mut String, [_, mo, d, ..]: [u32; 6]) {
    push_digits(text, d, if d < 10 { 1 } else { 2 });
    text.push(' ');
    text.push_str(MONTHS[(mo - 1) as usize]);
}

/// A time's fields as chrono's `%Y %m %d %H %M %S` write them, for the times they are plain numbers:
/// None for a year chrono writes with a sign (before 0 or after 9999) and for a leap second (`:60`).
pub fn plain_fields(t: &Time) -> Option<[u32; 6]> {
    // The fields of UTC's own date and time, found once rather than through the zone for each.
    let t = t.naive_utc();
    let year = u32::try_from(t.year()).ok().filter(|&y| y <= 9999)?;
    if t.nanosecond() >= 1_000_000_000 {
        return None;
    }
    Some([year, t.month(), t.day(), t.hour(), t.minute(), t.second()])
}

/// Appends `n` as `digits` decimal digits, zero-padded.
pub fn push_digits(text: &mut String, n: u32, digits: u32) {
    for place in (0..digits).rev() {
        let digit = n / 10u32.pow(place) % 10;
        text.push(char::from(b'0' + digit as u8));
    }
}

/// Appends `%Y-%m-%d`.
pub fn push_day(text: &mut String, [y, mo, d, ..]: [u32; 6]) {
    push_digits(text, y, 4);
    text.push('-');
    push_digits(text, mo, 2);
    text.push('-');
    push_digits(text, d, 2);
}

/// Appends `%H:%M`.
pub fn push_hour_minute(text: &mut String, [.., h, mi, _]: [u32; 6]) {
    push_digits(text, h, 2);
    text.push(':');
    push_digits(text, mi, 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_chrono_writes_them() {
        for text in [
            "2026-03-02T09:05:07Z",
            "2026-12-31T23:59:59.5Z",
            "2024-02-29T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "0999-10-10T10:10:00Z",
            "9999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z",
            "-0001-06-15T12:00:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            let t: Time = text.parse().expect(text);
            assert_eq!(
                when(&t),
                t.format("%a %-d %b %Y %H:%M UTC").to_string(),
                "{text}"
            );
            assert_eq!(clock(&t), t.format("%H:%M").to_string(), "{text}");
            assert_eq!(
                day_and_clock(&t),
                t.format("%-d %b %H:%M").to_string(),
                "{text}"
            );
        }
        // Every month and weekday.
        let start: Time = "2026-01-01T08:00:00Z".parse().unwrap();
        for day in 0..400 {
            let t = start + chrono::Duration::days(day);
            assert_eq!(when(&t), t.format("%a %-d %b %Y %H:%M UTC").to_string());
        }
    }
}
