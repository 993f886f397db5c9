//! `counterpart migrate`: bring the schema up to date.

use counterpart_store::Store;

use super::CliError;

pub(super) async fn run(url: &str) -> Result<(), CliError> {
    let store = Store::connect(url).await?;
    let applied = store.migrate().await?;
    store.seed_defaults().await?;
    println!("Database is up to date ({applied} migration(s) applied).");
    Ok(())
}
