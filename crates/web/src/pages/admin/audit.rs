//! The audit log for administrators: who changed what and when, filtered by kind of record,
//! with the fields before and after, fifty entries a page.

use askama::Template;
use axum::extract::{Query, State};
use counterpart_core::audit::EntityKind;
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
    let entries = state.app.audit_entries(&ctx.principal(), &filter).await?;
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
                            field
                        } else {
                            label.to_owned()
                        },
                        before,
                        after,
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
