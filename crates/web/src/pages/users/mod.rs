//! Users, for administrators: the searchable, paged list; creating a user; a user's page with
//! their details and person link, disabling and a password reset; linking many users to their
//! person by e-mail address. And every user's own password (`password.rs`).

mod password;
mod security;
mod tokens;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Form, Router};
use counterpart_app::Error;
use counterpart_app::security::UserSecurity;
use counterpart_app::users::{NewPassword, UserDetail};
use counterpart_core::ids::UserId;
use counterpart_core::user::{Role, User, UserFields};
use counterpart_core::validate::FieldErrors;
use counterpart_store::{EmailLink, USERS_PER_PAGE, UserPage, UserQuery};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::{self, Texts};
use crate::render::forms::{FormPage, rejected};
use crate::render::picker::{PickScope, Picker, current_label};
use crate::render::{Field, FormState, PageResult, page, render, see_other};

/// Proposals the link page lists at most (the button links them all).
const LINKS_SHOWN: usize = 200;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/new", get(new_form))
        .route("/admin/users/link", get(link_preview).post(link))
        .route("/admin/users/{id}", get(show).post(update))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/users/{id}/password", post(reset_password))
        .merge(password::router())
        .merge(security::router())
        .merge(tokens::router())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: u32,
    /// How many users linking by e-mail just linked.
    linked: Option<usize>,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    q: String,
    users: UserPage,
    linkable: usize,
    linked: Option<usize>,
}

impl ListPage<'_> {
    fn count(&self) -> String {
        i18n::users(self.ctx.lang, self.users.total)
    }

    fn link_button(&self) -> String {
        i18n::link_users(self.ctx.lang, self.linkable)
    }

    fn linked_text(&self, n: &usize) -> String {
        i18n::users_linked(self.ctx.lang, *n)
    }

    /// The link to another page of the list, keeping the search.
    fn page_href(&self, page: u32) -> String {
        let mut href = format!("/admin/users?page={page}");
        if !self.q.is_empty() {
            href.push_str("&q=");
            href.push_str(&url_encode(&self.q));
        }
        href
    }

    fn has_previous(&self) -> bool {
        self.users.page > 0
    }

    fn has_next(&self) -> bool {
        u64::from(self.users.page + 1) * u64::from(USERS_PER_PAGE) < self.users.total
    }

    fn last_login(&self, entry: &counterpart_store::UserListEntry) -> String {
        entry.last_login_at.map_or_else(
            || self.t.never_logged_in.to_owned(),
            |at| self.ctx.datetime(&at),
        )
    }
}

/// Percent-encodes a query value (the search text going back into the paging links).
fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

async fn list(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let query = UserQuery {
        text: q.q.trim().to_owned(),
        page: q.page,
    };
    let list = state.app.user_list(&ctx.principal(), &query).await?;
    Ok(page(&ListPage {
        t: ctx.t(),
        ctx: &ctx,
        q: query.text,
        users: list.page,
        linkable: list.linkable,
        linked: q.linked,
    }))
}

/// The fields of the user form as typed, with the login name and first password of a new one.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
struct UserForm {
    username: String,
    password: String,
    #[serde(flatten)]
    fields: UserFields,
    version: i64,
}

impl UserForm {
    fn of(user: &User) -> Self {
        Self {
            username: user.username.clone(),
            password: String::new(),
            fields: UserFields {
                display_name: user.display_name.clone(),
                email: user.email.clone().unwrap_or_default(),
                role: user.role.as_str().to_owned(),
                person_id: user.person_id.map(|p| p.to_string()).unwrap_or_default(),
            },
            version: user.version,
        }
    }
}

/// The role choices, in the user's language.
fn roles(t: &Texts) -> Vec<(String, String)> {
    [Role::Viewer, Role::Editor, Role::Admin]
        .iter()
        .map(|role| (role.as_str().to_owned(), t.role(role).to_owned()))
        .collect()
}

