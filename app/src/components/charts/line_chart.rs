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
//!
//! A line may start after the first bucket, be dashed (a projection) and
//! carry a shaded interval band (the forecast page); a divider can mark
//! where the future begins.

use leptos::prelude::*;

use super::{
    frame::{chart_frame, percent, tooltip_side, Frame, W},
    scale::{label_indices, Scale},
};

const H: f64 = 300.0;

/// One line (and its optional previous-period line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Line {
    /// CSS suffix picking the colour (`series--{key}`).
    pub key: &'static str,
    /// Legend / tooltip label.
    pub label: &'static str,
    /// One value per bucket, from bucket `start` on.
    pub values: Vec<f64>,
    /// The previous period, bucket by bucket (dashed).
    pub previous: Option<Vec<f64>>,
    /// The bucket of the first value (0: the line starts at the left edge).
    pub start: usize,
    /// Drawn dashed, e.g. a projection rather than a measurement.
    pub dashed: bool,
    /// A shaded interval around the line.
    pub band: Option<Band>,
}

/// An interval drawn as a shaded band around its line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Band {
    /// Its name in the tooltip, e.g. "90% interval".
    pub label: &'static str,
    /// Lower and upper bound, one pair per value of the line.
    pub bounds: Vec<(f64, f64)>,
}

impl Line {
    /// The line's value at bucket `i`, if it covers that bucket.
    fn at(&self, i: usize) -> Option<f64> {
        i.checked_sub(self.start)
            .and_then(|at| self.values.get(at).copied())
    }

    /// The band's bounds at bucket `i`, if there are any.
    fn bounds_at(&self, i: usize) -> Option<(f64, f64)> {
        let at = i.checked_sub(self.start)?;
        self.band.as_ref()?.bounds.get(at).copied()
    }
}

fn x_at(i: usize, n: usize) -> f64 {
    if n > 1 {
        i as f64 / (n - 1) as f64 * W
    } else {
        W / 2.0
    }
}

fn y_at(value: f64, scale: &Scale) -> f64 {
    H - scale.fraction(value) * H
}

/// The path through `values`, the first at bucket `start`.
fn path(values: &[f64], start: usize, n: usize, scale: &Scale) -> String {
    values
        .iter()
        .take(n.saturating_sub(start))
        .enumerate()
        .map(|(i, v)| {
            let x = x_at(start + i, n);
            format!(
                "{}{x:.1},{:.1}",
                if i == 0 { "M" } else { "L" },
                y_at(*v, scale)
            )
        })
        .collect()
}

/// The closed outline of a band: along the upper bounds, back along the lower.
fn band_path(bounds: &[(f64, f64)], start: usize, n: usize, scale: &Scale) -> String {
    let upper: Vec<f64> = bounds.iter().map(|b| b.1).collect();
    let mut d = path(&upper, start, n, scale);
    let shown = bounds.len().min(n.saturating_sub(start));
    for i in (0..shown).rev() {
        let x = x_at(start + i, n);
        d.push_str(&format!("L{x:.1},{:.1}", y_at(bounds[i].0, scale)));
    }
    d.push('Z');
    d
}

/// The chart. `labels` (short, for the axis) and `titles` (long, for the
/// tooltip) have one entry per bucket. The first line gets a soft area
/// fill, unless the chart draws interval bands.
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
    /// A vertical divider before this bucket, the part from it on tinted
    /// (e.g. where the forecast begins).
    #[prop(optional)]
    divider: Option<usize>,
) -> impl IntoView {
    let n = labels.len();
    let (lo, hi) = lines
        .iter()
        .flat_map(|l| {
            let bounds = l
                .band
                .iter()
                .flat_map(|b| b.bounds.iter().flat_map(|(lo, hi)| [*lo, *hi]));
            l.values
                .iter()
                .copied()
                .chain(l.previous.iter().flatten().copied())
                .chain(bounds)
        })
        .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let scale = Scale::nice(lo, hi, 4);
    let hover = RwSignal::new(None::<usize>);

    let x_labels = label_indices(n, 6)
        .into_iter()
        .map(|i| (x_at(i, n) / W * 100.0, labels[i].clone()))
        .collect();
    let future = divider.filter(|d| *d > 0 && *d < n).map(|d| {
        let x = (x_at(d - 1, n) + x_at(d, n)) / 2.0;
        view! {
            <rect class="chart__future" x=x y="0" width=W - x height=H/>
            <line class="chart__divider" x1=x x2=x y1="0" y2=H vector-effect="non-scaling-stroke"/>
        }
    });
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
    chart_frame(frame, "", view! { {future}{paths}{hits} }, tooltip)
}

