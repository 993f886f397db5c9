//! The CSV reader on arbitrary bytes.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(table) =
            counterpart_core::exchange::read::read_csv(data, &counterpart_fuzz::LIMITS)
        {
            counterpart_fuzz::check_table(&table);
        }
    });
}
