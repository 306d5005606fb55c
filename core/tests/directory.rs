//! The real directory: Indonesia's administrative areas from the idn-area-data package,
//! villages routed to their kelurahan office, and duplicates suggested while filing.

mod common;

use aduan_core::catalog::{AreaLevel, Areas, Directory, Zone};
use common::*;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[test]
fn national_data_has_38_provinces_514_regencies_and_all_their_districts_and_villages() {
    let areas = Areas::bundled_whole().unwrap();
    assert_eq!(areas.source, "idn-area-data@4.0.1");
    assert_eq!(areas.count(AreaLevel::Province), 38);
    assert_eq!(areas.count(AreaLevel::Regency), 514);
    assert_eq!(areas.count(AreaLevel::District), 7_285);
    assert_eq!(areas.count(AreaLevel::Village), 83_762);
    assert_eq!(
        areas.declared,
        [38, 514, 7_285, 83_762],
        "as the data set states"
    );
    // Every province has its time zone, so every regional government's deadlines are known.
    for p in areas.children("") {
        assert!(Zone::of_province(&p.name).is_some(), "{}", p.name);
    }
    assert_eq!(areas.get("73.71").unwrap().name, "Kota Makassar");
    let makassar_villages: Vec<_> = areas
        .all()
        .iter()
        .filter(|a| a.level() == AreaLevel::Village && a.code.starts_with("73.71."))
        .collect();
    assert_eq!(makassar_villages.len(), 153, "Makassar's 153 kelurahan");
    assert!(makassar_villages.iter().all(|v| v.is_kelurahan()));
    let path: Vec<&str> = areas
        .path("73.71.10.1004")
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(
        path,
        ["Sulawesi Selatan", "Kota Makassar", "Tamalate", "Mangasa"]
    );
}

#[test]
fn a_phone_keeps_only_the_villages_of_its_directorys_regions() {
    let directory = Directory::bundled_sample();
    assert_eq!(directory.area_scope(), ["73.71", "64.72"]);
    let slice = Areas::bundled_slice(&directory.area_scope()).unwrap();
    // Every province and regency, for pickers; districts and villages of its regions only.
    assert_eq!(slice.count(AreaLevel::Province), 38);
    assert_eq!(slice.count(AreaLevel::Regency), 514);
    assert_eq!(slice.count(AreaLevel::District), 15 + 10);
    assert!(slice
        .all()
        .iter()
        .filter(|a| a.level() == AreaLevel::Village)
        .all(|v| v.code.starts_with("73.71.") || v.code.starts_with("64.72.")));
    assert!(slice.get("73.71.10.1004").is_some());
    assert!(slice.get("11.01.01.2001").is_none(), "not an Aceh village");
    // What the library carries for the whole country, compressed.
    assert!(
        Areas::bundled_bytes() < 500_000,
        "{}",
        Areas::bundled_bytes()
    );
}

#[test]
fn every_makassar_kelurahan_has_an_office_with_its_village_code() {
    let areas = Areas::bundled_whole().unwrap();
    let directory = Directory::bundled_sample();
    let makassar = directory.institution("kota-makassar").unwrap();
    assert_eq!(makassar.area.as_deref(), Some("73.71"));
    for village in areas
        .all()
        .iter()
        .filter(|a| a.level() == AreaLevel::Village && a.code.starts_with("73.71."))
    {
        let offices: Vec<_> = makassar
            .units
            .iter()
            .filter(|u| u.area.as_deref() == Some(village.code.as_str()))
            .collect();
        assert_eq!(offices.len(), 1, "{} {}", village.code, village.name);
        // Its kecamatan office serves the village's district.
        let kecamatan = directory
            .unit(offices[0].parent.as_deref().unwrap())
            .unwrap()
            .1;
        assert_eq!(kecamatan.area.as_deref(), village.parent_code());
    }
}

