//! Configuration parsing: defaults, errors naming variables, warnings.
use super::*;

fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::from_lookup(|k| map.get(k).cloned())
}

#[test]
fn defaults_are_safe_for_a_laptop() {
    let config = load(&[]).expect("defaults load");
    assert_eq!(config.mode, Mode::Demo);
    assert_eq!(config.http.bind, "127.0.0.1:3000".parse().expect("addr"));
    assert_eq!(config.data_dir, PathBuf::from("./data"));
    assert!(config.database.url.is_sqlite());
    assert!(config.database.url.expose().ends_with("data/tessera.db"));
    assert_eq!(config.log.format, LogFormat::Pretty);
    assert_eq!(config.http.request_timeout, Duration::from_secs(30));
    assert!(config.audit, "the audit log is on by default");
    assert!(config.warnings(&[]).is_empty());
}

#[test]
fn the_audit_log_can_be_switched_off() {
    assert!(!load(&[("TESSERA_AUDIT", "off")]).expect("off").audit);
    assert!(load(&[("TESSERA_AUDIT", "on")]).expect("on").audit);
}

#[test]
fn bad_values_name_their_variable() {
    let cases = [
        ("TESSERA_BIND", "localhost"),
        ("TESSERA_MODE", "prod"),
        ("TESSERA_LOG_FORMAT", "xml"),
        ("TESSERA_LOG", "info,=="),
        ("TESSERA_DATABASE_URL", "mysql://x"),
        ("TESSERA_REQUEST_TIMEOUT", "forever"),
        ("TESSERA_SHUTDOWN_TIMEOUT", "5h"),
        ("TESSERA_BODY_LIMIT", "12"),
        ("TESSERA_DB_MAX_CONNECTIONS", "0"),
        ("TESSERA_DEMO_PASSWORD", "short"),
        ("TESSERA_JWT_SECRET", "too-short"),
        ("TESSERA_JWT_PREVIOUS_SECRETS", "too-short"),
        ("TESSERA_ALLOW_INSECURE_COOKIES", "maybe"),
        ("TESSERA_AUDIT", "sometimes"),
        ("TESSERA_TRUSTED_PROXIES", "10.0.0.1, proxy.local"),
        ("TESSERA_LOGIN_ATTEMPTS_PER_MINUTE", "0"),
        ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "0"),
        ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "600001"),
        ("TESSERA_PASSWORD_HASH_CONCURRENCY", "0"),
        ("TESSERA_PASSWORD_HASH_CONCURRENCY", "257"),
        ("TESSERA_PASSWORD_HASH_CONCURRENCY", "many"),
        ("TESSERA_AUTH_RECHECK", "1m"),
        ("TESSERA_AUTH_RECHECK", "soon"),
    ];
    for (variable, value) in cases {
        let err = load(&[(variable, value)]).expect_err(variable);
        assert_eq!(err.variable, variable);
        assert!(err.to_string().starts_with(variable), "{err}");
    }
}

#[test]
fn the_auth_recheck_is_bounded_by_the_revocation_promise() {
    let recheck = |v: &str| load(&[("TESSERA_AUTH_RECHECK", v)]).map(|c| c.auth_recheck);
    assert_eq!(
        load(&[]).expect("default").auth_recheck,
        Duration::from_secs(5)
    );
    assert_eq!(recheck("0"), Ok(Duration::ZERO));
    assert_eq!(recheck("30s"), Ok(Duration::from_secs(30)));
    assert_eq!(recheck("250ms"), Ok(Duration::from_millis(250)));
}

#[test]
fn the_session_max_age_defaults_to_12h_within_5m_and_30d() {
    let max_age = |v: &str| load(&[("TESSERA_SESSION_MAX_AGE", v)]).map(|c| c.session_max_age);
    assert_eq!(
        load(&[]).expect("default").session_max_age,
        Duration::from_secs(12 * 3600)
    );
    assert_eq!(max_age("5m"), Ok(Duration::from_secs(300)));
    assert_eq!(max_age("30d"), Ok(Duration::from_secs(30 * 86_400)));
    assert_eq!(max_age("8h 30m"), Ok(Duration::from_secs(8 * 3600 + 1800)));
    for bad in ["4m 59s", "31d", "0", "a while"] {
        let err = max_age(bad).expect_err(bad);
        assert_eq!(err.variable, "TESSERA_SESSION_MAX_AGE", "{bad}");
        assert!(err.message.contains(bad), "{err}");
    }
}

