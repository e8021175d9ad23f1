//! Connected components of the similarity graph (union–find with path
//! halving and union by size).

/// Connected components grown one link at a time, as pairs are verified
/// (8 bytes a unit, whatever the number of pairs).
#[derive(Clone, Debug, Default)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` nodes, each alone.
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// True if there is no node.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Links `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (find(&mut self.parent, a), find(&mut self.parent, b));
        if ra != rb {
            let (big, small) = if self.size[ra as usize] >= self.size[rb as usize] {
                (ra, rb)
            } else {
                (rb, ra)
            };
            self.parent[small as usize] = big;
            self.size[big as usize] += self.size[small as usize];
        }
    }

    /// The representative of `x`'s component (without shortening paths:
    /// union by size keeps them logarithmic).
    pub fn root(&self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            x = self.parent[x as usize];
        }
        x
    }

    /// The components with at least two members, each sorted, in order of
    /// their smallest node.
    pub fn components(&self) -> Vec<Vec<u32>> {
        let mut members: Vec<(u32, u32)> = Vec::new();
        for x in 0..self.parent.len() as u32 {
            let root = self.root(x);
            if self.size[root as usize] > 1 {
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
}

/// The components of `n` nodes linked by `edges` that have at least two
/// members, each sorted, in order of their smallest node.
pub fn clusters(n: usize, edges: impl IntoIterator<Item = (u32, u32)>) -> Vec<Vec<u32>> {
    let mut uf = UnionFind::new(n);
    for (a, b) in edges {
        uf.union(a, b);
    }
    uf.components()
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
