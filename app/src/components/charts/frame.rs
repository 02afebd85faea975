//! The frame both SVG charts share: value axis with grid lines, bucket
//! labels, the focusable plot (arrow keys move the highlighted bucket) and
//! the accessible summary. The marks and the tooltip are the chart's own.
//!
//! Nothing here has a `style` attribute: the Content-Security-Policy
//! (`style-src 'self'`) refuses them. Axis labels are SVG text placed by
//! percentage coordinates (in SVGs without a `viewBox`, so text never
//! stretches); the tooltip, drawn in the browser only, is placed through
//! the CSSOM (`style:left=…`), which the policy allows.

use leptos::{ev::KeyboardEvent, prelude::*};

use super::scale::{axis_value, step_hover, Scale};

/// Width of every chart's SVG coordinate space; the SVG stretches to its box.
pub const W: f64 = 1000.0;

/// What the frame draws around a chart's marks.
pub struct Frame {
    /// The value axis.
    pub scale: Scale,
    /// Height of the SVG coordinate space.
    pub height: f64,
    /// Bucket labels: position from the left (0–100 %) and text.
    pub x_labels: Vec<(f64, String)>,
    /// One sentence describing the data, for assistive technology.
    pub summary: String,
    /// What one bucket is called in the keyboard hint ("point", "month").
    pub bucket: &'static str,
    /// Number of buckets.
    pub buckets: usize,
    /// The highlighted bucket.
    pub hover: RwSignal<Option<usize>>,
}

/// The chart: `marks` go inside the SVG after the grid, `overlay` (dots,
/// tooltip) over the plot as HTML.
pub fn chart_frame(
    frame: Frame,
    class: &'static str,
    marks: impl IntoView + 'static,
    overlay: impl IntoView + 'static,
) -> impl IntoView {
    let Frame {
        scale,
        height,
        x_labels,
        summary,
        bucket,
        buckets,
        hover,
    } = frame;
    let grid = scale
        .ticks
        .iter()
        .map(|t| {
            let y = height - scale.fraction(*t) * height;
            view! { <line class="chart__grid" x1="0" x2=W y1=y y2=y vector-effect="non-scaling-stroke"/> }
        })
        .collect_view();
    let y_labels = scale
        .ticks
        .iter()
        .map(|t| {
            let y = format!("{:.2}%", 100.0 - scale.fraction(*t) * 100.0);
            view! { <text class="chart__ylabel" x="100%" y=y>{axis_value(*t)}</text> }
        })
        .collect_view();
    let x_labels = x_labels
        .into_iter()
        .map(|(left, text)| view! { <text class="chart__xlabel" x=format!("{left:.2}%") y="0">{text}</text> })
        .collect_view();
    let on_key = move |ev: KeyboardEvent| {
        if let Some(next) = step_hover(&ev.key(), hover.get_untracked(), buckets) {
            ev.prevent_default();
            hover.set(next);
        }
    };
    let hint = format!("{summary} Use the arrow keys to read each {bucket}.");
    view! {
        <div class=format!("chart {class}")>
            <div class="chart__body">
                <div class="chart__y" aria-hidden="true"><svg class="chart__axis">{y_labels}</svg></div>
                <div class="chart__plot" tabindex="0" role="group" aria-label=hint
                    on:keydown=on_key on:blur=move |_| hover.set(None) on:pointerleave=move |_| hover.set(None)>
                    <svg class="chart__svg" viewBox=format!("0 0 {W} {height}") preserveAspectRatio="none"
                        role="img" aria-label=summary.clone()>
                        <title>{summary.clone()}</title>
                        {grid}
                        {marks}
                    </svg>
                    {overlay}
                </div>
            </div>
            <div class="chart__x" aria-hidden="true"><svg class="chart__axis">{x_labels}</svg></div>
        </div>
    }
}

/// Where a tooltip anchored at `left` % goes, as a CSS property and its
/// value: right of the point in the left half, left of it beyond, so it
/// never leaves the plot.
pub fn tooltip_side(left: f64) -> (&'static str, String) {
    if left > 55.0 {
        ("right", format!("{:.2}%", 100.0 - left))
    } else {
        ("left", format!("{left:.2}%"))
    }
}

/// A percentage for a CSS length.
pub fn percent(value: f64) -> String {
    format!("{value:.2}%")
}
