//! `vigie coord`: the allocation of response tasks to organisations (docs/coordination.md),
//! on a problem file (`--input problem.json`, no store needed) or on what the reader may
//! see in the store (`--as USER`), and the export of that problem as a file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum CoordCommand {
    /// Propose an optimal assignment of the open tasks, with reasons (JSON)
    Allocate(AllocateArgs),
    /// Write the allocation problem of what the reader may see in the store (JSON), to
    /// edit and run with `allocate --input`
    Problem {
        /// Write it here instead of to standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct AllocateArgs {
    /// A problem file (docs/coordination.md); without it, the store as the reader sees it
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// What-if: force TASK to ORG (repeatable)
    #[arg(long, value_name = "TASK=ORG", value_parser = parse_pin)]
    pub pin: Vec<vigie_coord::Pin>,
    /// What-if: leave ORG out, for every task or only TASK (repeatable)
    #[arg(long, value_name = "ORG[:TASK]", value_parser = parse_exclude)]
    pub exclude: Vec<vigie_coord::Exclude>,
    /// Write the solution here instead of to standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn parse_pin(s: &str) -> Result<vigie_coord::Pin, String> {
    let (task, org) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: expected TASK=ORG"))?;
    Ok(vigie_coord::Pin {
        task: Uuid::parse_str(task.trim()).map_err(|_| format!("{task:?} is not a task UUID"))?,
        org: org.trim().to_string(),
    })
}

fn parse_exclude(s: &str) -> Result<vigie_coord::Exclude, String> {
    let (org, task) = match s.split_once(':') {
        Some((o, t)) => (
            o,
            Some(Uuid::parse_str(t.trim()).map_err(|_| format!("{t:?} is not a task UUID"))?),
        ),
        None => (s, None),
    };
    Ok(vigie_coord::Exclude {
        org: org.trim().to_string(),
        task,
        reason: None,
        unreadable: None,
    })
}

/// Reads a problem file, saying where and why it is wrong.
fn read_problem(path: &std::path::Path) -> anyhow::Result<vigie_coord::Problem> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}:{}:{}: {}", path.display(), e.line(), e.column(), e))
}

fn write_json(value: &impl serde::Serialize, out: Option<&PathBuf>) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    match out {
        Some(p) => {
            std::fs::write(p, text + "\n").with_context(|| format!("writing {}", p.display()))
        }
        None => {
            println!("{text}");
            Ok(())
        }
    }
}

pub async fn run(at: &crate::store_at::StoreAt, cmd: CoordCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CoordCommand::Problem { out } => {
            let store = crate::store_at::open_store(at).await?;
            let viewer = at.viewer(store.as_ref()).await?;
            let built =
                vigie_app::allocation::problem_for(store.as_ref(), &viewer, Vec::new(), Vec::new())
                    .await;
            store.close().await;
            write_json(&built?, out.as_ref())?;
            Ok(ExitCode::SUCCESS)
        }
        CoordCommand::Allocate(args) => {
            let mut problem = match &args.input {
                Some(path) => read_problem(path)?,
                None => {
                    let store = crate::store_at::open_store(at).await?;
                    let viewer = at.viewer(store.as_ref()).await?;
                    let built = vigie_app::allocation::problem_for(
                        store.as_ref(),
                        &viewer,
                        Vec::new(),
                        Vec::new(),
                    )
                    .await;
                    store.close().await;
                    built?
                }
            };
            problem.pins.extend(args.pin);
            problem.excludes.extend(args.exclude);
            let solution = vigie_coord::solve(&problem).map_err(|e| match &args.input {
                Some(p) => anyhow::anyhow!("{}: {e}", p.display()),
                None => anyhow::anyhow!("{e}"),
            })?;
            eprintln!(
                "{} assigned, {} unassigned, objective {:.3}{} ({:.0} ms)",
                solution.assignments.len(),
                solution.unassigned.len(),
                solution.objective,
                if solution.optimal {
                    ", proven optimal"
                } else {
                    ", NOT proven optimal"
                },
                solution.solve_ms
            );
            write_json(&solution, args.out.as_ref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
