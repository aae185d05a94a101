//! Dates as archives write them: `2021`, `2021-03-05`, `2021.03`, `2021년 3월 5일`, `March 2003`,
//! `2017-07-27 10:49:10`, `05 MAR 2003`. A year is always found when there is one; month and day when given.

use std::fmt;

/// A calendar date of which only the year may be known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        PartialDate { year, month: None, day: None }
    }

    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        PartialDate { year, month: Some(month), day: Some(day) }
    }

    /// The first day this date could mean (`2021` → 2021-01-01, `2021-03` → 2021-03-01).
    pub fn first_day(&self) -> (i32, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date could mean (`2021` → 2021-12-31, `2021-02` → 2021-02-28).
    pub fn last_day(&self) -> (i32, u8, u8) {
        match (self.month, self.day) {
            (Some(m), Some(d)) => (self.year, m, d),
            (Some(m), None) => (self.year, m, days_in_month(self.year, m)),
            _ => (self.year, 12, 31),
        }
    }

    /// Parses the date forms archives use. Returns `None` when the text holds no plausible year.
    pub fn parse(text: &str) -> Option<PartialDate> {
        Self::parse_noting(text).map(|(date, _)| date)
    }

    /// As [`parse`](Self::parse), and whether the text gave a month or day that no calendar has (`2021-02-30`,
    /// `2021-13`): only the year is kept then, which the reader reports. A zero month or day is how archives write
    /// "unknown" (`2021-00-00`, `2021-03-00`), not an error.
    pub fn parse_noting(text: &str) -> Option<(PartialDate, bool)> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let nums = numbers(text);
        let month_name = month_from_name(text);
        // The year is the first number of four digits in a plausible range.
        let year_pos = nums.iter().position(|&(n, digits)| digits == 4 && (1000..=2999).contains(&n))?;
        let year = nums[year_pos].0 as i32;
        let rest: Vec<u32> = nums.iter().enumerate().filter(|&(i, _)| i != year_pos).map(|(_, &(n, _))| n).collect();
        let date = if let Some(m) = month_name {
            // `March 2003`, `5 March 2003`, `March 5, 2003`, `05 MAR 2003`.
            let day = rest.first().copied().filter(|&d| (1..=31).contains(&d));
            checked(year, Some(m as u32), day)
        } else if year_pos == 0 {
            // `2021-03-05`, `2021.03`, `2021년 3월 5일`, `2017-07-27 10:49:10`.
            checked(year, rest.first().copied(), rest.get(1).copied())
        } else if year_pos == 2 && nums[0].1 <= 2 && nums[1].1 <= 2 {
            // `05/03/2003` is ambiguous between day-first and month-first: keep only the year.
            Some(PartialDate::year(year))
        } else {
            Some(PartialDate::year(year))
        };
        Some(date.map_or((PartialDate::year(year), true), |date| (date, false)))
    }
}

fn checked(year: i32, month: Option<u32>, day: Option<u32>) -> Option<PartialDate> {
    let month = match month {
        Some(m) if (1..=12).contains(&m) => m as u8,
        Some(0) | None => return Some(PartialDate::year(year)),
        Some(_) => return None,
    };
    let day = match day {
        Some(d) if d >= 1 && d <= days_in_month(year, month) as u32 => Some(d as u8),
        Some(0) | None => None,
        Some(_) => return None,
    };
    Some(PartialDate { year, month: Some(month), day })
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// The runs of ASCII digits in `text`, with their lengths.
fn numbers(text: &str) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    let mut value: u64 = 0;
    let mut digits = 0usize;
    for c in text.chars().chain(std::iter::once(' ')) {
        if let Some(d) = c.to_digit(10) {
            value = value.saturating_mul(10).saturating_add(d as u64);
            digits += 1;
        } else if digits > 0 {
            out.push((value.min(u32::MAX as u64) as u32, digits));
            value = 0;
            digits = 0;
        }
    }
    out
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// An English month name or three-letter abbreviation anywhere in `text`, as a word.
fn month_from_name(text: &str) -> Option<u8> {
    text.split(|c: char| !c.is_ascii_alphabetic()).find_map(|word| {
        let w = word.to_ascii_lowercase();
        if w.len() < 3 {
            return None;
        }
        MONTHS
            .iter()
            .position(|m| w.starts_with(m) && (w.len() == 3 || FULL_MONTHS.contains(&w.as_str()) || w == "sept"))
            .map(|i| i as u8 + 1)
    })
}

const FULL_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<PartialDate> {
        PartialDate::parse(s)
    }

    #[test]
    fn archive_forms() {
        assert_eq!(p("2021"), Some(PartialDate::year(2021)));
        assert_eq!(p("2021-03-05"), Some(PartialDate::ymd(2021, 3, 5)));
        assert_eq!(p("2021.03"), Some(PartialDate { year: 2021, month: Some(3), day: None }));
        assert_eq!(p("2021년"), Some(PartialDate::year(2021)));
        assert_eq!(p("2021년 3월 5일"), Some(PartialDate::ymd(2021, 3, 5)));
        assert_eq!(p("March 2003"), Some(PartialDate { year: 2003, month: Some(3), day: None }));
        assert_eq!(p("2017-07-27 10:49:10"), Some(PartialDate::ymd(2017, 7, 27)));
        assert_eq!(p("05 MAR 2003"), Some(PartialDate::ymd(2003, 3, 5)));
        assert_eq!(p("March 5, 2003"), Some(PartialDate::ymd(2003, 3, 5)));
        assert_eq!(p("Sept. 2001"), Some(PartialDate { year: 2001, month: Some(9), day: None }));
    }

    #[test]
    fn no_year_or_impossible_parts() {
        assert_eq!(p(""), None);
        assert_eq!(p("n.d."), None);
        assert_eq!(p("99-129"), None);
        // An impossible month or day still leaves the year, and is noted; a zero one means unknown.
        let noted = |s: &str| PartialDate::parse_noting(s).map(|(_, noted)| noted);
        assert_eq!(p("2021-13-40"), Some(PartialDate::year(2021)));
        assert_eq!(p("2021-02-30"), Some(PartialDate::year(2021)));
        assert_eq!((noted("2021-13-40"), noted("2021-02-30")), (Some(true), Some(true)));
        assert_eq!(p("2020-02-29"), Some(PartialDate::ymd(2020, 2, 29)));
        assert_eq!(p("2021-00-00"), Some(PartialDate::year(2021)));
        assert_eq!(p("2021-03-00"), Some(PartialDate { year: 2021, month: Some(3), day: None }));
        assert_eq!(
            (noted("2021-00-00"), noted("2021-03-00"), noted("2021-03-05")),
            (Some(false), Some(false), Some(false))
        );
    }

    #[test]
    fn bounds_of_partial_dates() {
        assert_eq!(PartialDate::year(2021).last_day(), (2021, 12, 31));
        assert_eq!(p("2024-02").unwrap().last_day(), (2024, 2, 29));
        assert_eq!(p("2024-02").unwrap().first_day(), (2024, 2, 1));
        assert_eq!(p("2021-03-05").unwrap().to_string(), "2021-03-05");
    }
}
