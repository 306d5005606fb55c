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
    /// Hours within which each institution responds to its field cadres' reports, from the
    /// directory; [`DEFAULT_CADRE_HOURS`] for the rest.
    pub cadre_hours: Arc<HashMap<String, u32>>,
    /// The kelurahan (Kemendagri codes, or wider areas) where each institution has field
    /// cadres, from the directory: reports about them are due within its cadre hours too.
    pub cadre_areas: Arc<HashMap<String, Vec<String>>>,
}

/// Pakandatto cadres act within 24 hours: the response target for their reports.
pub const DEFAULT_CADRE_HOURS: u32 = 24;

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
            cadre_hours: Arc::default(),
            cadre_areas: Arc::default(),
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
            cadre_hours: Arc::default(),
            cadre_areas: Arc::default(),
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
        let cadre_hours = directory
            .institutions()
            .iter()
            .filter_map(|i| Some((i.id.clone(), i.cadre_response_hours?)))
            .collect();
        self.cadre_hours = Arc::new(cadre_hours);
        let cadre_areas = directory
            .institutions()
            .iter()
            .filter(|i| !i.cadre_areas.is_empty())
            .map(|i| (i.id.clone(), i.cadre_areas.clone()))
            .collect();
        self.cadre_areas = Arc::new(cadre_areas);
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

    /// The response target, in hours, for cadre reports held by `institution`.
    pub fn cadre_hours_for(&self, institution: Option<&str>) -> u32 {
        institution
            .and_then(|id| self.cadre_hours.get(id).copied())
            .unwrap_or(DEFAULT_CADRE_HOURS)
    }

    /// Whether `area` (a village's code) lies where `institution` has field cadres.
    pub fn in_cadre_area(&self, institution: Option<&str>, area: Option<&str>) -> bool {
        let (Some(institution), Some(area)) = (institution, area) else {
            return false;
        };
        self.cadre_areas.get(institution).is_some_and(|covered| {
            covered
                .iter()
                .any(|c| crate::catalog::areas::within(area, c))
        })
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
        self.working_days_between_in(self.offset_of(institution), from, to)
    }

    /// As `working_days_between`, with dates taken at `offset` (an institution's, from
    /// [`Deadlines::offset_of`], looked up once for many counts).
    pub fn working_days_between_in(&self, offset: UtcOffset, from: Millis, to: Millis) -> i64 {
        self.calendar
            .working_days_between(local_date_in(offset, from), local_date_in(offset, to))
    }
}

/// The date at `offset` of the instant `at`, by day arithmetic (the figures take millions).
fn local_date_in(offset: UtcOffset, at: Millis) -> Date {
    // Julian day 2440588 is 1 January 1970.
    const EPOCH_JULIAN_DAY: i64 = 2_440_588;
    let local = at.saturating_add(i64::from(offset.whole_seconds()) * 1000);
    i32::try_from(EPOCH_JULIAN_DAY + local.div_euclid(86_400_000))
        .ok()
        .and_then(|day| Date::from_julian_day(day).ok())
        .unwrap_or_else(|| OffsetDateTime::UNIX_EPOCH.to_offset(offset).date())
}

/// A short name for an offset: WIB, WITA or WIT, else "UTC+h".
pub fn zone_name(offset: UtcOffset) -> String {
    match crate::catalog::Zone::from_offset_hours(offset.whole_hours()) {
        Some(zone) if offset.minutes_past_hour() == 0 => zone.name().to_string(),
        _ => format!("UTC{:+}", offset.whole_hours()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_date_by_day_arithmetic_is_the_calendar_s() {
        // Around midnight in each zone, before 1970 and far ahead, every few hours.
        for hours in [-12i8, -1, 0, 7, 8, 9, 14] {
            let offset = UtcOffset::from_hms(hours, 0, 0).unwrap();
            let mut at: Millis = -3 * 86_400_000 * 365;
            while at < 40 * 86_400_000 * 365 {
                for delta in [-1, 0, 1] {
                    let t = at + delta;
                    let expected =
                        OffsetDateTime::from_unix_timestamp_nanos(i128::from(t) * 1_000_000)
                            .unwrap()
                            .to_offset(offset)
                            .date();
                    assert_eq!(local_date_in(offset, t), expected, "{t} at {hours} h");
                }
                at += 3 * 3_600_000 + 1_234;
            }
        }
        assert_eq!(
            local_date_in(UtcOffset::UTC, Millis::MAX),
            OffsetDateTime::UNIX_EPOCH.date()
        );
    }

    #[test]
    fn cadre_hours_are_set_per_institution_and_default_to_24() {
        let directory = Directory::from_json(
            r#"{"region":"x","institutions":[
                {"id":"kota-a","name":"A","level":"regional","province":"Sulawesi Selatan","cadre_response_hours":12},
                {"id":"kota-b","name":"B","level":"regional","province":"Sulawesi Selatan"}]}"#,
        )
        .unwrap();
        let d = Deadlines::default().with_directory(&directory);
        assert_eq!(d.cadre_hours_for(Some("kota-a")), 12);
        assert_eq!(d.cadre_hours_for(Some("kota-b")), DEFAULT_CADRE_HOURS);
        assert_eq!(d.cadre_hours_for(None), DEFAULT_CADRE_HOURS);
    }

    #[test]
    fn zero_cadre_hours_is_refused() {
        let bad = r#"{"region":"x","institutions":[{"id":"kota-a","name":"A","level":"regional","province":"Sulawesi Selatan","cadre_response_hours":0}]}"#;
        assert!(Directory::from_json(bad).is_err());
    }
}
