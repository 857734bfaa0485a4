use serde::{Deserialize, Serialize};
use std::str::FromStr;

use crate::CheckError;

/// UCDP's three categories of organised violence, plus everything else (riots, protests,
/// strategic developments, coercion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ViolenceCategory {
    StateBased,
    NonState,
    OneSided,
    Other,
}

impl ViolenceCategory {
    pub const ALL: [ViolenceCategory; 4] = [
        ViolenceCategory::StateBased,
        ViolenceCategory::NonState,
        ViolenceCategory::OneSided,
        ViolenceCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ViolenceCategory::StateBased => "state-based",
            ViolenceCategory::NonState => "non-state",
            ViolenceCategory::OneSided => "one-sided",
            ViolenceCategory::Other => "other",
        }
    }

    /// UCDP GED `type_of_violence`: 1 state-based, 2 non-state, 3 one-sided.
    pub fn from_ged(type_of_violence: u8) -> Option<Self> {
        match type_of_violence {
            1 => Some(ViolenceCategory::StateBased),
            2 => Some(ViolenceCategory::NonState),
            3 => Some(ViolenceCategory::OneSided),
            _ => None,
        }
    }

    /// ACLED event type, refined by the actors' `inter` codes (1 = state forces,
    /// 7 = civilians) and `civilian_targeting`.
    ///
    /// Battles and remote violence involving state forces are state-based, without them
    /// non-state; violence against civilians (and remote violence that targets civilians)
    /// is one-sided; riots, protests and strategic developments are other.
    pub fn from_acled(
        event_type: &str,
        inter1: Option<u8>,
        inter2: Option<u8>,
        civilian_targeting: bool,
    ) -> Self {
        let state = inter1 == Some(1) || inter2 == Some(1);
        let civilians = inter2 == Some(7) || inter1 == Some(7);
        match event_type.trim().to_ascii_lowercase().as_str() {
            "violence against civilians" => ViolenceCategory::OneSided,
            "battles" if state => ViolenceCategory::StateBased,
            "battles" => ViolenceCategory::NonState,
            "explosions/remote violence" if civilian_targeting || civilians => {
                ViolenceCategory::OneSided
            }
            "explosions/remote violence" if state => ViolenceCategory::StateBased,
            "explosions/remote violence" => ViolenceCategory::NonState,
            _ => ViolenceCategory::Other,
        }
    }

    /// CAMEO root code (GDELT `EventRootCode`). Fighting (19) involving a government or
    /// military actor is state-based, otherwise non-state; assault (18) and unconventional
    /// mass violence (20) are one-sided; the rest of 14–17 is other.
    pub fn from_cameo(root_code: u8, state_actor_involved: bool) -> Self {
        match root_code {
            19 if state_actor_involved => ViolenceCategory::StateBased,
            19 => ViolenceCategory::NonState,
            18 | 20 => ViolenceCategory::OneSided,
            _ => ViolenceCategory::Other,
        }
    }
}

display_as_str!(ViolenceCategory);

impl FromStr for ViolenceCategory {
    type Err = CheckError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        ViolenceCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == wanted)
            .ok_or_else(|| {
                CheckError::unknown(format!(
                    "unknown category {s:?}; expected one of state-based, non-state, one-sided, other"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acled_mapping() {
        use ViolenceCategory::*;
        assert_eq!(
            ViolenceCategory::from_acled("Battles", Some(1), Some(2), false),
            StateBased
        );
        assert_eq!(
            ViolenceCategory::from_acled("Battles", Some(3), Some(2), false),
            NonState
        );
        assert_eq!(
            ViolenceCategory::from_acled("Violence against civilians", Some(2), Some(7), true),
            OneSided
        );
        assert_eq!(
            ViolenceCategory::from_acled("Explosions/Remote violence", Some(2), Some(1), false),
            StateBased
        );
        assert_eq!(
            ViolenceCategory::from_acled("Explosions/Remote violence", Some(2), None, true),
            OneSided
        );
        assert_eq!(
            ViolenceCategory::from_acled("Protests", Some(6), None, false),
            Other
        );
    }

    #[test]
    fn parse_round_trip() {
        for c in ViolenceCategory::ALL {
            assert_eq!(c.as_str().parse::<ViolenceCategory>().unwrap(), c);
        }
        assert!("war".parse::<ViolenceCategory>().is_err());
    }
}
