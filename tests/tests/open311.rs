//! The Open311 GeoReport v2 door (issue 16, item 1) against the real server binary: every
//! endpoint in JSON and XML, shaped as the specification's own examples are
//! (wiki.open311.org/GeoReport_v2), API keys issued and revoked by the national administrator,
//! and only the public view leaving through it.

use aduan_core::api::records::*;
use aduan_core::types::Location;
use aduan_e2e::{draft, Phone, Server};
use serde_json::Value;

struct Answer {
    status: u16,
    content_type: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        assert!(
            self.content_type.starts_with("application/json"),
            "{}",
            self.content_type
        );
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The XML document, with its declaration checked as the specification asks.
    fn xml(&self) -> roxmltree::Document<'_> {
        assert!(
            self.content_type.starts_with("text/xml"),
            "{}",
            self.content_type
        );
        assert!(
            self.body
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{}",
            self.body
        );
        roxmltree::Document::parse(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

fn answer(resp: reqwest::blocking::Response) -> Answer {
    Answer {
        status: resp.status().as_u16(),
        content_type: resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default(),
        body: resp.text().unwrap(),
    }
}

fn get(server: &Server, path: &str) -> Answer {
    answer(
        reqwest::blocking::Client::new()
            .get(format!("{}/open311/v2/{path}", server.url))
            .send()
            .unwrap(),
    )
}

fn post(server: &Server, path: &str, form: &[(&str, &str)]) -> Answer {
    answer(
        reqwest::blocking::Client::new()
            .post(format!("{}/open311/v2/{path}", server.url))
            .form(form)
            .send()
            .unwrap(),
    )
}

/// The text of `parent`'s child element `name`.
fn child<'a>(parent: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    parent
        .children()
        .find(|n| n.has_tag_name(name))
        .map(|n| n.text().unwrap_or(""))
}

fn children<'a>(parent: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    parent.children().filter(|n| n.has_tag_name(name)).collect()
}

/// A key issued through the administrator's API: (id, key).
fn issue_key(server: &Server, admin: &Phone, body: Value) -> (String, String) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/admin/open311/keys", server.url))
        .bearer_auth(admin.session().access_token)
        .json(&body)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let v: Value = resp.json().unwrap();
    (
        v["id"].as_str().unwrap().to_string(),
        v["key"].as_str().unwrap().to_string(),
    )
}

const NAME: (&str, &str) = ("Daeng", "Rahmat");
const PHONE: &str = "0812-3456-7890";
const DESCRIPTION: &str = "Selokan depan rumah Pak Daeng di Jl. Kenari 7 tersumbat sampah";
const ADDRESS: &str = "Jl. Kenari 7";

/// The specification's POST example, with this server's service code and the area
/// attributes its definition lists.
fn request_form<'a>(key: &'a str, service_code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("api_key", key),
        ("service_code", service_code),
        ("lat", "-5.1712"),
        ("long", "119.4321"),
        ("address_string", ADDRESS),
        ("email", ""),
        ("device_id", "tt222111"),
        ("account_id", "123456"),
        ("first_name", NAME.0),
        ("last_name", NAME.1),
        ("phone", PHONE),
        ("description", DESCRIPTION),
        ("media_url", "http://example.org/photo.jpg"),
        ("attribute[kelurahan]", "Mangasa"),
        ("attribute[kecamatan]", "Tamalate"),
        ("attribute[city]", "Kota Makassar"),
        ("attribute[province]", "Sulawesi Selatan"),
    ]
}

/// Files one request in JSON; (service_request_id, token).
fn file(server: &Server, form: &[(&str, &str)]) -> (String, String) {
    let a = post(server, "requests.json", form);
    assert_eq!(a.status, 201, "{}", a.body);
    let v = a.json();
    let r = &v
        .as_array()
        .expect("a list, as the specification's example")[0];
    (
        r["service_request_id"].as_str().unwrap().to_string(),
        r["token"].as_str().unwrap().to_string(),
    )
}

