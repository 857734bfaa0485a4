//! What the sources a reader may see cover, and which have fallen behind: the coverage
//! records behind the gate, summed up per source. The CLI (`vigie coverage`), the API
//! (`GET /api/v1/coverage`) and the UI's panel all read this.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vigie_core::alert::{month_index, month_label};
use vigie_core::coverage::{month_of, Freshness};
use vigie_core::Coverage;
use vigie_store::StoreError;

use crate::reads::Reader;

/// One source's reach: its last month, its last complete month, and how fresh it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceCoverage {
    pub source: String,
    /// How many coverage records (imports) it has.
    pub records: usize,
    /// The first and last month any of its records covers.
    pub from: String,
    pub until: String,
    /// The last month it covers completely somewhere; absent when it never does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complete_until: Option<String>,
    /// The countries it covers completely (empty when none; `["*"]` for every country).
    pub complete_countries: Vec<String>,
    pub freshness: Freshness,
}

/// The coverage a reader may see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageReport {
    /// Every record, oldest first (only the stale sources' with `stale`).
    pub items: Vec<Coverage>,
    /// Per source, by name.
    pub sources: Vec<SourceCoverage>,
    /// All sources together: the last month any covers.
    pub freshness: Freshness,
}

/// The reader's coverage, with each source's freshness; with `stale_only`, only the sources
/// that have fallen behind (and their records).
pub async fn report(reader: &Reader<'_>, stale_only: bool) -> Result<CoverageReport, StoreError> {
    let items = reader.coverage().await?;
    let now = month_of(reader.viewer().day());
    let mut per: BTreeMap<&str, Vec<&Coverage>> = BTreeMap::new();
    for c in &items {
        per.entry(c.source.as_str()).or_default().push(c);
    }
    let mut sources = Vec::new();
    for (source, records) in &per {
        let months = |c: &&Coverage| month_index(&c.from).zip(month_index(&c.until));
        let from = records.iter().filter_map(months).map(|m| m.0).min();
        let until = records.iter().filter_map(months).map(|m| m.1).max();
        let (Some(from), Some(until)) = (from, until) else {
            continue;
        };
        let complete: Vec<&&Coverage> = records.iter().filter(|c| c.complete).collect();
        let complete_until = complete
            .iter()
            .filter_map(|c| month_index(&c.until))
            .max()
            .map(month_label);
        let mut complete_countries: Vec<String> = if complete.iter().any(|c| c.countries.is_empty())
        {
            vec!["*".to_string()]
        } else {
            complete
                .iter()
                .flat_map(|c| c.countries.iter().cloned())
                .collect()
        };
        complete_countries.sort();
        complete_countries.dedup();
        sources.push(SourceCoverage {
            source: source.to_string(),
            records: records.len(),
            from: month_label(from),
            until: month_label(until),
            complete_until,
            complete_countries,
            freshness: Freshness::of(Some(until), now),
        });
    }
    let last = per
        .values()
        .flatten()
        .filter_map(|c| month_index(&c.until))
        .max();
    let freshness = Freshness::of(last, now);
    let (items, sources) = if stale_only {
        let stale: Vec<SourceCoverage> =
            sources.into_iter().filter(|s| s.freshness.stale).collect();
        let items = items
            .into_iter()
            .filter(|c| stale.iter().any(|s| s.source == c.source.as_str()))
            .collect();
        (items, stale)
    } else {
        (items, sources)
    };
    Ok(CoverageReport {
        items,
        sources,
        freshness,
    })
}

/// Coverage a writer states for its organisation's sources: "our monitors report every
/// incident in these countries from this month to that one" (or only some). A record with an
/// audience like any other.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCoverage {
    /// What the source is: a format (`ucdp-ged`, `acled`, `gdelt`, `hxl`) or `vigie` (the
    /// organisation's own field reports).
    pub source: String,
    /// ISO3 codes; empty or absent: every country.
    #[serde(default)]
    pub countries: Vec<String>,
    /// First and last month, `YYYY-MM`, both included.
    pub from: String,
    pub until: String,
    pub complete: bool,
    /// Why, in the writer's words.
    pub basis: String,
    pub audience: crate::audience::AudienceInput,
}

/// Checks and writes stated coverage; GDELT is never complete for fatalities.
pub async fn state(
    author: &crate::author::Author<'_>,
    input: NewCoverage,
) -> crate::error::AppResult<Coverage> {
    use crate::error::AppError;
    author.require_writer()?;
    let source: vigie_core::Source = input
        .source
        .parse()
        .map_err(|e: vigie_core::CheckError| AppError::invalid("source", e.message))?;
    if source == vigie_core::Source::Gdelt && input.complete {
        return Err(AppError::invalid(
            "complete",
            "GDELT is never complete for fatalities: it codes news reports, not events",
        ));
    }
    if input.countries.len() > 300 {
        return Err(AppError::invalid("countries", "at most 300 countries"));
    }
    for (i, c) in input.countries.iter().enumerate() {
        if vigie_core::country::by_iso3(c).is_none() {
            return Err(AppError::invalid(
                &format!("countries[{i}]"),
                format!("unknown country {c:?} (expected an ISO3 code such as MLI)"),
            ));
        }
    }
    let (Some(from), Some(until)) = (month_index(&input.from), month_index(&input.until)) else {
        let field = if month_index(&input.from).is_none() {
            "from"
        } else {
            "until"
        };
        let value = if field == "from" {
            &input.from
        } else {
            &input.until
        };
        return Err(AppError::invalid(
            field,
            format!("{value:?} is not a month (YYYY-MM)"),
        ));
    };
    if until < from {
        return Err(AppError::invalid(
            "until",
            format!("{} is before {}", input.until, input.from),
        ));
    }
    let basis = input.basis.trim();
    if basis.is_empty() || basis.chars().count() > 1000 {
        return Err(AppError::invalid(
            "basis",
            "say why in 1 to 1,000 characters",
        ));
    }
    let audience = crate::audience::checked(author, None, input.audience, "audience.").await?;
    let record = Coverage {
        id: uuid::Uuid::new_v4(),
        source,
        file: String::new(),
        import_batch: None,
        countries: input.countries,
        from: month_label(from),
        until: month_label(until),
        complete: input.complete,
        basis: basis.to_string(),
        basis_key: None,
        recorded_at: chrono::Utc::now(),
        audience,
    };
    let entry = author.entry(
        "create",
        "coverage",
        Some(record.id.to_string()),
        crate::audience::detail(&record.audience),
    );
    author
        .store()
        .create_coverage(&record, Some(&entry))
        .await?;
    Ok(record)
}
