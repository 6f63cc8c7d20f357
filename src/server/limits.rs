//! Connection limits (`[limits]`): Set-ImapSettings `MaxConnections`,
//! `MaxConnectionFromSingleIP` and `MaxConnectionsPerUser`, counted across the whole
//! process and enforced with RAII permits, so a dropped connection always gives its slot
//! back.

use crate::profile::model::Limits;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct LimitPolicy {
    max_connections: usize,
    per_ip: usize,
    per_user: usize,
}

impl LimitPolicy {
    pub fn compile(l: &Limits) -> Result<LimitPolicy, String> {
        Ok(LimitPolicy {
            max_connections: l.max_connections as usize,
            per_ip: l.max_connection_from_single_ip as usize,
            per_user: l.max_connections_per_user as usize,
        })
    }
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_ip: HashMap<IpAddr, usize>,
    by_user: HashMap<i64, usize>,
}

/// Live connection counts shared by every listener.
#[derive(Debug, Default)]
pub struct Tracker {
    counts: Mutex<Counts>,
}

/// Holds a connection slot until dropped.
#[derive(Debug)]
pub struct ConnectionPermit {
    tracker: Arc<Tracker>,
    ip: IpAddr,
}

/// Holds a per-user session slot until dropped.
#[derive(Debug)]
pub struct UserPermit {
    tracker: Arc<Tracker>,
    user: i64,
}

impl Tracker {
    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic while holding this lock cannot leave the counts inconsistent (each
        // update is one statement), so a poisoned lock is still usable.
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot for a new connection, or None when a limit is reached.
    pub fn connect(self: &Arc<Self>, ip: IpAddr, policy: &LimitPolicy) -> Option<ConnectionPermit> {
        let mut c = self.lock();
        let from_ip = c.by_ip.get(&ip).copied().unwrap_or(0);
        if c.total >= policy.max_connections || from_ip >= policy.per_ip {
            return None;
        }
        c.total += 1;
        *c.by_ip.entry(ip).or_default() += 1;
        Some(ConnectionPermit {
            tracker: self.clone(),
            ip,
        })
    }

    /// A slot for an authenticated session of `user`, or None at the per-user limit.
    pub fn login(self: &Arc<Self>, user: i64, policy: &LimitPolicy) -> Option<UserPermit> {
        let mut c = self.lock();
        let n = c.by_user.entry(user).or_default();
        if *n >= policy.per_user {
            return None;
        }
        *n += 1;
        Some(UserPermit {
            tracker: self.clone(),
            user,
        })
    }

    pub fn total(&self) -> usize {
        self.lock().total
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut c = self.tracker.lock();
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                c.by_ip.remove(&self.ip);
            }
        }
    }
}

impl Drop for UserPermit {
    fn drop(&mut self) {
        let mut c = self.tracker.lock();
        if let Some(n) = c.by_user.get_mut(&self.user) {
            *n -= 1;
            if *n == 0 {
                c.by_user.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_count_and_release() {
        let policy = LimitPolicy {
            max_connections: 3,
            per_ip: 2,
            per_user: 1,
        };
        let t = Arc::new(Tracker::default());
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let p1 = t.connect(a, &policy).unwrap();
        let _p2 = t.connect(a, &policy).unwrap();
        assert!(t.connect(a, &policy).is_none(), "per-IP limit");
        let _p3 = t.connect(b, &policy).unwrap();
        assert!(t.connect(b, &policy).is_none(), "total limit");
        drop(p1);
        assert!(t.connect(b, &policy).is_some());
        let u = t.login(7, &policy).unwrap();
        assert!(t.login(7, &policy).is_none());
        drop(u);
        assert!(t.login(7, &policy).is_some());
    }
}
