//! The forecast the page shows: the job in the URL, or else the caller's
//! latest forecast; its live progress while it runs, then its result.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{result::ForecastResultView, state::use_forecast};
use crate::{
    api::{api_client, ClientError, ForecastResult, JobKind, JobStatus, JobView, Role},
    components::{
        api_action::api_action,
        audit::when::{absolute, relative, unix_millis},
        card::{CardError, LoadingCard},
        error_text::problem_text,
        form_error::FormError,
        icons::Icon,
        jobs::{
            describe::{run_again, run_time, Params},
            live::{follow, unfinished},
            progress::{JobProgress, StatusBadge},
        },
        skeleton::Skeleton,
        timing::now_millis,
    },
    session::use_current_user,
};

/// The job card (and, once it succeeded, the result below it).
#[component]
pub fn ForecastJob() -> impl IntoView {
    let state = use_forecast();
    let client = api_client();
    let job = Resource::new(
        move || state.job.get(),
        move |id| {
            let client = client.clone();
            async move {
                match id {
                    Some(id) => client.job(&id).await.map(Some),
                    None => client
                        .jobs(false)
                        .await
                        .map(|list| list.jobs.into_iter().find(|j| j.kind == JobKind::Forecast)),
                }
            }
        },
    );
    let content = move || {
        job.get().map(|answer| match answer {
            Ok(Some(job)) => view! { <JobPanel job/> }.into_any(),
            Ok(None) => view! { <NoForecast/> }.into_any(),
            Err(ClientError::Api { status: 404, .. }) => view! { <MissingForecast/> }.into_any(),
            Err(error) => view! {
                <div class="card"><CardError error on_retry=move || job.refetch()/></div>
            }
            .into_any(),
        })
    };
    view! {
        <LoadingCard class="forecast-job" testid="forecast-job" labelled_by="forecast-job-title" busy_bar=true
            fallback=|| view! { <Skeleton class="skeleton--chart"/> } content>
            <h2 id="forecast-job-title" class="visually-hidden">"Forecast"</h2>
        </LoadingCard>
    }
}

/// One forecast job, followed while it runs.
#[component]
fn JobPanel(job: JobView) -> impl IntoView {
    let state = use_forecast();
    let may_run = use_current_user().may(Some(Role::Analyst));
    let live = RwSignal::new(job);
    follow(
        Signal::from(Memo::new(move |_| live.with(unfinished))),
        move |view| live.set(view),
    );
    let status = Memo::new(move |_| live.with(|j| j.status));
    let cancel = api_action(move |client, id: String| async move {
        let cancelled = client.cancel_job(&id).await;
        if let Ok(view) = &cancelled {
            live.set(view.clone());
        }
        cancelled
    });
    let again = api_action(move |client, job: JobView| async move {
        let answer = run_again(client, job).await;
        if let Ok(submitted) = &answer {
            let id = submitted.job.id.clone();
            state.reused.set(submitted.deduplicated.then(|| id.clone()));
            state.show(id);
        }
        answer
    });
    let first = live.get_untracked();
    let (title, scope) = Params::of(&first).map_or_else(
        || ("Forecast".to_owned(), String::new()),
        |p| (p.title(), p.scope()),
    );
    let id = first.id.clone();
    let reused = {
        let id = id.clone();
        move || state.reused.with(|r| r.as_deref() == Some(id.as_str()))
    };
    let actions = move || {
        let job = live.get_untracked();
        match status.get() {
            s if !s.is_finished() && may_run => Some(view! {
                <button type="button" class="button button--danger" data-testid="forecast-cancel"
                    on:click=move |_| { cancel.dispatch(job.id.clone()); }>"Cancel"</button>
            }.into_any()),
            JobStatus::Failed | JobStatus::Cancelled if may_run => Some(view! {
                <button type="button" class="button button--primary" data-testid="forecast-again"
                    on:click=move |_| { again.dispatch(job.clone()); }>"Run again"</button>
            }.into_any()),
            _ => None,
        }
    };
    view! {
        <section class="card forecast-status" data-testid="forecast-status" data-job=id
            data-status=move || status.get().code()>
            <header class="forecast-status__header">
                <div class="forecast-status__what">
                    <p class="forecast-status__eyebrow"><When live status/></p>
                    <h3 class="forecast-status__title" data-testid="forecast-title">{title}</h3>
                    <p class="forecast-status__scope">{scope}</p>
                </div>
                <div class="forecast-status__side">
                    <StatusBadge status/>
                    {actions}
                </div>
            </header>
            <Show when=reused>
                <p class="jobs-notice" role="status" data-testid="forecast-reused">
                    {move || if status.get().is_finished() {
                        "This forecast already ran on the same data and settings, so it was not run again."
                    } else {
                        "An identical forecast was already under way: this is it."
                    }}
                </p>
            </Show>
            <JobProgress job=Signal::derive(move || Some(live.get()))/>
            <Ending live status/>
            <FormError message=problem_text(cancel)/>
            <FormError message=problem_text(again)/>
        </section>
        {move || (status.get() == JobStatus::Succeeded).then(|| result_view(&live.get_untracked()))}
    }
}

