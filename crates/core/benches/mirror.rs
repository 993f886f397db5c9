//! Times the mirror on a deterministic synthetic portfolio: portfolio-wide counterpart
//! suggestions for 100,000 key contacts and 20,000 people of ours (candidate generation, the
//! flow alone, the whole run), the same with deputies, the cost of the candidate rule against the
//! complete problem on 10,000 contacts (`MIRROR_GAP_CONTACTS`), and the analysis of 2,000
//! accounts.
//!
//! Run: `cargo bench -p counterpart-core --bench mirror`. `MIRROR_RUNS` sets the runs per case
//! (default 3); `MIRROR_CONTACTS` / `MIRROR_PEOPLE` change the size of the suggestion cases;
//! `MIRROR_ONLY=suggest,deputies,gap,analysis` picks cases; `MIRROR_K` / `MIRROR_WINDOW` override the
//! candidates per contact and the level window.
//!
//! The generator builds realistic pyramids on both sides (about 1 % rank 1, 4 % rank 2, 15 %
//! rank 3, 25 % rank 4, 55 % rank 5; 8 % assistants attached to a senior boss), a unit tree of
//! ours (1 board, 10 divisions, 100 departments, 400 teams; seniors sit high, juniors in teams),
//! accounts of 25 key contacts each with a responsible department or team, 3 % extra key-contact
//! rows that make a partner key in a second account, and current primaries for 60 % of the
//! partners (70 % same level, 20 % one off, 10 % two off; 90 % function-matched; 70 % from the
//! responsible unit) with ratings (15 % never rated), plus deputies for a fifth of those. 70 % of
//! the accounts are hierarchical, 20 % single-manager (the manager holds 80 % of the covered
//! contacts: bow ties), 10 % jour fixe. Loads are the generated primaries per person (so some
//! managers start over capacity); capacities are the level defaults.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use counterpart_core::account::{AssignmentKind, DecisionRole, ManagementMode};
use counterpart_core::ids::{AccountId, PersonId, UnitId};
use counterpart_core::mirror::analysis::analyze_portfolio;
use counterpart_core::mirror::suggest::{Scope, SuggestOptions, prepare};
use counterpart_core::mirror::{
    CurrentAssignment, MirrorAccount, MirrorContact, MirrorInput, OurPerson, OurUnit, Settings,
};

/// SplitMix64: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

