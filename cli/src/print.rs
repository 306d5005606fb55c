//! Output for people (aligned text in their language) or programs (`--json`).

use aduan_core::api::records::*;
use aduan_core::types::{Identity, Language, Millis};
use serde::Serialize;

pub struct Printer {
    pub json: bool,
    pub language: Language,
}

fn date(ms: Millis) -> String {
    let offset = time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| t.to_offset(offset).format(format).unwrap_or_default())
        .unwrap_or_default()
}

/// A complaint's time where its place is, with the zone's name: "2026-12-04 23:40 WITA".
fn local(ms: Millis, place: &ComplaintSummary) -> String {
    let offset = time::UtcOffset::from_whole_seconds(place.utc_offset_minutes.saturating_mul(60))
        .unwrap_or(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| t.to_offset(offset).format(format).unwrap_or_default())
        .unwrap_or_default();
    format!("{at} {}", place.zone)
}

/// A public complaint's time where it is handled, with the zone's name.
fn public_time(ms: Millis, view: &aduan_core::api::public::PublicComplaint) -> String {
    let offset = time::UtcOffset::from_whole_seconds(view.utc_offset_minutes.saturating_mul(60))
        .unwrap_or(time::UtcOffset::UTC);
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .map(|t| t.to_offset(offset).format(format).unwrap_or_default())
        .unwrap_or_default();
    format!("{at} {}", view.zone)
}

