//! The vCard reader on arbitrary bytes: both ways of reading give the same table.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        use counterpart_core::exchange::read::{read_vcard_table, read_vcards, vcards_to_table_in};
        use counterpart_core::user::Language;
        let limits = counterpart_fuzz::LIMITS;
        let table = read_vcard_table(data, Language::De, &limits);
        let cards = read_vcards(data, &limits);
        match (table, cards) {
            (Ok(table), Ok(cards)) => {
                assert_eq!(table, vcards_to_table_in(&cards, Language::De));
                counterpart_fuzz::check_table(&table);
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("the two readers disagree"),
        }
    });
}
