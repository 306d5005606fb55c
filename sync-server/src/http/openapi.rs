//! The OpenAPI 3.1 description of the whole HTTP API, served at `/openapi.json`. It is built
//! from [`OPERATIONS`], one row per route and method; the tests below hold that table to the
//! router both ways (every row is a route the router answers; every route in `http/` and
//! every method a documented path answers is a row), so the document cannot drift from the
//! server. The sync protocol's body is binary; its logical fields are described as JSON
//! Schema beside it and held to core's message types.

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(document()) }))
}

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    None,
    /// A session's access token (`Authorization: Bearer`).
    Session,
    /// The server operator's token (`--metrics-token`).
    Operator,
    /// An Open311 `api_key` (form field or query parameter).
    ApiKey,
}

/// What a request carries, or a response answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    /// JSON described by the named component schema.
    Json(&'static str),
    /// The sync protocol's binary message described by the named component schema.
    Sync(&'static str),
    /// Raw bytes (photos).
    Bytes,
    /// `application/x-www-form-urlencoded`, Open311's POST.
    Form,
    /// Open311: JSON or XML, by the path's suffix.
    Open311,
    Text,
    EventStream,
}

/// One route and method.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    pub method: &'static str,
    pub path: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub auth: Auth,
    pub query: &'static [&'static str],
    pub request: Body,
    /// The success status and what it answers.
    pub status: u16,
    pub response: Body,
}

const fn op(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    auth: Auth,
) -> Operation {
    Operation {
        method,
        path,
        tag,
        summary,
        auth,
        query: &[],
        request: Body::None,
        status: 200,
        response: Body::Json("Object"),
    }
}

impl Operation {
    const fn query(mut self, q: &'static [&'static str]) -> Self {
        self.query = q;
        self
    }
    const fn request(mut self, b: Body) -> Self {
        self.request = b;
        self
    }
    const fn answers(mut self, status: u16, b: Body) -> Self {
        self.status = status;
        self.response = b;
        self
    }
}

const OPEN311_READ: &[&str] = &["jurisdiction_id", "locale", "api_key"];
const OPEN311_REQUESTS: &[&str] = &[
    "service_request_id",
    "service_code",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "extensions",
    "jurisdiction_id",
    "locale",
    "api_key",
];

