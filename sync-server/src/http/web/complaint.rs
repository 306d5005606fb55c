//! A complaint's page: its content, photos (thumbnails linking to the full size), the
//! timeline with replies, the reporter's contact where core's rule allows, and a form for
//! every action the viewer may take now. An action goes through `services::desk::act`, so a
//! refusal is the phone's refusal, shown on the page.

use aduan_core::api::records::ActionKind;
use aduan_core::api::views::{action_label, category_label};
use aduan_core::catalog::{InstitutionLevel, Route};
use aduan_core::model::event::Action;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::store::similar::DuplicateCandidate;
use aduan_core::types::{Language, Stage};
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use super::inbox::{channel_label, offset_hours};
use super::{badge, categories, layout, map, message, now_ms, when, Desk, Page, MINE};
use crate::error::ApiError;
use crate::http::blocking;
use crate::services::desk::{self, Opened};
use crate::services::sync::Context;
use crate::services::{photos, reporters};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/complaints/{id}", get(show).post(take_action))
        .route("/desk/photos/{sha}", get(photo))
}

/// Everything the page shows, read in one go.
struct View {
    opened: Opened,
    actions: Vec<ActionKind>,
    /// What it may repeat, when the viewer may merge it.
    duplicates: Vec<DuplicateCandidate>,
    contact: Option<ReporterContact>,
    offset_hours: i8,
}

fn load(state: &AppState, desk: &Desk, id: &str) -> Result<View, ApiError> {
    let now = now_ms();
    let opened = state
        .db
        .run(|sql| desk::open(sql, &desk.account, id, now, &state.deadlines))?;
    let actions = desk::actions(&state.directory, &desk.account, &opened, now);
    let duplicates = if actions.contains(&ActionKind::MergeInto) {
        state
            .db
            .run(|sql| desk::duplicates(sql, &desk.account, &opened, now, &state.deadlines))?
    } else {
        Vec::new()
    };
    // Only as the rule allows (and every handler's read is in the security log).
    let contact = if opened.replay.state.anonymous || opened.report.anonymous {
        None
    } else {
        state
            .db
            .transaction(|tx| match reporters::show(tx, &desk.account, id) {
                Ok(c) => Ok(Some(c)),
                Err(e) if e.kind == crate::error::Kind::NotFound => Ok(None),
                Err(e) => Err(e),
            })?
    };
    let offset_hours = offset_hours(state, &opened);
    Ok(View {
        opened,
        actions,
        duplicates,
        contact,
        offset_hours,
    })
}

async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Done>,
) -> Response {
    render(state, desk, id, None, q.done).await
}

#[derive(serde::Deserialize)]
struct Done {
    done: Option<String>,
}