/// Each line's band and path (with the previous period's, dashed), the
/// first with its area unless there are bands. Bands go below every line.
fn line_paths(lines: &[Line], n: usize, scale: &Scale) -> impl IntoView {
    let banded = lines.iter().any(|l| l.band.is_some());
    let bands = lines
        .iter()
        .filter_map(|line| {
            let band = line.band.as_ref()?;
            let d = band_path(&band.bounds, line.start, n, scale);
            Some(view! { <path class=format!("chart__band series--{}", line.key) d=d/> })
        })
        .collect_view();
    let paths = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let d = path(&line.values, line.start, n, scale);
            let last = (line.start + line.values.len()).min(n).saturating_sub(1);
            let area = (index == 0 && !banded && last > line.start).then(|| {
                let base = y_at(0.0, scale);
                let (x0, x1) = (x_at(line.start, n), x_at(last, n));
                let area = format!("{d}L{x1:.1},{base:.1}L{x0:.1},{base:.1}Z");
                view! { <path class=format!("chart__area series--{}", line.key) d=area/> }
            });
            let previous = line.previous.as_ref().map(|prev| {
                view! {
                    <path class=format!("chart__line chart__line--previous series--{}", line.key)
                        d=path(prev, line.start, n, scale) vector-effect="non-scaling-stroke"/>
                }
            });
            let class = format!("chart__line series--{}", line.key);
            let class = if line.dashed {
                format!("{class} chart__line--dashed")
            } else {
                class
            };
            view! {
                {area}
                {previous}
                <path class=class d=d vector-effect="non-scaling-stroke"/>
            }
        })
        .collect_view();
    view! { {bands}{paths} }
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
                .filter_map(|l| {
                    let top = 100.0 - scale.fraction(l.at(i)?) * 100.0;
                    Some(view! { <span class=format!("chart__dot series--{}", l.key) style:left=percent(left) style:top=percent(top)></span> })
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

/// One tooltip row per line covering bucket `i`: swatch, label, value,
/// and the previous period's value or the band's bounds.
fn tooltip_rows(lines: &[Line], i: usize, format: fn(f64) -> String) -> impl IntoView {
    lines
        .iter()
        .filter_map(|l| {
            let value = l.at(i)?;
            let previous = l
                .previous
                .as_ref()
                .and_then(|p| p.get(i - l.start))
                .map(|p| format!("prev. {}", format(*p)));
            let bounds = l
                .bounds_at(i)
                .zip(l.band.as_ref())
                .map(|((lo, hi), band)| format!("{} {} – {}", band.label, format(lo), format(hi)));
            let note = previous
                .or(bounds)
                .map(|text| view! { <span class="chart__tip-prev">{text}</span> });
            Some(view! {
                <div class="chart__tip-row">
                    <span class=format!("chart__swatch series--{}", l.key)></span>
                    <span class="chart__tip-label">{l.label}</span>
                    <strong class="chart__tip-value">{format(value)}</strong>
                    {note}
                </div>
            })
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_span_the_width_and_a_single_point_is_centred() {
        let scale = Scale::nice(0.0, 100.0, 4);
        assert_eq!(path(&[0.0, 100.0], 0, 2, &scale), "M0.0,300.0L1000.0,0.0");
        assert_eq!(path(&[50.0], 0, 1, &scale), "M500.0,150.0");
    }

    #[test]
    fn late_lines_and_bands_start_at_their_bucket() {
        let scale = Scale::nice(0.0, 100.0, 4);
        assert_eq!(path(&[100.0], 2, 3, &scale), "M1000.0,0.0");
        assert_eq!(
            band_path(&[(0.0, 100.0), (50.0, 100.0)], 1, 3, &scale),
            "M500.0,0.0L1000.0,0.0L1000.0,150.0L500.0,300.0Z"
        );
        let line = Line {
            values: vec![1.0, 2.0],
            start: 3,
            ..Line::default()
        };
        assert_eq!(
            (line.at(2), line.at(3), line.at(4), line.at(5)),
            (None, Some(1.0), Some(2.0), None)
        );
    }
}
