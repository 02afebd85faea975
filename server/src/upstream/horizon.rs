//! The horizon of an upstream summary: a whole number of days, 1–365.

/// Days ahead the summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HorizonDays(u32);

impl HorizonDays {
    /// The shortest horizon.
    pub const MIN: u32 = 1;
    /// The longest horizon.
    pub const MAX: u32 = 365;
    /// The horizon when none is asked for.
    pub const DEFAULT: HorizonDays = HorizonDays(30);

    /// Accepts a whole number from [`Self::MIN`] to [`Self::MAX`].
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().parse::<u32>() {
            Ok(days) if (Self::MIN..=Self::MAX).contains(&days) => Ok(Self(days)),
            _ => Err(format!(
                "must be a whole number of days from {} to {}",
                Self::MIN,
                Self::MAX
            )),
        }
    }

    /// The number of days.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_days_in_range_only() {
        assert_eq!(HorizonDays::parse("30").map(HorizonDays::get), Ok(30));
        assert_eq!(HorizonDays::parse("1").map(HorizonDays::get), Ok(1));
        assert_eq!(HorizonDays::parse("365").map(HorizonDays::get), Ok(365));
        for bad in ["0", "366", "-1", "7.5", "abc", "", "1e2"] {
            assert!(HorizonDays::parse(bad).is_err(), "{bad}");
        }
    }
}
