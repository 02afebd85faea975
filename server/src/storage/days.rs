//! Day numbers as the warehouse stores them. A day is a UTC calendar day
//! counted from 1970-01-01 (what `ordered_at / 86400` gives in SQL); a
//! month is `year * 12 + month0`. The calendar's domain methods (buckets,
//! presets, formatting) live in `analytics::calendar`, which re-exports
//! these.

use time::{Date, Duration, Month};

/// Seconds per day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// A UTC day number.
pub type Day = i64;

/// 1970-01-01.
fn epoch() -> Date {
    Date::from_calendar_date(1970, Month::January, 1).unwrap_or(Date::MIN)
}

/// The calendar date of a day number.
pub fn date(day: Day) -> Date {
    epoch()
        .checked_add(Duration::days(day))
        .unwrap_or(Date::MAX)
}

/// The day number of a date.
pub fn day(date: Date) -> Day {
    (date - epoch()).whole_days()
}

/// The month (`year * 12 + month0`) a day falls in.
pub fn month_of(day: Day) -> i64 {
    let d = date(day);
    i64::from(d.year()) * 12 + i64::from(u8::from(d.month())) - 1
}

/// The first day of a month.
pub fn month_start(month: i64) -> Day {
    let year = i32::try_from(month.div_euclid(12)).unwrap_or(1970);
    let month0 = u8::try_from(month.rem_euclid(12)).unwrap_or(0);
    let month = Month::try_from(month0 + 1).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, 1).map_or(0, day)
}

/// An inclusive range of days (or, for monthly rollups, of months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// First day.
    pub from: Day,
    /// Last day.
    pub to: Day,
}
