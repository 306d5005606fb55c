//! The parts of a long SMS, joined again. A message longer than one SMS arrives as parts, each
//! with a user data header (UDH) naming the message (a reference), how many parts it has and
//! which one this is; they may arrive out of order, and a part may be late. Gammu's SQL
//! service keeps each part as a row of its inbox with the UDH and the part's text as hex
//! (UCS-2 for text, raw bytes for 8-bit data).

use std::collections::BTreeMap;

/// One row of the gateway's inbox, as the storage layer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxPart {
    pub id: i64,
    pub sender: String,
    pub received_ms: i64,
    /// Gammu's `Coding`: `Default_No_Compression`, `Unicode_No_Compression`, `8bit`, …
    pub coding: String,
    /// The UDH as hex; empty for a one-part message.
    pub udh_hex: String,
    /// The part's text as hex (Gammu's `Text`).
    pub text_hex: String,
    /// Gammu's own decoding (`TextDecoded`), used when the hex does not read.
    pub text_decoded: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Concat {
    pub reference: u16,
    pub total: u8,
    pub seq: u8,
}

/// What a UDH says: which part of which message, and whether it carries anything that makes
/// the message data rather than text (application ports: a WAP push, a ringtone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    pub concat: Option<Concat>,
    pub ports: bool,
}

/// Reads a UDH given as hex; `None` when it does not read (treated as data).
pub fn header(udh_hex: &str) -> Option<Header> {
    let bytes = hex::decode(udh_hex.trim()).ok()?;
    if bytes.is_empty() {
        return Some(Header::default());
    }
    let len = usize::from(bytes[0]);
    let body = bytes.get(1..1 + len)?;
    let mut h = Header::default();
    let mut i = 0;
    while i + 2 <= body.len() {
        let (iei, ie_len) = (body[i], usize::from(body[i + 1]));
        let data = body.get(i + 2..i + 2 + ie_len)?;
        match (iei, data) {
            (0x00, [r, t, s]) => {
                h.concat = Some(Concat {
                    reference: u16::from(*r),
                    total: *t,
                    seq: *s,
                })
            }
            (0x08, [r1, r2, t, s]) => {
                h.concat = Some(Concat {
                    reference: u16::from_be_bytes([*r1, *r2]),
                    total: *t,
                    seq: *s,
                })
            }
            (0x04 | 0x05, _) => h.ports = true,
            _ => {}
        }
        i += 2 + ie_len;
    }
    Some(h)
}

/// A message's content: text, or something that is not text (8-bit data, compressed, a
/// header that does not read), which gets a helpful answer instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Text(String),
    Binary,
}

/// One part's text.
pub fn decode(part: &InboxPart) -> Body {
    match part.coding.as_str() {
        "Default_No_Compression" | "Unicode_No_Compression" => {}
        _ => return Body::Binary,
    }
    if part.text_hex.is_empty() {
        return Body::Text(part.text_decoded.clone());
    }
    let Ok(bytes) = hex::decode(part.text_hex.trim()) else {
        return Body::Text(part.text_decoded.clone());
    };
    if bytes.len() % 2 != 0 {
        return Body::Text(part.text_decoded.clone());
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    Body::Text(String::from_utf16_lossy(&units))
}

/// A whole message: its parts joined in order, with the inbox rows it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Every row it was made from (to mark them handled together); the first is the key.
    pub ids: Vec<i64>,
    pub sender: String,
    pub received_ms: i64,
    pub body: Body,
}

/// How long to wait for the missing parts of a message before answering what came.
pub const PART_WAIT_MS: i64 = 10 * 60 * 1000;

/// Joins the inbox's rows into messages, oldest first. A message whose parts are not all in
/// yet waits, up to [`PART_WAIT_MS`] after its first part, then goes as it is (with the gap
/// marked) rather than never.
pub fn assemble(parts: &[InboxPart], now_ms: i64) -> Vec<Message> {
    let mut out = Vec::new();
    // (sender, reference, total) -> parts by sequence number.
    let mut groups: BTreeMap<(String, u16, u8), Vec<&InboxPart>> = BTreeMap::new();
    for p in parts {
        let Some(h) = header(&p.udh_hex) else {
            out.push(single(p, Body::Binary));
            continue;
        };
        match h.concat {
            Some(c) if c.total > 1 && c.seq >= 1 && c.seq <= c.total => groups
                .entry((p.sender.clone(), c.reference, c.total))
                .or_default()
                .push(p),
            _ => {
                let body = if h.ports { Body::Binary } else { decode(p) };
                out.push(single(p, body));
            }
        }
    }
    for ((sender, _, total), mut members) in groups {
        members.sort_by_key(|p| (seq_of(p), p.id));
        let first_ms = members
            .iter()
            .map(|p| p.received_ms)
            .min()
            .unwrap_or(now_ms);
        let mut by_seq: BTreeMap<u8, &InboxPart> = BTreeMap::new();
        for p in &members {
            by_seq.entry(seq_of(p)).or_insert(p);
        }
        let complete = by_seq.len() == usize::from(total);
        if !complete && now_ms - first_ms < PART_WAIT_MS {
            continue;
        }
        let mut text = String::new();
        let mut binary = false;
        for seq in 1..=total {
            match by_seq.get(&seq) {
                Some(p) => match decode(p) {
                    Body::Text(t) => text.push_str(&t),
                    Body::Binary => binary = true,
                },
                None => text.push_str(" … "),
            }
        }
        let mut ids: Vec<i64> = members.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        out.push(Message {
            ids,
            sender,
            received_ms: first_ms,
            body: if binary {
                Body::Binary
            } else {
                Body::Text(text)
            },
        });
    }
    out.sort_by_key(|m| (m.received_ms, m.ids[0]));
    out
}