/// The fields of the user form: login name and first password for a new user, the version for
/// an existing one. The person picker offers the people of our own house.
async fn form_state(
    state: &AppState,
    ctx: &Ctx,
    values: &UserForm,
    person_label: Option<String>,
    new: bool,
) -> Result<FormState, crate::error::AppError> {
    let t = ctx.t();
    let mut fields = Vec::new();
    if new {
        fields.push(
            Field::text("username", t.username, &values.username)
                .required()
                .hint(t.username_hint)
                .autocomplete("off"),
        );
    }
    fields.push(
        Field::text(
            "display_name",
            t.field_display_name,
            &values.fields.display_name,
        )
        .required()
        .hint(t.field_display_name_hint),
    );
    fields.push(
        Field::input("email", "email", t.field_email, &values.fields.email)
            .hint(t.field_user_email_hint)
            .autocomplete("off"),
    );
    fields.push(Field::select("role", t.field_user_role, &values.fields.role, roles(t)).required());
    if let Some(own) = state.app.own_organization(&ctx.principal()).await? {
        let mut picker = Picker::new(
            "person_id",
            t.field_user_person,
            PickScope::Organization(own.id),
        )
        .optional(t.user_no_person);
        let label = match person_label {
            Some(label) => Some(label),
            None => {
                current_label(
                    &state.app,
                    &ctx.principal(),
                    PickScope::Organization(own.id),
                    &values.fields.person_id,
                )
                .await?
            }
        };
        if let Some(label) = label {
            picker = picker.current(values.fields.person_id.clone(), label);
        }
        fields.push(Field::picker(picker));
    }
    if new {
        fields.push(
            Field::input("password", "password", t.field_first_password, "")
                .hint(t.first_password_hint)
                .autocomplete("new-password"),
        );
    } else {
        fields.push(Field::hidden("version", values.version.to_string()));
    }
    Ok(FormState::new(fields))
}

fn new_page(ctx: &Ctx, form: FormState) -> FormPage<'_> {
    let t = ctx.t();
    FormPage {
        ctx,
        t,
        crumbs: vec![(t.users_title.to_owned(), "/admin/users".to_owned())],
        heading: t.new_user.to_owned(),
        intro: None,
        action: "/admin/users".to_owned(),
        submit: t.save,
        cancel: "/admin/users".to_owned(),
        form,
    }
}

async fn new_form(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    let values = UserForm {
        fields: UserFields {
            role: Role::Viewer.as_str().to_owned(),
            ..Default::default()
        },
        ..Default::default()
    };
    let form = form_state(&state, &ctx, &values, None, true).await?;
    Ok(page(&new_page(&ctx, form)))
}

async fn create(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Form(values): Form<UserForm>,
) -> PageResult {
    let result = state
        .app
        .create_user(
            &ctx.principal(),
            &values.username,
            &values.fields,
            &values.password,
        )
        .await;
    match result {
        Ok(created) => {
            let detail = state
                .app
                .user_detail(&ctx.principal(), created.user.id)
                .await?;
            let notice = Some(ctx.t().user_created.to_owned());
            show_page(&state, &ctx, detail, notice, created.generated_password).await
        }
        Err(Error::Invalid(errors)) => {
            let form = form_state(&state, &ctx, &values, None, true)
                .await?
                .with_errors(&ctx, &errors);
            Ok(rejected(&new_page(&ctx, form)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "users/show.html")]
struct ShowPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    user: User,
    form: FormState,
    /// Live sessions and the second factor.
    security: UserSecurity,
    /// A sentence on what just happened ("Saved.").
    notice: Option<String>,
    /// A password just generated, shown this once.
    password: Option<String>,
    password_error: Option<String>,
}

#[derive(Deserialize)]
struct ShowQuery {
    saved: Option<u8>,
    reset: Option<u8>,
    /// How many sessions the administrator just ended.
    ended: Option<usize>,
    /// The second factor was just reset.
    second_factor_reset: Option<u8>,
}

/// Renders a user's page: the details form, the status, the password reset.
async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    detail: UserDetail,
    notice: Option<String>,
    password: Option<String>,
) -> PageResult {
    let values = UserForm::of(&detail.user);
    let form = form_state(state, ctx, &values, detail.person_label, false).await?;
    Ok(page(&ShowPage {
        t: ctx.t(),
        ctx,
        user: detail.user,
        form,
        security: detail.security,
        notice,
        password,
        password_error: None,
    }))
}

async fn show(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let detail = state.app.user_detail(&ctx.principal(), id).await?;
    let t = ctx.t();
    let notice = match (q.saved, q.reset, q.ended, q.second_factor_reset) {
        (_, _, _, Some(_)) => Some(t.second_factor_was_reset.to_owned()),
        (_, _, Some(n), _) => Some(format!("{}.", t.sessions_ended(n))),
        (_, Some(_), _, _) => Some(t.password_was_reset.to_owned()),
        (Some(_), _, _, _) => Some(t.saved.to_owned()),
        _ => None,
    };
    show_page(&state, &ctx, detail, notice, None).await
}

async fn update(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Form(values): Form<UserForm>,
) -> PageResult {
    let who = ctx.principal();
    let current = state.app.user_detail(&who, id).await?;
    let result = state
        .app
        .update_user(&who, id, values.version, &values.fields)
        .await;
    let form = match result {
        Ok(_) => return Ok(see_other(&format!("/admin/users/{id}?saved=1"))),
        Err(error) => form_state(&state, &ctx, &values, None, false)
            .await?
            .refused(&ctx, error, current.user.version)?,
    };
    let status = if form.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        &ShowPage {
            t: ctx.t(),
            ctx: &ctx,
            user: current.user,
            form,
            security: current.security,
            notice: None,
            password: None,
            password_error: None,
        },
        status,
    ))
}

