//! The hash chain: each row's hash is SHA-256 over a canonical serialization
//! of its content and the previous row's hash, so changing, removing or
//! reordering a row breaks every link after it.

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{AuditEvent, AuditRecord};
use crate::storage::Db;

/// Rows read at a time while walking the chain.
const WALK_CHUNK: i64 = 1_000;

/// The predecessor of the very first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The hash of row `id` holding `event`, following `prev_hash`.
pub fn row_hash(id: i64, event: &AuditEvent, prev_hash: &str) -> String {
    row_hash_with(id, event, &canonical_json(&event.context), prev_hash)
}

/// What a row's hash covers, in order: its content, with the context already
/// in canonical form, and the previous row's hash. A JSON array is
/// unambiguous (every string is quoted and escaped).
pub fn linked_fields<'a>(
    id: i64,
    event: &'a AuditEvent,
    context: &'a str,
    prev_hash: &'a str,
) -> impl serde::Serialize + 'a {
    (
        id,
        event.occurred_at.unix_timestamp_nanos() / 1_000,
        &event.session_hash,
        &event.principal,
        event.role.map(|r| r.as_str()),
        &event.action,
        context,
        event.outcome.as_str(),
        event.status,
        &event.client_ip,
        &event.user_agent,
        &event.request_id,
        prev_hash,
    )
}

/// [`row_hash`] with the context already in canonical form (the writer
/// stores the same text, so it is written once).
pub fn row_hash_with(id: i64, event: &AuditEvent, context: &str, prev_hash: &str) -> String {
    // The context is written with sorted keys, whatever the database kept.
    // Serialized straight into the hasher, without building a JSON value.
    let fields = linked_fields(id, event, context, prev_hash);
    let mut hasher = Sha256::new();
    serde_json::to_writer(&mut hasher, &fields).expect("hashing cannot fail");
    format!("{:x}", hasher.finalize())
}

/// `value` as JSON text with object keys sorted, at every depth.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::with_capacity(128);
    write_canonical(value, &mut out);
    String::from_utf8(out).expect("JSON text is UTF-8")
}

fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by_key(|(key, _)| *key);
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, key).expect("writing to memory");
                out.push(b':');
                write_canonical(item, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other).expect("writing to memory"),
    }
}

/// Where and why the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit row {id}: {reason}")]
pub struct Broken {
    /// The first row that does not match (or the head's last id).
    pub id: i64,
    /// What does not match.
    pub reason: String,
}

/// Walks rows in id order, checking each link and each row's content.
#[derive(Debug)]
pub struct Verifier {
    expected_prev: String,
    last_id: i64,
    count: u64,
}

impl Verifier {
    /// Starts at the chain's anchor (the predecessor of the first row kept).
    pub fn new(anchor: &str) -> Self {
        Self {
            expected_prev: anchor.to_owned(),
            last_id: 0,
            count: 0,
        }
    }

    /// Checks the next row.
    pub fn check(&mut self, row: &AuditRecord) -> Result<(), Broken> {
        let broken = |reason: &str| Broken {
            id: row.id,
            reason: reason.to_owned(),
        };
        if row.id <= self.last_id {
            return Err(broken("out of order"));
        }
        if row.prev_hash != self.expected_prev {
            return Err(broken(
                "its link does not match the previous row (a row was removed or changed)",
            ));
        }
        if row_hash(row.id, &row.event, &row.prev_hash) != row.hash {
            return Err(broken(
                "its content does not match its hash (it was changed)",
            ));
        }
        self.expected_prev.clone_from(&row.hash);
        self.last_id = row.id;
        self.count += 1;
        Ok(())
    }

    /// Ends the walk: the last row must be the head the writers know.
    pub fn finish(self, head_id: i64, head_hash: &str) -> Result<u64, Broken> {
        if self.last_id != head_id || (self.count > 0 && self.expected_prev != head_hash) {
            return Err(Broken {
                id: head_id,
                reason: format!(
                    "the log ends at row {} but the head says {head_id} (rows at the end were removed)",
                    self.last_id
                ),
            });
        }
        Ok(self.count)
    }
}

