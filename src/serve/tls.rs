//! HTTPS and WSS for `ttx serve --tls-cert FILE --tls-key FILE`: the certificate chain and
//! key are read once at start (PEM, size-limited, errors naming the file), and a listener
//! hands axum only connections whose TLS handshake finished. Handshakes run concurrently
//! (a slow or silent client never holds up the next one), each within a time limit and at
//! most [`MAX_HANDSHAKES`] at once.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::server::TlsStream;

/// The largest certificate chain or key file read (a chain is a few KiB).
const MAX_PEM_BYTES: u64 = 1 << 20;
/// A handshake not finished by then is dropped.
const HANDSHAKE_TIME: Duration = Duration::from_secs(10);
/// Handshakes in progress at once; past that, new connections wait in the kernel's queue.
pub const MAX_HANDSHAKES: usize = 512;

/// Why the certificate or key cannot be used; names the file and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {what}\n  hint: {hint}")]
pub struct TlsError {
    pub file: String,
    pub what: String,
    pub hint: &'static str,
}

/// The file's text, read the one way ttx reads files (size-capped, UTF-8).
fn read_pem(path: &Path, what: &str) -> Result<String, TlsError> {
    use crate::sim::author::input::{InputError, read_text};
    read_text(path, MAX_PEM_BYTES, what).map_err(|e| {
        let (what, hint) = match e {
            InputError::Io { reason, .. } => (format!("cannot open the {what}: {reason}"), "check the path"),
            InputError::TooLarge { .. } => (format!("the {what} is larger than 1 MiB"), "give the PEM file itself"),
            InputError::NotUtf8 { .. } => (
                format!("the {what} is not PEM text (a binary DER file?)"),
                "convert it to PEM, e.g. `openssl x509 -in cert.der -inform der -out cert.pem`",
            ),
        };
        TlsError { file: path.display().to_string(), what, hint }
    })
}

/// Reads a PEM certificate chain (the server's certificate first) and its private key
/// (PKCS#8, PKCS#1 or SEC1) into a server configuration for HTTP/1.1.
pub fn load(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, TlsError> {
    let cert_err = |what: String, hint| TlsError { file: cert.display().to_string(), what, hint };
    let key_err = |what: String, hint| TlsError { file: key.display().to_string(), what, hint };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(read_pem(cert, "certificate")?.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| {
            cert_err(
                format!("not a PEM certificate chain: {e}"),
                "give the PEM file (-----BEGIN CERTIFICATE-----), the server's certificate first",
            )
        })?;
    if chain.is_empty() {
        return Err(cert_err(
            "holds no certificate".into(),
            "give the PEM file (-----BEGIN CERTIFICATE-----); --tls-key takes the key",
        ));
    }
    let private = PrivateKeyDer::from_pem_slice(read_pem(key, "private key")?.as_bytes()).map_err(|e| {
        key_err(
            format!("no private key in it: {e}"),
            "give the PEM key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA/EC PRIVATE KEY-----)",
        )
    })?;
    // ring's provider without post-quantum key exchange (that needs aws-lc-rs, whose C build
    // is much heavier); browsers negotiate X25519 with it.
    #[allow(deprecated)]
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| cert_err(format!("TLS cannot be set up: {e}"), "report this as a bug"))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            key_err(
                format!("the key does not fit the certificate in {}: {e}", cert.display()),
                "give the key that was made with this certificate",
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// Accepts TCP connections, runs their TLS handshakes concurrently and yields the finished
/// ones to `axum::serve`.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
    handshakes: JoinSet<Option<(TlsStream<TcpStream>, SocketAddr)>>,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> Self {
        Self { tcp, acceptor: TlsAcceptor::from(config), handshakes: JoinSet::new() }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            tokio::select! {
                accepted = self.tcp.accept(), if self.handshakes.len() < MAX_HANDSHAKES => match accepted {
                    Ok((tcp, peer)) => {
                        // As on plain HTTP: every frame goes out at once (see `serve`).
                        let _ = tcp.set_nodelay(true);
                        let acceptor = self.acceptor.clone();
                        self.handshakes.spawn(async move {
                            match tokio::time::timeout(HANDSHAKE_TIME, acceptor.accept(tcp)).await {
                                Ok(Ok(tls)) => Some((tls, peer)),
                                // A failed or slow handshake is the client's problem: it
                                // gets no connection, the server goes on.
                                Ok(Err(_)) | Err(_) => None,
                            }
                        });
                    }
                    Err(e) => {
                        // Out of file descriptors and the like: wait, as axum does.
                        eprintln!("ttx serve: cannot accept a connection: {e}");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                },
                Some(done) = self.handshakes.join_next() => match done {
                    Ok(Some(ready)) => return ready,
                    Ok(None) => {}
                    // A panic in a handshake is a bug: it is not swallowed.
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => {}
                },
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}
