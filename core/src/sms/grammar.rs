//! What an SMS asks for. The first word is a keyword (case, spacing, a `#`, `*` or `:` after
//! it and one slip of the thumb do not matter: `LAPOR`, `lapr`, `Lpor#`, `lapor:`):
//!
//! - `LAPOR <isi>`: file a report; words of the text that name a category of the catalog
//!   (`sampah`, `selokan`, `jalan rusak`) choose its category, and a kelurahan the directory
//!   knows (`di Panaikang`, `kel. Bara-Baraya`) its place;
//! - `CEK <nomor>` (or `STATUS`): where a complaint stands;
//! - `BALAS <nomor> <pesan>`: the reporter's reply to a follow-up;
//! - `NILAI <nomor> <1-5>`: the reporter's rating;
//! - `STOP` (or `BERHENTI`): no more messages to this number;
//! - `BANTUAN` (or `INFO`, `HELP`, `?`): how to use it.
//!
//! Anything else is a [`Problem`] with a helpful answer, never a guess that files a stray text
//! as a complaint.

use crate::catalog::CategoryTree;
use crate::model::report::{MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};

/// The category of a report whose words name none.
pub const DEFAULT_CATEGORY: &str = "lainnya.umum";
/// Fewer letters than this is not a report anyone can act on.
pub const MIN_REPORT_CHARS: usize = 10;
/// The title is the start of the text, at a word boundary.
pub const TITLE_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Report,
    Status,
    Reply,
    Rate,
    Stop,
    Help,
}

impl Keyword {
    /// As the sender should type it.
    pub fn word(self) -> &'static str {
        match self {
            Keyword::Report => "LAPOR",
            Keyword::Status => "CEK",
            Keyword::Reply => "BALAS",
            Keyword::Rate => "NILAI",
            Keyword::Stop => "STOP",
            Keyword::Help => "BANTUAN",
        }
    }
}

/// Spellings of each keyword; the first is the one taught. Typos one edit away from a word of
/// four letters or more are also taken (see [`keyword_of`]).
const KEYWORDS: &[(Keyword, &[&str])] = &[
    (
        Keyword::Report,
        &["lapor", "laporan", "lapur", "lpr", "adu", "aduan"],
    ),
    (
        Keyword::Status,
        &["cek", "cel", "cke", "check", "status", "lacak"],
    ),
    (Keyword::Reply, &["balas", "bls", "jawab", "reply"]),
    (Keyword::Rate, &["nilai", "nilay", "rating", "rate"]),
    (
        Keyword::Stop,
        &["stop", "berhenti", "brhenti", "berenti", "unreg", "stp"],
    ),
    (
        Keyword::Help,
        &["bantuan", "bantu", "info", "help", "menu", "?"],
    ),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    /// The whole text after the keyword, spaces tidied.
    pub description: String,
    pub title: String,
    /// A category id of the catalog; [`DEFAULT_CATEGORY`] when the words name none.
    pub category: String,
    /// A kelurahan of the directory the text names, as the directory spells it.
    pub kelurahan: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Report(ReportRequest),
    Status { tracking: String },
    Reply { tracking: String, text: String },
    Rate { tracking: String, stars: u8 },
    Stop,
    Help,
}

/// Why a message could not be understood; each has its own answer (see `notice`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Empty,
    /// No keyword the grammar knows.
    Unknown,
    /// A keyword that needs a tracking id came without one that reads as such.
    MissingTracking(Keyword),
    /// `LAPOR` or `BALAS` with (almost) no text.
    MissingText(Keyword),
    /// `NILAI` without a number from 1 to 5.
    BadStars,
}

/// What the grammar matches against: the catalog's categories and the directory's kelurahan.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// (word, category id), from the names of the catalog's leaf categories.
    category_words: Vec<(String, String)>,
    /// (name as words, name as the directory spells it), longest first.
    kelurahan: Vec<(String, String)>,
}

/// Words of category names that say nothing about the problem.
const STOPWORDS: &[&str] = &[
    "dan", "atau", "umum", "lain", "lainnya", "barang", "jasa", "sarana", "publik", "tenaga",
];

impl Vocabulary {
    pub fn new(categories: &CategoryTree, kelurahan: &[String]) -> Vocabulary {
        let mut category_words = Vec::new();
        for c in categories.all() {
            if c.parent.is_none() {
                continue;
            }
            for w in words(&c.name_id) {
                if w.chars().count() >= 4 && !STOPWORDS.contains(&w.as_str()) {
                    category_words.push((w, c.id.clone()));
                }
            }
        }
        let mut kel: Vec<(String, String)> = kelurahan
            .iter()
            .map(|name| {
                let spoken = name
                    .trim()
                    .strip_prefix("Kelurahan ")
                    .unwrap_or(name.trim())
                    .to_string();
                (words(&spoken).join(" "), spoken)
            })
            .filter(|(w, _)| !w.is_empty())
            .collect();
        kel.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        kel.dedup_by(|a, b| a.0 == b.0);
        Vocabulary {
            category_words,
            kelurahan: kel,
        }
    }