pub const OPERATIONS: &[Operation] = &[
    // Operator.
    op(
        "get",
        "/health",
        "operator",
        "Liveness: the server answers.",
        Auth::None,
    ),
    op(
        "get",
        "/health/detail",
        "operator",
        "Database, disk and counts.",
        Auth::Operator,
    ),
    op(
        "get",
        "/metrics",
        "operator",
        "Prometheus counters (no personal data in labels).",
        Auth::Operator,
    )
    .answers(200, Body::Text),
    op(
        "get",
        "/v1/directory",
        "operator",
        "The institutions and units directory.",
        Auth::None,
    ),
    op(
        "get",
        "/openapi.json",
        "operator",
        "This document.",
        Auth::None,
    ),
    // Sessions.
    op(
        "post",
        "/v1/auth/login",
        "sessions",
        "Sign in an account on a device.",
        Auth::None,
    )
    .request(Body::Json("Login"))
    .answers(200, Body::Json("Session")),
    op(
        "post",
        "/v1/auth/device",
        "sessions",
        "Continue as a citizen without an account.",
        Auth::None,
    )
    .request(Body::Json("Device"))
    .answers(200, Body::Json("Session")),
    op(
        "post",
        "/v1/auth/refresh",
        "sessions",
        "Rotate a refresh token for a new pair.",
        Auth::None,
    )
    .request(Body::Json("Refresh"))
    .answers(200, Body::Json("Session")),
    op(
        "post",
        "/v1/auth/logout",
        "sessions",
        "Sign this device out.",
        Auth::Session,
    )
    .answers(204, Body::None),
    // Sync.
    op(
        "post",
        "/v1/sync",
        "sync",
        "One round of the sync protocol (version 5).",
        Auth::Session,
    )
    .request(Body::Sync("SyncRequest"))
    .answers(200, Body::Sync("SyncResponse")),
    op(
        "get",
        "/v1/events",
        "sync",
        "Live updates: an event whenever something this user may see changed.",
        Auth::Session,
    )
    .answers(200, Body::EventStream),
    // Photos.
    op(
        "get",
        "/v1/photos/{sha}",
        "photos",
        "A photo's bytes, to whoever may see a complaint that shows it.",
        Auth::Session,
    )
    .answers(200, Body::Bytes),
    op(
        "head",
        "/v1/photos/{sha}",
        "photos",
        "How much of a photo the server has (Upload-Offset).",
        Auth::Session,
    )
    .answers(200, Body::None),
    op(
        "put",
        "/v1/photos/{sha}",
        "photos",
        "One chunk of a photo at Upload-Offset of Upload-Length.",
        Auth::Session,
    )
    .request(Body::Bytes)
    .answers(200, Body::None),
    // Reporters.
    op(
        "get",
        "/v1/complaints/{id}/reporter",
        "reporters",
        "The reporter's contact, to whoever may know it.",
        Auth::Session,
    )
    .answers(200, Body::Json("ReporterContact")),
    op(
        "put",
        "/v1/complaints/{id}/reporter",
        "reporters",
        "Give the reporter's contact (whoever filed it).",
        Auth::Session,
    )
    .request(Body::Json("ReporterContact"))
    .answers(204, Body::None),
    op(
        "delete",
        "/v1/complaints/{id}/reporter",
        "reporters",
        "Forget the reporter's contact on request.",
        Auth::Session,
    )
    .answers(204, Body::None),
    // Figures.
    op(
        "get",
        "/v1/figures",
        "figures",
        "The figures for a period, by a dimension.",
        Auth::Session,
    )
    .query(&["from", "to", "by", "institution"]),
    // Public.
    op(
        "get",
        "/v1/public/complaints",
        "public",
        "Public complaints, newest first.",
        Auth::None,
    )
    .query(&["area", "category", "page", "lang"]),
    op(
        "get",
        "/v1/track/{tracking_id}",
        "public",
        "A complaint's public view by its tracking id.",
        Auth::None,
    )
    .query(&["lang"]),
    // Administration.
    op(
        "post",
        "/v1/admin/accounts",
        "admin",
        "Create an account.",
        Auth::Session,
    )
    .request(Body::Json("Object"))
    .answers(201, Body::None),
    op(
        "post",
        "/v1/admin/accounts/{id}/disable",
        "admin",
        "Disable an account.",
        Auth::Session,
    )
    .answers(204, Body::None),
    op(
        "post",
        "/v1/admin/accounts/{id}/move",
        "admin",
        "Move an officer to another institution or unit.",
        Auth::Session,
    )
    .request(Body::Json("Object"))
    .answers(204, Body::None),
    op(
        "post",
        "/v1/admin/accounts/{id}/area",
        "admin",
        "Set or clear a field cadre's kelurahan: {\"area\": \"73.71.10.1005\"} or {\"area\": null}.",
        Auth::Session,
    )
    .request(Body::Json("Object"))
    .answers(204, Body::None),
    op(
        "get",
        "/v1/notifications/preferences",
        "notifications",
        "The caller's notification preferences: language, e-mail address, and each kind on each channel.",
        Auth::Session,
    )
    .answers(200, Body::Json("Object")),
    op(
        "put",
        "/v1/notifications/preferences",
        "notifications",
        "Replace the caller's notification preferences; answers them as stored.",
        Auth::Session,
    )
    .request(Body::Json("Object"))
    .answers(200, Body::Json("Object")),
    op(
        "get",
        "/v1/notifications/audit",
        "notifications",
        "Each delivery or attempt (when, to whom, channel, kind, outcome; no message text): one's own, or anyone's (?account=) for the national administrator.",
        Auth::Session,
    )
    .query(&["account"])
    .answers(200, Body::Json("Object")),
    op(
        "get",
        "/v1/admin/security-log",
        "admin",
        "The security log, newest first.",
        Auth::Session,
    )
    .query(&["before", "limit"]),
    op(
        "get",
        "/v1/admin/open311/keys",
        "admin",
        "Open311 API keys (never the keys).",
        Auth::Session,
    ),
    op(
        "post",
        "/v1/admin/open311/keys",
        "admin",
        "Issue an Open311 API key; the key is shown once.",
        Auth::Session,
    )
    .request(Body::Json("NewOpen311Key"))
    .answers(201, Body::Json("IssuedOpen311Key")),
    op(
        "post",
        "/v1/admin/open311/keys/{id}/revoke",
        "admin",
        "Revoke an Open311 API key.",
        Auth::Session,
    )
    .answers(204, Body::None),
    op(
        "get",
        "/v1/admin/open311/keys/{id}/uses",
        "admin",
        "An Open311 key's uses, newest first.",
        Auth::Session,
    )
    .query(&["limit"]),
    // Bridging.
    op("post", "/v1/admin/bridge/import", "bridge", "Import another system's export (JSON, or CSV as text/csv); records already imported are skipped.", Auth::Session)
        .request(Body::Json("BridgeRecords"))
        .answers(200, Body::Json("Object")),
    op("get", "/v1/bridge/export", "bridge", "Export what this account may see as JSON, CSV or GeoJSON.", Auth::Session)
        .query(&["format", "status", "institution", "category", "area", "system"]),
    // Open311 GeoReport v2.
    op(
        "get",
        "/open311/v2/discovery.json",
        "open311",
        "Service discovery.",
        Auth::None,
    )
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/discovery.xml",
        "open311",
        "Service discovery.",
        Auth::None,
    )
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/services.json",
        "open311",
        "Services: the category tree.",
        Auth::None,
    )
    .query(OPEN311_READ)
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/services.xml",
        "open311",
        "Services: the category tree.",
        Auth::None,
    )
    .query(OPEN311_READ)
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/services/{service_code}",
        "open311",
        "A service definition; the code ends in .json or .xml.",
        Auth::None,
    )
    .query(OPEN311_READ)
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/requests.json",
        "open311",
        "Service requests: public complaints.",
        Auth::None,
    )
    .query(OPEN311_REQUESTS)
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/requests.xml",
        "open311",
        "Service requests: public complaints.",
        Auth::None,
    )
    .query(OPEN311_REQUESTS)
    .answers(200, Body::Open311),
    op(
        "post",
        "/open311/v2/requests.json",
        "open311",
        "File a service request.",
        Auth::ApiKey,
    )
    .request(Body::Form)
    .answers(201, Body::Open311),
    op(
        "post",
        "/open311/v2/requests.xml",
        "open311",
        "File a service request.",
        Auth::ApiKey,
    )
    .request(Body::Form)
    .answers(201, Body::Open311),
    op(
        "get",
        "/open311/v2/requests/{service_request_id}",
        "open311",
        "One service request; the id ends in .json or .xml.",
        Auth::None,
    )
    .query(OPEN311_REQUESTS)
    .answers(200, Body::Open311),
    op(
        "get",
        "/open311/v2/tokens/{token}",
        "open311",
        "The request id a token stands for; the token ends in .json or .xml.",
        Auth::None,
    )
    .query(OPEN311_READ)
    .answers(200, Body::Open311),
];

