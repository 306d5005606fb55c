//! Reports by SMS, as LAPOR! takes them at 1708: what a text message asks for (the grammar, in
//! Bahasa Indonesia and forgiving of case, spacing and common typos), how the parts of a long
//! message join again, and what goes back (short Indonesian texts, never at night, at most a
//! few per complaint a day). Pure functions: the server's SMS desk reads the gateway's inbox,
//! asks these what to do, and performs it through the same store any desk operator uses.

pub mod grammar;
pub mod notice;
pub mod parts;

pub use grammar::{parse, Command, Keyword, Problem, ReportRequest, Vocabulary};

/// A phone number as one form, so the same sender is the same number however the network
/// writes it: `0812…`, `62812…` and `+62812…` are all `+62812…`. Alphanumeric sender ids
/// (a bank's, an operator's) stay as they are, trimmed.
pub fn normalize_number(raw: &str) -> String {
    let compact: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return compact;
    }
    if let Some(rest) = digits.strip_prefix('0') {
        if !rest.starts_with('0') {
            return format!("+62{rest}");
        }
    }
    format!("+{digits}")
}

/// Whether a number can receive a reply at all: alphanumeric senders (operator notices,
/// banks) and short service codes cannot, and answering them would only loop.
pub fn can_reply_to(number: &str) -> bool {
    let digits = number.strip_prefix('+').unwrap_or(number);
    digits.len() >= 8 && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sender_is_one_number_however_the_network_writes_it() {
        for raw in [
            "081234567890",
            "+6281234567890",
            "6281234567890",
            "0812-3456-7890",
        ] {
            assert_eq!(normalize_number(raw), "+6281234567890", "{raw}");
        }
        assert_eq!(normalize_number(" TELKOMSEL "), "TELKOMSEL");
        assert!(can_reply_to("+6281234567890"));
        assert!(!can_reply_to("TELKOMSEL"));
        assert!(!can_reply_to("+1708"));
    }
}