    /// The category whose name shares the most words with the text (the catalog's order
    /// breaks ties), or the default.
    pub fn category_of(&self, text: &str) -> String {
        let said = words(text);
        let mut best: Option<(usize, &str)> = None;
        let mut seen: Vec<&str> = Vec::new();
        for (_, id) in &self.category_words {
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            let hits = self
                .category_words
                .iter()
                .filter(|(w, c)| c == id && said.iter().any(|s| s == w))
                .count();
            if hits > 0 && best.is_none_or(|(b, _)| hits > b) {
                best = Some((hits, id));
            }
        }
        best.map_or(DEFAULT_CATEGORY.to_string(), |(_, id)| id.to_string())
    }

    /// The longest kelurahan name the text contains as whole words.
    pub fn kelurahan_of(&self, text: &str) -> Option<String> {
        let said = format!(" {} ", words(text).join(" "));
        self.kelurahan
            .iter()
            .find(|(w, _)| said.contains(&format!(" {w} ")))
            .map(|(_, name)| name.clone())
    }
}

/// Lowercase words of letters and digits (`Bara-Baraya` is `bara baraya`).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Optimal string alignment distance, capped: enough to tell one slip from a different word.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The keyword a first word spells, and whether it was spelled exactly (a listed spelling)
/// or reached through one slip.
pub fn keyword_of(word: &str) -> Option<(Keyword, bool)> {
    let w = word.to_lowercase();
    for (k, spellings) in KEYWORDS {
        if spellings.contains(&w.as_str()) {
            return Some((*k, true));
        }
    }
    if w.chars().count() < 4 {
        return None;
    }
    let mut found = None;
    for (k, spellings) in KEYWORDS {
        if spellings
            .iter()
            .any(|s| s.chars().count() >= 4 && distance(&w, s) <= 1)
        {
            if found.is_some_and(|f| f != *k) {
                return None;
            }
            found = Some(*k);
        }
    }
    found.map(|k| (k, false))
}

/// Splits the keyword from the rest: it ends at a space or at a `#`, `*`, `:`, `.` or `,`
/// (gateways taught `LAPOR#isi`; people type `lapor:isi`).
fn split_keyword(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | ':' | ',' | '.'))
        .unwrap_or(text.len());
    if end == 0 {
        // `?` alone, or a message that starts with a separator.
        let first = text.chars().next().map_or(0, char::len_utf8);
        return (&text[..first], &text[first..]);
    }
    (&text[..end], &text[end..])
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_separators(rest: &str) -> &str {
    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | ':' | ',' | '.'))
}

const TRACKING_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A tracking id at the start of `rest`, however it is spaced or cased (`adu 7k3mq 9xd2f`,
/// `ADU7K3MQ9XD2F`), with Crockford's readings of look-alike letters (O is 0, I and L are 1).
/// Returns the id and what follows it.
pub fn take_tracking(rest: &str) -> Option<(String, &str)> {
    let mut collected = String::new();
    let mut consumed = 0;
    let mut want = 13;
    for (i, c) in rest.char_indices() {
        if collected.len() >= want {
            break;
        }
        consumed = i + c.len_utf8();
        if c.is_whitespace() || matches!(c, '-' | '#' | '*' | ':' | '.' | '/') {
            continue;
        }
        if !c.is_ascii_alphanumeric() {
            return None;
        }
        collected.push(c.to_ascii_uppercase());
        if collected.len() == 3 && collected != "ADU" {
            // The id without its prefix (U is no tracking letter, so `ADU` is always one).
            want = 10;
        }
    }
    let body: String = if want == 13 {
        collected.strip_prefix("ADU")?.to_string()
    } else {
        collected
    };
    if body.len() != 10 {
        return None;
    }
    let body: String = body.chars().map(crockford).collect();
    if !body.chars().all(|c| TRACKING_ALPHABET.contains(c)) {
        return None;
    }
    // What follows must start a new word: `ADU-7K3MQ-9XD2Fx` is not an id.
    let after = &rest[consumed..];
    if after.chars().next().is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some((format!("ADU-{}-{}", &body[..5], &body[5..]), after))
}

fn crockford(c: char) -> char {
    match c {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    }
}

/// The start of the text, cut at a word boundary, for a title.
pub fn title_of(description: &str) -> String {
    let limit = TITLE_CHARS.min(MAX_TITLE_CHARS);
    if description.chars().count() <= limit {
        return description.to_string();
    }
    let cut: String = description.chars().take(limit).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > limit / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':']))
}

