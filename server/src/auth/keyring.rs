//! Where the JWT signing key comes from: `TESSERA_JWT_SECRET`, or in demo
//! mode a key generated once and kept in the data directory, so that tokens
//! survive restarts of a laptop install.

use std::{io::Write, path::Path};

use anyhow::Context;

use super::{jwt::JwtKeys, secret::JwtSecret};
use crate::config::Config;

/// File in the data directory holding the generated demo key.
pub const DEMO_KEY_FILE: &str = "jwt-secret";

/// The key ring for this instance.
pub fn key_ring(config: &Config) -> anyhow::Result<JwtKeys> {
    let current = match &config.jwt_secret {
        Some(secret) => secret.clone(),
        // Production mode refuses to load a configuration without a secret.
        None => load_or_generate(&config.data_dir)?,
    };
    Ok(JwtKeys::new(&current, &config.jwt_previous_secrets))
}

/// Reads the demo key from `data_dir`, generating it (mode 0600) if missing.
pub fn load_or_generate(data_dir: &Path) -> anyhow::Result<JwtSecret> {
    let path = data_dir.join(DEMO_KEY_FILE);
    if let Ok(raw) = std::fs::read_to_string(&path) {
        return JwtSecret::parse(&raw).map_err(|why| anyhow::anyhow!("{}: {why}", path.display()));
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let secret = super::secret::generate_jwt_secret();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            file.write_all(secret.expose())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::warn!(
                path = %path.display(),
                "no TESSERA_JWT_SECRET: generated a signing key for demo mode; \
                 set TESSERA_JWT_SECRET for production and for several instances"
            );
            Ok(secret)
        }
        // Another instance wrote it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_generate(data_dir),
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_key_is_generated_once_and_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = load_or_generate(dir.path()).expect("generated");
        let second = load_or_generate(dir.path()).expect("loaded");
        assert_eq!(first.expose(), second.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(DEMO_KEY_FILE))
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
