//! The web desk, served by the server itself: HTML rendered here (maud escapes every value),
//! working without JavaScript, with one small script for live updates and a stylesheet,
//! both compiled into the binary. Pages by group: signing in and the language
//! (`session.rs`), the inbox (`inbox.rs`), a complaint's page and its actions
//! (`complaint.rs`), filing for a caller (`intake.rs`), the figures (`figures.rs`), one's
//! notifications (`notifications.rs`), live updates (`live.rs`), citizens' own reports and
//! filing on the web (`mine.rs`), the public pages (`public.rs`), maps (`map.rs`).
//!
//! Staff (administrators and officers) work at the desk; citizens sign in with a password or
//! continue without an account (the browser gets an account of its own, as an app does) to
//! file, follow, reply and rate. [`Desk`] is anyone signed in, [`Staff`] the desk's own.
//!
//! The browser holds a session cookie (HttpOnly, SameSite=Strict, Secure when served over
//! TLS) carrying an access token of the account's own sessions; every form POST carries a
//! CSRF token derived from it. Every step goes through `services::desk`, which acts as the
//! signed-in account through core's rules and the sync admission.

mod complaint;
mod figures;
mod inbox;
mod intake;
mod live;
mod map;
mod mine;
mod notifications;
mod public;
mod session;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use aduan_core::catalog::CategoryTree;
use aduan_core::types::{Language, Millis, Role};
use axum::extract::FromRequestParts;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use sha2::{Digest, Sha256};

use super::blocking;
use crate::error::{ApiError, Kind};
use crate::services::sessions;
use crate::state::AppState;
use crate::storage::Account;

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/desk/static/desk.css", get(css))
        .route("/desk/static/desk.js", get(js))
        .merge(session::routes())
        .merge(inbox::routes())
        .merge(figures::routes())
        .merge(complaint::routes())
        .merge(intake::routes())
        .merge(mine::routes())
        .merge(live::routes())
        .merge(notifications::routes())
        .merge(public::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            map::allow_tiles,
        ))
}

const CSS: &str = include_str!("static/desk.css");
const JS: &str = include_str!("static/desk.js");
/// Bumped with the files, so browsers may keep them a day.
const ASSET_VERSION: &str = "7";

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        JS,
    )
}

pub(super) const SESSION_COOKIE: &str = "aduan_desk";
pub(super) const LANG_COOKIE: &str = "aduan_lang";

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The page's language: the one chosen (cookie), else the browser's first preference that
/// is one of ours, else Bahasa Indonesia.
pub(super) fn language(headers: &HeaderMap) -> Language {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => return Language::En,
        Some("id") => return Language::Id,
        _ => {}
    }
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    for tag in accepted.split(',') {
        let tag = tag
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if tag.starts_with("id") || tag.starts_with("ms") {
            return Language::Id;
        }
        if tag.starts_with("en") {
            return Language::En;
        }
    }
    Language::Id
}

/// A cookie the server sets: HttpOnly, SameSite=Strict, Secure when served over TLS.
pub(super) fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.tls { "; Secure" } else { "" };
    // The language is for the public pages too; everything else is the desk's alone.
    let path = if name == LANG_COOKIE { "/" } else { "/desk" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of a session: derived from its token, so it needs no storage and dies with
/// the session. A cross-site form cannot read it.
pub(super) fn csrf_of(secret: &str) -> String {
    hex::encode(&Sha256::digest(format!("aduan-desk-csrf:{secret}").as_bytes())[..16])
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Anyone signed in on the web (staff or citizen) with the session's device, token and
/// language.
pub(super) struct Desk {
    pub account: Account,
    pub device_id: String,
    pub token: String,
    pub lang: Language,
    /// The page asked for, query included (the language switch comes back to it).
    pub uri: String,
}

impl Desk {
    pub fn csrf(&self) -> String {
        csrf_of(&self.token)
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), Page> {
        if same(sent, &self.csrf()) {
            Ok(())
        } else {
            Err(Page::error(
                self.lang,
                StatusCode::FORBIDDEN,
                self.lang.pick(
                    "Formulir kedaluwarsa atau bukan dari halaman ini. Muat ulang halaman lalu coba lagi.",
                    "The form expired or did not come from this page. Reload the page and try again.",
                ),
            ))
        }
    }
}

pub(super) fn is_staff(role: Role) -> bool {
    matches!(
        role,
        Role::Officer | Role::InstitutionAdmin | Role::NationalAdmin
    )
}

impl FromRequestParts<AppState> for Desk {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = language(&parts.headers);
        let to_sign_in = || Redirect::to("/desk/sign-in").into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(to_sign_in());
        };
        let db = state.db.clone();
        let t = token.clone();
        match blocking(move || sessions::authenticate(&db, &t)).await {
            Ok((account, device_id)) => Ok(Desk {
                account,
                device_id,
                token,
                lang,
                uri: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "/desk".into()),
            }),
            Err(e) if e.kind == Kind::Unauthenticated => Err(to_sign_in()),
            Err(e) => Err(Page::from_error(lang, e).into_response()),
        }
    }
}

/// A signed-in administrator or officer: the desk's own pages. Anyone else signed in is sent
/// to their own reports.
pub(super) struct Staff(pub Desk);

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let desk = Desk::from_request_parts(parts, state).await?;
        if is_staff(desk.account.role) {
            Ok(Staff(desk))
        } else {
            Err(Redirect::to(MINE).into_response())
        }
    }
}

/// A citizen's own reports: where they land after signing in.
pub(super) const MINE: &str = "/desk/mine";

/// A whole page, or an error page, as the answer to a request.
pub(super) struct Page {
    status: StatusCode,
    body: Markup,
}

