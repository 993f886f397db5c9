//! The XLSX reader (zip, shared strings, sheet XML) on arbitrary bytes.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        use counterpart_core::exchange::read::{read_xlsx, xlsx_sheets};
        let limits = counterpart_fuzz::LIMITS;
        if let Ok(table) = read_xlsx(data, None, &limits) {
            counterpart_fuzz::check_table(&table);
        }
        let _ = xlsx_sheets(data, &limits);
    });
}
