//! The figures bodies are judged by (core's `figures`, the server's `GET /v1/figures`), on the
//! desk: any period, the months of it side by side, and one group per institution, unit, area,
//! category or channel, so institutions compare on one page. Charts are inline SVG drawn
//! here (no script, no image request, a few hundred bytes a bar), each with the table of its
//! numbers beside it; the group table downloads as CSV. Who sees what is the API's rule: an
//! institution's staff their own institution, the national administrator any or all.

use aduan_core::api::views::category_label;
use aduan_core::figures::{FigureGroup, FigureSet, FiguresReport, GroupBy};
use aduan_core::model::channel::Channel;
use aduan_core::types::{Language, Role};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;

use super::intake::areas;
use super::{categories, layout, now_ms, urlencode, Desk, Page, Staff};
use crate::http::blocking;
use crate::services::figures as service;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/desk/figures", get(page))
        .route("/desk/figures.csv", get(csv))
}

/// The most months drawn side by side.
const MAX_MONTHS: usize = 24;

#[derive(Deserialize, Default, Clone)]
struct Ask {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    institution: Option<String>,
}

/// What was asked, with the defaults filled in: this year so far, grouped by institution for
/// the national desk and by unit for an institution's staff.
struct Asked {
    from: String,
    to: String,
    by: GroupBy,
    institution: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn asked(state: &AppState, desk: &Desk, ask: &Ask) -> Asked {
    let institution = if desk.account.role == Role::NationalAdmin {
        given(&ask.institution)
    } else {
        desk.account.institution_id.clone()
    };
    let offset = state.deadlines.offset_of(institution.as_deref());
    let today = time::OffsetDateTime::from_unix_timestamp(now_ms() / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
        .date();
    let date = |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let default_by = if institution.is_some() {
        GroupBy::Unit
    } else {
        GroupBy::Institution
    };
    Asked {
        from: given(&ask.from).unwrap_or_else(|| {
            date(time::Date::from_ordinal_date(today.year(), 1).unwrap_or(today))
        }),
        to: given(&ask.to).unwrap_or_else(|| date(today)),
        by: given(&ask.by)
            .and_then(|b| GroupBy::from_code(&b))
            .unwrap_or(default_by),
        institution,
    }
}

/// The months of a period as `(label, from, to)` date strings, at most [`MAX_MONTHS`] (the
/// latest ones).
fn months(from: &str, to: &str) -> Vec<(String, String, String)> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let (Ok(start), Ok(end)) = (
        time::Date::parse(from, format),
        time::Date::parse(to, format),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut first = start;
    while first <= end {
        let next_month = match first.month() {
            time::Month::December => {
                time::Date::from_calendar_date(first.year() + 1, time::Month::January, 1)
            }
            m => time::Date::from_calendar_date(first.year(), m.next(), 1),
        };
        let Ok(next_month) = next_month else { break };
        let last = next_month.previous_day().unwrap_or(next_month).min(end);
        let fmt =
            |d: time::Date| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
        out.push((
            format!("{:02}/{}", u8::from(first.month()), first.year()),
            fmt(first),
            fmt(last),
        ));
        first = next_month;
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

struct Figures {
    report: FiguresReport,
    months: Vec<(String, FigureSet)>,
}

async fn load(state: &AppState, desk: &Desk, a: &Asked) -> Result<Figures, Page> {
    let (db, deadlines, account) = (
        state.db.clone(),
        state.deadlines.clone(),
        desk.account.clone(),
    );
    let (from, to, by, institution) = (
        a.from.clone(),
        a.to.clone(),
        a.by.code(),
        a.institution.clone(),
    );
    let lang = desk.lang;
    blocking(move || {
        let now = now_ms();
        let months = months(&from, &to);
        let mut periods = vec![service::Period {
            from: &from,
            to: &to,
            by: Some(by),
        }];
        periods.extend(months.iter().map(|(_, first, last)| service::Period {
            from: first,
            to: last,
            by: None,
        }));
        // The year and its months from one read of the summary.
        let mut reports = service::reports(
            &db,
            &deadlines,
            &account,
            institution.as_deref(),
            &periods,
            now,
        )?
        .into_iter();
        let report = reports
            .next()
            .ok_or_else(|| crate::error::ApiError::internal("no figures"))?;
        let per_month = months
            .into_iter()
            .zip(reports)
            .map(|((label, _, _), r)| (label, r.totals))
            .collect();
        Ok(Figures {
            report,
            months: per_month,
        })
    })
    .await
    .map_err(|e| Page::from_error(lang, e))
}

/// A group's key as people read it.
fn group_name(state: &AppState, by: GroupBy, key: &str, lang: Language) -> String {
    if key == "-" {
        return lang
            .pick(
                match by {
                    GroupBy::Unit => "Belum di unit",
                    GroupBy::Area => "Tanpa wilayah",
                    _ => "Tidak ada",
                },
                match by {
                    GroupBy::Unit => "Not with a unit yet",
                    GroupBy::Area => "No area",
                    _ => "None",
                },
            )
            .to_string();
    }
    match by {
        GroupBy::Institution => state
            .directory
            .institution(key)
            .map_or_else(|| key.to_string(), |i| i.name.clone()),
        GroupBy::Unit => state
            .directory
            .unit(key)
            .map_or_else(|| key.to_string(), |(_, u)| u.name.clone()),
        GroupBy::Area => areas(state)
            .get(key)
            .map_or_else(|| key.to_string(), |a| a.name.clone()),
        GroupBy::Category => category_label(categories(), key, lang),
        GroupBy::Channel => Channel::from_parts(key, Some(""), Some("")).map_or_else(
            || key.to_string(),
            |c| c.label(lang).trim_end().trim_end_matches(':').to_string(),
        ),
    }
}

fn by_label(by: GroupBy, lang: Language) -> &'static str {
    match by {
        GroupBy::Institution => lang.pick("Instansi", "Institution"),
        GroupBy::Unit => lang.pick("Unit", "Unit"),
        GroupBy::Area => lang.pick("Wilayah", "Area"),
        GroupBy::Category => lang.pick("Kategori", "Category"),
        GroupBy::Channel => lang.pick("Saluran", "Channel"),
    }
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |p| format!("{p:.2} %"))
}

fn days(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |d| format!("{d:.1}"))
}

fn stars(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |s| format!("{s:.1} / 5"))
}

