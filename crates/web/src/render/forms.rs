//! Form fields as data, rendered by one template (`field.html`) so every form gets the same
//! labels, hints, error messages and ARIA wiring.

use counterpart_app::organizations::{OrganizationChoice, UnitChoice};
use counterpart_core::ids::UnitId;
use counterpart_core::org::UnitNode;
use counterpart_core::validate::FieldErrors;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::i18n;
use crate::i18n::Texts;
use crate::render::picker::{PickScope, Picker, organization_label};

/// One choice of a select field.
#[derive(Clone, Debug)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

/// One form field, ready to render.
#[derive(Clone, Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) label: &'static str,
    /// `text`, `email`, `tel`, `date`, `password`, `textarea`, `select`, `checkbox`, `hidden`.
    pub(crate) kind: &'static str,
    pub(crate) value: String,
    pub(crate) required: bool,
    pub(crate) hint: Option<&'static str>,
    pub(crate) error: Option<String>,
    pub(crate) choices: Vec<Choice>,
    pub(crate) autocomplete: &'static str,
    /// For selects: a URL from which the whole form is reloaded (htmx) when the choice
    /// changes, e.g. units after choosing an organization.
    pub(crate) reload: Option<String>,
    /// For `picker` fields: the person picker.
    pub(crate) picker: Option<crate::render::picker::Picker>,
}

impl Field {
    fn new(
        name: &'static str,
        label: &'static str,
        kind: &'static str,
        value: impl Into<String>,
    ) -> Self {
        Self {
            name,
            label,
            kind,
            value: value.into(),
            required: false,
            hint: None,
            error: None,
            choices: Vec::new(),
            autocomplete: "off",
            reload: None,
            picker: None,
        }
    }

    /// A person picker: a search as you type over many people (see `picker.rs`).
    pub(crate) fn picker(picker: crate::render::picker::Picker) -> Self {
        let mut field = Self::new(picker.name, picker.label, "picker", "");
        field.picker = Some(picker);
        field
    }

    /// A one-line text field.
    pub(crate) fn text(name: &'static str, label: &'static str, value: impl Into<String>) -> Self {
        Self::new(name, label, "text", value)
    }

    /// A field of another input type (`email`, `tel`, `date`, `password`, `textarea`).
    pub(crate) fn input(
        kind: &'static str,
        name: &'static str,
        label: &'static str,
        value: impl Into<String>,
    ) -> Self {
        Self::new(name, label, kind, value)
    }