#[test]
fn discovery_names_the_georeport_v2_endpoint_in_json_and_xml() {
    let server = Server::start();
    let j = get(&server, "discovery.json");
    assert_eq!(j.status, 200);
    let v = j.json();
    for field in ["changeset", "contact", "key_service"] {
        assert!(v[field].is_string(), "{field}: {v}");
    }
    let endpoint = &v["endpoints"][0];
    assert_eq!(
        endpoint["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert!(endpoint["url"].as_str().unwrap().ends_with("/open311/v2"));
    assert_eq!(endpoint["type"], "production");
    assert_eq!(
        endpoint["formats"],
        serde_json::json!(["text/xml", "application/json"])
    );

    let x = get(&server, "discovery.xml");
    let doc = x.xml();
    let root = doc.root_element();
    assert!(root.has_tag_name("discovery"));
    let endpoint = children(children(root, "endpoints")[0], "endpoint")[0];
    assert_eq!(
        child(endpoint, "specification"),
        Some("http://wiki.open311.org/GeoReport_v2")
    );
    let formats: Vec<_> = children(children(endpoint, "formats")[0], "format")
        .iter()
        .map(|n| n.text().unwrap())
        .collect();
    assert_eq!(formats, ["text/xml", "application/json"]);
}

#[test]
fn services_are_the_category_tree_in_the_asked_language() {
    let server = Server::start();
    let v = get(&server, "services.json?locale=en").json();
    let list = v.as_array().unwrap();
    let drainage = list
        .iter()
        .find(|s| s["service_code"] == "pu.drainase")
        .expect("every category is a service");
    for field in ["service_name", "description", "keywords", "group", "type"] {
        assert!(drainage[field].is_string(), "{field}: {drainage}");
    }
    assert_eq!(drainage["metadata"], true);
    assert_eq!(drainage["type"], "realtime");
    let english = drainage["service_name"].as_str().unwrap().to_string();

    let x = get(&server, "services.xml?jurisdiction_id=id");
    let doc = x.xml();
    assert!(doc.root_element().has_tag_name("services"));
    let services = children(doc.root_element(), "service");
    assert_eq!(services.len(), list.len());
    let drainase = services
        .iter()
        .find(|s| child(**s, "service_code") == Some("pu.drainase"))
        .unwrap();
    let indonesian = child(*drainase, "service_name").unwrap();
    assert_ne!(
        indonesian, english,
        "Indonesian by default, English when asked"
    );
    assert_eq!(child(*drainase, "metadata"), Some("true"));
}

#[test]
fn a_service_definition_lists_its_attributes_and_an_unknown_one_is_an_error() {
    let server = Server::start();
    let v = get(&server, "services/pu.drainase.json").json();
    assert_eq!(v["service_code"], "pu.drainase");
    let attrs = v["attributes"].as_array().unwrap();
    let kind = attrs.iter().find(|a| a["code"] == "kind").unwrap();
    assert_eq!(kind["datatype"], "singlevaluelist");
    assert_eq!(kind["variable"], true);
    assert_eq!(kind["required"], false);
    assert!(kind["order"].is_number());
    assert!(kind["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["key"] == "pengaduan" && x["name"].is_string()));
    assert!(attrs.iter().any(|a| a["code"] == "kelurahan"));

    let x = get(&server, "services/pu.drainase.xml");
    let doc = x.xml();
    let root = doc.root_element();
    assert!(root.has_tag_name("service_definition"));
    assert_eq!(child(root, "service_code"), Some("pu.drainase"));
    let attributes = children(children(root, "attributes")[0], "attribute");
    assert_eq!(attributes.len(), attrs.len());
    let kind = attributes
        .iter()
        .find(|a| child(**a, "code") == Some("kind"))
        .unwrap();
    assert!(!children(children(*kind, "values")[0], "value").is_empty());

    // Errors as the specification writes them, in the asked format.
    let e = get(&server, "services/no.such.service.json");
    assert_eq!(e.status, 404);
    assert_eq!(e.json()[0]["code"], 404);
    let e = get(&server, "services/no.such.service.xml");
    assert_eq!(e.status, 404);
    let doc = e.xml();
    let error = children(doc.root_element(), "error")[0];
    assert!(doc.root_element().has_tag_name("errors"));
    assert_eq!(child(error, "code"), Some("404"));
    assert!(child(error, "description").is_some());
}

#[test]
fn a_request_posted_with_a_key_becomes_a_bridged_complaint_the_national_desk_handles() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let (_, key) = issue_key(&server, &admin, serde_json::json!({"system": "Qlue"}));

    let a = post(&server, "requests.xml", &request_form(&key, "pu.drainase"));
    assert_eq!(a.status, 201, "{}", a.body);
    let doc = a.xml();
    assert!(doc.root_element().has_tag_name("service_requests"));
    let r = children(doc.root_element(), "request")[0];
    let id = child(r, "service_request_id").unwrap().to_string();
    let token = child(r, "token").unwrap().to_string();
    assert!(child(r, "service_notice").unwrap().contains(&id));
    assert!(id.starts_with("ADU-"), "{id}");

    // A real complaint, filed on the caller's behalf, that the workflow goes on with.
    admin.sync_ok();
    let found = admin
        .all()
        .into_iter()
        .find(|c| c.tracking_id == id)
        .expect("the national desk received it");
    let detail = admin.get(found.id.clone()).unwrap();
    let bridged = detail.bridged_from.expect("it records where it came from");
    assert!(
        bridged.contains("Qlue") && bridged.contains(&token),
        "{bridged}"
    );
    assert_eq!(detail.description, DESCRIPTION);
    assert_eq!(detail.location.kelurahan, "Mangasa");
    assert!(!detail.summary.anonymous, "the caller gave their name");
    admin
        .perform(
            found.id.clone(),
            WorkflowAction::Dispatch {
                institution_id: "kota-makassar".into(),
            },
            "diteruskan".into(),
            vec![],
        )
        .unwrap();
    admin.sync_ok();

    // The handling institution knows the caller, to call them back.
    let petugas = Phone::login(&server, "admin-makassar");
    petugas.sync_ok();
    let contact = petugas
        .reporter_contact(found.id.clone())
        .unwrap()
        .expect("the institution holding it may know the reporter");
    assert_eq!(contact.name, "Daeng Rahmat");

    let v = get(&server, &format!("requests/{id}.json?extensions=true")).json();
    let r = &v[0];
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "pu.drainase");
    assert!(r["agency_responsible"]
        .as_str()
        .unwrap()
        .contains("Makassar"));
    assert_eq!(r["extended_attributes"]["aduan_status"], "dispatched");
    assert_eq!(r["extended_attributes"]["institution_id"], "kota-makassar");
    assert!(r["extended_attributes"]["deadline"].is_string());
    assert!(r["expected_datetime"].as_str().unwrap().ends_with("+08:00"));
}

#[test]
fn filing_needs_a_valid_unrevoked_key() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let (key_id, key) = issue_key(&server, &admin, serde_json::json!({"system": "Qlue"}));

    let none = post(&server, "requests.json", &request_form("", "pu.drainase"));
    assert_eq!(none.status, 403);
    assert_eq!(none.json()[0]["code"], 403);
    let wrong = post(
        &server,
        "requests.xml",
        &request_form("o311_000000000000_deadbeef", "pu.drainase"),
    );
    assert_eq!(wrong.status, 403);
    assert!(wrong.xml().root_element().has_tag_name("errors"));

    // Unknown service, and no location: the specification's required fields.
    let unknown = post(&server, "requests.json", &request_form(&key, "no.such"));
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let mut nowhere = request_form(&key, "pu.drainase");
    nowhere.retain(|(k, _)| !matches!(*k, "lat" | "long" | "address_string"));
    assert_eq!(post(&server, "requests.json", &nowhere).status, 400);

    file(&server, &request_form(&key, "pu.drainase"));
    let resp = reqwest::blocking::Client::new()
        .post(format!(
            "{}/v1/admin/open311/keys/{key_id}/revoke",
            server.url
        ))
        .bearer_auth(admin.session().access_token)
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 204);
    let after = post(&server, "requests.json", &request_form(&key, "pu.drainase"));
    assert_eq!(after.status, 403, "a revoked key files nothing");

    // Only the national administrator issues keys.
    let warga = Phone::login(&server, "warga");
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/v1/admin/open311/keys", server.url))
        .bearer_auth(warga.session().access_token)
        .json(&serde_json::json!({"system": "Qlue"}))
        .send()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 403);
}

