//! Signing in and out of the desk with the accounts and passwords the phones use
//! (`services::sessions`), and the language switch.

use std::sync::atomic::Ordering;

use aduan_core::types::Language;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::html;
use serde::Deserialize;

use super::{
    cookie, csrf_of, is_staff, language, layout, set_cookie, Desk, Page, LANG_COOKIE, MINE,
    SESSION_COOKIE,
};
use crate::http::blocking;
use crate::http::extractor::ClientAddress;
use crate::services::sessions::{self, SignIn};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/sign-in", get(sign_in_page).post(sign_in))
        .route("/desk/without-account", post(without_account))
        .route("/desk/sign-out", post(sign_out))
        .route("/desk/language", get(switch_language))
}

/// Before there is a session, the sign-in form's CSRF token comes from this cookie (double
/// submit): another site can neither read it nor set it.
const PRE_COOKIE: &str = "aduan_pre";

fn new_secret() -> String {
    let mut bytes = [0u8; 16];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    hex::encode(bytes)
}

fn form(lang: Language, csrf: &str, account: &str, error: Option<&str>) -> maud::Markup {
    layout(
        lang,
        None,
        lang.pick("Masuk", "Sign in"),
        "/desk/sign-in",
        html! {
            section class="narrow" {
                h1 { (lang.pick("Masuk", "Sign in")) }
                p { (lang.pick(
                    "Admin dan petugas instansi, operator pusat panggilan, dan warga yang punya akun: gunakan akun yang sama dengan di aplikasi.",
                    "Institution administrators, officers, call-centre operators and citizens with an account: use the same account as in the app."
                )) }
                @if let Some(e) = error {
                    p class="error" role="alert" id="sign-in-error" { (e) }
                }
                form method="post" action="/desk/sign-in" class="stack" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="account" { (lang.pick("Akun", "Account")) }
                    input id="account" name="account" type="text" autocomplete="username" required value=(account)
                        autocapitalize="none" spellcheck="false"
                        aria-describedby=[error.map(|_| "sign-in-error")];
                    label for="password" { (lang.pick("Kata sandi", "Password")) }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                    button type="submit" { (lang.pick("Masuk", "Sign in")) }
                }
            }
            section class="narrow" aria-labelledby="no-account-h" {
                h2 id="no-account-h" { (lang.pick("Warga tanpa akun", "Citizens without an account")) }
                p id="no-account-hint" { (lang.pick(
                    "Laporkan masalah tanpa mendaftar. Peramban ini menyimpan laporan Anda selama 30 hari; catat nomor pelacakannya untuk mengikutinya dari mana saja.",
                    "Report a problem without registering. This browser keeps your reports for 30 days; note the tracking id to follow one from anywhere."
                )) }
                form method="post" action="/desk/without-account" class="stack" {
                    input type="hidden" name="csrf" value=(csrf);
                    button type="submit" class="secondary" aria-describedby="no-account-hint" { (lang.pick("Lapor tanpa akun", "Report without an account")) }
                }
                p { a href="/public/track" { (lang.pick("Lacak laporan dengan nomor pelacakan", "Track a report by its tracking id")) } }
            }
        },
    )
}

async fn sign_in_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = language(&headers);
    let pre = cookie(&headers, PRE_COOKIE)
        .filter(|p| p.len() == 32)
        .map(str::to_string);
    let (pre, fresh) = match pre {
        Some(p) => (p, false),
        None => (new_secret(), true),
    };
    let page = Page::ok(form(lang, &csrf_of(&pre), "", None)).into_response();
    if fresh {
        let mut page = page;
        page.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, PRE_COOKIE, &pre, 3600),
        );
        return page;
    }
    page
}

