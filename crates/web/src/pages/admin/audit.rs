//! The audit log for administrators: who changed what and when, filtered by kind of record,
//! with the fields before and after, fifty entries a page.

use askama::Template;
use axum::extract::{Query, State};
use counterpart_app::audit::AuditLog;
use counterpart_core::account::{AssignmentKind, DecisionRole, ManagementMode, Relation, Stance};
use counterpart_core::audit::{EntityKind, Reference};
use counterpart_core::importance::Scope;
use counterpart_core::org::{OrganizationKind, UnitKind};
use counterpart_core::user::Role;
use counterpart_store::{AuditEntry, AuditFilter};
use serde::Deserialize;

use crate::AppState;
use crate::ctx::{Admin, Ctx};
use crate::i18n::Texts;
use crate::render::{PageResult, page};

/// Audit entries per page.
const AUDIT_PAGE: i64 = 50;

#[derive(Deserialize)]
pub(super) struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    before: Option<i64>,
}

/// An audit entry as shown.
struct AuditRow {
    at: String,
    who: String,
    action: &'static str,
    entity: &'static str,
    label: String,
    href: Option<String>,
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage<'a> {
    ctx: &'a Ctx,
    t: &'static Texts,
    rows: Vec<AuditRow>,
    entity: String,
    entities: Vec<(&'static str, &'static str)>,
    older: Option<String>,
}

impl AuditPage<'_> {
    fn is_current(&self, key: &str) -> bool {
        self.entity == key
    }
}

fn href(entry: &AuditEntry) -> Option<String> {
    let base = match entry.entity {
        EntityKind::Organization => "/organizations",
        EntityKind::Unit => "/units",
        EntityKind::Person => "/people",
        _ => return None,
    };
    Some(format!("{base}/{}", entry.entity_id))
}

/// A recorded value in words: the name of the record an id points at, an enumeration's
/// word in the reader's language, yes or no; other values as they are.
fn in_words(ctx: &Ctx, log: &AuditLog, entity: EntityKind, field: &str, raw: &str) -> String {
    let t = ctx.t();
    if raw.is_empty() {
        return String::new();
    }
    if let Some(reference) = Reference::of_field(field) {
        let Ok(id) = raw.parse::<i64>() else {
            return raw.to_owned();
        };
        let named = match reference {
            Reference::Level => log
                .levels
                .iter()
                .find(|l| l.id.get() == id)
                .map(|l| format!("{} · {}", l.rank, ctx.pick(&l.name_de, &l.name_en))),
            Reference::Function => log
                .functions
                .iter()
                .find(|f| f.id.get() == id)
                .map(|f| ctx.pick(&f.name_de, &f.name_en).to_owned()),
            Reference::Criterion => log
                .criteria
                .iter()
                .find(|c| c.id.get() == id)
                .map(|c| ctx.pick(&c.name_de, &c.name_en).to_owned()),
            _ => log.names.get(&(reference, id)).cloned(),
        };
        return named.unwrap_or_else(|| format!("{} #{id}", t.audit_deleted));
    }
    let word = match (entity, field) {
        (_, "active") => Some(if raw == "true" { t.yes } else { t.no }),
        (EntityKind::Organization, "kind") => raw
            .parse()
            .ok()
            .map(|k: OrganizationKind| t.organization_kind(&k)),
        (EntityKind::Unit, "kind") => raw.parse().ok().map(|k: UnitKind| t.unit_kind(&k)),
        (EntityKind::Assignment, "kind") => raw
            .parse()
            .ok()
            .map(|k: AssignmentKind| t.assignment_kind(&k)),
        (EntityKind::User, "role") => raw.parse().ok().map(|r: Role| t.role(&r)),
        (EntityKind::KeyContact, "role") => {
            raw.parse().ok().map(|r: DecisionRole| t.decision_role(&r))
        }
        (_, "relation") => raw.parse().ok().map(|r: Relation| t.relation(&r)),
        (_, "mode") => raw.parse().ok().map(|m: ManagementMode| t.mode(&m)),
        (_, "stance") => raw.parse().ok().map(|s: Stance| t.stance(&s)),
        (_, "scope") => raw.parse().ok().map(|s: Scope| t.scope(&s)),
        _ => None,
    };
    word.map_or_else(|| raw.to_owned(), str::to_owned)
}

pub(super) async fn audit(
    State(state): State<AppState>,
    Admin(ctx): Admin,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    let t = ctx.t();
    let entity: Option<EntityKind> = q.entity.parse().ok();
    let filter = AuditFilter {
        entity,
        entity_id: q.id.filter(|_| entity.is_some()),
        before_id: q.before,
        limit: AUDIT_PAGE,
    };
    let log = state.app.audit_log(&ctx.principal(), &filter).await?;
    let entries = &log.entries;
    let older = (entries.len() as i64 == AUDIT_PAGE)
        .then(|| entries.last().map(|e| e.id.get()))
        .flatten()
        .map(|last| {
            let mut query = format!("/admin/audit?before={last}");
            if let Some(e) = entity {
                query.push_str(&format!("&entity={e}"));
            }
            query
        });
    let rows = entries
        .iter()
        .map(|e| AuditRow {
            at: ctx.datetime(&e.at),
            who: e.actor_name.clone(),
            action: t.action(&e.action),
            entity: t.entity(&e.entity),
            label: e.label.clone(),
            href: href(e),
            changes: e
                .changes()
                .into_iter()
                .map(|(field, before, after)| {
                    let label = t.field_label(&field);
                    (
                        if label.is_empty() {
                            field.clone()
                        } else {
                            label.to_owned()
                        },
                        in_words(&ctx, &log, e.entity, &field, &before),
                        in_words(&ctx, &log, e.entity, &field, &after),
                    )
                })
                .collect(),
        })
        .collect();
    let mut entities = vec![("", t.all_entities)];
    entities.extend(EntityKind::ALL.iter().map(|k| (k.as_str(), t.entity(k))));
    Ok(page(&AuditPage {
        ctx: &ctx,
        t,
        rows,
        entity: entity.map(|e| e.as_str().to_owned()).unwrap_or_default(),
        entities,
        older,
    }))
}