#[test]
fn village_routed_to_its_kelurahan_office() {
    let p = phone(citizen(), wita(2026, 3, 2, 9));
    let mut place = draft("Sampah menumpuk").location;
    place.kelurahan = "Mangasa".into();
    let routing = p.suggest_routing(place.clone(), "lingkungan.sampah".into());
    assert_eq!(routing.village.as_ref().unwrap().code, "73.71.10.1004");
    let first = &routing.suggestions[0];
    assert_eq!(first.institution_id, "kota-makassar");
    assert_eq!(
        first.unit_id.as_deref(),
        Some("kota-makassar.kel-tamalate-mangasa")
    );
    assert_eq!(first.reason, "kelurahan");
    let rest: Vec<(&str, &str)> = routing.suggestions[1..]
        .iter()
        .map(|s| (s.unit_id.as_deref().unwrap(), s.reason.as_str()))
        .collect();
    assert_eq!(
        rest,
        [
            ("kota-makassar.dlh", "category"),
            ("kota-makassar.kec-tamalate", "kecamatan")
        ]
    );

    // Kemendagri's spelling finds the office the directory spells otherwise.
    place.kelurahan = "Kelurahan Bara Baraya Timur".into();
    place.kecamatan = "Makassar".into();
    let routing = p.suggest_routing(place.clone(), "pu.drainase".into());
    assert_eq!(
        routing.suggestions[0].unit_id.as_deref(),
        Some("kota-makassar.kel-makassar-bara-baraya-timur")
    );

    // A village this phone does not keep is left to the national desk.
    place.kelurahan = "Keude Bakongan".into();
    let routing = p.suggest_routing(place, "pu.drainase".into());
    assert!(routing.village.is_none());
    assert!(routing.suggestions.is_empty());
}

#[test]
fn the_desk_with_the_whole_country_finds_any_village() {
    let p = phone(national_admin(), wib(2026, 3, 2, 9));
    p.use_whole_country_areas(true);
    let mut place = draft("x").location;
    place.kelurahan = "Keude Bakongan".into();
    place.kecamatan = "Bakongan".into();
    let routing = p.suggest_routing(place, "pu.drainase".into());
    assert_eq!(routing.village.unwrap().code, "11.01.01.2001");
    assert!(
        routing.suggestions.is_empty(),
        "no Aceh government in this directory"
    );
    assert_eq!(p.areas_under("".into()).len(), 38);
    assert_eq!(p.areas_under("73.71".into()).len(), 15);
    assert_eq!(
        p.areas_under("11.01".into()).len(),
        18,
        "Aceh Selatan's districts"
    );
    // Back to a phone's slice: Aceh's districts are not kept.
    p.use_whole_country_areas(false);
    assert!(p.areas_under("11.01".into()).is_empty());
}

const SAME_WORDS: &str = "Selokan tersumbat sampah, air meluap ke jalan setiap hujan.";

/// A complaint in Mangasa filed at the phone's time, `metres_north` of the draft's position.
fn file(p: &Phone, metres_north: f64, category: &str, title: &str, description: &str) -> String {
    let mut d = draft(title);
    d.description = description.into();
    d.category_id = category.into();
    d.location.latitude = d
        .location
        .latitude
        .map(|lat| lat + metres_north / 111_320.0);
    p.create_complaint(d).unwrap().summary.id
}

#[test]
fn duplicate_suggested_for_same_category_nearby_recent_similar_text() {
    let day0 = wita(2026, 3, 2, 9);
    let p = phone(citizen(), day0);
    let first = file(
        &p,
        150.0,
        "pu.drainase",
        "Selokan tersumbat di Mangasa",
        "Selokan tersumbat, air meluap ke jalan.",
    );
    p.set_clock(Some(day0 + 10 * DAY_MS));
    let mut again = draft("Selokan tersumbat lagi");
    again.description = "Air selokan meluap ke jalan, sampah menyumbat.".into();
    let found = p.suggest_duplicates(again.clone()).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].complaint_id, first);
    let distance = found[0].distance_m.unwrap();
    assert!((140.0..160.0).contains(&distance), "{distance}");
    assert!(found[0].similarity >= 0.3);

    // An operator with no position, only the kelurahan the caller names, is shown it too.
    again.location.latitude = None;
    again.location.longitude = None;
    assert_eq!(p.suggest_duplicates(again).unwrap()[0].complaint_id, first);

    // The administrator verifying the later one sees the earlier one, and not the reverse.
    p.set_clock(Some(day0 + 11 * DAY_MS));
    let later = file(&p, 0.0, "pu.drainase", "Selokan tersumbat", SAME_WORDS);
    let of_later = p.suggest_duplicates_of(later).unwrap();
    assert_eq!(of_later.len(), 1);
    assert_eq!(of_later[0].complaint_id, first);
    assert!(p.suggest_duplicates_of(first).unwrap().is_empty());
}