#[derive(Deserialize)]
struct SignInForm {
    account: String,
    password: String,
    csrf: String,
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Response {
    let lang = language(&headers);
    let Some(pre) = cookie(&headers, PRE_COOKIE).map(str::to_string) else {
        return Redirect::to("/desk/sign-in").into_response();
    };
    let again = |status: StatusCode, message: &str| {
        Page::with_status(
            status,
            form(lang, &csrf_of(&pre), &f.account, Some(message)),
        )
        .into_response()
    };
    if csrf_of(&pre) != f.csrf {
        return again(
            StatusCode::FORBIDDEN,
            lang.pick(
                "Formulir kedaluwarsa. Coba lagi.",
                "The form expired. Try again.",
            ),
        );
    }
    let slot = match state.password_checks.slot().await {
        Ok(s) => s,
        Err(e) => return Page::from_error(lang, e).into_response(),
    };
    // Each browser sign-in is a device of its own, signed out with it.
    let device_id = format!("web-{}", uuid::Uuid::new_v4().simple());
    let st = state.clone();
    let (account, password, device) = (f.account.trim().to_string(), f.password.clone(), device_id);
    let outcome = blocking(move || {
        sessions::sign_in(
            &st.db,
            &st.login_limiter,
            slot,
            &account,
            &password,
            &device,
            address,
        )
    })
    .await;
    match outcome {
        Ok(SignIn::Session(session)) => {
            state.metrics.logins.fetch_add(1, Ordering::Relaxed);
            let home = if is_staff(session.identity.role) {
                "/desk"
            } else {
                MINE
            };
            signed_in(&state, home, &session.access_token, 12 * 3600)
        }
        Ok(SignIn::Wait(wait)) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            let minutes = wait.as_secs().div_ceil(60).max(1);
            let message = match lang {
                Language::Id => format!(
                    "Terlalu banyak percobaan masuk yang gagal; coba lagi dalam {minutes} menit."
                ),
                Language::En => {
                    format!("Too many failed sign-ins; try again in {minutes} minutes.")
                }
            };
            again(StatusCode::TOO_MANY_REQUESTS, &message)
        }
        Ok(SignIn::Refused) => {
            state.metrics.login_failures.fetch_add(1, Ordering::Relaxed);
            again(
                StatusCode::UNAUTHORIZED,
                lang.pick(
                    "Akun atau kata sandi salah, atau akun dinonaktifkan.",
                    "Wrong account or password, or the account is disabled.",
                ),
            )
        }
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

/// The session cookie set (and the sign-in form's own cleared), on the way to `to`.
fn signed_in(state: &AppState, to: &str, token: &str, max_age: i64) -> Response {
    let mut response = Redirect::to(to).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, token, max_age),
    );
    headers.append(header::SET_COOKIE, set_cookie(state, PRE_COOKIE, "", 0));
    response
}

/// A citizen continues without an account: this browser gets an account of its own, as an
/// app does (`sessions::register_device`, counted per address), kept as long as its token
/// lives, and goes to the report form.
async fn without_account(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(f): Form<CsrfForm>,
) -> Response {
    let lang = language(&headers);
    let Some(pre) = cookie(&headers, PRE_COOKIE).map(str::to_string) else {
        return Redirect::to("/desk/sign-in").into_response();
    };
    if csrf_of(&pre) != f.csrf {
        return Page::with_status(
            StatusCode::FORBIDDEN,
            form(
                lang,
                &csrf_of(&pre),
                "",
                Some(lang.pick(
                    "Formulir kedaluwarsa. Coba lagi.",
                    "The form expired. Try again.",
                )),
            ),
        )
        .into_response();
    }
    let device_id = format!("web-{}", uuid::Uuid::new_v4().simple());
    let st = state.clone();
    match blocking(move || sessions::register_device(&st.db, &st.meter, &device_id, address)).await
    {
        Ok(session) => signed_in(
            &state,
            "/desk/report",
            &session.access_token,
            sessions::ACCESS_TTL_SECS,
        ),
        Err(e) => Page::from_error(lang, e).into_response(),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn sign_out(State(state): State<AppState>, desk: Desk, Form(f): Form<CsrfForm>) -> Response {
    if let Err(page) = desk.check_csrf(&f.csrf) {
        return page.into_response();
    }
    let db = state.db.clone();
    let lang = desk.lang;
    let (account, device) = (desk.account, desk.device_id);
    if let Err(e) = blocking(move || sessions::sign_out(&db, &account, &device)).await {
        return Page::from_error(lang, e).into_response();
    }
    let mut response = Redirect::to("/desk/sign-in").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", 0),
    );
    response
}

#[derive(Deserialize)]
struct Switch {
    to: String,
    back: Option<String>,
}

/// Remembers the chosen language and goes back to the page it was chosen on (only a desk
/// page: never an address from elsewhere).
async fn switch_language(State(state): State<AppState>, Query(q): Query<Switch>) -> Response {
    let lang = if q.to == "en" { "en" } else { "id" };
    let back = q
        .back
        .filter(|b| {
            (b.starts_with("/desk") || b.starts_with("/public"))
                && !b.starts_with("//")
                && !b.contains('\\')
        })
        .unwrap_or_else(|| "/desk".into());
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, lang, 365 * 86_400),
    );
    response
}
