//! Finding people by what they are called: search and the person pickers.

use std::collections::HashMap;

use counterpart_core::ids::OrganizationId;
use counterpart_core::text::fold;
use sqlx::Row;

use super::rows::{summary, summary_select};
use super::views::{PersonSummary, Pick};
use crate::db::Store;
use crate::dialect;
use crate::error::Result;

impl Store {
    /// Finds active people whose name, title or e-mail contains every word of `query`,
    /// umlaut-folded: "mueller" and "muller" both find "Müller".
    pub async fn search_people(
        &self,
        query: &str,
        organization_id: Option<OrganizationId>,
        limit: i64,
    ) -> Result<Vec<PersonSummary>> {
        self.search_people_where(query, organization_id, "p.active = 1", limit)
            .await
    }

    /// [`Store::search_people`] with one more condition on `p` (written by us, never by a
    /// user).
    async fn search_people_where(
        &self,
        query: &str,
        organization_id: Option<OrganizationId>,
        condition: &str,
        limit: i64,
    ) -> Result<Vec<PersonSummary>> {
        // The pages refuse longer searches; a picker's or a list filter's is cut here, so that
        // no query costs more than a long name does.
        let folded: String = fold(query)
            .chars()
            .take(counterpart_core::text::MAX_QUERY_CHARS)
            .collect();
        let words: Vec<&str> = folded.split_whitespace().take(5).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // The page is chosen among the candidates from `persons` alone, and only its rows are
        // joined and read whole: a name thousands share would otherwise join and carry every
        // candidate's columns through the sort.
        let (matches, trigrams) = dialect::search_condition(self.backend(), &words, 3);
        let order = "ORDER BY lower(p.family_name), lower(p.given_name), p.id";
        let sql = summary_select(&format!(
            "WHERE p.id IN (SELECT p.id FROM persons p \
             WHERE ($1 IS NULL OR p.organization_id = $1) AND {condition} \
             AND {matches} {order} LIMIT $2) {order}"
        ));
        let mut q = sqlx::query(&sql)
            .bind(organization_id.map(OrganizationId::get))
            .bind(limit);
        for word in &words {
            // Folded text holds only letters, digits and spaces: no LIKE wildcards to escape.
            q = q.bind(format!("%{word}%"));
        }
        if let Some(trigrams) = trigrams {
            q = q.bind(trigrams);
        }
        let rows = q.fetch_all(self.pool()).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// People a picker offers for a search: the first `limit` by name whose folded name and
    /// details contain every word, with a note for each (for key contacts: their accounts).
    pub async fn search_pickable(
        &self,
        query: &str,
        scope: Pick,
        limit: i64,
        seen: &crate::Visibility,
    ) -> Result<Vec<(PersonSummary, String)>> {
        let found = match scope {
            Pick::Organization(org) => self.search_people(query, Some(org), limit).await?,
            Pick::KeyContacts => {
                // Key contacts of hidden accounts only are no key contacts to the reader.
                let mut found = self
                    .search_people_where(
                        query,
                        None,
                        // Driven by the search index, each candidate checked by its index
                        // entry.
                        "p.active = 1 AND EXISTS (SELECT 1 FROM key_contacts k WHERE k.person_id = p.id)",
                        limit,
                    )
                    .await?;
                found.retain(|s| seen.sees_pairs_of(s.person.id));
                found
            }
            Pick::Everyone => {
                self.search_people_where(query, None, "1 = 1", limit)
                    .await?
            }
        };
        let notes = match scope {
            Pick::Organization(_) | Pick::Everyone => HashMap::new(),
            Pick::KeyContacts => {
                let ids: Vec<i64> = found.iter().map(|s| s.person.id.get()).collect();
                let (_, hidden) = seen.accounts("a.id", 1);
                let rows = self
                    .rows_by_ids_and(&ids, &hidden, |list, first| {
                        format!(
                            "SELECT k.person_id, a.name FROM key_contacts k \
                             JOIN accounts a ON a.id = k.account_id \
                             WHERE k.person_id IN ({list}) AND {} ORDER BY lower(a.name)",
                            seen.accounts("a.id", first).0
                        )
                    })
                    .await?;
                let mut notes: HashMap<i64, Vec<String>> = HashMap::new();
                for row in &rows {
                    notes
                        .entry(row.try_get("person_id")?)
                        .or_default()
                        .push(row.try_get("name")?);
                }
                notes
            }
        };
        Ok(found
            .into_iter()
            .map(|s| {
                let note = notes
                    .get(&s.person.id.get())
                    .map(|n| n.join(", "))
                    .unwrap_or_default();
                (s, note)
            })
            .collect())
    }
}
