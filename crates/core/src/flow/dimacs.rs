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

use std::collections::HashMap;
use std::io::{self, BufRead, BufWriter, Write};

use super::{FlowError, Network, Solution};

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
    let mut parser = Parser {
        line: 0,
        header: None,
        network: Network::default(),
        supply_line: HashMap::new(),
        supply_sum: 0,
    };
    // Lines are tokenized in place in the reader's buffer; only a line that straddles two
    // buffer fills is copied, into `carry`.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let chunk = match input.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(DimacsError {
                    line: parser.line + 1,
                    message: format!("cannot read the input: {e}"),
                });
            }
        };
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        let mut rest = chunk;
        if !carry.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    carry.extend_from_slice(&rest[..=end]);
                    parser.line(&carry)?;
                    carry.clear();
                    rest = &rest[end + 1..];
                }
                None => {
                    carry.extend_from_slice(rest);
                    rest = &[];
                }
            }
        }
        while !rest.is_empty() {
            let mut fields: [&[u8]; 7] = [&[]; 7];
            match split_line(rest, &mut fields) {
                Some((count, used)) => {
                    parser.fields(&fields, count)?;
                    rest = &rest[used..];
                }
                None => {
                    carry.extend_from_slice(rest);
                    break;
                }
            }
        }
        input.consume(len);
    }
    if !carry.is_empty() {
        parser.line(&carry)?;
    }
    parser.finish()
}

/// The most nodes a problem line may declare: far more than the largest instances solved here
/// (road networks of 24 million nodes), few enough that the arrays a declaration sizes fit in
/// half a gigabyte.
pub const MAX_DECLARED_NODES: usize = 50_000_000;

/// The parser's state between lines.
struct Parser {
    /// The number of the line being parsed (1-based once the first line is read).
    line: usize,
    header: Option<Header>,
    network: Network,
    /// The line that set each node's supply, to reject a second one. A map: supply lines are
    /// few, declared nodes may be many.
    supply_line: HashMap<usize, usize>,
    supply_sum: i128,
}

impl Parser {
    /// Parses one line (with or without its newline).
    fn line(&mut self, line: &[u8]) -> Result<(), DimacsError> {
        let mut fields: [&[u8]; 7] = [&[]; 7];
        // A line without newline is the file's last line: pretend it has one.
        let count = match split_line(line, &mut fields) {
            Some((count, _)) => count,
            None => {
                let mut terminated = line.to_vec();
                terminated.push(b'\n');
                let mut fields: [&[u8]; 7] = [&[]; 7];
                let (count, _) = split_line(&terminated, &mut fields).unwrap_or((0, 0));
                return self.fields(&fields, count);
            }
        };
        self.fields(&fields, count)
    }

