//! Working-day deadlines on wall-clock times. A deadline of n working days from a moment is the
//! end of the n-th working day after that moment's local date, in the institution's time zone.

use time::{Date, OffsetDateTime, Time, UtcOffset};

use super::calendar::WorkingCalendar;
use crate::types::Millis;

#[derive(Debug, Clone)]
pub struct Deadlines {
    pub calendar: WorkingCalendar,
    /// Indonesia spans WIB (+7), WITA (+8) and WIT (+9); dates are taken in this offset.
    pub offset: UtcOffset,
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            calendar: WorkingCalendar::indonesia(),
            offset: UtcOffset::from_hms(7, 0, 0).expect("+07:00 is a valid offset"),
        }
    }
}

impl Deadlines {
    pub fn with_offset_hours(calendar: WorkingCalendar, hours: i8) -> Self {
        let offset = UtcOffset::from_hms(hours.clamp(-12, 14), 0, 0).unwrap_or(UtcOffset::UTC);
        Deadlines { calendar, offset }
    }

    pub fn local_date(&self, at: Millis) -> Date {
        let utc = OffsetDateTime::from_unix_timestamp_nanos(at as i128 * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        utc.to_offset(self.offset).date()
    }

    /// The last millisecond of the n-th working day after `start`'s local date.
    pub fn due(&self, start: Millis, working_days: u32) -> Millis {
        let date = self
            .calendar
            .add_working_days(self.local_date(start), working_days);
        let end = date
            .with_time(Time::MIDNIGHT)
            .assume_offset(self.offset)
            .unix_timestamp()
            .saturating_add(86_400);
        end.saturating_mul(1000) - 1
    }

    /// Working days from `from`'s local date to `to`'s (the figure bodies are judged by).
    pub fn working_days_between(&self, from: Millis, to: Millis) -> i64 {
        self.calendar
            .working_days_between(self.local_date(from), self.local_date(to))
    }
}