/// A rank from the pyramid: 1 % / 4 % / 15 % / 25 % / 55 %.
fn pyramid_rank(rng: &mut Rng) -> i64 {
    match rng.below(1000) {
        0..10 => 1,
        10..50 => 2,
        50..200 => 3,
        200..450 => 4,
        _ => 5,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date")
}

/// Our side: units and people, with indexes for drawing realistic counterparts.
struct Ours {
    units: Vec<OurUnit>,
    people: Vec<OurPerson>,
    departments: Vec<UnitId>,
    teams: Vec<UnitId>,
    /// (unit or ancestor, rank, assistant) → people.
    by_unit: HashMap<(UnitId, i64, bool), Vec<usize>>,
    /// (rank, assistant) → people.
    by_class: HashMap<(i64, bool), Vec<usize>>,
}

fn our_side(rng: &mut Rng, count: usize) -> Ours {
    let mut units = Vec::new();
    let mut parent: HashMap<UnitId, Option<UnitId>> = HashMap::new();
    let mut add = |id: i64, up: Option<UnitId>, units: &mut Vec<OurUnit>| {
        let id = UnitId::new(id);
        units.push(OurUnit { id, parent_id: up });
        parent.insert(id, up);
        id
    };
    let board = add(1, None, &mut units);
    let (mut divisions, mut departments, mut teams) = (Vec::new(), Vec::new(), Vec::new());
    let mut next = 2;
    for _ in 0..10 {
        let div = add(next, Some(board), &mut units);
        next += 1;
        divisions.push(div);
        for _ in 0..10 {
            let dep = add(next, Some(div), &mut units);
            next += 1;
            departments.push(dep);
            for _ in 0..4 {
                teams.push(add(next, Some(dep), &mut units));
                next += 1;
            }
        }
    }
    let chain = |unit: UnitId| {
        let mut up = Vec::new();
        let mut u = unit;
        while let Some(Some(p)) = parent.get(&u) {
            up.push(*p);
            u = *p;
        }
        up
    };
    let mut people = Vec::with_capacity(count);
    let mut seniors: Vec<PersonId> = Vec::new();
    for i in 0..count {
        let assistant = rng.percent(8);
        let rank = if assistant {
            3 + rng.below(3) as i64
        } else {
            pyramid_rank(rng)
        };
        let unit = match rank {
            1 => {
                if rng.percent(30) {
                    board
                } else {
                    divisions[rng.below(divisions.len())]
                }
            }
            2 => divisions[rng.below(divisions.len())],
            3 => departments[rng.below(departments.len())],
            _ => teams[rng.below(teams.len())],
        };
        let id = PersonId::new(i as i64 + 1);
        let assistant_of =
            (assistant && !seniors.is_empty()).then(|| seniors[rng.below(seniors.len())]);
        if !assistant && rank <= 3 {
            seniors.push(id);
        }
        people.push(OurPerson {
            person_id: id,
            level_rank: Some(rank),
            is_assistant: assistant,
            assistant_of,
            unit_id: Some(unit),
            unit_ancestors: chain(unit),
            capacity: None,
            load: 0,
        });
    }
    let mut by_unit: HashMap<(UnitId, i64, bool), Vec<usize>> = HashMap::new();
    let mut by_class: HashMap<(i64, bool), Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        let rank = p.level_rank.unwrap_or(5);
        by_class.entry((rank, p.is_assistant)).or_default().push(i);
        for &u in p.unit_id.iter().chain(&p.unit_ancestors) {
            by_unit
                .entry((u, rank, p.is_assistant))
                .or_default()
                .push(i);
        }
    }
    Ours {
        units,
        people,
        departments,
        teams,
        by_unit,
        by_class,
    }
}

/// A counterpart as the history would have produced it.
fn draw_counterpart(rng: &mut Rng, ours: &Ours, c: &MirrorContact, unit: UnitId) -> usize {
    let rank = c.level_rank.unwrap_or(5);
    let shift = match rng.below(10) {
        0..7 => 0,
        7..9 => 1,
        _ => 2,
    };
    let target = if rng.percent(50) {
        rank + shift
    } else {
        rank - shift
    }
    .clamp(1, 5);
    let assistant = if rng.percent(90) {
        c.is_assistant
    } else {
        !c.is_assistant
    };
    for (r, a) in [(target, assistant), (target, !assistant), (rank, false)] {
        if rng.percent(70)
            && let Some(list) = ours.by_unit.get(&(unit, r, a))
        {
            return list[rng.below(list.len())];
        }
        if let Some(list) = ours.by_class.get(&(r, a)) {
            return list[rng.below(list.len())];
        }
    }
    rng.below(ours.people.len())
}

fn rating(rng: &mut Rng) -> Option<i64> {
    match rng.below(100) {
        0..15 => None,
        15..20 => Some(1),
        20..30 => Some(2),
        30..55 => Some(3),
        55..85 => Some(4),
        _ => Some(5),
    }
}

