//! Exact set similarity of sorted shingle sets: the numbers a user is shown.

/// Size of the intersection of two sorted, duplicate-free slices.
pub fn intersection_size<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Jaccard similarity |A ∩ B| / |A ∪ B|; 0 when both are empty.
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let inter = intersection_size(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Containment of A in B, |A ∩ B| / |A|: the share of A found in B; 0 when A
/// is empty.
pub fn containment<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() {
        0.0
    } else {
        intersection_size(a, b) as f64 / a.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_cases() {
        let a = [1, 2, 3, 4];
        let b = [3, 4, 5];
        assert_eq!(intersection_size(&a, &b), 2);
        assert_eq!(jaccard(&a, &b), 2.0 / 5.0);
        assert_eq!(containment(&a, &b), 0.5);
        assert_eq!(containment(&b, &a), 2.0 / 3.0);
        assert_eq!(jaccard::<u64>(&[], &[]), 0.0);
        assert_eq!(containment(&[], &b), 0.0);
    }
}
