//! The scenarios shipped with ttx: content, the same bytes in the desktop game, the browser,
//! the command line and the tests.

use crate::sim::{Diagnostics, Loaded, load_str};

/// The bundled scenarios, by the path they have in the repository.
pub const BUNDLED: [(&str, &str); 3] = [
    ("scenarios/7pay-launch-week.ron", include_str!("../../scenarios/7pay-launch-week.ron")),
    ("scenarios/clinic-ransomware.ron", include_str!("../../scenarios/clinic-ransomware.ron")),
    ("scenarios/cloud-outage.ron", include_str!("../../scenarios/cloud-outage.ron")),
];

/// The default scenario: 7pay's launch week.
pub fn seven_pay() -> Result<Loaded, Diagnostics> {
    load_str(BUNDLED[0].1, BUNDLED[0].0)
}
