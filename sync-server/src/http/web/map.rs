//! Maps the server draws itself, as SVG in the page: no script, no map service the operator
//! did not choose. With `--map-tiles` the pins lie on that server's tiles (Web Mercator, the
//! tiles' own projection); without it, on a plain offline base: a grid of degrees, every
//! village's point (core's `catalog::points`) and the districts' names. A complaint is pinned
//! at its coordinates where the viewer may see them, else at its village's point; the public
//! pages only ever pin villages.

use std::collections::BTreeMap;
use std::f64::consts::PI;
use std::sync::OnceLock;

use aduan_core::catalog::points::{AreaPoints, Point};
use aduan_core::types::Language;
use axum::extract::{Request, State};
use axum::http::header::{HeaderValue, CONTENT_SECURITY_POLICY};
use axum::middleware::Next;
use axum::response::Response;
use maud::{html, Markup};

use super::intake::areas;
use crate::state::AppState;

/// Every village's point (parsed once).
pub(super) fn points() -> &'static AreaPoints {
    static POINTS: OnceLock<AreaPoints> = OnceLock::new();
    POINTS.get_or_init(|| {
        AreaPoints::bundled().unwrap_or_else(|e| {
            tracing::warn!(error = %e, "bundled area points do not load; maps show pins only");
            AreaPoints::default()
        })
    })
}

/// The point of a village named as reports name it (core's catalog finds its code).
pub(super) fn village_point(
    state: &AppState,
    code: &str,
    kelurahan: &str,
    kecamatan: &str,
    city: &str,
    province: &str,
) -> Option<Point> {
    if !code.is_empty() {
        if let Some(p) = points().point(code) {
            return Some(p);
        }
    }
    let village = areas(state).village_of(kelurahan, kecamatan, city, province)?;
    points().point(&village.code)
}

/// One pin: where, what it says, where it leads, and how many reports it stands for.
pub(super) struct Pin {
    pub at: Point,
    pub label: String,
    pub href: Option<String>,
    pub count: usize,
}

const W: f64 = 640.0;
const H: f64 = 360.0;
const TILE: f64 = 256.0;
const MAX_ZOOM: u32 = 14;

/// Web Mercator, as a fraction of the world (0..1 both ways).
fn mercator(p: Point) -> (f64, f64) {
    let lat = p.latitude.clamp(-85.0511, 85.0511).to_radians();
    let x = (p.longitude + 180.0) / 360.0;
    let y = 0.5 - ((1.0 + lat.sin()) / (1.0 - lat.sin())).ln() / (4.0 * PI);
    (x, y)
}

/// The inverse, for the grid and the base's box.
fn unmercator(x: f64, y: f64) -> Point {
    let n = PI - 2.0 * PI * y;
    Point {
        latitude: n.sinh().atan().to_degrees(),
        longitude: x * 360.0 - 180.0,
    }
}

/// The part of the world shown: a zoom level and the top-left corner in pixels at it.
#[derive(Debug, Clone, Copy)]
struct View {
    zoom: u32,
    x0: f64,
    y0: f64,
}

impl View {
    /// The closest zoom that shows every pin with a margin; at most 14 (about 6 km across),
    /// so a lone pin still shows the neighbourhood around it.
    fn fit(pins: &[Pin]) -> View {
        let xy: Vec<(f64, f64)> = pins.iter().map(|p| mercator(p.at)).collect();
        let (mut x_min, mut x_max, mut y_min, mut y_max) = (1.0f64, 0.0f64, 1.0f64, 0.0f64);
        for (x, y) in &xy {
            x_min = x_min.min(*x);
            x_max = x_max.max(*x);
            y_min = y_min.min(*y);
            y_max = y_max.max(*y);
        }
        let (cx, cy) = ((x_min + x_max) / 2.0, (y_min + y_max) / 2.0);
        let zoom = (0..=MAX_ZOOM)
            .rev()
            .find(|z| {
                let world = TILE * f64::from(1u32 << z);
                (x_max - x_min) * world <= W * 0.8 && (y_max - y_min) * world <= H * 0.8
            })
            .unwrap_or(0);
        let world = TILE * f64::from(1u32 << zoom);
        View {
            zoom,
            x0: cx * world - W / 2.0,
            y0: cy * world - H / 2.0,
        }
    }

    fn world(&self) -> f64 {
        TILE * f64::from(1u32 << self.zoom)
    }

    fn px(&self, p: Point) -> (f64, f64) {
        let (x, y) = mercator(p);
        (x * self.world() - self.x0, y * self.world() - self.y0)
    }

