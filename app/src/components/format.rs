//! Number and date formatting for the UI (no locale data in the
//! bundle: English month names, `,` thousands, `.` decimals, `$` money).

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `1234567.891` → `"1,234,567.89"` with `decimals` digits after the point.
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, digit) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Money with cents: `$1,234.50`, `-$12.00`.
pub fn money(value: f64) -> String {
    let text = grouped(value, 2);
    match text.strip_prefix('-') {
        Some(positive) => format!("-${positive}"),
        None => format!("${text}"),
    }
}

/// Money, short: `$1.23M`, `$45.6k`, `$980`.
pub fn money_compact(value: f64) -> String {
    let text = compact(value);
    match text.strip_prefix('-') {
        Some(positive) => format!("-${positive}"),
        None => format!("${text}"),
    }
}

/// A count or amount, short: `1.23M`, `45.6k`, `980`.
pub fn compact(value: f64) -> String {
    let abs = value.abs();
    let sign = if value < 0.0 { "-" } else { "" };
    let (scaled, suffix) = if abs >= 1e9 {
        (abs / 1e9, "B")
    } else if abs >= 1e6 {
        (abs / 1e6, "M")
    } else if abs >= 1e4 {
        (abs / 1e3, "k")
    } else {
        return format!(
            "{sign}{}",
            grouped(abs, if abs.fract() == 0.0 { 0 } else { 1 })
        );
    };
    let decimals = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    format!("{sign}{scaled:.decimals$}{suffix}")
}

/// A whole count: `12,345`.
pub fn count(value: f64) -> String {
    grouped(value.round(), 0)
}

/// A 0–1 ratio as a percentage: `0.1234` → `12.3%`.
pub fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

/// A signed relative change: `0.052` → `+5.2%`.
pub fn signed_percent(ratio: f64) -> String {
    let sign = if ratio > 0.0 {
        "+"
    } else if ratio < 0.0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{:.1}%", (ratio * 100.0).abs())
}

/// `(year, month, day)` of a `YYYY-MM-DD` prefix.
pub fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let day: u32 = text.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day))
        .then_some((year, month, day))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `text` is exactly a valid `YYYY-MM-DD` date.
pub fn is_date(text: &str) -> bool {
    text.len() == 10 && parse_date(text).is_some()
}

/// Days since 1970-01-01 (proleptic Gregorian calendar).
pub fn day_number(year: i32, month: u32, day: u32) -> i64 {
    let (y, m) = if month <= 2 {
        (i64::from(year) - 1, i64::from(month) + 9)
    } else {
        (i64::from(year), i64::from(month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days from `from` to `to` (both `YYYY-MM-DD`), inclusive of both ends.
pub fn span_days(from: &str, to: &str) -> Option<i64> {
    let (fy, fm, fd) = parse_date(from)?;
    let (ty, tm, td) = parse_date(to)?;
    Some(day_number(ty, tm, td) - day_number(fy, fm, fd) + 1)
}

fn month_name(month: u32) -> &'static str {
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// `2025-03-09` → `9 Mar 2025`.
pub fn long_date(text: &str) -> String {
    match parse_date(text) {
        Some((y, m, d)) => format!("{d} {} {y}", month_name(m)),
        None => text.to_owned(),
    }
}

/// `2025-03-09` → `9 Mar`.
pub fn short_date(text: &str) -> String {
    match parse_date(text) {
        Some((_, m, d)) => format!("{d} {}", month_name(m)),
        None => text.to_owned(),
    }
}

/// `2025-03-01` → `Mar 2025`.
pub fn month_label(text: &str) -> String {
    match parse_date(text) {
        Some((y, m, _)) => format!("{} {y}", month_name(m)),
        None => text.to_owned(),
    }
}

/// An RFC 3339 time, readably: `2025-03-09T14:05:33Z` → `9 Mar 2025, 14:05 UTC`
/// (offsets other than `Z` are shown as given).
pub fn timestamp(text: &str) -> String {
    let Some(date) = text.get(0..10).filter(|d| is_date(d)) else {
        return text.to_owned();
    };
    let time = text.get(11..16).unwrap_or("");
    let zone = match text
        .get(19..)
        .map(|rest| rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()))
    {
        Some("Z") | Some("+00:00") | None | Some("") => "UTC".to_owned(),
        Some(offset) => format!("UTC{offset}"),
    };
    if time.is_empty() {
        long_date(date)
    } else {
        format!("{}, {time} {zone}", long_date(date))
    }
}

/// A file size in decimal units: `512 B`, `1.2 kB`, `3.4 MB`, `1.1 GB`.
pub fn file_size(bytes: u64) -> String {
    let value = bytes as f64;
    match value {
        v if v >= 1e9 => format!("{:.1} GB", v / 1e9),
        v if v >= 1e6 => format!("{:.1} MB", v / 1e6),
        v if v >= 1e3 => format!("{:.1} kB", v / 1e3),
        _ => format!("{bytes} B"),
    }
}

/// A duration: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1_000.0)
    } else if ms < 3_600_000 {
        format!("{} min {:02} s", ms / 60_000, ms / 1_000 % 60)
    } else {
        format!("{} h {:02} min", ms / 3_600_000, ms / 60_000 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_decimals() {
        assert_eq!(grouped(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-1000.5, 1), "-1,000.5");
        assert_eq!(grouped(-0.001, 2), "0.00");
    }

    #[test]
    fn money_puts_the_sign_before_the_symbol() {
        assert_eq!(money(1234.5), "$1,234.50");
        assert_eq!(money(-12.0), "-$12.00");
        assert_eq!(money_compact(1_234_567.0), "$1.23M");
        assert_eq!(money_compact(45_600.0), "$45.6k");
        assert_eq!(money_compact(980.0), "$980");
        assert_eq!(money_compact(-250_000.0), "-$250k");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(signed_percent(0.052), "+5.2%");
        assert_eq!(signed_percent(-0.5), "−50.0%");
        assert_eq!(signed_percent(0.0), "0.0%");
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert!(!is_date("2023-01-011"));
        assert!(is_date("2023-01-01"));
        assert_eq!(span_days("2024-01-01", "2024-12-31"), Some(366));
        assert_eq!(day_number(1970, 1, 1), 0);
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(file_size(512), "512 B");
        assert_eq!(file_size(1_250), "1.2 kB");
        assert_eq!(file_size(3_400_000), "3.4 MB");
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_340), "12.3 s");
        assert_eq!(duration(245_000), "4 min 05 s");
        assert_eq!(duration(7_380_000), "2 h 03 min");
        assert_eq!(duration(-5), "0 ms");
    }

    #[test]
    fn readable_dates_and_times() {
        assert_eq!(long_date("2025-03-09"), "9 Mar 2025");
        assert_eq!(short_date("2025-12-01"), "1 Dec");
        assert_eq!(month_label("2025-03-01"), "Mar 2025");
        assert_eq!(timestamp("2025-03-09T14:05:33Z"), "9 Mar 2025, 14:05 UTC");
        assert_eq!(
            timestamp("2025-03-09T14:05:33.123+02:00"),
            "9 Mar 2025, 14:05 UTC+02:00"
        );
        assert_eq!(timestamp("garbage"), "garbage");
    }
}
