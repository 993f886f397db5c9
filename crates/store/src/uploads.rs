//! Uploaded import files waiting for the user's confirmation, with the preview computed once
//! when they arrive. In the database, not on a local disk, so that preview and commit may
//! reach different server instances.

use counterpart_core::exchange::preview::ImportPreview;
use counterpart_core::ids::{OrganizationId, UploadId, UserId};
use sqlx::Row;

use counterpart_core::audit::{AuditAction, EntityKind};
use serde::Serialize;

use crate::Actor;
use crate::audit::{Change, record};
use crate::db::Store;
use crate::error::Result;
use crate::orgs::organization_on;
use crate::time::to_db;

/// What the audit log keeps of an upload: never its content.
#[derive(Serialize)]
struct Audited<'a> {
    organization_id: OrganizationId,
    filename: &'a str,
    mapping: &'a [String],
}

/// How long an unconfirmed upload is kept.
const UPLOAD_HOURS: i64 = 24;

/// An uploaded file waiting for the user to confirm its import.
#[derive(Clone, Debug)]
pub struct Upload {
    /// Its id.
    pub id: UploadId,
    /// The organization it is for.
    pub organization_id: OrganizationId,
    /// The file's name as uploaded.
    pub filename: String,
    /// The chosen sheet of an XLSX file.
    pub sheet: Option<String>,
    /// The file's bytes.
    pub content: Vec<u8>,
}

/// An upload's preview, without the file.
#[derive(Clone, Debug)]
pub struct UploadPreview {
    /// The upload's id.
    pub id: UploadId,
    /// The organization it is for.
    pub organization_id: OrganizationId,
    /// The file's name as uploaded.
    pub filename: String,
    /// The preview, unless it was never computed.
    pub preview: Option<ImportPreview>,
}

impl Store {
    /// Keeps an uploaded file for the preview and the confirmation, and forgets uploads older
    /// than a day.
    pub async fn save_upload(
        &self,
        actor: &Actor,
        user: UserId,
        org: OrganizationId,
        filename: &str,
        sheet: Option<&str>,
        content: &[u8],
    ) -> Result<UploadId> {
        let mut tx = self.write().await?;
        organization_on(&mut tx, org).await?;
        let cutoff = to_db(crate::now() - chrono::Duration::hours(UPLOAD_HOURS));
        sqlx::query("DELETE FROM import_uploads WHERE created_at < $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO import_uploads (user_id, organization_id, filename, sheet, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.get())
        .bind(org.get())
        .bind(filename)
        .bind(sheet)
        .bind(content.to_vec())
        .bind(to_db(crate::now()))
        .fetch_one(&mut *tx)
        .await?;
        let after = Audited {
            organization_id: org,
            filename,
            mapping: &[],
        };
        let change = Change {
            entity: EntityKind::ImportUpload,
            id,
            action: AuditAction::Create,
            label: filename,
        };
        record(&mut tx, actor, change, None, Some(&after)).await?;
        tx.commit().await?;
        Ok(UploadId::new(id))
    }

    /// An upload of this user with its file, if it still exists.
    pub async fn upload(&self, id: UploadId, user: UserId) -> Result<Option<Upload>> {
        let row = sqlx::query(
            "SELECT id, organization_id, filename, sheet, content FROM import_uploads WHERE id = $1 AND user_id = $2",
        )
        .bind(id.get())
        .bind(user.get())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(Upload {
                id: UploadId::new(r.try_get("id")?),
                organization_id: OrganizationId::new(r.try_get("organization_id")?),
                filename: r.try_get("filename")?,
                sheet: r.try_get("sheet")?,
                content: r.try_get("content")?,
            })
        })
        .transpose()
    }

    /// The stored preview of an upload of this user, without reading the file.
    pub async fn upload_preview(
        &self,
        id: UploadId,
        user: UserId,
    ) -> Result<Option<UploadPreview>> {
        let row = sqlx::query(
            "SELECT id, organization_id, filename, preview FROM import_uploads WHERE id = $1 AND user_id = $2",
        )
        .bind(id.get())
        .bind(user.get())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            let preview: Option<String> = r.try_get("preview")?;
            Ok(UploadPreview {
                id: UploadId::new(r.try_get("id")?),
                organization_id: OrganizationId::new(r.try_get("organization_id")?),
                filename: r.try_get("filename")?,
                // A preview from another version of the program is computed again.
                preview: preview.and_then(|json| serde_json::from_str(&json).ok()),
            })
        })
        .transpose()
    }

    /// Keeps the preview computed for an upload. When a user mapped the columns anew
    /// (`remapped_by`), the audit log says so.
    pub async fn set_upload_preview(
        &self,
        id: UploadId,
        preview: &ImportPreview,
        remapped_by: Option<&Actor>,
    ) -> Result<()> {
        let json = serde_json::to_string(preview).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "UPDATE import_uploads SET preview = $1, mapping = $2 WHERE id = $3 \
             RETURNING organization_id, filename",
        )
        .bind(json)
        .bind(preview.mapping.join(","))
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await?;
        if let (Some(row), Some(actor)) = (row, remapped_by) {
            let filename: String = row.try_get("filename")?;
            let after = Audited {
                organization_id: OrganizationId::new(row.try_get("organization_id")?),
                filename: &filename,
                mapping: &preview.mapping,
            };
            let change = Change {
                entity: EntityKind::ImportUpload,
                id: id.get(),
                action: AuditAction::Update,
                label: &filename,
            };
            record(&mut tx, actor, change, None, Some(&after)).await?;
        }
        tx.commit().await
    }

    /// Forgets an upload (after its import, or when the user cancels).
    pub async fn delete_upload(&self, actor: &Actor, id: UploadId) -> Result<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "DELETE FROM import_uploads WHERE id = $1 RETURNING organization_id, filename",
        )
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            let filename: String = row.try_get("filename")?;
            let before = Audited {
                organization_id: OrganizationId::new(row.try_get("organization_id")?),
                filename: &filename,
                mapping: &[],
            };
            let change = Change {
                entity: EntityKind::ImportUpload,
                id: id.get(),
                action: AuditAction::Delete,
                label: &filename,
            };
            record(&mut tx, actor, change, Some(&before), None).await?;
        }
        tx.commit().await
    }
}
