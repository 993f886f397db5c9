//! Merging two records of one human: the person page's "Doppelten Eintrag zusammenführen"
//! chooses the double (a person of the same organization) and merges it into this record.

use axum::Form;
use axum::extract::{Path, State};
use counterpart_core::ids::PersonId;
use counterpart_core::person::Person;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::render::forms::{Field, FormPage, FormState, rejected};
use crate::render::picker::{PickScope, Picker};
use crate::render::{PageResult, page, see_other};

/// The merge form as sent.
#[derive(Deserialize)]
pub(super) struct MergeForm {
    #[serde(default)]
    other_id: String,
    #[serde(default)]
    version: i64,
}

fn merge_page<'a>(ctx: &'a Ctx, person: &Person, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    let name = person.display_name();
    FormPage {
        ctx,
        t,
        crumbs: vec![
            (t.nav_people.to_owned(), "/people".to_owned()),
            (name.clone(), format!("/people/{}", person.id)),
        ],
        heading: format!("{}: {name}", t.merge_title),
        intro: Some(t.merge_intro),
        action: format!("/people/{}/merge", person.id),
        submit: t.merge_submit,
        cancel: format!("/people/{}", person.id),
        form,
    }
}

fn merge_fields(ctx: &Ctx, person: &Person, version: i64) -> FormState {
    let t = ctx.t();
    let picker = Picker::new(
        "other_id",
        t.merge_other,
        PickScope::Organization(person.organization_id),
    )
    .required();
    FormState::new(vec![
        Field::picker(picker),
        Field::hidden("version", version.to_string()),
    ])
}

pub(super) async fn merge_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
) -> PageResult {
    let person = state.app.person(&ctx.principal(), id).await?;
    let form = merge_fields(&ctx, &person, person.version);
    Ok(page(&merge_page(&ctx, &person, form)))
}

pub(super) async fn merge(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<PersonId>,
    Form(form): Form<MergeForm>,
) -> PageResult {
    let result = state
        .app
        .merge_people(&ctx.principal(), id, form.version, &form.other_id)
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!("/people/{id}?merged=1"))),
        Err(error) => {
            let person = state.app.person(&ctx.principal(), id).await?;
            let fields =
                merge_fields(&ctx, &person, form.version).refused(&ctx, error, person.version)?;
            Ok(rejected(&merge_page(&ctx, &person, fields)))
        }
    }
}