#[test]
fn get_requests_filters_and_pages_as_the_specification_says() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let (_, key) = issue_key(&server, &admin, serde_json::json!({"system": "Qlue"}));
    let (drain, _) = file(&server, &request_form(&key, "pu.drainase"));
    let (other, _) = file(&server, &request_form(&key, "pu.jalan"));

    // A confidential complaint from a phone never leaves through Open311.
    let warga = Phone::login(&server, "warga");
    let secret = warga
        .create_complaint(ComplaintDraft {
            confidential: true,
            location: Location {
                kelurahan: "Mangasa".into(),
                ..Location::default()
            },
            ..draft("Pungli", "pu.drainase")
        })
        .unwrap()
        .summary;
    warga.sync_ok();

    let ids = |a: Answer| -> Vec<String> {
        a.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["service_request_id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = ids(get(&server, "requests.json"));
    assert_eq!(all.len(), 2, "{all:?}");
    assert!(all.contains(&drain) && all.contains(&other));
    assert!(!all.contains(&secret.tracking_id));

    assert_eq!(
        ids(get(&server, "requests.json?service_code=pu.drainase")),
        [drain.clone()]
    );
    assert_eq!(
        ids(get(
            &server,
            &format!(
                "requests.json?service_request_id={drain},{}",
                secret.tracking_id
            )
        )),
        [drain.clone()]
    );
    assert_eq!(ids(get(&server, "requests.json?status=open")).len(), 2);
    assert!(ids(get(&server, "requests.json?status=closed")).is_empty());
    assert!(ids(get(
        &server,
        "requests.json?start_date=2010-01-01T00:00:00Z&end_date=2010-02-01T00:00:00Z"
    ))
    .is_empty());
    assert_eq!(
        ids(get(
            &server,
            "requests.json?start_date=2010-01-01T00:00:00Z&end_date=2999-01-01T00:00:00-05:00"
        ))
        .len(),
        2
    );
    // The paging extension: newest first, one at a time.
    let first = ids(get(&server, "requests.json?page_size=1&page=1"));
    let second = ids(get(&server, "requests.json?page_size=1&page=2"));
    assert_eq!((first.len(), second.len()), (1, 1));
    let mut both = [first[0].clone(), second[0].clone()];
    both.sort();
    let mut filed = [drain.clone(), other.clone()];
    filed.sort();
    assert_eq!(both, filed, "two pages, each request once");
    assert!(ids(get(&server, "requests.json?page_size=1&page=3")).is_empty());
    assert_eq!(
        get(&server, "requests.json?start_date=yesterday").status,
        400
    );
    assert_eq!(get(&server, "requests.json?status=maybe").status, 400);

    let x = get(&server, "requests.xml?service_code=pu.drainase");
    let doc = x.xml();
    assert!(doc.root_element().has_tag_name("service_requests"));
    let r = children(doc.root_element(), "request")[0];
    assert_eq!(child(r, "service_request_id"), Some(drain.as_str()));
    assert_eq!(child(r, "status"), Some("open"));
    assert_eq!(child(r, "service_code"), Some("pu.drainase"));
    assert!(child(r, "requested_datetime").unwrap().contains('T'));
    assert_eq!(
        child(r, "address"),
        Some("Mangasa, Tamalate, Kota Makassar, Sulawesi Selatan")
    );

    // The confidential one is unknown, by id and by token alike.
    let single = get(&server, &format!("requests/{}.json", secret.tracking_id));
    assert_eq!(single.status, 404);
}

#[test]
fn a_single_request_and_its_token_read_back_in_both_formats() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let (_, key) = issue_key(&server, &admin, serde_json::json!({"system": "Qlue"}));
    let (id, token) = file(&server, &request_form(&key, "pu.drainase"));

    let v = get(&server, &format!("requests/{id}.json")).json();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["service_request_id"], id.as_str());
    assert!(
        v[0].get("extended_attributes").is_none(),
        "extensions only when asked"
    );
    let x = get(&server, &format!("requests/{id}.xml"));
    let doc = x.xml();
    let r = children(doc.root_element(), "request")[0];
    assert_eq!(child(r, "service_request_id"), Some(id.as_str()));

    let v = get(&server, &format!("tokens/{token}.json")).json();
    assert_eq!(v[0]["service_request_id"], id.as_str());
    assert_eq!(v[0]["token"], token.as_str());
    let x = get(&server, &format!("tokens/{token}.xml"));
    let doc = x.xml();
    let r = children(doc.root_element(), "request")[0];
    assert_eq!(child(r, "service_request_id"), Some(id.as_str()));
    assert_eq!(child(r, "token"), Some(token.as_str()));
    assert_eq!(get(&server, "tokens/abcdef.json").status, 404);
    assert_eq!(get(&server, "requests/ADU-00000-00000.json").status, 404);
}

