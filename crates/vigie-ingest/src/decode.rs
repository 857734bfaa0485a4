//! Bytes to UTF-8 text, streaming: a scan that decides the encoding, a counting reader for
//! progress, and a Latin-1 → UTF-8 transcoder.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How many leading bytes [`Scan::head`] keeps for delimiter sniffing.
const HEAD_LEN: usize = 64 * 1024;
/// The scan's read size.
const SCAN_CHUNK: usize = 1 << 20;

/// What a pass over the whole input found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// The input starts with a UTF-8 byte-order mark.
    pub(crate) bom: bool,
    /// Offset of the first byte that is not valid UTF-8, if any.
    pub(crate) first_bad_byte: Option<u64>,
    /// Something other than whitespace follows the BOM.
    pub(crate) has_content: bool,
    /// The first bytes after the BOM (up to 64 KiB).
    pub(crate) head: Vec<u8>,
    /// How many bytes the input holds, when the scan read it to the end.
    pub(crate) len: Option<u64>,
}

/// The two bytes every gzip member starts with.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Whether data beginning with `head` is gzip-compressed: told by its first bytes, never by
/// a file name. The one place Vigie tells gzip from plain text.
pub fn is_gzip_head(head: &[u8]) -> bool {
    head.starts_with(&GZIP_MAGIC)
}

/// Whether `input` (a file) is gzip-compressed (`.csv.gz`); leaves it at its start.
pub fn is_gzip<R: Read + Seek>(input: &mut R) -> io::Result<bool> {
    let mut magic = [0u8; GZIP_MAGIC.len()];
    let mut got = 0;
    while got < magic.len() {
        match input.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    input.seek(SeekFrom::Start(0))?;
    Ok(is_gzip_head(&magic[..got]))
}

/// The decompressed bytes of a gzip file (every member, as `cat a.gz b.gz` makes), with
/// errors that say the decompression failed.
pub fn gunzip<R: Read>(input: R) -> impl Read {
    struct Gunzip<R: Read>(flate2::read::MultiGzDecoder<io::BufReader<R>>);
    impl<R: Read> Read for Gunzip<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("the gzip-compressed file cannot be read: {e}"),
                )
            })
        }
    }
    Gunzip(flate2::read::MultiGzDecoder::new(
        io::BufReader::with_capacity(1 << 16, input),
    ))
}

/// Incremental UTF-8 validation over chunks, carrying a multi-byte sequence split across
/// chunk boundaries into the next chunk.
struct Utf8Scanner {
    /// Bytes validated before the current buffer.
    offset: u64,
    bad: Option<u64>,
}

impl Utf8Scanner {
    /// Checks `buf` (whose first bytes may be the carry from the previous chunk); returns
    /// how many bytes at its end form an incomplete sequence to carry over.
    fn feed(&mut self, buf: &[u8]) -> usize {
        if self.bad.is_some() {
            return 0;
        }
        match std::str::from_utf8(buf) {
            Ok(_) => {
                self.offset += buf.len() as u64;
                0
            }
            Err(e) if e.error_len().is_none() => {
                // An incomplete sequence at the very end: maybe completed by the next chunk.
                let valid = e.valid_up_to();
                self.offset += valid as u64;
                buf.len() - valid
            }
            Err(e) => {
                self.bad = Some(self.offset + e.valid_up_to() as u64);
                0
            }
        }
    }

    /// End of input with `carry` bytes still incomplete.
    fn finish(&mut self, carry: usize) {
        if carry > 0 && self.bad.is_none() {
            self.bad = Some(self.offset);
        }
    }
}

/// Reads `input` to the end once, deciding BOM, UTF-8 validity and emptiness. Stops early
/// once the input is known to be non-empty, not UTF-8, and the head is full.
pub(crate) fn scan(mut input: impl Read) -> io::Result<Scan> {
    let mut out = Scan::default();
    let mut buf = vec![0u8; SCAN_CHUNK];
    let mut utf8 = Utf8Scanner {
        offset: 0,
        bad: None,
    };
    // Bytes at the start of `buf` kept from the previous read (already in `head`, unless
    // `started` is false).
    let mut carry = 0usize;
    let mut started = false;
    let mut read = 0u64;
    loop {
        let n = match input.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        read += n as u64;
        let len = carry + n;
        let mut start = 0;
        let fresh_from = if started {
            carry
        } else {
            // Wait for three bytes to decide on the BOM (only slow readers split it).
            if n > 0 && len < BOM.len() && BOM.starts_with(&buf[..len]) {
                carry = len;
                continue;
            }
            started = true;
            if buf[..len].starts_with(BOM) {
                out.bom = true;
                start = BOM.len();
                utf8.offset = BOM.len() as u64;
            }
            start
        };
        if out.head.len() < HEAD_LEN {
            let fresh = &buf[fresh_from..len];
            let take = fresh.len().min(HEAD_LEN - out.head.len());
            out.head.extend_from_slice(&fresh[..take]);
        }
        let chunk = &buf[start..len];
        if !out.has_content {
            out.has_content = chunk.iter().any(|b| !b.is_ascii_whitespace());
        }
        if n == 0 {
            // End of input: whatever is carried is an incomplete sequence.
            let rest = utf8.feed(chunk);
            utf8.finish(rest);
            out.len = Some(read);
            break;
        }
        let rest = utf8.feed(chunk);
        if utf8.bad.is_some() && out.head.len() >= HEAD_LEN {
            break;
        }
        buf.copy_within(len - rest..len, 0);
        carry = rest;
    }
    out.first_bad_byte = utf8.bad;
    Ok(out)
}