/// The columns of the group table and the CSV, with each set's value.
fn columns(lang: Language) -> [(&'static str, fn(&FigureSet) -> String); 10] {
    [
        (lang.pick("Diterima", "Received"), |f| {
            f.received.to_string()
        }),
        (lang.pick("Selesai", "Completed"), |f| {
            f.completed.to_string()
        }),
        (lang.pick("Dalam proses", "In process"), |f| {
            f.in_process.to_string()
        }),
        (lang.pick("Belum ditindaklanjuti", "Not followed up"), |f| {
            f.not_followed_up.to_string()
        }),
        (lang.pick("Tingkat penyelesaian", "Completion rate"), |f| {
            percent(f.completion_rate_percent)
        }),
        (lang.pick("Ditindaklanjuti", "Followed up"), |f| {
            percent(f.followed_up_percent)
        }),
        (
            lang.pick(
                "Rata-rata tindak lanjut (hari kerja)",
                "Average follow-up (working days)",
            ),
            |f| days(f.average_follow_up_working_days),
        ),
        (
            lang.pick("Sampai ke unit tepat waktu", "Reached the desk in time"),
            |f| percent(f.desk_within_target_percent),
        ),
        (lang.pick("Dinilai", "Rated"), |f| f.rated.to_string()),
        (lang.pick("Kepuasan", "Satisfaction"), |f| {
            stars(f.average_stars)
        }),
    ]
}

/// Stacked bars (completed, in process, not followed up) as inline SVG; the numbers are in the
/// table that follows every chart, which is what assistive technology reads.
fn bars(rows: &[(String, &FigureSet)], lang: Language, caption: &str) -> Markup {
    const ROW: usize = 26;
    const LABEL: usize = 190;
    const WIDTH: usize = 640;
    let max = rows
        .iter()
        .map(|(_, f)| f.received)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = rows.len() * ROW + 30;
    let scale = |n: u64| (n as f64 / max as f64 * (WIDTH - LABEL - 50) as f64).round();
    let parts = [
        ("done", lang.pick("Selesai", "Completed")),
        ("process", lang.pick("Dalam proses", "In process")),
        (
            "waiting",
            lang.pick("Belum ditindaklanjuti", "Not followed up"),
        ),
    ];
    let mut svg = String::new();
    for (i, (name, f)) in rows.iter().enumerate() {
        let y = 24 + i * ROW;
        let short: String = name.chars().take(28).collect();
        let short = if short.len() < name.len() {
            format!("{}…", short.trim_end())
        } else {
            short
        };
        svg += &format!(
            r#"<text x="{}" y="{}" class="label" text-anchor="end">{}</text>"#,
            LABEL - 8,
            y + 14,
            maud::html! { (short) }.into_string()
        );
        let mut x = LABEL as f64;
        for ((class, label), n) in parts
            .iter()
            .zip([f.completed, f.in_process, f.not_followed_up])
        {
            let w = scale(n);
            if w > 0.0 {
                svg += &format!(
                    r#"<rect x="{x}" y="{y}" width="{w}" height="18" class="{class}"><title>{}: {label} {n}</title></rect>"#,
                    maud::html! { (name) }.into_string()
                );
            }
            x += w;
        }
        svg += &format!(
            r#"<text x="{}" y="{}" class="value">{}</text>"#,
            x + 6.0,
            y + 14,
            f.received
        );
    }
    let legend: String = parts
        .iter()
        .enumerate()
        .map(|(i, (class, label))| {
            format!(
                r#"<rect x="{}" y="4" width="12" height="12" class="{class}"/><text x="{}" y="14" class="legend">{}</text>"#,
                LABEL + i * 150,
                LABEL + i * 150 + 16,
                maud::html! { (label) }.into_string()
            )
        })
        .collect();
    html! {
        figure class="chart" tabindex="0" {
            svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (WIDTH) " " (height) } role="img" aria-label=(caption) {
                (PreEscaped(legend)) (PreEscaped(svg))
            }
            figcaption { (caption) }
        }
    }
}

