//! A graceful stop under concurrent load loses no audit rows: every request
//! that got an answer has its row once the server has stopped.

use std::sync::{
    atomic::{AtomicUsize, Ordering},
    Arc,
};

use rstest_reuse::apply;

use super::{all_rows, audited_app, PASSWORD};
use crate::helpers::{each_backend, Backend};

const REQUESTS: usize = 300;

#[apply(each_backend)]
#[tokio::test]
async fn a_graceful_stop_under_load_loses_no_events(backend: Backend) {
    let app = audited_app(backend).await;
    let cookies = app.login_cookies("viewer@tessera.local", PASSWORD).await;
    let answered = Arc::new(AtomicUsize::new(0));
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..REQUESTS)
        .map(|i| {
            let (http, answered) = (http.clone(), Arc::clone(&answered));
            let url = app.url(&format!(
                "/api/v1/analytics/kpis?range=7d&regions=Europe&i={i}"
            ));
            let url = if i % 2 == 0 {
                app.url("/api/v1/data/status")
            } else {
                url
            };
            let cookies = cookies.clone();
            tokio::spawn(async move {
                let response = http.get(url).header("cookie", cookies).send().await;
                if response.is_ok() {
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    while answered.load(Ordering::SeqCst) < REQUESTS / 4 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let (result, db) = app.stop().await;
    result.expect("clean stop");
    for task in tasks {
        task.await.expect("request task");
    }
    let answered = answered.load(Ordering::SeqCst);
    let rows = all_rows(&db.connect().await).await;
    let requests = rows
        .iter()
        .filter(|r| r.event.action != "auth.login")
        .count();
    assert!(answered >= REQUESTS / 4, "{answered}");
    assert_eq!(
        requests, answered,
        "one row per answered request ({backend:?})"
    );
    eprintln!("{backend:?}: {answered} of {REQUESTS} answered before the stop, all recorded");
}
