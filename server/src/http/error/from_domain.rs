//! The domain's errors as API errors: the one place a use case's failure
//! becomes a status code and a body.

use super::ApiError;
use crate::{
    accounts::AccountError, analytics::refresh::RefreshError, auth::password, cache,
    imports::ImportError, jobs::JobError, validation::FieldErrors,
};

impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        let message = error.to_string();
        match error {
            ImportError::NotText(why) => ApiError::UnsupportedMediaType(why),
            ImportError::Header(_) => ApiError::BadRequest(message),
            ImportError::Rows { problems, more } => ApiError::Rows(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_rows",
                message,
                problems,
                more,
            ),
            ImportError::Present { problems, count } => {
                let more = count - problems.len() as i64;
                ApiError::Rows(
                    axum::http::StatusCode::CONFLICT,
                    "conflict",
                    message,
                    problems,
                    more,
                )
            }
            ImportError::TimedOut => ApiError::Unavailable(message),
            ImportError::Storage(e) => ApiError::Database(e),
            ImportError::Io(e) => ApiError::Internal(e.into()),
        }
    }
}

impl From<JobError> for ApiError {
    fn from(error: JobError) -> Self {
        match error {
            JobError::NotFound => ApiError::NotFound(error.to_string()),
            JobError::Limited(message, wait) => ApiError::QueueFull(message, wait),
            JobError::Conflict(message) => ApiError::Conflict("job_state", message),
            JobError::Gone(message) => ApiError::Gone(message),
            JobError::Storage(e) => ApiError::Database(e),
        }
    }
}

impl From<password::Busy> for ApiError {
    fn from(_: password::Busy) -> Self {
        ApiError::Busy(password::BUSY_RETRY_AFTER)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::Validation(errors.0)
    }
}

impl From<cache::Unavailable> for ApiError {
    fn from(error: cache::Unavailable) -> Self {
        ApiError::Unavailable(error.to_string())
    }
}

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Invalid(fields) => fields.into(),
            AccountError::NothingToChange => ApiError::BadRequest(error.to_string()),
            AccountError::Taken(what) => {
                ApiError::Conflict("already_exists", format!("that {what} is already taken"))
            }
            AccountError::LastAdmin => ApiError::Conflict("last_admin", error.to_string()),
            AccountError::NotFound(_) => ApiError::NotFound(error.to_string()),
            AccountError::Hashing(e) => ApiError::Internal(e),
            AccountError::Storage(e) => ApiError::Database(e),
        }
    }
}

impl From<RefreshError> for ApiError {
    fn from(error: RefreshError) -> Self {
        match error {
            RefreshError::Storage(e) => ApiError::Database(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::*;

    #[test]
    fn account_errors_keep_their_status_and_code() {
        let mut fields = FieldErrors::default();
        fields.add("display_name", "must be 1 to 100 characters");
        let cases = [
            (AccountError::Invalid(fields), 400, "validation_failed"),
            (AccountError::NothingToChange, 400, "bad_request"),
            (AccountError::Taken("email"), 409, "already_exists"),
            (AccountError::LastAdmin, 409, "last_admin"),
            (AccountError::NotFound("user"), 404, "not_found"),
            (
                AccountError::Hashing(anyhow::anyhow!("no slot")),
                500,
                "internal",
            ),
        ];
        for (error, status, code) in cases {
            let (got, body) = ApiError::from(error).to_parts();
            assert_eq!(
                (got, body.code.as_str()),
                (StatusCode::from_u16(status).expect("status"), code)
            );
        }
        let (_, body) = ApiError::from(AccountError::Taken("email")).to_parts();
        assert_eq!(body.message, "that email is already taken");
        let (_, body) = ApiError::from(AccountError::NotFound("service account")).to_parts();
        assert_eq!(body.message, "no such service account");
    }
}
