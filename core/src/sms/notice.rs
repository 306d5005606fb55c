//! What goes back by SMS: short Indonesian texts that fit one message, with the tracking id;
//! status news never at night in the complaint's own zone (held until morning), and at most a
//! few a day for one complaint.

use crate::sms::grammar::{Keyword, Problem};
use crate::types::{Millis, Status};

/// Status news about one complaint on one local day, at most.
pub const NOTICES_PER_COMPLAINT_PER_DAY: u32 = 3;
/// Reports one number may file on one day.
pub const REPORTS_PER_NUMBER_PER_DAY: u32 = 5;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Local hours in which no status news is sent: from `start` (inclusive) to `end` (exclusive),
/// across midnight when `start > end`. Equal hours mean none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u8,
    pub end: u8,
}

impl Default for QuietHours {
    /// 21:00 to 07:00: people sleep, and a message at night is a fright.
    fn default() -> Self {
        QuietHours { start: 21, end: 7 }
    }
}

impl QuietHours {
    /// `21-7` (hours, local); `none` for no quiet hours.
    pub fn parse(text: &str) -> Result<QuietHours, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("none") {
            return Ok(QuietHours { start: 0, end: 0 });
        }
        let bad = || format!("{t}: quiet hours are two hours like 21-7, or none");
        let (a, b) = t.split_once('-').ok_or_else(bad)?;
        let hour = |s: &str| s.trim().parse::<u8>().ok().filter(|h| *h < 24);
        Ok(QuietHours {
            start: hour(a).ok_or_else(bad)?,
            end: hour(b).ok_or_else(bad)?,
        })
    }

    fn is_quiet(&self, local_hour: u8) -> bool {
        match self.start.cmp(&self.end) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => (self.start..self.end).contains(&local_hour),
            std::cmp::Ordering::Greater => local_hour >= self.start || local_hour < self.end,
        }
    }

    /// `now` when news may go now, else the end of the quiet hours (local, in the zone
    /// `offset_hours` east of UTC).
    pub fn next_allowed(&self, now: Millis, offset_hours: i8) -> Millis {
        let offset = i64::from(offset_hours) * HOUR_MS;
        let local = now + offset;
        let hour = (local.rem_euclid(DAY_MS) / HOUR_MS) as u8;
        if !self.is_quiet(hour) {
            return now;
        }
        let day_start = local - local.rem_euclid(DAY_MS);
        let mut end = day_start + i64::from(self.end) * HOUR_MS;
        if end <= local {
            end += DAY_MS;
        }
        end - offset
    }
}

/// The local day (days since 1970-01-01 in that zone), for counting news per day.
pub fn local_day(now: Millis, offset_hours: i8) -> i64 {
    (now + i64::from(offset_hours) * HOUR_MS).div_euclid(DAY_MS)
}

/// When status news about a complaint may go: after the quiet hours, and on a later day once
/// today's share is used up. `sent_today` counts news already sent on `now`'s local day.
pub fn schedule(quiet: &QuietHours, now: Millis, offset_hours: i8, sent_today: u32) -> Millis {
    let mut at = quiet.next_allowed(now, offset_hours);
    if sent_today >= NOTICES_PER_COMPLAINT_PER_DAY
        && local_day(at, offset_hours) == local_day(now, offset_hours)
    {
        let offset = i64::from(offset_hours) * HOUR_MS;
        let tomorrow = (local_day(now, offset_hours) + 1) * DAY_MS - offset;
        at = quiet.next_allowed(tomorrow, offset_hours);
    }
    at
}

/// GSM 03.38's default alphabet (with its extension table): texts in it fit 160 characters;
/// anything else goes as UCS-2, 70.
fn is_gsm(c: char) -> bool {
    const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const EXTENDED: &str = "^{}\\[~]|€\u{c}";
    BASIC.contains(c) || EXTENDED.contains(c)
}

/// The text cut to one SMS (with `…` where it was cut), and whether it needs UCS-2.
pub fn fit(text: &str) -> (String, bool) {
    let tidy: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let gsm = tidy.chars().all(is_gsm);
    // Extension characters take two septets.
    let cost = |c: char| {
        if gsm && "^{}\\[~]|€\u{c}".contains(c) {
            2
        } else {
            1
        }
    };
    let limit = if gsm { 160 } else { 70 };
    if tidy.chars().map(cost).sum::<usize>() <= limit {
        return (tidy, !gsm);
    }
    let mut out = String::new();
    let mut used = 0;
    // `…` is not GSM: a cut GSM text ends in three dots.
    let ellipsis = if gsm { "..." } else { "…" };
    let room = limit - ellipsis.chars().count();
    for c in tidy.chars() {
        if used + cost(c) > room {
            break;
        }
        used += cost(c);
        out.push(c);
    }
    (format!("{}{ellipsis}", out.trim_end()), !gsm)
}

