//! The account form: create, edit (with a lost race shown as such), deactivate and
//! reactivate.

use axum::Form;
use axum::extract::{Path, Query, State};
use counterpart_app::Error;
use counterpart_core::account::{Account, AccountFields, ManagementMode, Relation};
use counterpart_core::ids::AccountId;
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Ctx, Editor};
use crate::error::AppError;
use crate::render::forms::{
    ActiveForm, FormPage, after_set_active, organization_field, rejected, unit_field,
};
use crate::render::picker::{PickScope, Picker};
use crate::render::{Field, FormState, PageResult, page, see_other};

/// The account form's raw values.
#[derive(Deserialize, Default)]
pub(super) struct AccountForm {
    #[serde(flatten)]
    fields: AccountFields,
    /// Text: flattened form fields arrive as strings.
    #[serde(default)]
    version: String,
}

/// The account form's fields; choosing another partner organization reloads it from
/// `reload`.
async fn account_form(
    state: &AppState,
    ctx: &Ctx,
    v: &AccountForm,
    with_version: bool,
    reload: &str,
) -> Result<FormState, AppError> {
    let t = ctx.t();
    let f = &v.fields;
    let choices = state
        .app
        .account_choices(
            &ctx.principal(),
            f.organization_id.trim().parse().ok(),
            f.manager_id.trim().parse().ok(),
            [
                f.unit_id.trim().parse().ok(),
                f.responsible_unit_id.trim().parse().ok(),
            ],
        )
        .await?;
    let own_id = choices.own.as_ref().map(|o| o.id);
    // Our own house is a partner only through one of its units: a neighbouring department.
    let in_house = own_id.is_some_and(|own| f.organization_id.trim() == own.to_string());
    let whole = if in_house {
        t.none_option
    } else {
        t.whole_organization
    };
    let manager = own_id.map(|own| {
        let picker = Picker::new("manager_id", t.field_manager, PickScope::Organization(own))
            .optional(t.nobody_option);
        match choices.manager_label {
            Some(label) => picker.current(f.manager_id.clone(), label),
            None => picker,
        }
    });
    let relations = Relation::ALL
        .iter()
        .map(|r| (r.as_str().to_owned(), t.relation(r).to_owned()));
    let modes = ManagementMode::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), t.mode(m).to_owned()));
    let organization = organization_field(
        t,
        (
            "organization_id",
            t.field_partner_organization,
            PickScope::Partners,
        ),
        &f.organization_id,
        choices.partners,
        Some(t.none_option),
        reload,
    )
    .required();
    let every = |_: &_| true;
    let unit = if in_house {
        unit_field(
            "unit_id",
            t.field_partner_department,
            &f.unit_id,
            choices.partner_units,
            Some(whole),
            every,
        )
        .hint(t.field_partner_department_hint)
        .required()
    } else {
        unit_field(
            "unit_id",
            t.field_partner_unit,
            &f.unit_id,
            choices.partner_units,
            Some(whole),
            every,
        )
        .hint(t.field_partner_unit_hint)
    };
    let mut fields = vec![
        organization,
        unit,
        Field::text("name", t.field_account_name, &f.name).hint(t.field_account_name_hint),
        Field::select("relation", t.field_relation, &f.relation, relations).required(),
        Field::select("mode", t.field_mode, &f.mode, modes).required(),
        unit_field(
            "responsible_unit_id",
            t.field_responsible_unit,
            &f.responsible_unit_id,
            choices.own_units,
            Some(t.none_option),
            every,
        ),
    ];
    // Right below the responsible unit: that unit (and those above it) is who sees a
    // restricted account.
    fields.push(
        Field::checkbox(
            "restricted",
            t.field_restricted,
            matches!(f.restricted.trim(), "1" | "on" | "true"),
        )
        .hint(t.field_restricted_hint),
    );
    fields.extend(manager.map(Field::picker));
    fields.push(Field::input("textarea", "notes", t.field_notes, &f.notes));
    if with_version {
        fields.push(Field::hidden("version", v.version.clone()));
    }
    Ok(FormState::new(fields))
}

