//! CSV fields safe to open in a spreadsheet, for every CSV Tessera writes
//! (the audit export, order exports).

/// One CSV field: quoted when needed, and text a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@`, tab or carriage return first) prefixed
/// with `'`.
pub fn field(raw: &str) -> String {
    let text = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field("-2+3"), "'-2+3");
    }
}
