//! Intake: a call-centre or desk operator files a caller's or walk-in's complaint, with the
//! channel it came by, the caller's contact (or none: anonymous), the village from core's
//! catalog, an optional location and photos; the page then shows the tracking id to read
//! back. Filing goes through `services::desk::file` (core's `report::file`). The report's
//! fields, reading the form and filing what was typed are shared with citizens' own form
//! (`mine.rs`).

use aduan_core::catalog::Areas;
use aduan_core::model::channel::Channel;
use aduan_core::model::report::NewReport;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::types::{Language, Location, ReportKind};
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};
use std::sync::OnceLock;

use super::{categories, layout, message, now_ms, Desk, Page, Staff};
use crate::error::ApiError;
use crate::http::blocking;
use crate::services::desk;
use crate::services::sync::Context;
use crate::state::AppState;
use crate::storage::Account;

pub fn routes() -> Router<AppState> {
    Router::new().route("/desk/intake", get(form_page).post(file))
}

/// The villages of the server's region (the catalog's areas within its directory).
pub(super) fn areas(state: &AppState) -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| {
        Areas::bundled_slice(&state.directory.area_scope()).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "bundled areas do not load");
            Areas::default()
        })
    })
}

/// What was typed (by an operator, or a citizen on `mine.rs`'s form), kept to fill the form
/// again after a refusal.
#[derive(Default, Clone)]
pub(super) struct Typed {
    pub csrf: String,
    pub channel: String,
    pub kind: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub village: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub confidential: bool,
    pub anonymous: bool,
    pub photos: Vec<Vec<u8>>,
}

#[derive(serde::Deserialize)]
struct Filed {
    filed: Option<String>,
}