/// A page with the account form.
fn form_page<'a>(
    ctx: &'a Ctx,
    heading: String,
    action: String,
    cancel: String,
    form: FormState,
) -> FormPage<'a> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![(t.nav_accounts.to_owned(), "/accounts".to_owned())],
        heading,
        intro: None,
        action,
        submit: t.save,
        cancel,
        form,
    }
}

/// A reload of the account form after another organization was chosen: what was typed.
#[derive(Deserialize, Default)]
pub(super) struct NewQuery {
    #[serde(flatten)]
    fields: AccountFields,
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let mut values = AccountForm {
        fields: q.fields,
        version: String::new(),
    };
    if values.fields.relation.is_empty() {
        values.fields.relation = "customer".into();
        values.fields.mode = "hierarchical".into();
    }
    let form = account_form(&state, &ctx, &values, false, "/accounts/new").await?;
    Ok(page(&form_page(
        &ctx,
        ctx.t().new_account.to_owned(),
        "/accounts".into(),
        "/accounts".into(),
        form,
    )))
}

pub(super) async fn create(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Form(values): Form<AccountForm>,
) -> PageResult {
    match state
        .app
        .create_account(&ctx.principal(), &values.fields)
        .await
    {
        Ok(account) => Ok(see_other(&format!("/accounts/{}?saved=1", account.id))),
        Err(Error::Invalid(errors)) => {
            let form = account_form(&state, &ctx, &values, false, "/accounts/new")
                .await?
                .with_errors(&ctx, &errors);
            Ok(rejected(&form_page(
                &ctx,
                ctx.t().new_account.to_owned(),
                "/accounts".into(),
                "/accounts".into(),
                form,
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// The form values of an account as stored.
fn fields_of(a: &Account) -> AccountFields {
    let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    AccountFields {
        name: a.name.clone(),
        organization_id: a.organization_id.to_string(),
        unit_id: id(a.unit_id.map(|u| u.get())),
        relation: a.relation.as_str().to_owned(),
        mode: a.mode.as_str().to_owned(),
        responsible_unit_id: id(a.responsible_unit_id.map(|u| u.get())),
        manager_id: id(a.manager_id.map(|p| p.get())),
        notes: a.notes.clone().unwrap_or_default(),
        restricted: if a.restricted { "1" } else { "" }.to_owned(),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let account = state.app.account(&ctx.principal(), id).await?;
    // A reload after choosing another organization keeps what was typed.
    let fields = if q.fields.organization_id.is_empty() {
        fields_of(&account)
    } else {
        q.fields
    };
    let values = AccountForm {
        fields,
        version: account.version.to_string(),
    };
    let form = account_form(&state, &ctx, &values, true, &format!("/accounts/{id}/edit")).await?;
    Ok(page(&form_page(
        &ctx,
        account.name.clone(),
        format!("/accounts/{id}/edit"),
        format!("/accounts/{id}"),
        form,
    )))
}

pub(super) async fn update(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(values): Form<AccountForm>,
) -> PageResult {
    let who = ctx.principal();
    let account = state.app.account(&who, id).await?;
    let version = values.version.parse().unwrap_or(0);
    let result = state
        .app
        .update_account(&who, account.id, version, &values.fields)
        .await;
    let reload = format!("/accounts/{id}/edit");
    let page_of = |form| {
        form_page(
            &ctx,
            account.name.clone(),
            format!("/accounts/{id}/edit"),
            format!("/accounts/{id}"),
            form,
        )
    };
    let form = match result {
        Ok(_) => return Ok(see_other(&format!("/accounts/{id}?saved=1"))),
        Err(error) => account_form(&state, &ctx, &values, true, &reload)
            .await?
            .refused(&ctx, error, account.version)?,
    };
    Ok(rejected(&page_of(form)))
}

pub(super) async fn set_active(
    State(state): State<AppState>,
    Editor(ctx): Editor,
    Path(id): Path<AccountId>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    let result = state
        .app
        .set_account_active(&ctx.principal(), id, form.version, form.activate())
        .await;
    after_set_active(result, &format!("/accounts/{id}"))
}
