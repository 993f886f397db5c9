//! `counterpart solve FILE`: the exact min-cost-flow solver on a DIMACS file.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;

use clap::Args;
use counterpart_core::flow::dimacs;

use super::CliError;

#[derive(Debug, Args)]
pub(super) struct SolveArgs {
    /// A DIMACS min-cost-flow file (`p min`, `n`, `a` lines); `.gz` files are unpacked.
    file: PathBuf,
}

pub(super) fn run(args: &SolveArgs) -> Result<(), CliError> {
    let name = args.file.display();
    let file = File::open(&args.file).map_err(|e| CliError::Usage(format!("{name}: {e}")))?;
    let reader: Box<dyn Read> = if args.file.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let network = dimacs::parse(BufReader::with_capacity(1 << 16, reader))
        .map_err(|e| CliError::Usage(format!("{name}: {e}")))?;
    let solution = network
        .solve()
        .map_err(|e| CliError::Usage(format!("{name}: {}", dimacs::describe(&e))))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    dimacs::write_solution(&network, &solution, &mut out)?;
    out.flush()?;
    Ok(())
}
