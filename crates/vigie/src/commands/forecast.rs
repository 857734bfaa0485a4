//! `vigie forecast`: evaluate forecasting models on a ViEWS-shaped history, to the
//! protocol and scores of the ViEWS prediction challenge 2023/24 (docs/forecasting.md).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use vigie_forecast::evaluate::{Means, WindowScores};
use vigie_forecast::{evaluate, EvalOptions, Model, Panel, UnitKind, Window};

#[derive(Debug, Subcommand)]
pub enum ForecastCommand {
    /// Forecast a window (or every window) from a history, write the predictions, and
    /// print the scores of the model and of every benchmark
    Evaluate(EvaluateArgs),
    /// Forecast the next months for every country from the events in the store that the
    /// reader (`--as USER`, else the public) may see, and write them as CSV
    Run(crate::commands::forecast_run::RunArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnitArg {
    /// Country-month: month_id,country_id,ged_sb
    Cm,
    /// PRIO-GRID-month: month_id,priogrid_gid,ged_sb
    Pgm,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The unit of the history (checked against the file's header)
    #[arg(long, value_enum)]
    pub unit: UnitArg,
    /// The history: month_id,country_id,ged_sb or month_id,priogrid_gid,ged_sb
    #[arg(long, value_name = "FILE")]
    pub history: PathBuf,
    /// The window: Y2021 trains on data up to October 2020 and forecasts 2021
    #[arg(long, value_name = "YYYY", required_unless_present = "all_windows", conflicts_with = "all_windows", value_parser = parse_window)]
    pub window: Option<Window>,
    /// Every window: Y2018–Y2022 for cm, Y2020 and Y2021 for pgm
    #[arg(long)]
    pub all_windows: bool,
    /// zero, last-historical-poisson, bootstrap, conflictology or gbm (gradient-boosted
    /// trees) [default: the project's best model so far]
    #[arg(long, value_name = "NAME", value_parser = crate::args::parse_model)]
    pub model: Option<Model>,
    /// Write the model's predictions here: month_id,country_id (or priogrid_gid),draw,outcome
    #[arg(long, value_name = "PRED.csv")]
    pub out: Option<PathBuf>,
    /// Draws per unit-month of the sampling models
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub draws: u32,
    /// The random seed (the same seed gives the same draws)
    #[arg(long, default_value_t = EvalOptions::default().seed)]
    pub seed: u64,
}

fn parse_window(s: &str) -> Result<Window, String> {
    s.parse().map_err(|e: vigie_forecast::Error| e.to_string())
}

pub async fn run(at: &crate::store_at::StoreAt, cmd: ForecastCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        ForecastCommand::Evaluate(args) => {
            let stdout = std::io::stdout();
            evaluate_cmd(&args, &mut stdout.lock())?;
            Ok(ExitCode::SUCCESS)
        }
        ForecastCommand::Run(args) => crate::commands::forecast_run::run(at, args).await,
    }
}

/// Runs `vigie forecast evaluate`, printing the tables to `w`.
pub fn evaluate_cmd(args: &EvaluateArgs, w: &mut dyn Write) -> anyhow::Result<()> {
    let panel = Panel::read(&args.history)?;
    let expected = match args.unit {
        UnitArg::Cm => UnitKind::Country,
        UnitArg::Pgm => UnitKind::Priogrid,
    };
    if panel.kind != expected {
        anyhow::bail!(
            "--unit {}: but {} has a {} column, so it is a {} history",
            expected.short(),
            args.history.display(),
            panel.kind.column(),
            panel.kind.short()
        );
    }
    let model = args.model.unwrap_or(Model::BEST);
    let windows = match args.window {
        Some(w) => vec![w],
        None => match panel.kind {
            UnitKind::Country | UnitKind::Admin1 => Window::cm_defaults(),
            UnitKind::Priogrid => Window::pgm_defaults(),
        },
    };
    let options = EvalOptions {
        draws: args.draws as usize,
        seed: args.seed,
    };
    let mut out = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut f = std::io::BufWriter::with_capacity(1 << 20, file);
            writeln!(f, "month_id,{},draw,outcome", panel.kind.column())?;
            Some(f)
        }
        None => None,
    };

    let mut results: Vec<WindowScores> = Vec::new();
    for &window in &windows {
        // The chosen model first (its predictions are written), then every other model.
        let order = std::iter::once(model).chain(Model::EVERY.into_iter().filter(|m| *m != model));
        for m in order {
            let scores = if let (true, Some(f)) = (m == model, out.as_mut()) {
                evaluate(&panel, window, m, options, &mut |p| {
                    for (d, x) in p.draws.iter().enumerate() {
                        writeln!(f, "{},{},{d},{x}", p.month, p.unit)?;
                    }
                    Ok(())
                })
            } else {
                evaluate(&panel, window, m, options, &mut |_| Ok(()))
            }
            .with_context(|| format!("{} on {}", m, args.history.display()))?;
            results.push(scores);
        }
    }
    if let Some(mut f) = out {
        f.flush().context("writing the predictions")?;
    }
    print_table(w, &panel, model, &results)?;
    Ok(())
}