    /// A select; `choices` are (value, label), the one equal to `value` is selected.
    pub(crate) fn select(
        name: &'static str,
        label: &'static str,
        value: impl Into<String>,
        choices: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut field = Self::new(name, label, "select", value);
        field.choices = choices
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == field.value,
                value,
                label,
            })
            .collect();
        field
    }

    /// A checkbox that sends `1` when ticked (and nothing when not).
    pub(crate) fn checkbox(name: &'static str, label: &'static str, on: bool) -> Self {
        Self::new(name, label, "checkbox", if on { "1" } else { "" })
    }

    /// A hidden field.
    pub(crate) fn hidden(name: &'static str, value: impl Into<String>) -> Self {
        Self::new(name, "", "hidden", value)
    }

    /// Marks the field as required; a required picker offers no "nobody".
    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        if let Some(picker) = &mut self.picker {
            picker.none_label = None;
            picker.required = true;
        }
        self
    }

    /// Adds a hint below the label.
    pub(crate) fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// Sets the `autocomplete` attribute.
    pub(crate) fn autocomplete(mut self, value: &'static str) -> Self {
        self.autocomplete = value;
        self
    }

    /// Shows a problem at the field (a picker's too).
    pub(crate) fn with_error(mut self, error: Option<String>) -> Self {
        self.set_error(error);
        self
    }

    fn set_error(&mut self, error: Option<String>) {
        if let Some(picker) = &mut self.picker {
            picker.error.clone_from(&error);
        }
        self.error = error;
    }

    /// The id of the element that takes the focus (a picker's search field).
    pub(crate) fn id(&self) -> String {
        if self.picker.is_some() {
            format!("f-{}-q", self.name)
        } else {
            format!("f-{}", self.name)
        }
    }

    /// The ids of the hint and error that describe the field, for `aria-describedby`.
    pub(crate) fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("f-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// The state of a submitted form: its fields with errors attached, and a banner for a lost
/// race ("changed meanwhile by …").
#[derive(Clone, Debug, Default)]
pub(crate) struct FormState {
    pub(crate) fields: Vec<Field>,
    pub(crate) conflict: Option<String>,
}

impl FormState {
    /// A fresh form.
    pub(crate) fn new(fields: Vec<Field>) -> Self {
        Self {
            fields,
            conflict: None,
        }
    }

    /// Attaches each problem to its field, in the user's language.
    pub(crate) fn with_errors(mut self, ctx: &Ctx, errors: &FieldErrors) -> Self {
        for field in &mut self.fields {
            if let Some(problem) = errors.get(field.name) {
                field.set_error(Some(i18n::problem(ctx.lang, problem)));
            }
        }
        self
    }

    /// The form after a refused write: each problem at its field, or, for a lost race, the
    /// "changed meanwhile by …" banner with the version now stored (so that saving again
    /// overwrites deliberately). Any other error passes through.
    pub(crate) fn refused(
        self,
        ctx: &Ctx,
        error: counterpart_app::Error,
        current_version: i64,
    ) -> Result<Self, crate::error::AppError> {
        match error {
            counterpart_app::Error::Invalid(errors) => Ok(self.with_errors(ctx, &errors)),
            counterpart_app::Error::Conflict {
                changed_by,
                changed_at,
            } => {
                let mut form = self.with_conflict(i18n::changed_meanwhile(
                    ctx.lang,
                    ctx.time_zone,
                    changed_by.as_deref(),
                    changed_at,
                ));
                set_version(&mut form, current_version);
                Ok(form)
            }
            other => Err(other.into()),
        }
    }

    /// Shows a "changed meanwhile" banner.
    pub(crate) fn with_conflict(mut self, message: String) -> Self {
        self.conflict = Some(message);
        self
    }

    /// The fields that have errors, for the summary at the top of the form.
    pub(crate) fn errors(&self) -> Vec<&Field> {
        self.fields.iter().filter(|f| f.error.is_some()).collect()
    }

    /// Whether any field is required (to show the "* = required" note).
    pub(crate) fn has_required(&self) -> bool {
        self.fields.iter().any(|f| f.required)
    }
}

/// A page with one form: create and edit pages of every resource.
#[derive(askama::Template)]
#[template(path = "form_page.html")]
pub(crate) struct FormPage<'a> {
    pub(crate) ctx: &'a Ctx,
    pub(crate) t: &'static crate::i18n::Texts,
    pub(crate) crumbs: Vec<(String, String)>,
    pub(crate) heading: String,
    pub(crate) intro: Option<&'static str>,
    pub(crate) action: String,
    pub(crate) submit: &'static str,
    pub(crate) cancel: String,
    pub(crate) form: FormState,
}