const SECRET: &str = "0123456789abcdef0123456789abcdef";

#[test]
fn production_mode_requires_the_jwt_secret() {
    let err = load(&[("TESSERA_MODE", "production")]).expect_err("no secret");
    assert_eq!(err.variable, "TESSERA_JWT_SECRET");
    let ok = load(&[
        ("TESSERA_MODE", "production"),
        ("TESSERA_JWT_SECRET", SECRET),
    ]);
    assert!(ok.expect("loads").jwt_secret.is_some());
}

#[test]
fn cookies_are_secure_except_on_loopback_when_allowed() {
    assert!(!load(&[]).expect("demo").secure_cookies());
    let public = load(&[("TESSERA_BIND", "0.0.0.0:3000")]).expect("loads");
    assert!(public.secure_cookies());
    let strict = load(&[("TESSERA_ALLOW_INSECURE_COOKIES", "false")]).expect("loads");
    assert!(strict.secure_cookies());
    let prod = load(&[
        ("TESSERA_MODE", "production"),
        ("TESSERA_JWT_SECRET", SECRET),
    ]);
    assert!(prod.expect("loads").secure_cookies());
}

#[test]
fn demo_mode_on_a_public_address_warns() {
    let config = load(&[("TESSERA_BIND", "0.0.0.0:3000")]).expect("loads");
    let warnings = config.warnings(&[]);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("DEMO MODE"));
    let prod = load(&[
        ("TESSERA_BIND", "0.0.0.0:3000"),
        ("TESSERA_MODE", "production"),
        ("TESSERA_JWT_SECRET", SECRET),
    ]);
    assert!(prod.expect("loads").warnings(&[]).is_empty());
}

#[test]
fn unknown_variables_are_reported_but_test_ones_are_not() {
    let config = load(&[]).expect("loads");
    let present = [
        "TESSERA_BIDN".to_owned(),
        "TESSERA_TEST_POSTGRES_URL".to_owned(),
    ];
    let warnings = config.warnings(&present);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("TESSERA_BIDN"));
}

#[test]
fn database_url_picks_the_backend() {
    let pg = load(&[("TESSERA_DATABASE_URL", "postgres://u:secret@db:5432/t")]);
    let pg = pg.expect("loads");
    assert!(!pg.database.url.is_sqlite());
    assert!(!format!("{:?}", pg.database.url).contains("secret"));
}

#[test]
fn login_capacity_defaults_to_the_cores_and_derives_the_instance_cap() {
    let cores = cores();
    let expected = u32::try_from(cores).expect("cores").min(256);
    let defaults = load(&[]).expect("defaults").login_capacity;
    assert_eq!(defaults.hash_concurrency, expected);
    assert_eq!(defaults.global_per_minute, expected * 600);
    assert_eq!(defaults, LoginCapacity::with_slots(cores));

    let slots = load(&[("TESSERA_PASSWORD_HASH_CONCURRENCY", "3")]).expect("loads");
    assert_eq!(
        slots.login_capacity,
        LoginCapacity {
            hash_concurrency: 3,
            global_per_minute: 1800
        }
    );
    let capped = load(&[
        ("TESSERA_PASSWORD_HASH_CONCURRENCY", "3"),
        ("TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE", "120"),
    ]);
    assert_eq!(capped.expect("loads").login_capacity.global_per_minute, 120);
    assert_eq!(LoginCapacity::with_slots(0).hash_concurrency, 1);
    assert_eq!(LoginCapacity::with_slots(10_000).hash_concurrency, 256);
}

#[test]
fn login_capacity_settings_are_known_variables() {
    let present = [
        "TESSERA_PASSWORD_HASH_CONCURRENCY".to_owned(),
        "TESSERA_LOGIN_ATTEMPTS_GLOBAL_PER_MINUTE".to_owned(),
    ];
    assert!(load(&[]).expect("loads").warnings(&present).is_empty());
}
