//! HTTP for Open311 GeoReport v2 at `/open311/v2/` (JSON or XML, chosen by the `.json` /
//! `.xml` suffix as the specification says; XML when none is given), and the administrator's
//! API keys at `/v1/admin/open311/keys`. The logic is in `services::open311`; this file parses
//! the specification's parameters and writes its documents.

use aduan_core::api::public::PublicComplaint;
use aduan_core::catalog::Directory;
use aduan_core::types::{Language, Role};
use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

use super::blocking;
use super::extractor::{Authenticated, ClientAddress};
use crate::error::ApiError;
use crate::services::open311::{self as service, Attribute, Filed, NewKey, NewRequest, Service};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/discovery.json", get(discovery_json))
        .route("/open311/v2/discovery.xml", get(discovery_xml))
        .route("/open311/v2/services.json", get(services_json))
        .route("/open311/v2/services.xml", get(services_xml))
        .route("/open311/v2/services/{service_code}", get(definition))
        .route(
            "/open311/v2/requests.json",
            get(requests_json).post(create_json),
        )
        .route(
            "/open311/v2/requests.xml",
            get(requests_xml).post(create_xml),
        )
        .route("/open311/v2/requests/{service_request_id}", get(request))
        .route("/open311/v2/tokens/{token}", get(token))
        .route("/v1/admin/open311/keys", get(list_keys).post(issue_key))
        .route("/v1/admin/open311/keys/{id}/revoke", post(revoke_key))
        .route("/v1/admin/open311/keys/{id}/uses", get(key_uses))
}

// ---- documents in either format ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

/// A value the specification's documents hold, written as JSON or as XML.
pub enum Node {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    /// Named fields, in order.
    Obj(Vec<(&'static str, Node)>),
    /// A list; in XML each item is an element with this name.
    List(&'static str, Vec<Node>),
}

fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

fn opt(s: Option<String>) -> Node {
    s.map_or(Node::Null, Node::Text)
}

impl Node {
    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Text(s) => Value::String(s.clone()),
            Node::Int(i) => Value::from(*i),
            Node::Bool(b) => Value::Bool(*b),
            Node::Obj(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.json()))
                    .collect(),
            ),
            Node::List(_, items) => Value::Array(items.iter().map(Node::json).collect()),
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            Node::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("/>");
            }
            Node::Text(s) => element(out, name, &escape(s)),
            Node::Int(i) => element(out, name, &i.to_string()),
            Node::Bool(b) => element(out, name, if *b { "true" } else { "false" }),
            Node::Obj(fields) => {
                let mut inner = String::new();
                for (k, v) in fields {
                    v.xml(k, &mut inner);
                }
                element(out, name, &inner);
            }
            Node::List(item, items) => {
                let mut inner = String::new();
                for v in items {
                    v.xml(item, &mut inner);
                }
                element(out, name, &inner);
            }
        }
    }
}

fn element(out: &mut String, name: &str, inner: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(inner);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed in XML 1.0 at all: left out rather than break the document.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The document `node` as `format`; `root` names XML's root element.
pub fn render(format: Format, status: StatusCode, root: &str, node: &Node) -> Response {
    match format {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            node.json().to_string(),
        )
            .into_response(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
            node.xml(root, &mut out);
            (
                status,
                [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
                out,
            )
                .into_response()
        }
    }
}

/// An error as the specification writes it: a list of `{code, description}`, the code being
/// the HTTP status.
fn failure(format: Format, e: &ApiError) -> Response {
    let status = super::error::status(e.kind);
    if status.is_client_error() {
        tracing::info!(status = status.as_u16(), code = e.code, "open311 refused");
    }
    let node = Node::List(
        "error",
        vec![Node::Obj(vec![
            ("code", Node::Int(status.as_u16().into())),
            (
                "description",
                text(format!("{} ({})", e.message_en, e.code)),
            ),
        ])],
    );
    render(format, status, "errors", &node)
}

/// `pu.drainase.json` -> (`pu.drainase`, JSON); XML when there is no suffix.
pub fn split_format(s: &str) -> (&str, Format) {
    if let Some(base) = s.strip_suffix(".json") {
        (base, Format::Json)
    } else if let Some(base) = s.strip_suffix(".xml") {
        (base, Format::Xml)
    } else {
        (s, Format::Xml)
    }
}

fn now_ms() -> i64 {
    crate::storage::now_secs() * 1000
}

/// A time as the specification wants it: ISO 8601 with the place's offset.
fn datetime(ms: i64, offset_minutes: i32) -> Node {
    let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.to_offset(offset).format(&Rfc3339).ok())
        .map_or(Node::Null, Node::Text)
}

