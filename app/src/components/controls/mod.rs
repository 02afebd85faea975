//! Form controls beyond the browser's own: a segmented button group, an
//! on/off toggle, and a dropdown panel with a checkbox multi-select.

pub mod date_field;
pub mod dropdown;
pub mod multi_select;
pub mod segmented;
pub mod toggle;
