//! Rules for trees: reports-to chains and unit trees must never loop.

/// Whether pointing `child` at `new_parent` would close a loop.
///
/// `parent_of` yields the current parent of a node. The walk starts at `new_parent` and climbs;
/// reaching `child` means `child` would become its own ancestor. The walk is bounded by
/// `max_depth` so that an already corrupt chain cannot hang the caller; exceeding it is
/// reported as a cycle, since no real hierarchy is that deep.
pub fn would_create_cycle<T: PartialEq + Copy>(
    child: T,
    new_parent: T,
    max_depth: usize,
    mut parent_of: impl FnMut(T) -> Option<T>,
) -> bool {
    let mut current = Some(new_parent);
    for _ in 0..=max_depth {
        match current {
            None => return false,
            Some(node) if node == child => return true,
            Some(node) => current = parent_of(node),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    #[test]
    fn detects_direct_and_indirect_loops() {
        // 1 <- 2 <- 3 (3 reports to 2, 2 reports to 1)
        let parents = HashMap::from([(3, 2), (2, 1)]);
        let lookup = |n: i32| parents.get(&n).copied();
        assert!(would_create_cycle(1, 3, 100, lookup), "1 under 3 loops");
        assert!(would_create_cycle(1, 1, 100, lookup), "self loop");
        assert!(!would_create_cycle(3, 1, 100, lookup), "3 under 1 is fine");
        assert!(
            !would_create_cycle(4, 3, 100, lookup),
            "a newcomer under 3 is fine"
        );
    }

    proptest! {
        /// Applying only the moves that the check accepts keeps the graph a forest.
        #[test]
        fn accepted_moves_keep_a_forest(moves in prop::collection::vec((0u8..12, 0u8..12), 0..60)) {
            let mut parents: HashMap<u8, u8> = HashMap::new();
            for (child, parent) in moves {
                if !would_create_cycle(child, parent, 64, |n| parents.get(&n).copied()) {
                    parents.insert(child, parent);
                }
            }
            for start in 0u8..12 {
                let mut seen = vec![start];
                let mut node = start;
                while let Some(&p) = parents.get(&node) {
                    prop_assert!(!seen.contains(&p), "loop through {p}");
                    seen.push(p);
                    node = p;
                }
            }
        }
    }
}
