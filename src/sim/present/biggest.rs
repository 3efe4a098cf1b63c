//! Which of a turn's changes are the biggest, so the summary can call them out: each move
//! measured on its metric's own scale, so moves in different units compare.

use crate::sim::author::validate::MAX_MAGNITUDE;
use crate::sim::scenario::Metric;

/// Below this a metric did not move.
const STILL: f64 = 1e-9;

/// How large a move of metric `m` from `before` to `after` is on the metric's own scale, so
/// moves of metrics in different units compare: the share of its range when it has both
/// bounds, else the share of the larger of the two values (0 when nothing moved).
pub fn relative_size(m: &Metric, before: f64, after: f64) -> f64 {
    let moved = (after - before).abs();
    if moved <= STILL {
        return 0.0;
    }
    // A bound the scenario leaves open is the largest number a scenario may hold.
    let bounded = m.min > -MAX_MAGNITUDE && m.max < MAX_MAGNITUDE;
    let range = m.max - m.min;
    let scale = if bounded && range > STILL { range } else { before.abs().max(after.abs()) };
    if scale > STILL { moved / scale } else { 0.0 }
}

/// The `n` largest of `sizes` (see [`relative_size`]) by index, largest first; a tie keeps
/// the earlier one first, and a change of size 0 is never called out.
pub fn biggest(sizes: &[f64], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sizes.len()).filter(|&i| sizes[i] > 0.0).collect();
    order.sort_by(|&a, &b| sizes[b].total_cmp(&sizes[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_biggest_changes_are_the_largest_on_each_metrics_own_scale() {
        let (name, text) = crate::sim::bundled::BUNDLED[0];
        let sc = crate::sim::load_str(text, name).expect("bundled").scenario;
        let bounded = sc.metrics.iter().find(|m| m.min == 0.0 && m.max == 100.0).expect("a percentage");
        let open = sc.metrics.iter().find(|m| m.max >= MAX_MAGNITUDE).expect("an unbounded metric");
        // 12 points of 0..100 is 0.12; 500 of 1,000 is 0.5; none at all is 0.
        assert!((relative_size(bounded, 60.0, 48.0) - 0.12).abs() < 1e-12);
        assert!((relative_size(open, 500.0, 1000.0) - 0.5).abs() < 1e-12);
        assert_eq!(relative_size(open, 0.0, 0.0), 0.0);
        assert_eq!(biggest(&[0.12, 0.5, 0.0, 0.3, 0.5], 3), vec![1, 4, 3]);
        assert_eq!(biggest(&[0.0, 0.0], 3), Vec::<usize>::new());
        assert_eq!(biggest(&[0.2], 3), vec![0]);
    }
}
