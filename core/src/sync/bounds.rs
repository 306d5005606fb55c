//! Size limits on Automerge data from elsewhere, measured before automerge decodes it.
//!
//! automerge inflates a compressed change (chunk type 2) and a document's deflated columns in
//! full, and a run-length-encoded column of a few bytes can stand for billions of operations.
//! So a 261 KB change may inflate to 256 MiB, and a tiny one may keep a decoder busy for hours.
//! These functions read the chunk headers and column lengths themselves, inflate through a
//! bound (never more than the limit in memory, often nothing: a column is counted into a sink),
//! and count operations from the action column's run lengths without expanding them. The
//! server calls them on every uploaded change, the phone on every download, so neither side
//! ever holds more than the limits below of one document.

use std::io::Read;

use automerge::{AutoCommit, Change};

/// A change's bytes after inflation (the largest real change, a whole 8,000-character
/// description rewritten, is under 100 KB).
pub const MAX_CHANGE_BYTES: u64 = 1024 * 1024;
/// Operations in one change (rewriting that description is about 16,000).
pub const MAX_CHANGE_OPS: u64 = 50_000;
/// A change's message: Aduan writes none.
pub const MAX_CHANGE_MESSAGE_BYTES: u64 = 1024;
/// One document's history, inflated: its changes, or a whole saved document.
pub const MAX_DOC_BYTES: u64 = 8 * 1024 * 1024;
/// Operations in one document's history.
pub const MAX_DOC_OPS: u64 = 200_000;
/// Changes in one document's history (a change may carry no operation at all).
pub const MAX_DOC_CHANGES: u64 = 20_000;

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const CHUNK_DOCUMENT: u8 = 0;
const CHUNK_CHANGE: u8 = 1;
const CHUNK_COMPRESSED: u8 = 2;
/// The action column (id 4, integer, run-length encoded) has one row per operation, and
/// automerge's op iterator stops when it ends; the same spec in changes and documents.
const ACTION_COLUMN: u32 = (4 << 4) | 2;
const DEFLATE_BIT: u32 = 0b1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Bound {
    #[error("the data does not parse")]
    Malformed,
    #[error("too large: {0}")]
    TooLarge(&'static str),
}

/// What some Automerge data holds once inflated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measure {
    pub bytes: u64,
    pub ops: u64,
    pub changes: u64,
}

impl Measure {
    pub fn add(&mut self, other: Measure) {
        self.bytes = self.bytes.saturating_add(other.bytes);
        self.ops = self.ops.saturating_add(other.ops);
        self.changes = self.changes.saturating_add(other.changes);
    }

    /// Whether one document may hold this much.
    pub fn within_doc(&self) -> Result<(), Bound> {
        if self.bytes > MAX_DOC_BYTES {
            return Err(Bound::TooLarge("document size"));
        }
        if self.ops > MAX_DOC_OPS {
            return Err(Bound::TooLarge("document operations"));
        }
        if self.changes > MAX_DOC_CHANGES {
            return Err(Bound::TooLarge("document changes"));
        }
        Ok(())
    }
}

/// Measures one change chunk (plain or compressed) within the per-change limits.
pub fn measure_change(bytes: &[u8]) -> Result<Measure, Bound> {
    let mut r = Reader(bytes);
    let (kind, body) = chunk(&mut r)?;
    if !r.0.is_empty() {
        return Err(Bound::Malformed);
    }
    // Counted as automerge holds it: the header and the inflated body.
    let header = (bytes.len() - body.len()) as u64;
    match kind {
        CHUNK_CHANGE => change_body(body, bytes.len() as u64),
        CHUNK_COMPRESSED => {
            let inflated = inflate(body, MAX_CHANGE_BYTES)?;
            change_body(&inflated, header + inflated.len() as u64)
        }
        _ => Err(Bound::Malformed),
    }
}

/// Measures what `load_incremental` would load (a saved document, changes, or both one after
/// the other) within the per-change and per-document limits.
pub fn measure_data(bytes: &[u8]) -> Result<Measure, Bound> {
    let mut r = Reader(bytes);
    let mut total = Measure::default();
    while !r.0.is_empty() {
        let start = r.0;
        let (kind, body) = chunk(&mut r)?;
        let whole = &start[..start.len() - r.0.len()];
        let m = match kind {
            CHUNK_DOCUMENT => document_body(body)?,
            CHUNK_CHANGE | CHUNK_COMPRESSED => measure_change(whole)?,
            _ => return Err(Bound::Malformed),
        };
        total.add(m);
        total.within_doc()?;
    }
    Ok(total)
}