#[derive(Deserialize)]
struct ActiveForm {
    active: u8,
}

async fn set_active(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Form(form): Form<ActiveForm>,
) -> PageResult {
    state
        .app
        .set_user_active(&ctx.principal(), id, form.active == 1)
        .await?;
    Ok(see_other(&format!("/admin/users/{id}?saved=1")))
}

/// The reset form: a typed password, or the button that has one generated.
#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
    generate: Option<String>,
}

async fn reset_password(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Path(id): Path<UserId>,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let who = ctx.principal();
    let password = if form.generate.is_some() {
        NewPassword::Generated
    } else {
        NewPassword::Typed(&form.password)
    };
    match state.app.reset_password(&who, id, password).await {
        Ok(None) => Ok(see_other(&format!("/admin/users/{id}?reset=1"))),
        Ok(Some(generated)) => {
            let detail = state.app.user_detail(&who, id).await?;
            let notice = Some(ctx.t().password_was_reset.to_owned());
            show_page(&state, &ctx, detail, notice, Some(generated)).await
        }
        Err(Error::Invalid(errors)) => {
            let detail = state.app.user_detail(&who, id).await?;
            let values = UserForm::of(&detail.user);
            let fields = form_state(&state, &ctx, &values, detail.person_label, false).await?;
            Ok(render(
                &ShowPage {
                    t: ctx.t(),
                    ctx: &ctx,
                    user: detail.user,
                    form: fields,
                    security: detail.security,
                    notice: None,
                    password: None,
                    password_error: first_problem(&ctx, &errors),
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// The first problem of a form with one field, as a sentence.
fn first_problem(ctx: &Ctx, errors: &FieldErrors) -> Option<String> {
    errors
        .0
        .first()
        .map(|e| i18n::problem(ctx.lang, &e.problem))
}

#[derive(Template)]
#[template(path = "users/link.html")]
struct LinkPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    links: Vec<EmailLink>,
    total: usize,
}

impl LinkPage<'_> {
    fn link_button(&self) -> String {
        i18n::link_users(self.ctx.lang, self.total)
    }
}

async fn link_preview(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    let mut links = state.app.email_links(&ctx.principal()).await?;
    let total = links.len();
    links.truncate(LINKS_SHOWN);
    Ok(page(&LinkPage {
        t: ctx.t(),
        ctx: &ctx,
        links,
        total,
    }))
}

async fn link(State(state): State<AppState>, Admin(ctx): Admin) -> PageResult {
    let linked = state.app.link_users_by_email(&ctx.principal()).await?;
    Ok(see_other(&format!("/admin/users?linked={}", linked.len())))
}
