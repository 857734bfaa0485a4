//! The allocation problem as one reader sees it: every organisation's coordination profile
//! and the tasks the reader may see, each organisation excluded from the tasks it could not
//! read (asked of the gate as that organisation).

use uuid::Uuid;
use vigie_store::TaskFilter;

/// The allocation problem of what `viewer` may see: every organisation's profile, and the
/// visible tasks (committed ones hold capacity and satisfy dependencies). An organisation
/// that cannot read a task under its audience (the gate, asked as that organisation) is
/// excluded for it, with that reason, which the explanations then give.
pub async fn problem_for(
    store: &dyn vigie_store::Store,
    viewer: &vigie_core::Viewer,
    pins: Vec<vigie_coord::Pin>,
    mut excludes: Vec<vigie_coord::Exclude>,
) -> Result<vigie_coord::Problem, vigie_store::StoreError> {
    let today = viewer.day();
    let organisations = store.coordination_profiles().await?;
    let directory: std::collections::HashMap<String, vigie_core::Organisation> = store
        .orgs()
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect();
    let tasks = store.tasks(viewer, &TaskFilter::default()).await?;
    for org in &organisations {
        // A profile of an organisation the directory does not hold reads nothing.
        let theirs: std::collections::HashSet<Uuid> = match directory.get(&org.org) {
            Some(o) => store
                .tasks(
                    &vigie_core::Viewer::for_organisation(o, today),
                    &TaskFilter::default(),
                )
                .await?
                .iter()
                .map(|t| t.id)
                .collect(),
            None => Default::default(),
        };
        for t in tasks
            .iter()
            .filter(|t| t.status.is_allocatable() && !theirs.contains(&t.id))
        {
            excludes.push(vigie_coord::Exclude {
                org: org.org.clone(),
                task: Some(t.id),
                reason: Some(format!(
                    "cannot read this task under its audience ({}): share it with them first",
                    t.audience.marking.as_str()
                )),
            });
        }
    }
    Ok(vigie_coord::Problem {
        as_of: today,
        organisations,
        tasks: tasks.iter().map(vigie_coord::ProblemTask::from).collect(),
        pins,
        excludes,
        time_limit_secs: Some(vigie_coord::problem::DEFAULT_TIME_LIMIT_SECS),
    })
}