/// A report was filed.
pub fn filed(tracking: &str) -> String {
    format!(
        "Laporan Anda diterima. Nomor: {tracking}. Cek status: CEK {tracking}. Kami kabari lewat SMS. Berhenti: STOP"
    )
}

/// Where a complaint stands, asked for or as news.
pub fn status(tracking: &str, status: Status, note: &str) -> String {
    let head = format!(
        "Aduan {tracking}: {}.",
        status.label(crate::types::Language::Id)
    );
    let tail = match status {
        Status::FollowedUp => {
            format!(" Balas: BALAS {tracking} <pesan>")
        }
        Status::Completed => format!(" Beri nilai: NILAI {tracking} 1-5"),
        _ => String::new(),
    };
    let note = note.split_whitespace().collect::<Vec<_>>().join(" ");
    if note.is_empty() {
        return fit(&format!("{head}{tail}")).0;
    }
    // The note gets what room the head and the tail leave.
    let room = 160usize.saturating_sub(head.chars().count() + tail.chars().count() + 3);
    let (note, _) = fit(&note);
    let note: String = if note.chars().count() > room {
        let cut: String = note.chars().take(room.saturating_sub(3)).collect();
        format!("{}...", cut.trim_end())
    } else {
        note
    };
    format!("{head} \"{note}\"{tail}")
}

/// The outbox's "reply window closing" for a sender: until when to reply (in the complaint's
/// zone), and how, in one SMS.
pub fn reply_window_closing(params: &crate::notify::Params) -> String {
    let t = &params.tracking_id;
    let due = crate::notify::when(params);
    fit(&format!(
        "Aduan {t} sudah ditindaklanjuti. Tanggapi sebelum {due}, atau dianggap selesai. Balas: BALAS {t} <pesan>"
    ))
    .0
}

pub fn replied(tracking: &str) -> String {
    format!("Tanggapan Anda untuk {tracking} sudah diteruskan. Terima kasih.")
}

pub fn rated(tracking: &str, stars: u8) -> String {
    format!("Terima kasih. Nilai {stars} untuk {tracking} tercatat.")
}

/// The number asked for a complaint it did not file (or one that does not exist: both read
/// the same, so a number learns nothing about other people's complaints).
pub fn unknown_tracking(tracking: &str) -> String {
    format!("Nomor {tracking} tidak ditemukan untuk nomor HP ini. Periksa lagi nomor pelacakannya.")
}

/// The workflow does not take this step now (a reply before any follow-up, a second rating).
pub fn not_now(tracking: &str, status: Status) -> String {
    format!(
        "Aduan {tracking} sedang \"{}\": permintaan ini belum dapat diproses. Cek: CEK {tracking}",
        status.label(crate::types::Language::Id)
    )
}

pub fn stopped() -> String {
    "Anda tidak akan menerima SMS lagi dari layanan aduan ini. Kirim LAPOR atau CEK kapan saja untuk memakai layanan lagi.".to_string()
}

pub fn help() -> String {
    "Layanan aduan SMS: LAPOR <isi laporan>; CEK <nomor>; BALAS <nomor> <pesan>; NILAI <nomor> 1-5; STOP. Contoh: LAPOR sampah menumpuk di Kel. Panaikang".to_string()
}

pub fn report_limit() -> String {
    format!(
        "Batas {REPORTS_PER_NUMBER_PER_DAY} laporan per hari dari nomor ini sudah tercapai. Silakan kirim lagi besok. Cek laporan Anda: CEK <nomor>"
    )
}

pub fn binary() -> String {
    "Pesan tidak dapat dibaca. Kirim SMS teks biasa, contoh: LAPOR jalan rusak di Kel. Panaikang. Bantuan: BANTUAN".to_string()
}