    /// Handles the next line, split into `count` fields (the first up to 7 in `fields`).
    fn fields(&mut self, fields: &[&[u8]; 7], count: usize) -> Result<(), DimacsError> {
        self.line += 1;
        let line = self.line;
        let err = |message: String| DimacsError { line, message };
        if count == 0 {
            return Ok(());
        }
        let kind = fields[0];
        match kind {
            b"a" => {
                let h = self
                    .header
                    .as_ref()
                    .ok_or_else(|| err(before_header("a")))?;
                if count != 6 {
                    return Err(err(format!(
                        "an arc line must be `a TAIL HEAD LOW CAP COST`, found {} field{}",
                        count,
                        plural(count)
                    )));
                }
                if self.network.arc_count() == h.arcs {
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
                self.network.add_arc(tail, head, lower, capacity, cost);
            }
            _ if kind[0] == b'c' => {}
            b"n" => {
                let h = self
                    .header
                    .as_ref()
                    .ok_or_else(|| err(before_header("n")))?;
                if count != 3 {
                    return Err(err(format!(
                        "a node line must be `n ID SUPPLY`, found {} field{}",
                        count,
                        plural(count)
                    )));
                }
                let node = parse_node(fields[1], "node", h.nodes).map_err(err)?;
                let supply = parse_int(fields[2], "supply").map_err(err)?;
                if let Some(first) = self.supply_line.insert(node, line) {
                    return Err(err(format!(
                        "node {} already has a supply (set on line {first})",
                        node + 1
                    )));
                }
                self.supply_sum += i128::from(supply);
                self.network.set_supply(node, supply);
            }
            b"p" => {
                if let Some(h) = &self.header {
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
                // The declaration alone sizes the network: a file of a few bytes must not
                // make the reader zero gigabytes.
                if nodes > MAX_DECLARED_NODES {
                    return Err(err(format!(
                        "cannot hold {nodes} nodes: a problem may declare at most \
                         {MAX_DECLARED_NODES}"
                    )));
                }
                self.network = Network::try_with_nodes(nodes, arcs)
                    .ok_or_else(|| err(format!("cannot allocate memory for {nodes} nodes")))?;
                self.header = Some(Header { nodes, arcs, line });
            }
            _ => {
                return Err(err(format!(
                    "unknown line type `{}`: expected `c`, `p`, `n` or `a`",
                    show(kind)
                )));
            }
        }
        Ok(())
    }

    /// Checks the file as a whole once every line is read.
    fn finish(self) -> Result<Network, DimacsError> {
        let Some(h) = self.header else {
            return Err(DimacsError {
                line: self.line.max(1),
                message: "no problem line `p min NODES ARCS` found".to_string(),
            });
        };
        let found = self.network.arc_count();
        if found != h.arcs {
            return Err(DimacsError {
                line: h.line,
                message: format!(
                    "the problem line declares {} arc{} but {} arc line{} follow{}",
                    h.arcs,
                    plural(h.arcs),
                    found,
                    plural(found),
                    if found == 1 { "s" } else { "" }
                ),
            });
        }
        if self.supply_sum != 0 {
            return Err(DimacsError {
                line: h.line,
                message: format!(
                    "the node supplies add up to {}, not 0: every unit supplied must be \
                     demanded",
                    self.supply_sum
                ),
            });
        }
        Ok(self.network)
    }
}

/// Describes a solver error in the file's terms: nodes numbered from 1, as in DIMACS, where
/// [`FlowError`]'s own messages number them from 0 like [`Network`].
pub fn describe(error: &FlowError) -> String {
    match error {
        FlowError::Infeasible {
            nodes,
            supply,
            capacity,
        } => format!(
            "no feasible flow: {}",
            super::infeasible_message(nodes, *supply, *capacity, 1)
        ),
        FlowError::InvalidNode { node, node_count } => {
            format!("node {} is out of range 1..={node_count}", node + 1)
        }
        other => other.to_string(),
    }
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

/// Splits the first line of `bytes` at ASCII whitespace into `fields`. Returns the number of
/// fields, which may exceed `fields.len()` (the extra ones are counted, not stored), and the
/// bytes used including the newline; `None` if `bytes` holds no newline.
fn split_line<'a>(bytes: &'a [u8], fields: &mut [&'a [u8]; 7]) -> Option<(usize, usize)> {
    let mut count = 0;
    let mut i = 0;
    let len = bytes.len();
    loop {
        while i < len && bytes[i] != b'\n' && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i == len {
            return None;
        }
        if bytes[i] == b'\n' {
            return Some((count, i + 1));
        }
        let start = i;
        while i < len && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if let Some(slot) = fields.get_mut(count) {
            *slot = &bytes[start..i];
        }
        count += 1;
    }
}

/// Parses a decimal `i64` (optional sign), naming the field in the error.
fn parse_int(field: &[u8], what: &str) -> Result<i64, String> {
    let (negative, digits) = match field.first() {
        Some(b'-') => (true, &field[1..]),
        Some(b'+') => (false, &field[1..]),
        _ => (false, field),
    };
    let not_integer = || format!("the {what} `{}` is not an integer", show(field));
    let too_large = || {
        format!(
            "the {what} `{}` does not fit in a 64-bit integer",
            show(field)
        )
    };
    if digits.is_empty() {
        return Err(not_integer());
    }
    // Up to 18 digits cannot overflow: the common case runs without checked arithmetic.
    if digits.len() <= 18 {
        let mut value: i64 = 0;
        for &d in digits {
            let digit = d.wrapping_sub(b'0');
            if digit > 9 {
                return Err(not_integer());
            }
            value = value * 10 + i64::from(digit);
        }
        return Ok(if negative { -value } else { value });
    }
    // Accumulate negatively so that i64::MIN parses.
    let mut value: i64 = 0;
    for &d in digits {
        let digit = d.wrapping_sub(b'0');
        if digit > 9 {
            return Err(not_integer());
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_sub(i64::from(digit)))
            .ok_or_else(too_large)?;
    }
    if negative {
        Ok(value)
    } else {
        value.checked_neg().ok_or_else(too_large)
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
