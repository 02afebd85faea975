//! Reading one cell of an imported file: times, whole numbers, money and
//! text, each with the message a user sees when it is wrong.

use time::{
    format_description::{well_known::Rfc3339, FormatItem},
    macros::format_description,
    OffsetDateTime, PrimitiveDateTime,
};

use crate::analytics::dimensions::MAX_VALUE_CHARS;

/// Largest amount of money in one cell, in cents (ten billion units).
pub const MAX_CENTS: i64 = 1_000_000_000_000;
/// Largest quantity of one order.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// Longest product name, in characters.
pub const MAX_PRODUCT_CHARS: usize = 200;

const DATE_TIME: &[FormatItem<'_>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const DATE: &[FormatItem<'_>] = format_description!("[year]-[month]-[day]");

/// An order time as Unix seconds: RFC 3339 (any offset), or
/// `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` in UTC.
pub fn time(raw: &str) -> Result<i64, String> {
    let raw = raw.trim();
    let seconds = if let Ok(t) = OffsetDateTime::parse(raw, &Rfc3339) {
        t.unix_timestamp()
    } else if let Ok(t) = PrimitiveDateTime::parse(raw, DATE_TIME) {
        t.assume_utc().unix_timestamp()
    } else if let Ok(d) = time::Date::parse(raw, DATE) {
        d.midnight().assume_utc().unix_timestamp()
    } else {
        return Err(
            "not a date: use RFC 3339 (2026-11-30T14:05:00Z), YYYY-MM-DD HH:MM:SS (UTC) \
             or YYYY-MM-DD"
                .into(),
        );
    };
    // 1970 to 9999: day numbers and months stay in range.
    if !(0..=253_402_300_799).contains(&seconds) {
        return Err("the date must be between 1970 and 9999".into());
    }
    Ok(seconds)
}

/// A whole number within `min..=max`.
pub fn whole(raw: &str, min: i64, max: i64) -> Result<i64, String> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        Ok(_) => Err(format!("must be from {min} to {max}")),
        Err(_) => Err("must be a whole number".into()),
    }
}

/// Money in currency units (`12`, `12.5`, `12.50`, `1234.99`), as exact
/// cents: no sign, at most two decimals (more only if they are zeros), no
/// thousands separators, at most [`MAX_CENTS`].
pub fn money(raw: &str) -> Result<i64, String> {
    let raw = raw.trim();
    let (units, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if units.is_empty() || !digits(units) || !digits(fraction) || (raw.ends_with('.')) {
        return Err("must be an amount such as 12.50 (no sign, no thousands separator)".into());
    }
    let (kept, rest) = fraction.split_at(fraction.len().min(2));
    if rest.bytes().any(|b| b != b'0') {
        return Err("has more than two decimals (amounts are exact cents)".into());
    }
    let cents = format!("{kept:0<2}");
    let too_big = || format!("must be at most {}", MAX_CENTS / 100);
    let units: i64 = units
        .trim_start_matches('0')
        .parse::<i64>()
        .or_else(|e| match e.kind() {
            std::num::IntErrorKind::Empty => Ok(0),
            _ => Err(too_big()),
        })?;
    let total = units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents.parse::<i64>().unwrap_or(0)))
        .filter(|&c| c <= MAX_CENTS)
        .ok_or_else(too_big)?;
    Ok(total)
}

/// A dimension value or product name: trimmed, 1–`max` characters, no
/// control characters.
pub fn text(raw: &str, max: usize) -> Result<String, String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    if value.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err("must not hold control characters".into());
    }
    Ok(value.to_owned())
}

/// A region or category value.
pub fn dimension(raw: &str) -> Result<String, String> {
    text(raw, MAX_VALUE_CHARS)
}

/// An order status: `completed`, `returned` or `cancelled` (any case).
pub fn status(raw: &str) -> Result<&'static str, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "completed" => Ok("completed"),
        "returned" => Ok("returned"),
        "cancelled" | "canceled" => Ok("cancelled"),
        _ => Err("must be completed, returned or cancelled".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_three_forms() {
        assert_eq!(time("2026-11-30T14:05:00Z"), Ok(1_796_047_500));
        assert_eq!(time("2026-11-30T15:05:00+01:00"), Ok(1_796_047_500));
        assert_eq!(time("2026-11-30 14:05:00"), Ok(1_796_047_500));
        assert_eq!(time(" 2026-11-30 "), Ok(1_795_996_800));
        for bad in [
            "30/11/2026",
            "2026-13-01",
            "2026-11-30T25:00:00Z",
            "",
            "1969-12-31",
        ] {
            assert!(time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_is_exact_cents() {
        assert_eq!(money("12"), Ok(1200));
        assert_eq!(money("12.5"), Ok(1250));
        assert_eq!(money("12.50"), Ok(1250));
        assert_eq!(money("0.07"), Ok(7));
        assert_eq!(money("19.990"), Ok(1999));
        assert_eq!(money("0019.99"), Ok(1999));
        assert_eq!(money("10000000000"), Ok(MAX_CENTS));
        for bad in [
            "-1",
            "1,000.00",
            "12.345",
            "abc",
            "",
            ".5",
            "5.",
            "1e3",
            "10000000000.01",
            "99999999999999999999",
        ] {
            assert!(money(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(
            dimension("  Zürich \"Nord\", Süd "),
            Ok("Zürich \"Nord\", Süd".into())
        );
        assert!(dimension("   ").is_err());
        assert!(dimension(&"é".repeat(65)).is_err());
        assert!(dimension(&"é".repeat(64)).is_ok());
        assert!(dimension("a\u{0}b").is_err());
        assert!(dimension("a\tb").is_err());
    }

    #[test]
    fn statuses_and_numbers() {
        assert_eq!(status("Completed"), Ok("completed"));
        assert_eq!(status("canceled"), Ok("cancelled"));
        assert!(status("shipped").is_err());
        assert_eq!(whole("3", 1, 10), Ok(3));
        assert!(whole("0", 1, 10).is_err());
        assert!(whole("2.5", 1, 10).is_err());
    }
}
