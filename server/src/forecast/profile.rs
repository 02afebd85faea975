//! The concentrated (profile) likelihood: for given smoothing parameters the
//! one-step errors of an additive-error ETS model are affine in its initial
//! states, so the initial states that minimise the sum of squared errors
//! follow from a small least-squares problem. One pass over the series runs
//! the recursions for the data (from a base state) and for a unit change of
//! each free initial state at once, and accumulates the normal equations.

use super::model::{ModelSpec, Smoothing, State};

/// The series and model whose initial states are profiled out.
pub(crate) struct Profile<'a> {
    y: &'a [f64],
    /// Base initial states (the heuristic ones); the fit estimates the
    /// correction to them.
    base: State,
    has_trend: bool,
    seasonal: bool,
}

/// Initial states that minimise the squared errors, and that minimum.
pub(crate) struct Best {
    /// The sum of squared one-step errors.
    pub sse: f64,
    /// The initial states.
    pub initial: State,
}

impl<'a> Profile<'a> {
    /// Profiles `spec` on `y` around the `base` initial states (whose
    /// season has `period` slots for a seasonal model, else one zero slot).
    pub fn new(y: &'a [f64], spec: ModelSpec, base: State) -> Self {
        Self {
            y,
            base,
            has_trend: spec.has_trend(),
            seasonal: spec.seasonal,
        }
    }

    /// Number of free initial states (columns of the regression).
    fn columns(&self) -> usize {
        let m = self.base.season.len();
        1 + usize::from(self.has_trend) + if self.seasonal { m - 1 } else { 0 }
    }

    /// The best initial states for smoothing parameters `sm`.
    pub fn best(&self, sm: Smoothing) -> Best {
        let k = self.columns();
        let mut tracks = self.tracks(k);
        let (mut gram, mut cross, sse0) = tracks.run(self.y, sm);
        let shift = solve(&mut gram, &mut cross, k);
        let sse = sse0 + shift.iter().zip(&cross).map(|(s, c)| s * c).sum::<f64>();
        Best {
            sse,
            initial: self.shifted(&shift),
        }
    }

    /// The base state moved by `shift` (one value per column).
    fn shifted(&self, shift: &[f64]) -> State {
        let mut state = self.base.clone();
        state.level += shift[0];
        let mut next = 1;
        if self.has_trend {
            state.trend += shift[1];
            next = 2;
        }
        if self.seasonal {
            let last = state.season.len() - 1;
            for (slot, delta) in shift[next..].iter().enumerate() {
                state.season[slot] += delta;
                state.season[last] -= delta;
            }
        }
        state
    }

    /// Track 0 starts from the base state; track `c ≥ 1` from a unit change
    /// of column `c - 1` (a seasonal column moves its slot up and the last
    /// slot down, keeping the season's sum).
    fn tracks(&self, k: usize) -> Tracks {
        let m = self.base.season.len();
        let width = k + 1;
        let mut tracks = Tracks {
            width,
            level: vec![0.0; width],
            trend: vec![0.0; width],
            season: vec![0.0; m * width],
            errors: vec![0.0; width],
        };
        tracks.level[0] = self.base.level;
        tracks.trend[0] = self.base.trend;
        for (slot, value) in self.base.season.iter().enumerate() {
            tracks.season[slot * width] = *value;
        }
        tracks.level[1] = 1.0;
        if self.has_trend {
            tracks.trend[2] = 1.0;
        }
        if self.seasonal {
            let first = 2 + usize::from(self.has_trend);
            for slot in 0..m - 1 {
                tracks.season[slot * width + first + slot] = 1.0;
                tracks.season[(m - 1) * width + first + slot] = -1.0;
            }
        }
        tracks
    }
}

/// The recursions run side by side for the data and for each column.
struct Tracks {
    width: usize,
    level: Vec<f64>,
    trend: Vec<f64>,
    /// `[slot * width + track]`.
    season: Vec<f64>,
    errors: Vec<f64>,
}

