//! Connected components of the similarity graph (union–find with path
//! halving and union by size).

/// The components of `n` nodes linked by `edges` that have at least two
/// members, each sorted, in order of their smallest node.
pub fn clusters(n: usize, edges: impl IntoIterator<Item = (u32, u32)>) -> Vec<Vec<u32>> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut size = vec![1u32; n];
    for (a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (big, small) = if size[ra as usize] >= size[rb as usize] {
                (ra, rb)
            } else {
                (rb, ra)
            };
            parent[small as usize] = big;
            size[big as usize] += size[small as usize];
        }
    }
    let mut members: Vec<(u32, u32)> = Vec::new();
    for x in 0..n as u32 {
        let root = find(&mut parent, x);
        if size[root as usize] > 1 {
            members.push((root, x));
        }
    }
    members.sort_unstable();
    let mut out: Vec<Vec<u32>> = members
        .chunk_by(|a, b| a.0 == b.0)
        .map(|g| g.iter().map(|&(_, x)| x).collect())
        .collect();
    out.sort_unstable_by_key(|c| c[0]);
    out
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let grand = parent[parent[x as usize] as usize];
        parent[x as usize] = grand;
        x = grand;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_small_graph() {
        let c = clusters(7, [(5, 1), (1, 3), (4, 6)]);
        assert_eq!(c, vec![vec![1, 3, 5], vec![4, 6]]);
        assert!(clusters(3, []).is_empty());
    }
}
