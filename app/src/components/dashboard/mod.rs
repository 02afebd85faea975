//! The dashboard's widgets. Each widget owns its resource, whose source reads
//! only the state it depends on (see [`state::Dashboard`]); the view state
//! lives in the URL query ([`query::ViewState`]).

pub mod breakdown;
pub mod chart_frame;
pub mod controls;
pub mod customers;
pub mod data_controls;
pub mod dropdown;
pub mod filters;
pub mod format;
pub mod kpis;
pub mod line_chart;
pub mod orders;
pub mod orders_table;
pub mod query;
pub mod scale;
pub mod sparkline;
pub mod state;
pub mod timeseries;
pub mod widget;
