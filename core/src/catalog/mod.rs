//! What complaints are about and who handles them: the category tree and the directory of
//! institutions and their units. Both ship as data files (a default tree and a Makassar sample
//! region) and load from JSON, so the server can hand a region's own directory to its phones.

pub mod areas;
pub mod points;

use serde::{Deserialize, Serialize};

use crate::model::event::valid_id;
pub use areas::{valid_area_code, Area, AreaLevel, AreaScope, Areas};

const BUNDLED_CATEGORIES: &str = include_str!("../../data/categories.json");
const BUNDLED_REGION: &str = include_str!("../../data/region-makassar.json");
const BUNDLED_NATIONAL_BODIES: &str = include_str!("../../data/national-bodies.json");

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogError {
    #[error("not valid JSON: {reason}")]
    Json { reason: String },
    #[error("invalid: {reason}")]
    Invalid { reason: String },
}

fn invalid(reason: impl Into<String>) -> CatalogError {
    CatalogError::Invalid {
        reason: reason.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: String,
    pub name_id: String,
    pub name_en: String,
    pub parent: Option<String>,
}

#[derive(Deserialize)]
struct CategoryNode {
    id: String,
    name_id: String,
    name_en: String,
    #[serde(default)]
    children: Vec<CategoryNode>,
}

#[derive(Deserialize)]
struct CategoryFile {
    categories: Vec<CategoryNode>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryTree {
    all: Vec<Category>,
}

impl CategoryTree {
    pub fn bundled() -> Self {
        Self::from_json(BUNDLED_CATEGORIES).unwrap_or_else(|e| {
            log::error!("bundled categories do not load: {e}");
            CategoryTree { all: Vec::new() }
        })
    }

    pub fn from_json(text: &str) -> Result<Self, CatalogError> {
        let file: CategoryFile = serde_json::from_str(text).map_err(|e| CatalogError::Json {
            reason: e.to_string(),
        })?;
        let mut all = Vec::new();
        fn walk(
            nodes: Vec<CategoryNode>,
            parent: Option<&str>,
            depth: usize,
            out: &mut Vec<Category>,
        ) -> Result<(), CatalogError> {
            if depth > 3 {
                return Err(invalid("categories nest deeper than 3 levels"));
            }
            for node in nodes {
                if !valid_id(&node.id) || node.id.chars().any(|c| c.is_ascii_uppercase()) {
                    return Err(invalid(format!("category id '{}'", node.id)));
                }
                if node.name_id.trim().is_empty() || node.name_en.trim().is_empty() {
                    return Err(invalid(format!("category '{}' has an empty name", node.id)));
                }
                if out.iter().any(|c: &Category| c.id == node.id) {
                    return Err(invalid(format!("category '{}' appears twice", node.id)));
                }
                out.push(Category {
                    id: node.id.clone(),
                    name_id: node.name_id,
                    name_en: node.name_en,
                    parent: parent.map(str::to_string),
                });
                walk(node.children, Some(&node.id), depth + 1, out)?;
            }
            Ok(())
        }
        walk(file.categories, None, 1, &mut all)?;
        if all.is_empty() {
            return Err(invalid("no categories"));
        }
        Ok(CategoryTree { all })
    }

    pub fn get(&self, id: &str) -> Option<&Category> {
        self.all.iter().find(|c| c.id == id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    pub fn top_level(&self) -> Vec<&Category> {
        self.all.iter().filter(|c| c.parent.is_none()).collect()
    }

    pub fn children(&self, id: &str) -> Vec<&Category> {
        self.all
            .iter()
            .filter(|c| c.parent.as_deref() == Some(id))
            .collect()
    }

    /// From the top category down to `id` (empty for an unknown id).
    pub fn path(&self, id: &str) -> Vec<&Category> {
        let mut path = Vec::new();
        let mut current = self.get(id);
        while let Some(c) = current {
            path.push(c);
            current = c.parent.as_deref().and_then(|p| self.get(p));
            if path.len() > 8 {
                break;
            }
        }
        path.reverse();
        path
    }

    pub fn all(&self) -> &[Category] {
        &self.all
    }

    /// `id` is `ancestor` or below it.
    pub fn is_within(&self, id: &str, ancestor: &str) -> bool {
        self.path(id).iter().any(|c| c.id == ancestor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionLevel {
    National,
    Ministry,
    /// A national agency or public body outside the ministries (BPS, BNPB, BPJS, Polri, ...).
    Agency,
    Regional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Opd,
    Kecamatan,
    Kelurahan,
    Bumd,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub kind: UnitKind,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    /// The Kemendagri code of the area it serves: a kelurahan office its village
    /// (`73.71.10.1005`), a kecamatan office its district (`73.71.10`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: String,
    pub name: String,
    pub level: InstitutionLevel,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub units: Vec<Unit>,
    /// Where its deadlines end at midnight. Directory files may leave it out: loading derives
    /// it from the province (national bodies and ministries sit in Jakarta, WIB).
    #[serde(default)]
    pub zone: Option<Zone>,
    /// Hours it has to respond to its field cadres' reports (24 when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadre_response_hours: Option<u32>,
    /// The Kemendagri code of the area a regional government governs (`73.71` for Kota
    /// Makassar); none for national bodies and ministries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The kelurahan where it has field cadres (Kemendagri codes; a wider code covers every
    /// kelurahan within it, `73.71` for all of Makassar's Pakandatto). Reports about them are
    /// due within its cadre hours, as its cadres' own are.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cadre_areas: Vec<String>,
}

impl Institution {
    pub fn zone(&self) -> Zone {
        self.zone.unwrap_or(Zone::Wib)
    }
}

/// Indonesia's three time zones. Every province lies wholly in one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    Wib,
    Wita,
    Wit,
}

impl Zone {
    pub fn utc_offset_hours(self) -> i8 {
        match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    pub fn from_offset_hours(hours: i8) -> Option<Zone> {
        [Zone::Wib, Zone::Wita, Zone::Wit]
            .into_iter()
            .find(|z| z.utc_offset_hours() == hours)
    }

    /// The zone of one of the 38 provinces, by its name in any case, with or without
    /// "Provinsi " (None for a name that is not a province).
    pub fn of_province(name: &str) -> Option<Zone> {
        let name = name.trim().to_lowercase();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let name = name.strip_prefix("provinsi ").unwrap_or(&name);
        const WIB: &[&str] = &[
            "aceh",
            "sumatera utara",
            "sumatera barat",
            "riau",
            "kepulauan riau",
            "jambi",
            "sumatera selatan",
            "kepulauan bangka belitung",
            "bangka belitung",
            "bengkulu",
            "lampung",
            "dki jakarta",
            "daerah khusus ibukota jakarta",
            "daerah khusus jakarta",
            "jakarta",
            "jawa barat",
            "banten",
            "jawa tengah",
            "di yogyakarta",
            "daerah istimewa yogyakarta",
            "yogyakarta",
            "jawa timur",
            "kalimantan barat",
            "kalimantan tengah",
        ];
        const WITA: &[&str] = &[
            "bali",
            "nusa tenggara barat",
            "nusa tenggara timur",
            "kalimantan selatan",
            "kalimantan timur",
            "kalimantan utara",
            "sulawesi utara",
            "gorontalo",
            "sulawesi tengah",
            "sulawesi barat",
            "sulawesi selatan",
            "sulawesi tenggara",
        ];
        const WIT: &[&str] = &[
            "maluku",
            "maluku utara",
            "papua",
            "papua barat",
            "papua barat daya",
            "papua selatan",
            "papua tengah",
            "papua pegunungan",
        ];
        [(WIB, Zone::Wib), (WITA, Zone::Wita), (WIT, Zone::Wit)]
            .into_iter()
            .find(|(names, _)| names.contains(&name))
            .map(|(_, zone)| zone)
    }
}

/// Why a unit is suggested for a complaint about a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteReason {
    /// The office of the village the complaint is about.
    Kelurahan,
    /// It handles the complaint's category.
    Category,
    /// The office of the village's district.
    Kecamatan,
    /// The government of the place, which has no unit for it.
    Institution,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub institution_id: String,
    pub unit_id: Option<String>,
    pub reason: RouteReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub region: String,
    pub institutions: Vec<Institution>,
}

/// A stated zone must agree with the province; an unknown province needs its zone stated, since
/// guessing would move its deadlines by an hour or two.
fn derive_zone(inst: &Institution) -> Result<Zone, CatalogError> {
    let province = inst.province.as_deref().filter(|p| !p.trim().is_empty());
    match (inst.zone, province.map(|p| (p, Zone::of_province(p)))) {
        (Some(stated), Some((p, Some(found)))) if stated != found => Err(invalid(format!(
            "institution '{}' is in {p} ({}) but states zone {}",
            inst.id,
            found.name(),
            stated.name()
        ))),
        (Some(stated), _) => Ok(stated),
        (None, Some((_, Some(found)))) => Ok(found),
        (None, Some((p, None))) => Err(invalid(format!(
            "institution '{}': province '{p}' is not known; state its zone (wib, wita or wit)",
            inst.id
        ))),
        // National bodies and ministries are in Jakarta; a region without a province keeps
        // the old single-zone default.
        (None, None) => Ok(Zone::Wib),
    }
}

impl Directory {
    pub fn bundled_sample() -> Self {
        Self::from_json(BUNDLED_REGION)
            .and_then(Self::with_national_bodies)
            .unwrap_or_else(|e| {
                log::error!("bundled directory does not load: {e}");
                Directory {
                    region: String::new(),
                    institutions: Vec::new(),
                }
            })
    }

    /// This directory with the national ministries and agencies (`data/national-bodies.json`)
    /// it does not list itself, so the national desk can dispatch to any of them whatever
    /// region a deployment serves. An institution the region lists (with its units) wins.
    pub fn with_national_bodies(mut self) -> Result<Self, CatalogError> {
        #[derive(Deserialize)]
        struct NationalBodies {
            institutions: Vec<Institution>,
        }
        let bodies: NationalBodies =
            serde_json::from_str(BUNDLED_NATIONAL_BODIES).map_err(|e| CatalogError::Json {
                reason: e.to_string(),
            })?;
        for inst in bodies.institutions {
            if self.institution(&inst.id).is_none() {
                self.institutions.push(inst);
            }
        }
        self.checked()
    }

    pub fn from_json(text: &str) -> Result<Self, CatalogError> {
        let dir: Directory = serde_json::from_str(text).map_err(|e| CatalogError::Json {
            reason: e.to_string(),
        })?;
        dir.checked()
    }

    /// Zones derived and every rule of a directory file checked.
    fn checked(mut self) -> Result<Self, CatalogError> {
        for inst in &mut self.institutions {
            inst.zone = Some(derive_zone(inst)?);
        }
        let mut ids = std::collections::HashSet::new();
        for inst in &self.institutions {
            if !valid_id(&inst.id) || inst.id.contains('.') {
                return Err(invalid(format!("institution id '{}'", inst.id)));
            }
            let areas = inst
                .area
                .iter()
                .chain(inst.units.iter().flat_map(|u| &u.area))
                .chain(&inst.cadre_areas);
            if let Some(bad) = areas.into_iter().find(|a| !valid_area_code(a)) {
                return Err(invalid(format!(
                    "'{bad}' in '{}' is not a Kemendagri area code",
                    inst.id
                )));
            }
            if !ids.insert(inst.id.as_str()) {
                return Err(invalid(format!("institution '{}' appears twice", inst.id)));
            }
            if inst
                .cadre_response_hours
                .is_some_and(|h| !(1..=24 * 30).contains(&h))
            {
                return Err(invalid(format!(
                    "institution '{}': cadre response hours must be 1 to 720",
                    inst.id
                )));
            }
            for unit in &inst.units {
                if !valid_id(&unit.id) || !crate::workflow::rules::unit_belongs(&unit.id, &inst.id)
                {
                    return Err(invalid(format!(
                        "unit '{}' must be '{}.<name>'",
                        unit.id, inst.id
                    )));
                }
                if !ids.insert(unit.id.as_str()) {
                    return Err(invalid(format!("unit '{}' appears twice", unit.id)));
                }
            }
            for unit in &inst.units {
                if let Some(parent) = &unit.parent {
                    if !inst.units.iter().any(|u| &u.id == parent) {
                        return Err(invalid(format!(
                            "unit '{}' names a parent '{parent}' that is not in '{}'",
                            unit.id, inst.id
                        )));
                    }
                }
            }
        }
        Ok(self)
    }

    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.id == id)
    }

    pub fn unit(&self, unit_id: &str) -> Option<(&Institution, &Unit)> {
        self.institutions
            .iter()
            .find_map(|i| i.units.iter().find(|u| u.id == unit_id).map(|u| (i, u)))
    }

    pub fn institutions(&self) -> &[Institution] {
        &self.institutions
    }

    /// Units of the institution that usually handle `category` (or one of its ancestors).
    pub fn suggest_units(
        &self,
        institution_id: &str,
        category_id: &str,
        categories: &CategoryTree,
    ) -> Vec<&Unit> {
        let Some(inst) = self.institution(institution_id) else {
            return Vec::new();
        };
        let path: Vec<&str> = categories
            .path(category_id)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        let mut scored: Vec<(usize, &Unit)> = inst
            .units
            .iter()
            .filter_map(|u| {
                // A unit naming the exact subcategory ranks above one naming its top category.
                u.categories
                    .iter()
                    .filter_map(|c| path.iter().position(|p| p == c))
                    .max()
                    .map(|depth| (depth, u))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0));
        scored.into_iter().map(|(_, u)| u).collect()
    }

    /// Kelurahan with this name (case-insensitive, with or without "Kelurahan ").
    pub fn kelurahan_named(&self, name: &str) -> Vec<(&Institution, &Unit)> {
        let want = name.trim().to_lowercase();
        let want = want.strip_prefix("kelurahan ").unwrap_or(&want).to_string();
        self.institutions
            .iter()
            .flat_map(|i| i.units.iter().map(move |u| (i, u)))
            .filter(|(_, u)| {
                u.kind == UnitKind::Kelurahan
                    && u.name
                        .to_lowercase()
                        .strip_prefix("kelurahan ")
                        .unwrap_or("")
                        == want
            })
            .collect()
    }

    /// The zone of the place a complaint is about: its institution's, or before it has one,
    /// that of the institution whose kelurahan it names (None when neither is known).
    pub fn zone_of_place(
        &self,
        institution: Option<&str>,
        kelurahan: Option<&str>,
    ) -> Option<Zone> {
        if let Some(inst) = institution.and_then(|i| self.institution(i)) {
            return Some(inst.zone());
        }
        let found = self.kelurahan_named(kelurahan.filter(|k| !k.trim().is_empty())?);
        match found.as_slice() {
            [(inst, _)] => Some(inst.zone()),
            _ => None,
        }
    }

    /// Checks a field cadre's area against the catalog: a village (`73.71.10.1005`) the
    /// catalog of administrative areas knows, within the area `institution` governs. The
    /// village's name, or why not (no personal data in either).
    pub fn check_cadre_area(
        &self,
        institution: Option<&str>,
        code: &str,
    ) -> Result<String, &'static str> {
        if !crate::model::report::village_code(code) {
            return Err("a cadre's area is a kelurahan's Kemendagri code, such as 73.71.10.1005");
        }
        let inst = institution
            .and_then(|i| self.institution(i))
            .ok_or("a cadre's area needs the cadre's institution")?;
        if let Some(governed) = &inst.area {
            if !areas::within(code, governed) {
                return Err("the kelurahan lies outside the area the institution governs");
            }
        }
        let regency: Vec<&str> = code.split('.').take(2).collect();
        let found = areas::Areas::bundled_slice(&[regency.join(".")])
            .map_err(|_| "the catalog of areas does not load")?;
        match found.get(code) {
            Some(area) => Ok(area.name.clone()),
            None => Err("no such kelurahan in the catalog of areas"),
        }
    }

    /// The areas the regional governments here govern: what a phone holding this directory
    /// keeps of the national districts and villages.
    pub fn area_scope(&self) -> Vec<String> {
        self.institutions
            .iter()
            .filter(|i| i.level == InstitutionLevel::Regional)
            .filter_map(|i| i.area.clone())
            .collect()
    }

    /// The regional government whose area holds `code` (the most specific one).
    pub fn institution_for_area(&self, code: &str) -> Option<&Institution> {
        self.institutions
            .iter()
            .filter(|i| i.level == InstitutionLevel::Regional)
            .filter(|i| i.area.as_deref().is_some_and(|a| areas::within(code, a)))
            .max_by_key(|i| i.area.as_deref().map_or(0, str::len))
    }

    /// Who should handle a complaint in `category` about the village (or district) `code`:
    /// the village's own kelurahan office first, then the units that handle the category, then
    /// the kecamatan office; the governing institution alone when it has none of these. Empty
    /// when no government here governs the place (the national desk routes it).
    pub fn route(&self, code: &str, category_id: &str, categories: &CategoryTree) -> Vec<Route> {
        let Some(inst) = self.institution_for_area(code) else {
            return Vec::new();
        };
        let mut routes: Vec<Route> = Vec::new();
        let push = |routes: &mut Vec<Route>, unit: Option<&Unit>, reason: RouteReason| {
            let unit_id = unit.map(|u| u.id.clone());
            if !routes.iter().any(|r| r.unit_id == unit_id) {
                routes.push(Route {
                    institution_id: inst.id.clone(),
                    unit_id,
                    reason,
                });
            }
        };
        let serving = |kind: UnitKind| {
            inst.units
                .iter()
                .filter(move |u| u.kind == kind)
                .filter(|u| u.area.as_deref().is_some_and(|a| areas::within(code, a)))
                .max_by_key(|u| u.area.as_deref().map_or(0, str::len))
        };
        if let Some(office) = serving(UnitKind::Kelurahan) {
            push(&mut routes, Some(office), RouteReason::Kelurahan);
        }
        for unit in self.suggest_units(&inst.id, category_id, categories) {
            push(&mut routes, Some(unit), RouteReason::Category);
        }
        if let Some(office) = serving(UnitKind::Kecamatan) {
            push(&mut routes, Some(office), RouteReason::Kecamatan);
        }
        if routes.is_empty() {
            push(&mut routes, None, RouteReason::Institution);
        }
        routes
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_tree_has_public_works_first_with_drainage_waste_floods_and_water() {
        let t = CategoryTree::bundled();
        assert_eq!(t.top_level()[0].id, "pu");
        for id in [
            "pu.drainase",
            "pu.banjir",
            "pu.air-bersih",
            "lingkungan.sampah",
            "lainnya",
        ] {
            assert!(t.contains(id), "{id}");
        }
        assert!(t.is_within("pu.drainase", "pu"));
        assert!(!t.is_within("pu.drainase", "lingkungan"));
        assert_eq!(t.path("pu.drainase").len(), 2);
    }

    #[test]
    fn duplicate_category_ids_are_refused() {
        let json = r#"{"categories":[{"id":"a","name_id":"A","name_en":"A","children":[{"id":"a","name_id":"B","name_en":"B"}]}]}"#;
        assert!(matches!(
            CategoryTree::from_json(json),
            Err(CatalogError::Invalid { .. })
        ));
        assert!(matches!(
            CategoryTree::from_json("{"),
            Err(CatalogError::Json { .. })
        ));
    }

    #[test]
    fn bundled_directory_has_makassar_kecamatan_and_kelurahan() {
        let d = Directory::bundled_sample();
        let mks = d.institution("kota-makassar").unwrap();
        let count = |k| mks.units.iter().filter(|u| u.kind == k).count();
        assert_eq!(count(UnitKind::Kecamatan), 15);
        assert!(count(UnitKind::Kelurahan) >= 150);
        assert_eq!(d.kelurahan_named("mangasa").len(), 1);
        assert_eq!(
            d.kelurahan_named("Kelurahan Mangasa")[0]
                .1
                .parent
                .as_deref(),
            Some("kota-makassar.kec-tamalate")
        );
        assert!(d.unit("kota-makassar.dpu").is_some());
    }

    #[test]
    fn waste_suggests_the_environment_department() {
        let d = Directory::bundled_sample();
        let t = CategoryTree::bundled();
        let units = d.suggest_units("kota-makassar", "lingkungan.sampah", &t);
        assert_eq!(units[0].id, "kota-makassar.dlh");
        let water = d.suggest_units("kota-makassar", "pu.air-bersih", &t);
        assert_eq!(
            water[0].id, "kota-makassar.pdam",
            "the exact subcategory ranks first"
        );
    }

    #[test]
    fn makassar_is_in_wita_and_the_national_desk_and_ministries_in_wib() {
        // The bundled file states no zones: they come from the provinces.
        assert!(!BUNDLED_REGION.contains("\"zone\""));
        let d = Directory::bundled_sample();
        assert_eq!(d.institution("kota-makassar").unwrap().zone(), Zone::Wita);
        assert_eq!(d.institution("lapor-nasional").unwrap().zone(), Zone::Wib);
        assert_eq!(d.institution("kemen-pu").unwrap().zone(), Zone::Wib);
        assert_eq!(
            d.zone_of_place(None, Some("Mangasa")),
            Some(Zone::Wita),
            "a kelurahan's place is its city's"
        );
        assert_eq!(d.zone_of_place(None, Some("")), None);
        // What it hands to phones states them, and loads back the same.
        assert_eq!(Directory::from_json(&d.to_json()).unwrap(), d);
        assert_eq!(Zone::of_province("PAPUA BARAT DAYA"), Some(Zone::Wit));
        assert_eq!(
            Zone::of_province("Provinsi Kalimantan Barat"),
            Some(Zone::Wib)
        );
        assert_eq!(Zone::of_province("Bali"), Some(Zone::Wita));
    }

    #[test]
    fn the_national_ministries_and_agencies_are_in_every_directory() {
        let d = Directory::bundled_sample();
        let count = |level| d.institutions().iter().filter(|i| i.level == level).count();
        // Perpres 139/2024: 48 ministries, Kementerian PU among them.
        assert_eq!(count(InstitutionLevel::Ministry), 48);
        assert!(count(InstitutionLevel::Agency) >= 30);
        for id in [
            "kemenkes",
            "kemendagri",
            "kemenpan-rb",
            "bnpb",
            "bpjs-kesehatan",
            "polri",
        ] {
            let inst = d.institution(id).unwrap_or_else(|| panic!("{id}"));
            assert_eq!(inst.zone(), Zone::Wib, "{id} sits in Jakarta");
        }
        // The region's own entry (with its units) wins over the national list's.
        let pu = d.institution("kemen-pu").unwrap();
        assert!(!pu.units.is_empty());
        assert_eq!(
            d.institutions()
                .iter()
                .filter(|i| i.id == "kemen-pu")
                .count(),
            1
        );
        // A deployment's own directory gets them too, and keeps its own.
        let own = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","province":"Bali"}]}"#;
        let d = Directory::from_json(own)
            .unwrap()
            .with_national_bodies()
            .unwrap();
        assert_eq!(d.institution("kota-x").unwrap().zone(), Zone::Wita);
        assert!(d.institution("kemenkes").is_some());
        assert_eq!(Directory::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn a_zone_that_contradicts_the_province_or_an_unknown_province_without_one_is_refused() {
        let wrong = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","province":"Sulawesi Selatan","zone":"wib"}]}"#;
        assert!(matches!(
            Directory::from_json(wrong),
            Err(CatalogError::Invalid { .. })
        ));
        let unknown = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","province":"Atlantis"}]}"#;
        assert!(Directory::from_json(unknown).is_err());
        let stated = unknown.replace(r#""Atlantis""#, r#""Atlantis","zone":"wit""#);
        let d = Directory::from_json(&stated).unwrap();
        assert_eq!(d.institution("kota-x").unwrap().zone(), Zone::Wit);
        let bad = unknown.replace(r#""Atlantis""#, r#""Papua","zone":"utc""#);
        assert!(matches!(
            Directory::from_json(&bad),
            Err(CatalogError::Json { .. })
        ));
    }

    #[test]
    fn an_area_that_is_not_a_kemendagri_code_is_refused() {
        let json = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","province":"Bali","area":"51.71","units":[{"id":"kota-x.kel-a","name":"Kelurahan A","kind":"kelurahan","area":"51.71.1.1001"}]}]}"#;
        assert!(matches!(
            Directory::from_json(json),
            Err(CatalogError::Invalid { .. })
        ));
        let fixed = json.replace("51.71.1.1001", "51.71.01.1001");
        let d = Directory::from_json(&fixed).unwrap();
        assert_eq!(d.area_scope(), ["51.71"]);
        assert_eq!(Directory::from_json(&d.to_json()).unwrap(), d);
    }

    #[test]
    fn a_unit_whose_parent_is_missing_is_refused() {
        let json = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","units":[{"id":"kota-x.kel-a","name":"Kelurahan A","kind":"kelurahan","parent":"kota-x.kec-b"}]}]}"#;
        assert!(matches!(
            Directory::from_json(json),
            Err(CatalogError::Invalid { .. })
        ));
        let foreign = r#"{"region":"x","institutions":[{"id":"kota-x","name":"X","level":"regional","units":[{"id":"kota-y.dpu","name":"D","kind":"opd"}]}]}"#;
        assert!(Directory::from_json(foreign).is_err());
    }
}