async fn render(
    state: AppState,
    desk: Desk,
    id: String,
    error: Option<String>,
    done: Option<String>,
) -> Response {
    let lang = desk.lang;
    let st = state.clone();
    let result = blocking(move || {
        let view = load(&st, &desk, &id)?;
        Ok((view, desk))
    })
    .await;
    match result {
        Ok((view, desk)) => {
            let status = if error.is_some() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            Page::with_status(
                status,
                page(&state, &desk, &view, error.as_deref(), done.is_some()),
            )
            .into_response()
        }
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

fn kind_code(kind: &ActionKind) -> &'static str {
    match kind {
        ActionKind::Dispatch => "dispatch",
        ActionKind::Assign => "assign",
        ActionKind::NotOurAuthority => "not_our_authority",
        ActionKind::Defer => "defer",
        ActionKind::Resume => "resume",
        ActionKind::Archive => "archive",
        ActionKind::MergeInto => "merge_into",
        ActionKind::SetFlags => "set_flags",
        ActionKind::StartWork => "start_work",
        ActionKind::FollowUp => "follow_up",
        ActionKind::Close => "close",
        ActionKind::Reply => "reply",
        ActionKind::Reopen => "reopen",
        ActionKind::Rate => "rate",
        ActionKind::Edit => "edit",
        ActionKind::AddPhoto => "add_photo",
    }
}

fn kind_label(kind: &ActionKind, lang: Language) -> &'static str {
    match kind {
        ActionKind::Dispatch => lang.pick("Verifikasi dan disposisikan", "Verify and dispatch"),
        ActionKind::Assign => lang.pick(
            "Verifikasi dan teruskan ke unit",
            "Verify and assign to a unit",
        ),
        ActionKind::NotOurAuthority => lang.pick("Bukan wewenang kami", "Not our authority"),
        ActionKind::Defer => lang.pick("Tunda", "Defer"),
        ActionKind::Resume => lang.pick("Lanjutkan", "Resume"),
        ActionKind::Archive => lang.pick("Arsipkan", "Archive"),
        ActionKind::MergeInto => {
            lang.pick("Gabungkan dengan laporan lain", "Merge into another report")
        }
        ActionKind::SetFlags => lang.pick(
            "Tandai anonim atau rahasia",
            "Mark anonymous or confidential",
        ),
        ActionKind::StartWork => lang.pick("Mulai proses", "Start work"),
        ActionKind::FollowUp => lang.pick("Kirim tindak lanjut", "Send the follow-up"),
        ActionKind::Close => lang.pick("Tutup", "Close"),
        ActionKind::Reply => lang.pick("Kirim balasan", "Send a reply"),
        ActionKind::Reopen => lang.pick("Buka kembali", "Reopen"),
        ActionKind::Rate => lang.pick("Beri nilai", "Rate"),
        ActionKind::Edit => lang.pick("Ubah", "Edit"),
        ActionKind::AddPhoto => lang.pick("Tambah foto", "Add a photo"),
    }
}

/// core's routing suggestions for the complaint's village and category (as on the phones).
fn suggestions(state: &AppState, report: &aduan_core::model::report::Report) -> Vec<Route> {
    let l = &report.location;
    super::intake::areas(state)
        .village_of(&l.kelurahan, &l.kecamatan, &l.city, &l.province)
        .map(|v| {
            state
                .directory
                .route(&v.code, &report.category, categories())
        })
        .unwrap_or_default()
}

