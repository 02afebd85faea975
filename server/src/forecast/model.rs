//! The models: which components an ETS model has, its parameters, and the
//! additive-error state-space recursions exactly as statsmodels' `ETSModel`
//! runs them (`error="add"`):
//!
//! ```text
//! ŷ_t = l_{t-1} + φ b_{t-1} + s_{t-m}        e_t = y_t - ŷ_t
//! l_t = l_{t-1} + φ b_{t-1} + α e_t
//! b_t = φ b_{t-1} + β e_t
//! s_t = s_{t-m} + γ e_t
//! ```
//!
//! A model without trend has `b = 0`; an undamped trend has `φ = 1`; a model
//! without season has `s = 0`.

use serde::{Serialize, Serializer};

/// The trend component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// No trend (`N`).
    None,
    /// A linear trend (`A`).
    Additive,
    /// A linear trend damped towards a constant (`Ad`).
    Damped,
}

/// An ETS model with additive errors: its trend and whether it has an
/// additive season. Serialises as its [name](ModelSpec::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelSpec {
    /// The trend component.
    pub trend: Trend,
    /// Whether the model has an additive seasonal component.
    pub seasonal: bool,
}

impl ModelSpec {
    /// The models [`auto_fit`](super::auto_fit) chooses from, simplest first.
    pub const CANDIDATES: [ModelSpec; 6] = [
        ModelSpec::new(Trend::None, false),
        ModelSpec::new(Trend::Additive, false),
        ModelSpec::new(Trend::Damped, false),
        ModelSpec::new(Trend::None, true),
        ModelSpec::new(Trend::Additive, true),
        ModelSpec::new(Trend::Damped, true),
    ];

    /// A model with `trend` and, if `seasonal`, an additive season.
    pub const fn new(trend: Trend, seasonal: bool) -> Self {
        Self { trend, seasonal }
    }

    /// The usual short name, such as `ETS(A,Ad,A)`: error, trend, season.
    pub fn name(&self) -> String {
        let trend = match self.trend {
            Trend::None => "N",
            Trend::Additive => "A",
            Trend::Damped => "Ad",
        };
        let season = if self.seasonal { "A" } else { "N" };
        format!("ETS(A,{trend},{season})")
    }

    /// Whether the model has a (damped or undamped) trend.
    pub fn has_trend(&self) -> bool {
        self.trend != Trend::None
    }

    /// Number of smoothing parameters (α, β, γ, φ present in the model).
    pub fn smoothing_count(&self) -> usize {
        1 + usize::from(self.has_trend())
            + usize::from(self.seasonal)
            + usize::from(self.trend == Trend::Damped)
    }

    /// Number of free initial states: the level, the trend, and `period - 1`
    /// seasonal states (they sum to zero).
    pub fn initial_count(&self, period: usize) -> usize {
        1 + usize::from(self.has_trend()) + if self.seasonal { period - 1 } else { 0 }
    }

    /// Number of estimated parameters as the information criteria count
    /// them: smoothing parameters, free initial states, and the variance.
    pub fn n_params(&self, period: usize) -> usize {
        self.smoothing_count() + self.initial_count(period) + 1
    }
}

impl Serialize for ModelSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name())
    }
}

/// Fitted parameters, named as statsmodels names them. `None` (and an empty
/// `initial_seasonal`) for components the model does not have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Params {
    /// `smoothing_level`, 0 < α < 1.
    pub alpha: f64,
    /// `smoothing_trend`, 0 < β < α.
    pub beta: Option<f64>,
    /// `smoothing_seasonal`, 0 < γ < 1 − α.
    pub gamma: Option<f64>,
    /// `damping_trend`, 0.8 ≤ φ ≤ 0.98.
    pub phi: Option<f64>,
    /// The level before the first observation (`l_{-1}`).
    pub initial_level: f64,
    /// The trend before the first observation (`b_{-1}`).
    pub initial_trend: Option<f64>,
    /// The seasonal states before the first observation, in statsmodels'
    /// `initial_seasonal` order: element `j` is the seasonal term of
    /// observation `j` (`j < period`). They sum to zero.
    pub initial_seasonal: Vec<f64>,
}

