//! Work on every ticket file spread over all cores: reading and parsing is what costs in a cold `list`
//! and in `tkt check`, and files are independent.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `work` applied to every item on all cores; the results are in the order of `items`.
pub fn map<I: Sync, T: Send>(items: &[I], work: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = cores.min(items.len().div_ceil(32)).max(1);
    if workers == 1 {
        return items.iter().map(&work).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<T>> = Vec::new();
    results.resize_with(items.len(), || None);
    let done: Vec<Vec<(usize, T)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        // Small batches balance a store whose big tickets sit together.
                        let start = next.fetch_add(16, Ordering::Relaxed);
                        if start >= items.len() {
                            break mine;
                        }
                        for (i, item) in items.iter().enumerate().skip(start).take(16) {
                            mine.push((i, work(item)));
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, result) in done.into_iter().flatten() {
        results[i] = Some(result);
    }
    // A worker that panicked left gaps; do those here so that its panic is not lost silently.
    results
        .into_iter()
        .zip(items)
        .map(|(r, item)| r.unwrap_or_else(|| work(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |&i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[] as &[u64], |&i| i), Vec::<u64>::new());
    }
}
