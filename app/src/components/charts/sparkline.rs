//! A tiny inline SVG trend line for KPI cards.

use leptos::prelude::*;

const WIDTH: f64 = 100.0;
const HEIGHT: f64 = 32.0;

/// Line and area paths for `values` in a `WIDTH` × `HEIGHT` box (a 2-unit
/// margin keeps the stroke inside); `None` with fewer than two values.
pub fn paths(values: &[f64]) -> Option<(String, String)> {
    if values.len() < 2 {
        return None;
    }
    let (min, max) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    let span = if max > min { max - min } else { 1.0 };
    let step = WIDTH / (values.len() - 1) as f64;
    let points: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = if max > min {
                HEIGHT - 2.0 - (v - min) / span * (HEIGHT - 4.0)
            } else {
                HEIGHT / 2.0
            };
            (i as f64 * step, y)
        })
        .collect();
    let line = points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.2},{y:.2}", if i == 0 { "M" } else { "L" }))
        .collect::<String>();
    let area = format!("{line}L{WIDTH:.2},{HEIGHT:.2}L0,{HEIGHT:.2}Z");
    Some((line, area))
}

/// The sparkline; renders an empty placeholder of the same size when there
/// is nothing to draw.
#[component]
pub fn Sparkline(
    /// Values, oldest first.
    values: Vec<f64>,
    /// `good`, `bad` or `flat`: colours the line like the delta.
    tone: &'static str,
) -> impl IntoView {
    match paths(&values) {
        Some((line, area)) => view! {
            <svg class="sparkline" data-tone=tone viewBox="0 0 100 32" preserveAspectRatio="none"
                aria-hidden="true" focusable="false">
                <path class="sparkline__area" d=area/>
                <path class="sparkline__line" d=line vector-effect="non-scaling-stroke"/>
            </svg>
        }
        .into_any(),
        None => {
            view! { <span class="sparkline sparkline--empty" aria-hidden="true"></span> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::paths;

    #[test]
    fn needs_two_points() {
        assert!(paths(&[]).is_none());
        assert!(paths(&[3.0]).is_none());
    }

    #[test]
    fn spans_the_box_and_flat_series_sit_in_the_middle() {
        let (line, area) = paths(&[0.0, 10.0]).expect("two points");
        assert_eq!(line, "M0.00,30.00L100.00,2.00");
        assert!(area.ends_with("Z"));
        let (flat, _) = paths(&[5.0, 5.0, 5.0]).expect("three points");
        assert_eq!(flat, "M0.00,16.00L50.00,16.00L100.00,16.00");
    }
}