fn parse_datetime(s: &str, field: &'static str) -> Result<i64, ApiError> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .map(|t| (t.unix_timestamp_nanos() / 1_000_000) as i64)
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_input",
                format!("{field} is a W3C date and time, e.g. 2010-01-01T00:00:00Z."),
            )
        })
}

// ---- discovery -----------------------------------------------------------------------------

/// Bumped whenever what this endpoint answers changes.
const CHANGESET: &str = "2026-12-05T00:00:00Z";

fn discovery(headers: &HeaderMap, format: Format) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    let node = Node::Obj(vec![
        ("changeset", text(CHANGESET)),
        (
            "contact",
            text("Admin nasional Aduan / Aduan's national administrator"),
        ),
        (
            "key_service",
            text(
                "API keys are issued by the national administrator (POST /v1/admin/open311/keys).",
            ),
        ),
        (
            "endpoints",
            Node::List(
                "endpoint",
                vec![Node::Obj(vec![
                    (
                        "specification",
                        text("http://wiki.open311.org/GeoReport_v2"),
                    ),
                    ("url", text(format!("{scheme}://{host}/open311/v2"))),
                    ("changeset", text(CHANGESET)),
                    ("type", text("production")),
                    (
                        "formats",
                        Node::List("format", vec![text("text/xml"), text("application/json")]),
                    ),
                ])],
            ),
        ),
    ]);
    render(format, StatusCode::OK, "discovery", &node)
}

async fn discovery_json(headers: HeaderMap) -> Response {
    discovery(&headers, Format::Json)
}

async fn discovery_xml(headers: HeaderMap) -> Response {
    discovery(&headers, Format::Xml)
}

// ---- services ------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct Common {
    locale: Option<String>,
    jurisdiction_id: Option<String>,
    api_key: Option<String>,
}

impl Common {
    fn language(&self) -> Language {
        let _ = &self.jurisdiction_id;
        service::language(self.locale.as_deref())
    }
}

fn service_node(s: Service) -> Node {
    Node::Obj(vec![
        ("service_code", text(s.code)),
        ("service_name", text(s.name)),
        ("description", text(s.description)),
        ("metadata", Node::Bool(true)),
        ("type", text("realtime")),
        ("keywords", text("")),
        ("group", text(s.group)),
    ])
}

/// A read counts against its key when it names one, else against the client's address like
/// the other public reads.
fn count_read(
    state: &AppState,
    address: Option<std::net::IpAddr>,
    api_key: Option<&str>,
    action: &str,
) -> Result<(), ApiError> {
    match api_key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => {
            let key = service::admit(&state.db, k, action, now_ms())?;
            service::used(&state.db, &key, action, "ok", now_ms());
            Ok(())
        }
        None => state.meter.public_read(address),
    }
}

async fn services(
    state: AppState,
    address: Option<std::net::IpAddr>,
    q: Common,
    format: Format,
) -> Response {
    let st = state.clone();
    let key = q.api_key.clone();
    let counted = blocking(move || count_read(&st, address, key.as_deref(), "services")).await;
    if let Err(e) = counted {
        return failure(format, &e);
    }
    let list = service::services(q.language())
        .into_iter()
        .map(service_node)
        .collect();
    render(
        format,
        StatusCode::OK,
        "services",
        &Node::List("service", list),
    )
}

async fn services_json(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<Common>,
) -> Response {
    services(state, address, q, Format::Json).await
}

async fn services_xml(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<Common>,
) -> Response {
    services(state, address, q, Format::Xml).await
}

fn attribute_node(a: Attribute) -> Node {
    Node::Obj(vec![
        ("variable", Node::Bool(true)),
        ("code", text(a.code)),
        ("datatype", text(a.datatype)),
        ("required", Node::Bool(a.required)),
        ("datatype_description", Node::Null),
        ("order", Node::Int(a.order.into())),
        ("description", text(a.description)),
        (
            "values",
            Node::List(
                "value",
                a.values
                    .into_iter()
                    .map(|(k, n)| Node::Obj(vec![("key", text(k)), ("name", text(n))]))
                    .collect(),
            ),
        ),
    ])
}

