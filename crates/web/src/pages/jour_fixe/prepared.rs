//! What the data said about each account when a meeting's agenda was prepared, rendered once
//! and kept: an item's prepared part never changes (preparing again makes new items, at a new
//! `prepared_at`), so every participant's page and every reload shares one rendering per
//! language and ladder instead of decoding and formatting it again — most of a meeting page's
//! cost before (see BENCHMARKS.md, "The customer jour fixe").

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};

use askama::Template;
use chrono::{DateTime, Utc};
use counterpart_core::ids::PersonId;
use counterpart_core::jour_fixe::agenda::PreparedAccount;
use counterpart_core::ladder::Level;
use counterpart_store::{AgendaItem, PersonLabel};

use crate::ctx::Ctx;
use crate::i18n::Texts;
use crate::render::findings::{FindingRow, finding_rows};
use crate::render::insights::category;

/// How many rendered items are kept at most (ten to two hundred per meeting, two languages);
/// when full, all are dropped and rendered again as they are asked for.
const CAPACITY: usize = 4096;

/// An item's prepared part as shown: the facts line (also in the minutes) and the whole
/// block for the meeting page.
pub(crate) struct PreparedBlock {
    /// "Importance 87 (tier A) · mirror score 78".
    pub(crate) facts: String,
    /// The block's HTML, rendered (and escaped) by `jour_fixe/prepared.html`.
    pub(crate) html: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    item: i64,
    prepared_at: Option<DateTime<Utc>>,
    lang: &'static str,
    /// The ladder's levels and their versions: a renamed level renders anew.
    ladder: u64,
}

/// The rendered blocks, shared by every request of this instance.
#[derive(Default)]
pub(crate) struct PreparedBlocks {
    entries: Mutex<HashMap<Key, Arc<PreparedBlock>>>,
}

impl std::fmt::Debug for PreparedBlocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedBlocks").finish_non_exhaustive()
    }
}

impl PreparedBlocks {
    /// The block of `item` (of a meeting prepared at `prepared_at`), rendered on first use.
    pub(crate) fn get(
        &self,
        ctx: &Ctx,
        levels: &[Level],
        prepared_at: Option<DateTime<Utc>>,
        item: &AgendaItem,
    ) -> Result<Option<Arc<PreparedBlock>>, askama::Error> {
        let Some(prepared) = item.prepared.as_ref() else {
            return Ok(None);
        };
        let key = Key {
            item: item.id.get(),
            prepared_at,
            lang: ctx.lang_code(),
            ladder: fingerprint(levels),
        };
        if let Some(block) = self.lock().get(&key) {
            return Ok(Some(Arc::clone(block)));
        }
        let block = Arc::new(render_block(ctx, levels, item, prepared)?);
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, Arc::clone(&block));
        Ok(Some(block))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Arc<PreparedBlock>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn fingerprint(levels: &[Level]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for level in levels {
        (level.id.get(), level.rank, level.version).hash(&mut hasher);
    }
    hasher.finish()
}

#[derive(Template)]
#[template(path = "jour_fixe/prepared.html")]
struct BlockTemplate<'a> {
    t: &'static Texts,
    title: &'a str,
    account: Option<i64>,
    p: &'a PreparedView,
}

fn render_block(
    ctx: &Ctx,
    levels: &[Level],
    item: &AgendaItem,
    prepared: &PreparedAccount,
) -> Result<PreparedBlock, askama::Error> {
    let view = prepared_view(ctx, levels, prepared);
    let html = BlockTemplate {
        t: ctx.t(),
        title: &item.title,
        account: item.account_id.map(|a| a.get()),
        p: &view,
    }
    .render()?;
    Ok(PreparedBlock {
        facts: view.facts.join(" · "),
        html,
    })
}

/// What the data said about an account when the agenda was prepared, as lines.
struct PreparedView {
    since: String,
    facts: Vec<String>,
    findings: Vec<FindingRow>,
    changes: Vec<String>,
    development: String,
    satisfaction: Vec<String>,
    satisfaction_note: String,
    informed: Vec<String>,
    actions: Vec<String>,
}