impl Printer {
    fn t(&self, id: &'static str, en: &'static str) -> &'static str {
        self.language.pick(id, en)
    }

    fn json<T: Serialize>(&self, value: &T) {
        println!(
            "{}",
            serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into())
        );
    }

    /// After filing for a caller: the id they follow their complaint by.
    pub fn read_back_tracking_id(&self, tracking_id: &str) {
        if self.json {
            return;
        }
        println!(
            "{}: {tracking_id}",
            self.t(
                "Bacakan nomor pelacakan ini kepada pelapor",
                "Read this tracking id back to the caller"
            )
        );
    }

    pub fn reporter_contact(&self, contact: Option<&aduan_core::model::reporter::ReporterContact>) {
        if self.json {
            return self.json(&contact);
        }
        let Some(c) = contact else {
            println!(
                "{}",
                self.t(
                    "Tidak ada kontak pelapor yang dapat Anda lihat.",
                    "No contact details of the reporter are available to you."
                )
            );
            return;
        };
        println!("  {}:", self.t("Kontak pelapor", "Reporter's contact"));
        for (label, value) in [
            (self.t("Nama", "Name"), &c.name),
            (self.t("Telepon", "Phone"), &c.phone),
            ("Email", &c.email),
        ] {
            if !value.is_empty() {
                println!("    {label}: {value}");
            }
        }
    }

    pub fn contact_removed(&self, removed: bool) {
        if self.json {
            return self.json(&serde_json::json!({ "removed": removed }));
        }
        println!(
            "{}",
            if removed {
                self.t(
                    "Kontak pelapor dihapus dari ponsel ini; server menghapusnya pada sinkronisasi berikutnya.",
                    "The reporter's contact details are removed from this phone; the server forgets them at the next sync.",
                )
            } else {
                self.t(
                    "Tidak ada kontak pelapor untuk dihapus.",
                    "No contact details to remove.",
                )
            }
        );
    }

    /// What signing out now would lose (to stderr: the answer on stdout stays clean).
    pub fn unsynced_warning(&self, w: &aduan_core::store::leave::UnsyncedWork) {
        eprintln!(
            "{}",
            self.t(
                "PERINGATAN: pekerjaan ini belum sampai ke server dan akan hilang dari ponsel ini:",
                "WARNING: this work has not reached the server and will be lost from this phone:"
            )
        );
        eprintln!(
            "  {}: {} ({} {})",
            self.t("laporan", "reports"),
            w.complaints,
            w.new_complaints,
            self.t("baru", "new")
        );
        eprintln!("  {}: {}", self.t("perubahan", "changes"), w.changes);
        eprintln!("  {}: {}", self.t("foto", "photos"), w.photos);
        eprintln!(
            "  {}: {}",
            self.t("pekerjaan yang ditolak", "refused work"),
            w.refused
        );
    }

    /// Asks on a terminal whether to sign out anyway; anything but yes is no.
    pub fn confirm_sign_out(&self) -> bool {
        use std::io::{BufRead, IsTerminal, Write};
        if !std::io::stdin().is_terminal() {
            return false;
        }
        eprint!(
            "{} ",
            self.t("Keluar tetap? [y/T]", "Sign out anyway? [y/N]")
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        matches!(answer.trim(), "y" | "Y" | "ya" | "yes")
    }

    pub fn signed_out(&self, r: &aduan_core::sync::client::SignOutReport) {
        if self.json {
            return self.json(&serde_json::json!({
                "server_session_ended": r.server_session_ended,
                "discarded_complaints": r.discarded.complaints,
                "discarded_changes": r.discarded.changes,
                "discarded_photos": r.discarded.photos,
            }));
        }
        println!(
            "{}",
            self.t(
                "Sudah keluar; data akun ini sudah dihapus dari penyimpanan.",
                "Signed out; this account's data is removed from the store."
            )
        );
        if !r.server_session_ended {
            println!(
                "{}",
                self.t(
                    "Server tidak dapat dihubungi: sesinya berakhir saat kedaluwarsa, atau minta admin menonaktifkan akun.",
                    "The server could not be reached: its session ends when it expires, or ask an administrator to disable the account."
                )
            );
        }
    }

    pub fn public_complaint(&self, v: &aduan_core::api::public::PublicComplaint) {
        if self.json {
            return self.json(v);
        }
        println!("{}  {}", v.tracking_id, v.status_label);
        println!(
            "  {}: {} / {}",
            self.t("Jenis", "Kind"),
            v.kind_label,
            v.category_label
        );
        let area: Vec<&str> = [
            &v.area.kelurahan,
            &v.area.kecamatan,
            &v.area.city,
            &v.area.province,
        ]
        .into_iter()
        .map(String::as_str)
        .filter(|a| !a.is_empty())
        .collect();
        println!("  {}: {}", self.t("Wilayah", "Area"), area.join(", "));
        if let Some(inst) = &v.institution_id {
            println!("  {}: {inst}", self.t("Instansi", "Institution"));
        }
        println!(
            "  {}: {}",
            self.t("Dilaporkan", "Filed"),
            public_time(v.created_at, v)
        );
        if let Some(due) = v.due_at {
            let label = if v.overdue {
                self.t("TERLAMBAT sejak", "OVERDUE since")
            } else {
                self.t("Batas", "Due")
            };
            println!("  {label}: {}", public_time(due, v));
        }
        for step in &v.timeline {
            println!(
                "  {}  {} - {}",
                public_time(step.at, v),
                step.action_label,
                step.by_label
            );
            if let Some(reply) = &step.reply {
                println!("      {reply}");
            }
        }
    }

    pub fn public_page(&self, p: &aduan_core::api::public::PublicPage) {
        if self.json {
            return self.json(p);
        }
        if p.complaints.is_empty() {
            println!("{}", self.t("Tidak ada laporan.", "No reports."));
        }
        for v in &p.complaints {
            println!(
                "{}  {:<26} {:<28} {}",
                v.tracking_id,
                v.status_label,
                truncate(&v.category_label, 28),
                [&v.area.kelurahan, &v.area.city]
                    .into_iter()
                    .map(String::as_str)
                    .filter(|a| !a.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if p.more {
            println!("{} --page {}", self.t("Berikutnya:", "Next:"), p.page + 1);
        }
    }

    pub fn line(&self, text: &str) {
        println!("{text}");
    }

    pub fn identity(&self, identity: Option<&Identity>) {
        if self.json {
            return self.json(&identity);
        }
        match identity {
            None => println!("{}", self.t("Belum masuk.", "Not signed in.")),
            Some(i) => {
                println!(
                    "{} ({}) - {}",
                    i.display_name,
                    i.account_id,
                    i.role.label(self.language)
                );
                if let Some(inst) = &i.institution_id {
                    println!("  {}: {inst}", self.t("Instansi", "Institution"));
                }
                if let Some(unit) = &i.unit_id {
                    println!("  Unit: {unit}");
                }
            }
        }
    }

    pub fn summaries(&self, rows: &[ComplaintSummary]) {
        if self.json {
            return self.json(&rows);
        }
        if rows.is_empty() {
            println!("{}", self.t("Tidak ada laporan.", "No reports."));
            return;
        }
        for r in rows {
            let due = match r.due_at {
                Some(d) if r.overdue => {
                    format!("{} {}", self.t("TERLAMBAT", "OVERDUE"), local(d, r))
                }
                Some(d) => format!("{} {}", self.t("batas", "due"), local(d, r)),
                None => String::new(),
            };
            let mut badges = Vec::new();
            if r.pending_sync {
                badges.push(self.t("belum tersinkron", "not synced"));
            }
            if r.anonymous {
                badges.push(self.t("anonim", "anonymous"));
            }
            if r.confidential {
                badges.push(self.t("rahasia", "confidential"));
            }
            if r.damaged {
                badges.push(self.t("RUSAK", "DAMAGED"));
            }
            println!(
                "{}  {:<26} {:<28} {}{}",
                r.tracking_id,
                r.status_label,
                truncate(&r.title, 28),
                due,
                if badges.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", badges.join(", "))
                }
            );
        }
    }

    pub fn detail(&self, d: &ComplaintDetail) {
        if self.json {
            return self.json(d);
        }
        let s = &d.summary;
        println!("{}  {}", s.tracking_id, s.title);
        println!("  id: {}", s.id);
        println!(
            "  {}: {} / {}",
            self.t("Jenis", "Kind"),
            s.kind_label,
            s.category_label
        );
        println!("  {}: {}", self.t("Pelapor", "Reporter"), d.reporter_label);
        println!(
            "  {}: {}",
            self.t("Saluran", "Channel"),
            d.bridged_from
                .as_ref()
                .map(|b| format!("{} ({b})", s.channel_label))
                .unwrap_or_else(|| s.channel_label.clone())
        );
        if let Some(by) = &d.filed_by {
            println!("  {}: {by}", self.t("Dicatat oleh", "Filed by"));
        }
        println!("  Status: {}", s.status_label);
        if let Some(inst) = &s.institution_id {
            println!(
                "  {}: {inst}{}",
                self.t("Instansi", "Institution"),
                s.unit_id
                    .as_ref()
                    .map(|u| format!(" / {u}"))
                    .unwrap_or_default()
            );
        }
        if let Some(dl) = &d.deadline {
            println!(
                "  {}: {} ({} {}) {} {}{}",
                self.t("Tahap", "Stage"),
                dl.stage_label,
                dl.working_days,
                self.t("hari kerja", "working days"),
                self.t("batas", "due"),
                local(dl.due_at, s),
                if dl.overdue {
                    format!(" - {}", self.t("TERLAMBAT", "OVERDUE"))
                } else {
                    format!(
                        " - {} {}",
                        dl.working_days_left,
                        self.t("hari kerja lagi", "working days left")
                    )
                }
            );
        }
        let mut flags = Vec::new();
        if s.anonymous {
            flags.push(self.t("anonim", "anonymous"));
        }
        if s.confidential {
            flags.push(self.t("rahasia", "confidential"));
        }
        if s.pending_sync {
            flags.push(self.t("belum tersinkron", "not synced"));
        }
        if !flags.is_empty() {
            println!("  [{}]", flags.join(", "));
        }
        println!("  {}", d.description.replace('\n', "\n  "));
        let loc = &d.location;
        let place: Vec<&str> = [&loc.address, &loc.kelurahan, &loc.kecamatan, &loc.city]
            .into_iter()
            .map(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        if !place.is_empty() || loc.latitude.is_some() {
            print!("  {}: {}", self.t("Lokasi", "Location"), place.join(", "));
            if let (Some(lat), Some(lon)) = (loc.latitude, loc.longitude) {
                print!(" ({lat:.5}, {lon:.5}");
                if let Some(acc) = loc.accuracy_m {
                    print!(" ±{acc:.0} m");
                }
                print!(")");
            }
            println!();
        }
        for p in &d.photos {
            println!(
                "  {}: {} {}x{} {} KB",
                self.t("Foto", "Photo"),
                &p.sha256[..12],
                p.width,
                p.height,
                p.bytes / 1024
            );
        }
        if let Some(target) = &d.merged_into {
            println!("  {}: {target}", self.t("Digabung ke", "Merged into"));
        }
        if !d.duplicates.is_empty() {
            println!(
                "  {}: {}",
                self.t("Laporan serupa", "Duplicates"),
                d.duplicates.join(", ")
            );
        }
        println!("  {}:", self.t("Riwayat", "Timeline"));
        println!(
            "    {}  {}",
            local(s.created_at, s),
            self.t("Laporan dikirim", "Report filed")
        );
        for e in &d.timeline {
            println!(
                "    {}  {} - {}{}",
                local(e.at, s),
                e.action_label,
                e.author_label,
                if e.applied {
                    String::new()
                } else {
                    format!(
                        "  ({}: {})",
                        self.t("tidak berlaku", "no effect"),
                        e.refusal.clone().unwrap_or_default()
                    )
                }
            );
            if !e.note.is_empty() {
                println!("        {}", e.note.replace('\n', "\n        "));
            }
            if !e.photos.is_empty() {
                println!("        {} {}", e.photos.len(), self.t("foto", "photo(s)"));
            }
        }
        for r in &d.refused {
            println!(
                "    {}  {} - {}: {}",
                local(r.at, s),
                r.action_label,
                self.t("DITOLAK SERVER", "REFUSED BY THE SERVER"),
                r.reason
            );
        }
        if d.auto_completed {
            println!(
                "    {}",
                self.t(
                    "Selesai otomatis: tidak ada tanggapan pelapor dalam 10 hari kerja.",
                    "Completed automatically: no reply from the reporter in 10 working days."
                )
            );
        }
        if let Some(r) = &d.rating {
            println!(
                "  {}: {}/5 {}",
                self.t("Penilaian", "Rating"),
                r.stars,
                r.note
            );
        }
        if !d.available_actions.is_empty() {
            let names: Vec<String> = d
                .available_actions
                .iter()
                .map(|a| {
                    serde_json::to_value(a)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                })
                .collect();
            println!("  {}: {}", self.t("Tindakan", "Actions"), names.join(", "));
        }
    }

    pub fn gps_suggestion(&self, added: &PhotoAdded) {
        if self.json {
            return;
        }
        if let Some(g) = &added.gps_suggestion {
            println!(
                "{} ({:.5}, {:.5}). {}",
                self.t(
                    "Foto ini menyebut lokasi",
                    "This photo says it was taken at"
                ),
                g.latitude,
                g.longitude,
                self.t(
                    "Lokasi itu tidak disimpan bersama foto; pakai --lat/--lon bila benar.",
                    "That location is not kept with the photo; use --lat/--lon if it is right."
                )
            );
        }
    }

    /// After filing: who should handle it, and earlier complaints it may repeat (text only;
    /// `--json` prints the complaint alone).
    pub fn suggestions(
        &self,
        routing: &aduan_core::api::places::Routing,
        duplicates: &[aduan_core::api::places::DuplicateSuggestion],
    ) {
        if self.json {
            return;
        }
        if !duplicates.is_empty() {
            println!(
                "{}",
                self.t(
                    "Mungkin sama dengan pengaduan ini (ikuti saja bila benar):",
                    "May be the same as these complaints (follow one instead if so):"
                )
            );
            for d in duplicates {
                let distance = d
                    .distance_m
                    .map(|m| format!("{m:.0} m"))
                    .unwrap_or_else(|| self.t("kelurahan sama", "same kelurahan").into());
                println!(
                    "  {}  {}  ({distance}, {:.0} %)",
                    d.tracking_id,
                    truncate(&d.title, 50),
                    d.similarity * 100.0
                );
            }
        }
        if let Some(village) = &routing.village {
            println!(
                "{}: {} {} ({})",
                self.t("Wilayah", "Area"),
                if village.kelurahan {
                    "Kelurahan"
                } else {
                    "Desa"
                },
                village.name,
                village.code
            );
        }
        if !routing.suggestions.is_empty() {
            println!("{}", self.t("Saran penanganan:", "Suggested handling:"));
            for r in &routing.suggestions {
                let why = match r.reason.as_str() {
                    "kelurahan" => self.t("kantor kelurahannya", "its kelurahan office"),
                    "category" => self.t("menangani kategori ini", "handles this category"),
                    "kecamatan" => self.t("kantor kecamatannya", "its kecamatan office"),
                    _ => self.t("pemerintah daerahnya", "its regional government"),
                };
                println!(
                    "  {}  {}  ({why})",
                    r.unit_id.as_deref().unwrap_or(&r.institution_id),
                    r.unit_name.as_deref().unwrap_or(&r.institution_name)
                );
            }
        }
    }

    pub fn categories(&self, cats: &[CategoryView]) {
        if self.json {
            return self.json(&cats);
        }
        for c in cats {
            let indent = if c.parent_id.is_some() { "    " } else { "" };
            println!("{indent}{:<28} {}", c.id, c.label);
        }
    }

    pub fn institutions(&self, insts: &[InstitutionView]) {
        if self.json {
            return self.json(&insts);
        }
        for i in insts {
            println!("{:<32} {} ({})", i.id, i.name, i.level);
            for u in &i.units {
                let indent = if u.parent_id.is_some() {
                    "      "
                } else {
                    "   "
                };
                println!("{indent}{:<44} {} [{}]", u.id, u.name, u.kind);
            }
        }
    }

    /// The figures over what this device holds: core's definitions, as the server's.
    pub fn figures(&self, f: &Figures) {
        if self.json {
            return self.json(f);
        }
        self.figure_set(&f.totals);
        println!(
            "{}: {}",
            self.t("Di admin nasional", "At the national desk"),
            f.at_national_desk
        );
        println!("{}: {}", self.t("Terlambat", "Overdue"), f.overdue);
        for c in &f.by_category {
            println!("  {:<40} {}", c.label, c.count);
        }
    }

    /// One set of figures, a line each.
    fn figure_set(&self, f: &aduan_core::figures::FigureSet) {
        let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "-".into());
        let rows: [(&str, &str, String); 10] = [
            ("Diterima", "Received", f.received.to_string()),
            ("Selesai", "Completed", f.completed.to_string()),
            ("Dalam proses", "In process", f.in_process.to_string()),
            (
                "Belum ditindaklanjuti",
                "Not yet followed up",
                f.not_followed_up.to_string(),
            ),
            (
                "Persentase penyelesaian (%)",
                "Completion rate (%)",
                opt(f.completion_rate_percent),
            ),
            (
                "Persentase ditindaklanjuti (%)",
                "Share followed up (%)",
                opt(f.followed_up_percent),
            ),
            (
                "Rata-rata laju tindak lanjut (hari kerja)",
                "Average follow-up time (working days)",
                opt(f.average_follow_up_working_days),
            ),
            (
                "Rata-rata waktu sampai unit (hari kerja)",
                "Average time to the right desk (working days)",
                opt(f.average_working_days_to_desk),
            ),
            (
                "Sampai unit dalam target (%)",
                "At the desk within target (%)",
                opt(f.desk_within_target_percent),
            ),
            (
                "Pelapor puas, 4-5 bintang (%)",
                "Satisfied reporters, 4-5 stars (%)",
                opt(f.satisfied_percent),
            ),
        ];
        for (id, en, value) in rows {
            println!("{}: {value}", self.t(id, en));
        }
        println!(
            "{}: {} / {}",
            self.t("Diarsipkan / digabung", "Archived / merged"),
            f.archived,
            f.merged
        );
    }

    /// The server's figures of a period: the totals, then one line per group.
    pub fn server_figures(&self, r: &aduan_core::figures::FiguresReport) {
        if self.json {
            return self.json(r);
        }
        self.figure_set(&r.totals);
        let opt = |v: Option<f64>| v.map(|x| format!("{x}")).unwrap_or_else(|| "-".into());
        if let Some(by) = r.by {
            println!();
            println!(
                "{:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
                by.code(),
                self.t("diterima", "received"),
                self.t("selesai", "done"),
                self.t("proses", "process"),
                self.t("belum", "waiting"),
                "%",
                self.t("hari", "days")
            );
            for g in &r.groups {
                let f = &g.figures;
                println!(
                    "{:<32} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
                    g.key,
                    f.received,
                    f.completed,
                    f.in_process,
                    f.not_followed_up,
                    opt(f.completion_rate_percent),
                    opt(f.average_follow_up_working_days)
                );
            }
        }
    }

    pub fn pending(&self, p: &PendingSync) {
        println!(
            "{}: {} {}, {} {}",
            self.t("Menunggu sinkronisasi", "Waiting to sync"),
            p.documents,
            self.t("dokumen", "documents"),
            p.photos,
            self.t("foto", "photos")
        );
    }

    pub fn sync_report(&self, r: &aduan_core::sync::client::SyncReport) {
        if self.json {
            return self.json(&serde_json::json!({
                "rounds": r.progress.round,
                "documents_sent": r.progress.documents_sent,
                "documents_received": r.progress.documents_received,
                "bytes_sent": r.progress.bytes_sent,
                "bytes_received": r.progress.bytes_received,
                "accepted": r.accepted,
                "refused": r.refused,
                "revoked": r.revoked,
            }));
        }
        println!(
            "{}: {} {} / {} {} ({} / {} bytes)",
            self.t("Sinkron", "Synced"),
            r.progress.documents_sent,
            self.t("dokumen dikirim", "documents sent"),
            r.progress.documents_received,
            self.t("diterima", "received"),
            r.progress.bytes_sent,
            r.progress.bytes_received
        );
        if r.refused > 0 {
            println!(
                "  {}: {}",
                self.t(
                    "Ditolak server (disimpan di ponsel)",
                    "Refused by the server (kept on the phone)"
                ),
                r.refused
            );
        }
        if r.revoked > 0 {
            println!(
                "  {}: {}",
                self.t("Akses dicabut", "Access revoked"),
                r.revoked
            );
        }
    }

    pub fn sync_status(&self, s: &aduan_core::store::sync_state::SyncStatus) {
        match &s.server_url {
            Some(url) => println!("Server: {url}"),
            None => println!(
                "{}",
                self.t("Belum masuk ke server.", "Not signed in to a server.")
            ),
        }
        println!(
            "{}: {}",
            self.t("Sinkron terakhir", "Last sync"),
            s.last_success_at.map(date).unwrap_or_else(|| "-".into())
        );
        println!(
            "{}: {} {}, {} {}",
            self.t("Menunggu", "Waiting"),
            s.pending_documents,
            self.t("dokumen", "documents"),
            s.pending_photos,
            self.t("foto", "photos")
        );
        let err = match self.language {
            Language::Id => &s.last_error_id,
            Language::En => &s.last_error_en,
        };
        if let Some(e) = err {
            println!("{}: {e}", self.t("Kesalahan terakhir", "Last error"));
        }
    }

    pub fn maintenance(&self, m: &MaintenanceReport) {
        println!(
            "{}: {} ({} -> {} bytes)",
            self.t("Dokumen dipadatkan", "Documents compacted"),
            m.documents_compacted,
            m.bytes_before,
            m.bytes_after
        );
    }

    pub fn check(&self, c: &CheckReport) {
        println!(
            "{}: {}; {}: {}; database: {}",
            self.t("Laporan diperiksa", "Reports checked"),
            c.documents_checked,
            self.t("rusak", "damaged"),
            if c.damaged.is_empty() {
                "0".to_string()
            } else {
                c.damaged.join(", ")
            },
            if c.database_ok { "ok" } else { "FAILED" }
        );
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n - 1).collect();
        format!("{cut}…")
    }
}
