//! How much heavy work runs at once. A request that computes a portfolio's analysis or reads
//! a person's whole history costs hundreds of megabytes and a core for up to a second; when
//! many arrive together, they take turns instead of all running at once (32 portfolio
//! suggestions at once once took 5 GB, 32 whole-house digests 4 GB).

use std::future::Future;
use std::sync::LazyLock;

use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// One per core.
fn per_core() -> Semaphore {
    Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from))
}

/// Computations on the blocking pool (a portfolio's analysis, a flow network for suggestions).
static HEAVY_WORK: LazyLock<Semaphore> = LazyLock::new(per_core);

/// Reports that read a person's or a unit's whole history (the access report, the erasure
/// preview, a unit's digest).
static REPORTS: LazyLock<Semaphore> = LazyLock::new(per_core);

/// Runs CPU-heavy work on the blocking thread pool, off the async threads, at most one per
/// core at a time.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let _permit = HEAVY_WORK.acquire().await.map_err(Error::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(Error::internal)
}

/// Makes a report, at most one per core at a time; the others wait their turn.
pub(crate) async fn report<T>(work: impl Future<Output = Result<T>>) -> Result<T> {
    let _permit = REPORTS.acquire().await.map_err(Error::internal)?;
    work.await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// The most of `jobs` that ran at once.
    struct Gauge {
        now: AtomicUsize,
        most: AtomicUsize,
    }

    impl Gauge {
        fn new() -> Arc<Self> {
            Arc::new(Self {
                now: AtomicUsize::new(0),
                most: AtomicUsize::new(0),
            })
        }

        fn enter(&self) {
            let running = self.now.fetch_add(1, Ordering::SeqCst) + 1;
            self.most.fetch_max(running, Ordering::SeqCst);
        }

        fn leave(&self) {
            self.now.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn cores() -> usize {
        std::thread::available_parallelism().map_or(2, usize::from)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn heavy_work_runs_at_most_once_per_core_at_a_time() {
        let gauge = Gauge::new();
        let jobs: Vec<_> = (0..cores() + 6)
            .map(|_| {
                let gauge = gauge.clone();
                tokio::spawn(blocking(move || {
                    gauge.enter();
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    gauge.leave();
                }))
            })
            .collect();
        for job in jobs {
            job.await.unwrap().unwrap();
        }
        let most = gauge.most.load(Ordering::SeqCst);
        assert!((1..=cores()).contains(&most), "{most} ran at once");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn reports_are_made_at_most_once_per_core_at_a_time() {
        let gauge = Gauge::new();
        let jobs: Vec<_> = (0..cores() + 6)
            .map(|n| {
                let gauge = gauge.clone();
                tokio::spawn(report(async move {
                    gauge.enter();
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    gauge.leave();
                    Ok(n)
                }))
            })
            .collect();
        let mut done = Vec::new();
        for job in jobs {
            done.push(job.await.unwrap().unwrap());
        }
        assert_eq!(done, (0..cores() + 6).collect::<Vec<_>>(), "each made once");
        let most = gauge.most.load(Ordering::SeqCst);
        assert!((1..=cores()).contains(&most), "{most} ran at once");
    }
}
