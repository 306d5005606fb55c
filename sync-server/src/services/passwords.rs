//! What a new password must be (NIST SP 800-63B, 5.1.1.2): at least 10 characters, up to a
//! generous 256, and not one of the passwords people choose most (`data/common-passwords.txt`:
//! international and Indonesian favourites, matched with their usual decorations: capitals,
//! digits or a year before and after, a few letters written as digits), nor a run of one
//! character or a keyboard or counting sequence, nor the account id itself.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::error::{ApiError, Kind};

pub const MIN_CHARS: usize = 10;
pub const MAX_CHARS: usize = 256;

fn common() -> &'static HashSet<String> {
    static LIST: OnceLock<HashSet<String>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(normalize)
            .collect()
    })
}

/// Lowercase, a few letters written as digits or signs read back, and spaces, punctuation and
/// digits around the word taken off: "P@ssw0rd123!" and "password" are the same choice.
fn normalize(password: &str) -> String {
    let lower = password.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphabetic());
    let core = if trimmed.is_empty() {
        lower.as_str()
    } else {
        trimmed
    };
    core.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            other => other,
        })
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_' && *c != '.')
        .collect()
}

/// One character repeated, or each character one step from the last (123456789, abcdefghij,
/// 9876543210), or a keyboard row.
fn trivially_sequential(password: &str) -> bool {
    let chars: Vec<char> = password.to_lowercase().chars().collect();
    if chars.windows(2).all(|w| w[0] == w[1]) {
        return true;
    }
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| w[1] as i64 - w[0] as i64)
        .collect();
    if steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return true;
    }
    let lower: String = chars.iter().collect();
    // Along a keyboard row either way, wrapping round (7890123456).
    ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
        .iter()
        .any(|row| {
            let around = row.repeat(3);
            let backwards: String = around.chars().rev().collect();
            around.contains(&lower) || backwards.contains(&lower)
        })
}

fn weak(en: String) -> ApiError {
    ApiError::new(
        Kind::Invalid,
        "weak_password",
        en,
        format!(
            "Kata sandi harus {MIN_CHARS}-{MAX_CHARS} karakter dan bukan kata sandi yang umum dipakai."
        ),
    )
}

/// Refuses a password for account `account_id` that NIST's rules refuse.
pub fn check(account_id: &str, password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(weak(format!(
            "The password needs at least {MIN_CHARS} characters."
        )));
    }
    if chars > MAX_CHARS {
        return Err(weak(format!(
            "The password may have at most {MAX_CHARS} characters."
        )));
    }
    let normalized = normalize(password);
    if common().contains(&normalized)
        || trivially_sequential(password)
        || normalized.is_empty()
        || normalized == normalize(account_id)
    {
        return Err(weak(
            "This password is too common or too easy to guess; choose another.".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_with_their_usual_decorations_are_refused() {
        for p in [
            "rahasia123",
            "Rahasia2024!",
            "P@ssw0rd123",
            "bismillah123",
            "indonesia1945",
            "sayangku123",
            "1234567890",
            "qwertyuiop",
            "aaaaaaaaaaaa",
            "abcdefghijk",
            "0987654321",
            "petugas-kota",
        ] {
            assert!(check("petugas-kota", p).is_err(), "{p}");
        }
    }

    #[test]
    fn long_uncommon_passwords_pass_and_limits_hold() {
        for p in [
            "kucing oren suka tidur",
            "aduan-demo",
            "rahasia-sekali",
            "Selokan-Mangasa-7",
        ] {
            assert!(check("petugas", p).is_ok(), "{p}");
        }
        assert!(check("x", "abc12345").is_err());
        assert!(check("x", &"kata".repeat(MAX_CHARS / 4)).is_ok());
        assert!(check("x", &"kata ".repeat(60)).is_err(), "over the maximum");
        assert!(
            check("x", "ąćęłńóśźż-tulisan").is_ok(),
            "counted in characters"
        );
    }

    #[test]
    fn the_list_is_in_the_repo_and_big() {
        assert!(common().len() > 300, "{}", common().len());
    }
}
