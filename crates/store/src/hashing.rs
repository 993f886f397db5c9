//! Password hashing with argon2id on a bounded pool, so that any number of login attempts
//! costs a few hashes' memory at a time.

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand_core::{OsRng, RngCore};
use tokio::sync::Semaphore;

use crate::error::{Result, StoreError};

/// How long a request waits for a free hashing slot before it is told to come back.
const HASH_QUEUE_WAIT: Duration = Duration::from_secs(5);

/// The bounded pool that password hashing runs on. One argon2id hash works in a 19 MiB block
/// of memory, so hundreds of parallel logins would need gigabytes: at most `permits` run at
/// once, the rest wait briefly and are then told the server is busy. Each running check works
/// in a block of memory kept for the next one: allocated afresh per login, glibc kept every
/// freed block resident (19 MiB more per login, measured in RELIABILITY.md).
#[derive(Clone, Debug)]
pub(crate) struct HashPool {
    permits: Arc<Semaphore>,
    memory: Arc<std::sync::Mutex<Vec<Vec<Block>>>>,
}

/// The most memory a stored hash may ask a check for (argon2's default is 19 MiB).
const MAX_HASH_MEMORY_KIB: usize = 256 * 1024;

impl HashPool {
    /// A pool of one slot per core, at least two.
    pub(crate) fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            permits: Arc::new(Semaphore::new(cores.max(2))),
            memory: Arc::default(),
        }
    }

    /// Checks a password against a stored hash (or, for a name without a user, against a
    /// dummy hash, so that it takes as long) on a blocking thread once a slot is free; `None`
    /// when none frees up in time.
    pub(crate) async fn verify(
        &self,
        password: String,
        hash: Option<String>,
    ) -> Result<Option<bool>> {
        let Ok(Ok(permit)) =
            tokio::time::timeout(HASH_QUEUE_WAIT, self.permits.clone().acquire_owned()).await
        else {
            return Ok(None);
        };
        let memory = self.memory.clone();
        let matches = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            // A poisoned lock only means another check panicked; the blocks are still memory.
            let mut blocks = memory
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .unwrap_or_default();
            let hash = hash.as_deref().unwrap_or_else(|| dummy_hash());
            let matches = verify_in(&password, hash, &mut blocks);
            memory
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(blocks);
            matches
        })
        .await
        .map_err(|e| StoreError::Hash(e.to_string()))?;
        Ok(Some(matches))
    }

    /// Hashes a new password, waiting for a slot as long as it takes (admin actions).
    pub(crate) async fn hash(&self, password: String) -> Result<String> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| StoreError::Hash(e.to_string()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            hash_password(&password)
        })
        .await
        .map_err(|e| StoreError::Hash(e.to_string()))?
    }
}

/// Checks a password against a stored argon2 hash, working in `memory` (grown to what the hash
/// asks for, and kept). Argon2 writes every block before it reads it, so the memory need not be
/// cleared between checks.
pub(crate) fn verify_in(password: &str, hash: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        Params::try_from(&parsed),
        Algorithm::try_from(parsed.algorithm),
    ) else {
        return false;
    };
    let Ok(version) = parsed.version.map(Version::try_from).transpose() else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let mut salt_buffer = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buffer) else {
        return false;
    };
    let blocks = params.block_count();
    if blocks > MAX_HASH_MEMORY_KIB {
        return false;
    }
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version.unwrap_or_default(), params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..blocks])
        .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// Hashes a password with argon2id and a random salt. CPU- and memory-heavy: run it through
/// [`HashPool`].
pub(crate) fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Hash(e.to_string()))
}

/// A hash of a random password, verified against when the user does not exist so that an
/// unknown name takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_password()).unwrap_or_default())
}

/// A password nobody knows, for the dummy hash.
fn random_password() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify_in_reused_memory() {
        use argon2::PasswordVerifier;
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        let mut memory = Vec::new();
        assert!(verify_in("correct horse battery", &hash, &mut memory));
        assert_eq!(memory.len(), Params::DEFAULT_M_COST as usize);
        // The same memory again, dirty from the last check, for a wrong and a right password.
        assert!(!verify_in("wrong", &hash, &mut memory));
        assert!(verify_in("correct horse battery", &hash, &mut memory));
        assert!(!verify_in("x", "not a hash", &mut memory));
        // The same verdicts as the crate's own check.
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
    }
}
