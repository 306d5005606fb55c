//! Where areas are: each village's point (its centroid, from the geografis package, see
//! `data/AREAS.md`), and a district's, city's or province's as the mean of its villages'. What
//! maps draw without any map service: a report placed at its village when it has no
//! coordinates or must not show them (the public view), and the plain base under the pins.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

use super::areas::within;
use super::CatalogError;

const BUNDLED_POINTS: &[u8] = include_bytes!("../../data/area-points.tsv.zst");

/// A place in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
}

/// The villages' points by Kemendagri code.
#[derive(Debug, Default)]
pub struct AreaPoints {
    villages: BTreeMap<String, Point>,
    source: String,
}

impl AreaPoints {
    /// The bundled points of every village in the country.
    pub fn bundled() -> Result<AreaPoints, CatalogError> {
        let decoder =
            zstd::stream::read::Decoder::new(BUNDLED_POINTS).map_err(|e| CatalogError::Json {
                reason: format!("area points do not decompress: {e}"),
            })?;
        Self::read(BufReader::new(decoder))
    }

    /// Reads the generator's text (scripts/areas/points.mjs): `#` lines, then `code\tlat\tlon`.
    pub fn read(reader: impl BufRead) -> Result<AreaPoints, CatalogError> {
        let mut out = AreaPoints::default();
        let mut declared = None;
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| CatalogError::Json {
                reason: format!("area points line {}: {e}", n + 1),
            })?;
            if let Some(meta) = line.strip_prefix('#') {
                match meta.split_once('\t') {
                    Some(("source", s)) => out.source = s.to_string(),
                    Some(("count", c)) => declared = c.parse::<usize>().ok(),
                    _ => {}
                }
                continue;
            }
            let bad = || CatalogError::Invalid {
                reason: format!("area points line {}", n + 1),
            };
            let mut parts = line.split('\t');
            let (Some(code), Some(lat), Some(lon), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            let point = Point {
                latitude: lat.parse().map_err(|_| bad())?,
                longitude: lon.parse().map_err(|_| bad())?,
            };
            if !(-90.0..=90.0).contains(&point.latitude)
                || !(-180.0..=180.0).contains(&point.longitude)
            {
                return Err(bad());
            }
            out.villages.insert(code.to_string(), point);
        }
        if declared != Some(out.villages.len()) {
            return Err(CatalogError::Invalid {
                reason: format!(
                    "area points: {} read, {declared:?} declared",
                    out.villages.len()
                ),
            });
        }
        Ok(out)
    }

    /// Where the data came from (package and version).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The point of an area of any level: a village's own, else the mean of the villages
    /// within it; `None` when none of them is known.
    pub fn point(&self, code: &str) -> Option<Point> {
        if let Some(p) = self.villages.get(code) {
            return Some(*p);
        }
        let inside = self.within(code);
        if inside.is_empty() {
            return None;
        }
        let n = inside.len() as f64;
        Some(Point {
            latitude: inside.iter().map(|(_, p)| p.latitude).sum::<f64>() / n,
            longitude: inside.iter().map(|(_, p)| p.longitude).sum::<f64>() / n,
        })
    }

    /// The villages within `code` (a district, city or province), with their points.
    pub fn within(&self, code: &str) -> Vec<(&str, Point)> {
        let prefix = format!("{code}.");
        self.villages
            .range(prefix.clone()..)
            .take_while(|(c, _)| c.starts_with(&prefix))
            .filter(|(c, _)| within(c, code))
            .map(|(c, p)| (c.as_str(), *p))
            .collect()
    }

    /// The villages whose points lie in a box (degrees, bounds included).
    pub fn in_box(&self, south: f64, north: f64, west: f64, east: f64) -> Vec<(&str, Point)> {
        self.villages
            .iter()
            .filter(|(_, p)| {
                (south..=north).contains(&p.latitude) && (west..=east).contains(&p.longitude)
            })
            .map(|(c, p)| (c.as_str(), *p))
            .collect()
    }

    /// How many villages have a point.
    pub fn len(&self) -> usize {
        self.villages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.villages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_points_place_makassars_villages_in_makassar() {
        let points = AreaPoints::bundled().unwrap();
        assert!(points.len() > 80_000, "{}", points.len());
        assert!(points.source().starts_with("geografis@"));
        // Kota Makassar lies around 5.1° S, 119.4° E; all its villages within a few km of it.
        let city = points.point("73.71").unwrap();
        assert!((city.latitude + 5.15).abs() < 0.1, "{city:?}");
        assert!((city.longitude - 119.43).abs() < 0.1, "{city:?}");
        let villages = points.within("73.71");
        assert!(villages.len() >= 140, "{}", villages.len());
        for (code, p) in villages {
            assert!(
                (p.latitude - city.latitude).abs() < 0.2
                    && (p.longitude - city.longitude).abs() < 0.2,
                "{code} {p:?}"
            );
        }
        // A district is within its city, and its point is its villages' mean.
        let district = points.point("73.71.10").unwrap();
        assert!((district.latitude - city.latitude).abs() < 0.1);
        assert!(points.point("99.99").is_none());
        assert!(
            points.within("73.7").is_empty(),
            "a code prefix is not an area"
        );
        let around = points.in_box(
            city.latitude - 0.02,
            city.latitude + 0.02,
            city.longitude - 0.02,
            city.longitude + 0.02,
        );
        assert!(!around.is_empty() && around.iter().all(|(c, _)| c.starts_with("73.71.")));
    }

    #[test]
    fn bad_lines_and_counts_are_refused() {
        for text in [
            "#count\t1\n73.71.10.1001\t-5.2\n",
            "#count\t1\n73.71.10.1001\tx\t119.4\n",
            "#count\t1\n73.71.10.1001\t-95\t119.4\n",
            "#count\t2\n73.71.10.1001\t-5.2\t119.4\n",
        ] {
            assert!(AreaPoints::read(text.as_bytes()).is_err(), "{text}");
        }
        let ok = AreaPoints::read("#count\t1\n73.71.10.1001\t-5.2\t119.4\n".as_bytes()).unwrap();
        assert_eq!(ok.point("73.71.10").unwrap().latitude, -5.2);
    }
}