/// A whole portfolio: `accounts × 25` partners, `people` of ours.
fn portfolio(seed: u64, accounts: usize, people: usize) -> MirrorInput {
    let mut rng = Rng(seed);
    let mut ours = our_side(&mut rng, people);
    let roles = DecisionRole::ALL;
    let mut list = Vec::with_capacity(accounts);
    let mut next_partner = 1_000_000i64;
    for a in 0..accounts {
        let unit = if rng.percent(40) {
            ours.departments[rng.below(ours.departments.len())]
        } else {
            ours.teams[rng.below(ours.teams.len())]
        };
        let mut contacts: Vec<MirrorContact> = Vec::with_capacity(25);
        for _ in 0..25 {
            let assistant = rng.percent(8);
            let bosses: Vec<PersonId> = contacts
                .iter()
                .filter(|c| !c.is_assistant && c.level_rank.is_some_and(|r| r <= 3))
                .map(|c| c.person_id)
                .collect();
            let rank = if assistant {
                3 + rng.below(3) as i64
            } else {
                pyramid_rank(&mut rng)
            };
            let boss = (!bosses.is_empty()).then(|| bosses[rng.below(bosses.len())]);
            contacts.push(MirrorContact {
                person_id: PersonId::new(next_partner),
                level_rank: if rng.percent(2) { None } else { Some(rank) },
                is_assistant: assistant,
                assistant_of: if assistant { boss } else { None },
                reports_to: boss,
                influence: (6 - rank + rng.below(3) as i64 - 1).clamp(1, 5),
                role: roles[rng.below(roles.len())],
            });
            next_partner += 1;
        }
        let mode = match rng.below(10) {
            0..7 => ManagementMode::Hierarchical,
            7..9 => ManagementMode::SingleManager,
            _ => ManagementMode::JourFixe,
        };
        // A single-manager account's manager holds most of its relationships: the bow tie.
        let manager = (mode == ManagementMode::SingleManager || rng.percent(50))
            .then(|| draw_counterpart(&mut rng, &ours, &contacts[0], unit));
        let mut assignments = Vec::new();
        for c in &contacts {
            if !rng.percent(60) {
                continue;
            }
            let ours_i = match manager {
                Some(m) if mode == ManagementMode::SingleManager && rng.percent(80) => m,
                _ => draw_counterpart(&mut rng, &ours, c, unit),
            };
            let relationship = rating(&mut rng);
            let rated_on = relationship.map(|_| today() - chrono::Days::new(rng.below(400) as u64));
            let valid_from = rated_on.unwrap_or(today()) - chrono::Days::new(rng.below(900) as u64);
            ours.people[ours_i].load += 1;
            assignments.push(CurrentAssignment {
                partner_id: c.person_id,
                our_id: ours.people[ours_i].person_id,
                kind: AssignmentKind::Primary,
                relationship,
                last_contact: rated_on,
                contact_every_days: None,
                valid_from,
            });
            if rng.percent(20) {
                let deputy = draw_counterpart(&mut rng, &ours, c, unit);
                if deputy != ours_i {
                    assignments.push(CurrentAssignment {
                        partner_id: c.person_id,
                        our_id: ours.people[deputy].person_id,
                        kind: AssignmentKind::Deputy,
                        relationship: rating(&mut rng),
                        last_contact: Some(today() - chrono::Days::new(rng.below(400) as u64)),
                        contact_every_days: None,
                        valid_from,
                    });
                }
            }
        }
        list.push(MirrorAccount {
            id: AccountId::new(a as i64 + 1),
            mode,
            manager_id: manager.map(|m| ours.people[m].person_id),
            responsible_unit_id: Some(unit),
            partner_unit: None,
            importance: Some(rng.below(101) as f64),
            tier: None,
            contacts,
            assignments,
            jour_fixe: Default::default(),
        });
    }
    // 3 % more key-contact rows: a partner who is key in a second account as well, with their
    // assignments listed there too (assignments are person to person).
    let extra = accounts * 25 * 3 / 100;
    for _ in 0..extra {
        let from = rng.below(list.len());
        let to = rng.below(list.len());
        if from == to {
            continue;
        }
        let c = list[from].contacts[rng.below(25)].clone();
        let carried: Vec<CurrentAssignment> = list[from]
            .assignments
            .iter()
            .filter(|x| x.partner_id == c.person_id)
            .cloned()
            .collect();
        list[to].contacts.push(c);
        list[to].assignments.extend(carried);
    }
    MirrorInput {
        accounts: list,
        people: ours.people,
        units: ours.units,
    }
}

