//! Organisations own records. The full model (kinds, users, communities) arrives with the
//! sharing model; until then every imported record is owned by the public-sources organisation.

/// The organisation that owns records imported from public datasets (UCDP, GDELT, …).
pub const PUBLIC_SOURCES_ORG: &str = "public-sources";
