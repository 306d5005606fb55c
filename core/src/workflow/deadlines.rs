//! Working-day deadlines on wall-clock times. A deadline of n working days from a moment is the
//! end of the n-th working day after that moment's local date, in the institution's time zone.

use std::collections::HashMap;
use std::sync::Arc;

use time::{Date, OffsetDateTime, Time, UtcOffset};

use super::calendar::WorkingCalendar;
use crate::catalog::{Directory, InstitutionLevel};
use crate::types::Millis;

#[derive(Debug, Clone)]
pub struct Deadlines {
    pub calendar: WorkingCalendar,
    /// Indonesia spans WIB (+7), WITA (+8) and WIT (+9). This offset is for institutions the
    /// directory does not know.
    pub offset: UtcOffset,
    /// Each known institution's offset, from the directory. Every replica must fill it from
    /// the same directory, or their deadlines (and auto-completions) differ.
    pub zones: Arc<HashMap<String, UtcOffset>>,
    /// The national administrator's offset: national verification ends at midnight there.
    pub national: UtcOffset,
}

fn hours(h: i8) -> UtcOffset {
    UtcOffset::from_hms(h.clamp(-12, 14), 0, 0).unwrap_or(UtcOffset::UTC)
}

impl Default for Deadlines {
    fn default() -> Self {
        Deadlines {
            calendar: WorkingCalendar::indonesia(),
            offset: hours(7),
            zones: Arc::default(),
            national: hours(7),
        }
    }
}

impl Deadlines {
    pub fn with_offset_hours(calendar: WorkingCalendar, hours_east: i8) -> Self {
        Deadlines {
            calendar,
            offset: hours(hours_east),
            zones: Arc::default(),
            national: hours(hours_east),
        }
    }

    /// Takes each institution's zone from `directory`; the national administrator's too when
    /// the directory has one.
    pub fn with_directory(mut self, directory: &Directory) -> Self {
        let zones = directory
            .institutions()
            .iter()
            .map(|i| (i.id.clone(), hours(i.zone().utc_offset_hours())))
            .collect();
        self.zones = Arc::new(zones);
        if let Some(national) = directory
            .institutions()
            .iter()
            .find(|i| i.level == InstitutionLevel::National)
        {
            self.national = hours(national.zone().utc_offset_hours());
        }
        self
    }

    /// The offset of the institution holding a complaint; `None` is the national desk.
    pub fn offset_of(&self, institution: Option<&str>) -> UtcOffset {
        match institution {
            None => self.national,
            Some(id) => self.zones.get(id).copied().unwrap_or(self.offset),
        }
    }

    pub fn local_date(&self, at: Millis) -> Date {
        local_date_in(self.offset, at)
    }

    /// The last millisecond of the n-th working day after `start`'s local date.
    pub fn due(&self, start: Millis, working_days: u32) -> Millis {
        self.due_in(self.offset, start, working_days)
    }

    /// As `due`, ending at midnight where `institution` is (`None`: the national desk).
    pub fn due_for(&self, institution: Option<&str>, start: Millis, working_days: u32) -> Millis {
        self.due_in(self.offset_of(institution), start, working_days)
    }

    fn due_in(&self, offset: UtcOffset, start: Millis, working_days: u32) -> Millis {
        let date = self
            .calendar
            .add_working_days(local_date_in(offset, start), working_days);
        let end = date
            .with_time(Time::MIDNIGHT)
            .assume_offset(offset)
            .unix_timestamp()
            .saturating_add(86_400);
        end.saturating_mul(1000) - 1
    }

    /// Working days from `from`'s local date to `to`'s (the figure bodies are judged by).
    pub fn working_days_between(&self, from: Millis, to: Millis) -> i64 {
        self.calendar
            .working_days_between(self.local_date(from), self.local_date(to))
    }

    /// As `working_days_between`, with dates taken where `institution` is.
    pub fn working_days_between_for(
        &self,
        institution: Option<&str>,
        from: Millis,
        to: Millis,
    ) -> i64 {
        let offset = self.offset_of(institution);
        self.calendar
            .working_days_between(local_date_in(offset, from), local_date_in(offset, to))
    }
}

fn local_date_in(offset: UtcOffset, at: Millis) -> Date {
    let utc = OffsetDateTime::from_unix_timestamp_nanos(at as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    utc.to_offset(offset).date()
}

/// A short name for an offset: WIB, WITA or WIT, else "UTC+h".
pub fn zone_name(offset: UtcOffset) -> String {
    match crate::catalog::Zone::from_offset_hours(offset.whole_hours()) {
        Some(zone) if offset.minutes_past_hour() == 0 => zone.name().to_string(),
        _ => format!("UTC{:+}", offset.whole_hours()),
    }
}
