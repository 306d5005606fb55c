//! Citizens on the web, without an account: follow a report by its tracking id, and browse
//! public reports by area and category. Both pages draw core's public view (category, area,
//! status, timeline, the institution's replies; never a name, contact, text or exact place)
//! through `services::public`, the same answers `/v1/track` and `/v1/public/complaints` give,
//! counted per client address like them. A confidential report has no public view.

use aduan_core::api::public::{PublicArea, PublicComplaint, PublicPage};
use aduan_core::types::Language;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use serde::Deserialize;

use super::map::{map, village_point, Pin};
use super::{categories, language, layout, message, now_ms, Page};
use crate::http::blocking;
use crate::http::extractor::ClientAddress;
use crate::services::public as service;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/public", get(list))
        .route("/public/track", get(track))
}

fn shown_at(at: i64, c: &PublicComplaint) -> String {
    super::when(at, (c.utc_offset_minutes / 60) as i8)
}

fn institution_name(state: &AppState, id: &Option<String>) -> String {
    id.as_deref()
        .map(|i| {
            state
                .directory
                .institution(i)
                .map_or_else(|| i.to_string(), |x| x.name.clone())
        })
        .unwrap_or_default()
}

fn track_form(lang: Language, value: &str) -> Markup {
    html! {
        form method="get" action="/public/track" class="track" role="search" aria-label=(lang.pick("Lacak laporan", "Track a report")) {
            label for="id" { (lang.pick("Nomor pelacakan", "Tracking id")) }
            div class="inline-field" {
                input id="id" name="id" type="text" value=(value) placeholder="ADU-XXXXX-XXXXX"
                    autocapitalize="characters" spellcheck="false" required;
                button type="submit" { (lang.pick("Lacak", "Track")) }
            }
        }
    }
}

#[derive(Deserialize)]
struct TrackQuery {
    id: Option<String>,
}

async fn track(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Query(q): Query<TrackQuery>,
) -> Response {
    let lang = language(&headers);
    let typed = q.id.unwrap_or_default();
    let st = state.clone();
    let id = typed.clone();
    let result = blocking(move || {
        st.meter.public_read(address)?;
        service::track(&st.db, &st.deadlines, &id, lang, now_ms())
    })
    .await;
    let title = lang.pick("Lacak laporan", "Track a report");
    let (status, body) = match result {
        Ok(c) => (StatusCode::OK, complaint(&state, lang, &c)),
        Err(e) => (
            super::super::error::status(e.kind),
            html! { p class="error" role="alert" { (message(lang, e)) } },
        ),
    };
    Page::with_status(
        status,
        layout(
            lang,
            None,
            title,
            "/public/track",
            html! {
                h1 { (title) }
                (track_form(lang, &typed))
                (body)
                p { a href="/public" { (lang.pick("Semua laporan publik", "All public reports")) } }
            },
        ),
    )
    .into_response()
}

fn complaint(state: &AppState, lang: Language, c: &PublicComplaint) -> Markup {
    html! {
        section class="public-complaint" aria-labelledby="pc-h" {
            h2 id="pc-h" { (c.category_label) " · " (c.area.kelurahan) }
            dl {
                dt { (lang.pick("Nomor pelacakan", "Tracking id")) }
                dd { strong class="tracking" { (c.tracking_id) } }
                dt { (lang.pick("Status", "Status")) }
                dd { (c.status_label) @if c.overdue { " " (super::badge("overdue", lang.pick("Terlambat", "Overdue"))) } }
                dt { (lang.pick("Jenis", "Kind")) }
                dd { (c.kind_label) }
                dt { (lang.pick("Wilayah", "Area")) }
                dd { (c.area.kelurahan) ", " (c.area.kecamatan) ", " (c.area.city) }
                @if c.institution_id.is_some() {
                    dt { (lang.pick("Ditangani oleh", "Handled by")) }
                    dd { (institution_name(state, &c.institution_id)) }
                }
                dt { (lang.pick("Masuk", "Filed")) }
                dd { (shown_at(c.created_at, c)) }
                @if let Some(due) = c.due_at {
                    dt { (lang.pick("Tenggat tahap ini", "This stage is due")) }
                    dd { (shown_at(due, c)) }
                }
            }
            (village_map(state, lang, std::slice::from_ref(c), lang.pick("Kelurahan laporan ini (bukan titik persisnya)", "This report's village (not its exact place)")))
            h3 { (lang.pick("Riwayat", "Timeline")) }
            ol class="timeline" {
                @for step in &c.timeline {
                    li {
                        span class="when" { (shown_at(step.at, c)) }
                        " " strong { (step.action_label) }
                        " · " (step.by_label)
                        @if let Some(reply) = &step.reply { p class="note" { (reply) } }
                    }
                }
            }
        }
    }
}

