//! The dashboard's widgets. Each widget owns its resource, whose source reads
//! only the state it depends on (see [`state::Dashboard`]); the view state
//! lives in the URL query ([`query::ViewState`]).

pub mod format;
pub mod query;
pub mod scale;
pub mod sparkline;
pub mod state;
