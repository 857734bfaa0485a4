//! The panel truncated at a cut-off, as arrays, with each unit-month's spatial and
//! regional context (neighbours, region, world): what a model of that cut-off may see.

use std::collections::HashMap;

use crate::panel::{Neighbours, Panel, Series, UnitKind};

/// The context of one unit-month, from the other units up to that month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Context {
    /// The neighbours' mean `ln(1 + total of their last 12 months)` (0 without
    /// neighbours).
    pub neighbours12: f64,
    /// The neighbours' mean `ln(1 + total of their last 3 months)`.
    pub neighbours3: f64,
    /// The neighbourhood's last 3 months against its 12-month rate, in logs.
    pub neighbourhood_trend: f64,
    /// The mean `ln(1 + total of the last 12 months)` of the *other* units of the region.
    pub region12: f64,
    /// The region's 12-month total against the same 12 months earlier, in logs.
    pub regional_trend: f64,
}

/// Missing months (`NaN`) stay missing: trailing totals are estimated from the known
/// months of their window, and a quantity none of whose inputs is known is `NaN`.
///
/// The panel truncated at `end`, as arrays. Every per-month quantity at month `m` is
/// computed from months `<= m` only, so features at an earlier origin are exactly those a
/// panel truncated at that origin would give.
pub(super) struct Hist {
    pub units: Vec<u32>,
    pub first: Vec<u32>,
    /// `ln(1 + y)`.
    pub values: Vec<Vec<f64>>,
    pub raw: Vec<Vec<f64>>,
    /// Spatial and regional context per unit and month (same indexing as `values`).
    pub ctx: Vec<Vec<Context>>,
    /// Global trend by month (index month - `month0`): the all-unit 12-month total
    /// against the same 12 months earlier, in logs.
    pub global_trend: Vec<f64>,
    pub month0: u32,
}

/// Regions for the regional features of country-months, from Gleditsch–Ward code
/// ranges: Americas, Europe, Africa, Middle East, Asia, Oceania. Other units: one region
/// (the regional features are then the panel's).
fn region(kind: UnitKind, unit: u32) -> u32 {
    match kind {
        UnitKind::Priogrid | UnitKind::Admin1 => 0,
        UnitKind::Country => {
            let gw = u16::try_from(unit)
                .ok()
                .and_then(vigie_core::country::by_views_id)
                .and_then(|c| c.gw)
                .unwrap_or(0);
            match gw {
                0..=199 => 1,
                200..=399 => 2,
                400..=626 => 3,
                627..=699 => 4,
                700..=899 => 5,
                _ => 6,
            }
        }
    }
}

/// Each unit's neighbours (indices into `units`): the panel's table if it has one; else
/// the world table for countries, the 8 grid neighbours for PRIO-GRID cells, none for
/// admin-1 units.
fn neighbour_indices(panel: &Panel, units: &[u32]) -> Vec<Vec<usize>> {
    let index: HashMap<u32, usize> = units.iter().enumerate().map(|(i, &u)| (u, i)).collect();
    let from_table = |t: &Neighbours| -> Vec<Vec<usize>> {
        units
            .iter()
            .map(|u| {
                let mut v: Vec<usize> = t
                    .get(u)
                    .map(|ns| ns.iter().filter_map(|n| index.get(n).copied()).collect())
                    .unwrap_or_default();
                v.sort_unstable();
                v.dedup();
                v.retain(|&j| units[j] != *u);
                v
            })
            .collect()
    };
    if let Some(t) = &panel.neighbours {
        return from_table(t);
    }
    match panel.kind {
        UnitKind::Country => from_table(&crate::neighbours::countries()),
        UnitKind::Admin1 => vec![Vec::new(); units.len()],
        UnitKind::Priogrid => units
            .iter()
            .map(|&gid| {
                // Queen neighbours on the 0.5° grid: row = (gid-1) div 720, col = (gid-1)
                // mod 720 (columns wrap around the globe).
                let g = gid - 1;
                let (row, col) = ((g / 720) as i64, (g % 720) as i64);
                let mut nbrs = Vec::with_capacity(8);
                for dr in -1..=1i64 {
                    for dc in -1..=1i64 {
                        if dr == 0 && dc == 0 {
                            continue;
                        }
                        let r = row + dr;
                        if !(0..360).contains(&r) {
                            continue;
                        }
                        let c = (col + dc).rem_euclid(720);
                        if let Some(&j) = index.get(&((r * 720 + c + 1) as u32)) {
                            nbrs.push(j);
                        }
                    }
                }
                nbrs
            })
            .collect(),
    }
}

