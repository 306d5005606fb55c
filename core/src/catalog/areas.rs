//! Indonesia's administrative areas with their Kemendagri codes: provinces (`73`), regencies and
//! cities (`73.71`), districts (`73.71.10`) and villages (`73.71.10.1005`). The data comes from
//! the npm package idn-area-data, turned into `core/data/areas-id.tsv.zst` by
//! `scripts/areas.sh` (never typed by hand). The server and the desk load the whole country; a
//! phone loads a slice: every province and regency (a few hundred names, for pickers) and the
//! districts and villages of its own regions only.

use std::io::BufRead;

use super::{invalid, CatalogError};

const BUNDLED_AREAS: &[u8] = include_bytes!("../../data/areas-id.tsv.zst");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AreaLevel {
    Province,
    Regency,
    District,
    Village,
}

impl AreaLevel {
    fn of_code(code: &str) -> Option<AreaLevel> {
        let parts: Vec<&str> = code.split('.').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let level = match parts.as_slice() {
            [p] if digits(p, 2) => AreaLevel::Province,
            [p, r] if digits(p, 2) && digits(r, 2) => AreaLevel::Regency,
            [p, r, d] if digits(p, 2) && digits(r, 2) && digits(d, 2) => AreaLevel::District,
            [p, r, d, v] if digits(p, 2) && digits(r, 2) && digits(d, 2) && digits(v, 4) => {
                AreaLevel::Village
            }
            _ => return None,
        };
        Some(level)
    }
}

/// A Kemendagri area code of any level (`73`, `73.71`, `73.71.10` or `73.71.10.1005`).
pub fn valid_area_code(code: &str) -> bool {
    AreaLevel::of_code(code).is_some()
}

/// `code` is `ancestor` or lies within it.
pub fn within(code: &str, ancestor: &str) -> bool {
    code == ancestor
        || (code.starts_with(ancestor) && code.as_bytes().get(ancestor.len()) == Some(&b'.'))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub code: String,
    pub name: String,
}

impl Area {
    pub fn level(&self) -> AreaLevel {
        AreaLevel::of_code(&self.code).unwrap_or(AreaLevel::Village)
    }

    /// Kemendagri numbers a kelurahan 1xxx and a desa 2xxx.
    pub fn is_kelurahan(&self) -> bool {
        self.level() == AreaLevel::Village
            && self
                .code
                .rsplit('.')
                .next()
                .is_some_and(|v| v.starts_with('1'))
    }

    pub fn parent_code(&self) -> Option<&str> {
        self.code.rsplit_once('.').map(|(parent, _)| parent)
    }
}

/// Which districts and villages to keep: the whole country, or those within these codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AreaScope {
    Whole,
    Within(Vec<String>),
}