fn runs() -> usize {
    std::env::var("MIRROR_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Minimum and median.
fn summary(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[0], times[times.len() / 2])
}

fn bench_suggest(input: &MirrorInput, settings: &Settings, deputies: bool) {
    let mut options = SuggestOptions::new(Scope::Portfolio);
    options.deputies = deputies;
    if let Some(k) = std::env::var("MIRROR_K").ok().and_then(|v| v.parse().ok()) {
        options.candidates.per_contact = k;
    }
    if let Some(w) = std::env::var("MIRROR_WINDOW")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        options.candidates.level_window = w;
    }
    let (mut gen_t, mut flow_t, mut solve_t, mut total_t) = (vec![], vec![], vec![], vec![]);
    let mut last = None;
    for _ in 0..runs() {
        let start = Instant::now();
        let plan = prepare(input, &options, settings);
        let generated = start.elapsed();
        // The flow alone, on the same network (built outside the timing).
        let net = plan.network();
        let flow_start = Instant::now();
        let flow = black_box(net.solve().expect("always feasible"));
        flow_t.push(flow_start.elapsed());
        drop(net);
        let solve_start = Instant::now();
        let result = plan.solve().expect("always feasible");
        let solved = solve_start.elapsed();
        gen_t.push(generated);
        solve_t.push(solved);
        total_t.push(generated + solved);
        assert_eq!(
            i128::from(result.flow_cost),
            flow.cost(),
            "the same network, the same optimum"
        );
        last = Some(result);
    }
    let r = last.expect("at least one run");
    let o = r.optimality;
    let served_primary = r
        .proposals
        .iter()
        .filter(|p| p.kind == AssignmentKind::Primary && !p.locked)
        .count();
    let primaries = served_primary
        + r.unserved
            .iter()
            .filter(|u| u.kind == AssignmentKind::Primary)
            .count();
    let partners: std::collections::HashSet<PersonId> = input
        .accounts
        .iter()
        .flat_map(|a| a.contacts.iter().map(|c| c.person_id))
        .collect();
    let changed = r
        .proposals
        .iter()
        .filter(|p| p.change != counterpart_core::mirror::suggest::Change::Stay)
        .count();
    let (g_min, g_med) = summary(gen_t);
    let (f_min, f_med) = summary(flow_t);
    let (s_min, s_med) = summary(solve_t);
    let (t_min, t_med) = summary(total_t);
    println!(
        "suggest{}: {} partners ({} key-contact rows), {} people of ours, {} accounts",
        if deputies { " with deputies" } else { "" },
        partners.len(),
        input
            .accounts
            .iter()
            .map(|a| a.contacts.len())
            .sum::<usize>(),
        input.people.len(),
        input.accounts.len()
    );
    println!(
        "  demands {} ({} primary), candidate pairs {}, candidate people {}, truncated {}, nodes {}, arcs {}",
        o.demands, primaries, o.candidate_pairs, o.candidate_people, o.truncated, o.nodes, o.arcs
    );
    println!(
        "  candidate generation min {} med {} | flow alone min {} med {} | solve+explain min {} med {} | total min {} med {}",
        secs(g_min),
        secs(g_med),
        secs(f_min),
        secs(f_med),
        secs(s_min),
        secs(s_med),
        secs(t_min),
        secs(t_med)
    );
    println!(
        "  served {} of {} demands ({:.2} %; primaries {} of {}, {:.2} %), changes {}, unserved {}",
        r.proposals.len(),
        o.demands,
        100.0 * r.proposals.len() as f64 / o.demands.max(1) as f64,
        served_primary,
        primaries,
        100.0 * served_primary as f64 / primaries.max(1) as f64,
        changed,
        r.unserved.len()
    );
    println!(
        "  objective before {} after {} (flow {}), mirror score {:.2} -> {:.2}, over capacity afterwards {}",
        r.objective_before,
        r.objective_after,
        r.flow_cost,
        r.mirror_before.unwrap_or(0.0),
        r.mirror_after.unwrap_or(0.0),
        r.over_capacity.len()
    );
    println!(
        "RESULT suggest{} total_min {:.4} total_med {:.4} gen_med {:.4} flow_med {:.4}",
        if deputies { "_deputies" } else { "" },
        t_min.as_secs_f64(),
        t_med.as_secs_f64(),
        g_med.as_secs_f64(),
        f_med.as_secs_f64()
    );
}