/// Prefix sums of a unit's known values and counts of its known months (`sum[i]`,
/// `known[i]`: over `raw[..i]`), for trailing windows that skip missing months.
struct Prefix {
    sum: Vec<f64>,
    known: Vec<u32>,
}

impl Prefix {
    fn new(raw: &[f64]) -> Prefix {
        let mut sum = vec![0.0; raw.len() + 1];
        let mut known = vec![0; raw.len() + 1];
        for (i, &x) in raw.iter().enumerate() {
            let k = !x.is_nan();
            sum[i + 1] = sum[i] + if k { x } else { 0.0 };
            known[i + 1] = known[i] + u32::from(k);
        }
        Prefix { sum, known }
    }

    /// The total of the `k` months ending at index `i` (fewer at the start of the
    /// history), estimated from its known months: their sum scaled to the window's length
    /// (the sum itself when none is missing); `NaN` when none is known.
    fn trailing(&self, i: usize, k: usize) -> f64 {
        let a = (i + 1).saturating_sub(k);
        let len = (i + 1 - a) as u32;
        let n = self.known[i + 1] - self.known[a];
        let s = self.sum[i + 1] - self.sum[a];
        if n == 0 {
            f64::NAN
        } else if n == len {
            s
        } else {
            s * f64::from(len) / f64::from(n)
        }
    }
}

/// One region's sums by month (index month - `month0`), over the units whose last 12
/// months are not all missing.
struct RegionTotals {
    /// The units' total of the last 12 months.
    total12: Vec<f64>,
    /// The units' `ln(1 + total of the last 12 months)`, summed.
    log12: Vec<f64>,
    /// The number of units with a known month among their last 12.
    units: Vec<f64>,
    /// The number of units with data (known or missing).
    members: Vec<f64>,
}

