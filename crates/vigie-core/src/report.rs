//! Situation reports: written in Vigie, shared under an audience like every record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Audience, CheckError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReportStatus {
    Draft,
    Published,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Published => "published",
        }
    }
}

impl std::str::FromStr for ReportStatus {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "draft" => Ok(ReportStatus::Draft),
            "published" => Ok(ReportStatus::Published),
            _ => Err(CheckError::unknown(format!(
                "unknown report status {s:?} (expected draft or published)"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: Uuid,
    pub title: String,
    pub body: String,
    /// ISO 3166 alpha-3 of the country it is about, if one.
    pub country: Option<String>,
    pub admin1: Option<String>,
    pub status: ReportStatus,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub audience: Audience,
}
