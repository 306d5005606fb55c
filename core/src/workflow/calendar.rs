//! The working-day calendar: Monday to Friday minus Indonesian national holidays and collective
//! leave (cuti bersama). The dates come from a CSV file an operator can read and extend, because
//! each year's decree arrives after apps are shipped.

use std::collections::{BTreeMap, BTreeSet};

use time::{Date, Weekday};

pub const BUNDLED_HOLIDAYS_CSV: &str = include_str!("../../data/holidays-id.csv");

const HEADER: &str = "date,kind,name_id,name_en";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    Holiday,
    CollectiveLeave,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub kind: HolidayKind,
    pub name_id: String,
    pub name_en: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CalendarError {
    #[error("line {line}: expected the header '{HEADER}'")]
    Header { line: usize },
    #[error("line {line}: expected 4 fields (date,kind,name_id,name_en)")]
    Fields { line: usize },
    #[error("line {line}: '{value}' is not a date (YYYY-MM-DD)")]
    Date { line: usize, value: String },
    #[error("line {line}: kind must be 'holiday' or 'collective_leave', not '{value}'")]
    Kind { line: usize, value: String },
    #[error("line {line}: the names must not be empty")]
    Name { line: usize },
    #[error("line {line}: {date} is listed twice")]
    Duplicate { line: usize, date: String },
}

#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    holidays: BTreeMap<Date, Holiday>,
    years: BTreeSet<i32>,
    /// The holidays that fall on a weekday, as Julian days in order: what a count of working
    /// days between two dates takes away, found by two binary searches.
    weekday_holidays: Vec<i32>,
}

fn parse(text: &str) -> Result<Vec<Holiday>, CalendarError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let mut rows = Vec::new();
    let mut seen_header = false;
    let mut dates = BTreeSet::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !seen_header {
            if trimmed.replace(' ', "") != HEADER {
                return Err(CalendarError::Header { line });
            }
            seen_header = true;
            continue;
        }
        let fields: Vec<&str> = trimmed.splitn(4, ',').map(str::trim).collect();
        let [date, kind, name_id, name_en] = fields[..] else {
            return Err(CalendarError::Fields { line });
        };
        let date = Date::parse(date, format).map_err(|_| CalendarError::Date {
            line,
            value: date.chars().take(40).collect(),
        })?;
        let kind = match kind {
            "holiday" => HolidayKind::Holiday,
            "collective_leave" => HolidayKind::CollectiveLeave,
            other => {
                return Err(CalendarError::Kind {
                    line,
                    value: other.chars().take(40).collect(),
                })
            }
        };
        if name_id.is_empty() || name_en.is_empty() {
            return Err(CalendarError::Name { line });
        }
        if !dates.insert(date) {
            return Err(CalendarError::Duplicate {
                line,
                date: date.to_string(),
            });
        }
        rows.push(Holiday {
            date,
            kind,
            name_id: name_id.to_string(),
            name_en: name_en.to_string(),
        });
    }
    if !seen_header {
        return Err(CalendarError::Header { line: 1 });
    }
    Ok(rows)
}

impl WorkingCalendar {
    /// The bundled Indonesian calendar (2024-2027).
    pub fn indonesia() -> Self {
        // The bundled file is tested to parse; should it ever not, weekends alone still count.
        Self::from_csv(BUNDLED_HOLIDAYS_CSV).unwrap_or_else(|e| {
            log::error!("bundled holiday calendar does not parse: {e}");
            Self::weekdays_only()
        })
    }

    pub fn weekdays_only() -> Self {
        Self::default()
    }

    pub fn from_csv(text: &str) -> Result<Self, CalendarError> {
        let mut cal = Self::default();
        cal.extend_from_csv(text)?;
        Ok(cal)
    }

    /// Adds an operator's file on top. A date already present keeps its first entry (a
    /// regional holiday on a national one changes nothing). All or nothing: on an error
    /// nothing is added. Returns the number of dates added.
    pub fn extend_from_csv(&mut self, text: &str) -> Result<usize, CalendarError> {
        let rows = parse(text)?;
        let mut added = 0;
        for h in rows {
            self.years.insert(h.date.year());
            if let std::collections::btree_map::Entry::Vacant(e) = self.holidays.entry(h.date) {
                e.insert(h);
                added += 1;
            }
        }
        self.weekday_holidays = self
            .holidays
            .keys()
            .filter(|d| !is_weekend(**d))
            .map(|d| d.to_julian_day())
            .collect();
        Ok(added)
    }

