//! Timers. They only exist in the browser: on the server there are no input
//! events to wait for and nothing to poll.

/// Typed input (text, dates) is applied this long after the last keystroke.
pub const TYPING_PAUSE_MS: u32 = 400;

/// `action`, run `delay_ms` after the last call of the returned closure
/// (typing pauses). On the server the closure runs `action` at once.
#[cfg(feature = "hydrate")]
pub fn debounced(delay_ms: u32, action: impl Fn() + Copy + 'static) -> impl Fn() + Copy + 'static {
    use leptos::prelude::{SetValue, StoredValue};
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    move || {
        // Replacing the pending timeout drops (cancels) it.
        timer.set_value(Some(gloo_timers::callback::Timeout::new(delay_ms, action)));
    }
}

/// On the server there are no input events; run at once.
#[cfg(not(feature = "hydrate"))]
pub fn debounced(delay_ms: u32, action: impl Fn() + Copy + 'static) -> impl Fn() + Copy + 'static {
    let _ = delay_ms;
    action
}

/// Runs `action` every `period_ms` for as long as the current reactive
/// owner (the component calling this) lives. Nothing on the server.
#[cfg(feature = "hydrate")]
pub fn every(period_ms: u32, action: impl FnMut() + 'static) {
    use leptos::prelude::StoredValue;
    // Dropped, and so cancelled, when the owner is disposed.
    let _ = StoredValue::new_local(gloo_timers::callback::Interval::new(period_ms, action));
}

/// Nothing to poll on the server.
#[cfg(not(feature = "hydrate"))]
pub fn every(period_ms: u32, action: impl FnMut() + 'static) {
    let _ = (period_ms, action);
}

/// Milliseconds since the Unix epoch, from the browser's or the server's clock.
pub fn now_millis() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        // f64 milliseconds; whole milliseconds fit exactly.
        #[allow(clippy::cast_possible_truncation)]
        let now = js_sys::Date::now() as i64;
        now
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0)
    }
}