fn level_of(ctx: &Ctx, levels: &[Level], rank: Option<i64>) -> Option<String> {
    let rank = rank?;
    levels
        .iter()
        .find(|l| l.rank == rank)
        .map(|l| ctx.pick(&l.name_de, &l.name_en).to_owned())
}

fn prepared_view(ctx: &Ctx, levels: &[Level], p: &PreparedAccount) -> PreparedView {
    let t = ctx.t();
    let mut facts = Vec::new();
    if let Some(importance) = p.importance {
        let tier = p
            .tier
            .map(|t| format!(" ({} {})", ctx.t().jf_tier, t.as_str()));
        facts.push(format!(
            "{} {importance:.0}{}",
            t.jf_importance,
            tier.unwrap_or_default()
        ));
    }
    if let Some(score) = p.mirror_score {
        facts.push(format!("{} {score:.0}", t.jf_mirror_score));
    }
    let labels: HashMap<PersonId, PersonLabel> = p
        .people
        .iter()
        .map(|(id, tag)| {
            (
                *id,
                PersonLabel {
                    name: tag.name.clone(),
                    level_rank: tag.level_rank,
                    job_title: None,
                    organization: String::new(),
                },
            )
        })
        .collect();
    let findings = finding_rows(ctx, &p.findings, &labels, levels);
    let mut changes = Vec::new();
    for (c, n) in &p.insights {
        changes.push(t.jf_new_insights(*n, category(t, *c)));
    }
    for (partner, ours) in &p.began {
        changes.push(format!(
            "{}: {} ↔ {}",
            t.jf_pair_began,
            p.name(*partner),
            p.name(*ours)
        ));
    }
    for (partner, ours) in &p.ended {
        changes.push(format!(
            "{}: {} ↔ {}",
            t.jf_pair_ended,
            p.name(*partner),
            p.name(*ours)
        ));
    }
    for o in &p.overdue {
        changes.push(format!(
            "{}: {} ↔ {} ({})",
            t.contact_overdue,
            p.name(o.partner),
            p.name(o.ours),
            t.jf_days_without_contact(o.days)
        ));
    }
    for (de, en) in &p.disagreements {
        changes.push(format!("{}: {}", t.jf_disagreement, ctx.pick(de, en)));
    }
    let satisfaction = p
        .ratings
        .iter()
        .map(|r| {
            let before = r.before.map(|(_, s)| format!("{s} → ")).unwrap_or_default();
            format!(
                "{} ↔ {}: {before}{} ({})",
                p.name(r.partner),
                p.name(r.ours),
                r.now.1,
                ctx.date(&r.on)
            )
        })
        .collect();
    let fell = p.ratings.iter().filter(|r| r.satisfaction_fell()).count();
    let satisfaction_note = t.jf_satisfaction_note(p.satisfaction_insights(), fell);
    let informed = p
        .informed
        .iter()
        .map(|i| {
            let level = level_of(
                ctx,
                levels,
                p.people.get(&i.ours).and_then(|t| t.level_rank),
            )
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
            let partners: Vec<&str> = i.partners.iter().map(|x| p.name(*x)).collect();
            let last = i.last_contact.map_or_else(
                || t.jf_never_in_contact.to_owned(),
                |d| format!("{} {}", t.jf_last_contact, ctx.date(&d)),
            );
            format!(
                "{}{level} – {} · {last}",
                p.name(i.ours),
                partners.join(", ")
            )
        })
        .collect();
    let actions = p
        .actions
        .iter()
        .map(|a| {
            format!(
                "{} – {} · {} {}",
                a.title,
                p.name(a.owner),
                t.jf_due,
                ctx.date(&a.due_on)
            )
        })
        .collect();
    PreparedView {
        since: ctx.date(&p.since),
        facts,
        findings,
        changes,
        development: t.jf_development_note(p.development_insights()),
        satisfaction,
        satisfaction_note,
        informed,
        actions,
    }
}
