//! The SVG charts, drawn by small components of their own: the frame every
//! chart shares (axes, keyboard, summary), the line chart, the sparkline,
//! and the scales behind them.

pub mod frame;
pub mod line_chart;
pub mod scale;
pub mod sparkline;
