//! The per-format step from one well-formed record to at most one [`Row`].

use vigie_core::Event;

use crate::fields::{Col, Fields};
use crate::{acled, gdelt, ged, hxl, Options, Reject, Row};

/// Turns one well-formed record into at most one row.
pub(crate) trait Mapper: Send {
    fn map(&mut self, f: &Fields) -> Option<Row>;
    /// At the end of the file: whatever is still held back.
    fn finish(&mut self) -> Option<Row> {
        None
    }
}

fn row(r: Result<Event, Reject>) -> Row {
    match r {
        Ok(e) => Row::Event(Box::new(e)),
        Err(r) => Row::Reject(r),
    }
}

pub(crate) struct GedRows(pub(crate) ged::Ged);
impl Mapper for GedRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        Some(row(self.0.map(f)))
    }
}

pub(crate) struct HxlRows(pub(crate) hxl::Hxl);
impl Mapper for HxlRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        Some(row(self.0.map(f)))
    }
}

pub(crate) struct GdeltRows {
    pub(crate) mapper: gdelt::Gdelt,
    pub(crate) opts: Options,
}
impl Mapper for GdeltRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        match self.mapper.to_event(f, &self.opts) {
            Ok(Some(e)) => Some(Row::Event(Box::new(e))),
            Ok(None) => None,
            Err(r) => Some(Row::Reject(r)),
        }
    }
}

/// ACLED: consecutive rows with the same `event_id_cnty` (older one-actor-per-row exports)
/// are one event, so one event is held back until a row with another id arrives.
pub(crate) struct AcledRows {
    pub(crate) mapper: acled::Acled,
    pub(crate) opts: Options,
    pub(crate) key: Col,
    pub(crate) held: Option<(String, Event)>,
}
impl Mapper for AcledRows {
    fn map(&mut self, f: &Fields) -> Option<Row> {
        let event = match self.mapper.to_event(f, &self.opts) {
            Ok(e) => e,
            Err(r) => return Some(Row::Reject(r)),
        };
        let key = f.str_at(self.key);
        match &mut self.held {
            Some((k, first)) if k == key => {
                acled::merge(first, event);
                None
            }
            Some((k, first)) => {
                k.clear();
                k.push_str(key);
                let out = std::mem::replace(first, event);
                Some(Row::Event(Box::new(out)))
            }
            None => {
                self.held = Some((key.to_string(), event));
                None
            }
        }
    }
    fn finish(&mut self) -> Option<Row> {
        self.held.take().map(|(_, e)| Row::Event(Box::new(e)))
    }
}