async fn definition(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(file): Path<String>,
    Query(q): Query<Common>,
) -> Response {
    let (code, format) = split_format(&file);
    let code = code.to_string();
    let key = q.api_key.clone();
    let counted = blocking(move || count_read(&state, address, key.as_deref(), "definition")).await;
    if let Err(e) = counted {
        return failure(format, &e);
    }
    match service::definition(&code, q.language()) {
        Ok(attributes) => render(
            format,
            StatusCode::OK,
            "service_definition",
            &Node::Obj(vec![
                ("service_code", text(code)),
                (
                    "attributes",
                    Node::List(
                        "attribute",
                        attributes.into_iter().map(attribute_node).collect(),
                    ),
                ),
            ]),
        ),
        Err(e) => failure(format, &e),
    }
}

// ---- filing --------------------------------------------------------------------------------

/// Larger than any valid form (a description of 8,000 characters, escaped, and the rest).
const MAX_FORM_BYTES: usize = 64 * 1024;

fn parse_form(query: Option<&str>, body: &[u8]) -> Result<(String, NewRequest, Common), ApiError> {
    if body.len() > MAX_FORM_BYTES {
        return Err(ApiError::bad_request(
            "form_too_large",
            "The request is too large.",
        ));
    }
    let unreadable = || ApiError::bad_request("invalid_input", "The form is not readable.");
    let mut pairs: Vec<(String, String)> = match query {
        Some(q) => serde_urlencoded::from_str(q).map_err(|_| unreadable())?,
        None => Vec::new(),
    };
    pairs.extend(
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).map_err(|_| unreadable())?,
    );
    let mut form = NewRequest::default();
    let mut common = Common::default();
    let mut api_key = String::new();
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "api_key" => &mut api_key,
            "service_code" => &mut form.service_code,
            "lat" => form.lat.get_or_insert_with(String::new),
            "long" => form.long.get_or_insert_with(String::new),
            "address_string" => form.address_string.get_or_insert_with(String::new),
            "address_id" => form.address_id.get_or_insert_with(String::new),
            "email" => form.email.get_or_insert_with(String::new),
            "first_name" => form.first_name.get_or_insert_with(String::new),
            "last_name" => form.last_name.get_or_insert_with(String::new),
            "phone" => form.phone.get_or_insert_with(String::new),
            "description" => form.description.get_or_insert_with(String::new),
            "external_id" => form.external_id.get_or_insert_with(String::new),
            "locale" => common.locale.get_or_insert_with(String::new),
            "jurisdiction_id" => common.jurisdiction_id.get_or_insert_with(String::new),
            other => {
                if let Some(code) = other
                    .strip_prefix("attribute[")
                    .and_then(|c| c.strip_suffix(']'))
                {
                    form.attributes.push((code.to_string(), v));
                }
                // device_id, account_id, media_url and unknown fields: not kept.
                continue;
            }
        };
        *slot = v;
    }
    Ok((api_key, form, common))
}

fn filed_node(f: Filed) -> Node {
    Node::List(
        "request",
        vec![Node::Obj(vec![
            ("service_request_id", text(f.service_request_id)),
            ("token", text(f.token)),
            ("service_notice", text(f.service_notice)),
            ("account_id", Node::Null),
        ])],
    )
}

async fn create(
    state: AppState,
    address: Option<std::net::IpAddr>,
    query: Option<String>,
    body: Bytes,
    format: Format,
) -> Response {
    let answer = blocking(move || {
        let (api_key, form, common) = parse_form(query.as_deref(), &body)?;
        if api_key.trim().is_empty() {
            return Err(ApiError::forbidden(
                "api_key_required",
                "Filing a request needs an api_key.",
                "Mengirim laporan memerlukan api_key.",
            ));
        }
        let now = now_ms();
        let key = service::admit(&state.db, &api_key, "create", now)?;
        let filing = service::Filing {
            db: &state.db,
            live: &state.live,
            deadlines: &state.deadlines,
            meter: Some(&state.meter),
            address,
            now_ms: now,
        };
        let filed = service::file(&filing, &key, &form, common.language());
        let outcome = filed.as_ref().map_or_else(|e| e.code, |_| "ok");
        service::used(&state.db, &key, "create", outcome, now);
        filed
    })
    .await;
    match answer {
        Ok(filed) => render(
            format,
            StatusCode::CREATED,
            "service_requests",
            &filed_node(filed),
        ),
        Err(e) => failure(format, &e),
    }
}

