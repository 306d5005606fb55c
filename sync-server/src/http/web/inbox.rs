//! The inbox: what waits for the signed-in administrator or officer (verification,
//! dispatch, assignment, follow-up: any workflow step core's rules let them take now), in
//! core's queue order (soonest deadline first, so a cadre's 24-hour report comes before
//! work counted in days; no deadline last), overdue and escalated work marked. Filters and
//! full-text search are GET parameters, so a filtered inbox is a link.

use aduan_core::model::channel::Channel;
use aduan_core::types::{Language, ReportKind, Status};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::{badge, categories, layout, now_ms, urlencode, when, Desk, Page, Staff};
use crate::http::blocking;
use crate::services::desk::{self, Opened};
use crate::state::AppState;
use crate::storage::queue::Narrow;

pub fn routes() -> Router<AppState> {
    Router::new().route("/desk", get(inbox))
}

#[derive(Deserialize, Default, Clone)]
pub(super) struct Filters {
    /// `mine` (waits for me, the default), `open` or `all`.
    scope: Option<String>,
    q: Option<String>,
    kind: Option<String>,
    category: Option<String>,
    unit: Option<String>,
    area: Option<String>,
    status: Option<String>,
    channel: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// Which page of [`INBOX_ROWS`] rows, from 1.
    page: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(super) struct Row {
    pub opened: Opened,
    pub waits_for_me: bool,
    pub due_at: Option<i64>,
    pub overdue: bool,
    pub escalated: bool,
    pub offset_hours: i8,
}

pub(super) const STATUSES: [Status; 9] = [
    Status::Submitted,
    Status::Dispatched,
    Status::Assigned,
    Status::InProgress,
    Status::FollowedUp,
    Status::Completed,
    Status::Deferred,
    Status::Archived,
    Status::Merged,
];

/// The zone a complaint's times are shown in: its institution's, or its kelurahan's.
pub(super) fn offset_hours(state: &AppState, opened: &Opened) -> i8 {
    let institution = opened.replay.state.institution.as_deref();
    state
        .directory
        .zone_of_place(institution, Some(opened.report.location.kelurahan.as_str()))
        .map(|z| z.utc_offset_hours())
        .unwrap_or_else(|| state.deadlines.offset_of(institution).whole_hours())
}

fn date_of(at: i64, offset_hours: i8) -> String {
    // "dd-mm-yyyy hh:mm ZONE" -> "yyyy-mm-dd", for comparing with a date input's value.
    let shown = when(at, offset_hours);
    let d = shown.split(' ').next().unwrap_or("");
    let mut parts = d.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(dd), Some(mm), Some(yyyy)) => format!("{yyyy}-{mm}-{dd}"),
        _ => String::new(),
    }
}

fn matches(f: &Filters, row: &Row) -> bool {
    let o = &row.opened;
    let r = &o.report;
    let s = &o.replay.state;
    match given(&f.scope).unwrap_or("mine") {
        "all" | "open" => {}
        _ => {
            if !row.waits_for_me {
                return false;
            }
        }
    }
    if let Some(k) = given(&f.kind) {
        if r.kind.code() != k {
            return false;
        }
    }
    if let Some(c) = given(&f.category) {
        if !categories().is_within(&r.category, c) {
            return false;
        }
    }
    if let Some(u) = given(&f.unit) {
        if s.unit.as_deref() != Some(u) {
            return false;
        }
    }
    if let Some(a) = given(&f.area) {
        let a = a.to_lowercase();
        let l = &r.location;
        if ![&l.kelurahan, &l.kecamatan, &l.city, &l.province]
            .iter()
            .any(|v| v.to_lowercase().contains(&a))
        {
            return false;
        }
    }
    if let Some(st) = given(&f.status) {
        if s.status.code() != st {
            return false;
        }
    }
    if let Some(ch) = given(&f.channel) {
        if r.channel.code() != ch {
            return false;
        }
    }
    let day = date_of(r.created_at, row.offset_hours);
    if let Some(from) = given(&f.from) {
        if day.as_str() < from {
            return false;
        }
    }
    if let Some(to) = given(&f.to) {
        if day.as_str() > to {
            return false;
        }
    }
    if let Some(q) = given(&f.q) {
        let q = q.to_lowercase();
        let tracking = aduan_core::model::tracking_id(&o.id).to_lowercase();
        let hay = [
            r.title.to_lowercase(),
            r.description.to_lowercase(),
            r.location.kelurahan.to_lowercase(),
            r.location.address.to_lowercase(),
        ];
        if !q
            .split_whitespace()
            .all(|w| tracking.contains(w) || hay.iter().any(|h| h.contains(w)))
        {
            return false;
        }
    }
    true
}

