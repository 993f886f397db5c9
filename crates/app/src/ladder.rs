//! The shared hierarchy ladder and the functions people hold: what administrators keep.

use counterpart_core::ids::{FunctionId, LevelId};
use counterpart_core::ladder::{Function, LadderNames, Level, Move};

use crate::error::Result;
use crate::{App, Principal};

impl App {
    /// The ladder, top first.
    pub async fn levels(&self, _who: &Principal) -> Result<Vec<Level>> {
        Ok(self.store.levels().await?)
    }

    /// The functions, in their order.
    pub async fn functions(&self, _who: &Principal) -> Result<Vec<Function>> {
        Ok(self.store.functions().await?)
    }

    /// Adds a level at the bottom of the ladder.
    pub async fn create_level(&self, who: &Principal, names: LadderNames) -> Result<Level> {
        who.may_administer()?;
        Ok(self.store.create_level(&who.actor(), names).await?)
    }

    /// Renames a level, if nobody did since `version`.
    pub async fn rename_level(
        &self,
        who: &Principal,
        id: LevelId,
        version: i64,
        names: LadderNames,
    ) -> Result<Level> {
        who.may_administer()?;
        Ok(self
            .store
            .rename_level(&who.actor(), id, version, names)
            .await?)
    }

    /// Moves a level one rung up or down.
    pub async fn move_level(&self, who: &Principal, id: LevelId, direction: Move) -> Result<()> {
        who.may_administer()?;
        Ok(self.store.move_level(&who.actor(), id, direction).await?)
    }

    /// Adds a function.
    pub async fn create_function(
        &self,
        who: &Principal,
        key: String,
        names: LadderNames,
        is_assistant: bool,
    ) -> Result<Function> {
        who.may_administer()?;
        Ok(self
            .store
            .create_function(&who.actor(), key, names, is_assistant)
            .await?)
    }

    /// Renames a function or marks it as an assistant's, if nobody changed it since `version`.
    pub async fn update_function(
        &self,
        who: &Principal,
        id: FunctionId,
        version: i64,
        names: LadderNames,
        is_assistant: bool,
    ) -> Result<Function> {
        who.may_administer()?;
        Ok(self
            .store
            .update_function(&who.actor(), id, version, names, is_assistant)
            .await?)
    }

    /// Moves a function one place up or down.
    pub async fn move_function(
        &self,
        who: &Principal,
        id: FunctionId,
        direction: Move,
    ) -> Result<()> {
        who.may_administer()?;
        Ok(self
            .store
            .move_function(&who.actor(), id, direction)
            .await?)
    }
}