/// "Submitted 3 min ago · ran 4.2 s" (the run time once it finished).
#[component]
fn When(live: RwSignal<JobView>, status: Memo<JobStatus>) -> impl IntoView {
    let created = live.with_untracked(|j| j.created_at.clone());
    let submitted = unix_millis(&created).map_or_else(String::new, |at| relative(at, now_millis()));
    let ran = move || {
        let finished = status.get().is_finished();
        live.with_untracked(|j| run_time(j, 0).filter(|_| finished))
            .map(|ran| format!(" · ran {ran}"))
    };
    view! {
        <time datetime=created.clone() title=absolute(&created)>{format!("Submitted {submitted}")}</time>
        {ran}
    }
}

/// Why it failed, or that it was cancelled.
#[component]
fn Ending(live: RwSignal<JobView>, status: Memo<JobStatus>) -> impl IntoView {
    move || match status.get() {
        JobStatus::Failed => {
            let why = live
                .with_untracked(|j| j.error.clone())
                .unwrap_or_else(|| "The forecast failed.".to_owned());
            Some(
                view! { <p class="form__error" data-testid="forecast-failed">{why}</p> }.into_any(),
            )
        }
        JobStatus::Cancelled => Some(
            view! { <p class="muted">"This forecast was cancelled before it finished."</p> }
                .into_any(),
        ),
        _ => None,
    }
}

fn result_view(job: &JobView) -> AnyView {
    let result = job
        .result
        .clone()
        .and_then(|r| serde_json::from_value::<ForecastResult>(r).ok());
    match result {
        Some(result) => view! { <ForecastResultView result/> }.into_any(),
        None => view! { <p class="form__error">"The forecast's result could not be read."</p> }
            .into_any(),
    }
}

/// Nothing to show yet.
#[component]
fn NoForecast() -> impl IntoView {
    let may_run = use_current_user().may(Some(Role::Analyst));
    let text = if may_run {
        "Pick a metric and a horizon above and run it: the chart, the backtest and the model appear here as soon as it is done."
    } else {
        "Forecasts you can see appear here once an analyst has run one for you."
    };
    view! {
        <section class="card jobs-empty" data-testid="forecast-empty">
            <div class="empty-state__icon" aria-hidden="true">{Icon::Forecast.view()}</div>
            <p class="jobs-empty__title">"No forecast yet"</p>
            <p class="jobs-empty__text">{text}</p>
        </section>
    }
}

/// The job in the URL is not there (removed, or someone else's).
#[component]
fn MissingForecast() -> impl IntoView {
    view! {
        <section class="card jobs-empty" data-testid="forecast-missing">
            <div class="empty-state__icon" aria-hidden="true">{Icon::Forecast.view()}</div>
            <p class="jobs-empty__title">"This forecast is not available"</p>
            <p class="jobs-empty__text">
                "It may have been removed after its retention period, or it belongs to someone else."
            </p>
            <A href="/forecast" attr:class="button button--ghost">"Show my latest forecast"</A>
        </section>
    }
}
