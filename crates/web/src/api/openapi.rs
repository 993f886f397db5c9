//! The API's OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the
//! JSON types, and a reference page rendered from it on the server (no script, no outside
//! asset: the content security policy of the pages holds for it too).

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{Modify, OpenApi};

use super::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Counterpart API",
        description = "Read and change what Counterpart holds, as its pages do. Every call \
            but this document and its reference page needs a personal API token (made on \
            /account/tokens) as `Authorization: Bearer <token>`; changes need a read-write \
            token. Lists are read by seek pagination: follow `next` until it is null. A \
            resource carries its version as `ETag` (such as \"v3\"): send it as `If-None-Match` \
            to be told 304 while it is unchanged, and as `If-Match` with every change (required: \
            428 without; 412 when someone changed it since, naming who). An update (`PUT`) \
            sends every field the form edits: one left out is emptied, except `active`. Errors \
            are Problem Details (RFC 9457, `application/problem+json`) naming the parameter or \
            field that is wrong (`invalid_params`); a token may make 600 requests a minute \
            (then 429 with `Retry-After`).",
    ),
    servers((url = "/api/v1")),
    paths(
        super::me,
        super::resources::organizations,
        super::resources::organization,
        super::resources::organization_units,
        super::resources::person,
        super::resources::accounts,
        super::resources::account,
        super::master::create_organization,
        super::master::update_organization,
        super::master::unit,
        super::master::create_unit,
        super::master::update_unit,
        super::master::organization_people,
        super::master::create_person,
        super::master::update_person,
        super::master::change_position,
        super::master::merge_people,
        super::master::positions,
        super::master::create_account,
        super::master::update_account,
        super::knowledge::person_insights,
        super::knowledge::create_person_insight,
        super::knowledge::account_insights,
        super::knowledge::create_account_insight,
        super::knowledge::insight,
        super::knowledge::update_insight,
        super::knowledge::withdraw_insight,
        super::knowledge::contacts::person_contacts,
        super::knowledge::contacts::create_person_contact,
        super::knowledge::contacts::account_contacts,
        super::knowledge::contacts::create_account_contact,
        super::knowledge::contacts::contact,
        super::knowledge::contacts::people,
        super::jour_fixe::series_list,
        super::jour_fixe::create_series,
        super::jour_fixe::series,
        super::jour_fixe::update_series,
        super::jour_fixe::series_meetings,
        super::jour_fixe::schedule_meeting,
        super::jour_fixe::meeting,
        super::jour_fixe::move_meeting,
        super::jour_fixe::prepare_again,
        super::jour_fixe::agenda,
        super::jour_fixe::contribute,
        super::jour_fixe::members::cancel_series,
        super::jour_fixe::members::participants,
        super::jour_fixe::members::add_participant,
        super::jour_fixe::members::remove_participant,
        super::jour_fixe::members::accounts,
        super::jour_fixe::members::add_account,
        super::jour_fixe::members::remove_account,
        super::jour_fixe::members::cancel_meeting,
        super::jour_fixe::minutes::add_item,
        super::jour_fixe::minutes::move_item,
        super::jour_fixe::minutes::decide,
        super::jour_fixe::minutes::create_action,
        super::jour_fixe::minutes::finish_action,
        super::relations::key_contacts::list,
        super::relations::key_contacts::add,
        super::relations::key_contacts::one,
        super::relations::key_contacts::update,
        super::relations::key_contacts::remove,
        super::relations::assignments::of_account,
        super::relations::assignments::of_person,
        super::relations::assignments::assign,
        super::relations::assignments::one,
        super::relations::assignments::update,
        super::relations::assignments::end,
        super::relations::assignments::ratings,
        super::relations::assignments::rate,
        super::relations::assignments::rating,
        super::relations::importance::criteria,
        super::relations::importance::create_criterion,
        super::relations::importance::criterion,
        super::relations::importance::update_criterion,
        super::relations::importance::account_importance,
        super::relations::importance::my_importance,
        super::relations::importance::rate_importance,
        super::relations::locks::list,
        super::relations::locks::create,
        super::relations::locks::one,
        super::relations::locks::remove,
        super::relations::suggestions::of_account,
        super::relations::suggestions::portfolio,
        super::relations::suggestions::accept,
        super::relations::matrix::matrix,
        super::guiding::guiding,
        super::guiding::answer,
        document,
        reference,
    ),
    // Schemas only parameters use are not collected from the paths: named here.
    components(schemas(
        super::ProblemBody,
        super::InvalidParam,
        super::resources::RelationFilter,
        super::resources::SideFilter,
        super::guiding::ApiQuestionnaire,
    )),
    modifiers(&Security),
    security(("bearer" = [])),
    tags(
        (name = "account", description = "Who a token speaks for."),
        (name = "organizations", description = "Organizations (ours, customers, suppliers, neighbouring departments) and their units."),
        (name = "people", description = "People of every organization."),
        (name = "accounts", description = "The relationships we manage."),
        (name = "knowledge", description = "What we know about partners: insights (confidential ones only for those who may read them) and the contact log."),
        (name = "jour-fixe", description = "The customer jour fixe: series, their participants and accounts, their meetings, a meeting's agenda and what is said, decided and agreed on it."),
        (name = "key contacts", description = "The people who matter in an account."),
        (name = "counterparts", description = "Who of ours holds the relationship to whom, and how it is rated."),
        (name = "importance", description = "The criteria accounts are rated by, and each account's importance."),
        (name = "suggestions", description = "The mirror's counterpart suggestions, accepted as the page does, and the keep/never locks that steer them."),
        (name = "guiding", description = "The guiding questions (Leitfragen): what the data suggest for each, and the answer sets a unit gives about a partner over time."),
        (name = "matrix", description = "The KAM matrix: accounts by importance, their key people level by level, our counterparts."),
        (name = "reference", description = "This document and its reference page (no token needed)."),
    ),
)]
pub(crate) struct ApiDoc;