/// The smoothing parameters in the form the recursions use: absent
/// components get β = γ = 0 and φ = 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Smoothing {
    pub alpha: f64,
    pub beta: f64,
    pub gamma: f64,
    pub phi: f64,
}

impl Smoothing {
    /// The smoothing parameters of `params`.
    pub fn of(params: &Params) -> Self {
        Self {
            alpha: params.alpha,
            beta: params.beta.unwrap_or(0.0),
            gamma: params.gamma.unwrap_or(0.0),
            phi: params.phi.unwrap_or(1.0),
        }
    }
}

/// The states after some observations: level, trend, and the last `m`
/// seasonal states as a ring indexed by observation number modulo `m`
/// (`m = 1` and a zero season for non-seasonal models).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub level: f64,
    pub trend: f64,
    pub season: Vec<f64>,
}

impl State {
    /// The initial states of `params` (a one-slot zero season when it has
    /// none).
    pub fn initial(params: &Params) -> Self {
        let season = if params.initial_seasonal.is_empty() {
            vec![0.0]
        } else {
            params.initial_seasonal.clone()
        };
        Self {
            level: params.initial_level,
            trend: params.initial_trend.unwrap_or(0.0),
            season,
        }
    }
}

/// Runs the recursions over `y` from `state` (which becomes the state after
/// the last observation), calling `each(t, ŷ_t)`; returns the sum of
/// squared one-step errors.
pub(crate) fn filter(
    y: &[f64],
    sm: Smoothing,
    state: &mut State,
    mut each: impl FnMut(usize, f64),
) -> f64 {
    let m = state.season.len();
    let (mut level, mut trend) = (state.level, state.trend);
    let mut slot = 0;
    let mut sse = 0.0;
    for (t, &value) in y.iter().enumerate() {
        let damped = sm.phi * trend;
        let predicted = level + damped + state.season[slot];
        let error = value - predicted;
        each(t, predicted);
        sse += error * error;
        level += damped + sm.alpha * error;
        trend = damped + sm.beta * error;
        state.season[slot] += sm.gamma * error;
        slot += 1;
        if slot == m {
            slot = 0;
        }
    }
    state.level = level;
    state.trend = trend;
    // Rotate so that slot 0 is the next observation's season.
    state.season.rotate_left(y.len() % m);
    sse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_usual_notation() {
        let names: Vec<String> = ModelSpec::CANDIDATES.iter().map(ModelSpec::name).collect();
        assert_eq!(
            names,
            [
                "ETS(A,N,N)",
                "ETS(A,A,N)",
                "ETS(A,Ad,N)",
                "ETS(A,N,A)",
                "ETS(A,A,A)",
                "ETS(A,Ad,A)"
            ]
        );
        let json = serde_json::to_string(&ModelSpec::new(Trend::Damped, true));
        assert_eq!(json.ok().as_deref(), Some("\"ETS(A,Ad,A)\""));
    }

    #[test]
    fn counts_parameters_with_free_seasonal_states() {
        let aada = ModelSpec::new(Trend::Damped, true);
        // α β γ φ, l b s0..s5, σ.
        assert_eq!(aada.n_params(7), 4 + 8 + 1);
        assert_eq!(ModelSpec::new(Trend::None, false).n_params(7), 3);
    }

    #[test]
    fn filter_matches_hand_computed_steps() {
        // Same numbers as statsmodels' ETSModel(trend="add", damped_trend=True,
        // seasonal="add", seasonal_periods=3) smoothed with (0.3, 0.05, 0.2, 0.9).
        let params = Params {
            alpha: 0.3,
            beta: Some(0.05),
            gamma: Some(0.2),
            phi: Some(0.9),
            initial_level: 10.0,
            initial_trend: Some(0.5),
            initial_seasonal: vec![1.0, -2.0, 0.5],
        };
        let mut state = State::initial(&params);
        let mut fitted = Vec::new();
        filter(
            &[10.0, 12.0, 9.0, 11.0],
            Smoothing::of(&params),
            &mut state,
            |_, f| fitted.push(f),
        );
        let expected = [11.45, 8.35475, 12.41813625, 11.87170937];
        for (f, e) in fitted.iter().zip(expected) {
            assert!((f - e).abs() < 1e-8, "{fitted:?}");
        }
        assert_eq!(state.season.len(), 3);
    }
}