impl Tracks {
    /// Runs all tracks over `y`; returns the Gram matrix of the columns'
    /// errors (upper triangle, row-major `k × k`), their cross products with
    /// the data track's errors, and the data track's sum of squares.
    fn run(&mut self, y: &[f64], sm: Smoothing) -> (Vec<f64>, Vec<f64>, f64) {
        let (width, k) = (self.width, self.width - 1);
        let m = self.season.len() / width;
        let (mut gram, mut cross, mut sse) = (vec![0.0; k * k], vec![0.0; k], 0.0);
        let mut slot = 0;
        for &value in y {
            let season = &mut self.season[slot * width..(slot + 1) * width];
            // Track 0 sees the data; the others see zeros.
            let mut target = value;
            let tracks = self.level.iter_mut().zip(self.trend.iter_mut());
            for (((level, trend), season), error) in
                tracks.zip(season.iter_mut()).zip(self.errors.iter_mut())
            {
                let damped = sm.phi * *trend;
                *error = target - (*level + damped + *season);
                *level += damped + sm.alpha * *error;
                *trend = damped + sm.beta * *error;
                *season += sm.gamma * *error;
                target = 0.0;
            }
            let (data, columns) = self.errors.split_at(1);
            sse += data[0] * data[0];
            for (a, ea) in columns.iter().enumerate() {
                cross[a] += ea * data[0];
                let row = &mut gram[a * k..(a + 1) * k];
                for (g, eb) in row[a..].iter_mut().zip(&columns[a..]) {
                    *g += ea * eb;
                }
            }
            slot += 1;
            if slot == m {
                slot = 0;
            }
        }
        (gram, cross, sse)
    }
}

/// Solves `gram · x = −cross` (symmetric positive semi-definite, upper
/// triangle given) by Cholesky; a column whose pivot vanishes (it is
/// redundant) gets 0. Leaves `cross` as is for the caller's `xᵀ·cross`.
fn solve(gram: &mut [f64], cross: &mut [f64], k: usize) -> Vec<f64> {
    let scale = (0..k).map(|i| gram[i * k + i]).fold(0.0, f64::max);
    let tiny = scale * 1e-13;
    // Upper Cholesky in place: gram = Rᵀ R.
    let mut usable = vec![true; k];
    for i in 0..k {
        let mut pivot = gram[i * k + i];
        for p in 0..i {
            pivot -= gram[p * k + i] * gram[p * k + i];
        }
        if pivot.is_nan() || pivot <= tiny {
            usable[i] = false;
            (i..k).for_each(|j| gram[i * k + j] = 0.0);
            continue;
        }
        let root = pivot.sqrt();
        gram[i * k + i] = root;
        for j in i + 1..k {
            let mut value = gram[i * k + j];
            for p in 0..i {
                value -= gram[p * k + i] * gram[p * k + j];
            }
            gram[i * k + j] = value / root;
        }
    }
    // Rᵀ z = −cross, then R x = z.
    let mut x = vec![0.0; k];
    for i in 0..k {
        if usable[i] {
            let partial: f64 = (0..i).map(|p| gram[p * k + i] * x[p]).sum();
            x[i] = (-cross[i] - partial) / gram[i * k + i];
        }
    }
    for i in (0..k).rev() {
        if usable[i] {
            let partial: f64 = (i + 1..k).map(|j| gram[i * k + j] * x[j]).sum();
            x[i] = (x[i] - partial) / gram[i * k + i];
        } else {
            x[i] = 0.0;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::super::model::{filter, Trend};
    use super::*;

    fn base(level: f64, season: Vec<f64>) -> State {
        State {
            level,
            trend: 0.0,
            season,
        }
    }

    #[test]
    fn solves_small_systems_and_skips_redundant_columns() {
        // [[4, 2], [2, 3]] x = -[2, 1]  =>  x = [-0.5, 0]
        let x = solve(&mut [4.0, 2.0, 0.0, 3.0], &mut [2.0, 1.0], 2);
        assert!((x[0] + 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
        let x = solve(&mut [1.0, 1.0, 0.0, 1.0], &mut [1.0, 1.0], 2);
        assert_eq!(x, [-1.0, 0.0]);
    }

    #[test]
    fn the_profiled_states_are_a_least_squares_minimum() {
        let y: Vec<f64> = (0..60)
            .map(|t| 50.0 + 0.3 * t as f64 + [4.0, -2.0, -2.0][t % 3] + ((t * 7) % 5) as f64)
            .collect();
        let spec = ModelSpec::new(Trend::Damped, true);
        let sm = Smoothing {
            alpha: 0.3,
            beta: 0.05,
            gamma: 0.1,
            phi: 0.9,
        };
        let profile = Profile::new(&y, spec, base(40.0, vec![0.0; 3]));
        let best = profile.best(sm);
        let sse_at = |state: &State| filter(&y, sm, &mut state.clone(), |_, _| {});
        let at_best = sse_at(&best.initial);
        assert!(
            (at_best - best.sse).abs() < 1e-8 * at_best,
            "{at_best} vs {}",
            best.sse
        );
        assert!(best.initial.season.iter().sum::<f64>().abs() < 1e-9);
        for nudge in [0.01, -0.01] {
            let mut moved = best.initial.clone();
            moved.level += nudge;
            assert!(sse_at(&moved) > at_best);
            let mut moved = best.initial.clone();
            moved.season[0] += nudge;
            moved.season[2] -= nudge;
            assert!(sse_at(&moved) > at_best);
        }
    }
}