/// The answer to a message the grammar did not understand.
pub fn problem(p: Problem) -> String {
    match p {
        Problem::Empty | Problem::Unknown => help(),
        Problem::MissingText(Keyword::Report) => {
            "Isi laporan terlalu singkat. Tulis: LAPOR <apa, di mana, sejak kapan>. Contoh: LAPOR selokan tersumbat di Kel. Panaikang".to_string()
        }
        Problem::MissingText(_) => {
            "Tulis pesannya setelah nomor: BALAS <nomor> <pesan>. Contoh: BALAS ADU-7K3MQ-9XD2F selokan masih tersumbat".to_string()
        }
        Problem::MissingTracking(k) => format!(
            "Nomor pelacakan tidak terbaca. Tulis: {} ADU-XXXXX-XXXXX (nomor dari SMS tanda terima).",
            k.word()
        ),
        Problem::BadStars => {
            "Nilai 1 sampai 5. Tulis: NILAI <nomor> <1-5>. Contoh: NILAI ADU-7K3MQ-9XD2F 4".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-05 00:00 UTC.
    const DAY0: Millis = 1_796_428_800_000;

    fn at(hour_utc: i64, minute: i64) -> Millis {
        DAY0 + hour_utc * HOUR_MS + minute * 60_000
    }

    #[test]
    fn a_closing_reply_window_says_until_when_in_the_complaints_zone_and_how_to_reply() {
        let params = crate::notify::Params {
            tracking_id: "ADU-7K3QF-9XW2M".into(),
            // 2026-12-05 16:00 WITA.
            due: Some(at(8, 0)),
            utc_offset_minutes: 8 * 60,
            ..Default::default()
        };
        let text = reply_window_closing(&params);
        assert!(text.contains("2026-12-05 16:00 WITA"), "{text}");
        assert!(
            text.ends_with("Balas: BALAS ADU-7K3QF-9XW2M <pesan>"),
            "{text}"
        );
        assert!(text.chars().count() <= 160, "one SMS: {text}");
    }

    #[test]
    fn news_never_goes_at_night_in_the_complaints_zone() {
        let q = QuietHours::default();
        // 10:00 UTC is 17:00 WIB: at once.
        assert_eq!(q.next_allowed(at(10, 0), 7), at(10, 0));
        // 15:30 UTC is 22:30 WIB: held until 07:00 WIB, 00:00 UTC the next day.
        assert_eq!(q.next_allowed(at(15, 30), 7), at(24, 0));
        // The same instant in Makassar (WITA, 23:30) and Jayapura (WIT, 00:30).
        assert_eq!(q.next_allowed(at(15, 30), 8), at(23, 0));
        assert_eq!(q.next_allowed(at(15, 30), 9), at(22, 0));
        // 23:00 UTC is 06:00 WIB: an hour to wait; 00:00 UTC is 07:00 WIB: at once.
        assert_eq!(q.next_allowed(at(23, 0), 7), at(24, 0));
        assert_eq!(q.next_allowed(at(24, 0), 7), at(24, 0));
        let none = QuietHours::parse("none").unwrap();
        assert_eq!(none.next_allowed(at(15, 30), 7), at(15, 30));
        // Quiet hours within a day.
        let midday = QuietHours::parse("12-13").unwrap();
        assert_eq!(midday.next_allowed(at(5, 10), 7), at(6, 0));
        assert!(QuietHours::parse("25-7").is_err() && QuietHours::parse("malam").is_err());
    }

    #[test]
    fn a_complaint_gets_a_few_notices_a_day_then_waits_for_the_next_morning() {
        let q = QuietHours::default();
        let now = at(3, 0); // 10:00 WIB
        for sent in 0..NOTICES_PER_COMPLAINT_PER_DAY {
            assert_eq!(schedule(&q, now, 7, sent), now);
        }
        // Today's share is used: tomorrow, after the quiet hours (07:00 WIB).
        assert_eq!(
            schedule(&q, now, 7, NOTICES_PER_COMPLAINT_PER_DAY),
            at(24, 0)
        );
        assert_eq!(local_day(at(16, 59), 7), local_day(at(3, 0), 7));
        assert_eq!(local_day(at(17, 0), 7), local_day(at(3, 0), 7) + 1);
    }

    #[test]
    fn every_text_fits_one_sms() {
        let t = "ADU-7K3MQ-9XD2F";
        let long_note = "Selokan sudah dibersihkan oleh petugas kelurahan bersama warga ".repeat(5);
        let mut texts = vec![
            filed(t),
            status(t, Status::FollowedUp, &long_note),
            status(t, Status::Completed, ""),
            status(t, Status::InProgress, "tim ke lokasi besok"),
            replied(t),
            rated(t, 5),
            unknown_tracking(t),
            not_now(t, Status::Submitted),
            stopped(),
            help(),
            report_limit(),
            binary(),
        ];
        for p in [
            Problem::Empty,
            Problem::MissingText(Keyword::Report),
            Problem::MissingText(Keyword::Reply),
            Problem::MissingTracking(Keyword::Rate),
            Problem::BadStars,
        ] {
            texts.push(problem(p));
        }
        for text in texts {
            let (fitted, unicode) = fit(&text);
            assert!(!unicode, "{text}");
            assert_eq!(fitted, text, "longer than one SMS: {text}");
        }
        assert!(status(t, Status::FollowedUp, &long_note).contains("BALAS ADU-7K3MQ-9XD2F"));
    }

    #[test]
    fn a_long_or_non_gsm_text_is_cut_to_one_message() {
        let (cut, unicode) = fit(&"a".repeat(200));
        assert_eq!(cut.chars().count(), 160);
        assert!(cut.ends_with("...") && !unicode);
        let (cut, unicode) = fit(&"ꦲꦗꦮ ".repeat(40));
        assert!(unicode && cut.chars().count() <= 70);
    }
}
