//! Reads of `event_rollup`, the derived table of events and fatalities per audience and per
//! (country, admin-1, start month, end month, category, source), and of `event_totals`,
//! events per audience and (country, category, source), which the migrations' triggers
//! keep. Totals and statistics read it instead of every event when their filter can be
//! answered from it; they still begin with the gate, which reads a rollup row's audience
//! columns exactly as it reads an event's.

use chrono::{Datelike, NaiveDate};
use sqlx::{Database, Encode, QueryBuilder, Type};

use crate::EventFilter;

/// A filter the rollup can answer: no actor or text condition, and period bounds on month
/// boundaries (`from` a first day, `to` a last day), which the rollup's months decide
/// exactly: an event ends on or after the 1st of M when its end month is M or later, and
/// starts on or before the last day of M when its start month is M or earlier.
#[derive(Debug, Clone)]
pub struct RollupFilter {
    /// The filter without its period.
    rest: EventFilter,
    from_month: Option<String>,
    to_month: Option<String>,
}

fn last_day_of_month(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|next| next.month() != d.month())
}

impl RollupFilter {
    /// `Some` when the rollup answers `filter` (limit and offset are ignored).
    pub fn of(filter: &EventFilter) -> Option<RollupFilter> {
        if filter.actor.is_some() || filter.text.is_some() {
            return None;
        }
        if filter.from.is_some_and(|d| d.day() != 1) {
            return None;
        }
        if filter.to.is_some_and(|d| !last_day_of_month(d)) {
            return None;
        }
        let month = |d: NaiveDate| format!("{:04}-{:02}", d.year(), d.month());
        Some(RollupFilter {
            rest: EventFilter {
                from: None,
                to: None,
                limit: None,
                offset: None,
                ..filter.clone()
            },
            from_month: filter.from.map(month),
            to_month: filter.to.map(month),
        })
    }

    /// The derived table that answers a count for this filter: `event_totals` when it
    /// names at most a country, a category and a source, else `event_rollup`.
    pub fn count_table(&self) -> &'static str {
        if self.rest.admin1.is_none() && self.from_month.is_none() && self.to_month.is_none() {
            "event_totals"
        } else {
            "event_rollup"
        }
    }

    /// Appends ` AND …` for this filter to a query over `event_rollup` (or, for a filter
    /// [`RollupFilter::count_table`] sends there, `event_totals`).
    pub fn push<'a, DB>(&self, qb: &mut QueryBuilder<'a, DB>)
    where
        DB: Database,
        String: Encode<'a, DB> + Type<DB>,
        NaiveDate: Encode<'a, DB> + Type<DB>,
    {
        crate::sql::push_event_filter(qb, &self.rest);
        if let Some(m) = &self.from_month {
            qb.push(" AND end_month >= ").push_bind(m.clone());
        }
        if let Some(m) = &self.to_month {
            qb.push(" AND start_month <= ").push_bind(m.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn answers_month_aligned_periods_only() {
        let f = |from: &str, to: &str| EventFilter {
            from: day(from),
            to: day(to),
            ..Default::default()
        };
        assert!(RollupFilter::of(&f("2020-01-01", "2020-12-31")).is_some());
        assert!(RollupFilter::of(&f("2024-02-01", "2024-02-29")).is_some());
        assert!(RollupFilter::of(&f("2023-02-01", "2023-02-28")).is_some());
        assert!(RollupFilter::of(&f("2020-01-02", "2020-12-31")).is_none());
        assert!(RollupFilter::of(&f("2020-01-01", "2024-02-28")).is_none());
        assert!(RollupFilter::of(&f("2020-01-01", "2020-12-30")).is_none());
        let actor = EventFilter {
            actor: Some("JNIM".into()),
            ..Default::default()
        };
        assert!(RollupFilter::of(&actor).is_none());
        let text = EventFilter {
            text: Some("Mopti".into()),
            ..Default::default()
        };
        assert!(RollupFilter::of(&text).is_none());
        assert!(RollupFilter::of(&EventFilter::default()).is_some());
    }
}