/// What a document already holds: its operations and changes (its bytes are counted where
/// it is stored).
pub fn measure_doc(doc: &mut AutoCommit) -> Measure {
    let metas = doc.get_changes_meta(&[]);
    let mut m = Measure {
        changes: metas.len() as u64,
        ..Measure::default()
    };
    for meta in metas {
        m.ops += (meta.max_op + 1).saturating_sub(meta.start_op);
    }
    m
}

/// The measure of changes automerge has already decoded (each passed [`measure_change`]).
pub fn measure_changes(changes: &[Change]) -> Measure {
    let mut m = Measure::default();
    for c in changes {
        m.bytes += c.raw_bytes().len() as u64;
        m.ops += c.len() as u64;
        m.changes += 1;
    }
    m
}

fn chunk<'a>(r: &mut Reader<'a>) -> Result<(u8, &'a [u8]), Bound> {
    if r.take(4)? != MAGIC {
        return Err(Bound::Malformed);
    }
    r.take(4)?; // checksum: automerge verifies it
    let kind = r.take(1)?[0];
    let len = r.uleb()?;
    Ok((kind, r.take_u64(len)?))
}

fn change_body(body: &[u8], inflated: u64) -> Result<Measure, Bound> {
    if inflated > MAX_CHANGE_BYTES {
        return Err(Bound::TooLarge("change size"));
    }
    let mut r = Reader(body);
    let deps = r.uleb()?;
    r.take_u64(deps.checked_mul(32).ok_or(Bound::Malformed)?)?;
    r.bytes()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.uleb()?; // time (signed, same length)
    let message = r.uleb()?;
    if message > MAX_CHANGE_MESSAGE_BYTES {
        return Err(Bound::TooLarge("change message"));
    }
    r.take_u64(message)?;
    let others = r.uleb()?;
    for _ in 0..others {
        r.bytes()?;
    }
    let columns = columns(&mut r)?;
    let mut ops = 0;
    for (spec, data) in split_columns(&mut r, &columns)? {
        // automerge refuses a change with deflated columns; so does this.
        if spec & DEFLATE_BIT != 0 {
            return Err(Bound::Malformed);
        }
        if spec == ACTION_COLUMN {
            ops = count_rows(data, MAX_CHANGE_OPS).ok_or(Bound::TooLarge("change operations"))?;
        }
    }
    Ok(Measure {
        bytes: inflated,
        ops,
        changes: 1,
    })
}

fn document_body(body: &[u8]) -> Result<Measure, Bound> {
    let mut r = Reader(body);
    let actors = r.uleb()?;
    for _ in 0..actors {
        r.bytes()?;
    }
    let heads = r.uleb()?;
    r.take_u64(heads.checked_mul(32).ok_or(Bound::Malformed)?)?;
    let change_cols = columns(&mut r)?;
    let op_cols = columns(&mut r)?;
    let mut m = Measure {
        bytes: body.len() as u64,
        ..Measure::default()
    };
    let change_data = split_columns(&mut r, &change_cols)?;
    let op_data = split_columns(&mut r, &op_cols)?;
    for (spec, data) in change_data.iter().chain(&op_data) {
        if spec & DEFLATE_BIT != 0 {
            let budget = MAX_DOC_BYTES.saturating_sub(m.bytes);
            m.bytes += inflated_len(data, budget)?;
        }
    }
    if m.bytes > MAX_DOC_BYTES {
        return Err(Bound::TooLarge("document size"));
    }
    // One row per change in the change metadata's first column (the actor), counted the same
    // way as operations.
    if let Some((spec, data)) = change_data.first() {
        m.changes =
            rows(*spec, data, MAX_DOC_CHANGES).ok_or(Bound::TooLarge("document changes"))?;
    }
    if let Some((spec, data)) = op_data
        .iter()
        .find(|(s, _)| s & !DEFLATE_BIT == ACTION_COLUMN)
    {
        m.ops = rows(*spec, data, MAX_DOC_OPS).ok_or(Bound::TooLarge("document operations"))?;
    }
    Ok(m)
}

/// Counts the rows of a run-length-encoded column that may be deflated; `None` beyond `max`.
fn rows(spec: u32, data: &[u8], max: u64) -> Option<u64> {
    if spec & DEFLATE_BIT != 0 {
        // Already measured within MAX_DOC_BYTES.
        let inflated = inflate(data, MAX_DOC_BYTES).ok()?;
        count_rows(&inflated, max)
    } else {
        count_rows(data, max)
    }
}

