//! The typed client's "bring your own data" calls: the dimension catalog
//! and CSV imports. Natively an upload is one multipart request; in the
//! browser, [`ApiClient::upload_import_with_progress`] (in `upload.rs`)
//! sends the picked file and reports its progress.

use api_types::{Dimensions, ErrorBody, ImportList, ImportMode, ImportView};

use super::{decode_body, ApiClient, ClientError};

/// The multipart part an import's file travels in.
pub(super) const FILE_PART: &str = "file";

impl ApiClient {
    /// `GET /api/v1/data/dimensions`: every region and category the data
    /// holds, most orders first.
    pub async fn dimensions(&self) -> Result<Dimensions, ClientError> {
        self.get("/api/v1/data/dimensions").await
    }

    /// `GET /api/v1/data/imports` (analyst and up): newest first.
    pub async fn imports(&self) -> Result<ImportList, ClientError> {
        self.get("/api/v1/data/imports").await
    }

    /// `GET /api/v1/data/imports/{id}` (analyst and up).
    pub async fn import(&self, id: i64) -> Result<ImportView, ClientError> {
        self.get(&format!("/api/v1/data/imports/{id}")).await
    }

    /// The path an import is posted to.
    pub(super) fn imports_url(&self, mode: ImportMode) -> String {
        self.url(&format!("/api/v1/data/imports?mode={}", mode.code()))
    }

    /// `POST /api/v1/data/imports?mode=…` (analyst and up): uploads a CSV
    /// (`.csv`, or gzipped `.csv.gz`) as `file_name`. A small file answers
    /// loaded (201); a large one queued with its `job_id` (202): poll
    /// [`ApiClient::import`] until it finishes. A rejected file's problems
    /// are in the error body (`problems`, `more_problems`).
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn upload_import(
        &self,
        file_name: &str,
        bytes: Vec<u8>,
        mode: ImportMode,
    ) -> Result<ImportView, ClientError> {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(content_type(file_name))
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        let form = reqwest::multipart::Form::new().part(FILE_PART, part);
        let request = self.http.post(self.imports_url(mode)).multipart(form);
        let response = super::native::with_headers(request, self.credentials())
            .send()
            .await
            .map_err(|e| ClientError::Network(e.to_string()))?;
        let reply = super::native::read(response).await?;
        upload_answer(reply.status, &reply.body)
    }
}

/// The content type a file of this name is sent with.
#[cfg_attr(
    target_arch = "wasm32",
    expect(dead_code, reason = "the browser sets it")
)]
fn content_type(file_name: &str) -> &'static str {
    if file_name.to_ascii_lowercase().ends_with(".gz") {
        "application/gzip"
    } else {
        "text/csv"
    }
}

/// An upload's answer. A body-size or media-type refusal may come from
/// in front of the API without the error envelope: it is still reported as
/// the API would (`payload_too_large`, `unsupported_media_type`).
#[cfg_attr(
    not(target_arch = "wasm32"),
    expect(
        clippy::result_large_err,
        reason = "every call of the client returns ClientError; its body is the API's error"
    )
)]
pub(super) fn upload_answer(status: u16, bytes: &[u8]) -> Result<ImportView, ClientError> {
    match decode_body(status, bytes) {
        Err(ClientError::Decode(_)) if matches!(status, 413 | 415) => {
            let (code, message) = if status == 413 {
                ("payload_too_large", "the file is too large")
            } else {
                ("unsupported_media_type", "the file is not a CSV text file")
            };
            Err(ClientError::Api {
                status,
                body: ErrorBody {
                    code: code.to_owned(),
                    message: message.to_owned(),
                    request_id: None,
                    fields: None,
                    problems: None,
                    more_problems: None,
                },
            })
        }
        answer => answer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejected_rows_come_back_in_the_error() {
        let body = br#"{"error":{"code":"invalid_rows","message":"3 rows have problems",
            "problems":[{"line":4,"column":"quantity","value":"-3","message":"must be at least 1"}],
            "more_problems":2}}"#;
        let Err(ClientError::Api { status, body }) = upload_answer(422, body) else {
            panic!("a 422 is an API error");
        };
        assert_eq!(status, 422);
        let problems = body.problems.expect("problems");
        assert_eq!(problems[0].line, 4);
        assert_eq!(problems[0].column.as_deref(), Some("quantity"));
        assert_eq!(body.more_problems, Some(2));
    }

    #[test]
    fn a_bare_413_reads_as_too_large() {
        let Err(ClientError::Api { status, body }) = upload_answer(413, b"length limit exceeded")
        else {
            panic!("a 413 is an API error");
        };
        assert_eq!((status, body.code.as_str()), (413, "payload_too_large"));
        assert!(matches!(
            upload_answer(502, b"bad gateway"),
            Err(ClientError::Decode(_))
        ));
        assert_eq!(content_type("Orders.CSV.GZ"), "application/gzip");
        assert_eq!(content_type("orders.csv"), "text/csv");
    }
}