/// How much the candidate rule gives up: the default rule against the complete problem (every
/// person of ours a candidate for every contact) on a portfolio small enough to solve both.
fn bench_gap(settings: &Settings) {
    let contacts = env_usize("MIRROR_GAP_CONTACTS", 10_000);
    let input = portfolio(42, contacts.div_ceil(25), contacts / 5);
    let rule = SuggestOptions::new(Scope::Portfolio);
    let mut complete = rule.clone();
    complete.candidates.per_contact = usize::MAX;
    complete.candidates.level_window = 100;
    let mut costs = Vec::new();
    for (name, options) in [("default rule", &rule), ("complete", &complete)] {
        let start = Instant::now();
        let r = counterpart_core::mirror::suggest::suggest(&input, options, settings)
            .expect("always feasible");
        println!(
            "gap: {name}: {} demands, {} candidate pairs, flow cost {}, unserved {}, {}",
            r.optimality.demands,
            r.optimality.candidate_pairs,
            r.flow_cost,
            r.unserved.len(),
            secs(start.elapsed())
        );
        costs.push(r.flow_cost);
    }
    println!(
        "RESULT gap rule {} complete {} excess {:.4} %",
        costs[0],
        costs[1],
        100.0 * (costs[0] - costs[1]) as f64 / costs[1].max(1) as f64
    );
}

fn bench_analysis(settings: &Settings) {
    let input = portfolio(7, 2_000, 20_000);
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs().max(5) {
        let start = Instant::now();
        let result = black_box(analyze_portfolio(&input, settings));
        times.push(start.elapsed());
        last = Some(result);
    }
    let r = last.expect("at least one run");
    let (min, med) = summary(times);
    let findings: usize = r.accounts.iter().map(|a| a.findings.len()).sum();
    let shapes = r.portfolio.shapes;
    println!(
        "analysis: {} accounts, {} key-contact rows, {} units: min {} med {}",
        r.accounts.len(),
        r.portfolio.contacts,
        r.units.len(),
        secs(min),
        secs(med)
    );
    println!(
        "  mean mirror score {:.2} (importance-weighted {:.2}), {} findings, shapes: {} diamond / {} bow tie / {} mixed / {} empty",
        r.portfolio.mean_score.unwrap_or(0.0),
        r.portfolio.weighted_score.unwrap_or(0.0),
        findings,
        shapes.diamond,
        shapes.bow_tie,
        shapes.mixed,
        shapes.empty
    );
    println!(
        "RESULT analysis min {:.4} med {:.4}",
        min.as_secs_f64(),
        med.as_secs_f64()
    );
}

fn main() {
    let settings = Settings::new(today());
    let contacts = env_usize("MIRROR_CONTACTS", 100_000);
    let people = env_usize("MIRROR_PEOPLE", 20_000);
    let start = Instant::now();
    let input = portfolio(42, contacts.div_ceil(25), people);
    println!("generated the portfolio in {}", secs(start.elapsed()));
    let only = std::env::var("MIRROR_ONLY").unwrap_or_default();
    let wanted = |case: &str| only.is_empty() || only.split(',').any(|c| c == case);
    if wanted("suggest") {
        bench_suggest(&input, &settings, false);
    }
    if wanted("deputies") {
        bench_suggest(&input, &settings, true);
    }
    if wanted("gap") {
        bench_gap(&settings);
    }
    if wanted("analysis") {
        bench_analysis(&settings);
    }
}
