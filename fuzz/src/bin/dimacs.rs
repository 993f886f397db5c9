//! The DIMACS min-cost-flow reader on arbitrary bytes; what it accepts, if small, is solved.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(network) = counterpart_core::flow::dimacs::parse(data)
            && network.node_count() <= 64
            && network.arc_count() <= 256
        {
            let _ = network.solve();
        }
    });
}