/// The path's `{name}` parameters.
pub fn path_params(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

fn content(body: Body) -> Option<Value> {
    let schema = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    Some(match body {
        Body::None => return None,
        Body::Json(name) => json!({ "application/json": { "schema": schema(name) } }),
        Body::Sync(name) => json!({ "application/octet-stream": {
            "schema": { "type": "string", "contentMediaType": "application/octet-stream" },
            "x-aduan-logical-schema": schema(name),
        }}),
        Body::Bytes => json!({ "application/octet-stream": {
            "schema": { "type": "string", "contentMediaType": "application/octet-stream" }
        }}),
        Body::Form => json!({ "application/x-www-form-urlencoded": {
            "schema": schema("Open311NewRequest")
        }}),
        Body::Open311 => json!({
            "application/json": { "schema": {} },
            "text/xml": { "schema": { "type": "string" } },
        }),
        Body::Text => json!({ "text/plain": { "schema": { "type": "string" } } }),
        Body::EventStream => json!({ "text/event-stream": { "schema": { "type": "string" } } }),
    })
}

fn operation(o: &Operation) -> Value {
    let mut parameters: Vec<Value> = path_params(o.path)
        .into_iter()
        .map(|p| json!({ "name": p, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    parameters.extend(o.query.iter().map(
        |q| json!({ "name": q, "in": "query", "required": false, "schema": { "type": "string" } }),
    ));
    let error = if o.response == Body::Open311 {
        json!({ "description": "Refused: errors as GeoReport v2 writes them.", "content": content(Body::Open311) })
    } else {
        json!({ "description": "Refused, with a stable code and the reason in English and Indonesian.",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
    };
    let mut success = Map::new();
    success.insert("description".into(), json!(o.summary));
    if let Some(c) = content(o.response) {
        success.insert("content".into(), c);
    }
    let mut v = json!({
        "summary": o.summary,
        "operationId": format!("{}{}", o.method, o.path.replace(['/', '{', '}', '.', '-'], "_")),
        "tags": [o.tag],
        "responses": {
            o.status.to_string(): Value::Object(success),
            "4XX": error,
        },
    });
    if !parameters.is_empty() {
        v["parameters"] = Value::Array(parameters);
    }
    if let Some(c) = content(o.request) {
        v["requestBody"] = json!({ "required": true, "content": c });
    }
    match o.auth {
        Auth::None => {}
        Auth::Session => v["security"] = json!([{ "session": [] }]),
        Auth::Operator => v["security"] = json!([{ "operator": [] }]),
        Auth::ApiKey => v["security"] = json!([{ "open311_key": [] }]),
    }
    v
}

fn object(properties: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": properties, "required": required })
}

fn schemas() -> Value {
    let text = json!({ "type": "string" });
    let int = json!({ "type": "integer", "minimum": 0 });
    let bytes =
        json!({ "type": "array", "items": { "type": "integer", "minimum": 0, "maximum": 255 } });
    let heads = json!({ "type": "array", "items": bytes.clone() });
    json!({
        "Object": { "type": "object" },
        "BridgeRecords": { "type": "array", "items": { "type": "object",
            "description": "One complaint in the bridging shape (services/bridge.rs): system, reference, category, kind, title, description, latitude, longitude, address, province, city, kecamatan, kelurahan, anonymous, confidential, reporter_name, reporter_phone, reporter_email.",
            "required": ["system", "reference", "category", "description"] } },
        "Error": object(json!({ "code": text, "message_en": text, "message_id": text }),
                        &["code", "message_en", "message_id"]),
        "Login": object(json!({ "account_id": text, "password": text, "device_id": text }),
                        &["account_id", "password", "device_id"]),
        "Device": object(json!({ "device_id": text }), &["device_id"]),
        "Refresh": object(json!({ "refresh_token": text }), &["refresh_token"]),
        "Session": object(json!({ "access_token": text, "refresh_token": text,
                                  "access_expires_at": { "type": "integer" }, "device_id": text,
                                  "identity": { "type": "object" } }),
                          &["access_token", "refresh_token", "access_expires_at", "device_id", "identity"]),
        "ReporterContact": object(json!({ "name": text, "phone": text, "email": text }), &["name"]),
        "NewOpen311Key": object(json!({ "system": text, "channel": { "enum": ["bridged", "sms", "call_centre", "desk"] },
                                        "institution_id": text, "per_hour": { "type": "integer", "minimum": 1 } }),
                                &["system"]),
        "IssuedOpen311Key": object(json!({ "id": text, "key": text, "account_id": text }), &["id", "key", "account_id"]),
        "Open311NewRequest": object(json!({
            "api_key": text, "service_code": text, "lat": text, "long": text, "address_string": text,
            "address_id": text, "email": text, "device_id": text, "account_id": text,
            "first_name": text, "last_name": text, "phone": text, "description": text,
            "media_url": text, "external_id": text, "locale": text, "jurisdiction_id": text,
        }), &["api_key", "service_code", "description"]),
        // The sync messages, field by field in their encoded order (postcard: varints and
        // length-prefixed bytes, no names), after one version byte and, when smaller, a
        // Zstandard frame primed with the protocol's dictionary (core/src/sync/protocol.rs).
        "SyncRequest": object(json!({
            "version": int, "cursor": int,
            "uploads": { "type": "array", "items": { "$ref": "#/components/schemas/DocUpload" } },
            "resync": { "type": "array", "items": text },
            "max_response_bytes": int, "ack": int,
            "notices_after": { "type": "integer", "description": "The highest notification id the phone stores (those up to it count as delivered); 2^64-1 from a phone that takes none. Appended to version 5: absent from older requests." },
        }), &["version", "cursor", "uploads", "resync", "max_response_bytes", "ack", "notices_after"]),
        "DocUpload": object(json!({ "doc_id": text, "changes": { "type": "array", "items": bytes } }),
                            &["doc_id", "changes"]),
        "SyncResponse": object(json!({
            "version": int, "cursor": int, "more": { "type": "boolean" },
            "accepted": { "type": "array", "items": int, "description": "Positions of the uploads admitted." },
            "refused": { "type": "array", "items": { "$ref": "#/components/schemas/Refused" } },
            "downloads": { "type": "array", "items": { "$ref": "#/components/schemas/DocDownload" } },
            "revoked": { "type": "array", "items": text },
            "owned": { "type": "array", "items": text },
            "round": int,
            "notices": { "type": "array", "items": { "$ref": "#/components/schemas/Notice" },
                         "description": "The user's notifications above the request's notices_after, oldest first. Appended to version 5." },
        }), &["version", "cursor", "more", "accepted", "refused", "downloads", "revoked", "owned", "round", "notices"]),
        "Notice": object(json!({
            "id": int, "kind": text, "complaint_id": text,
            "params": { "type": "string", "description": "The notification's parameters as JSON (tracking id, status, deadline, counts); never rendered text." },
            "created_at": int,
        }), &["id", "kind", "complaint_id", "params", "created_at"]),
        "Refused": object(json!({ "doc_id": text, "code": text, "message_id": text, "message_en": text }),
                          &["doc_id", "code", "message_id", "message_en"]),
        "DocDownload": object(json!({ "doc_id": text, "data": bytes, "heads": heads }),
                              &["doc_id", "data", "heads"]),
    })
}

/// The whole document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for o in OPERATIONS {
        let entry = paths.entry(o.path.to_string()).or_insert_with(|| json!({}));
        entry[o.method] = operation(o);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Aduan sync server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Phones sync complaints here (the binary sync protocol at /v1/sync); the public, the desk and other systems (Open311 GeoReport v2 at /open311/v2) read and file through the rest.",
            "license": { "name": "MPL-2.0", "identifier": "MPL-2.0" },
        },
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "session": { "type": "http", "scheme": "bearer", "description": "A session's access token (/v1/auth/login, /v1/auth/device)." },
                "operator": { "type": "http", "scheme": "bearer", "description": "The server operator's token (--metrics-token)." },
                "open311_key": { "type": "apiKey", "in": "query", "name": "api_key", "description": "An Open311 API key, as a form field of the POST (or a query parameter)." },
            },
        },
    })
}