/// The reports' villages on a map, one pin per village with its count, each leading to the
/// list of that village's reports: the public view names villages, never an exact place.
fn village_map(
    state: &AppState,
    lang: Language,
    complaints: &[PublicComplaint],
    caption: &str,
) -> Markup {
    let mut villages: Vec<(&PublicArea, usize)> = Vec::new();
    for c in complaints {
        match villages.iter_mut().find(|(a, _)| **a == c.area) {
            Some((_, n)) => *n += 1,
            None => villages.push((&c.area, 1)),
        }
    }
    let pins: Vec<Pin> = villages
        .into_iter()
        .filter_map(|(a, count)| {
            let at = village_point(state, "", &a.kelurahan, &a.kecamatan, &a.city, &a.province)?;
            let label = match lang {
                Language::Id => format!("{}: {count} laporan", a.kelurahan),
                Language::En => format!(
                    "{}: {count} report{}",
                    a.kelurahan,
                    if count == 1 { "" } else { "s" }
                ),
            };
            Some(Pin {
                at,
                label,
                href: Some(format!("/public?area={}", super::urlencode(&a.kelurahan))),
                count,
            })
        })
        .collect();
    map(state, lang, &pins, caption)
}

#[derive(Deserialize)]
struct ListQuery {
    area: Option<String>,
    category: Option<String>,
    page: Option<u32>,
}

async fn list(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let lang = language(&headers);
    let area = q.area.clone().filter(|a| !a.trim().is_empty());
    let category = q.category.clone().filter(|c| !c.trim().is_empty());
    let page = q.page.unwrap_or(0);
    let st = state.clone();
    let (a, c) = (area.clone(), category.clone());
    let result = blocking(move || {
        st.meter.public_read(address)?;
        service::page(
            &st.db,
            &st.deadlines,
            a.as_deref(),
            c.as_deref(),
            page,
            lang,
            now_ms(),
        )
    })
    .await;
    match result {
        Ok(p) => Page::ok(list_page(
            &state,
            lang,
            &p,
            area.as_deref(),
            category.as_deref(),
        ))
        .into_response(),
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

fn list_page(
    state: &AppState,
    lang: Language,
    p: &PublicPage,
    area: Option<&str>,
    category: Option<&str>,
) -> Markup {
    let title = lang.pick("Laporan publik", "Public reports");
    let query = |page: u32| {
        format!(
            "/public?area={}&category={}&page={page}",
            super::urlencode(area.unwrap_or("")),
            super::urlencode(category.unwrap_or(""))
        )
    };
    layout(
        lang,
        None,
        title,
        "/public",
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Laporan warga yang tidak rahasia: kategori, wilayah, status dan jawaban instansi. Nama, kontak dan isi laporan tidak pernah ditampilkan.",
                "Citizens' reports that are not confidential: category, area, status and the institution's replies. Names, contacts and the report's text are never shown."
            )) }
            (track_form(lang, ""))
            form method="get" action="/public" class="filters" aria-label=(lang.pick("Saring laporan", "Filter reports")) {
                div class="field" {
                    label for="area" { (lang.pick("Wilayah", "Area")) }
                    input id="area" name="area" type="text" value=[area]
                        placeholder=(lang.pick("Kelurahan, kecamatan, kota", "Village, district, city"));
                }
                div class="field" {
                    label for="category" { (lang.pick("Kategori", "Category")) }
                    select id="category" name="category" {
                        option value="" { (lang.pick("Semua", "All")) }
                        @for c in categories().top_level() {
                            option value=(c.id) selected[category == Some(c.id.as_str())] { (match lang { Language::Id => &c.name_id, Language::En => &c.name_en }) }
                        }
                    }
                }
                div class="field actions" {
                    button type="submit" { (lang.pick("Terapkan", "Apply")) }
                }
            }
            (village_map(state, lang, &p.complaints, lang.pick("Laporan di halaman ini per kelurahan", "This page's reports by village")))
            @if p.complaints.is_empty() {
                p class="empty" { (lang.pick("Belum ada laporan publik di sini.", "No public reports here yet.")) }
            } @else {
                table class="inbox" id="public-list" {
                    caption { (lang.pick("Terbaru lebih dulu", "Newest first")) }
                    thead { tr {
                        th scope="col" { (lang.pick("Nomor", "Tracking id")) }
                        th scope="col" { (lang.pick("Kategori", "Category")) }
                        th scope="col" { (lang.pick("Wilayah", "Area")) }
                        th scope="col" { (lang.pick("Status", "Status")) }
                        th scope="col" { (lang.pick("Ditangani oleh", "Handled by")) }
                        th scope="col" { (lang.pick("Masuk", "Filed")) }
                    } }
                    tbody {
                        @for c in &p.complaints {
                            tr {
                                td { a href={ "/public/track?id=" (c.tracking_id) } { (c.tracking_id) } }
                                td { (c.category_label) }
                                td { (c.area.kelurahan) ", " (c.area.kecamatan) }
                                td { (c.status_label) }
                                td { (institution_name(state, &c.institution_id)) }
                                td { (shown_at(c.created_at, c)) }
                            }
                        }
                    }
                }
            }
            nav class="pages" aria-label=(lang.pick("Halaman", "Pages")) {
                @if p.page > 0 { a href=(query(p.page - 1)) rel="prev" { "← " (lang.pick("Sebelumnya", "Previous")) } }
                @if p.more { a href=(query(p.page + 1)) rel="next" { (lang.pick("Berikutnya", "Next")) " →" } }
            }
        },
    )
}
