//! The gate: the one place where who-may-see-what becomes SQL. Every read of a record, in
//! every backend, appends [`push_visible`] to its WHERE clause; nothing else decides
//! visibility. The rule is docs/sharing.md's table 2, line for line.

use chrono::NaiveDate;
use sqlx::{Database, Encode, QueryBuilder, Type};
use vigie_core::Viewer;

/// Appends the visibility predicate for records of table alias `r` (which must have the
/// columns `id`, `owner`, `creator`, `marking`, `distribution` and `distribution_ref`).
///
/// Membership of communities is judged on the viewer's day; sharing-group membership as
/// listed now. The viewer's identity is bound, never spliced.
pub fn push_visible<'a, DB>(qb: &mut QueryBuilder<'a, DB>, r: &str, viewer: &Viewer)
where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
    NaiveDate: Encode<'a, DB> + Type<DB>,
{
    qb.push(format!("({r}.marking = 'TLP:CLEAR'"));
    if let Some(user) = viewer.user_id() {
        // TLP:RED: the creator and the named recipients, nobody else.
        qb.push(format!(" OR ({r}.marking = 'TLP:RED' AND ({r}.creator = "));
        qb.push_bind(user.to_string());
        qb.push(format!(
            " OR EXISTS (SELECT 1 FROM audience_names n WHERE n.record_id = {r}.id AND n.name = "
        ));
        qb.push_bind(user.to_string());
        qb.push(")))");
    }
    if let Some(org) = viewer.org() {
        let day = viewer.day();
        let current_memberships = |qb: &mut QueryBuilder<'a, DB>| {
            qb.push(" FROM community_memberships c WHERE c.org = ");
            qb.push_bind(org.to_string());
            qb.push(" AND c.valid_from <= ");
            qb.push_bind(day);
            qb.push(" AND (c.valid_until IS NULL OR c.valid_until > ");
            qb.push_bind(day);
            qb.push(")");
        };
        qb.push(format!(
            " OR ({r}.marking IN ('TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT') AND ({r}.owner = "
        ));
        qb.push_bind(org.to_string());
        // Named organisations.
        qb.push(format!(
            " OR ({r}.distribution = 'organisations' AND EXISTS (SELECT 1 FROM audience_names n \
             WHERE n.record_id = {r}.id AND n.name = "
        ));
        qb.push_bind(org.to_string());
        qb.push("))");
        // A sharing group that lists the viewer's organisation.
        qb.push(format!(
            " OR ({r}.distribution = 'sharing-group' AND {r}.distribution_ref IN \
             (SELECT g.sharing_group FROM sharing_group_members g WHERE g.org = "
        ));
        qb.push_bind(org.to_string());
        qb.push("))");
        // A community the viewer's organisation belongs to on the day.
        qb.push(format!(
            " OR ({r}.distribution = 'community' AND {r}.distribution_ref IN (SELECT c.community"
        ));
        current_memberships(qb);
        qb.push("))");
        // All communities: any current membership at all.
        qb.push(format!(
            " OR ({r}.distribution = 'all-communities' AND EXISTS (SELECT 1"
        ));
        current_memberships(qb);
        qb.push("))");
        qb.push("))");
    }
    qb.push(")");
}