async fn form_page(
    State(state): State<AppState>,
    Staff(desk): Staff,
    Query(q): Query<Filed>,
) -> Response {
    let filed = q
        .filed
        .filter(|t| t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    // The complaint behind the tracking id, if this account may open it (its own filing).
    let st = state.clone();
    let (tracking, account) = (filed, desk.account.clone());
    let opened = blocking(move || {
        let Some(t) = tracking else { return Ok(None) };
        st.db.run(|sql| {
            let Some(row) = sql.query_opt(
                "SELECT id FROM complaints WHERE tracking_id = $1",
                crate::vals![&t],
            )?
            else {
                return Ok(None);
            };
            let id = row.text(0)?;
            Ok(desk::open(sql, &account, &id, now_ms(), &st.deadlines)
                .ok()
                .map(|o| (t, o.id)))
        })
    })
    .await
    .ok()
    .flatten();
    Page::ok(page(
        &state,
        &desk,
        &Typed::default(),
        None,
        opened.as_ref(),
    ))
    .into_response()
}

fn kinds() -> [ReportKind; 3] {
    [
        ReportKind::Complaint,
        ReportKind::Aspiration,
        ReportKind::InformationRequest,
    ]
}

fn page(
    state: &AppState,
    desk: &Desk,
    v: &Typed,
    error: Option<&str>,
    filed: Option<&(String, String)>,
) -> Markup {
    let lang = desk.lang;
    let title = lang.pick("Catat laporan penelepon", "File a caller's report");
    layout(
        lang,
        Some(desk),
        title,
        "/desk/intake",
        html! {
            h1 { (title) }
            @if let Some((t, id)) = filed {
                div class="filed" role="status" id="filed" {
                    p { (lang.pick("Laporan tercatat. Bacakan nomor pelacakan ini kepada pelapor:", "The report is filed. Read this tracking id back to the caller:")) }
                    p class="tracking big" id="tracking-id" { (t) }
                    p { a href={ "/desk/complaints/" (id) } { (lang.pick("Buka laporan ini", "Open this report")) } }
                }
            }
            @if let Some(e) = error {
                div class="error" role="alert" { strong { (lang.pick("Belum tercatat: ", "Not filed: ")) } (e) }
            }
            form method="post" action="/desk/intake" enctype="multipart/form-data" class="stack intake" {
                input type="hidden" name="csrf" value=(desk.csrf());
                fieldset {
                    legend { (lang.pick("Bagaimana laporan masuk", "How it came in")) }
                    @for (code, id, en) in [("call_centre", "Telepon pusat panggilan", "Call centre"), ("desk", "Datang langsung ke loket", "Walk-in at the desk"), ("sms", "SMS", "SMS")] {
                        div class="check" {
                            input type="radio" id={ "channel-" (code) } name="channel" value=(code)
                                checked[v.channel == code || (v.channel.is_empty() && code == "call_centre")];
                            label for={ "channel-" (code) } { (lang.pick(id, en)) }
                        }
                    }
                }
                fieldset {
                    legend { (lang.pick("Pelapor", "Caller")) }
                    p class="hint" id="caller-hint" { (lang.pick("Kosongkan nama bila pelapor ingin anonim.", "Leave the name empty if the caller wants to stay anonymous.")) }
                    label for="name" { (lang.pick("Nama", "Name")) }
                    input id="name" name="name" type="text" value=(v.name) autocomplete="off" aria-describedby="caller-hint";
                    label for="phone" { (lang.pick("Telepon", "Phone")) }
                    input id="phone" name="phone" type="tel" value=(v.phone) autocomplete="off";
                    label for="email" { (lang.pick("Surel", "Email")) }
                    input id="email" name="email" type="email" value=(v.email) autocomplete="off";
                }
                (report_fields(state, lang, v))
                button type="submit" { (lang.pick("Catat laporan", "File the report")) }
            }
        },
    )
}

/// The report's own fields: kind, category, title, description, confidentiality, the place
/// (village from the catalog, address, optional coordinates) and photos.
pub(super) fn report_fields(state: &AppState, lang: Language, v: &Typed) -> Markup {
    let areas = areas(state);
    let villages: Vec<_> = areas.all().iter().filter(|a| a.is_kelurahan()).collect();
    html! {
        fieldset {
            legend { (lang.pick("Laporan", "Report")) }
            label for="kind" { (lang.pick("Jenis", "Kind")) }
            select id="kind" name="kind" {
                @for k in kinds() { option value=(k.code()) selected[v.kind == k.code()] { (k.label(lang)) } }
            }
            label for="category" { (lang.pick("Kategori (ketik untuk mencari)", "Category (type to search)")) }
            input id="category" name="category" type="text" list="categories" required value=(v.category) autocomplete="off"
                placeholder=(lang.pick("mis. drainase", "e.g. drainage"));
            datalist id="categories" {
                @for c in categories().all() {
                    @if categories().children(&c.id).is_empty() {
                        option value=(c.id) { (match lang { Language::Id => &c.name_id, Language::En => &c.name_en }) }
                    }
                }
            }
            label for="title" { (lang.pick("Judul", "Title")) }
            input id="title" name="title" type="text" required value=(v.title) maxlength="200";
            label for="description" { (lang.pick("Uraian", "Description")) }
            textarea id="description" name="description" rows="4" required { (v.description) }
            div class="check" {
                input type="checkbox" id="confidential" name="confidential" value="1" checked[v.confidential];
                label for="confidential" { (lang.pick("Rahasia (isi hanya untuk pelapor dan penangan)", "Confidential (content for the reporter and handlers only)")) }
            }
        }
        fieldset {
            legend { (lang.pick("Lokasi", "Location")) }
            label for="village" { (lang.pick("Kelurahan/desa", "Village")) }
            select id="village" name="village" required {
                option value="" { (lang.pick("Pilih kelurahan", "Choose the village")) }
                @for a in &villages {
                    @let path = areas.path(&a.code);
                    @let district = path.iter().rev().nth(1).map(|d| d.name.as_str()).unwrap_or("");
                    option value=(a.code) selected[v.village == a.code] { (a.name) " · " (district) }
                }
            }
            label for="address" { (lang.pick("Alamat atau patokan", "Address or landmark")) }
            input id="address" name="address" type="text" value=(v.address);
            div class="pair" {
                div {
                    label for="latitude" { (lang.pick("Lintang (opsional)", "Latitude (optional)")) }
                    input id="latitude" name="latitude" type="text" inputmode="decimal" value=(v.latitude);
                }
                div {
                    label for="longitude" { (lang.pick("Bujur (opsional)", "Longitude (optional)")) }
                    input id="longitude" name="longitude" type="text" inputmode="decimal" value=(v.longitude);
                }
            }
        }
        label for="photo" { (lang.pick("Foto (opsional)", "Photos (optional)")) }
        input id="photo" name="photo" type="file" accept="image/*" multiple;
    }
}

pub(super) async fn read_form(mut m: Multipart) -> Result<Typed, ()> {
    let mut v = Typed::default();
    while let Some(field) = m.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(|_| ())?;
            if !bytes.is_empty() {
                v.photos.push(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.map_err(|_| ())?;
        match name.as_str() {
            "csrf" => v.csrf = text,
            "channel" => v.channel = text,
            "kind" => v.kind = text,
            "category" => v.category = text.trim().to_string(),
            "title" => v.title = text,
            "description" => v.description = text,
            "village" => v.village = text,
            "address" => v.address = text,
            "latitude" => v.latitude = text.trim().to_string(),
            "longitude" => v.longitude = text.trim().to_string(),
            "name" => v.name = text.trim().to_string(),
            "phone" => v.phone = text.trim().to_string(),
            "email" => v.email = text.trim().to_string(),
            "confidential" => v.confidential = true,
            "anonymous" => v.anonymous = true,
            _ => {}
        }
    }
    Ok(v)
}

fn invalid(lang: Language, id: &'static str, en: &'static str) -> ApiError {
    let _ = lang;
    ApiError::new(crate::error::Kind::Invalid, "invalid_intake", en, id)
}

/// The report as typed, with the village's names from the catalog.
fn new_report(
    state: &AppState,
    lang: Language,
    v: &Typed,
    channel: Channel,
) -> Result<NewReport, ApiError> {
    let areas = areas(state);
    let path = areas.path(&v.village);
    if path.len() < 4 || !path.last().is_some_and(|a| a.is_kelurahan()) {
        return Err(invalid(
            lang,
            "Pilih kelurahan dari daftar.",
            "Choose the village from the list.",
        ));
    }
    let coordinate = |s: &str| -> Result<Option<f64>, ApiError> {
        if s.is_empty() {
            return Ok(None);
        }
        s.replace(',', ".").parse::<f64>().map(Some).map_err(|_| {
            invalid(
                lang,
                "Lintang dan bujur berupa angka, mis. -5.1477.",
                "Latitude and longitude are numbers, e.g. -5.1477.",
            )
        })
    };
    let (latitude, longitude) = (coordinate(&v.latitude)?, coordinate(&v.longitude)?);
    if latitude.is_some() != longitude.is_some() {
        return Err(invalid(
            lang,
            "Isi lintang dan bujur, atau kosongkan keduanya.",
            "Give both latitude and longitude, or neither.",
        ));
    }
    // The search box gives an id when a suggestion is picked, a name when one is typed out.
    let typed = v.category.trim();
    let category = categories()
        .all()
        .iter()
        .find(|c| {
            c.id == typed
                || c.name_id.eq_ignore_ascii_case(typed)
                || c.name_en.eq_ignore_ascii_case(typed)
        })
        .map_or_else(|| typed.to_string(), |c| c.id.clone());
    Ok(NewReport {
        kind: ReportKind::from_code(&v.kind).unwrap_or(ReportKind::Complaint),
        category,
        title: v.title.trim().to_string(),
        description: v.description.trim().to_string(),
        location: Location {
            latitude,
            longitude,
            accuracy_m: None,
            address: v.address.trim().to_string(),
            province: path[0].name.clone(),
            city: path[1].name.clone(),
            kecamatan: path[2].name.clone(),
            kelurahan: path[3].name.clone(),
            area: path[3].code.clone(),
        },
        anonymous: v.anonymous,
        confidential: v.confidential,
        photos: Vec::new(),
        channel,
    })
}

/// Files what was typed as `account` (blocking): the report checked, its photos processed and
/// stored as this account's uploads, then filed through `services::desk::file`, for a caller
/// with `on_behalf`. The reporter's contact is what was typed, when a name was.
fn file_typed(
    state: &AppState,
    account: &Account,
    device_id: &str,
    lang: Language,
    typed: &Typed,
    channel: Channel,
    on_behalf: bool,
) -> Result<String, ApiError> {
    let now = now_ms();
    let mut new = new_report(state, lang, typed, channel)?;
    let contact = (!typed.name.is_empty()).then(|| ReporterContact {
        name: typed.name.clone(),
        phone: typed.phone.clone(),
        email: typed.email.clone(),
    });
    for bytes in &typed.photos {
        new.photos.push(desk::store_photo(
            &state.db,
            state.photos.as_ref(),
            &state.meter,
            account,
            device_id,
            bytes,
            now,
        )?);
    }
    let ctx = Context {
        account,
        device_id,
        now_ms: now,
        deadlines: &state.deadlines,
        quotas: Some((&state.meter, None)),
    };
    desk::file(
        &state.db,
        &state.live,
        &ctx,
        categories(),
        new,
        on_behalf,
        contact,
    )
}

async fn file(State(state): State<AppState>, Staff(desk): Staff, form: Multipart) -> Response {
    file_posted(
        state,
        desk,
        form,
        true,
        "/desk/intake",
        |v| match v.channel.as_str() {
            "desk" => Channel::Desk,
            "sms" => Channel::Sms,
            _ => Channel::CallCentre,
        },
        |state, desk, v, error| page(state, desk, v, Some(error), None),
    )
    .await
}

/// A filing form as posted (the operator's intake, a citizen's report): read, checked against
/// the session's CSRF token, filed as the signed-in account by the channel `channel_of` reads
/// from it (`file_typed`), then on to `done` with the tracking id; a refusal shows the form
/// again (`again`) with the reason and what was typed, photos excepted.
pub(super) async fn file_posted(
    state: AppState,
    desk: Desk,
    form: Multipart,
    on_behalf: bool,
    done: &str,
    channel_of: fn(&Typed) -> Channel,
    again: fn(&AppState, &Desk, &Typed, &str) -> Markup,
) -> Response {
    let lang = desk.lang;
    let Ok(v) = read_form(form).await else {
        return Page::error(
            lang,
            StatusCode::BAD_REQUEST,
            lang.pick("Formulir tidak terbaca.", "The form could not be read."),
        )
        .into_response();
    };
    if let Err(page) = desk.check_csrf(&v.csrf) {
        return page.into_response();
    }
    let channel = channel_of(&v);
    let st = state.clone();
    let (account, device_id) = (desk.account.clone(), desk.device_id.clone());
    let typed = v.clone();
    let result =
        blocking(move || file_typed(&st, &account, &device_id, lang, &typed, channel, on_behalf))
            .await;
    match result {
        Ok(id) => Redirect::to(&format!(
            "{done}?filed={}",
            aduan_core::model::tracking_id(&id)
        ))
        .into_response(),
        Err(e) => {
            let mut kept = v;
            kept.photos.clear();
            Page::with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                again(&state, &desk, &kept, &message(lang, e)),
            )
            .into_response()
        }
    }
}