    /// The corners shown, in degrees: (south, north, west, east).
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let nw = unmercator(self.x0 / self.world(), self.y0 / self.world());
        let se = unmercator((self.x0 + W) / self.world(), (self.y0 + H) / self.world());
        (se.latitude, nw.latitude, nw.longitude, se.longitude)
    }
}

/// The tiles covering the view, with where each goes.
fn tiles(view: &View, template: &str) -> Vec<(String, f64, f64)> {
    let n = 1i64 << view.zoom;
    let first = |v: f64| (v / TILE).floor() as i64;
    let mut out = Vec::new();
    for ty in first(view.y0)..=first(view.y0 + H) {
        if !(0..n).contains(&ty) {
            continue;
        }
        for tx in first(view.x0)..=first(view.x0 + W) {
            let url = template
                .replace("{z}", &view.zoom.to_string())
                .replace("{x}", &tx.rem_euclid(n).to_string())
                .replace("{y}", &ty.to_string());
            out.push((url, tx as f64 * TILE - view.x0, ty as f64 * TILE - view.y0));
        }
    }
    out
}

/// A grid step in degrees giving a few lines across `span`.
fn grid_step(span: f64) -> f64 {
    [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|s| span / s <= 6.0)
        .unwrap_or(20.0)
}

fn degrees(v: f64, positive: &str, negative: &str) -> String {
    let hemisphere = if v < 0.0 { negative } else { positive };
    format!("{:.3}° {hemisphere}", v.abs())
}

/// The plain base: the grid, every village's point and the districts' names in view.
fn offline_base(state: &AppState, view: &View, lang: Language) -> Markup {
    let (south, north, west, east) = view.bounds();
    let villages = points().in_box(south, north, west, east);
    // Districts named at the mean of their villages in view (at most 40, the largest first).
    let mut districts: BTreeMap<String, (f64, f64, usize)> = BTreeMap::new();
    for (code, p) in &villages {
        let district = code.rsplit_once('.').map_or(*code, |(d, _)| d).to_string();
        let e = districts.entry(district).or_insert((0.0, 0.0, 0));
        e.0 += p.latitude;
        e.1 += p.longitude;
        e.2 += 1;
    }
    let mut named: Vec<(String, Point, usize)> = districts
        .into_iter()
        .filter_map(|(code, (lat, lon, n))| {
            let name = areas(state).get(&code)?.name.clone();
            let at = Point {
                latitude: lat / n as f64,
                longitude: lon / n as f64,
            };
            Some((name, at, n))
        })
        .collect();
    named.sort_by_key(|d| std::cmp::Reverse(d.2));
    named.truncate(40);
    let lat_step = grid_step(north - south);
    let lon_step = grid_step(east - west);
    let lats: Vec<f64> = ((south / lat_step).ceil() as i64..=(north / lat_step).floor() as i64)
        .map(|i| i as f64 * lat_step)
        .collect();
    let lons: Vec<f64> = ((west / lon_step).ceil() as i64..=(east / lon_step).floor() as i64)
        .map(|i| i as f64 * lon_step)
        .collect();
    let (s, n) = (lang.pick("LS", "S"), lang.pick("LU", "N"));
    let (e, w) = (lang.pick("BT", "E"), lang.pick("BB", "W"));
    html! {
        g class="base" aria-hidden="true" {
            rect class="sea" x="0" y="0" width=(W) height=(H) {}
            @for lat in &lats {
                @let (_, y) = view.px(Point { latitude: *lat, longitude: west });
                line class="grid" x1="0" x2=(W) y1=(format!("{y:.1}")) y2=(format!("{y:.1}")) {}
                @if y > 16.0 { text class="grid-label" x="4" y=(format!("{:.1}", y - 3.0)) { (degrees(*lat, n, s)) } }
            }
            @for lon in &lons {
                @let (x, _) = view.px(Point { latitude: south, longitude: *lon });
                line class="grid" y1="0" y2=(H) x1=(format!("{x:.1}")) x2=(format!("{x:.1}")) {}
                // A label that would run off the edge is left out (the line stays).
                @if x + 75.0 < W { text class="grid-label" y=(H - 4.0) x=(format!("{:.1}", x + 3.0)) { (degrees(*lon, e, w)) } }
            }
            @for (_, p) in villages.iter().take(3000) {
                @let (x, y) = view.px(*p);
                circle class="village" cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="2" {}
            }
            @for (name, at, _) in &named {
                @let (x, y) = view.px(*at);
                text class="district" x=(format!("{x:.1}")) y=(format!("{y:.1}")) text-anchor="middle" { (name) }
            }
        }
    }
}

