//! The OpenAPI document (`http/openapi.rs`) against the router the server really runs, both
//! ways: every documented operation is answered by a route, every route written in `http/` is
//! documented, and no documented path answers a method the document leaves out. The binary
//! sync messages' described fields are held to core's message types.

use std::collections::BTreeSet;
use std::sync::Arc;

use aduan_core::catalog::Directory;
use aduan_core::sync::protocol::{
    DocDownload, DocUpload, Notice, Refused, SyncRequest, SyncResponse,
};
use aduan_core::workflow::Deadlines;
use aduan_server::http::{openapi, router, AppState};
use aduan_server::services::limits::LoginLimiter;
use aduan_server::services::live::Live;
use aduan_server::services::quotas::{Meter, Quotas};
use aduan_server::services::sessions::PasswordChecks;
use aduan_server::state::Metrics;
use aduan_server::storage::{Db, FsPhotoStore};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use tower::ServiceExt;

fn app(dir: &std::path::Path) -> axum::Router {
    let db = Db::open(dir).unwrap();
    let state = AppState {
        db: db.clone(),
        directory: Arc::new(Directory::bundled_sample()),
        deadlines: Arc::new(Deadlines::default()),
        metrics: Arc::new(Metrics::default()),
        photos: Arc::new(FsPhotoStore::new(dir.join("photos")).unwrap()),
        live: Live::new(),
        login_limiter: Arc::new(LoginLimiter::new(db.clone())),
        password_checks: Arc::new(PasswordChecks::new(1)),
        trusted_proxies: Arc::new(Vec::new()),
        meter: Arc::new(Meter::new(db, Quotas::default())),
        tls: false,
        map: Default::default(),
    };
    router(state)
}

/// A concrete path for a template: every parameter filled with a value of its shape.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some("sha") => "a".repeat(64),
                Some("tracking_id") => "ADU-00000-00000".into(),
                Some(_) => "x.json".into(),
                None => s.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the router has a route for this method and path: axum answers an unrouted path
/// with an empty 404 and an unrouted method with 405; every handler's refusal has a body.
async fn routed(app: &axum::Router, method: &str, path: &str) -> bool {
    let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
    let resp = app
        .clone()
        .oneshot(
            Request::builder()
                .method(method.clone())
                .uri(concrete(path))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .unwrap();
    if status == StatusCode::METHOD_NOT_ALLOWED {
        return false;
    }
    !(status == StatusCode::NOT_FOUND && body.is_empty() && method != Method::HEAD)
}

fn documented() -> BTreeSet<(String, String)> {
    openapi::OPERATIONS
        .iter()
        .map(|o| (o.method.to_string(), o.path.to_string()))
        .collect()
}

#[tokio::test]
async fn every_documented_operation_is_a_route_the_router_answers() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    for (method, path) in documented() {
        assert!(
            routed(&app, &method, &path).await,
            "{method} {path} is documented but not routed"
        );
    }
}

#[tokio::test]
async fn no_documented_path_answers_a_method_the_document_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let documented = documented();
    let paths: BTreeSet<&String> = documented.iter().map(|(_, p)| p).collect();
    for path in paths {
        for method in ["get", "post", "put", "delete", "patch"] {
            if documented.contains(&(method.to_string(), path.clone())) {
                continue;
            }
            assert!(
                !routed(&app, method, path).await,
                "{method} {path} is routed but not documented"
            );
        }
    }
}

/// `(method, path)` of every `.route(path, get(..).post(..))` written in `src/http/`. The
/// desk's pages (`src/http/web/`) are HTML for a browser, not API, and stay out of the
/// document (tests/web covers them).
fn routes_in_source() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert!(path.ends_with("web"), "a new folder of routes: {path:?}");
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let open = rest.find('"').unwrap();
            let close = open + 1 + rest[open + 1..].find('"').unwrap();
            let path = rest[open + 1..close].to_string();
            // The method calls at the top level of the route call's arguments.
            let mut depth = 1;
            let mut word = String::new();
            for c in rest[close + 1..].chars() {
                match c {
                    '(' => {
                        if depth == 1
                            && ["get", "post", "put", "delete", "head", "patch"]
                                .contains(&word.as_str())
                        {
                            found.insert((word.clone(), path.clone()));
                        }
                        depth += 1;
                        word.clear();
                    }
                    ')' => {
                        depth -= 1;
                        word.clear();
                        if depth == 0 {
                            break;
                        }
                    }
                    c if c.is_ascii_alphanumeric() || c == '_' => word.push(c),
                    _ => word.clear(),
                }
            }
        }
    }
    found
}

#[test]
fn every_route_written_in_the_http_layer_is_documented() {
    let in_source = routes_in_source();
    assert!(
        in_source.len() > 30,
        "the scan finds the routes: {in_source:?}"
    );
    let documented = documented();
    let missing: Vec<_> = in_source.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    let stale: Vec<_> = documented.difference(&in_source).collect();
    assert!(
        stale.is_empty(),
        "documented routes not in the code: {stale:?}"
    );
}

#[tokio::test]
async fn the_document_is_served_at_openapi_json() {
    let dir = tempfile::tempdir().unwrap();
    let resp = app(dir.path())
        .oneshot(
            Request::builder()
                .uri("/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body = axum::body::to_bytes(resp.into_body(), 1 << 22)
        .await
        .unwrap();
    let served: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(served, openapi::document());
    assert_eq!(served["openapi"], "3.1.0");
    let sync = &served["paths"]["/v1/sync"]["post"];
    assert!(sync["requestBody"]["content"]["application/octet-stream"].is_object());
}

/// The described properties of a sync message are exactly the fields core encodes.
fn same_fields(schema: &str, message: serde_json::Value) {
    let doc = openapi::document();
    let described: BTreeSet<String> = doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let encoded: BTreeSet<String> = message.as_object().unwrap().keys().cloned().collect();
    assert_eq!(described, encoded, "{schema}");
    let required: BTreeSet<String> = doc["components"]["schemas"][schema]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(required, encoded, "{schema}: every field is always encoded");
}

#[test]
fn the_sync_messages_are_described_field_for_field() {
    let upload = DocUpload {
        doc_id: "c/report".into(),
        changes: vec![vec![1]],
    };
    same_fields("DocUpload", serde_json::to_value(&upload).unwrap());
    same_fields(
        "SyncRequest",
        serde_json::to_value(SyncRequest {
            version: 5,
            cursor: 0,
            uploads: vec![upload],
            resync: vec![],
            max_response_bytes: 1,
            ack: 0,
            notices_after: 0,
        })
        .unwrap(),
    );
    let refused = Refused {
        doc_id: "c/report".into(),
        code: "x".into(),
        message_id: "x".into(),
        message_en: "x".into(),
    };
    same_fields("Refused", serde_json::to_value(&refused).unwrap());
    let download = DocDownload {
        doc_id: "c/report".into(),
        data: vec![1],
        heads: vec![],
    };
    same_fields("DocDownload", serde_json::to_value(&download).unwrap());
    let notice = Notice {
        id: 1,
        kind: "status_changed".into(),
        complaint_id: "c".into(),
        params: "{}".into(),
        created_at: 0,
    };
    same_fields("Notice", serde_json::to_value(&notice).unwrap());
    same_fields(
        "SyncResponse",
        serde_json::to_value(SyncResponse {
            version: 5,
            cursor: 0,
            more: false,
            accepted: vec![],
            refused: vec![refused],
            downloads: vec![download],
            revoked: vec![],
            owned: vec![],
            round: 0,
            notices: vec![notice.clone()],
        })
        .unwrap(),
    );
}
