//! Times of audit events: relative ("3 min ago") and absolute
//! ("25 Nov 2026, 16:04:09 UTC"), and a clock that ticks so relative times
//! stay true while the page is open.

use leptos::prelude::*;

use crate::components::{
    format::{day_number, long_date, parse_date},
    timing::{every, now_millis},
};

/// How often relative times are recomputed.
const TICK_MS: u32 = 30_000;

/// Milliseconds since the Unix epoch of an RFC 3339 time
/// (`2026-11-25T16:04:09.123456Z`, or with a `±hh:mm` offset).
pub fn unix_millis(text: &str) -> Option<i64> {
    let (year, month, day) = parse_date(text)?;
    let bytes = text.as_bytes();
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let mut rest = text.get(19..)?;
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hours = rest.get(1..3)?.parse::<i64>().ok()?;
            let minutes = rest.get(4..6)?.parse::<i64>().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    let days = day_number(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// `then` as seen from `now` (both Unix milliseconds): "just now",
/// "5 min ago", "3 h ago", "yesterday", "4 days ago", then the date.
pub fn relative(then: i64, now: i64) -> String {
    let seconds = (now - then) / 1_000;
    match seconds {
        s if s < 45 => "just now".to_owned(),
        s if s < 90 => "1 min ago".to_owned(),
        s if s < 3_600 => format!("{} min ago", (s + 30) / 60),
        s if s < 86_400 => format!("{} h ago", s / 3_600),
        s if s < 2 * 86_400 => "yesterday".to_owned(),
        s if s < 30 * 86_400 => format!("{} days ago", s / 86_400),
        _ => {
            let day = days_to_date(then.div_euclid(86_400_000));
            long_date(&day)
        }
    }
}

/// An RFC 3339 time in UTC to the second: `25 Nov 2026, 16:04:09 UTC`.
pub fn absolute(text: &str) -> String {
    match unix_millis(text) {
        Some(ms) => {
            let day = days_to_date(ms.div_euclid(86_400_000));
            let secs = ms.div_euclid(1_000).rem_euclid(86_400);
            format!(
                "{}, {:02}:{:02}:{:02} UTC",
                long_date(&day),
                secs / 3_600,
                secs / 60 % 60,
                secs % 60
            )
        }
        None => text.to_owned(),
    }
}

/// `YYYY-MM-DD` of a day number (days since 1970-01-01).
fn days_to_date(days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The current time (Unix milliseconds), updated every 30 seconds in the
/// browser.
pub fn ticking_clock() -> ReadSignal<i64> {
    let (now, set_now) = signal(now_millis());
    every(TICK_MS, move || set_now.set(now_millis()));
    now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_are_read_with_fractions_and_offsets() {
        assert_eq!(unix_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_millis("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(
            unix_millis("2026-11-25T16:04:09.123456Z"),
            Some(1_795_622_649_123)
        );
        assert_eq!(
            unix_millis("2026-11-25T17:04:09.123+01:00"),
            unix_millis("2026-11-25T16:04:09.123Z")
        );
        assert_eq!(unix_millis("2026-11-25"), None);
        assert_eq!(unix_millis("2026-11-25T16:04:09"), None);
        assert_eq!(unix_millis("nonsense"), None);
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = 1_764_086_649_000;
        let ago = |s: i64| relative(now - s * 1_000, now);
        assert_eq!(ago(-5), "just now");
        assert_eq!(ago(10), "just now");
        assert_eq!(ago(60), "1 min ago");
        assert_eq!(ago(5 * 60 + 10), "5 min ago");
        assert_eq!(ago(3 * 3_600 + 59), "3 h ago");
        assert_eq!(ago(30 * 3_600), "yesterday");
        assert_eq!(ago(4 * 86_400), "4 days ago");
        assert_eq!(ago(60 * 86_400), "26 Sep 2025");
    }

    #[test]
    fn absolute_times_are_utc_to_the_second() {
        assert_eq!(
            absolute("2026-11-25T16:04:09.9Z"),
            "25 Nov 2026, 16:04:09 UTC"
        );
        assert_eq!(
            absolute("2026-11-25T00:30:00+02:00"),
            "24 Nov 2026, 22:30:00 UTC"
        );
        assert_eq!(absolute("garbage"), "garbage");
        assert_eq!(days_to_date(0), "1970-01-01");
        assert_eq!(days_to_date(20_417), "2025-11-25");
    }
}