/// Renders a form page after a failed submit: 422 for field errors, 409 for a lost race.
pub(crate) fn rejected(page: &FormPage<'_>) -> axum::response::Response {
    let status = if page.form.conflict.is_some() {
        axum::http::StatusCode::CONFLICT
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    crate::render::render(page, status)
}

/// Sets the hidden `version` field, e.g. to the current version after a lost race so that
/// saving again overwrites deliberately.
pub(crate) fn set_version(form: &mut FormState, version: i64) {
    if let Some(field) = form.fields.iter_mut().find(|f| f.name == "version") {
        field.value = version.to_string();
    }
}

/// A form's problems as lines above a page that is no form page ("Field: sentence").
pub(crate) fn error_lines(ctx: &Ctx, errors: &FieldErrors) -> Vec<String> {
    let t = ctx.t();
    errors
        .0
        .iter()
        .map(|e| {
            // The assignment form names the other side "other_id"; a person, either way.
            let label = match e.field {
                "partner_id" | "our_id" => t.field_person,
                other => t.field_label(other),
            };
            format!("{label}: {}", i18n::problem(ctx.lang, &e.problem))
        })
        .collect()
}

/// A field to choose a unit of an organization: a select of them all when there are few, a
/// search as you type when there are many (see [`UnitChoice`]). `none` labels the empty choice
/// of an optional field; the listed units are those `offered` and the one chosen now.
pub(crate) fn unit_field(
    name: &'static str,
    label: &'static str,
    value: &str,
    choice: UnitChoice,
    none: Option<&'static str>,
    offered: impl Fn(&UnitNode) -> bool,
) -> Field {
    match choice {
        UnitChoice::Listed(nodes) => {
            let listed = nodes
                .into_iter()
                .filter(|n| offered(n) || n.unit.id.to_string() == value);
            let choices = none
                .map(|none| (String::new(), none.to_owned()))
                .into_iter()
                .chain(unit_choices(listed));
            Field::select(name, label, value, choices)
        }
        UnitChoice::Searched {
            organization,
            chosen,
        } => {
            let mut picker = Picker::new(name, label, PickScope::Units(organization));
            if let Some(none) = none {
                picker = picker.optional(none);
            }
            let value = value.trim();
            if let Some(unit) = value.parse::<UnitId>().ok().and_then(|id| chosen.get(&id)) {
                picker = picker.current(value.to_owned(), unit.clone());
            }
            Field::picker(picker)
        }
    }
}

/// A field to choose an organization (`scope`: any, or an account's partner): a select of
/// them all when there are few, a search as you type when there are many; choosing one
/// reloads the form from `reload` (its units). `none` labels the empty choice of a select (a
/// search starts with none chosen).
pub(crate) fn organization_field(
    t: &Texts,
    (name, label, scope): (&'static str, &'static str, PickScope),
    value: &str,
    choice: OrganizationChoice,
    none: Option<&'static str>,
    reload: &str,
) -> Field {
    match choice {
        OrganizationChoice::Listed(organizations) => {
            let choices = none
                .map(|none| (String::new(), none.to_owned()))
                .into_iter()
                .chain(organizations.into_iter().map(|o| {
                    (
                        o.id.to_string(),
                        organization_label(t, scope, &o.name, o.kind),
                    )
                }));
            let mut field = Field::select(name, label, value, choices);
            field.reload = Some(reload.to_owned());
            field
        }
        OrganizationChoice::Searched { chosen } => {
            let mut picker = Picker::new(name, label, scope).reload(reload);
            if let Some(o) = chosen {
                let label = organization_label(t, scope, &o.name, o.kind);
                picker = picker.current(o.id.to_string(), label);
            }
            Field::picker(picker)
        }
    }
}

/// A unit tree as select choices: (id, name indented by depth).
pub(crate) fn unit_choices(
    nodes: impl IntoIterator<Item = UnitNode>,
) -> impl Iterator<Item = (String, String)> {
    nodes.into_iter().map(|n| {
        (
            n.unit.id.to_string(),
            format!("{}{}", "– ".repeat(n.depth), n.unit.name),
        )
    })
}

/// The deactivate/reactivate form of a record.
#[derive(Deserialize)]
pub(crate) struct ActiveForm {
    pub(crate) active: u8,
    pub(crate) version: i64,
}

impl ActiveForm {
    /// Whether the form asks to activate.
    pub(crate) fn activate(&self) -> bool {
        self.active == 1
    }
}

/// Where a deactivate/reactivate goes next: back to the record's page, with "saved" when it
/// worked; a lost race simply shows the record as it is now.
pub(crate) fn after_set_active<T>(
    result: Result<T, counterpart_app::Error>,
    page: &str,
) -> crate::render::PageResult {
    match result {
        Ok(_) => Ok(crate::render::see_other(&format!("{page}?saved=1"))),
        Err(counterpart_app::Error::Conflict { .. }) => Ok(crate::render::see_other(page)),
        Err(e) => Err(e.into()),
    }
}