impl Page {
    pub fn ok(body: Markup) -> Page {
        Page {
            status: StatusCode::OK,
            body,
        }
    }

    pub fn with_status(status: StatusCode, body: Markup) -> Page {
        Page { status, body }
    }

    pub fn error(lang: Language, status: StatusCode, message: &str) -> Page {
        let title = match status {
            StatusCode::NOT_FOUND => lang.pick("Tidak ditemukan", "Not found"),
            StatusCode::FORBIDDEN => lang.pick("Tidak diizinkan", "Not allowed"),
            _ => lang.pick("Tidak dapat diproses", "Could not be done"),
        };
        let body = layout(
            lang,
            None,
            title,
            "/desk",
            html! {
                h1 { (title) }
                p role="alert" { (message) }
                p { a href="/desk" { (lang.pick("Ke meja layanan", "To the desk")) } " · " a href="/public" { (lang.pick("Laporan publik", "Public reports")) } }
            },
        );
        Page { status, body }
    }

    /// A service's refusal as a page, with its message in the page's language.
    pub fn from_error(lang: Language, e: ApiError) -> Page {
        let status = super::error::status(e.kind);
        Page::error(lang, status, &message(lang, e))
    }
}

/// A refusal's message in the page's language.
pub(super) fn message(lang: Language, e: ApiError) -> String {
    match lang {
        Language::Id => e.message_id,
        Language::En => e.message_en,
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        (
            self.status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; \
                     form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::REFERRER_POLICY, "same-origin"),
            ],
            self.body.into_string(),
        )
            .into_response()
    }
}

/// The frame of every page: skip link, header with who is signed in, the language switch,
/// and the page's own content in `main`.
pub(super) fn layout(
    lang: Language,
    who: Option<&Desk>,
    title: &str,
    here: &str,
    content: Markup,
) -> Markup {
    let (other, other_label, other_name) = match lang {
        Language::Id => ("en", "English", "Switch to English"),
        Language::En => ("id", "Bahasa Indonesia", "Ganti ke Bahasa Indonesia"),
    };
    let back = urlencode(who.map_or(here, |d| d.uri.as_str()));
    let staff = who.is_some_and(|d| is_staff(d.account.role));
    let links: &[(&str, &str, &str)] = match who {
        Some(_) if staff => &[
            ("/desk", "Kotak masuk", "Inbox"),
            ("/desk/intake", "Catat laporan", "File a report"),
            ("/desk/figures", "Angka kinerja", "Figures"),
            ("/desk/notifications", "Pemberitahuan", "Notifications"),
        ],
        Some(_) => &[
            (MINE, "Laporan saya", "My reports"),
            ("/desk/report", "Buat laporan", "Report a problem"),
            ("/desk/notifications", "Pemberitahuan", "Notifications"),
            ("/public", "Laporan publik", "Public reports"),
        ],
        None => &[
            ("/public", "Laporan publik", "Public reports"),
            ("/public/track", "Lacak laporan", "Track a report"),
            ("/desk/report", "Buat laporan", "Report a problem"),
        ],
    };
    html! {
        (DOCTYPE)
        html lang=(match lang { Language::Id => "id", Language::En => "en" }) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Aduan" }
                link rel="stylesheet" href={ "/desk/static/desk.css?v=" (ASSET_VERSION) };
                script src={ "/desk/static/desk.js?v=" (ASSET_VERSION) } defer {}
            }
            body {
                a class="skip" href="#main" { (lang.pick("Langsung ke isi", "Skip to content")) }
                header class="top" {
                    @if staff {
                        a class="brand" href="/desk" { "Aduan " span { (lang.pick("Meja layanan", "Desk")) } }
                    } @else {
                        a class="brand" href="/public" { "Aduan " span { (lang.pick("Laporan warga", "Citizens' reports")) } }
                    }
                    nav aria-label=(lang.pick("Menu utama", "Main menu")) {
                        @for (href, id, en) in links {
                            a href=(href) aria-current=[(here == *href).then_some("page")] { (lang.pick(id, en)) }
                        }
                    }
                    div class="tools" {
                        a href={ "/desk/language?to=" (other) "&back=" (back) } lang=(other) hreflang=(other) aria-label=(other_name) { (other_label) }
                        @if let Some(d) = who {
                            span class="who" {
                                @if ![Language::Id, Language::En].iter().any(|l| d.account.display_name == d.account.role.label(*l)) { (d.account.display_name) " · " }
                                (d.account.role.label(lang))
                            }
                            form method="post" action="/desk/sign-out" class="inline" {
                                input type="hidden" name="csrf" value=(d.csrf());
                                button type="submit" class="link" { (lang.pick("Keluar", "Sign out")) }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" { (content) }
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub(super) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The bundled categories (parsed once).
pub(super) fn categories() -> &'static CategoryTree {
    static TREE: OnceLock<CategoryTree> = OnceLock::new();
    TREE.get_or_init(CategoryTree::bundled)
}

pub(super) fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

/// A moment as people read it where the complaint is: date, time and the zone's name.
pub(super) fn when(at: Millis, offset_hours: i8) -> String {
    let offset = time::UtcOffset::from_hms(offset_hours, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000)) else {
        return String::new();
    };
    let t = t.to_offset(offset);
    format!(
        "{:02}-{:02}-{} {:02}:{:02} {}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute(),
        aduan_core::workflow::deadlines::zone_name(offset)
    )
}

/// An inline SVG-free marker text: no images needed for status badges.
pub(super) fn badge(class: &str, text: &str) -> Markup {
    html! { span class={ "badge " (class) } { (text) } }
}
