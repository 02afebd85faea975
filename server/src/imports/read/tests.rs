use super::*;
use crate::analytics::dimensions::test_catalog;

const HEADER: &str =
    "ID,Ordered_At,customer_id,region,category,product,quantity,unit_price,unit_cost,discount,status";

fn read(text: &str) -> (Vec<StagedOrder>, i64, Problems) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = header(reader.headers().expect("header")).expect("columns");
    let catalog = test_catalog(&["Europe"], &["Toys"]);
    let mut rows_out = Vec::new();
    let (count, problems) = rows(&mut reader, &columns, &catalog, 2, |batch, _| {
        rows_out.extend(batch);
        true
    })
    .expect("readable");
    (rows_out, count, problems)
}

fn header_of(text: &str) -> Result<Columns, HeaderError> {
    header(&csv::StringRecord::from(
        text.split(',').collect::<Vec<_>>(),
    ))
}

#[test]
fn headers_match_any_case_and_name_what_is_wrong() {
    assert!(header_of(HEADER).is_ok());
    assert!(header_of(&format!("\u{feff}{HEADER}")).is_ok());
    assert_eq!(
        header_of("id,ordered_at,region")
            .expect_err("missing")
            .to_string(),
        "missing required columns: customer_id, category, product, quantity, unit_price, \
         unit_cost, status"
    );
    let unknown = header_of(&format!("{HEADER},colour")).expect_err("unknown");
    assert!(
        unknown.to_string().starts_with("unknown column: colour"),
        "{unknown}"
    );
    assert_eq!(
        header_of(&format!("{HEADER},REGION")).expect_err("twice"),
        HeaderError::Repeated("region".into())
    );
}

#[test]
fn good_rows_become_orders_in_cents() {
    let text = format!(
        "{HEADER}\n7,2026-11-30,3,\"Zürich \"\"Nord\"\"\",Toys,\"Bear, plush\",2,12.50,4.1,1,completed\n\
         ,2026-11-30T10:00:00Z,4,Europe,Toys,Kite,1,3,1,,Returned\n"
    );
    let (orders, count, problems) = read(&text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(count, 2);
    assert_eq!(orders[0].id, Some(7));
    assert_eq!(orders[0].region, "Zürich \"Nord\"");
    assert_eq!(orders[0].product, "Bear, plush");
    assert_eq!(
        (
            orders[0].unit_price,
            orders[0].unit_cost,
            orders[0].discount
        ),
        (1250, 410, 100)
    );
    assert_eq!(orders[0].total(), 2400);
    assert_eq!(
        (orders[1].id, orders[1].discount, orders[1].status),
        (None, 0, "returned")
    );
    assert_eq!(orders[1].line, 3);
}

#[test]
fn every_bad_cell_is_a_problem_with_its_line() {
    let text = format!(
        "{HEADER}\n1,2026-11-30,3,Europe,Toys,Kite,-3,1,1,0,completed\n\
         2,30/11/2026,3,Europe,Toys,Kite,1,1.234,1,0,shipped\n3,2026-11-30,3,Europe\n\
         4,2026-11-30,3,Europe,Toys,Kite,1,1,1,5,completed\n"
    );
    let (orders, count, problems) = read(&text);
    assert!(orders.is_empty(), "no rows go on once a problem is found");
    assert_eq!(count, 4);
    let found: Vec<_> = problems
        .listed
        .iter()
        .map(|p| (p.line, p.column.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "quantity".to_owned()),
            (3, "ordered_at".to_owned()),
            (3, "unit_price".to_owned()),
            (3, "status".to_owned()),
            (4, String::new()),
            (5, "discount".to_owned()),
        ]
    );
    assert_eq!(problems.listed[0].value.as_deref(), Some("-3"));
}

#[test]
fn only_the_first_hundred_problems_are_listed() {
    let mut text = format!("{HEADER}\n");
    for i in 0..150 {
        text.push_str(&format!(
            "{},never,3,Europe,Toys,Kite,1,1,1,0,completed\n",
            i + 1
        ));
    }
    let (_, count, problems) = read(&text);
    assert_eq!(
        (count, problems.listed.len(), problems.more),
        (150, 100, 50)
    );
}
