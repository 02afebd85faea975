//! The database URL: validated once, never printed with its password.

use std::{fmt, path::Path};

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Lower-case name, as shown in logs and `/ready`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A `sqlite:` or `postgres://` URL. It may carry a password, so `Debug` and
/// `Display` redact it; [`DatabaseUrl::expose`] gives the raw text to the driver.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
}

impl DatabaseUrl {
    /// Accepts `sqlite:PATH`, `sqlite://PATH` and `postgres://` / `postgresql://` URLs.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let backend = if raw.starts_with("sqlite:") {
            Backend::Sqlite
        } else if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            url::Url::parse(raw).map_err(|e| format!("not a valid PostgreSQL URL ({e})"))?;
            Backend::Postgres
        } else {
            return Err("expected sqlite://PATH or postgres://USER@HOST:PORT/DB".into());
        };
        if backend == Backend::Sqlite
            && raw
                .trim_start_matches("sqlite:")
                .trim_start_matches("//")
                .is_empty()
        {
            return Err("the SQLite URL names no file (expected sqlite://PATH)".into());
        }
        Ok(Self {
            raw: raw.to_owned(),
            backend,
        })
    }

    /// The URL of a SQLite file at `path` (created on first connect).
    pub fn sqlite_file(path: &Path) -> Self {
        Self {
            raw: format!("sqlite://{}", path.display()),
            backend: Backend::Sqlite,
        }
    }

    /// The engine behind this URL.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True for SQLite.
    pub fn is_sqlite(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// The raw URL, password included. Only for handing to the driver.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The URL with every password replaced by `***`: the one in the user
    /// part and those given as query parameters (`?password=`,
    /// `sslpassword=`), whatever their case.
    fn redacted(&self) -> String {
        let Ok(mut url) = url::Url::parse(&self.raw) else {
            // Only SQLite paths that are not URLs get here: keep them, minus
            // anything after `?`, which could name a key.
            return self.raw.split('?').next().unwrap_or_default().to_owned();
        };
        if url.password().is_some() {
            // set_password only fails for URLs that cannot have one.
            let _ = url.set_password(Some("***"));
        }
        let secret = |key: &str| {
            let key = key.to_ascii_lowercase();
            key.contains("password") || key == "passfile"
        };
        if url.query_pairs().any(|(key, _)| secret(&key)) {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(key, value)| {
                    let value = if secret(&key) {
                        "***".into()
                    } else {
                        value.into_owned()
                    };
                    (key.into_owned(), value)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string()
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_backends() {
        let sqlite = DatabaseUrl::parse("sqlite://data/t.db").expect("sqlite");
        assert_eq!(sqlite.backend(), Backend::Sqlite);
        let pg = DatabaseUrl::parse("postgresql://postgres@127.0.0.1:5432/x").expect("pg");
        assert_eq!(pg.backend(), Backend::Postgres);
    }

    #[test]
    fn rejects_other_schemes_and_empty_paths() {
        for raw in ["mysql://x", "data.db", "", "sqlite://", "postgres://[bad"] {
            assert!(DatabaseUrl::parse(raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn never_prints_the_password() {
        let url = DatabaseUrl::parse("postgres://app:hunter2@db:5432/tessera").expect("pg");
        for shown in [format!("{url}"), format!("{url:?}")] {
            assert!(!shown.contains("hunter2"), "{shown}");
            assert!(shown.contains("app:***@db"), "{shown}");
        }
        assert!(url.expose().contains("hunter2"));
        for raw in [
            "postgres://app@db/tessera?password=hunter2",
            "postgres://app@db/tessera?sslmode=require&PassWord=hunter2",
            "postgresql://app:hunter2@db/tessera?sslpassword=hunter2&application_name=x",
        ] {
            let url = DatabaseUrl::parse(raw).expect("pg");
            for shown in [format!("{url}"), format!("{url:?}")] {
                assert!(!shown.contains("hunter2"), "{shown}");
                assert!(shown.contains("***"), "{shown}");
            }
        }
        let kept = DatabaseUrl::parse("postgres://app@db/t?sslmode=require").expect("pg");
        assert_eq!(kept.to_string(), "postgres://app@db/t?sslmode=require");
    }
}