impl Hist {
    pub fn new(panel: &Panel, end: u32) -> Hist {
        let series: Vec<&Series> = panel
            .series
            .iter()
            .filter(|s| s.first_month <= end)
            .collect();
        let units: Vec<u32> = series.iter().map(|s| s.unit).collect();
        let first: Vec<u32> = series.iter().map(|s| s.first_month).collect();
        let raw: Vec<Vec<f64>> = series
            .iter()
            .map(|s| s.range(s.first_month, end).to_vec())
            .collect();
        let values: Vec<Vec<f64>> = raw
            .iter()
            .map(|v| v.iter().map(|x| x.ln_1p()).collect())
            .collect();
        let month0 = first.iter().copied().min().unwrap_or(end);
        let nm = (end + 1 - month0) as usize;
        let prefixes: Vec<Prefix> = raw.iter().map(|v| Prefix::new(v)).collect();
        let trailing = |u: usize, i: usize, k: usize| -> f64 { prefixes[u].trailing(i, k) };
        // Global and regional totals of the last 12 months by month, and per region the
        // sum of the units' ln(1 + last 12) and their number; units whose last 12 months
        // are all missing are left out (a month no unit knows has no total: NaN).
        let regions: Vec<u32> = units.iter().map(|&u| region(panel.kind, u)).collect();
        let mut global12 = vec![0.0; nm];
        let mut global_units = vec![0u32; nm];
        let mut reg: HashMap<u32, RegionTotals> = HashMap::new();
        for u in 0..units.len() {
            let off = (first[u] - month0) as usize;
            let r = reg.entry(regions[u]).or_insert_with(|| RegionTotals {
                total12: vec![0.0; nm],
                log12: vec![0.0; nm],
                units: vec![0.0; nm],
                members: vec![0.0; nm],
            });
            for i in 0..raw[u].len() {
                r.members[off + i] += 1.0;
                let s12 = trailing(u, i, 12);
                if s12.is_nan() {
                    continue;
                }
                global12[off + i] += s12;
                global_units[off + i] += 1;
                r.total12[off + i] += s12;
                r.log12[off + i] += s12.ln_1p();
                r.units[off + i] += 1.0;
            }
        }
        for (t, &n) in global12.iter_mut().zip(&global_units) {
            if n == 0 {
                *t = f64::NAN;
            }
        }
        for r in reg.values_mut() {
            for ((t, &n), &all) in r.total12.iter_mut().zip(&r.units).zip(&r.members) {
                if n == 0.0 && all > 0.0 {
                    *t = f64::NAN;
                }
            }
        }
        let trend = |tot: &[f64], m: usize| -> f64 {
            let prev = if m >= 12 { tot[m - 12] } else { tot[0] };
            ((tot[m] + 1.0) / (prev + 1.0)).ln()
        };
        let global_trend: Vec<f64> = (0..nm).map(|m| trend(&global12, m)).collect();
        let nbrs = neighbour_indices(panel, &units);
        let mut ctx = Vec::with_capacity(units.len());
        for u in 0..units.len() {
            let off = (first[u] - month0) as usize;
            let r = &reg[&regions[u]];
            let mut rows = Vec::with_capacity(raw[u].len());
            for i in 0..raw[u].len() {
                let m = first[u] + i as u32;
                // Each neighbour's last 12 and 3 months, where any of them is known.
                let (mut s12, mut s3, mut s12p, mut s3p) = (0.0, 0.0, 0.0, 0.0);
                let (mut n12, mut n3, mut nt, mut present) = (0.0, 0.0, 0.0, 0);
                for &j in &nbrs[u] {
                    if m < first[j] || m - first[j] >= raw[j].len() as u32 {
                        continue;
                    }
                    let k = (m - first[j]) as usize;
                    present += 1;
                    let t12 = trailing(j, k, 12);
                    let t3 = trailing(j, k, 3);
                    if !t12.is_nan() {
                        s12 += t12.ln_1p();
                        n12 += 1.0;
                    }
                    if !t3.is_nan() {
                        s3 += t3.ln_1p();
                        n3 += 1.0;
                    }
                    if !t12.is_nan() && !t3.is_nan() {
                        s12p += t12;
                        s3p += t3;
                        nt += 1.0;
                    }
                }
                // Without neighbours (with data that month) 0; with neighbours none of
                // whose months is known, missing.
                let none = if present == 0 { 0.0 } else { f64::NAN };
                let mean_or = |s: f64, n: f64| if n > 0.0 { s / n } else { none };
                let own12 = trailing(u, i, 12);
                let own_known = !own12.is_nan();
                let others = r.units[off + i] - if own_known { 1.0 } else { 0.0 };
                let region12 = if others > 0.0 {
                    let own = if own_known { own12.ln_1p() } else { 0.0 };
                    (r.log12[off + i] - own) / others
                } else if r.members[off + i] > 1.0 {
                    // Other units, none of them known.
                    f64::NAN
                } else {
                    0.0
                };
                rows.push(Context {
                    neighbours12: mean_or(s12, n12),
                    neighbours3: mean_or(s3, n3),
                    neighbourhood_trend: if nt > 0.0 {
                        (s3p / 3.0 + 1.0).ln() - (s12p / 12.0 + 1.0).ln()
                    } else {
                        none
                    },
                    region12,
                    regional_trend: trend(&r.total12, off + i),
                });
            }
            ctx.push(rows);
        }
        Hist {
            units,
            first,
            values,
            raw,
            ctx,
            global_trend,
            month0,
        }
    }
}
