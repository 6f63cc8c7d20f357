//! TLS with rustls (ring provider): the configured PEM certificate and key, or a self-signed
//! certificate generated into the data directory on first run. The certificate is served
//! through a resolver whose contents can be swapped, so renewed files take effect for new
//! handshakes without a restart (the paths themselves are startup settings).
//!
//! Cipher suites are rustls's modern defaults: no RC4, no 3DES (MS-STANXIMAP §2.1.7, V0059,
//! V0060: Exchange relies on the OS; clients only need a current suite).

use arc_swap::ArcSwap;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("cannot generate a certificate: {0}")]
    Generate(String),
}

/// Where the certificate and key come from.
#[derive(Clone, Debug)]
pub struct CertPaths {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl CertPaths {
    /// The self-signed pair kept in the data directory.
    pub fn generated_in(data: &Path) -> CertPaths {
        CertPaths {
            cert: data.join("tls-cert.pem"),
            key: data.join("tls-key.pem"),
        }
    }
}

/// The live certificate; `reload` re-reads the files.
#[derive(Debug)]
pub struct CertStore {
    paths: CertPaths,
    current: ArcSwap<CertifiedKey>,
}

impl ResolvesServerCert for CertStore {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.load_full())
    }
}

impl CertStore {
    pub fn open(paths: CertPaths) -> Result<Arc<CertStore>, TlsError> {
        let key = load(&paths)?;
        Ok(Arc::new(CertStore {
            paths,
            current: ArcSwap::from_pointee(key),
        }))
    }

    /// Re-reads the files; on error the old certificate stays in use.
    pub fn reload(&self) -> Result<(), TlsError> {
        self.current.store(Arc::new(load(&self.paths)?));
        Ok(())
    }

    pub fn paths(&self) -> &CertPaths {
        &self.paths
    }

    /// SHA-256 of the leaf certificate, as `AB:CD:...`.
    pub fn fingerprint(&self) -> String {
        let key = self.current.load();
        key.cert
            .first()
            .map(|c| fingerprint(c.as_ref()))
            .unwrap_or_default()
    }

    pub fn acceptor(self: &Arc<Self>) -> TlsAcceptor {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| b.with_no_client_auth().with_cert_resolver(self.clone()))
            .expect("ring supports the default protocol versions");
        TlsAcceptor::from(Arc::new(config))
    }
}

/// Creates a self-signed certificate for `localhost` and loopback addresses unless one is
/// already there; true when it was created.
pub fn ensure_generated(paths: &CertPaths) -> Result<bool, TlsError> {
    if paths.cert.exists() && paths.key.exists() {
        return Ok(false);
    }
    let names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let generated =
        rcgen::generate_simple_self_signed(names).map_err(|e| TlsError::Generate(e.to_string()))?;
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| TlsError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    };
    write(&paths.key, generated.signing_key.serialize_pem())?;
    restrict(&paths.key);
    write(&paths.cert, generated.cert.pem())?;
    Ok(true)
}

#[cfg(unix)]
fn restrict(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_: &Path) {}

fn load(paths: &CertPaths) -> Result<CertifiedKey, TlsError> {
    let invalid = |path: &Path, message: String| TlsError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&paths.cert)
        .map_err(|e| invalid(&paths.cert, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| invalid(&paths.cert, e.to_string()))?;
    if certs.is_empty() {
        return Err(invalid(&paths.cert, "no certificate in the file".into()));
    }
    let key =
        PrivateKeyDer::from_pem_file(&paths.key).map_err(|e| invalid(&paths.key, e.to_string()))?;
    let signer = rustls::crypto::ring::sign::any_supported_type(&key)
        .map_err(|e| invalid(&paths.key, e.to_string()))?;
    Ok(CertifiedKey::new(certs, signer))
}

fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_and_loads() {
        let dir = std::env::temp_dir().join(format!("imap-mimic-tls-{}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let paths = CertPaths::generated_in(&dir);
        assert!(ensure_generated(&paths).unwrap());
        assert!(!ensure_generated(&paths).unwrap());
        let store = CertStore::open(paths.clone()).unwrap();
        let before = store.fingerprint();
        assert_eq!(before.len(), 32 * 3 - 1);
        std::fs::remove_file(&paths.cert).unwrap();
        std::fs::remove_file(&paths.key).unwrap();
        ensure_generated(&paths).unwrap();
        store.reload().unwrap();
        assert_ne!(store.fingerprint(), before, "reload picks up the new files");
        std::fs::write(&paths.cert, "garbage").unwrap();
        assert!(store.reload().is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