#[test]
fn nothing_personal_leaves_through_open311() {
    let server = Server::start();
    let admin = Phone::login(&server, "admin-nasional");
    let (key_id, key) = issue_key(&server, &admin, serde_json::json!({"system": "Qlue"}));
    let (id, token) = file(&server, &request_form(&key, "pu.drainase"));
    let mut seen = String::new();
    for path in [
        "requests.json?extensions=true".to_string(),
        "requests.xml?extensions=true".to_string(),
        format!("requests/{id}.json?extensions=true"),
        format!("requests/{id}.xml"),
        format!("tokens/{token}.json"),
    ] {
        seen.push_str(&get(&server, &path).body);
    }
    let uses = reqwest::blocking::Client::new()
        .get(format!(
            "{}/v1/admin/open311/keys/{key_id}/uses",
            server.url
        ))
        .bearer_auth(admin.session().access_token)
        .send()
        .unwrap()
        .text()
        .unwrap();
    seen.push_str(&uses);
    for private in [NAME.0, NAME.1, PHONE, "Kenari", "-5.1712", "119.4321"] {
        assert!(!seen.contains(private), "{private} leaked");
    }
}

#[test]
fn a_key_is_limited_per_hour_and_every_use_is_logged() {
    let server = Server::start();
    let out = server.manage_output(&["open311-key-add", "--system", "Lapor", "--per-hour", "2"]);
    // "key <id> for account <account>: <key>"
    let key = out.trim().rsplit(' ').next().unwrap().to_string();
    let key_id = out.split_whitespace().nth(1).unwrap().to_string();
    assert!(server
        .manage_output(&["open311-keys"])
        .contains(&format!("{key_id} Lapor bridged")));

    file(&server, &request_form(&key, "pu.drainase"));
    assert_eq!(
        get(&server, &format!("services.json?api_key={key}")).status,
        200
    );
    let third = post(&server, "requests.json", &request_form(&key, "pu.drainase"));
    assert_eq!(third.status, 429, "{}", third.body);
    assert_eq!(third.json()[0]["code"], 429);

    let admin = Phone::login(&server, "admin-nasional");
    let uses: Value = reqwest::blocking::Client::new()
        .get(format!(
            "{}/v1/admin/open311/keys/{key_id}/uses",
            server.url
        ))
        .bearer_auth(admin.session().access_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let outcomes: Vec<(String, String)> = uses["uses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["action"].as_str().unwrap().to_string(),
                u["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    assert!(outcomes.contains(&("create".into(), "ok".into())));
    assert!(outcomes.contains(&("services".into(), "ok".into())));
    assert!(outcomes.contains(&("create".into(), "rate_limited".into())));

    server.manage(&["open311-key-revoke", &key_id]);
    assert!(server
        .manage_output(&["open311-keys"])
        .contains(&format!("{key_id} Lapor bridged")));
    assert!(server.manage_output(&["open311-keys"]).contains("revoked"));
}
