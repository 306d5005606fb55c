//! The signed-in person's notifications on the desk: which kinds come to their phone and by
//! e-mail, the address and language of those e-mails (`services::notifications`, the same
//! preferences as `/v1/notifications/preferences` and the apps' settings), and what was sent
//! to them lately (the audit: when, which kind, by which channel, how it went; no text).

use aduan_core::notify::{NotificationChannel, NotificationKind};
use aduan_core::types::{Language, Role};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{html, Markup};

use super::{layout, when, Desk, Page};
use crate::http::blocking;
use crate::services::notifications::{self as service, Choice, Preferences};
use crate::state::AppState;
use crate::storage::notifications::AuditEntry;

pub fn routes() -> Router<AppState> {
    Router::new().route("/desk/notifications", get(page).post(save))
}

/// The most deliveries listed.
const RECENT: usize = 20;

#[derive(serde::Deserialize)]
struct Saved {
    saved: Option<String>,
}

/// The kinds a role hears of (a citizen's are not a desk's): reporters hear of their own
/// reports, staff of their work.
fn kinds_for(role: Role) -> Vec<NotificationKind> {
    let reporter = [
        NotificationKind::StatusChanged,
        NotificationKind::ReplyWindowClosing,
        NotificationKind::Completed,
    ];
    if !super::is_staff(role) {
        return reporter.to_vec();
    }
    NotificationKind::ALL
        .iter()
        .copied()
        .filter(|k| match k {
            NotificationKind::DailySummary => {
                matches!(role, Role::InstitutionAdmin | Role::NationalAdmin)
            }
            NotificationKind::Escalated => role != Role::Officer,
            _ => true,
        })
        .collect()
}

fn channel_label(c: NotificationChannel, lang: Language) -> &'static str {
    match c {
        NotificationChannel::Phone => lang.pick("Di ponsel", "On the phone"),
        NotificationChannel::Email => lang.pick("Lewat surel", "By e-mail"),
    }
}

