//! Days, months, periods and buckets. A day is a UTC calendar day counted
//! from 1970-01-01 (what `ordered_at / 86400` gives in SQL); a month is
//! `year * 12 + month0`.

use api_types::{Granularity, Period as ApiPeriod};
use time::Date;

pub use crate::storage::days::{date, day, month_of, month_start, Day, Period, SECONDS_PER_DAY};

/// `YYYY-MM-DD`.
pub fn format_day(day: Day) -> String {
    let d = date(day);
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Option<Day> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok().map(day)
}

// `Period` is defined in storage (`storage::days`), which reads and
// writes day ranges; the domain's methods on it live here.
impl Period {
    /// Number of days (at least one: `from <= to` is validated on input).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(self) -> i64 {
        self.to - self.from + 1
    }

    /// The period of equal length just before this one.
    pub fn previous(self) -> Period {
        Period {
            from: self.from - self.len(),
            to: self.from - 1,
        }
    }

    /// Whether `day` is inside.
    pub fn contains(self, day: Day) -> bool {
        (self.from..=self.to).contains(&day)
    }

    /// As the API shows it.
    pub fn to_api(self) -> ApiPeriod {
        ApiPeriod {
            from: format_day(self.from),
            to: format_day(self.to),
        }
    }

    /// The period cut into buckets (clipped to the period), oldest first.
    pub fn buckets(self, granularity: Granularity) -> Vec<Period> {
        let mut buckets = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let end = match granularity {
                Granularity::Day => start,
                // Day 0 (1970-01-01) was a Thursday; weeks start on Monday.
                Granularity::Week => start + (6 - (start + 3).rem_euclid(7)),
                Granularity::Month => month_start(month_of(start) + 1) - 1,
            }
            .min(self.to);
            buckets.push(Period {
                from: start,
                to: end,
            });
            start = end + 1;
        }
        buckets
    }

    /// The months wholly inside the period, and the days outside them.
    pub fn split_months(self) -> (Vec<i64>, Vec<Period>) {
        let mut months = Vec::new();
        let mut edges = Vec::new();
        for bucket in self.buckets(Granularity::Month) {
            let month = month_of(bucket.from);
            let whole =
                bucket.from == month_start(month) && bucket.to == month_start(month + 1) - 1;
            if whole {
                months.push(month);
            } else {
                edges.push(bucket);
            }
        }
        (months, edges)
    }
}

/// A granularity giving at most ~31 points over `period`, for sparklines.
pub fn spark_granularity(period: Period) -> Granularity {
    match period.len() {
        0..=31 => Granularity::Day,
        32..=217 => Granularity::Week,
        _ => Granularity::Month,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Day {
        parse_day(text).expect("a date")
    }

    #[test]
    fn days_round_trip() {
        assert_eq!(d("1970-01-01"), 0);
        assert_eq!(format_day(d("2026-02-28")), "2026-02-28");
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("26-1-1"), None);
    }

    #[test]
    fn weeks_start_on_monday_and_months_are_clipped() {
        let period = Period {
            from: d("2026-11-04"),
            to: d("2026-11-17"),
        };
        let weeks: Vec<_> = period
            .buckets(Granularity::Week)
            .iter()
            .map(|b| (format_day(b.from), format_day(b.to)))
            .collect();
        assert_eq!(
            weeks,
            [
                ("2026-11-04".into(), "2026-11-08".into()),
                ("2026-11-09".into(), "2026-11-15".into()),
                ("2026-11-16".into(), "2026-11-17".into()),
            ]
        );
        let months = Period {
            from: d("2025-12-15"),
            to: d("2026-03-01"),
        }
        .buckets(Granularity::Month);
        assert_eq!(months.len(), 4);
        assert_eq!(format_day(months[1].from), "2026-01-01");
        assert_eq!(format_day(months[1].to), "2026-01-31");
    }

    #[test]
    fn split_months_keeps_whole_months_only() {
        let (months, edges) = Period {
            from: d("2025-12-15"),
            to: d("2026-03-01"),
        }
        .split_months();
        assert_eq!(
            months,
            [month_of(d("2026-01-01")), month_of(d("2026-02-01"))]
        );
        assert_eq!(edges.len(), 2);
        assert_eq!(edges[0].len() + edges[1].len(), 17 + 1);
    }

    #[test]
    fn previous_period_has_equal_length() {
        let period = Period { from: 100, to: 129 };
        assert_eq!(period.previous(), Period { from: 70, to: 99 });
    }
}