fn action_form(state: &AppState, desk: &Desk, view: &View, kind: &ActionKind) -> Markup {
    let lang = desk.lang;
    let o = &view.opened;
    let code = kind_code(kind);
    let note_id = format!("note-{code}");
    let routes = suggestions(state, &o.report);
    let suggested_institution = routes.first().map(|r| r.institution_id.as_str());
    let suggested_units: Vec<&str> = routes.iter().filter_map(|r| r.unit_id.as_deref()).collect();
    let suggested = lang.pick(" (disarankan)", " (suggested)");
    let institution = o
        .replay
        .state
        .institution
        .clone()
        .or_else(|| desk.account.institution_id.clone());
    html! {
        form method="post" action={ "/desk/complaints/" (o.id) } enctype="multipart/form-data" class="action" id={ "action-" (code) } {
            h3 { (kind_label(kind, lang)) }
            input type="hidden" name="csrf" value=(desk.csrf());
            input type="hidden" name="action" value=(code);
            @match kind {
                ActionKind::Dispatch => {
                    label for="institution" { (lang.pick("Instansi tujuan", "Institution")) }
                    select id="institution" name="institution" required {
                        option value="" { (lang.pick("Pilih instansi", "Choose the institution")) }
                        @for (level, group) in INSTITUTION_GROUPS {
                            @let members: Vec<_> = state.directory.institutions().iter()
                                .filter(|i| i.level == level && Some(&i.id) != o.replay.state.institution.as_ref())
                                .collect();
                            @if !members.is_empty() {
                                optgroup label=(lang.pick(group.0, group.1)) {
                                    @for i in members {
                                        @let hint = suggested_institution == Some(i.id.as_str());
                                        option value=(i.id) selected[hint] { (i.name) @if hint { (suggested) } }
                                    }
                                }
                            }
                        }
                    }
                }
                ActionKind::Assign => {
                    label for="unit" { (lang.pick("Unit", "Unit")) }
                    select id="unit" name="unit" required {
                        option value="" { (lang.pick("Pilih unit", "Choose the unit")) }
                        @if let Some(inst) = institution.as_deref().and_then(|i| state.directory.institution(i)) {
                            // Suggested units first, in core's order; the first is preselected.
                            @for id in &suggested_units {
                                @if let Some(u) = inst.units.iter().find(|u| u.id == *id) {
                                    option value=(u.id) selected[Some(id) == suggested_units.first()] { (u.name) (suggested) }
                                }
                            }
                            @for u in inst.units.iter().filter(|u| !suggested_units.contains(&u.id.as_str())) {
                                option value=(u.id) { (u.name) }
                            }
                        }
                    }
                    div class="check" {
                        input type="checkbox" id="field_inspection" name="field_inspection" value="1";
                        label for="field_inspection" { (lang.pick("Perlu pemeriksaan lapangan (60 hari kerja)", "Needs a field inspection (60 working days)")) }
                    }
                }
                ActionKind::MergeInto => {
                    @if !view.duplicates.is_empty() {
                        fieldset class="duplicates" {
                            legend { (lang.pick("Mungkin mengulang laporan ini", "It may repeat these reports")) }
                            @for (i, d) in view.duplicates.iter().enumerate() {
                                div class="check" {
                                    input type="radio" id={ "dup-" (i) } name="target" value=(d.tracking_id);
                                    label for={ "dup-" (i) } {
                                        a href={ "/desk/complaints/" (d.complaint_id) } { (d.tracking_id) }
                                        " " (d.title)
                                        span class="muted" {
                                            " · " (format!("{:.0} %", d.similarity * 100.0)) " " (lang.pick("kata sama", "shared words"))
                                            @if let Some(m) = d.distance_m { " · " (format!("{m:.0} m")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    label for="target" { (lang.pick("Nomor pelacakan laporan yang diulang", "Tracking id of the report it repeats")) }
                    input id="target" name="target" type="text" required[view.duplicates.is_empty()] autocapitalize="characters";
                }
                ActionKind::SetFlags => {
                    div class="check" {
                        input type="checkbox" id="anonymous" name="anonymous" value="1" checked[o.replay.state.anonymous];
                        label for="anonymous" { (lang.pick("Anonim", "Anonymous")) }
                    }
                    div class="check" {
                        input type="checkbox" id="confidential" name="confidential" value="1" checked[o.replay.state.confidential];
                        label for="confidential" { (lang.pick("Rahasia", "Confidential")) }
                    }
                }
                ActionKind::Rate => {
                    fieldset class="stars" {
                        legend { (lang.pick("Seberapa puas Anda dengan penanganannya?", "How satisfied are you with how it was handled?")) }
                        @for n in 1..=5u8 {
                            div class="check" {
                                input type="radio" id={ "stars-" (n) } name="stars" value=(n) required;
                                label for={ "stars-" (n) } { (stars_label(n, lang)) }
                            }
                        }
                    }
                }
                ActionKind::FollowUp => {
                    label for="photos-follow_up" { (lang.pick("Foto bukti (boleh lebih dari satu)", "Photo evidence (one or more)")) }
                    input id="photos-follow_up" name="photo" type="file" accept="image/*" multiple;
                }
                _ => {}
            }
            label for=(note_id) {
                (lang.pick("Catatan", "Note"))
                @if matches!(kind, ActionKind::FollowUp | ActionKind::Reply) { " " span class="req" { (lang.pick("(wajib)", "(required)")) } }
            }
            textarea id=(note_id) name="note" rows="3" required[matches!(kind, ActionKind::FollowUp | ActionKind::Reply)] {}
            button type="submit" { (kind_label(kind, lang)) }
        }
    }
}

fn page(state: &AppState, desk: &Desk, view: &View, error: Option<&str>, done: bool) -> Markup {
    let lang = desk.lang;
    let o = &view.opened;
    let r = &o.report;
    let s = &o.replay.state;
    let tracking = aduan_core::model::tracking_id(&o.id);
    let anonymous = s.anonymous || r.anonymous;
    let now = now_ms();
    let due = o.due_at(&state.deadlines);
    let here = format!("/desk/complaints/{}", o.id);
    let forms: Vec<&ActionKind> = view
        .actions
        .iter()
        // Editing the report itself and adding photos to it are the app's (they change the
        // report's document, not its log).
        .filter(|k| !matches!(k, ActionKind::Edit | ActionKind::AddPhoto))
        .collect();
    layout(
        lang,
        Some(desk),
        &r.title,
        &here,
        html! {
            p class="crumbs" {
                @if super::is_staff(desk.account.role) {
                    a href="/desk" { "← " (lang.pick("Kotak masuk", "Inbox")) }
                } @else {
                    a href=(MINE) { "← " (lang.pick("Laporan saya", "My reports")) }
                }
            }
            h1 { (r.title) }
            p id="live-status" class="live" role="status" aria-live="polite" data-live="complaint" data-complaint=(o.id) {
                @if done { (lang.pick("Tersimpan.", "Saved.")) }
            }
            @if let Some(e) = error {
                div class="error" role="alert" id="action-error" {
                    strong { (lang.pick("Tidak dapat dilakukan: ", "Could not be done: ")) }
                    (e)
                }
            }
            div class="columns" {
                section class="facts" aria-labelledby="facts-h" {
                    h2 id="facts-h" class="visually-hidden" { (lang.pick("Ringkasan", "Summary")) }
                    dl {
                        dt { (lang.pick("Nomor pelacakan", "Tracking id")) }
                        dd { strong class="tracking" { (tracking) } }
                        dt { (lang.pick("Status", "Status")) }
                        dd {
                            (s.status.label(lang))
                            @if s.escalation_level(&state.deadlines) > 0 { " " (badge("escalated", lang.pick("Dieskalasi", "Escalated"))) }
                            @if s.confidential || r.confidential { " " (badge("private", lang.pick("Rahasia", "Confidential"))) }
                        }
                        @if let (Some(stage), Some(due)) = (s.stage(), due) {
                            dt { (lang.pick("Tenggat", "Due")) }
                            dd {
                                (stage.label(lang)) ": " (when(due, view.offset_hours))
                                @if stage != Stage::AwaitingReporter && now > due { " " (badge("overdue", lang.pick("Terlambat", "Overdue"))) }
                            }
                        }
                        dt { (lang.pick("Jenis", "Kind")) }
                        dd { (r.kind.label(lang)) }
                        dt { (lang.pick("Kategori", "Category")) }
                        dd { (category_label(categories(), &r.category, lang)) }
                        dt { (lang.pick("Saluran", "Channel")) }
                        dd { (channel_label(&r.channel, lang)) }
                        dt { (lang.pick("Masuk", "Filed")) }
                        dd { (when(r.created_at, view.offset_hours)) }
                        @if let Some(inst) = &s.institution {
                            dt { (lang.pick("Instansi", "Institution")) }
                            dd { (state.directory.institution(inst).map(|i| i.name.as_str()).unwrap_or(inst)) }
                        }
                        @if let Some(unit) = &s.unit {
                            dt { (lang.pick("Unit", "Unit")) }
                            dd { (state.directory.unit(unit).map(|(_, u)| u.name.as_str()).unwrap_or(unit)) }
                        }
                        dt { (lang.pick("Lokasi", "Location")) }
                        dd {
                            @if !r.location.address.is_empty() { (r.location.address) br; }
                            @if !r.location.kelurahan.is_empty() { (r.location.kelurahan) ", " (r.location.kecamatan) ", " (r.location.city) }
                            @if let (Some(lat), Some(lon)) = (r.location.latitude, r.location.longitude) {
                                br; span class="coords" { (format!("{lat:.5}, {lon:.5}")) }
                            }
                        }
                        dt { (lang.pick("Pelapor", "Reporter")) }
                        dd id="reporter" {
                            @if anonymous {
                                (lang.pick("Anonim", "Anonymous"))
                            } @else if let Some(c) = &view.contact {
                                (c.name)
                                @if !c.phone.is_empty() { br; a href={ "tel:" (c.phone) } { (c.phone) } }
                                @if !c.email.is_empty() { br; a href={ "mailto:" (c.email) } { (c.email) } }
                            } @else {
                                (r.reporter_role.label(lang)) " · " (lang.pick("kontak tidak tersedia", "no contact available"))
                            }
                            @if r.filed_by.is_some() { br; span class="muted" { (lang.pick("Dicatat oleh operator", "Typed in by an operator")) } }
                        }
                    }
                }
                section class="content" aria-labelledby="content-h" {
                    h2 id="content-h" { (lang.pick("Isi laporan", "The report")) }
                    p class="description" { (r.description) }
                    @if !r.photos.is_empty() {
                        ul class="photos" aria-label=(lang.pick("Foto laporan", "Report photos")) {
                            @for (n, p) in r.photos.iter().enumerate() {
                                li { a href={ "/desk/photos/" (p.sha256) } {
                                    img src={ "/desk/photos/" (if p.thumb_sha256.is_empty() { &p.sha256 } else { &p.thumb_sha256 }) }
                                        alt={ (lang.pick("Foto laporan ", "Report photo ")) (n + 1) } width="160" height="120" loading="lazy";
                                } }
                            }
                        }
                    }
                    (location_map(state, lang, r))
                }
            }
            section aria-labelledby="timeline-h" {
                h2 id="timeline-h" { (lang.pick("Riwayat dan balasan", "Timeline and replies")) }
                ol class="timeline" id="timeline" {
                    li {
                        span class="when" { (when(r.created_at, view.offset_hours)) }
                        " " strong { (lang.pick("Laporan masuk", "Report filed")) }
                    }
                    @for (event, refusal) in &o.replay.timeline {
                        li class=[refusal.is_some().then_some("void")] {
                            span class="when" { (when(event.at, view.offset_hours)) }
                            " " strong { (action_label(&event.action, lang, Some(&state.directory))) }
                            " · " (author(&event.by, anonymous, lang))
                            @if !event.note.is_empty() { p class="note" { (event.note) } }
                            @if !event.photos.is_empty() {
                                ul class="photos" {
                                    @for (n, sha) in event.photos.iter().enumerate() {
                                        li { a href={ "/desk/photos/" (sha) } {
                                            img src={ "/desk/photos/" (sha) } alt={ (lang.pick("Foto bukti ", "Evidence photo ")) (n + 1) } width="160" height="120" loading="lazy";
                                        } }
                                    }
                                }
                            }
                            @if let Some(why) = refusal {
                                p class="muted" { (lang.pick("Tidak berlaku: ", "Had no effect: ")) (match lang { Language::Id => why.message_id(), Language::En => why.message_en() }) }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="actions-h" {
                h2 id="actions-h" { (lang.pick("Tindakan", "Actions")) }
                @if forms.is_empty() {
                    p { (lang.pick("Tidak ada tindakan yang dapat Anda lakukan sekarang.", "There is nothing you can do on it now.")) }
                } @else {
                    div class="forms" {
                        @for kind in forms { (action_form(state, desk, view, kind)) }
                    }
                }
            }
        },
    )
}

/// The report's place on a map: its coordinates when it has them, else its village's point.
fn location_map(state: &AppState, lang: Language, r: &aduan_core::model::report::Report) -> Markup {
    let l = &r.location;
    let (at, label) = match (l.latitude, l.longitude) {
        (Some(latitude), Some(longitude)) => (
            Some(aduan_core::catalog::points::Point {
                latitude,
                longitude,
            }),
            lang.pick("Lokasi laporan", "Where it was reported"),
        ),
        _ => (
            map::village_point(
                state,
                &l.area,
                &l.kelurahan,
                &l.kecamatan,
                &l.city,
                &l.province,
            ),
            lang.pick(
                "Perkiraan lokasi: titik tengah kelurahan (laporan tanpa koordinat)",
                "Approximate place: the village's centre (the report has no coordinates)",
            ),
        ),
    };
    match at {
        Some(at) => map::map(
            state,
            lang,
            &[map::Pin {
                at,
                label: label.to_string(),
                href: None,
                count: 1,
            }],
            label,
        ),
        None => html! {},
    }
}

/// A rating's words: the stars and what they mean.
fn stars_label(n: u8, lang: Language) -> String {
    let meaning = match n {
        1 => lang.pick("sangat tidak puas", "very dissatisfied"),
        2 => lang.pick("tidak puas", "dissatisfied"),
        3 => lang.pick("cukup", "fair"),
        4 => lang.pick("puas", "satisfied"),
        _ => lang.pick("sangat puas", "very satisfied"),
    };
    format!("{} {n} · {meaning}", "★".repeat(n as usize))
}

/// The dispatch list's groups, in the order the national desk reaches for them.
const INSTITUTION_GROUPS: [(InstitutionLevel, (&str, &str)); 4] = [
    (
        InstitutionLevel::Regional,
        ("Pemerintah daerah", "Regional governments"),
    ),
    (InstitutionLevel::Ministry, ("Kementerian", "Ministries")),
    (InstitutionLevel::Agency, ("Lembaga", "Agencies")),
    (InstitutionLevel::National, ("Nasional", "National")),
];

fn author(by: &aduan_core::model::event::Author, anonymous: bool, lang: Language) -> String {
    if by.reporter {
        return if anonymous {
            lang.pick("Pelapor (anonim)", "Reporter (anonymous)").into()
        } else {
            lang.pick("Pelapor", "Reporter").into()
        };
    }
    if by.is_system() {
        return lang.pick("Sistem", "System").into();
    }
    match &by.name {
        Some(name) => format!("{name} ({})", by.role.label(lang)),
        None => by.role.label(lang).to_string(),
    }
}

/// The fields of an action form.
#[derive(Default)]
struct ActionForm {
    csrf: String,
    action: String,
    note: String,
    institution: String,
    unit: String,
    target: String,
    field_inspection: bool,
    anonymous: bool,
    confidential: bool,
    stars: u8,
    photos: Vec<Vec<u8>>,
}

async fn read_form(mut m: Multipart) -> Result<ActionForm, String> {
    let mut f = ActionForm::default();
    while let Some(field) = m.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(|e| e.body_text())?;
            if !bytes.is_empty() {
                f.photos.push(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.map_err(|e| e.body_text())?;
        match name.as_str() {
            "csrf" => f.csrf = text,
            "action" => f.action = text,
            "note" => f.note = text,
            "institution" => f.institution = text,
            "unit" => f.unit = text,
            // A suggestion picked, or a tracking id typed (the typed one wins).
            "target" if !text.trim().is_empty() => f.target = text,
            "field_inspection" => f.field_inspection = true,
            "anonymous" => f.anonymous = true,
            "confidential" => f.confidential = true,
            "stars" => f.stars = text.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
    Ok(f)
}

fn action_of(f: &ActionForm) -> Option<Action> {
    Some(match f.action.as_str() {
        "dispatch" => Action::Dispatch {
            institution: f.institution.clone(),
        },
        "assign" => Action::Assign {
            unit: f.unit.clone(),
            field_inspection: f.field_inspection,
        },
        "not_our_authority" => Action::NotOurAuthority,
        "defer" => Action::Defer,
        "resume" => Action::Resume,
        "archive" => Action::Archive,
        "merge_into" => Action::MergeInto {
            target: f.target.trim().to_string(),
        },
        "set_flags" => Action::SetFlags {
            anonymous: f.anonymous,
            confidential: f.confidential,
        },
        "start_work" => Action::StartWork,
        "follow_up" => Action::FollowUp,
        "close" => Action::Close,
        "reply" => Action::Reply,
        "reopen" => Action::Reopen,
        "rate" => Action::Rate { stars: f.stars },
        _ => return None,
    })
}

async fn take_action(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    form: Multipart,
) -> Response {
    let lang = desk.lang;
    let f = match read_form(form).await {
        Ok(f) => f,
        Err(_) => {
            return Page::error(
                lang,
                StatusCode::BAD_REQUEST,
                lang.pick("Formulir tidak terbaca.", "The form could not be read."),
            )
            .into_response()
        }
    };
    if let Err(page) = desk.check_csrf(&f.csrf) {
        return page.into_response();
    }
    let Some(mut action) = action_of(&f) else {
        return Page::error(
            lang,
            StatusCode::BAD_REQUEST,
            lang.pick("Tindakan tidak dikenal.", "Unknown action."),
        )
        .into_response();
    };
    if matches!(action, Action::Rate { stars } if !(1..=5).contains(&stars)) {
        let why = lang.pick("Pilih 1 sampai 5 bintang.", "Choose from 1 to 5 stars.");
        return render(state, desk, id, Some(why.to_string()), None).await;
    }
    let st = state.clone();
    let (account, device_id) = (desk.account.clone(), desk.device_id.clone());
    let complaint_id = id.clone();
    let result = blocking(move || {
        let now = now_ms();
        // Who may see it is checked before anything is stored, photos included.
        st.db
            .run(|sql| desk::open(sql, &account, &complaint_id, now, &st.deadlines))?;
        if let Action::MergeInto { target } = &mut action {
            // The form takes the tracking id people read; the log names the complaint.
            if let Some(found) = st.db.run(|sql| {
                sql.query_opt(
                    "SELECT id FROM complaints WHERE tracking_id = $1",
                    crate::vals![target.to_uppercase()],
                )
            })? {
                *target = found.text(0)?;
            }
        }
        let mut shas = Vec::new();
        for bytes in &f.photos {
            let p = desk::store_photo(
                &st.db,
                st.photos.as_ref(),
                &st.meter,
                &account,
                &device_id,
                bytes,
                now,
            )?;
            shas.push(p.sha256);
        }
        let ctx = Context {
            account: &account,
            device_id: &device_id,
            now_ms: now,
            deadlines: &st.deadlines,
            quotas: Some((&st.meter, None)),
        };
        desk::act(
            &st.db,
            &st.live,
            &ctx,
            &st.directory,
            &complaint_id,
            action,
            &f.note,
            shas,
        )
    })
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/desk/complaints/{id}?done=1")).into_response(),
        Err(e) if e.kind == crate::error::Kind::NotFound && e.code == "complaint_not_found" => {
            Page::from_error(lang, e).into_response()
        }
        Err(e) => render(state, desk, id, Some(message(lang, e)), None).await,
    }
}

/// A photo of a complaint the signed-in account may see (the phones' rule).
async fn photo(State(state): State<AppState>, desk: Desk, Path(sha): Path<String>) -> Response {
    let lang = desk.lang;
    if photos::check_sha(&sha).is_err() {
        return Page::error(
            lang,
            StatusCode::NOT_FOUND,
            lang.pick("Foto tidak ditemukan.", "No such photo."),
        )
        .into_response();
    }
    let st = state.clone();
    match blocking(move || photos::download(&st.db, st.photos.as_ref(), &desk.account, &sha)).await
    {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "private, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}
