//! Changing and withdrawing an insight: its author's (or an administrator's) own page and
//! button; recording one is on the person and account pages.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_core::ids::InsightId;
use counterpart_core::insight::{Certainty, Insight, InsightFields};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::render::forms::{Field, FormPage, FormState, rejected};
use crate::render::insights::categories;
use crate::render::{PageResult, page, see_other};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/insights/{id}/edit", get(edit_form).post(edit))
        .route("/insights/{id}/withdraw", post(withdraw))
}

/// Where an insight is shown: its person's page, else its account's.
fn home_of(insight: &Insight) -> String {
    match (insight.partner_id, insight.account_id) {
        (Some(person), _) => format!("/people/{person}#insights"),
        (None, Some(account)) => format!("/accounts/{account}#insights"),
        (None, None) => "/".to_owned(),
    }
}

/// The edit form as sent: the insight's fields and the version it was read at.
#[derive(Deserialize)]
struct EditForm {
    #[serde(flatten)]
    fields: InsightFields,
    #[serde(default)]
    version: i64,
}

fn fields_of(insight: &Insight) -> InsightFields {
    InsightFields {
        category: insight.category.as_str().to_owned(),
        text: insight.text.clone(),
        learned_on: insight.learned_on.to_string(),
        source_id: insight.source_id.map(|s| s.to_string()).unwrap_or_default(),
        certainty: insight.certainty.as_str().to_owned(),
        valid_until: insight
            .valid_until
            .map(|d| d.to_string())
            .unwrap_or_default(),
        confidential: if insight.confidential { "1" } else { "" }.to_owned(),
    }
}

fn form_state(ctx: &Ctx, f: &InsightFields, version: i64) -> FormState {
    let t = ctx.t();
    let certainties = Certainty::ALL.iter().map(|c| {
        let label = match c {
            Certainty::Heard => t.insight_heard,
            Certainty::Confirmed => t.insight_confirmed,
        };
        (c.as_str().to_owned(), label.to_owned())
    });
    let choices = categories(t)
        .into_iter()
        .map(|(k, l)| (k.to_owned(), l.to_owned()));
    let confidential = [
        (String::new(), t.no.to_owned()),
        ("1".to_owned(), t.yes.to_owned()),
    ];
    FormState::new(vec![
        Field::select("category", t.insight_category, &f.category, choices).required(),
        Field::input("textarea", "text", t.insight_text, &f.text).required(),
        Field::input("date", "learned_on", t.field_learned_on, &f.learned_on).required(),
        Field::select("certainty", t.field_certainty, &f.certainty, certainties),
        Field::input("date", "valid_until", t.field_valid_until, &f.valid_until),
        Field::select(
            "confidential",
            t.insight_confidential,
            &f.confidential,
            confidential,
        )
        .hint(t.insight_confidential_hint),
        Field::hidden("source_id", f.source_id.clone()),
        Field::hidden("version", version.to_string()),
    ])
}

fn edit_page<'a>(ctx: &'a Ctx, insight: &Insight, form: FormState) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: Vec::new(),
        heading: t.insight_edit_title.to_owned(),
        intro: None,
        action: format!("/insights/{}/edit", insight.id),
        submit: t.save,
        cancel: home_of(insight),
        form,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<InsightId>,
) -> PageResult {
    let insight = state.app.own_insight(&ctx.principal(), id).await?;
    let form = form_state(&ctx, &fields_of(&insight), insight.version);
    Ok(page(&edit_page(&ctx, &insight, form)))
}

async fn edit(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<InsightId>,
    Form(form): Form<EditForm>,
) -> PageResult {
    match state
        .app
        .edit_insight(&ctx.principal(), id, form.version, &form.fields)
        .await
    {
        Ok(insight) => Ok(see_other(&home_of(&insight))),
        Err(error) => {
            let current = state.app.own_insight(&ctx.principal(), id).await?;
            let refused = form_state(&ctx, &form.fields, form.version).refused(
                &ctx,
                error,
                current.version,
            )?;
            Ok(rejected(&edit_page(&ctx, &current, refused)))
        }
    }
}

/// The withdraw button's form.
#[derive(Deserialize)]
struct WithdrawForm {
    version: i64,
}

async fn withdraw(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<InsightId>,
    Form(form): Form<WithdrawForm>,
) -> PageResult {
    let insight = state
        .app
        .withdraw_insight(&ctx.principal(), id, form.version)
        .await?;
    Ok(see_other(&home_of(&insight)))
}
