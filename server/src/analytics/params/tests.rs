use super::*;

fn filters(query: &str) -> Result<FilterSet, FieldErrors> {
    let catalog = crate::analytics::dimensions::test_catalog(
        &["na", "eu", "apac", "latam", "mea", "Zürich \"Nord\", Süd"],
        &["toys", "books"],
    );
    let mut params = Params::parse(Some(query), &FILTER_PARAMS);
    let filters = FilterSet::take(&mut params, 20_000, &catalog);
    params.finish(filters)
}

fn fields(error: FieldErrors) -> Vec<String> {
    error.0.into_keys().collect()
}

#[test]
fn defaults_to_the_last_30_days() {
    let f = filters("").expect("valid");
    assert_eq!(
        f.period,
        Period {
            from: 19_971,
            to: 20_000
        }
    );
    assert!(f.regions.is_empty() && f.categories.is_empty());
}

#[test]
fn normalises_lists() {
    let a = filters("regions=eu,na,eu&categories=toys").expect("valid");
    let b = filters("regions=na,eu&categories=toys").expect("valid");
    assert_eq!(a.key(), b.key());
    let all = filters("regions=na,eu,apac,latam,mea&region=Z%C3%BCrich+%22Nord%22%2C+S%C3%BCd")
        .expect("valid");
    assert!(all.regions.is_empty());
}

#[test]
fn a_repeated_region_may_hold_a_comma() {
    let f =
        filters("region=Z%C3%BCrich+%22Nord%22%2C+S%C3%BCd&region=eu&regions=na").expect("valid");
    assert_eq!(f.regions, ["Zürich \"Nord\", Süd", "eu", "na"]);
    let error = filters("region=Atlantis").expect_err("unknown");
    assert!(error.0["region"].contains("Atlantis"));
}

#[test]
fn storage_gets_the_sorted_values() {
    let f = filters("regions=eu,na&categories=toys&from=2026-01-01&to=2026-01-31").expect("valid");
    let filter = f.to_storage();
    assert_eq!(filter.period, f.period);
    assert_eq!(filter.regions, ["eu", "na"]);
    assert_eq!(filter.categories, ["toys"]);
    assert_eq!(
        filter.sql_conditions(),
        " AND region IN ($1,$2) AND category IN ($3)"
    );
}

#[test]
fn names_every_bad_field() {
    let error = filters("regions=eu,mars&from=2026-13-01&colour=red").expect_err("invalid");
    assert_eq!(fields(error), ["colour", "from", "regions"]);
    let error = filters("from=2026-02-01&to=2026-01-01").expect_err("invalid");
    assert_eq!(fields(error), ["to"]);
    let error = filters("range=7d&from=2026-01-01&to=2026-01-02").expect_err("invalid");
    assert_eq!(fields(error), ["range"]);
    let error = filters("range=7d&range=30d").expect_err("invalid");
    assert_eq!(fields(error), ["range"]);
}

#[test]
fn presets_end_at_the_anchor() {
    let anchor = calendar::parse_day("2026-11-20").expect("date");
    let quarter = preset(RangePreset::Quarter, anchor);
    assert_eq!(calendar::format_day(quarter.from), "2026-10-01");
    let year = preset(RangePreset::Year, anchor);
    assert_eq!(calendar::format_day(year.from), "2026-01-01");
    assert_eq!(preset(RangePreset::Last7, anchor).len(), 7);
}