/// A map of `pins` titled by `caption` (what it shows, read by screen readers too; the page's
/// list or text says the same in words).
pub(super) fn map(state: &AppState, lang: Language, pins: &[Pin], caption: &str) -> Markup {
    if pins.is_empty() {
        return html! {};
    }
    let view = View::fit(pins);
    let tiled = state.map.tiles.as_ref();
    html! {
        figure class="map" tabindex="0" {
            svg viewBox={ "0 0 " (W) " " (H) } xmlns="http://www.w3.org/2000/svg" role="group" aria-label=(caption) {
                @if let Some(t) = tiled {
                    g class="tiles" aria-hidden="true" {
                        @for (url, x, y) in tiles(&view, &t.template) {
                            image href=(url) x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(TILE) height=(TILE) {}
                        }
                    }
                } @else {
                    (offline_base(state, &view, lang))
                }
                @for pin in pins {
                    @let (x, y) = view.px(pin.at);
                    @let r = 7.0 + 3.0 * ((pin.count.max(1) as f64).sqrt() - 1.0);
                    @if let Some(href) = &pin.href {
                        a href=(href) aria-label=(pin.label) {
                            circle class="pin" cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}")) { title { (pin.label) } }
                        }
                    } @else {
                        circle class="pin" cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}")) { title { (pin.label) } }
                    }
                }
            }
            figcaption {
                (caption)
                " · "
                @match tiled {
                    Some(t) if !t.attribution.is_empty() => span class="attribution" { (t.attribution) },
                    Some(_) => {},
                    None => span class="attribution" { (lang.pick("Peta dasar luring: titik kelurahan/desa (geografis)", "Offline base map: village points (geografis)")) },
                }
            }
        }
    }
}

/// Lets the pages' images come from the configured tile server too (the pages' content
/// policy allows only the server's own otherwise).
pub(super) async fn allow_tiles(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let Some(tiles) = &state.map.tiles else {
        return response;
    };
    let widened = response
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .map(|csp| {
            csp.replacen(
                "img-src 'self'",
                &format!("img-src 'self' {}", tiles.origin),
                1,
            )
        })
        .and_then(|csp| HeaderValue::from_str(&csp).ok());
    if let Some(csp) = widened {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, csp);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pin(lat: f64, lon: f64) -> Pin {
        Pin {
            at: Point {
                latitude: lat,
                longitude: lon,
            },
            label: String::new(),
            href: None,
            count: 1,
        }
    }

    #[test]
    fn the_view_holds_every_pin_inside_its_frame() {
        for pins in [
            vec![pin(-5.1477, 119.4327)],
            vec![
                pin(-5.1477, 119.4327),
                pin(-5.20, 119.40),
                pin(-5.10, 119.48),
            ],
            vec![pin(-0.5, 117.15), pin(-5.14, 119.43)],
        ] {
            let view = View::fit(&pins);
            for p in &pins {
                let (x, y) = view.px(p.at);
                assert!(
                    (0.0..=W).contains(&x) && (0.0..=H).contains(&y),
                    "{view:?} {x} {y}"
                );
            }
            let (south, north, west, east) = view.bounds();
            for p in &pins {
                assert!(south < p.at.latitude && p.at.latitude < north);
                assert!(west < p.at.longitude && p.at.longitude < east);
            }
        }
        assert_eq!(
            View::fit(&[pin(-5.1477, 119.4327)]).zoom,
            MAX_ZOOM,
            "one pin: the closest zoom"
        );
    }

    #[test]
    fn the_tiles_cover_the_view_and_name_their_place() {
        let view = View::fit(&[pin(-5.1477, 119.4327), pin(-5.16, 119.44)]);
        let tiles = tiles(&view, "http://t.example/{z}/{x}/{y}.png");
        assert!(tiles.len() >= 4 && tiles.len() <= 12, "{}", tiles.len());
        for (url, x, y) in &tiles {
            assert!(url.starts_with(&format!("http://t.example/{}/", view.zoom)));
            assert!(
                *x > -TILE && *x < W && *y > -TILE && *y < H,
                "{url} {x} {y}"
            );
        }
        // Mercator round trip.
        let p = unmercator(
            mercator(pin(-5.1477, 119.4327).at).0,
            mercator(pin(-5.1477, 119.4327).at).1,
        );
        assert!((p.latitude + 5.1477).abs() < 1e-9 && (p.longitude - 119.4327).abs() < 1e-9);
    }
}