fn seq_of(p: &InboxPart) -> u8 {
    header(&p.udh_hex)
        .and_then(|h| h.concat)
        .map_or(0, |c| c.seq)
}

fn single(p: &InboxPart, body: Body) -> Message {
    Message {
        ids: vec![p.id],
        sender: p.sender.clone(),
        received_ms: p.received_ms,
        body,
    }
}

/// A text as UCS-2 hex, the way Gammu keeps it (for tests and tools that put messages in).
pub fn to_ucs2_hex(text: &str) -> String {
    text.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(id: i64, sender: &str, udh: &str, text: &str) -> InboxPart {
        InboxPart {
            id,
            sender: sender.into(),
            received_ms: 1_000 + id,
            coding: "Default_No_Compression".into(),
            udh_hex: udh.into(),
            text_hex: to_ucs2_hex(text),
            // Gammu 1.42 puts the whole text in the first part's `TextDecoded` and leaves the
            // others empty: the hex of each part is what joins reliably.
            text_decoded: String::new(),
        }
    }

    #[test]
    fn parts_of_a_long_message_join_in_order_whatever_order_they_arrive_in() {
        let parts = vec![
            part(7, "+628111", "050003AB0302", " tersumbat sejak "),
            part(5, "+628111", "050003AB0301", "LAPOR selokan"),
            part(9, "+628222", "", "CEK ADU-7K3MQ-9XD2F"),
            part(8, "+628111", "050003AB0303", "seminggu"),
        ];
        let got = assemble(&parts, 2_000);
        assert_eq!(got.len(), 2);
        let long = got.iter().find(|m| m.sender == "+628111").unwrap();
        assert_eq!(
            long.body,
            Body::Text("LAPOR selokan tersumbat sejak seminggu".into())
        );
        assert_eq!(long.ids, vec![5, 7, 8]);
    }

    #[test]
    fn the_same_reference_from_two_senders_is_two_messages_and_16_bit_references_read() {
        let parts = vec![
            part(1, "+628111", "06080412340201", "LAPOR satu "),
            part(2, "+628222", "06080412340201", "LAPOR dua "),
            part(3, "+628111", "06080412340202", "bagian"),
            part(4, "+628222", "06080412340202", "bagian"),
        ];
        let got = assemble(&parts, 2_000);
        assert_eq!(got.len(), 2);
        assert!(got
            .iter()
            .any(|m| m.sender == "+628111" && m.body == Body::Text("LAPOR satu bagian".into())));
        assert!(got
            .iter()
            .any(|m| m.sender == "+628222" && m.body == Body::Text("LAPOR dua bagian".into())));
    }

    #[test]
    fn a_message_with_a_missing_part_waits_then_goes_with_the_gap_marked() {
        let parts = vec![part(1, "+628111", "050003110201", "LAPOR jalan rusak ")];
        assert!(assemble(&parts, 2_000).is_empty());
        let got = assemble(&parts, 1_001 + PART_WAIT_MS);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].body, Body::Text("LAPOR jalan rusak  … ".into()));
    }

    #[test]
    fn data_is_not_text() {
        let mut bin = part(1, "+628111", "", "");
        bin.coding = "8bit".into();
        bin.text_hex = "DEADBEEF00FF".into();
        let mut push = part(2, "+628111", "06050400000000", "");
        push.text_hex = "00".into();
        let broken = part(3, "+628111", "zz", "LAPOR");
        let got = assemble(&[bin, push, broken], 2_000);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|m| m.body == Body::Binary));
    }

    #[test]
    fn odd_headers_do_not_panic() {
        for udh in [
            "",
            "00",
            "01",
            "0500",
            "050003",
            "0500030000",
            "FF00",
            "0608041234",
        ] {
            let _ = header(udh);
            let _ = assemble(&[part(1, "+62", udh, "x")], 0);
        }
        let mut odd = part(1, "+62", "", "");
        odd.text_hex = "ABC".into();
        odd.text_decoded = "fallback".into();
        assert_eq!(decode(&odd), Body::Text("fallback".into()));
    }
}
