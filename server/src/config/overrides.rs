//! Settings given on the command line (`--bind`, `--data-dir`,
//! `--database-url`, `--mode`), each winning over its `TESSERA_*` variable.

/// Values given on the command line; each one wins over its variable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Overrides {
    /// Address to listen on [env: TESSERA_BIND]
    #[arg(long, global = true)]
    pub bind: Option<String>,
    /// Data directory [env: TESSERA_DATA_DIR]
    #[arg(long, global = true)]
    pub data_dir: Option<String>,
    /// Database URL: sqlite://PATH or postgres://… [env: TESSERA_DATABASE_URL]
    #[arg(long, global = true)]
    pub database_url: Option<String>,
    /// demo or production [env: TESSERA_MODE]
    #[arg(long, global = true)]
    pub mode: Option<String>,
}

impl Overrides {
    /// The value given for `variable`, if any.
    pub(super) fn get(&self, variable: &str) -> Option<String> {
        match variable {
            "TESSERA_BIND" => self.bind.clone(),
            "TESSERA_DATA_DIR" => self.data_dir.clone(),
            "TESSERA_DATABASE_URL" => self.database_url.clone(),
            "TESSERA_MODE" => self.mode.clone(),
            _ => None,
        }
    }
}
