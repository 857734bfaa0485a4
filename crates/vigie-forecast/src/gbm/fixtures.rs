//! Test panels shared by the `gbm` modules' tests.

use std::collections::HashMap;
use std::sync::Arc;

use crate::panel::{Neighbours, Panel, UnitKind};

/// 30 admin-1 units in a chain (k's neighbours are k-1 and k+1), ids 1001.., 2000-01
/// to 2022-12; unit 1015 has steady violence that spills over to its neighbours a
/// month later, the others are quiet with a little noise.
pub(crate) fn admin1_panel() -> Panel {
    let first = crate::window::month_id(2000, 1);
    let last = crate::window::month_id(2022, 12);
    let ids: Vec<u32> = (1001..=1030).collect();
    let mut counts = HashMap::new();
    for m in first..=last {
        for &u in &ids {
            let v = match u {
                1015 => 20.0 + f64::from(m % 7),
                1014 | 1016 if m % 3 == 0 => 5.0,
                _ if (m * 31 + u * 17) % 23 == 0 => 1.0,
                _ => 0.0,
            };
            if v > 0.0 {
                counts.insert((u, m), v);
            }
        }
    }
    let mut table: Neighbours = HashMap::new();
    for &u in &ids {
        table.insert(u, vec![u - 1, u + 1]);
    }
    Panel::from_counts(UnitKind::Admin1, "admin-1", ids, first, last, &counts)
        .with_neighbours(Arc::new(table))
}
