//! The desk's pages called through the router (`oneshot`): who may see and act on what, and
//! what personal data reaches the browser.

use std::sync::Arc;

use aduan_core::catalog::Directory;
use aduan_core::model::channel::Channel;
use aduan_core::model::report::NewReport;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::model::{self, log, DocKind};
use aduan_core::types::{Location, ReportKind, Role};
use aduan_core::workflow::Deadlines;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

use super::{csrf_of, SESSION_COOKIE};
use crate::services::desk;
use crate::services::limits::LoginLimiter;
use crate::services::live::Live;
use crate::services::quotas::{Meter, Quotas};
use crate::services::sessions::{self, PasswordChecks};
use crate::services::sync::{load_doc, Context};
use crate::state::{AppState, Metrics};
use crate::storage::photos::FsPhotoStore;
use crate::storage::{Account, Db};

struct Desk {
    _dir: tempfile::TempDir,
    state: AppState,
}

const CALLER: &str = "Daeng Rahman";
const CALLER_PHONE: &str = "081234567890";

fn account(id: &str, role: Role, institution: Option<&str>, unit: Option<&str>) -> Account {
    Account {
        id: id.into(),
        display_name: format!("Akun {id}"),
        role,
        institution_id: institution.map(str::to_string),
        unit_id: unit.map(str::to_string),
        disabled: false,
        area: None,
    }
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(dir.path()).unwrap();
        Desk::on(db, dir)
    }

    fn on(db: Db, dir: tempfile::TempDir) -> Desk {
        let directory = Directory::bundled_sample();
        let deadlines = Deadlines::default().with_directory(&directory);
        for a in [
            account("operator", Role::Officer, Some("kota-makassar"), None),
            account("penghubung", Role::Officer, Some("kota-makassar"), None),
            account(
                "admin-makassar",
                Role::InstitutionAdmin,
                Some("kota-makassar"),
                None,
            ),
            account(
                "admin-samarinda",
                Role::InstitutionAdmin,
                Some("kota-samarinda"),
                None,
            ),
            account("admin-nasional", Role::NationalAdmin, None, None),
            account("kader", Role::Cadre, Some("kota-makassar"), None),
            account("warga", Role::Citizen, None, None),
            account("warga-lain", Role::Citizen, None, None),
        ] {
            db.create_account(&a, None).unwrap();
        }
        let state = AppState {
            live: Live::new(),
            login_limiter: Arc::new(LoginLimiter::new(db.clone())),
            trusted_proxies: Arc::new(Vec::new()),
            password_checks: Arc::new(PasswordChecks::new(1)),
            meter: Arc::new(Meter::new(db.clone(), Quotas::default())),
            photos: Arc::new(FsPhotoStore::new(dir.path().join("photos")).unwrap()),
            db,
            directory: Arc::new(directory),
            deadlines: Arc::new(deadlines),
            metrics: Arc::new(Metrics::default()),
            tls: false,
            map: Default::default(),
        };
        Desk { _dir: dir, state }
    }

    fn account(&self, id: &str) -> Account {
        self.state.db.account(id).unwrap().unwrap()
    }

    /// A caller's complaint filed by Makassar's operator through the desk's own path.
    fn filed(&self, caller: Option<ReporterContact>, confidential: bool) -> String {
        self.filed_at(caller, confidential, super::now_ms())
    }

    fn filed_at(&self, caller: Option<ReporterContact>, confidential: bool, at: i64) -> String {
        self.filed_as(caller, at, |new| new.confidential = confidential)
    }

    /// The same, with the caller's report changed by `change` first.
    fn filed_as(
        &self,
        caller: Option<ReporterContact>,
        at: i64,
        change: impl FnOnce(&mut NewReport),
    ) -> String {
        let operator = self.account("operator");
        let ctx = Context {
            account: &operator,
            device_id: "web-test-operator",
            now_ms: at,
            deadlines: &self.state.deadlines,
            quotas: None,
        };
        let new = NewReport {
            kind: ReportKind::Complaint,
            category: "pu.drainase".into(),
            title: "Gorong-gorong ambruk".into(),
            description: "Isi yang rahasia".into(),
            location: Location {
                kelurahan: "Mangasa".into(),
                kecamatan: "Tamalate".into(),
                city: "Kota Makassar".into(),
                province: "Sulawesi Selatan".into(),
                ..Location::default()
            },
            anonymous: false,
            confidential: false,
            photos: vec![],
            channel: Channel::CallCentre,
        };
        let mut new = new;
        change(&mut new);
        desk::file(
            &self.state.db,
            &self.state.live,
            &ctx,
            super::categories(),
            new,
            true,
            caller,
        )
        .unwrap()
    }

    /// A field cadre's own report, uploaded as the cadre's phone would (the same admission).
    fn cadre_report(&self) -> String {
        let cadre = self.account("kader");
        let ctx = Context {
            account: &cadre,
            device_id: "phone-kader",
            now_ms: super::now_ms(),
            deadlines: &self.state.deadlines,
            quotas: None,
        };
        let id = model::new_complaint_id();
        let mut doc = model::new_doc(automerge::ActorId::random());
        aduan_core::model::report::file(
            &mut doc,
            &id,
            &NewReport {
                kind: ReportKind::Complaint,
                category: "pu.drainase".into(),
                title: "Laporan kader".into(),
                description: "Banjir setinggi lutut".into(),
                location: Location::default(),
                anonymous: false,
                confidential: false,
                photos: vec![],
                channel: Channel::Cadre,
            },
            ctx.now_ms,
            &cadre.identity(),
            false,
            super::categories(),
        )
        .unwrap();
        let changes = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect();
        let refused = crate::services::sync::submit(
            &self.state.db,
            &self.state.live,
            &ctx,
            vec![(model::doc_id(&id, DocKind::Report), changes)],
        )
        .unwrap();
        assert!(refused.is_empty(), "{refused:?}");
        id
    }

    fn cookie(&self, account: &str) -> (String, String) {
        let a = self.account(account);
        let session = sessions::issue(&self.state.db, &a, &format!("web-{account}")).unwrap();
        (
            format!("{SESSION_COOKIE}={}", session.access_token),
            csrf_of(&session.access_token),
        )
    }

    async fn get(&self, account: &str, uri: &str) -> (StatusCode, String) {
        let (cookie, _) = self.cookie(account);
        let response = crate::http::router(self.state.clone())
            .oneshot(
                Request::get(uri)
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    async fn post_action(&self, account: &str, id: &str, fields: &[(&str, &str)]) -> StatusCode {
        self.post_action_page(account, id, fields).await.0
    }

    async fn post_action_page(
        &self,
        account: &str,
        id: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let (status, _, body) = self
            .post_form(account, &format!("/desk/complaints/{id}"), fields)
            .await;
        (status, body)
    }

    /// A multipart form posted as `account` with its session's CSRF token: the status, where
    /// it redirects to, and the page.
    async fn post_form(
        &self,
        account: &str,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let (cookie, csrf) = self.cookie(account);
        let boundary = "desk-test-boundary";
        let mut body = String::new();
        for (name, value) in [("csrf", csrf.as_str())].iter().chain(fields) {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        let response = crate::http::router(self.state.clone())
            .oneshot(
                Request::post(uri)
                    .header(header::COOKIE, cookie)
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (
            status,
            location,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }

    /// How many rows a table holds.
    fn rows(&self, table: &str) -> i64 {
        self.state
            .db
            .run(|sql| sql.query_int(&format!("SELECT count(*) FROM {table}"), &[]))
            .unwrap()
    }

    fn events(&self, id: &str) -> usize {
        let doc = self
            .state
            .db
            .run(|sql| load_doc(sql, &model::doc_id(id, DocKind::Log)))
            .unwrap();
        log::read(&doc).len()
    }
}

fn named() -> Option<ReporterContact> {
    Some(ReporterContact {
        name: CALLER.into(),
        phone: CALLER_PHONE.into(),
        email: String::new(),
    })
}

const EVERY_ACTION: [&[(&str, &str)]; 12] = [
    &[("action", "dispatch"), ("institution", "kota-samarinda")],
    &[("action", "assign"), ("unit", "kota-samarinda.dpu")],
    &[("action", "not_our_authority")],
    &[("action", "defer")],
    &[("action", "resume")],
    &[("action", "archive")],
    &[("action", "merge_into"), ("target", "ADU-AAAAA-AAAAA")],
    &[("action", "set_flags"), ("anonymous", "1")],
    &[("action", "start_work")],
    &[("action", "follow_up"), ("note", "selesai")],
    &[("action", "close")],
    &[("action", "reply"), ("note", "halo")],
];

#[tokio::test]
async fn officer_of_another_institution_gets_404_on_the_page_and_every_action() {
    let desk = Desk::new();
    let id = desk.filed(named(), false);
    let before = desk.events(&id);

    let (status, html) = desk
        .get("admin-samarinda", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        !html.contains("Gorong-gorong"),
        "nothing of it in the answer"
    );
    for fields in EVERY_ACTION {
        assert_eq!(
            desk.post_action("admin-samarinda", &id, fields).await,
            StatusCode::NOT_FOUND,
            "{fields:?}"
        );
    }
    assert_eq!(desk.events(&id), before, "no step was stored");
    let (_, inbox) = desk.get("admin-samarinda", "/desk?scope=all").await;
    assert!(!inbox.contains(&id) && !inbox.contains("Gorong-gorong"));

    // The holding institution's officer does see it and may act: the 404s were the rule.
    let (status, _) = desk
        .get("penghubung", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_step_the_rules_refuse_shows_the_phones_refusal_and_stores_nothing() {
    let desk = Desk::new();
    let id = desk.filed(named(), false);
    let before = desk.events(&id);
    // Held by Makassar already: an officer cannot dispatch it (the national desk does), and
    // is told so in the words the phone uses.
    let (status, html) = desk
        .post_action_page(
            "penghubung",
            &id,
            &[("action", "dispatch"), ("institution", "kota-samarinda")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert_eq!(desk.events(&id), before);
    // A step the administrator may take goes through the sync admission into the log.
    let status = desk
        .post_action(
            "admin-makassar",
            &id,
            &[("action", "assign"), ("unit", "kota-makassar.dpu")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(desk.events(&id), before + 1);
}

#[tokio::test]
async fn a_named_callers_contact_reaches_only_the_holding_institutions_handlers() {
    let desk = Desk::new();
    let id = desk.filed(named(), false);
    let (_, html) = desk
        .get("penghubung", &format!("/desk/complaints/{id}"))
        .await;
    assert!(html.contains(CALLER) && html.contains(CALLER_PHONE));
    // The national desk sees the complaint, never the reporter held by an institution.
    let (status, html) = desk
        .get("admin-nasional", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Gorong-gorong"));
    assert!(!html.contains(CALLER) && !html.contains(CALLER_PHONE));
    // No inbox shows reporters.
    for who in ["penghubung", "admin-nasional"] {
        let (_, inbox) = desk.get(who, "/desk?scope=all").await;
        assert!(inbox.contains(&id), "{who} sees it listed");
        assert!(!inbox.contains(CALLER) && !inbox.contains(CALLER_PHONE));
    }
}

#[tokio::test]
async fn an_anonymous_callers_complaint_shows_nobody_anything_about_the_reporter() {
    let desk = Desk::new();
    let id = desk.filed(None, false);
    for who in ["penghubung", "operator", "admin-nasional"] {
        let (status, html) = desk.get(who, &format!("/desk/complaints/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Anonim"), "{who}");
        assert!(!html.contains(CALLER_PHONE));
    }
}

#[tokio::test]
async fn a_confidential_complaint_reaches_its_handlers_and_no_one_else() {
    let desk = Desk::new();
    let id = desk.filed(named(), true);
    let (status, html) = desk
        .get("penghubung", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Isi yang rahasia") && html.contains("Rahasia"));
    let (status, html) = desk
        .get("admin-samarinda", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Isi yang rahasia"));
    let (_, inbox) = desk.get("admin-samarinda", "/desk?scope=all").await;
    assert!(!inbox.contains("Gorong-gorong"));
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    let desk = Desk::new();
    let id = desk.filed(named(), false);
    let before = desk.events(&id);
    let (cookie, _) = desk.cookie("penghubung");
    let body = "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nforged\r\n--b\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ndefer\r\n--b--\r\n";
    let status = crate::http::router(desk.state.clone())
        .oneshot(
            Request::post(format!("/desk/complaints/{id}"))
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(desk.events(&id), before);
}

#[tokio::test]
async fn without_a_session_every_desk_page_sends_to_sign_in() {
    let desk = Desk::new();
    for uri in [
        "/desk",
        "/desk/intake",
        "/desk/complaints/x",
        "/desk/events",
    ] {
        let response = crate::http::router(desk.state.clone())
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(response.headers()[header::LOCATION], "/desk/sign-in");
    }
}

#[tokio::test]
async fn a_cadres_24_hour_report_comes_first_in_the_institutions_inbox() {
    let desk = Desk::new();
    let cadre = desk.cadre_report();
    // Filed after it, so newest-first would put the caller's complaint on top.
    let caller = desk.filed(named(), false);
    let (_, html) = desk.get("admin-makassar", "/desk").await;
    let (c, o) = (html.find(&cadre), html.find(&caller));
    assert!(
        c.is_some() && o.is_some(),
        "both wait for the administrator"
    );
    assert!(c < o, "the cadre's report, due in hours, is first");
    assert!(html.contains("Kader 24 jam"));
}

#[tokio::test]
async fn overdue_and_escalated_work_is_marked_in_the_inbox() {
    let desk = Desk::new();
    let month_ago = super::now_ms() - 30 * 86_400_000;
    let late = desk.filed_at(named(), false, month_ago);
    let fresh = desk.filed(named(), false);
    let (_, html) = desk.get("admin-makassar", "/desk").await;
    let row = |id: &str| {
        let start = html.find(&format!("data-complaint=\"{id}\"")).unwrap();
        let end = html[start..].find("</tr>").unwrap() + start;
        html[start..end].to_string()
    };
    assert!(row(&late).contains("Terlambat"));
    assert!(
        !row(&late).contains("Dieskalasi"),
        "not escalated until the server says so"
    );
    assert!(!row(&fresh).contains("Terlambat"));
    crate::services::escalations::sweep(&desk.state.db, super::now_ms(), &desk.state.deadlines)
        .unwrap();
    let (_, html) = desk.get("admin-makassar", "/desk").await;
    let start = html.find(&format!("data-complaint=\"{late}\"")).unwrap();
    let end = html[start..].find("</tr>").unwrap() + start;
    assert!(html[start..end].contains("Dieskalasi"));
}

async fn get_anonymously(desk: &Desk, uri: &str) -> (StatusCode, String) {
    let response = crate::http::router(desk.state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn public_pages_show_no_personal_data_and_no_confidential_report() {
    let desk = Desk::new();
    let open = model::tracking_id(&desk.filed(named(), false));
    let secret = model::tracking_id(&desk.filed(named(), true));
    let (status, list) = get_anonymously(&desk, "/public").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains(&open), "the public report is listed");
    assert!(!list.contains(&secret), "the confidential one is not");
    let (status, tracked) = get_anonymously(&desk, &format!("/public/track?id={open}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tracked.contains(&open) && tracked.contains("Mangasa"));
    let (status, hidden) = get_anonymously(&desk, &format!("/public/track?id={secret}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "as if it did not exist");
    for html in [&list, &tracked, &hidden] {
        for private in [
            CALLER,
            CALLER_PHONE,
            "Isi yang rahasia",
            "Gorong-gorong",
            "operator",
        ] {
            assert!(!html.contains(private), "{private} reached a public page");
        }
    }
}

/// The catalog's code of Makassar's village Mangasa.
fn mangasa(desk: &Desk) -> &'static str {
    let code = super::intake::areas(&desk.state)
        .all()
        .iter()
        .find(|a| a.is_kelurahan() && a.name.eq_ignore_ascii_case("Mangasa"))
        .map(|a| a.code.clone())
        .expect("Mangasa in the bundled areas");
    Box::leak(code.into_boxed_str())
}

/// A citizen's report as the web form sends it.
fn citizen_report<'a>(desk: &Desk, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("kind", "complaint"),
        ("category", "pu.drainase"),
        ("title", "Got mampet di Jalan Veteran"),
        ("description", "Air meluap ke jalan setiap hujan sore."),
        ("village", mangasa(desk)),
        ("address", "Depan masjid"),
    ];
    fields.extend_from_slice(extra);
    fields
}

/// The complaint behind the tracking id a filing redirected to.
fn filed_id(desk: &Desk, location: &str) -> String {
    let tracking = location.rsplit('=').next().unwrap().to_string();
    desk.state
        .db
        .run(|sql| {
            sql.query_opt(
                "SELECT id FROM complaints WHERE tracking_id = $1",
                crate::vals![&tracking],
            )
        })
        .unwrap()
        .unwrap()
        .text(0)
        .unwrap()
}

#[tokio::test]
async fn a_citizen_files_on_the_web_sees_it_among_theirs_and_no_one_elses_desk_or_list() {
    let desk = Desk::new();
    let (status, location, _) = desk
        .post_form(
            "warga",
            "/desk/report",
            &citizen_report(&desk, &[("name", CALLER), ("phone", CALLER_PHONE)]),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/desk/mine?filed=ADU-"), "{location}");
    let id = filed_id(&desk, &location);
    let report = desk
        .state
        .db
        .run(|sql| load_doc(sql, &model::doc_id(&id, DocKind::Report)))
        .unwrap();
    let report = aduan_core::model::report::read(&report).unwrap();
    assert_eq!(report.channel, Channel::Web);
    assert!(report.filed_by.is_none(), "the citizen filed it themself");
    assert!(report.location.kelurahan.eq_ignore_ascii_case("Mangasa"));
    assert!(
        !report.location.area.is_empty(),
        "the village code is written at filing"
    );

    let (status, page) = desk.get("warga", &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Got mampet di Jalan Veteran"));
    assert!(page.contains(&aduan_core::model::tracking_id(&id)));
    // Another citizen's list is empty, and the report's page is not theirs to open.
    let (_, other) = desk.get("warga-lain", "/desk/mine").await;
    assert!(!other.contains("Got mampet"));
    let (status, _) = desk
        .get("warga-lain", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The desk's own pages send a citizen to their reports.
    for uri in ["/desk", "/desk/intake", "/desk/figures"] {
        let response = crate::http::router(desk.state.clone())
            .oneshot(
                Request::get(uri)
                    .header(header::COOKIE, desk.cookie("warga").0)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(response.headers()[header::LOCATION], "/desk/mine");
    }
    // The national desk holds it first and sees the contact; once dispatched, Makassar's
    // administrator does; Samarinda's sees nothing.
    let (_, national) = desk
        .get("admin-nasional", &format!("/desk/complaints/{id}"))
        .await;
    assert!(national.contains(CALLER) && national.contains(CALLER_PHONE));
    let (status, page) = desk
        .post_action_page(
            "admin-nasional",
            &id,
            &[("action", "dispatch"), ("institution", "kota-makassar")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let (_, admin) = desk
        .get("admin-makassar", &format!("/desk/complaints/{id}"))
        .await;
    assert!(admin.contains(CALLER) && admin.contains(CALLER_PHONE));
    let (status, other) = desk
        .get("admin-samarinda", &format!("/desk/complaints/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!other.contains(CALLER));
}

#[tokio::test]
async fn an_anonymous_web_report_keeps_no_contact_even_when_one_is_typed() {
    let desk = Desk::new();
    let (_, location, _) = desk
        .post_form(
            "warga",
            "/desk/report",
            &citizen_report(
                &desk,
                &[
                    ("anonymous", "1"),
                    ("name", CALLER),
                    ("phone", CALLER_PHONE),
                ],
            ),
        )
        .await;
    let id = filed_id(&desk, &location);
    for account in ["admin-nasional", "warga"] {
        let (status, page) = desk.get(account, &format!("/desk/complaints/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{account}");
        assert!(
            !page.contains(CALLER) && !page.contains(CALLER_PHONE),
            "{account}"
        );
    }
    let kept = desk.rows("reporter_contacts");
    assert_eq!(kept, 0);
}

#[tokio::test]
async fn a_refused_web_report_says_why_keeps_what_was_typed_and_stores_nothing() {
    let desk = Desk::new();
    let mut fields = citizen_report(&desk, &[]);
    fields.retain(|(k, _)| *k != "village");
    fields.push(("village", "9999"));
    let (status, _, page) = desk.post_form("warga", "/desk/report", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Pilih kelurahan dari daftar."), "{page}");
    assert!(
        page.contains("Got mampet di Jalan Veteran"),
        "what was typed stays"
    );
    let count = desk.rows("complaints");
    assert_eq!(count, 0);
}

#[tokio::test]
async fn the_reporter_replies_and_rates_on_the_web_and_only_the_reporter_may() {
    let desk = Desk::new();
    let (_, location, _) = desk
        .post_form("warga", "/desk/report", &citizen_report(&desk, &[]))
        .await;
    let id = filed_id(&desk, &location);
    // The national desk dispatches it, Makassar's administrator assigns it, its officer
    // works on it.
    for (who, fields) in [
        (
            "admin-nasional",
            vec![("action", "dispatch"), ("institution", "kota-makassar")],
        ),
        (
            "admin-makassar",
            vec![("action", "assign"), ("unit", "kota-makassar.dpu")],
        ),
        ("penghubung", vec![("action", "start_work")]),
        (
            "warga",
            vec![("action", "reply"), ("note", "Terima kasih, sudah bersih.")],
        ),
        (
            "penghubung",
            vec![("action", "follow_up"), ("note", "Got sudah dibersihkan.")],
        ),
    ] {
        let (status, page) = desk.post_action_page(who, &id, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{who} {fields:?}: {page}");
    }
    let (_, page) = desk.get("warga", &format!("/desk/complaints/{id}")).await;
    assert!(page.contains("id=\"action-reply\""), "{page}");
    assert!(page.contains("id=\"action-rate\""));
    assert!(!page.contains("id=\"action-follow_up\""));
    let before = desk.events(&id);
    // A rating without stars is refused in words, and stores nothing.
    let (status, page) = desk
        .post_action_page("warga", &id, &[("action", "rate")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Pilih 1 sampai 5 bintang."));
    assert_eq!(desk.events(&id), before);
    let (status, page) = desk
        .post_action_page("warga", &id, &[("action", "rate"), ("stars", "5")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(desk.events(&id), before + 1);
    // Another citizen can do neither.
    for fields in [
        &[("action", "reply"), ("note", "bukan saya")][..],
        &[("action", "rate"), ("stars", "1")][..],
    ] {
        assert_eq!(
            desk.post_action("warga-lain", &id, fields).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(desk.events(&id), before + 1);
    let (_, page) = desk.get("warga", &format!("/desk/complaints/{id}")).await;
    assert!(page.contains("Terima kasih, sudah bersih."));
}

#[tokio::test]
async fn maps_draw_the_offline_base_or_the_operators_tiles_which_the_pages_policy_allows() {
    let mut desk = Desk::new();
    let id = desk.filed(named(), false);
    // No tiles configured: the plain base (villages' points, districts' names) under the pin.
    let (_, page) = desk
        .get("admin-nasional", &format!("/desk/complaints/{id}"))
        .await;
    assert!(
        page.contains("<figure class=\"map\" tabindex=\"0\">"),
        "{page}"
    );
    assert!(page.contains(">Tamalate</text>"), "the district named");
    assert!(
        page.matches("class=\"village\"").count() > 10,
        "the villages around it: {}",
        page.matches("class=\"village\"").count()
    );
    assert!(
        page.contains("titik tengah kelurahan"),
        "no coordinates: the village's point"
    );
    let (_, list) = get_anonymously(&desk, "/public").await;
    assert!(list.contains("aria-label=\"Mangasa: 1 laporan\""), "{list}");
    assert!(list.contains("href=\"/public?area=Mangasa\""));
    // Tiles configured: drawn from that server, which the content policy then allows.
    desk.state.map = Arc::new(crate::config::MapConfig {
        tiles: Some(crate::config::Tiles {
            template: "http://127.0.0.1:9/peta/{z}/{x}/{y}.png".into(),
            origin: "http://127.0.0.1:9".into(),
            attribution: "© Peta Uji".into(),
        }),
    });
    let response = crate::http::router(desk.state.clone())
        .oneshot(Request::get("/public").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self' http://127.0.0.1:9;"), "{csp}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let list = String::from_utf8_lossy(&body);
    assert!(
        list.contains("<image href=\"http://127.0.0.1:9/peta/14/"),
        "{list}"
    );
    assert!(list.contains("© Peta Uji") && !list.contains("class=\"village\""));
}

#[tokio::test]
async fn the_inbox_reads_the_soonest_deadlines_first_in_pages() {
    let desk = Desk::new();
    let ids: Vec<String> = (0..super::inbox::INBOX_ROWS + 3)
        .map(|_| desk.filed(None, false))
        .collect();
    let shown = |page: &str| -> Vec<String> {
        page.split("<tr data-complaint=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    let (status, page) = desk.get("admin-makassar", "/desk?scope=open").await;
    assert_eq!(status, StatusCode::OK);
    let first = shown(&page);
    assert_eq!(first.len(), super::inbox::INBOX_ROWS);
    assert!(page.contains("id=\"more-rows\""), "it says there are more");
    // The next page keeps the filters and shows the rest, once each, with a way back.
    assert!(
        page.contains("href=\"/desk?scope=open&amp;page=2\""),
        "{page}"
    );
    let (status, second) = desk.get("admin-makassar", "/desk?scope=open&page=2").await;
    assert_eq!(status, StatusCode::OK);
    let rest = shown(&second);
    assert_eq!(rest.len(), 3);
    assert!(second.contains("rel=\"prev\"") && !second.contains("id=\"next-page\""));
    let mut all: Vec<String> = first.into_iter().chain(rest).collect();
    all.sort();
    all.dedup();
    let mut filed = ids.clone();
    filed.sort();
    assert_eq!(all, filed);
    for bad in ["page=0", "page=dua", "page=-1"] {
        let (status, page) = desk.get("admin-makassar", &format!("/desk?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(page.contains("Halaman ditulis"), "{bad}");
    }
    // Filtering finds what was left out.
    let last = model::tracking_id(ids.last().unwrap());
    let (_, page) = desk.get("admin-makassar", &format!("/desk?q={last}")).await;
    assert_eq!(page.matches("<tr data-complaint=").count(), 1);
    assert!(!page.contains("id=\"more-rows\""));
}

#[tokio::test]
async fn complaints_stored_before_the_queue_columns_get_their_deadline_at_start() {
    let desk = Desk::new();
    let id = desk.filed(named(), false);
    let stored = |desk: &Desk| {
        desk.state
            .db
            .run(|sql| {
                sql.query_opt(
                    "SELECT due_at, queued FROM complaints WHERE id = $1",
                    crate::vals![&id],
                )
            })
            .unwrap()
            .map(|r| (r.opt_int(0).unwrap(), r.bool(1).unwrap()))
            .unwrap()
    };
    let (due, queued) = stored(&desk);
    assert!(due.is_some() && queued, "the admission wrote its deadline");
    desk.state
        .db
        .run(|sql| sql.execute("UPDATE complaints SET due_at = NULL, queued = FALSE", &[]))
        .unwrap();
    assert_eq!(
        desk::backfill_queue(&desk.state.db, &desk.state.deadlines, super::now_ms()).unwrap(),
        1
    );
    assert_eq!(stored(&desk), (due, true));
    assert_eq!(
        desk::backfill_queue(&desk.state.db, &desk.state.deadlines, super::now_ms()).unwrap(),
        0
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_filter_and_search_word_narrows_the_inbox_to_exactly_the_matching_rows() {
    filters_and_search(&Desk::new()).await;
}

async fn filters_and_search(desk: &Desk) {
    let day = 86_400_000;
    let now = super::now_ms();
    let (plain, aspiration, walk_in, rubbish, old) = tokio::task::block_in_place(|| {
        let plain = desk.filed(None, false);
        let aspiration = desk.filed_as(None, now, |n| {
            n.kind = ReportKind::Aspiration;
            n.title = "Taman 100% hijau_baru".into();
            n.description = "Berkas di C:\\taman".into();
        });
        let walk_in = desk.filed_as(None, now, |n| {
            n.channel = Channel::Desk;
            n.location.kelurahan = "Bontoala Tua".into();
            n.location.kecamatan = "Bontoala".into();
        });
        let rubbish = desk.filed_as(None, now, |n| n.category = "lingkungan.sampah".into());
        let old = desk.filed_as(None, now - 40 * day, |n| {
            n.title = "Lampu jalan mati".into()
        });
        (plain, aspiration, walk_in, rubbish, old)
    });
    let all = [&plain, &aspiration, &walk_in, &rubbish, &old];
    let shown = |page: &str| -> Vec<&String> {
        all.iter()
            .copied()
            .filter(|id| page.contains(&format!("data-complaint=\"{id}\"")))
            .collect()
    };
    let date = |at: i64| {
        time::OffsetDateTime::from_unix_timestamp(at / 1000)
            .unwrap()
            .date()
            .to_string()
    };
    let tracking = model::tracking_id(&walk_in);
    for (query, expected) in [
        ("", vec![&plain, &aspiration, &walk_in, &rubbish, &old]),
        ("kind=aspirasi", vec![&aspiration]),
        ("category=lingkungan", vec![&rubbish]),
        ("category=pu", vec![&plain, &aspiration, &walk_in, &old]),
        ("channel=desk", vec![&walk_in]),
        (
            "status=dispatched",
            vec![&plain, &aspiration, &walk_in, &rubbish, &old],
        ),
        ("status=completed", vec![]),
        ("area=BONTOALA", vec![&walk_in]),
        (
            "area=makassar",
            vec![&plain, &aspiration, &walk_in, &rubbish, &old],
        ),
        // Words in any order and case, each somewhere; LIKE's wildcards are plain characters.
        ("q=HIJAU+taman", vec![&aspiration]),
        ("q=100%25", vec![&aspiration]),
        ("q=%25", vec![&aspiration]),
        ("q=_baru", vec![&aspiration]),
        ("q=u_b", vec![&aspiration]),
        ("q=o_o", vec![]),
        ("q=gorong+mangasa", vec![&plain, &rubbish]),
        ("q=c%3A%5Ctaman", vec![&aspiration]),
        (&format!("q={tracking}"), vec![&walk_in]),
        (
            &format!("from={}", date(now - 2 * day)),
            vec![&plain, &aspiration, &walk_in, &rubbish],
        ),
        (&format!("to={}", date(now - 39 * day)), vec![&old]),
        ("category=pu&channel=call_centre&q=ambruk", vec![&plain]),
    ] {
        let (status, page) = desk
            .get("admin-makassar", &format!("/desk?scope=all&{query}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert_eq!(shown(&page), expected, "{query}");
    }
    // A date the form's field cannot send is refused in words, not a silently empty inbox.
    for query in ["from=not-a-date", "to=06-12-2026", "from=2026-02-30"] {
        let (status, page) = desk
            .get("admin-makassar", &format!("/desk?scope=all&{query}"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.contains("TTTT-BB-HH"), "{query}: {page}");
    }
    // The database leaves out what cannot match: only the matching rows are read at all.
    let narrow = crate::storage::queue::Narrow {
        words: vec!["hijau_".into(), "100%".into()],
        kind: Some("aspirasi".into()),
        ..Default::default()
    };
    let admin = tokio::task::block_in_place(|| desk.account("admin-makassar"));
    let read = tokio::task::block_in_place(|| {
        desk.state
            .db
            .run(|sql| crate::storage::queue::candidates(sql, &admin, &narrow, 0, 100))
            .unwrap()
    });
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].text(0).unwrap(), aspiration);
}

#[tokio::test]
async fn the_queue_columns_follow_each_step_and_are_filled_at_start_for_older_rows() {
    let desk = Desk::new();
    let id = desk.filed(None, false);
    let columns = |desk: &Desk| {
        desk.state
            .db
            .run(|sql| {
                sql.query_opt(
                    "SELECT status, kind, category, channel, place, words, queued FROM complaints WHERE id = $1",
                    crate::vals![&id],
                )
            })
            .unwrap()
            .map(|r| {
                (1..6)
                    .map(|i| r.opt_text(i).unwrap().unwrap_or_default())
                    .chain([r.text(0).unwrap(), r.bool(6).unwrap().to_string()])
                    .collect::<Vec<String>>()
            })
            .unwrap()
    };
    let filed = columns(&desk);
    assert_eq!(filed[0..3], ["pengaduan", "pu.drainase", "call_centre"]);
    assert_eq!(
        filed[3],
        "mangasa\ntamalate\nkota makassar\nsulawesi selatan"
    );
    assert!(filed[4].starts_with(&model::tracking_id(&id).to_lowercase()));
    assert!(filed[4].contains("gorong-gorong ambruk\nisi yang rahasia\nmangasa"));
    assert_eq!(filed[5..], ["dispatched", "true"]);
    desk.state
        .db
        .run(|sql| {
            sql.execute(
                "UPDATE complaints SET kind = NULL, category = NULL, channel = NULL, place = NULL, words = NULL, queued = FALSE",
                &[],
            )
        })
        .unwrap();
    let (_, page) = desk.get("admin-makassar", "/desk?scope=all&q=ambruk").await;
    assert!(
        !page.contains(&id),
        "not yet filled, not found by its words"
    );
    assert_eq!(
        desk::backfill_queue(&desk.state.db, &desk.state.deadlines, super::now_ms()).unwrap(),
        1
    );
    assert_eq!(columns(&desk), filed);
    let (_, page) = desk.get("admin-makassar", "/desk?scope=all&q=ambruk").await;
    assert!(page.contains(&id));
}
