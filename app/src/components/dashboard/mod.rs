//! The dashboard's widgets. Each widget owns its resource, whose source reads
//! only the state it depends on (see [`state::Dashboard`]); the view state
//! lives in the URL query ([`query::ViewState`]).

pub mod breakdown;
pub mod card_parts;
pub mod customers;
pub mod data_controls;
pub mod filters;
pub mod kpis;
pub mod model_accuracy;
pub mod orders;
pub mod orders_table;
pub mod query;
pub mod state;
pub mod timeseries;
pub mod upstream;
