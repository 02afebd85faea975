//! The Jobs page's card: the caller's jobs (or, for admins who ask with
//! `?all=true`, everyone's), newest first, with live progress; running one
//! again adds it at the top.

use leptos::prelude::*;
use leptos_router::components::A;

use super::{
    describe::{run_again, Params},
    row::JobsTable,
};
use crate::{
    api::{api_client, ClientError, JobKind, JobView, Role, SubmittedJob},
    components::{
        api_action::api_action,
        card::{answer_or_retry, LoadingCard},
        controls::toggle::Toggle,
        error_text::problem_text,
        forecast::state::job_href,
        form_error::FormError,
        icons::Icon,
        skeleton::Skeleton,
        url_state::{query_string, History, QueryState, UrlState},
    },
    session::use_current_user,
};

/// What the Jobs page's URL says: `?all=true` shows everyone's jobs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobsView {
    /// Everyone's jobs (admins), not only the caller's.
    pub all: bool,
}

impl QueryState for JobsView {
    fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            all: matches!(get("all").as_deref(), Some("true" | "1")),
        }
    }

    fn to_query(&self) -> String {
        query_string(self.all.then(|| ("all", "true".to_owned())))
    }
}

/// The jobs card.
#[component]
pub fn JobsCard() -> impl IntoView {
    let url = UrlState::<JobsView>::new(History::Replace);
    let is_admin = use_current_user().may(Some(Role::Admin));
    let all = Memo::new(move |_| is_admin && url.value().with(|v| v.all));
    let reload = RwSignal::new(0u32);
    let client = api_client();
    let jobs = Resource::new(
        move || (all.get(), reload.get()),
        move |(all, _)| {
            let client = client.clone();
            async move { client.jobs(all).await }
        },
    );
    let rerun = api_action(move |client, job: JobView| async move {
        let answer = run_again(client, job).await;
        if answer.is_ok() {
            reload.update(|r| *r += 1);
        }
        answer
    });
    let on_rerun = Callback::new(move |job: JobView| {
        rerun.dispatch(job);
    });
    let content = move || {
        jobs.get().map(|answer| {
            answer_or_retry(answer, move || jobs.refetch(), move |list| {
                if list.jobs.is_empty() {
                    view! { <NoJobs/> }.into_any()
                } else {
                    view! { <JobsTable jobs=list.jobs show_owner=all.get_untracked() on_rerun/> }.into_any()
                }
            })
        })
    };
    let toggle = is_admin.then(|| {
        view! {
            <Toggle label="All users" testid="jobs-all" on=Signal::from(all)
                on_change=Callback::new(move |on| url.update(|v| v.all = on))/>
        }
    });

    view! {
        <LoadingCard class="card dash-card jobs-card" testid="jobs" labelled_by="jobs-title" busy_bar=true
            fallback=|| view! { <JobsSkeleton/> } content>
            <header class="card__header dash-card__header">
                <div>
                    <h2 id="jobs-title" class="card__title">
                        {move || if all.get() { "Everyone's jobs" } else { "Your jobs" }}
                    </h2>
                    <p class="dash-card__subtitle">"Newest first, with live progress."</p>
                </div>
                {toggle}
            </header>
            <RerunOutcome rerun/>
        </LoadingCard>
    }
}

/// What running a job again did: a new job, or an identical one reused.
#[component]
fn RerunOutcome(rerun: Action<JobView, Result<SubmittedJob, ClientError>>) -> impl IntoView {
    let (pending, value) = (rerun.pending(), rerun.value());
    let done = move || {
        if pending.get() {
            return None;
        }
        value.with(|v| match v {
            Some(Ok(submitted)) => Some(submitted.clone()),
            _ => None,
        })
    };
    view! {
        <FormError message=problem_text(rerun)/>
        {move || done().map(|submitted| {
            let job = &submitted.job;
            let what = Params::of(job).map(|p| p.title()).unwrap_or_default();
            let text = if submitted.deduplicated {
                format!("{} already ran on the same data or is still running, so it was not started again: {what}.", job.kind.label())
            } else {
                format!("Started again: {what}.")
            };
            let link = (job.kind == JobKind::Forecast).then(|| view! {
                <A href=job_href(&job.id) attr:class="jobs-notice__link">"View forecast"</A>
            });
            view! { <p class="jobs-notice" role="status" data-testid="jobs-notice">{text}" "{link}</p> }
        })}
    }
}

/// No jobs yet: where to start one.
#[component]
fn NoJobs() -> impl IntoView {
    view! {
        <div class="jobs-empty" data-testid="jobs-empty">
            <div class="empty-state__icon" aria-hidden="true">{Icon::Jobs.view()}</div>
            <p class="jobs-empty__title">"No jobs yet"</p>
            <p class="jobs-empty__text">
                "Forecasts you run and exports you start appear here, with their progress while they run."
            </p>
            <div class="jobs-empty__actions">
                <A href="/forecast" attr:class="button button--primary">"Run a forecast"</A>
                <A href="/" attr:class="button button--ghost">"Export orders from the dashboard"</A>
            </div>
        </div>
    }
}

/// Grey rows while the list loads.
#[component]
fn JobsSkeleton() -> impl IntoView {
    view! {
        <div class="audit-skeleton" aria-hidden="true">
            {(0..5).map(|_| view! {
                <div class="audit-skeleton__row">
                    {[(); 4].map(|()| view! { <Skeleton class="skeleton--cell"/> })}
                </div>
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_all_true_asks_for_everyones_jobs() {
        let read = |value: Option<&str>| JobsView::from_query(|_| value.map(str::to_owned));
        assert!(read(Some("true")).all);
        assert!(!read(Some("no")).all);
        assert!(!read(None).all);
        assert_eq!(JobsView { all: true }.to_query(), "?all=true");
        assert_eq!(JobsView::default().to_query(), "");
    }
}
