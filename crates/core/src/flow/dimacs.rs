//! The DIMACS minimum-cost-flow text format.
//!
//! A problem file has comment lines `c ...`, one problem line `p min NODES ARCS`, node lines
//! `n ID SUPPLY` (nodes not listed have supply 0) and exactly `ARCS` arc lines
//! `a TAIL HEAD LOW CAP COST`. Nodes are numbered from 1 in the file and from 0 in
//! [`Network`]. A solution is written as `s COST` followed by `f TAIL HEAD FLOW` for every arc
//! with nonzero flow.
//!
//! The parser reads bytes into one reused line buffer and parses numbers in place, because the
//! files reach millions of lines; it reports the first problem with its 1-based line number and
//! never panics.

use std::io::{self, BufRead, BufWriter, Write};

use super::{Network, Solution};

/// A malformed DIMACS file: where and why. Displays as `line 17: arc head 9001 is out of range
/// 1..=5000`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DimacsError {
    /// The 1-based line the problem is on. Problems of the file as a whole (too few arcs,
    /// unbalanced supplies) point at the problem line; a file without one points at its last
    /// line (line 1 if empty).
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

/// What the problem line declared.
struct Header {
    nodes: usize,
    arcs: usize,
    line: usize,
}

/// Parses a DIMACS min-cost-flow problem (`c`, `p min N M`, `n ID SUPPLY`,
/// `a TAIL HEAD LOW CAP COST`; nodes numbered from 1).
///
/// # Errors
///
/// A [`DimacsError`] for the first malformed line: a missing, repeated or malformed problem
/// line, a wrong number of fields, a field that is not a 64-bit integer, a node out of range, a
/// node given two supplies, a capacity below its lower bound, more or fewer arc lines than
/// declared, supplies that do not add up to zero, or an input that cannot be read.
pub fn parse<R: BufRead>(mut input: R) -> Result<Network, DimacsError> {
    let mut buf = Vec::with_capacity(128);
    let mut line = 0usize;
    let mut header: Option<Header> = None;
    let mut network = Network::default();
    // The line that set each node's supply, to reject a second one (0: not yet set).
    let mut supply_line: Vec<usize> = Vec::new();
    let mut supply_sum: i128 = 0;

    loop {
        buf.clear();
        let read = input.read_until(b'\n', &mut buf).map_err(|e| DimacsError {
            line: line + 1,
            message: format!("cannot read the input: {e}"),
        })?;
        if read == 0 {
            break;
        }
        line += 1;
        let err = |message: String| DimacsError { line, message };

        let mut fields: [&[u8]; 7] = [&[]; 7];
        let count = split_fields(&buf, &mut fields);
        if count == 0 {
            continue;
        }
        let kind = fields[0];
        match kind {
            _ if kind[0] == b'c' => continue,
            b"p" => {
                if let Some(h) = &header {
                    return Err(err(format!(
                        "a second problem line (the first is on line {})",
                        h.line
                    )));
                }
                if count != 4 {
                    return Err(err(format!(
                        "the problem line must be `p min NODES ARCS`, found {} field{}",
                        count,
                        plural(count)
                    )));
                }
                if fields[1] != b"min" {
                    return Err(err(format!(
                        "the problem type is `{}`, only `min` (min-cost flow) is supported",
                        show(fields[1])
                    )));
                }
                let nodes = parse_count(fields[2], "node count").map_err(err)?;
                let arcs = parse_count(fields[3], "arc count").map_err(err)?;
                network = Network::try_with_nodes(nodes, arcs).ok_or_else(|| {
                    err(format!(
                        "cannot hold {nodes} nodes: the most supported is {}, memory permitting",
                        super::MAX_NODES
                    ))
                })?;
                supply_line = Vec::new();
                supply_line
                    .try_reserve_exact(nodes)
                    .map_err(|_| err(format!("cannot allocate memory for {nodes} nodes")))?;
                supply_line.resize(nodes, 0);
                header = Some(Header { nodes, arcs, line });
            }
            b"n" => {
                let h = header.as_ref().ok_or_else(|| err(before_header("n")))?;
                if count != 3 {
                    return Err(err(format!(
                        "a node line must be `n ID SUPPLY`, found {} field{}",
                        count,
                        plural(count)
                    )));
                }
                let node = parse_node(fields[1], "node", h.nodes).map_err(err)?;
                let supply = parse_int(fields[2], "supply").map_err(err)?;
                if supply_line[node] != 0 {
                    return Err(err(format!(
                        "node {} already has a supply (set on line {})",
                        node + 1,
                        supply_line[node]
                    )));
                }
                supply_line[node] = line;
                supply_sum += i128::from(supply);
                network.set_supply(node, supply);
            }
            b"a" => {
                let h = header.as_ref().ok_or_else(|| err(before_header("a")))?;
                if count != 6 {
                    return Err(err(format!(
                        "an arc line must be `a TAIL HEAD LOW CAP COST`, found {} field{}",
                        count,
                        plural(count)
                    )));
                }
                if network.arc_count() == h.arcs {
                    return Err(err(format!(
                        "more arc lines than the {} declared on line {}",
                        h.arcs, h.line
                    )));
                }
                let tail = parse_node(fields[1], "arc tail", h.nodes).map_err(err)?;
                let head = parse_node(fields[2], "arc head", h.nodes).map_err(err)?;
                let lower = parse_int(fields[3], "lower bound").map_err(err)?;
                let capacity = parse_int(fields[4], "capacity").map_err(err)?;
                let cost = parse_int(fields[5], "cost").map_err(err)?;
                if capacity < lower {
                    return Err(err(format!(
                        "the capacity {capacity} is below the lower bound {lower}"
                    )));
                }
                network.add_arc(tail, head, lower, capacity, cost);
            }
            _ => {
                return Err(err(format!(
                    "unknown line type `{}`: expected `c`, `p`, `n` or `a`",
                    show(kind)
                )));
            }
        }
    }

    let Some(h) = header else {
        return Err(DimacsError {
            line: line.max(1),
            message: "no problem line `p min NODES ARCS` found".to_string(),
        });
    };
    if network.arc_count() != h.arcs {
        return Err(DimacsError {
            line: h.line,
            message: format!(
                "the problem line declares {} arc{} but {} arc line{} follow{}",
                h.arcs,
                plural(h.arcs),
                network.arc_count(),
                plural(network.arc_count()),
                if network.arc_count() == 1 { "s" } else { "" }
            ),
        });
    }
    if supply_sum != 0 {
        return Err(DimacsError {
            line: h.line,
            message: format!(
                "the node supplies add up to {supply_sum}, not 0: every unit supplied must be \
                 demanded"
            ),
        });
    }
    Ok(network)
}