/// Counts the bytes read through it into a shared counter.
pub(crate) struct Counting<R> {
    pub(crate) inner: R,
    pub(crate) count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Transcodes ISO-8859-1 to UTF-8 on the fly: bytes below 0x80 pass through, the rest
/// become two bytes.
pub(crate) struct Latin1<R> {
    inner: R,
    scratch: Vec<u8>,
    /// The second byte of a character that did not fit into the last output buffer.
    pending: Option<u8>,
}

impl<R: Read> Latin1<R> {
    pub(crate) fn new(inner: R) -> Self {
        Latin1 {
            inner,
            scratch: vec![0; 64 * 1024],
            pending: None,
        }
    }
}

impl<R: Read> Read for Latin1<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        let mut w = 0;
        if let Some(b) = self.pending.take() {
            out[0] = b;
            w = 1;
            if out.len() == 1 {
                return Ok(1);
            }
        }
        // Every input byte yields at most two output bytes.
        let want = ((out.len() - w) / 2).clamp(1, self.scratch.len());
        let n = loop {
            match self.inner.read(&mut self.scratch[..want]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        for &b in &self.scratch[..n] {
            if b < 0x80 {
                out[w] = b;
                w += 1;
            } else {
                let (hi, lo) = (0xC0 | (b >> 6), 0x80 | (b & 0x3F));
                out[w] = hi;
                w += 1;
                if w < out.len() {
                    out[w] = lo;
                    w += 1;
                } else {
                    self.pending = Some(lo);
                }
            }
        }
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call.
    struct Dribble<'a> {
        data: &'a [u8],
        step: usize,
    }
    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn split_multibyte_sequences_are_valid() {
        let text = "Ségou, Mopti — Tombouctou 🙂 ".repeat(50);
        for step in 1..8 {
            let s = scan(Dribble {
                data: text.as_bytes(),
                step,
            })
            .unwrap();
            assert_eq!(s.first_bad_byte, None, "step {step}");
            assert!(s.has_content);
            assert_eq!(s.head, text.as_bytes());
        }
    }

    #[test]
    fn finds_first_bad_byte_and_bom() {
        let mut data = BOM.to_vec();
        data.extend_from_slice(b"id,name\n1,S\xE9gou\n");
        for step in [1, 2, 3, 5, 1000] {
            let s = scan(Dribble { data: &data, step }).unwrap();
            assert!(s.bom);
            assert_eq!(s.first_bad_byte, Some(3 + 11), "step {step}");
            assert_eq!(s.head, &data[3..]);
        }
        // A truncated sequence at the very end is bad too.
        let s = scan(&b"abc\xC3"[..]).unwrap();
        assert_eq!(s.first_bad_byte, Some(3));
    }

    #[test]
    fn emptiness() {
        assert!(!scan(&b""[..]).unwrap().has_content);
        assert!(!scan(&b"\xEF\xBB\xBF \r\n\t"[..]).unwrap().has_content);
        assert!(scan(&b"\xEF\xBB"[..]).unwrap().has_content);
        assert!(scan(&b" x"[..]).unwrap().has_content);
    }

    #[test]
    fn latin1_transcodes_with_any_buffer_size() {
        let input: Vec<u8> = (0u8..=255).cycle().take(3000).collect();
        let expected: String = input.iter().map(|&b| b as char).collect();
        for size in 1..9 {
            let mut r = Latin1::new(Dribble {
                data: &input,
                step: 7,
            });
            let mut out = Vec::new();
            let mut buf = vec![0u8; size];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buf[..n]);
            }
            assert_eq!(String::from_utf8(out).unwrap(), expected, "buffer {size}");
        }
    }
}