fn query_string(a: &Asked) -> String {
    let mut q = format!(
        "from={}&to={}&by={}",
        urlencode(&a.from),
        urlencode(&a.to),
        a.by.code()
    );
    if let Some(i) = &a.institution {
        q += &format!("&institution={}", urlencode(i));
    }
    q
}

async fn page(
    State(state): State<AppState>,
    Staff(desk): Staff,
    Query(ask): Query<Ask>,
) -> Response {
    let lang = desk.lang;
    let a = asked(&state, &desk, &ask);
    let figures = match load(&state, &desk, &a).await {
        Ok(f) => f,
        Err(page) => return page.into_response(),
    };
    let t = &figures.report.totals;
    let title = lang.pick("Angka kinerja", "Figures");
    let groups: Vec<(String, &FigureGroup)> = figures
        .report
        .groups
        .iter()
        .map(|g| (group_name(&state, a.by, &g.key, lang), g))
        .collect();
    let national = desk.account.role == Role::NationalAdmin;
    let cards = [
        (
            "received",
            lang.pick("Diterima", "Received"),
            t.received.to_string(),
        ),
        (
            "completed",
            lang.pick("Selesai", "Completed"),
            t.completed.to_string(),
        ),
        (
            "in-process",
            lang.pick("Dalam proses", "In process"),
            t.in_process.to_string(),
        ),
        (
            "not-followed-up",
            lang.pick("Belum ditindaklanjuti", "Not followed up"),
            t.not_followed_up.to_string(),
        ),
        (
            "completion-rate",
            lang.pick("Tingkat penyelesaian", "Completion rate"),
            percent(t.completion_rate_percent),
        ),
        (
            "followed-up",
            lang.pick("Ditindaklanjuti", "Followed up"),
            percent(t.followed_up_percent),
        ),
        (
            "follow-up-days",
            lang.pick("Rata-rata tindak lanjut", "Average follow-up"),
            format!(
                "{} {}",
                days(t.average_follow_up_working_days),
                lang.pick("hari kerja", "working days")
            ),
        ),
        (
            "desk-in-time",
            lang.pick("Sampai ke unit tepat waktu", "Reached the desk in time"),
            percent(t.desk_within_target_percent),
        ),
        (
            "satisfaction",
            lang.pick("Kepuasan", "Satisfaction"),
            stars(t.average_stars),
        ),
    ];
    let month_rows: Vec<(String, &FigureSet)> = figures
        .months
        .iter()
        .map(|(label, f)| (label.clone(), f))
        .collect();
    let group_rows: Vec<(String, &FigureSet)> = groups
        .iter()
        .map(|(name, g)| (name.clone(), &g.figures))
        .collect();
    let by_name = by_label(a.by, lang);
    let body = html! {
        h1 { (title) }
        form method="get" action="/desk/figures" class="filters" {
            div {
                label for="from" { (lang.pick("Dari tanggal", "From")) }
                input type="date" id="from" name="from" value=(a.from) required;
            }
            div {
                label for="to" { (lang.pick("Sampai tanggal", "To")) }
                input type="date" id="to" name="to" value=(a.to) required;
            }
            div {
                label for="by" { (lang.pick("Per", "By")) }
                select id="by" name="by" {
                    @for g in GroupBy::ALL {
                        @if national || g != GroupBy::Institution {
                            option value=(g.code()) selected[g == a.by] { (by_label(g, lang)) }
                        }
                    }
                }
            }
            @if national {
                div {
                    label for="institution" { (lang.pick("Instansi", "Institution")) }
                    select id="institution" name="institution" {
                        option value="" selected[a.institution.is_none()] { (lang.pick("Semua instansi", "All institutions")) }
                        @for i in state.directory.institutions() {
                            option value=(i.id) selected[a.institution.as_deref() == Some(i.id.as_str())] { (i.name) }
                        }
                    }
                }
            }
            div { button type="submit" { (lang.pick("Tampilkan", "Show")) } }
        }
        p {
            a href={ "/desk/figures.csv?" (query_string(&a)) } download { (lang.pick("Unduh tabel (CSV)", "Download the table (CSV)")) }
        }
        section aria-labelledby="totals" {
            h2 id="totals" { (lang.pick("Seluruh periode", "The whole period")) }
            dl class="cards" {
                @for (key, label, value) in &cards {
                    div { dt { (label) } dd id={ "totals-" (key) } { (value) } }
                }
            }
            p class="hint" {
                (lang.pick(
                    "Menurut tanggal diterima instansi; laporan yang masih menunggu ikut dihitung sampai sekarang.",
                    "By the day the institution received them; reports still waiting count up to now.",
                ))
            }
        }
        section aria-labelledby="months" {
            h2 id="months" { (lang.pick("Per bulan", "By month")) }
            @if month_rows.iter().all(|(_, f)| f.received == 0) {
                p { (lang.pick("Tidak ada laporan pada periode ini.", "No reports in this period.")) }
            } @else {
                (bars(&month_rows, lang, lang.pick("Laporan diterima per bulan", "Reports received by month")))
                (table(lang, lang.pick("Bulan", "Month"), &month_rows))
            }
        }
        section aria-labelledby="groups" {
            h2 id="groups" { (lang.pick("Per ", "By ")) (by_name.to_lowercase()) }
            @if group_rows.is_empty() {
                p { (lang.pick("Tidak ada laporan pada periode ini.", "No reports in this period.")) }
            } @else {
                (bars(&group_rows, lang, &format!("{} {}", lang.pick("Laporan diterima per", "Reports received by"), by_name.to_lowercase())))
                (table(lang, by_name, &group_rows))
            }
        }
    };
    Page::ok(layout(lang, Some(&desk), title, "/desk/figures", body)).into_response()
}