/// What a message asks for.
pub fn parse(text: &str, vocabulary: &Vocabulary) -> Result<Command, Problem> {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    let (first, rest) = split_keyword(text);
    let Some((keyword, exact)) = keyword_of(first) else {
        return Err(Problem::Unknown);
    };
    let rest = strip_separators(rest);
    // A slip that lands on a keyword needing an id, without an id after it, is more likely
    // an ordinary word (`balai desa …` is not `BALAS`): it is not understood, not misread.
    let needs_id = |k: Keyword| {
        if exact {
            Problem::MissingTracking(k)
        } else {
            Problem::Unknown
        }
    };
    match keyword {
        Keyword::Report => {
            let description: String = tidy(rest).chars().take(MAX_DESCRIPTION_CHARS).collect();
            if description.chars().filter(|c| c.is_alphanumeric()).count() < MIN_REPORT_CHARS {
                return Err(Problem::MissingText(Keyword::Report));
            }
            Ok(Command::Report(ReportRequest {
                title: title_of(&description),
                category: vocabulary.category_of(&description),
                kelurahan: vocabulary.kelurahan_of(&description),
                description,
            }))
        }
        Keyword::Status => {
            let (tracking, _) = take_tracking(rest).ok_or_else(|| needs_id(Keyword::Status))?;
            Ok(Command::Status { tracking })
        }
        Keyword::Reply => {
            let (tracking, after) = take_tracking(rest).ok_or_else(|| needs_id(Keyword::Reply))?;
            let text: String = tidy(strip_separators(after))
                .chars()
                .take(MAX_DESCRIPTION_CHARS)
                .collect();
            if text.is_empty() {
                return Err(Problem::MissingText(Keyword::Reply));
            }
            Ok(Command::Reply { tracking, text })
        }
        Keyword::Rate => {
            // `NILAI ADU-… 4` or `NILAI 4 ADU-…`.
            let (tracking, stars_text) = match take_tracking(rest) {
                Some((t, after)) => (t, after.to_string()),
                None => {
                    let (stars, after) = split_keyword(rest);
                    let (t, _) = take_tracking(strip_separators(after))
                        .ok_or_else(|| needs_id(Keyword::Rate))?;
                    (t, stars.to_string())
                }
            };
            let stars = stars_text
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| !w.is_empty())
                .and_then(|w| w.parse::<u8>().ok())
                .filter(|s| (1..=5).contains(s))
                .ok_or(Problem::BadStars)?;
            Ok(Command::Rate { tracking, stars })
        }
        Keyword::Stop => Ok(Command::Stop),
        Keyword::Help => Ok(Command::Help),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::new(
            &CategoryTree::bundled(),
            &[
                "Kelurahan Panaikang".to_string(),
                "Kelurahan Bara-Baraya".to_string(),
                "Kelurahan Bara-Baraya Selatan".to_string(),
            ],
        )
    }

    fn parse_ok(text: &str) -> Command {
        parse(text, &vocabulary()).unwrap_or_else(|p| panic!("{text:?}: {p:?}"))
    }

    fn report(text: &str) -> ReportRequest {
        match parse_ok(text) {
            Command::Report(r) => r,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn a_report_is_taken_however_lapor_is_typed() {
        for text in [
            "LAPOR selokan tersumbat di depan pasar",
            "lapor selokan tersumbat di depan pasar",
            "Lapr selokan tersumbat di depan pasar",
            "lpor   selokan tersumbat di depan pasar",
            "LAPOR#selokan tersumbat di depan pasar",
            "lapor: selokan tersumbat di depan pasar",
            "  laopr selokan  tersumbat\n di depan pasar ",
            "LAPORAN selokan tersumbat di depan pasar",
        ] {
            let r = report(text);
            assert_eq!(
                r.description, "selokan tersumbat di depan pasar",
                "{text:?}"
            );
        }
    }

    #[test]
    fn category_and_kelurahan_words_are_matched_against_the_catalog() {
        let r = report("LAPOR sampah menumpuk 3 hari di Kel. Panaikang");
        assert_eq!(r.category, "lingkungan.sampah");
        assert_eq!(r.kelurahan.as_deref(), Some("Panaikang"));
        let r = report("lapor JALAN RUSAK berlubang dekat masjid bara-baraya selatan");
        assert_eq!(r.category, "pu.jalan");
        // The longest name that fits, not its prefix.
        assert_eq!(r.kelurahan.as_deref(), Some("Bara-Baraya Selatan"));
        let r = report("lapor mohon ditindak cepat karena sudah lama");
        assert_eq!(r.category, DEFAULT_CATEGORY);
        assert_eq!(r.kelurahan, None);
    }

    #[test]
    fn a_long_report_gets_a_short_title_at_a_word_boundary() {
        let text = format!("LAPOR {}", "air bersih tidak mengalir ".repeat(20));
        let r = report(&text);
        assert!(r.title.chars().count() <= TITLE_CHARS + 1, "{}", r.title);
        assert!(r.title.ends_with('…') && r.title.starts_with("air bersih tidak"));
        assert_eq!(r.category, "pu.air-bersih");
    }

    #[test]
    fn status_reply_and_rating_read_the_tracking_id_however_it_is_written() {
        for text in [
            "CEK ADU-7K3MQ-9XD2F",
            "cek adu-7k3mq-9xd2f",
            "status ADU 7K3MQ 9XD2F",
            "Cek#ADU7K3MQ9XD2F",
            "cek 7k3mq-9xd2f",
            "STATUS AD U-7K3MQ-9XD2F",
            // Crockford: O is zero, I and L are one.
            "cek ADU-7K3MQ-9XD2F",
        ] {
            assert_eq!(
                parse_ok(text),
                Command::Status {
                    tracking: "ADU-7K3MQ-9XD2F".into()
                },
                "{text:?}"
            );
        }
        assert_eq!(
            parse_ok("cek ADU-1O1MQ-9XD2F"),
            Command::Status {
                tracking: "ADU-101MQ-9XD2F".into()
            }
        );
        assert_eq!(
            parse_ok("BALAS ADU-7K3MQ-9XD2F  selokan masih   tersumbat"),
            Command::Reply {
                tracking: "ADU-7K3MQ-9XD2F".into(),
                text: "selokan masih tersumbat".into()
            }
        );
        assert_eq!(
            parse_ok("bls adu-7k3mq-9xd2f: sudah beres, terima kasih"),
            Command::Reply {
                tracking: "ADU-7K3MQ-9XD2F".into(),
                text: "sudah beres, terima kasih".into()
            }
        );
        for text in [
            "NILAI ADU-7K3MQ-9XD2F 4",
            "nilai 4 ADU-7K3MQ-9XD2F",
            "nilay adu-7k3mq-9xd2f bintang 4",
        ] {
            assert_eq!(
                parse_ok(text),
                Command::Rate {
                    tracking: "ADU-7K3MQ-9XD2F".into(),
                    stars: 4
                },
                "{text:?}"
            );
        }
    }

    #[test]
    fn stop_and_help_in_their_usual_spellings() {
        for text in [
            "STOP", "stop", "Berhenti", "BRHENTI", "stop sms", "UNREG", "sotp",
        ] {
            assert_eq!(parse_ok(text), Command::Stop, "{text:?}");
        }
        for text in ["BANTUAN", "info", "Help", "?", "menu"] {
            assert_eq!(parse_ok(text), Command::Help, "{text:?}");
        }
    }

    #[test]
    fn what_cannot_be_understood_is_a_problem_with_its_own_answer() {
        let v = vocabulary();
        assert_eq!(parse("", &v), Err(Problem::Empty));
        assert_eq!(parse(" \n\0 ", &v), Err(Problem::Empty));
        assert_eq!(parse("halo pak", &v), Err(Problem::Unknown));
        assert_eq!(
            parse("LAPOR", &v),
            Err(Problem::MissingText(Keyword::Report))
        );
        assert_eq!(
            parse("lapor jalan", &v),
            Err(Problem::MissingText(Keyword::Report))
        );
        assert_eq!(
            parse("CEK", &v),
            Err(Problem::MissingTracking(Keyword::Status))
        );
        assert_eq!(
            parse("cek ADU-7K3MQ", &v),
            Err(Problem::MissingTracking(Keyword::Status))
        );
        assert_eq!(
            parse("BALAS ADU-7K3MQ-9XD2F", &v),
            Err(Problem::MissingText(Keyword::Reply))
        );
        assert_eq!(parse("NILAI ADU-7K3MQ-9XD2F 9", &v), Err(Problem::BadStars));
        assert_eq!(parse("NILAI ADU-7K3MQ-9XD2F", &v), Err(Problem::BadStars));
        // `balai` is one slip from `balas`, but without an id it is a word, not a keyword.
        assert_eq!(parse("balai desa rusak parah", &v), Err(Problem::Unknown));
        // An id glued to more letters is not an id.
        assert_eq!(
            parse("cek ADU-7K3MQ-9XD2FQ", &v),
            Err(Problem::MissingTracking(Keyword::Status))
        );
    }

    #[test]
    fn nothing_panics_on_odd_text() {
        let v = vocabulary();
        for text in [
            "#",
            "*",
            ":",
            "?",
            "LAPOR#",
            "cek#",
            "ñ",
            "😀😀😀",
            "lapor 😀😀😀😀😀😀😀😀😀😀😀",
            "NILAI ñ ADU",
            "adu-",
            "BALAS ADU-😀",
            "cek ADU-ÀÀÀÀÀ-ÀÀÀÀÀ",
            "\u{0}\u{1}",
        ] {
            let _ = parse(text, &v);
        }
    }
}