async fn create_json(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    create(state, address, query, body, Format::Json).await
}

async fn create_xml(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    create(state, address, query, body, Format::Xml).await
}

// ---- reading -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RequestsQuery {
    service_request_id: Option<String>,
    service_code: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
    extensions: Option<String>,
    #[serde(flatten)]
    common: Common,
}

fn number(v: &Option<String>, field: &'static str, default: u32) -> Result<u32, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| {
            ApiError::bad_request("invalid_input", format!("{field} is a whole number."))
        }),
    }
}

fn extensions(v: &Option<String>) -> bool {
    v.as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("true") || s == "1")
}

/// A complaint as a service request: what its public view shows, nothing more (no
/// description, coordinates, address or photos: see `aduan_core::api::public`).
pub fn request_node(c: PublicComplaint, directory: &Directory, extended: bool) -> Node {
    let offset = c.utc_offset_minutes;
    let open = c.status.is_open();
    let reply = c.timeline.iter().rev().find_map(|s| s.reply.clone());
    let agency = c.institution_id.as_ref().map(|id| {
        directory
            .institution(id)
            .map_or_else(|| id.clone(), |i| i.name.clone())
    });
    let a = &c.area;
    let address = [&a.kelurahan, &a.kecamatan, &a.city, &a.province]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let mut fields = vec![
        ("service_request_id", text(c.tracking_id.clone())),
        ("status", text(if open { "open" } else { "closed" })),
        (
            "status_notes",
            text(reply.unwrap_or_else(|| c.status_label.clone())),
        ),
        ("service_name", text(c.category_label.clone())),
        ("service_code", text(c.category_id.clone())),
        ("description", Node::Null),
        ("agency_responsible", opt(agency)),
        ("service_notice", Node::Null),
        ("requested_datetime", datetime(c.created_at, offset)),
        ("updated_datetime", datetime(c.updated_at, offset)),
        (
            "expected_datetime",
            c.due_at.map_or(Node::Null, |d| datetime(d, offset)),
        ),
        (
            "address",
            if address.is_empty() {
                Node::Null
            } else {
                text(address)
            },
        ),
        ("address_id", Node::Null),
        ("zipcode", Node::Null),
        ("lat", Node::Null),
        ("long", Node::Null),
        ("media_url", Node::Null),
    ];
    if extended {
        // The extensions page's `extended_attributes`: what Open311's open/closed cannot say.
        fields.push((
            "extended_attributes",
            Node::Obj(vec![
                ("tracking_id", text(c.tracking_id)),
                ("aduan_status", text(c.status.code())),
                ("aduan_status_label", text(c.status_label)),
                ("kind", text(c.kind.code())),
                ("institution_id", opt(c.institution_id)),
                (
                    "deadline",
                    c.due_at.map_or(Node::Null, |d| datetime(d, offset)),
                ),
                ("overdue", Node::Bool(c.overdue)),
                ("zone", text(c.zone)),
                (
                    "timeline",
                    Node::List(
                        "step",
                        c.timeline
                            .into_iter()
                            .map(|s| {
                                Node::Obj(vec![
                                    ("at", datetime(s.at, offset)),
                                    ("action", text(s.action)),
                                    ("action_label", text(s.action_label)),
                                    ("by", text(s.by_label)),
                                    ("institution_id", opt(s.institution_id)),
                                    ("reply", opt(s.reply)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ]),
        ));
    }
    Node::Obj(fields)
}

async fn requests(
    state: AppState,
    address: Option<std::net::IpAddr>,
    q: RequestsQuery,
    format: Format,
) -> Response {
    let answer = blocking(move || {
        count_read(&state, address, q.common.api_key.as_deref(), "requests")?;
        let query = service::Query {
            service_request_id: q.service_request_id.clone(),
            service_code: q.service_code.clone(),
            start_ms: q
                .start_date
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_datetime(s, "start_date"))
                .transpose()?,
            end_ms: q
                .end_date
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_datetime(s, "end_date"))
                .transpose()?,
            status: q.status.clone(),
            page: number(&q.page, "page", 1)?,
            page_size: number(&q.page_size, "page_size", service::MAX_PAGE_SIZE)?,
        };
        let found = service::requests(
            &state.db,
            &state.deadlines,
            &query,
            q.common.language(),
            now_ms(),
        )?;
        let extended = extensions(&q.extensions);
        Ok(found
            .into_iter()
            .map(|c| request_node(c, &state.directory, extended))
            .collect::<Vec<_>>())
    })
    .await;
    match answer {
        Ok(list) => render(
            format,
            StatusCode::OK,
            "service_requests",
            &Node::List("request", list),
        ),
        Err(e) => failure(format, &e),
    }
}

async fn requests_json(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<RequestsQuery>,
) -> Response {
    requests(state, address, q, Format::Json).await
}

async fn requests_xml(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(q): Query<RequestsQuery>,
) -> Response {
    requests(state, address, q, Format::Xml).await
}

async fn request(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(file): Path<String>,
    Query(q): Query<RequestsQuery>,
) -> Response {
    let (id, format) = split_format(&file);
    let id = id.to_string();
    let answer = blocking(move || {
        count_read(&state, address, q.common.api_key.as_deref(), "request")?;
        let c = service::request(
            &state.db,
            &state.deadlines,
            &id,
            q.common.language(),
            now_ms(),
        )?;
        Ok(request_node(c, &state.directory, extensions(&q.extensions)))
    })
    .await;
    match answer {
        Ok(node) => render(
            format,
            StatusCode::OK,
            "service_requests",
            &Node::List("request", vec![node]),
        ),
        Err(e) => failure(format, &e),
    }
}

async fn token(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(file): Path<String>,
    Query(q): Query<Common>,
) -> Response {
    let (token, format) = split_format(&file);
    let token = token.to_string();
    let answer = blocking(move || {
        count_read(&state, address, q.api_key.as_deref(), "token")?;
        let id = service::token(&state.db, &token)?;
        Ok((id, token))
    })
    .await;
    match answer {
        Ok((id, token)) => render(
            format,
            StatusCode::OK,
            "service_requests",
            &Node::List(
                "request",
                vec![Node::Obj(vec![
                    ("service_request_id", text(id)),
                    ("token", text(token)),
                ])],
            ),
        ),
        Err(e) => failure(format, &e),
    }
}

// ---- keys, for the national administrator --------------------------------------------------

fn require_admin(who: &Authenticated) -> Result<(), ApiError> {
    if who.account.role == Role::NationalAdmin {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "admin_only",
            "Only a national administrator manages Open311 keys.",
            "Hanya admin nasional yang mengelola kunci Open311.",
        ))
    }
}

async fn issue_key(
    State(state): State<AppState>,
    who: Authenticated,
    Json(new): Json<NewKey>,
) -> Result<impl IntoResponse, ApiError> {
    require_admin(&who)?;
    let issued = blocking(move || {
        service::issue(
            &state.db,
            &state.directory,
            &new,
            Some(&who.account.id),
            now_ms(),
        )
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(issued),
    ))
}

async fn list_keys(
    State(state): State<AppState>,
    who: Authenticated,
) -> Result<impl IntoResponse, ApiError> {
    require_admin(&who)?;
    let keys = blocking(move || service::keys(&state.db)).await?;
    Ok(Json(serde_json::json!({ "keys": keys })))
}

async fn revoke_key(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    require_admin(&who)?;
    let done =
        blocking(move || service::revoke(&state.db, &id, Some(&who.account.id), now_ms())).await?;
    Ok(if done {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    })
}

#[derive(Deserialize)]
struct UsesQuery {
    limit: Option<u32>,
}

async fn key_uses(
    State(state): State<AppState>,
    who: Authenticated,
    Path(id): Path<String>,
    Query(q): Query<UsesQuery>,
) -> Result<impl IntoResponse, ApiError> {
    require_admin(&who)?;
    let uses = blocking(move || service::uses(&state.db, &id, q.limit.unwrap_or(100))).await?;
    Ok(Json(serde_json::json!({ "uses": uses })))
}
