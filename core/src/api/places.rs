//! Places and who handles them, for the apps and the desk: the administrative areas this
//! device keeps, the unit a village's complaints go to, and earlier complaints that may be the
//! same problem.

use crate::api::ffi::AduanStore;
use crate::api::records::ComplaintDraft;
use crate::catalog::{Area, AreaScope, RouteReason};
use crate::error::AduanError;
use crate::store::similar::{DuplicateCandidate, DuplicateQuery};
use crate::types::{Location, Millis};

/// An administrative area with its Kemendagri code.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct AreaView {
    pub code: String,
    pub name: String,
    /// "province", "regency", "district" or "village".
    pub level: String,
    /// A village that is a kelurahan (an urban village with its own office), not a desa.
    pub kelurahan: bool,
}

impl From<&Area> for AreaView {
    fn from(a: &Area) -> Self {
        AreaView {
            code: a.code.clone(),
            name: a.name.clone(),
            level: format!("{:?}", a.level()).to_lowercase(),
            kelurahan: a.is_kelurahan(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct RouteSuggestion {
    pub institution_id: String,
    pub institution_name: String,
    /// None: the institution itself, which has no unit for the place.
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    /// "kelurahan" (the village's own office), "category" (handles the category),
    /// "kecamatan" (the district's office) or "institution".
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Routing {
    /// The village the location names, when this device knows it.
    pub village: Option<AreaView>,
    /// Best first; empty when no government in this directory governs the place.
    pub suggestions: Vec<RouteSuggestion>,
}

#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DuplicateSuggestion {
    pub complaint_id: String,
    pub tracking_id: String,
    pub title: String,
    /// None when matched by kelurahan because a position was missing.
    pub distance_m: Option<f64>,
    /// Share of the new text's words the earlier complaint also uses (0 to 1).
    pub similarity: f64,
    pub created_at: Millis,
}

impl From<DuplicateCandidate> for DuplicateSuggestion {
    fn from(c: DuplicateCandidate) -> Self {
        DuplicateSuggestion {
            complaint_id: c.complaint_id,
            tracking_id: c.tracking_id,
            title: c.title,
            distance_m: c.distance_m,
            similarity: c.similarity,
            created_at: c.created_at,
        }
    }
}

#[uniffi::export]
impl AduanStore {
    /// Keeps the districts and villages of the whole country (a desk), or only those of the
    /// regions this device's directory governs (a phone: the default).
    pub fn use_whole_country_areas(&self, whole: bool) {
        let _ = self.with_store(|s| {
            s.set_area_scope(whole.then_some(AreaScope::Whole));
            Ok(())
        });
    }

    /// The areas directly below `code` ("" for the provinces), as this device keeps them: a
    /// phone has every province and regency but only its own regions' districts and villages.
    pub fn areas_under(&self, code: String) -> Vec<AreaView> {
        self.with_store(|s| {
            Ok(s.areas()
                .children(code.trim())
                .into_iter()
                .map(AreaView::from)
                .collect())
        })
        .unwrap_or_default()
    }

    /// Who should handle a complaint in `category_id` about `location`: its village's
    /// kelurahan office first, then the units handling the category, then the kecamatan.
    pub fn suggest_routing(&self, location: Location, category_id: String) -> Routing {
        self.with_store(|s| {
            let (village, routes) = s.route(&location, &category_id);
            let suggestions = routes
                .into_iter()
                .filter_map(|r| {
                    let inst = s.directory.institution(&r.institution_id)?;
                    let unit = r.unit_id.as_deref().and_then(|u| s.directory.unit(u));
                    Some(RouteSuggestion {
                        institution_id: inst.id.clone(),
                        institution_name: inst.name.clone(),
                        unit_id: r.unit_id.clone(),
                        unit_name: unit.map(|(_, u)| u.name.clone()),
                        reason: match r.reason {
                            RouteReason::Kelurahan => "kelurahan",
                            RouteReason::Category => "category",
                            RouteReason::Kecamatan => "kecamatan",
                            RouteReason::Institution => "institution",
                        }
                        .into(),
                    })
                })
                .collect();
            Ok(Routing {
                village: village.as_ref().map(AreaView::from),
                suggestions,
            })
        })
        .unwrap_or(Routing {
            village: None,
            suggestions: Vec::new(),
        })
    }

    /// Complaints filed in the last weeks that may be the one being drafted: the same
    /// category, within about 250 m (or the same kelurahan without a position), similar words.
    pub fn suggest_duplicates(
        &self,
        draft: ComplaintDraft,
    ) -> Result<Vec<DuplicateSuggestion>, AduanError> {
        self.with_store(|s| {
            let query = DuplicateQuery {
                category: draft.category_id,
                latitude: draft.location.latitude,
                longitude: draft.location.longitude,
                kelurahan: draft.location.kelurahan,
                text: format!("{} {}", draft.title, draft.description),
                exclude_id: None,
                at: s.now(),
            };
            Ok(s.suggest_duplicates(&query)?
                .into_iter()
                .map(DuplicateSuggestion::from)
                .collect())
        })
    }

    /// The same for a complaint already filed (for the administrator who verifies it):
    /// earlier complaints it may repeat, compared as of when it was filed.
    pub fn suggest_duplicates_of(
        &self,
        id: String,
    ) -> Result<Vec<DuplicateSuggestion>, AduanError> {
        self.with_store(|s| {
            let id = s.resolve(&id)?;
            let report = s.load(&id)?.report;
            let query = DuplicateQuery {
                category: report.category,
                latitude: report.location.latitude,
                longitude: report.location.longitude,
                kelurahan: report.location.kelurahan,
                text: format!("{} {}", report.title, report.description),
                exclude_id: Some(id),
                at: report.created_at,
            };
            Ok(s.suggest_duplicates(&query)?
                .into_iter()
                .map(DuplicateSuggestion::from)
                .collect())
        })
    }
}

/// The great-circle distance in metres between two points (what `ComplaintFilter::near` and
/// `SortOrder::Nearest` measure), for an app to show "350 m away".
#[uniffi::export]
pub fn distance_metres(latitude: f64, longitude: f64, to_latitude: f64, to_longitude: f64) -> f64 {
    crate::store::index::distance_m(latitude, longitude, to_latitude, to_longitude)
}