/// The numbers of a chart; on a narrow screen the table scrolls sideways (and so takes the
/// keyboard's focus, to scroll with the arrow keys).
fn table(lang: Language, first: &str, rows: &[(String, &FigureSet)]) -> Markup {
    let columns = columns(lang);
    let label = format!(
        "{} {}",
        lang.pick("Tabel per", "Table by"),
        first.to_lowercase()
    );
    html! {
        div class="scroll" tabindex="0" role="region" aria-label=(label) {
            table class="figures" data-by=(first) {
                thead { tr {
                    th scope="col" { (first) }
                    @for (label, _) in &columns { th scope="col" { (label) } }
                } }
                tbody {
                    @for (name, f) in rows {
                        tr {
                            th scope="row" { (name) }
                            @for (_, value) in &columns { td { (value(f)) } }
                        }
                    }
                }
            }
        }
    }
}

/// One CSV field, quoted when it must be, and never read as a formula by a spreadsheet.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s != "-" {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

async fn csv(
    State(state): State<AppState>,
    Staff(desk): Staff,
    Query(ask): Query<Ask>,
) -> Response {
    let lang = desk.lang;
    let a = asked(&state, &desk, &ask);
    let figures = match load(&state, &desk, &a).await {
        Ok(f) => f,
        Err(page) => return page.into_response(),
    };
    let columns = columns(lang);
    let mut out = String::new();
    let header: Vec<String> = std::iter::once(field(by_label(a.by, lang)))
        .chain(std::iter::once(field(lang.pick("Kode", "Code"))))
        .chain(columns.iter().map(|(label, _)| field(label)))
        .collect();
    out += &header.join(",");
    out += "\r\n";
    let rows = figures
        .report
        .groups
        .iter()
        .map(|g| {
            (
                group_name(&state, a.by, &g.key, lang),
                g.key.clone(),
                &g.figures,
            )
        })
        .chain(std::iter::once((
            lang.pick("Jumlah", "Total").to_string(),
            String::new(),
            &figures.report.totals,
        )));
    for (name, key, f) in rows {
        let line: Vec<String> = [field(&name), field(&key)]
            .into_iter()
            .chain(columns.iter().map(|(_, value)| field(&value(f))))
            .collect();
        out += &line.join(",");
        out += "\r\n";
    }
    let name = format!("aduan-figures-{}-{}-{}.csv", a.by.code(), a.from, a.to);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn a_period_splits_into_its_months_the_last_ones_kept() {
        let m = months("2026-01-15", "2026-03-02");
        assert_eq!(
            m,
            vec![
                ("01/2026".into(), "2026-01-15".into(), "2026-01-31".into()),
                ("02/2026".into(), "2026-02-01".into(), "2026-02-28".into()),
                ("03/2026".into(), "2026-03-01".into(), "2026-03-02".into()),
            ]
        );
        assert_eq!(months("2020-01-01", "2026-12-31").len(), MAX_MONTHS);
        assert_eq!(months("2026-12-01", "2027-01-05")[1].0, "01/2027");
        assert!(months("bad", "2026-01-01").is_empty());
    }

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(field("Kota Makassar"), "Kota Makassar");
        assert_eq!(field("Selokan, got"), "\"Selokan, got\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-"), "-");
    }
}