/// Rows in an unsigned run-length-encoded column: a positive count repeats one value, a
/// negative count is that many literal values, zero is followed by a count of nulls.
fn count_rows(data: &[u8], max: u64) -> Option<u64> {
    let mut r = Reader(data);
    let mut rows: u64 = 0;
    while !r.0.is_empty() {
        let count = r.sleb().ok()?;
        let n = if count > 0 {
            r.uleb().ok()?;
            count as u64
        } else if count < 0 {
            let n = count.unsigned_abs();
            for _ in 0..n {
                r.uleb().ok()?;
            }
            n
        } else {
            r.uleb().ok()?
        };
        rows = rows.checked_add(n)?;
        if rows > max {
            return None;
        }
    }
    Some(rows)
}

fn columns(r: &mut Reader<'_>) -> Result<Vec<(u32, u64)>, Bound> {
    let n = r.uleb()?;
    let mut out = Vec::new();
    for _ in 0..n {
        let spec = u32::try_from(r.uleb()?).map_err(|_| Bound::Malformed)?;
        out.push((spec, r.uleb()?));
    }
    Ok(out)
}

fn split_columns<'a>(
    r: &mut Reader<'a>,
    columns: &[(u32, u64)],
) -> Result<Vec<(u32, &'a [u8])>, Bound> {
    columns
        .iter()
        .map(|(spec, len)| Ok((*spec, r.take_u64(*len)?)))
        .collect()
}

/// Inflates raw DEFLATE data holding at most `max` bytes in memory.
fn inflate(data: &[u8], max: u64) -> Result<Vec<u8>, Bound> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(data)
        .take(max + 1)
        .read_to_end(&mut out)
        .map_err(|_| Bound::Malformed)?;
    if out.len() as u64 > max {
        return Err(Bound::TooLarge("inflated size"));
    }
    Ok(out)
}

/// The inflated length of raw DEFLATE data, counted through a small buffer.
fn inflated_len(data: &[u8], max: u64) -> Result<u64, Bound> {
    let n = std::io::copy(
        &mut flate2::read::DeflateDecoder::new(data).take(max + 1),
        &mut std::io::sink(),
    )
    .map_err(|_| Bound::Malformed)?;
    if n > max {
        return Err(Bound::TooLarge("document size"));
    }
    Ok(n)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Bound> {
        if n > self.0.len() {
            return Err(Bound::Malformed);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn take_u64(&mut self, n: u64) -> Result<&'a [u8], Bound> {
        self.take(usize::try_from(n).map_err(|_| Bound::Malformed)?)
    }

    fn bytes(&mut self) -> Result<&'a [u8], Bound> {
        let n = self.uleb()?;
        self.take_u64(n)
    }

    fn uleb(&mut self) -> Result<u64, Bound> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            let low = u64::from(byte & 0x7f);
            if shift == 63 && low > 1 {
                return Err(Bound::Malformed);
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Bound::Malformed)
    }

    fn sleb(&mut self) -> Result<i64, Bound> {
        let mut value: i64 = 0;
        let mut shift = 0;
        loop {
            let byte = self.take(1)?[0];
            if shift >= 64 {
                return Err(Bound::Malformed);
            }
            value |= i64::from(byte & 0x7f).wrapping_shl(shift);
            shift += 7;
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Ok(value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::{transaction::Transactable, ObjType, ROOT};

    fn doc_with_text(chars: usize) -> AutoCommit {
        let mut doc = AutoCommit::new();
        let text = doc.put_object(ROOT, "description", ObjType::Text).unwrap();
        doc.splice_text(&text, 0, 0, &"a".repeat(chars)).unwrap();
        doc.put(ROOT, "title", "Selokan").unwrap();
        doc
    }

    #[test]
    fn real_changes_and_documents_measure_what_automerge_counts() {
        let mut doc = doc_with_text(3000);
        let mut change = doc.get_last_local_change().unwrap();
        let m = measure_change(&change.bytes()).unwrap();
        assert_eq!(m.ops, change.len() as u64);
        assert_eq!(m.ops, 3002);
        assert_eq!(m.bytes, change.raw_bytes().len() as u64);
        let m = measure_change(change.raw_bytes()).unwrap();
        assert_eq!(m.ops, 3002);
        let saved = doc.save();
        let m = measure_data(&saved).unwrap();
        assert_eq!((m.ops, m.changes), (3002, 1));
        assert!(m.bytes >= saved.len() as u64);
        assert_eq!(measure_doc(&mut doc).ops, 3002);
        let mut both = saved.clone();
        both.extend_from_slice(change.raw_bytes());
        assert_eq!(measure_data(&both).unwrap().ops, 6004);
    }
}
