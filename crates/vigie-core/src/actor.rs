use serde::{Deserialize, Serialize};

/// One side of an event: an armed group, a government, civilians, rioters…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub name: String,
    /// The source's own identifier for the actor (UCDP `side_a_new_id`, GDELT `Actor1Code`).
    pub source_id: Option<String>,
}

impl Actor {
    pub fn named(name: impl Into<String>) -> Self {
        Actor {
            name: name.into(),
            source_id: None,
        }
    }
}
