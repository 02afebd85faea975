//! A responsive SVG line chart with a hover / keyboard tooltip.
//!
//! The dashboard draws its charts with small SVG components of its own
//! rather than leptos-chartistry: its 0.2.3 release does support Leptos 0.8,
//! but it sizes charts by measuring them in the browser (the server renders
//! no chart), takes colours as fixed RGB values (no CSS variables, so no
//! light/dark theme without re-rendering), has no horizontal bars, and adds
//! leptos-use and chrono to both builds — far more than four simple charts
//! need.
//!
//! The SVG stretches to its box (`preserveAspectRatio="none"`, strokes that
//! do not scale); labels are unstretched SVG text, dots and the tooltip HTML,
//! all placed by percentages, so text never distorts at any width.

use leptos::prelude::*;

use super::{
    frame::{chart_frame, percent, tooltip_side, Frame, W},
    scale::{label_indices, Scale},
};

const H: f64 = 300.0;

/// One line (and its optional previous-period line).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// CSS suffix picking the colour (`series--{key}`).
    pub key: &'static str,
    /// Legend / tooltip label.
    pub label: &'static str,
    /// One value per bucket.
    pub values: Vec<f64>,
    /// The previous period, bucket by bucket (dashed).
    pub previous: Option<Vec<f64>>,
}

fn x_at(i: usize, n: usize) -> f64 {
    if n > 1 {
        i as f64 / (n - 1) as f64 * W
    } else {
        W / 2.0
    }
}

fn path(values: &[f64], n: usize, scale: &Scale) -> String {
    values
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, v)| {
            let y = H - scale.fraction(*v) * H;
            format!("{}{:.1},{y:.1}", if i == 0 { "M" } else { "L" }, x_at(i, n))
        })
        .collect()
}

/// The chart. `labels` (short, for the axis) and `titles` (long, for the
/// tooltip) have one entry per bucket.
#[component]
pub fn LineChart(
    /// Short bucket labels for the x axis.
    labels: Vec<String>,
    /// Full bucket labels for the tooltip.
    titles: Vec<String>,
    /// The visible lines; the first gets a soft area fill.
    lines: Vec<Line>,
    /// Formats a value for the tooltip.
    format: fn(f64) -> String,
    /// A one-sentence description for assistive technology.
    summary: String,
) -> impl IntoView {
    let n = labels.len();
    let (lo, hi) = lines
        .iter()
        .flat_map(|l| l.values.iter().chain(l.previous.iter().flatten()))
        .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let scale = Scale::nice(lo, hi, 4);
    let hover = RwSignal::new(None::<usize>);

    let x_labels = label_indices(n, 6)
        .into_iter()
        .map(|i| (x_at(i, n) / W * 100.0, labels[i].clone()))
        .collect();
    let paths = line_paths(&lines, n, &scale);
    let hits = hit_areas(n, hover);
    let tooltip = view! { <LineTooltip lines titles scale=scale.clone() format buckets=n hover/> };
    let frame = Frame {
        scale,
        height: H,
        x_labels,
        summary,
        bucket: "point",
        buckets: n,
        hover,
    };
    chart_frame(frame, "", view! { {paths}{hits} }, tooltip)
}

/// Each line's path (with the previous period's, dashed), the first with
/// its area.
fn line_paths(lines: &[Line], n: usize, scale: &Scale) -> impl IntoView {
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let d = path(&line.values, n, scale);
            let area = (index == 0 && n > 1).then(|| {
                let base = H - scale.fraction(0.0) * H;
                let area = format!("{d}L{W:.1},{base:.1}L0,{base:.1}Z");
                view! { <path class=format!("chart__area series--{}", line.key) d=area/> }
            });
            let previous = line.previous.as_ref().map(|prev| {
                view! {
                    <path class=format!("chart__line chart__line--previous series--{}", line.key)
                        d=path(prev, n, scale) vector-effect="non-scaling-stroke"/>
                }
            });
            view! {
                {area}
                {previous}
                <path class=format!("chart__line series--{}", line.key) d=d vector-effect="non-scaling-stroke"/>
            }
        })
        .collect_view()
}

/// One invisible band per bucket that highlights it under the pointer.
fn hit_areas(n: usize, hover: RwSignal<Option<usize>>) -> impl IntoView {
    (0..n)
        .map(|i| {
            let width = if n > 1 { W / (n - 1) as f64 } else { W };
            let x = (x_at(i, n) - width / 2.0).max(0.0);
            view! {
                <rect class="chart__hit" x=x y="0" width=width height=H
                    on:pointerenter=move |_| hover.set(Some(i)) on:pointermove=move |_| hover.set(Some(i))/>
            }
        })
        .collect_view()
}

/// The highlighted bucket: a guide line, a dot per line and the values.
#[component]
fn LineTooltip(
    lines: Vec<Line>,
    titles: Vec<String>,
    scale: Scale,
    format: fn(f64) -> String,
    buckets: usize,
    hover: RwSignal<Option<usize>>,
) -> impl IntoView {
    let n = buckets;
    move || {
        hover.get().filter(|i| *i < n).map(|i| {
            let left = x_at(i, n) / W * 100.0;
            let dots = lines
                .iter()
                .map(|l| {
                    let top = 100.0 - scale.fraction(l.values.get(i).copied().unwrap_or(0.0)) * 100.0;
                    view! { <span class=format!("chart__dot series--{}", l.key) style:left=percent(left) style:top=percent(top)></span> }
                })
                .collect_view();
            let rows = tooltip_rows(&lines, i, format);
            let side = tooltip_side(left);
            view! {
                <div class="chart__guide" style:left=percent(left)></div>
                {dots}
                <div class="chart__tooltip" style=side role="status" data-testid="chart-tooltip">
                    <div class="chart__tip-title">{titles.get(i).cloned().unwrap_or_default()}</div>
                    {rows}
                </div>
            }
        })
    }
}

/// One tooltip row per line: swatch, label, value, previous value.
fn tooltip_rows(lines: &[Line], i: usize, format: fn(f64) -> String) -> impl IntoView {
    lines
        .iter()
        .map(|l| {
            let value = l.values.get(i).copied().unwrap_or(0.0);
            let previous = l.previous.as_ref().and_then(|p| p.get(i)).map(|p| {
                view! { <span class="chart__tip-prev">"prev. "{format(*p)}</span> }
            });
            view! {
                <div class="chart__tip-row">
                    <span class=format!("chart__swatch series--{}", l.key)></span>
                    <span class="chart__tip-label">{l.label}</span>
                    <strong class="chart__tip-value">{format(value)}</strong>
                    {previous}
                </div>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_span_the_width_and_a_single_point_is_centred() {
        let scale = Scale::nice(0.0, 100.0, 4);
        assert_eq!(path(&[0.0, 100.0], 2, &scale), "M0.0,300.0L1000.0,0.0");
        assert_eq!(path(&[50.0], 1, &scale), "M500.0,150.0");
    }
}