fn view(
    desk: &Desk,
    offset_hours: i8,
    p: &Preferences,
    recent: &[AuditEntry],
    error: Option<&str>,
    saved: bool,
) -> Markup {
    let lang = desk.lang;
    let title = lang.pick("Pemberitahuan", "Notifications");
    let on = |k: NotificationKind, c: NotificationChannel| {
        p.choices
            .iter()
            .find(|x| x.kind == k.code() && x.channel == c.code())
            .is_none_or(|x| x.enabled)
    };
    layout(
        lang,
        Some(desk),
        title,
        "/desk/notifications",
        html! {
            h1 { (title) }
            @if saved {
                p class="filed" role="status" id="saved" { (lang.pick("Pilihan Anda tersimpan.", "Your choices are saved.")) }
            }
            @if let Some(e) = error {
                div class="error" role="alert" { strong { (lang.pick("Belum tersimpan: ", "Not saved: ")) } (e) }
            }
            form method="post" action="/desk/notifications" class="stack" {
                input type="hidden" name="csrf" value=(desk.csrf());
                label for="email" { (lang.pick("Alamat surel untuk pemberitahuan", "E-mail address for notifications")) }
                p class="hint" id="email-hint" { (lang.pick("Kosongkan bila tidak ingin menerima surel.", "Leave it empty to get no e-mail.")) }
                input id="email" name="email" type="email" value=(p.email) autocomplete="email" aria-describedby="email-hint";
                fieldset {
                    legend { (lang.pick("Bahasa surel", "Language of the e-mails")) }
                    @for (code, name) in [("id", "Bahasa Indonesia"), ("en", "English")] {
                        div class="check" {
                            input type="radio" id={ "language-" (code) } name="language" value=(code) checked[p.language == code];
                            label for={ "language-" (code) } lang=(code) { (name) }
                        }
                    }
                }
                table class="choices" {
                    caption { (lang.pick("Yang ingin Anda ketahui, dan lewat apa", "What you want to hear of, and how")) }
                    thead { tr {
                        th scope="col" { (lang.pick("Jenis", "Kind")) }
                        @for c in NotificationChannel::ALL { th scope="col" { (channel_label(*c, lang)) } }
                    } }
                    tbody {
                        @for k in kinds_for(desk.account.role) {
                            tr {
                                th scope="row" { (k.label(lang)) }
                                @for c in NotificationChannel::ALL {
                                    @let id = format!("on-{}-{}", k.code(), c.code());
                                    td {
                                        input type="checkbox" id=(id) name=(id) value="1" checked[on(k, *c)]
                                            aria-label={ (k.label(lang)) ": " (channel_label(*c, lang)) };
                                    }
                                }
                            }
                        }
                    }
                }
                button type="submit" { (lang.pick("Simpan", "Save")) }
            }
            section aria-labelledby="recent-h" {
                h2 id="recent-h" { (lang.pick("Terkirim belakangan ini", "Sent lately")) }
                @if recent.is_empty() {
                    p { (lang.pick("Belum ada pemberitahuan untuk Anda.", "Nothing has been sent to you yet.")) }
                } @else {
                    table class="inbox" id="recent" {
                        thead { tr {
                            th scope="col" { (lang.pick("Waktu", "When")) }
                            th scope="col" { (lang.pick("Jenis", "Kind")) }
                            th scope="col" { (lang.pick("Saluran", "Channel")) }
                            th scope="col" { (lang.pick("Hasil", "Outcome")) }
                        } }
                        tbody {
                            @for e in recent.iter().take(RECENT) {
                                tr {
                                    td { (when(e.at, offset_hours)) }
                                    td { (NotificationKind::from_code(&e.kind).map_or(e.kind.as_str(), |k| k.label(lang))) }
                                    td { (NotificationChannel::from_code(&e.channel).map_or(e.channel.as_str(), |c| channel_label(c, lang))) }
                                    td { (outcome(&e.outcome, lang)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The audit's outcome words, as people read them.
fn outcome(code: &str, lang: Language) -> String {
    match code {
        "sent" => lang.pick("Terkirim", "Sent").into(),
        "delivered" => lang.pick("Diterima ponsel", "Reached the phone").into(),
        other => match other.split_once(": ") {
            Some(("retry", why)) => format!("{} ({why})", lang.pick("Dicoba lagi", "Retrying")),
            Some(("failed", why)) => format!("{} ({why})", lang.pick("Gagal", "Failed")),
            _ => other.to_string(),
        },
    }
}

async fn load(state: &AppState, desk: &Desk) -> Result<(Preferences, Vec<AuditEntry>), Page> {
    let (db, account) = (state.db.clone(), desk.account.clone());
    let lang = desk.lang;
    blocking(move || {
        let p = service::preferences(&db, &account.id)?;
        // One's own deliveries, even for the national administrator (who may ask for anyone's
        // through the API).
        let mut recent = service::audit(&db, &account, Some(&account.id))?;
        recent.truncate(RECENT);
        Ok((p, recent))
    })
    .await
    .map_err(|e| Page::from_error(lang, e))
}

/// Times in the zone of the person's institution (the national desk's: WIB).
fn offset_hours(state: &AppState, desk: &Desk) -> i8 {
    state
        .deadlines
        .offset_of(desk.account.institution_id.as_deref())
        .whole_hours()
}

async fn page(State(state): State<AppState>, desk: Desk, Query(q): Query<Saved>) -> Response {
    let offset = offset_hours(&state, &desk);
    match load(&state, &desk).await {
        Ok((p, recent)) => {
            Page::ok(view(&desk, offset, &p, &recent, None, q.saved.is_some())).into_response()
        }
        Err(page) => page.into_response(),
    }
}

async fn save(
    State(state): State<AppState>,
    desk: Desk,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let lang = desk.lang;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Err(page) = desk.check_csrf(field("csrf").unwrap_or("")) {
        return page.into_response();
    }
    // Every kind on every channel is said, so an unticked box turns it off.
    let choices = NotificationKind::ALL
        .iter()
        .flat_map(|k| NotificationChannel::ALL.iter().map(move |c| (*k, *c)))
        .filter(|(k, _)| kinds_for(desk.account.role).contains(k))
        .map(|(k, c)| Choice {
            kind: k.code().into(),
            channel: c.code().into(),
            enabled: field(&format!("on-{}-{}", k.code(), c.code())).is_some(),
        })
        .collect();
    let wanted = Preferences {
        language: field("language").unwrap_or("id").to_string(),
        email: field("email").unwrap_or("").trim().to_string(),
        choices,
    };
    let (db, account) = (state.db.clone(), desk.account.id.clone());
    let typed = wanted.clone();
    match blocking(move || service::set_preferences(&db, &account, &typed)).await {
        Ok(_) => Redirect::to("/desk/notifications?saved=1").into_response(),
        Err(e) => {
            let message = match lang {
                Language::Id => e.message_id.clone(),
                Language::En => e.message_en.clone(),
            };
            let recent = load(&state, &desk)
                .await
                .map(|(_, r)| r)
                .unwrap_or_default();
            Page::with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                view(
                    &desk,
                    offset_hours(&state, &desk),
                    &wanted,
                    &recent,
                    Some(&message),
                    false,
                ),
            )
            .into_response()
        }
    }
}