    pub fn is_working_day(&self, d: Date) -> bool {
        !is_weekend(d) && !self.holidays.contains_key(&d)
    }

    pub fn holiday(&self, d: Date) -> Option<&Holiday> {
        self.holidays.get(&d)
    }

    pub fn covers_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn holidays_in_year(&self, year: i32) -> Vec<&Holiday> {
        self.holidays
            .values()
            .filter(|h| h.date.year() == year)
            .collect()
    }

    /// The n-th working day strictly after `start` (n = 0 returns `start`). Saturates at the
    /// last representable date instead of overflowing.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            match d.next_day() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days d with from < d <= to; negative (mirrored) when to < from. Counted in
    /// constant time from the weekdays (a figures page asks this for every complaint, over
    /// spans of months), less the holidays on weekdays in between.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        // Weekday holidays after `from`, through `to`.
        let through = |d: Date| {
            let day = d.to_julian_day();
            self.weekday_holidays.partition_point(|h| *h <= day) as i64
        };
        weekdays_through(to) - weekdays_through(from) - (through(to) - through(from))
    }

    /// The same count, one day at a time: what the constant-time count is checked against.
    #[cfg(test)]
    fn working_days_between_by_days(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.working_days_between_by_days(to, from);
        }
        let mut count = 0;
        let mut d = from;
        while d < to {
            match d.next_day() {
                Some(next) => d = next,
                None => break,
            }
            if self.is_working_day(d) {
                count += 1;
            }
        }
        count
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Weekdays from a fixed Monday through `d` (negative before it): only differences matter.
fn weekdays_through(d: Date) -> i64 {
    // Julian day 2451547 is Monday 3 January 2000.
    let k = i64::from(d.to_julian_day()) - 2_451_547;
    let (weeks, day) = (k.div_euclid(7), k.rem_euclid(7));
    weeks * 5 + (day + 1).min(5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::indonesia()
    }

    #[test]
    fn bundled_data_covers_2024_to_2027() {
        let c = WorkingCalendar::from_csv(BUNDLED_HOLIDAYS_CSV).unwrap();
        for year in 2024..=2027 {
            assert!(c.covers_year(year), "{year}");
            assert!(c.holidays_in_year(year).len() >= 15, "{year}");
        }
        assert!(!c.covers_year(2028));
    }

    #[test]
    fn three_working_days_from_friday_lands_on_wednesday() {
        assert_eq!(
            cal().add_working_days(date!(2025 - 07 - 04), 3),
            date!(2025 - 07 - 09)
        );
    }

    #[test]
    fn filed_on_saturday_counts_from_monday() {
        assert_eq!(
            cal().add_working_days(date!(2025 - 07 - 05), 1),
            date!(2025 - 07 - 07)
        );
    }

    #[test]
    fn deadline_skips_idul_fitri_collective_leave_2025() {
        // 28 March and 2-7 April are collective leave, 31 March-1 April Idul Fitri.
        assert_eq!(
            cal().add_working_days(date!(2025 - 03 - 27), 3),
            date!(2025 - 04 - 10)
        );
        assert!(!cal().is_working_day(date!(2025 - 04 - 07)));
        assert_eq!(
            cal().holiday(date!(2025 - 04 - 02)).unwrap().kind,
            HolidayKind::CollectiveLeave
        );
    }

    #[test]
    fn year_end_crossing_skips_christmas_and_new_year() {
        assert_eq!(
            cal().add_working_days(date!(2024 - 12 - 24), 3),
            date!(2024 - 12 - 31)
        );
        assert_eq!(
            cal().add_working_days(date!(2024 - 12 - 24), 4),
            date!(2025 - 01 - 02)
        );
    }

    #[test]
    fn sixty_working_days_across_year_boundary() {
        let c = cal();
        let due = c.add_working_days(date!(2025 - 11 - 03), 60);
        assert_eq!(c.working_days_between(date!(2025 - 11 - 03), due), 60);
        assert_eq!(due.year(), 2026);
        assert!(c.is_working_day(due));
    }

    #[test]
    fn operator_file_extends_bundled_calendar() {
        let mut c = cal();
        let added = c
            .extend_from_csv(
                "# Hari jadi Kota Makassar\ndate,kind,name_id,name_en\n2025-11-10,holiday,Hari Jadi Kota Makassar,Makassar anniversary\n2025-12-25,holiday,Natal,Christmas\n",
            )
            .unwrap();
        assert_eq!(added, 1, "a date already present is kept once");
        assert!(!c.is_working_day(date!(2025 - 11 - 10)));
        assert!(c.covers_year(2025));
    }

    #[test]
    fn bad_csv_reports_line_number_and_adds_nothing() {
        let mut c = cal();
        let before = c.holidays_in_year(2030).len();
        let err = c
            .extend_from_csv(
                "date,kind,name_id,name_en\n2030-01-01,holiday,A,B\n2030-02-30,holiday,A,B\n",
            )
            .unwrap_err();
        assert_eq!(
            err,
            CalendarError::Date {
                line: 3,
                value: "2030-02-30".into()
            }
        );
        assert_eq!(c.holidays_in_year(2030).len(), before);
        assert!(matches!(
            WorkingCalendar::from_csv("nope"),
            Err(CalendarError::Header { line: 1 })
        ));
        assert!(matches!(
            WorkingCalendar::from_csv("date,kind,name_id,name_en\n2030-01-01,party,A,B"),
            Err(CalendarError::Kind { line: 2, .. })
        ));
        assert!(matches!(
            WorkingCalendar::from_csv("date,kind,name_id,name_en\n2030-01-01,holiday"),
            Err(CalendarError::Fields { line: 2 })
        ));
        assert!(matches!(
            WorkingCalendar::from_csv(
                "date,kind,name_id,name_en\n2030-01-01,holiday,A,B\n2030-01-01,holiday,C,D"
            ),
            Err(CalendarError::Duplicate { line: 3, .. })
        ));
    }

    #[test]
    fn between_is_inverse_of_add() {
        let c = cal();
        let mut d = date!(2024 - 01 - 01);
        while d < date!(2027 - 12 - 01) {
            for n in [0u32, 1, 3, 5, 10, 14] {
                let due = c.add_working_days(d, n);
                assert_eq!(c.working_days_between(d, due), i64::from(n), "{d} + {n}");
                assert_eq!(c.working_days_between(due, d), -i64::from(n));
            }
            d = d
                .next_day()
                .unwrap()
                .next_day()
                .unwrap()
                .next_day()
                .unwrap();
        }
    }

    #[test]
    fn counting_at_once_agrees_with_counting_day_by_day() {
        let c = cal();
        let empty = WorkingCalendar::weekdays_only();
        // Every start over 2023-2028 (beyond the bundled years too) and spans from 0 days to
        // well over a year, in both directions.
        let mut from = date!(2023 - 12 - 20);
        while from < date!(2028 - 01 - 10) {
            for span in [0i64, 1, 2, 3, 4, 5, 6, 7, 8, 13, 30, 61, 200, 400] {
                let to = from + time::Duration::days(span);
                for cal in [&c, &empty] {
                    let by_days = cal.working_days_between_by_days(from, to);
                    assert_eq!(cal.working_days_between(from, to), by_days, "{from}..{to}");
                    assert_eq!(cal.working_days_between(to, from), -by_days, "{to}..{from}");
                }
            }
            from = from.next_day().unwrap();
        }
        assert_eq!(
            c.working_days_between(Date::MIN, Date::MIN + time::Duration::days(9)),
            c.working_days_between_by_days(Date::MIN, Date::MIN + time::Duration::days(9))
        );
    }

    #[test]
    fn never_panics_at_the_end_of_time() {
        let c = cal();
        assert_eq!(c.add_working_days(Date::MAX, 5), Date::MAX);
        assert!(c.working_days_between(Date::MIN, Date::MIN) == 0);
    }
}