const METRICS: [&str; 9] = [
    "crps",
    "ign",
    "mis",
    "mse",
    "msle",
    "brier>0",
    "brier>=25",
    "ap>0",
    "ap>=25",
];

fn values(m: &Means) -> [Option<f64>; 9] {
    [
        Some(m.crps),
        Some(m.ign),
        Some(m.mis),
        Some(m.mse),
        Some(m.msle),
        Some(m.brier_any),
        Some(m.brier_25),
        m.ap_any,
        m.ap_25,
    ]
}

fn print_table(
    w: &mut dyn Write,
    panel: &Panel,
    model: Model,
    results: &[WindowScores],
) -> std::io::Result<()> {
    let units = results.first().map_or(0, |r| r.cells.len() / 12);
    writeln!(
        w,
        "{} units ({}), 12 months a window; window means; * = --model",
        units,
        panel.kind.short()
    )?;
    write!(w, "{:<7} {:<25}", "window", "model")?;
    for m in METRICS {
        write!(w, " {m:>12}")?;
    }
    writeln!(w)?;
    for r in results {
        let mark = if r.model == model { "*" } else { " " };
        write!(
            w,
            "{:<7} {}{:<24}",
            r.window.to_string(),
            mark,
            r.model.name()
        )?;
        for v in values(&r.means) {
            match v {
                Some(v) => write!(w, " {:>12}", format_value(v))?,
                None => write!(w, " {:>12}", "-")?,
            }
        }
        writeln!(w)?;
        if !r.skipped_units.is_empty() {
            writeln!(
                w,
                "        ({} unit(s) with no training data skipped)",
                r.skipped_units.len()
            )?;
        }
    }
    Ok(())
}

fn format_value(v: f64) -> String {
    if v.abs() >= 1e5 {
        format!("{v:.4e}")
    } else {
        format!("{v:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two countries, months 400..=468, so Y2018 (trains to 454) can be scored.
    fn history(dir: &std::path::Path) -> PathBuf {
        let path = dir.join("h.csv");
        let mut s = String::from("month_id,country_id,ged_sb\n");
        for m in 400..=468 {
            s.push_str(&format!("{m},50,{}\n{m},47,0\n", m % 3));
        }
        std::fs::write(&path, s).unwrap();
        path
    }

    fn args(history: PathBuf, out: Option<PathBuf>, model: Option<Model>) -> EvaluateArgs {
        EvaluateArgs {
            unit: UnitArg::Cm,
            history,
            window: Some(Window::new(2018).unwrap()),
            all_windows: false,
            model,
            out,
            draws: 1000,
            seed: 1,
        }
    }

    #[test]
    fn writes_every_unit_month_and_draw_and_prints_every_benchmark() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pred.csv");
        let a = args(
            history(dir.path()),
            Some(out.clone()),
            Some(Model::Bootstrap),
        );
        let mut table = Vec::new();
        evaluate_cmd(&a, &mut table).unwrap();
        let table = String::from_utf8(table).unwrap();
        for m in Model::EVERY {
            assert!(table.contains(m.name()), "{m} in\n{table}");
        }
        assert!(table.contains("*bootstrap"), "{table}");
        let text = std::fs::read_to_string(&out).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("month_id,country_id,draw,outcome"));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), 2 * 12 * 1000);
        assert_eq!(
            rows[0].split(',').take(3).collect::<Vec<_>>(),
            ["457", "47", "0"]
        );
        assert!(rows.iter().any(|r| r.starts_with("468,50,999,")));
    }

    #[test]
    fn wrong_unit_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = args(history(dir.path()), None, None);
        a.unit = UnitArg::Pgm;
        let e = evaluate_cmd(&a, &mut Vec::new()).unwrap_err().to_string();
        assert!(e.contains("--unit pgm") && e.contains("country_id"), "{e}");
    }

    #[test]
    fn cli_parses_and_defaults_to_the_learned_model() {
        use clap::Parser;
        /// `vigie forecast …` as the top-level parser holds it.
        #[derive(Parser)]
        struct Vigie {
            #[command(subcommand)]
            command: Top,
        }
        #[derive(clap::Subcommand)]
        enum Top {
            #[command(subcommand)]
            Forecast(ForecastCommand),
        }
        /// `vigie forecast evaluate --unit cm --history h.csv`, then `more`.
        fn parse(more: &[&str]) -> Result<Vigie, clap::Error> {
            let base = [
                "vigie",
                "forecast",
                "evaluate",
                "--unit",
                "cm",
                "--history",
                "h.csv",
            ];
            Vigie::try_parse_from(base.iter().chain(more))
        }
        let cli = parse(&["--window", "Y2021"]).unwrap();
        let Top::Forecast(ForecastCommand::Evaluate(a)) = cli.command else {
            panic!("not forecast evaluate");
        };
        assert_eq!(a.window, Some(Window::new(2021).unwrap()));
        assert_eq!(a.model.unwrap_or(Model::BEST), Model::Gbm);
        // Neither --window nor --all-windows: refused.
        assert!(parse(&[]).is_err());
        assert!(parse(&["--all-windows", "--model", "xgb"]).is_err());
    }
}