impl AreaScope {
    fn keeps(&self, code: &str, level: AreaLevel) -> bool {
        match self {
            AreaScope::Whole => true,
            _ if level <= AreaLevel::Regency => true,
            AreaScope::Within(codes) => codes.iter().any(|c| within(code, c)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Areas {
    /// Package and version the data came from (`idn-area-data@4.0.1`).
    pub source: String,
    /// What the data set itself says it holds, per level, before any slicing.
    pub declared: [usize; 4],
    /// By code: code order puts every area right before its own districts and villages.
    areas: Vec<Area>,
}

fn normalise(name: &str) -> String {
    let lower = name.trim().to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let joined = words.join(" ");
    for prefix in [
        "kelurahan ",
        "kel. ",
        "desa ",
        "kecamatan ",
        "kec. ",
        "kabupaten ",
        "kab. ",
        "kota ",
        "provinsi ",
    ] {
        if let Some(rest) = joined.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    joined
}

impl Areas {
    /// The bundled data, every level, the whole country (the server's and the desk's).
    pub fn bundled_whole() -> Result<Areas, CatalogError> {
        Self::from_compressed(BUNDLED_AREAS, &AreaScope::Whole)
    }

    /// The bundled data sliced for a phone: all provinces and regencies, and the districts and
    /// villages within `codes` only.
    pub fn bundled_slice(codes: &[String]) -> Result<Areas, CatalogError> {
        Self::from_compressed(BUNDLED_AREAS, &AreaScope::Within(codes.to_vec()))
    }

    /// Bytes of the bundled, compressed data (for the size the library carries).
    pub fn bundled_bytes() -> usize {
        BUNDLED_AREAS.len()
    }

    pub fn from_compressed(bytes: &[u8], scope: &AreaScope) -> Result<Areas, CatalogError> {
        let decoder = zstd::stream::read::Decoder::new(bytes).map_err(|e| CatalogError::Json {
            reason: format!("area data does not decompress: {e}"),
        })?;
        Self::read(std::io::BufReader::new(decoder), scope)
    }

    /// Reads the generator's text (see scripts/areas/generate.mjs), keeping what `scope` keeps.
    pub fn read(reader: impl BufRead, scope: &AreaScope) -> Result<Areas, CatalogError> {
        let mut source = String::new();
        let mut declared = [0usize; 4];
        let mut areas = Vec::new();
        // The codes of the province, regency and district the following lines belong to.
        let mut path: [String; 3] = Default::default();
        for (n, line) in reader.lines().enumerate() {
            let line = line.map_err(|e| CatalogError::Json {
                reason: format!("area data line {}: {e}", n + 1),
            })?;
            if let Some(meta) = line.strip_prefix('#') {
                match meta.split_once('\t') {
                    Some(("source", s)) => source = s.to_string(),
                    Some(("counts", c)) => {
                        let counts: Vec<usize> =
                            c.split(' ').filter_map(|x| x.parse().ok()).collect();
                        if let [p, r, d, v] = counts.as_slice() {
                            declared = [*p, *r, *d, *v];
                        }
                    }
                    _ => {}
                }
                continue;
            }
            let bad = || invalid(format!("area data line {}", n + 1));
            let (head, name) = line.split_once('\t').ok_or_else(bad)?;
            let (letter, part) = head.split_at_checked(1).ok_or_else(bad)?;
            let depth = match letter {
                "P" => 0,
                "R" => 1,
                "D" => 2,
                "V" => 3,
                _ => return Err(bad()),
            };
            let code = if depth == 0 {
                part.to_string()
            } else {
                if path[depth - 1].is_empty() {
                    return Err(bad());
                }
                format!("{}.{part}", path[depth - 1])
            };
            let level = AreaLevel::of_code(&code).ok_or_else(bad)?;
            if depth < 3 {
                path[depth] = code.clone();
                for deeper in path.iter_mut().skip(depth + 1) {
                    deeper.clear();
                }
            }
            if name.trim().is_empty() {
                return Err(bad());
            }
            if scope.keeps(&code, level) {
                areas.push(Area {
                    code,
                    name: name.to_string(),
                });
            }
        }
        if areas.windows(2).any(|w| w[0].code >= w[1].code) {
            return Err(invalid("area data is not in code order or repeats a code"));
        }
        Ok(Areas {
            source,
            declared,
            areas,
        })
    }

    pub fn get(&self, code: &str) -> Option<&Area> {
        self.areas
            .binary_search_by(|a| a.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.areas[i])
    }

    pub fn count(&self, level: AreaLevel) -> usize {
        self.areas.iter().filter(|a| a.level() == level).count()
    }

    pub fn all(&self) -> &[Area] {
        &self.areas
    }

    /// The areas directly below `code` (the provinces for "").
    pub fn children(&self, code: &str) -> Vec<&Area> {
        self.areas
            .iter()
            .filter(|a| match a.parent_code() {
                Some(parent) => parent == code,
                None => code.is_empty(),
            })
            .collect()
    }

    /// From the province down to `code`.
    pub fn path(&self, code: &str) -> Vec<&Area> {
        let mut path = Vec::new();
        let mut current = Some(code);
        while let Some(c) = current {
            if let Some(area) = self.get(c) {
                path.push(area);
            }
            current = c.rsplit_once('.').map(|(parent, _)| parent);
        }
        path.reverse();
        path
    }

    /// The village a location names: its kelurahan (or desa), narrowed by its kecamatan, city
    /// and province where the name alone is not unique. None when not found or still ambiguous.
    pub fn village_of(
        &self,
        kelurahan: &str,
        kecamatan: &str,
        city: &str,
        province: &str,
    ) -> Option<&Area> {
        let want = normalise(kelurahan);
        if want.is_empty() {
            return None;
        }
        let mut found: Vec<&Area> = self
            .areas
            .iter()
            .filter(|a| a.level() == AreaLevel::Village && normalise(&a.name) == want)
            .collect();
        for (given, depth) in [(kecamatan, 3), (city, 2), (province, 1)] {
            if found.len() <= 1 {
                break;
            }
            let given = normalise(given);
            if given.is_empty() {
                continue;
            }
            let narrowed: Vec<&Area> = found
                .iter()
                .copied()
                .filter(|v| {
                    let ancestor: Vec<&str> = v.code.split('.').take(depth).collect();
                    self.get(&ancestor.join("."))
                        .is_some_and(|a| normalise(&a.name) == given)
                })
                .collect();
            found = narrowed;
        }
        match found.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }
}