/// The bearer scheme, and the answers every authenticated operation may give.
struct Security;

/// The removals that change no versioned record (a series' link to a participant or to an
/// account chosen for it): they take no `If-Match`, so the document asks for none.
const UNVERSIONED: &[&str] = &["removeSeriesParticipant", "removeSeriesAccount"];

/// The actions sent as `POST` that change a versioned record as a whole (a merge keeps one
/// person and changes them): they take its `If-Match` as an update does.
const VERSIONED_POSTS: &[&str] = &["mergePeople"];

impl Modify for Security {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token, made on /account/tokens (shown once).",
                    ))
                    .build(),
            ),
        );
        let problem = |description: &str| {
            utoipa::openapi::ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                            "Problem",
                        ))))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let public = operation
                    .security
                    .as_ref()
                    .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
                let responses = &mut operation.responses.responses;
                if !public {
                    responses.entry("401".into()).or_insert_with(|| {
                        problem("No valid token was sent (`WWW-Authenticate: Bearer`).").into()
                    });
                    responses.entry("429".into()).or_insert_with(|| {
                        problem(
                            "More than 600 requests a minute with this token; see `Retry-After`.",
                        )
                        .into()
                    });
                }
                responses.entry("405".into()).or_insert_with(|| {
                    problem("Another method than this one; see `Allow`.").into()
                });
            }
            // What every write may answer besides its own.
            for operation in [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let has_body = operation.request_body.is_some();
                let responses = &mut operation.responses.responses;
                responses.entry("403".into()).or_insert_with(|| {
                    problem(
                        "The token may only read, or its user's role does not allow this change.",
                    )
                    .into()
                });
                if has_body {
                    responses.entry("400".into()).or_insert_with(|| {
                        problem("The body is not JSON (the detail names line and column).").into()
                    });
                    responses
                        .entry("413".into())
                        .or_insert_with(|| problem("The body is larger than 64 KiB.").into());
                    responses.entry("415".into()).or_insert_with(|| {
                        problem("The body is not sent as `application/json`.").into()
                    });
                    responses.entry("422".into()).or_insert_with(|| {
                        problem("A field is wrong; `invalid_params` names each with why.").into()
                    });
                }
            }
            let versioned_post = item.post.as_mut().filter(|o| {
                o.operation_id
                    .as_deref()
                    .is_some_and(|id| VERSIONED_POSTS.contains(&id))
            });
            for operation in [&mut item.put, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
                .filter(|o| {
                    !o.operation_id
                        .as_deref()
                        .is_some_and(|id| UNVERSIONED.contains(&id))
                })
                .chain(versioned_post)
            {
                operation
                    .parameters
                    .get_or_insert_with(Vec::new)
                    .push(RefOr::T(
                        utoipa::openapi::path::ParameterBuilder::new()
                            .name("If-Match")
                            .parameter_in(utoipa::openapi::path::ParameterIn::Header)
                            .required(utoipa::openapi::Required::True)
                            .description(Some(
                                "The `ETag` read: a version such as \"v3\", or the tag the \
                             operation names (a lock's rule, a fingerprint of ratings). The \
                             change is made only to what was read.",
                            ))
                            .schema(Some(
                                utoipa::openapi::ObjectBuilder::new()
                                    .schema_type(utoipa::openapi::schema::Type::String)
                                    // What the server takes: one version's tag, never `*`.
                                    .pattern(Some(r#"^"v[0-9]+"$"#)),
                            ))
                            .build(),
                    ));
                let responses = &mut operation.responses.responses;
                responses.entry("412".into()).or_insert_with(|| {
                    problem(
                        "The resource changed after the version in `If-Match`; \
                         `changed_by` and `changed_at` say who changed it and when.",
                    )
                    .into()
                });
                responses
                    .entry("428".into())
                    .or_insert_with(|| problem("`If-Match` is missing (or `*`).").into());
            }
        }
    }
}

