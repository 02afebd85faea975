//! The upload card: a drop zone with a "Choose file" button, the mode
//! (insert or upsert), the Upload button, the progress of the upload and
//! then its outcome ([`super::outcome`]).

use leptos::{ev::DragEvent, prelude::*};

use super::{
    outcome::UploadOutcome,
    picked::{from_drop, from_input, is_csv_name, upload, Picked},
    use_data_page,
};
use crate::{
    api::{api_client, ClientError, ImportMode, ImportView},
    components::{
        controls::segmented::{Choice, Segmented},
        format::file_size,
        icons::Icon,
    },
};

/// What each mode does, in one line.
fn mode_hint(mode: ImportMode) -> &'static str {
    match mode {
        ImportMode::Insert => {
            "Insert adds new orders; a file holding an order id that is already loaded is refused."
        }
        ImportMode::Upsert => {
            "Upsert adds new orders and replaces those whose id is already loaded."
        }
    }
}

/// The upload card.
#[component]
pub fn UploadCard() -> impl IntoView {
    let page = use_data_page();
    let picked = RwSignal::new(None::<Picked>);
    let mode = RwSignal::new(ImportMode::Insert);
    let sent = RwSignal::new(None::<f64>);
    let client = api_client();
    let send = Action::new(move |(file, mode): &(Picked, ImportMode)| {
        sent.set(Some(0.0));
        let answer = upload(client.clone(), file.clone(), *mode, sent);
        async move {
            let answer = answer.await;
            // Loaded, queued or refused: the list shows it either way.
            page.changed();
            answer
        }
    });
    let pending = send.pending();
    let answer: Signal<Option<Result<ImportView, ClientError>>> = send.value().into();
    let start = move || {
        if let Some(file) = picked.get_untracked() {
            send.dispatch((file, mode.get_untracked()));
        }
    };
    let modes = Choice::each(
        ImportMode::ALL.iter().copied(),
        ImportMode::label,
        ImportMode::code,
    );

    view! {
        <section class="card data-upload" aria-labelledby="upload-title" data-testid="upload-card">
            <header class="card__header">
                <div>
                    <h2 id="upload-title" class="card__title">"Upload orders"</h2>
                    <p class="dash-card__subtitle">
                        "A CSV file (or a gzipped .csv.gz) with one order per line; the first line names the columns."
                    </p>
                </div>
            </header>
            <DropZone picked busy=pending/>
            <div class="data-upload__mode">
                <span class="filter-bar__label" id="import-mode-label">"Mode"</span>
                <Segmented label="Import mode" testid="import-mode" choices=modes
                    current=Signal::from(mode) on_select=Callback::new(move |m| mode.set(m))/>
                <p class="data-upload__hint" data-testid="import-mode-hint">{move || mode_hint(mode.get())}</p>
            </div>
            <div class="data-upload__actions">
                <button type="button" class="button button--primary" data-testid="upload-submit"
                    disabled=move || pending.get() || picked.with(Option::is_none)
                    aria-busy=move || pending.get().to_string()
                    on:click=move |_| start()>
                    {Icon::Upload.view()}
                    {move || if pending.get() { "Uploading…" } else { "Upload" }}
                </button>
            </div>
            <UploadOutcome pending sent answer name=Signal::derive(move || picked.with(|p| p.as_ref().map(|p| p.name.clone())))/>
        </section>
    }
}

/// The area a file is dropped on, with the "Choose file" button (and the
/// file input behind it) and the file chosen.
#[component]
fn DropZone(picked: RwSignal<Option<Picked>>, busy: Memo<bool>) -> impl IntoView {
    let over = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let on_drop = move |ev: DragEvent| {
        ev.prevent_default();
        over.set(false);
        if !busy.get_untracked() {
            if let Some(file) = from_drop(&ev) {
                picked.set(Some(file));
            }
        }
    };
    let choose = move |_| {
        if let Some(input) = input.get_untracked() {
            input.click();
        }
    };
    let chosen = move || {
        picked.get().map(|file| {
            let warning = (!is_csv_name(&file.name)).then(|| view! {
                <span class="data-drop__warning">"Not a .csv or .csv.gz name: the server may refuse it."</span>
            });
            view! {
                <p class="data-drop__file" data-testid="upload-file">
                    <strong class="data-drop__name">{file.name.clone()}</strong>
                    <span class="data-drop__size">{file_size(file.size)}</span>
                    {warning}
                </p>
            }
        })
    };
    view! {
        <div class="data-drop" class:data-drop--over=move || over.get() data-testid="upload-drop"
            on:dragover=move |ev: DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <div class="data-drop__icon" aria-hidden="true">{Icon::Upload.view()}</div>
            <p class="data-drop__text">"Drag a CSV file here, or"</p>
            <button type="button" class="button button--ghost data-drop__choose" data-testid="upload-choose"
                disabled=move || busy.get() on:click=choose>
                "Choose file"
            </button>
            <input type="file" class="visually-hidden" tabindex="-1" aria-hidden="true" node_ref=input
                accept=".csv,.gz,text/csv,application/gzip" data-testid="upload-input"
                on:change=move |ev| { if let Some(file) = from_input(&ev) { picked.set(Some(file)); } }/>
            {chosen}
        </div>
    }
}
