//! Exporting people in the form an import reads back unchanged.

use counterpart_core::ids::OrganizationId;
use sqlx::Row;

use crate::db::Store;
use crate::error::Result;

impl Store {
    /// The active people of an organization as an export that imports back unchanged:
    /// levels, functions and units by name (in `lang`), managers by e-mail (or name).
    pub async fn export_people(
        &self,
        org: OrganizationId,
        lang: counterpart_core::user::Language,
    ) -> Result<Vec<counterpart_core::exchange::export::ExportPerson>> {
        let de = lang == counterpart_core::user::Language::De;
        let rows = sqlx::query(
            "SELECT p.id, p.external_id, p.academic_title, p.given_name, p.family_name, p.job_title, \
             l.name_de AS level_de, l.name_en AS level_en, f.name_de AS function_de, f.name_en AS function_en, \
             u.name AS unit, m.email AS m_email, m.given_name AS m_given, m.family_name AS m_family, \
             b.email AS b_email, b.given_name AS b_given, b.family_name AS b_family, \
             p.email, p.phone, p.mobile, p.notes \
             FROM persons p LEFT JOIN levels l ON l.id = p.level_id LEFT JOIN functions f ON f.id = p.function_id \
             LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN persons m ON m.id = p.reports_to_id \
             LEFT JOIN persons b ON b.id = p.assistant_of_id \
             WHERE p.organization_id = $1 AND p.active = 1 ORDER BY p.id",
        )
        .bind(org.get())
        .fetch_all(self.pool())
        .await?;
        let text = |row: &sqlx::any::AnyRow, column: &str| -> Result<String, sqlx::Error> {
            Ok(row
                .try_get::<Option<String>, _>(column)?
                .unwrap_or_default())
        };
        // A person is referred to by e-mail when they have one, else by "Given Family".
        let reference = |row: &sqlx::any::AnyRow, prefix: &str| -> Result<String, sqlx::Error> {
            let email = text(row, &format!("{prefix}_email"))?;
            if !email.is_empty() {
                return Ok(email);
            }
            let name = format!(
                "{} {}",
                text(row, &format!("{prefix}_given"))?,
                text(row, &format!("{prefix}_family"))?
            );
            Ok(name.trim().to_owned())
        };
        rows.iter()
            .map(|row| {
                Ok(counterpart_core::exchange::export::ExportPerson {
                    id: Some(counterpart_core::ids::PersonId::new(row.try_get("id")?)),
                    external_id: text(row, "external_id")?,
                    academic_title: text(row, "academic_title")?,
                    given_name: text(row, "given_name")?,
                    family_name: text(row, "family_name")?,
                    job_title: text(row, "job_title")?,
                    level: text(row, if de { "level_de" } else { "level_en" })?,
                    function: text(row, if de { "function_de" } else { "function_en" })?,
                    unit: text(row, "unit")?,
                    manager: reference(row, "m")?,
                    assistant_of: reference(row, "b")?,
                    email: text(row, "email")?,
                    phone: text(row, "phone")?,
                    mobile: text(row, "mobile")?,
                    notes: text(row, "notes")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }
}