impl Db {
    /// Walks the whole chain: the number of rows when every link holds.
    /// When `written_down` (a head hash noted outside the database) is
    /// given, the chain must still hold that row (or be anchored after it
    /// by a purge): that catches the newest rows removed together with the
    /// head rewritten to match.
    pub async fn walk_audit_chain(
        &self,
        written_down: Option<&str>,
    ) -> Result<Result<u64, Broken>, sqlx::Error> {
        let head = self.audit_head().await?;
        let mut verifier = Verifier::new(&head.anchor_hash);
        let mut found = written_down.is_none_or(|hash| hash == head.anchor_hash);
        let mut after = 0;
        loop {
            let rows = self.audit_rows(after, head.last_id, WALK_CHUNK).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for row in &rows {
                if let Err(broken) = verifier.check(row) {
                    return Ok(Err(broken));
                }
                found = found || written_down.is_some_and(|hash| hash == row.hash);
            }
        }
        let result = verifier.finish(head.last_id, &head.last_hash);
        if result.is_ok() && !found {
            return Ok(Err(Broken {
                id: head.last_id,
                reason: "the head written down is not in the log: rows at its end were removed \
                    and the head rewritten to match (or a purge removed that row: note a new head \
                    after each purge)"
                    .into(),
            }));
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use api_types::AuditOutcome;

    use super::*;

    fn record(id: i64, prev: &str, action: &str) -> AuditRecord {
        let event = AuditEvent::now(
            action,
            AuditOutcome::Ok,
            serde_json::json!({"b": 1, "a": [2]}),
        );
        let hash = row_hash(id, &event, prev);
        AuditRecord {
            id,
            event,
            prev_hash: prev.to_owned(),
            hash,
        }
    }

    #[test]
    fn the_hash_input_is_the_json_array_of_the_fields() {
        // Rows already written were hashed from this exact text: the
        // streaming serializer must keep producing it.
        let mut event = AuditEvent::now(
            "analytics.kpis",
            AuditOutcome::Denied,
            serde_json::json!({"to": "2026-11-24", "regions": ["eu", "na"], "q": "a\"b"}),
        );
        event.session_hash = Some("ab".repeat(32));
        event.principal = Some("viewer@tessera.local".into());
        event.status = Some(403);
        event.user_agent = Some("Mozilla/5.0 (X11; Linux) \u{e9}".into());
        let text = serde_json::json!([
            7,
            event.occurred_at.unix_timestamp_nanos() / 1_000,
            event.session_hash,
            event.principal,
            event.role.map(|r| r.as_str()),
            event.action,
            canonical_json(&event.context),
            event.outcome.as_str(),
            event.status,
            event.client_ip,
            event.user_agent,
            event.request_id,
            GENESIS,
        ])
        .to_string();
        assert_eq!(row_hash(7, &event, GENESIS), sha256_hex(text.as_bytes()));
        assert_eq!(sha256_hex(b"abc").len(), 64);
        assert!(sha256_hex(b"abc").starts_with("ba7816bf"));
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_depth() {
        let value = serde_json::json!({"b": {"z": 1, "y": [true, null]}, "a": "x"});
        assert_eq!(
            canonical_json(&value),
            r#"{"a":"x","b":{"y":[true,null],"z":1}}"#
        );
    }

    #[test]
    fn a_clean_chain_verifies_and_a_changed_row_is_named() {
        let first = record(1, GENESIS, "auth.login");
        let second = record(2, &first.hash, "analytics.kpis");
        let mut verifier = Verifier::new(GENESIS);
        verifier.check(&first).expect("first");
        verifier.check(&second).expect("second");
        assert_eq!(verifier.finish(2, &second.hash), Ok(2));

        let mut changed = second.clone();
        changed.event.principal = Some("mallory".into());
        let mut verifier = Verifier::new(GENESIS);
        verifier.check(&first).expect("first");
        assert_eq!(verifier.check(&changed).map_err(|b| b.id), Err(2));
    }

    #[test]
    fn removed_rows_are_detected() {
        let first = record(1, GENESIS, "a");
        let second = record(2, &first.hash, "b");
        let third = record(3, &second.hash, "c");
        let mut verifier = Verifier::new(GENESIS);
        verifier.check(&first).expect("first");
        assert_eq!(verifier.check(&third).map_err(|b| b.id), Err(3));
        let mut verifier = Verifier::new(GENESIS);
        verifier.check(&first).expect("first");
        verifier.check(&second).expect("second");
        assert_eq!(verifier.finish(3, &third.hash).map_err(|b| b.id), Err(3));
    }
}