#[test]
fn not_suggested_when_far_or_old() {
    let day0 = wita(2026, 3, 2, 9);
    let p = phone(citizen(), day0);
    file(&p, 600.0, "pu.drainase", "Selokan tersumbat", SAME_WORDS);
    file(
        &p,
        50.0,
        "lingkungan.sampah",
        "Selokan tersumbat",
        SAME_WORDS,
    );
    file(
        &p,
        50.0,
        "pu.drainase",
        "Lampu padam",
        "Lampu jalan padam sejak seminggu.",
    );
    p.set_clock(Some(day0 + 40 * DAY_MS));
    file(&p, 0.0, "pu.drainase", "Selokan tersumbat", SAME_WORDS);
    let fresh = draft("Selokan tersumbat");
    // Far, another category, other words, or filed after: none of them.
    p.set_clock(Some(day0 + 2 * DAY_MS));
    let recent = p.suggest_duplicates(fresh.clone()).unwrap();
    assert!(recent.is_empty(), "{recent:?}");
    // A near one with the same words, but from before the last four weeks.
    p.set_clock(Some(day0 - 40 * DAY_MS));
    let old = file(&p, 20.0, "pu.drainase", "Selokan tersumbat", SAME_WORDS);
    p.set_clock(Some(day0 - 39 * DAY_MS));
    assert_eq!(
        p.suggest_duplicates(fresh.clone()).unwrap()[0].complaint_id,
        old
    );
    p.set_clock(Some(day0 + 2 * DAY_MS));
    assert!(p.suggest_duplicates(fresh).unwrap().is_empty());
}

/// The desk reads complaints from the server's documents, not a phone's index: the same rule
/// in memory (`similar::suggest_among`) must find what the phone's full-text search finds.
#[test]
fn the_rule_in_memory_finds_what_the_phones_search_finds() {
    use aduan_core::store::similar::{suggest_among, DuplicateQuery, Earlier};
    let day0 = wita(2026, 3, 2, 9);
    let p = phone(citizen(), day0);
    // (metres north, category, title, description)
    let filed = [
        (
            150.0,
            "pu.drainase",
            "Selokan tersumbat di Mangasa",
            "Selokan tersumbat, air meluap ke jalan.",
        ),
        (
            40.0,
            "pu.drainase",
            "Got mampet",
            "Sampah menyumbat got, baunya menyengat.",
        ),
        (600.0, "pu.drainase", "Selokan tersumbat", SAME_WORDS),
        (30.0, "lingkungan.sampah", "Selokan tersumbat", SAME_WORDS),
        (
            20.0,
            "pu.drainase",
            "Selokan penuh sampah",
            "Air selokan meluap, sampah menumpuk.",
        ),
    ];
    let ids: Vec<String> = filed
        .iter()
        .map(|(north, category, title, description)| file(&p, *north, category, title, description))
        .collect();
    p.set_clock(Some(day0 + 5 * DAY_MS));
    let mut again = draft("Selokan tersumbat lagi");
    again.description = "Air selokan meluap ke jalan, sampah menyumbat.".into();
    let on_phone = p.suggest_duplicates(again.clone()).unwrap();
    assert!(on_phone.len() >= 2, "{on_phone:?}");
    let base = draft("");
    let earlier: Vec<Earlier> = filed
        .iter()
        .zip(&ids)
        .map(|((north, category, title, description), id)| Earlier {
            complaint_id: id,
            tracking_id: aduan_core::model::tracking_id(id),
            category,
            title,
            description,
            latitude: base.location.latitude.map(|lat| lat + north / 111_320.0),
            longitude: base.location.longitude,
            kelurahan: "Mangasa",
            created_at: day0,
            open: true,
        })
        .collect();
    let query = DuplicateQuery {
        category: again.category_id.clone(),
        latitude: again.location.latitude,
        longitude: again.location.longitude,
        kelurahan: again.location.kelurahan.clone(),
        text: format!("{} {}", again.title, again.description),
        exclude_id: None,
        at: day0 + 5 * DAY_MS,
    };
    let in_memory = suggest_among(&query, earlier.clone());
    let key = |c: &[aduan_core::api::places::DuplicateSuggestion]| -> Vec<(String, String)> {
        c.iter()
            .map(|d| (d.complaint_id.clone(), format!("{:.3}", d.similarity)))
            .collect()
    };
    let memory_key: Vec<(String, String)> = in_memory
        .iter()
        .map(|d| (d.complaint_id.clone(), format!("{:.3}", d.similarity)))
        .collect();
    assert_eq!(memory_key, key(&on_phone));
    // Closed ones are not suggested.
    let closed = earlier.into_iter().map(|e| Earlier { open: false, ..e });
    assert!(suggest_among(&query, closed).is_empty());
}