/// The OpenAPI document as served.
pub(crate) fn document_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"))
}

/// This OpenAPI 3.1 document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "reference",
    operation_id = "openapi",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", content_type = "application/json")),
)]
pub(crate) async fn document() -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        document_json(),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

/// One operation on the reference page.
struct OperationView {
    method: &'static str,
    path: String,
    anchor: String,
    summary: String,
    description: String,
    public: bool,
    parameters: Vec<ParameterView>,
    /// The request body's schema, if the operation takes one.
    body: String,
    responses: Vec<(String, String, String)>,
}

struct ParameterView {
    name: String,
    location: &'static str,
    required: bool,
    schema: String,
    description: String,
}

#[derive(Template)]
#[template(path = "api/reference.html")]
struct ReferencePage {
    title: String,
    version: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<(String, String)>,
}

/// A schema or reference as one short line: a type, or the name of a schema below.
fn schema_line(schema: Option<&RefOr<utoipa::openapi::schema::Schema>>) -> String {
    match schema {
        None => String::new(),
        Some(RefOr::Ref(r)) => r.ref_location.rsplit('/').next().unwrap_or("").to_owned(),
        Some(RefOr::T(s)) => serde_json::to_string(s).unwrap_or_default(),
    }
}

/// The reference page: every operation with its parameters and answers, and every schema.
#[utoipa::path(
    get,
    path = "/docs",
    tag = "reference",
    operation_id = "reference",
    security(()),
    responses((status = 200, description = "This reference as an HTML page.", content_type = "text/html")),
)]
pub(crate) async fn reference() -> Result<Response, Problem> {
    use utoipa::openapi::path::{HttpMethod, ParameterIn};
    let doc = ApiDoc::openapi();
    let mut operations = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, operation) in [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Patch, &item.patch),
            (HttpMethod::Delete, &item.delete),
        ] {
            let Some(operation) = operation else { continue };
            let method = match method {
                HttpMethod::Post => "POST",
                HttpMethod::Put => "PUT",
                HttpMethod::Patch => "PATCH",
                HttpMethod::Delete => "DELETE",
                _ => "GET",
            };
            let id = operation.operation_id.clone().unwrap_or_default();
            operations.push(OperationView {
                method,
                path: format!("/api/v1{path}"),
                anchor: format!("op-{id}"),
                summary: operation.summary.clone().unwrap_or_default(),
                description: operation.description.clone().unwrap_or_default(),
                public: operation
                    .security
                    .as_ref()
                    .is_some_and(|s| s.iter().all(|r| r == &Default::default())),
                parameters: operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        RefOr::T(p) => Some(p),
                        RefOr::Ref(_) => None,
                    })
                    .map(|p| ParameterView {
                        name: p.name.clone(),
                        location: match p.parameter_in {
                            ParameterIn::Path => "path",
                            ParameterIn::Query => "query",
                            ParameterIn::Header => "header",
                            _ => "cookie",
                        },
                        required: matches!(p.required, utoipa::openapi::Required::True),
                        schema: schema_line(p.schema.as_ref()),
                        description: p.description.clone().unwrap_or_default(),
                    })
                    .collect(),
                body: operation
                    .request_body
                    .as_ref()
                    .and_then(|b| match b {
                        RefOr::T(b) => b.content.values().next(),
                        RefOr::Ref(_) => None,
                    })
                    .and_then(|c| match c {
                        RefOr::T(c) => Some(schema_line(c.schema.as_ref())),
                        RefOr::Ref(_) => None,
                    })
                    .unwrap_or_default(),
                responses: operation
                    .responses
                    .responses
                    .iter()
                    .map(|(status, response)| match response {
                        RefOr::T(r) => (
                            status.clone(),
                            r.description.clone(),
                            r.content
                                .values()
                                .next()
                                .and_then(|c| match c {
                                    RefOr::T(c) => Some(schema_line(c.schema.as_ref())),
                                    RefOr::Ref(_) => None,
                                })
                                .unwrap_or_default(),
                        ),
                        RefOr::Ref(r) => (status.clone(), r.ref_location.clone(), String::new()),
                    })
                    .collect(),
            });
        }
    }
    let schemas = doc
        .components
        .as_ref()
        .map(|c| {
            c.schemas
                .iter()
                .map(|(name, schema)| {
                    (
                        name.clone(),
                        serde_json::to_string_pretty(schema).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ReferencePage {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        operations,
        schemas,
    };
    let html = page.render().map_err(|e| {
        tracing::error!(error.detail = %e, "api reference not rendered");
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.")
    })?;
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(crate::middleware::CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(response)
}