/// What the database can leave out for `f` before anything is replayed: every filter and
/// search word (each row read is still decided by [`matches`]). A day is a day where the
/// complaint is, so the filing window is widened by the widest zone offset.
/// A filing date filter's first instant (UTC midnight), when given; a date not written as
/// `YYYY-MM-DD` (what the form's date field sends) is refused rather than matching nothing.
fn day_start(v: &Option<String>) -> Result<Option<i64>, crate::error::ApiError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    given(v)
        .map(|d| {
            time::Date::parse(d, format)
                .map(|d| d.midnight().assume_utc().unix_timestamp() * 1000)
                .map_err(|_| {
                    crate::error::ApiError::new(
                        crate::error::Kind::Invalid,
                        "invalid_date",
                        "Dates are written as YYYY-MM-DD, for example 2026-12-06.",
                        "Tanggal ditulis sebagai TTTT-BB-HH, misalnya 2026-12-06.",
                    )
                })
        })
        .transpose()
}

fn narrow(f: &Filters) -> Result<Narrow, crate::error::ApiError> {
    const WIDEST_OFFSET_MS: i64 = 14 * 3_600_000;
    Ok(Narrow {
        open_only: given(&f.scope) != Some("all"),
        filed_from: day_start(&f.from)?.map(|t| t - WIDEST_OFFSET_MS),
        filed_to: day_start(&f.to)?.map(|t| t + 86_400_000 + WIDEST_OFFSET_MS),
        kind: given(&f.kind).map(str::to_string),
        categories: given(&f.category).map(|c| {
            let tree = categories();
            tree.all()
                .iter()
                .filter(|x| tree.is_within(&x.id, c))
                .map(|x| x.id.clone())
                .collect()
        }),
        unit: given(&f.unit).map(str::to_string),
        status: given(&f.status).map(str::to_string),
        channel: given(&f.channel).map(str::to_string),
        place: given(&f.area).map(str::to_string),
        words: given(&f.q)
            .map(|q| q.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

/// The rows of one inbox page: the soonest deadlines first, later pages after them.
pub(super) const INBOX_ROWS: usize = 100;

/// The page asked for, from 1; anything but a whole number from 1 is refused in words.
fn page_number(f: &Filters) -> Result<usize, crate::error::ApiError> {
    match given(&f.page) {
        None => Ok(1),
        Some(p) => p.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            crate::error::ApiError::new(
                crate::error::Kind::Invalid,
                "invalid_page",
                "The page is a whole number from 1.",
                "Halaman ditulis sebagai bilangan bulat mulai dari 1.",
            )
        }),
    }
}

/// One page of what the inbox shows: its rows, which page it is, and whether more follow.
pub(super) struct Listing {
    pub rows: Vec<Row>,
    pub page: usize,
    pub more: bool,
}

/// The rows the signed-in account may see that match `f`, in queue order: page `f.page` of
/// [`INBOX_ROWS`], read in the order of their stored deadlines and replayed only as far as
/// that page (and one more row, to know whether another page follows).
pub(super) fn rows(
    state: &AppState,
    desk: &Desk,
    f: &Filters,
) -> Result<Listing, crate::error::ApiError> {
    let now = now_ms();
    let narrow = narrow(f)?;
    let page = page_number(f)?;
    let mut skip = (page - 1).saturating_mul(INBOX_ROWS);
    let mut rows: Vec<Row> = Vec::new();
    let mut more = false;
    state.db.run(|sql| {
        desk::queue(sql, &desk.account, &narrow, now, &state.deadlines, |o| {
            let actions = desk::actions(&state.directory, &desk.account, &o, now);
            let due_at = o.due_at(&state.deadlines);
            let s = &o.replay.state;
            let watched = matches!(
                s.status,
                Status::Submitted | Status::Dispatched | Status::Assigned | Status::InProgress
            );
            let row = Row {
                waits_for_me: actions.iter().any(desk::is_step),
                overdue: watched && due_at.is_some_and(|d| d < now),
                escalated: s.escalation_level(&state.deadlines) > 0,
                due_at,
                offset_hours: offset_hours(state, &o),
                opened: o,
            };
            if !matches(f, &row) {
                return true;
            }
            if skip > 0 {
                skip -= 1;
                return true;
            }
            if rows.len() == INBOX_ROWS {
                more = true;
                return false;
            }
            rows.push(row);
            true
        })
    })?;
    // Core's queue order (the phone's "due soonest"): the nearest deadline first, none last.
    rows.sort_by_key(|r| {
        (
            r.due_at.is_none(),
            r.due_at,
            std::cmp::Reverse(r.opened.report.created_at),
        )
    });
    Ok(Listing { rows, page, more })
}

async fn inbox(
    State(state): State<AppState>,
    Staff(desk): Staff,
    Query(f): Query<Filters>,
) -> Response {
    let lang = desk.lang;
    let (st, d, filters) = (state.clone(), desk, f.clone());
    let result = blocking(move || {
        let rows = rows(&st, &d, &filters)?;
        Ok((rows, d, filters))
    })
    .await;
    match result {
        Ok((listing, desk, f)) => Page::ok(page(&state, &desk, &f, &listing)).into_response(),
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

fn selected(v: &Option<String>, this: &str) -> bool {
    given(v) == Some(this)
}

fn filter_form(state: &AppState, desk: &Desk, f: &Filters) -> Markup {
    let lang = desk.lang;
    let units: Vec<(String, String)> = state
        .directory
        .institutions()
        .iter()
        .filter(|i| {
            desk.account.institution_id.is_none()
                || desk.account.institution_id.as_deref() == Some(i.id.as_str())
        })
        .flat_map(|i| i.units.iter().map(|u| (u.id.clone(), u.name.clone())))
        .collect();
    let more_given = [
        &f.kind,
        &f.category,
        &f.unit,
        &f.area,
        &f.status,
        &f.channel,
        &f.from,
        &f.to,
    ]
    .iter()
    .any(|v| given(v).is_some());
    html! {
        form method="get" action="/desk" class="filters" role="search" aria-label=(lang.pick("Saring laporan", "Filter reports")) {
            div class="field wide" {
                label for="q" { (lang.pick("Cari", "Search")) }
                input id="q" name="q" type="search" value=[given(&f.q)]
                    placeholder=(lang.pick("Judul, isi, nomor pelacakan", "Title, text, tracking id"));
            }
            div class="field" {
                label for="scope" { (lang.pick("Tampilkan", "Show")) }
                select id="scope" name="scope" {
                    option value="mine" selected[given(&f.scope).unwrap_or("mine") == "mine"] { (lang.pick("Menunggu saya", "Waiting for me")) }
                    option value="open" selected[selected(&f.scope, "open")] { (lang.pick("Semua yang masih terbuka", "Everything still open")) }
                    option value="all" selected[selected(&f.scope, "all")] { (lang.pick("Semua", "Everything")) }
                }
            }
            details class="more" open[more_given] {
                summary { (lang.pick("Saringan lain", "More filters")) }
                div class="grid" {
                    div class="field" {
                        label for="kind" { (lang.pick("Jenis", "Kind")) }
                        select id="kind" name="kind" {
                            option value="" { (lang.pick("Semua", "All")) }
                            @for k in ReportKind::ALL {
                                option value=(k.code()) selected[selected(&f.kind, k.code())] { (k.label(lang)) }
                            }
                        }
                    }
                    div class="field" {
                        label for="category" { (lang.pick("Kategori", "Category")) }
                        select id="category" name="category" {
                            option value="" { (lang.pick("Semua", "All")) }
                            @for c in categories().top_level() {
                                option value=(c.id) selected[selected(&f.category, &c.id)] { (match lang { Language::Id => &c.name_id, Language::En => &c.name_en }) }
                            }
                        }
                    }
                    div class="field" {
                        label for="status" { (lang.pick("Status", "Status")) }
                        select id="status" name="status" {
                            option value="" { (lang.pick("Semua", "All")) }
                            @for s in STATUSES {
                                option value=(s.code()) selected[selected(&f.status, s.code())] { (s.label(lang)) }
                            }
                        }
                    }
                    div class="field" {
                        label for="unit" { (lang.pick("Unit", "Unit")) }
                        select id="unit" name="unit" {
                            option value="" { (lang.pick("Semua", "All")) }
                            @for (id, name) in &units {
                                option value=(id) selected[selected(&f.unit, id)] { (name) }
                            }
                        }
                    }
                    div class="field" {
                        label for="channel" { (lang.pick("Saluran", "Channel")) }
                        select id="channel" name="channel" {
                            option value="" { (lang.pick("Semua", "All")) }
                            @for code in Channel::CODES {
                                @if let Some(c) = Channel::from_parts(code, Some("-"), Some("-")) {
                                    option value=(code) selected[selected(&f.channel, code)] { (channel_label(&c, lang)) }
                                }
                            }
                        }
                    }
                    div class="field" {
                        label for="area" { (lang.pick("Wilayah", "Area")) }
                        input id="area" name="area" type="text" value=[given(&f.area)]
                            placeholder=(lang.pick("Kelurahan, kecamatan, kota", "Village, district, city"));
                    }
                    div class="field" {
                        label for="from" { (lang.pick("Masuk sejak", "Filed from")) }
                        input id="from" name="from" type="date" value=[given(&f.from)];
                    }
                    div class="field" {
                        label for="to" { (lang.pick("Sampai", "Until")) }
                        input id="to" name="to" type="date" value=[given(&f.to)];
                    }
                }
            }
            div class="field actions" {
                button type="submit" { (lang.pick("Terapkan", "Apply")) }
                a href="/desk" { (lang.pick("Hapus saringan", "Clear filters")) }
            }
        }
    }
}

pub(super) fn channel_label(c: &Channel, lang: Language) -> String {
    match c {
        Channel::Bridged { .. } => lang.pick("Dari sistem lain", "Bridged").into(),
        c => c.label(lang),
    }
}

/// The inbox's address for page `page` with the same filters.
fn page_href(f: &Filters, page: usize) -> String {
    let mut query: Vec<String> = [
        ("scope", &f.scope),
        ("q", &f.q),
        ("kind", &f.kind),
        ("category", &f.category),
        ("unit", &f.unit),
        ("area", &f.area),
        ("status", &f.status),
        ("channel", &f.channel),
        ("from", &f.from),
        ("to", &f.to),
    ]
    .iter()
    .filter_map(|(name, v)| given(v).map(|v| format!("{name}={}", urlencode(v))))
    .collect();
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if query.is_empty() {
        "/desk".to_string()
    } else {
        format!("/desk?{}", query.join("&"))
    }
}

fn page(state: &AppState, desk: &Desk, f: &Filters, listing: &Listing) -> Markup {
    let lang = desk.lang;
    let title = lang.pick("Kotak masuk", "Inbox");
    let now = now_ms();
    let (rows, page, more) = (&listing.rows, listing.page, listing.more);
    let first = (page - 1) * INBOX_ROWS + 1;
    layout(
        lang,
        Some(desk),
        title,
        "/desk",
        html! {
            h1 { (title) }
            (filter_form(state, desk, f))
            p id="live-status" class="live" role="status" aria-live="polite" data-live="inbox" {}
            div id="inbox-rows" {
                @if rows.is_empty() {
                    p class="empty" { (lang.pick("Tidak ada laporan yang cocok.", "No reports match.")) }
                } @else {
                    table class="inbox" {
                        caption {
                            @if page == 1 && !more {
                                (rows.len()) " " (lang.pick("laporan, tenggat terdekat lebih dulu", "reports, nearest deadline first"))
                            } @else {
                                (lang.pick("Laporan ", "Reports ")) (first) "–" (first + rows.len() - 1)
                                (lang.pick(", tenggat terdekat lebih dulu", ", nearest deadline first"))
                                @if more { " " span id="more-rows" { (lang.pick("(ada halaman berikutnya)", "(more on the next page)")) } }
                            }
                        }
                        thead {
                            tr {
                                th scope="col" { (lang.pick("Nomor", "Tracking id")) }
                                th scope="col" { (lang.pick("Judul", "Title")) }
                                th scope="col" { (lang.pick("Kategori", "Category")) }
                                th scope="col" { (lang.pick("Status", "Status")) }
                                th scope="col" { (lang.pick("Wilayah", "Area")) }
                                th scope="col" { (lang.pick("Saluran", "Channel")) }
                                th scope="col" { (lang.pick("Tenggat", "Due")) }
                            }
                        }
                        tbody {
                            @for row in rows {
                                @let o = &row.opened;
                                @let r = &o.report;
                                @let tracking = aduan_core::model::tracking_id(&o.id);
                                tr data-complaint=(o.id) class=[row.overdue.then_some("overdue")] {
                                    td { a href={ "/desk/complaints/" (o.id) } { (tracking) } }
                                    td {
                                        (r.title)
                                        @if r.channel == Channel::Cadre { " " (badge("cadre", lang.pick("Kader 24 jam", "Cadre 24 h"))) }
                                        @if o.replay.state.confidential || r.confidential { " " (badge("private", lang.pick("Rahasia", "Confidential"))) }
                                    }
                                    td { (aduan_core::api::views::category_label(categories(), &r.category, lang)) }
                                    td { (o.replay.state.status.label(lang)) }
                                    td { (r.location.kelurahan) }
                                    td { (channel_label(&r.channel, lang)) }
                                    td {
                                        @if let Some(due) = row.due_at { (when(due, row.offset_hours)) }
                                        @if row.overdue { " " (badge("overdue", lang.pick("Terlambat", "Overdue"))) }
                                        @if row.escalated { " " (badge("escalated", lang.pick("Dieskalasi", "Escalated"))) }
                                        @if row.due_at.is_none() && now > 0 { "–" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if page > 1 || more {
                    nav class="pages" aria-label=(lang.pick("Halaman kotak masuk", "Inbox pages")) {
                        @if page > 1 {
                            a rel="prev" href=(page_href(f, page - 1)) { "‹ " (lang.pick("Sebelumnya", "Previous")) }
                        }
                        " " span { (lang.pick("Halaman ", "Page ")) (page) } " "
                        @if more {
                            a rel="next" id="next-page" href=(page_href(f, page + 1)) { (lang.pick("Berikutnya", "Next")) " ›" }
                        }
                    }
                }
            }
        },
    )
}
