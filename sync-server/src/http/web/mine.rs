//! Citizens on the web: their own reports (`/desk/mine`, newest first, refreshed live when an
//! institution acts on one) and the report form (`/desk/report`), filed by the web channel as
//! the signed-in citizen (with a password, or a browser's own account when they continue
//! without one), anonymous or confidential as they choose, with photos and an optional
//! contact for the officer. A report opens on the complaint page (`complaint.rs`), where the
//! reporter replies, rates and reopens under core's rules.

use aduan_core::model::channel::Channel;
use axum::extract::{Multipart, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use super::inbox::offset_hours;
use super::intake::{file_posted, report_fields, Typed};
use super::{badge, categories, layout, now_ms, when, Desk, Page, MINE};
use crate::http::blocking;
use crate::services::desk::{self, Opened};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(MINE, get(list))
        .route("/desk/report", get(form_page).post(file))
}

#[derive(serde::Deserialize)]
struct Filed {
    filed: Option<String>,
}

/// A tracking id as it may come back in the address: nothing else is echoed.
fn tracking_param(t: Option<String>) -> Option<String> {
    t.filter(|t| t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

async fn list(State(state): State<AppState>, desk: Desk, Query(q): Query<Filed>) -> Response {
    let lang = desk.lang;
    let st = state.clone();
    let account = desk.account.clone();
    let result = blocking(move || {
        st.db
            .run(|sql| desk::reports_of(sql, &account, now_ms(), &st.deadlines))
    })
    .await;
    match result {
        Ok(reports) => Page::ok(list_page(
            &state,
            &desk,
            &reports,
            tracking_param(q.filed).as_deref(),
        ))
        .into_response(),
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

fn list_page(state: &AppState, desk: &Desk, reports: &[Opened], filed: Option<&str>) -> Markup {
    let lang = desk.lang;
    let title = lang.pick("Laporan saya", "My reports");
    let without_account = desk.account.id.starts_with("anon-");
    layout(
        lang,
        Some(desk),
        title,
        MINE,
        html! {
            h1 { (title) }
            @if let Some(t) = filed {
                div class="filed" role="status" id="filed" {
                    p { (lang.pick("Laporan Anda terkirim. Catat nomor pelacakannya:", "Your report is sent. Note its tracking id:")) }
                    p class="tracking big" id="tracking-id" { (t) }
                    p { (lang.pick(
                        "Dengan nomor ini siapa pun dapat melihat perkembangannya di halaman Lacak laporan, tanpa melihat isi atau nama Anda.",
                        "With it anyone can follow its progress on the Track a report page, without seeing its text or your name."
                    )) }
                }
            }
            @if without_account {
                p class="hint" id="no-account-note" { (lang.pick(
                    "Anda melapor tanpa akun: laporan ini hanya terbuka dari peramban ini, selama 30 hari sejak Anda mulai. Setelah keluar, ikuti dengan nomor pelacakan.",
                    "You report without an account: these reports open only from this browser, for 30 days from when you started. After signing out, follow them by tracking id."
                )) }
            }
            p { a class="button" href="/desk/report" { (lang.pick("Buat laporan baru", "Report a new problem")) } }
            p id="live-status" class="live" role="status" aria-live="polite" data-live="inbox" {}
            div id="inbox-rows" {
                @if reports.is_empty() {
                    p class="empty" { (lang.pick("Anda belum membuat laporan.", "You have not reported anything yet.")) }
                } @else {
                    table class="inbox" {
                        caption { (reports.len()) " " (lang.pick("laporan, terbaru lebih dulu", "reports, newest first")) }
                        thead {
                            tr {
                                th scope="col" { (lang.pick("Nomor", "Tracking id")) }
                                th scope="col" { (lang.pick("Judul", "Title")) }
                                th scope="col" { (lang.pick("Kategori", "Category")) }
                                th scope="col" { (lang.pick("Status", "Status")) }
                                th scope="col" { (lang.pick("Masuk", "Filed")) }
                                th scope="col" { (lang.pick("Terakhir", "Latest")) }
                            }
                        }
                        tbody {
                            @for o in reports {
                                @let r = &o.report;
                                @let s = &o.replay.state;
                                @let offset = offset_hours(state, o);
                                tr data-complaint=(o.id) {
                                    td { a href={ "/desk/complaints/" (o.id) } { (aduan_core::model::tracking_id(&o.id)) } }
                                    td {
                                        (r.title)
                                        @if s.anonymous || r.anonymous { " " (badge("private", lang.pick("Anonim", "Anonymous"))) }
                                        @if s.confidential || r.confidential { " " (badge("private", lang.pick("Rahasia", "Confidential"))) }
                                    }
                                    td { (aduan_core::api::views::category_label(categories(), &r.category, lang)) }
                                    td { (s.status.label(lang)) }
                                    td { (when(r.created_at, offset)) }
                                    td {
                                        @match o.replay.timeline.iter().rev().find(|(_, refused)| refused.is_none()) {
                                            Some((event, _)) => {
                                                (aduan_core::api::views::action_label(&event.action, lang, Some(&state.directory)))
                                                " · " (when(event.at, offset))
                                            }
                                            None => { "–" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

async fn form_page(State(state): State<AppState>, desk: Desk) -> Response {
    Page::ok(form(&state, &desk, &Typed::default(), None)).into_response()
}

fn form(state: &AppState, desk: &Desk, v: &Typed, error: Option<&str>) -> Markup {
    let lang = desk.lang;
    let title = lang.pick("Laporkan masalah", "Report a problem");
    layout(
        lang,
        Some(desk),
        title,
        "/desk/report",
        html! {
            h1 { (title) }
            p { (lang.pick(
                "Laporan Anda diteruskan ke instansi yang berwenang, yang wajib menindaklanjutinya dalam batas waktu hari kerja.",
                "Your report goes to the institution in charge, which must follow it up within a deadline counted in working days."
            )) }
            @if let Some(e) = error {
                div class="error" role="alert" { strong { (lang.pick("Belum terkirim: ", "Not sent: ")) } (e) }
            }
            form method="post" action="/desk/report" enctype="multipart/form-data" class="stack intake" {
                input type="hidden" name="csrf" value=(desk.csrf());
                (report_fields(state, lang, v))
                fieldset {
                    legend { (lang.pick("Tentang Anda", "About you")) }
                    div class="check" {
                        input type="checkbox" id="anonymous" name="anonymous" value="1" checked[v.anonymous] aria-describedby="anonymous-hint";
                        label for="anonymous" { (lang.pick("Anonim", "Anonymous")) }
                    }
                    p class="hint" id="anonymous-hint" { (lang.pick(
                        "Instansi tidak akan tahu siapa Anda, dan kontak di bawah tidak disimpan. Anda tetap dapat mengikuti dan membalas laporan ini.",
                        "The institution will not know who you are, and the contact below is not kept. You can still follow and reply to this report."
                    )) }
                    p class="hint" id="contact-hint" { (lang.pick(
                        "Opsional: agar petugas dapat menghubungi Anda. Tidak pernah ditampilkan kepada publik.",
                        "Optional: so an officer can reach you. Never shown to the public."
                    )) }
                    label for="name" { (lang.pick("Nama", "Name")) }
                    input id="name" name="name" type="text" value=(v.name) autocomplete="name" aria-describedby="contact-hint";
                    label for="phone" { (lang.pick("Telepon", "Phone")) }
                    input id="phone" name="phone" type="tel" value=(v.phone) autocomplete="tel";
                    label for="email" { (lang.pick("Surel", "Email")) }
                    input id="email" name="email" type="email" value=(v.email) autocomplete="email";
                }
                button type="submit" { (lang.pick("Kirim laporan", "Send the report")) }
            }
        },
    )
}

async fn file(State(state): State<AppState>, desk: Desk, form_data: Multipart) -> Response {
    file_posted(
        state,
        desk,
        form_data,
        false,
        MINE,
        |_| Channel::Web,
        |state, desk, v, error| form(state, desk, v, Some(error)),
    )
    .await
}
