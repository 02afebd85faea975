//! Is an upload text? Its first bytes tell: gzip is unwrapped (a `.csv.gz`),
//! and the magic numbers of archives, documents, executables and images,
//! NUL bytes and invalid UTF-8 are refused before a row is read.

/// What the first bytes of an upload are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (maybe CSV).
    Text,
    /// gzip: the text is inside.
    Gzip,
}

/// Magic numbers of files that are certainly not CSV, with their names.
const NOT_TEXT: &[(&[u8], &str)] = &[
    (b"PK\x03\x04", "a zip archive (or an Excel .xlsx workbook)"),
    (b"PK\x05\x06", "a zip archive"),
    (b"%PDF", "a PDF document"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "an executable (Windows)"),
    (b"\xcf\xfa\xed\xfe", "an executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "an executable (Mach-O or Java class)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file (RIFF)"),
    (b"\xd0\xcf\x11\xe0", "an Office document (.xls/.doc)"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "a SQLite database"),
];

/// The kind of upload that starts with `head`, or why it is not text.
pub fn sniff(head: &[u8]) -> Result<Kind, String> {
    if head.starts_with(b"\x1f\x8b") {
        return Ok(Kind::Gzip);
    }
    text(head).map(|()| Kind::Text)
}

/// Whether `head` (the start of the text, after any gzip) looks like text.
pub fn text(head: &[u8]) -> Result<(), String> {
    if let Some((_, name)) = NOT_TEXT.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Err(format!("the file is {name}, not CSV text"));
    }
    if head.contains(&0) {
        return Err("the file holds NUL bytes: it is binary, not CSV text".into());
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(()),
        // A character cut at the end of the sample is not an error.
        Err(e) if e.error_len().is_none() => Ok(()),
        Err(_) => Err("the file is not UTF-8 text (save the CSV as UTF-8)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binaries_are_named() {
        for (head, word) in [
            (&b"PK\x03\x04rest"[..], "zip"),
            (b"%PDF-1.7", "PDF"),
            (b"\x7fELF\x02\x01", "ELF"),
            (b"MZ\x90\x00", "Windows"),
            (b"\x89PNG\r\n\x1a\n", "PNG"),
            (b"\xff\xd8\xff\xe0", "JPEG"),
            (b"id,ordered_at\n\x00\x00", "NUL"),
            (b"id,r\xe9gion\n", "UTF-8"),
        ] {
            let error = sniff(head).expect_err("not text");
            assert!(error.contains(word), "{error}");
        }
    }

    #[test]
    fn text_and_gzip_pass() {
        assert_eq!(sniff(b"id,ordered_at\n1,2026-01-01\n"), Ok(Kind::Text));
        assert_eq!(sniff("\u{feff}région\n".as_bytes()), Ok(Kind::Text));
        assert_eq!(sniff(b"\x1f\x8b\x08\x00"), Ok(Kind::Gzip));
        // A multi-byte character cut by the sample's end.
        assert_eq!(sniff(&"é".as_bytes()[..1]), Ok(Kind::Text));
    }
}