/// Writes `s COST` then one `f U V FLOW` line per arc with nonzero flow (DIMACS solution
/// format, nodes numbered from 1).
///
/// # Errors
///
/// Any error of `out`.
pub fn write_solution<W: Write>(network: &Network, solution: &Solution, out: W) -> io::Result<()> {
    // Callers often pass an unbuffered handle such as a locked stdout.
    let mut out = BufWriter::with_capacity(1 << 16, out);
    writeln!(out, "s {}", solution.cost())?;
    for ((&flow, &tail), &head) in solution
        .flows()
        .iter()
        .zip(&network.tail)
        .zip(&network.head)
    {
        if flow != 0 {
            writeln!(
                out,
                "f {} {} {}",
                u64::from(tail) + 1,
                u64::from(head) + 1,
                flow
            )?;
        }
    }
    out.flush()
}

/// Splits a line at ASCII whitespace into `fields`; returns the number of fields, which may
/// exceed `fields.len()` (the extra ones are counted, not stored).
fn split_fields<'a>(line: &'a [u8], fields: &mut [&'a [u8]; 7]) -> usize {
    let mut count = 0;
    let mut i = 0;
    let len = line.len();
    while i < len {
        while i < len && line[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == len {
            break;
        }
        let start = i;
        while i < len && !line[i].is_ascii_whitespace() {
            i += 1;
        }
        if let Some(slot) = fields.get_mut(count) {
            *slot = &line[start..i];
        }
        count += 1;
    }
    count
}

/// Parses a decimal `i64` (optional sign), naming the field in the error.
fn parse_int(field: &[u8], what: &str) -> Result<i64, String> {
    let (negative, digits) = match field.first() {
        Some(b'-') => (true, &field[1..]),
        Some(b'+') => (false, &field[1..]),
        _ => (false, field),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(format!("the {what} `{}` is not an integer", show(field)));
    }
    // Accumulate negatively so that i64::MIN parses.
    let mut value: i64 = 0;
    for &d in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_sub(i64::from(d - b'0')))
            .ok_or_else(|| {
                format!(
                    "the {what} `{}` does not fit in a 64-bit integer",
                    show(field)
                )
            })?;
    }
    if negative {
        Ok(value)
    } else {
        value.checked_neg().ok_or_else(|| {
            format!(
                "the {what} `{}` does not fit in a 64-bit integer",
                show(field)
            )
        })
    }
}

/// Parses a 1-based node number in `1..=nodes` and returns it 0-based.
fn parse_node(field: &[u8], what: &str, nodes: usize) -> Result<usize, String> {
    let id = parse_int(field, what)?;
    match usize::try_from(id) {
        Ok(id) if (1..=nodes).contains(&id) => Ok(id - 1),
        _ if nodes == 0 => Err(format!(
            "{what} {id} is out of range: the problem declares no nodes"
        )),
        _ => Err(format!("{what} {id} is out of range 1..={nodes}")),
    }
}

/// Parses a non-negative count from the problem line.
fn parse_count(field: &[u8], what: &str) -> Result<usize, String> {
    let value = parse_int(field, what)?;
    usize::try_from(value).map_err(|_| format!("the {what} {value} is negative"))
}

fn before_header(kind: &str) -> String {
    format!("`{kind}` line before the problem line `p min NODES ARCS`")
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// A field for an error message: lossy UTF-8, cut short so messages stay one line.
fn show(field: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(&field[..field.len().min(MAX)]);
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if field.len() > MAX {
        format!("{text}...")
    } else {
        text
    }
}
