//! Communities, their time-bounded memberships, and sharing groups.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A standing community of organisations: "ECOWAS", "Nouakchott Process".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Community {
    pub id: String,
    pub name: String,
}

/// An organisation's membership of a community over `[from, until)`; open-ended when
/// `until` is `None`. Mali left ECOWAS on 2025-01-29: its membership has
/// `until = 2025-01-29`, so it is a member on the 28th and not on the 29th.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub community: String,
    pub org: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Membership {
    /// Whether the membership covers `day`: `from <= day < until`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day < u)
    }
}

/// A state's membership of a community over `[from, until)` (ISO3): what "the member states
/// of ECOWAS on a day" means to an alert rule's scope. Mali, Burkina Faso and Niger's end on
/// 2025-01-29.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberState {
    pub community: String,
    pub country: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl MemberState {
    /// Whether the membership covers `day`: `from <= day < until`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|u| day < u)
    }
}

/// A named set of organisations, owned (and edited) by one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharingGroup {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub members: Vec<String>,
}
