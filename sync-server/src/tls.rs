//! TLS: served directly when the operator gives a certificate (no proxy needed for tokens and
//! complaints to be encrypted), and to PostgreSQL with libpq's `sslmode` / `sslrootcert`.
//! rustls on ring, the provider reqwest already builds.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tower::ServiceExt;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server's certificate chain and key, from PEM files.
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    let chain = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("{}: no certificate in it", cert.display()));
    }
    // The key's own error text never holds key material.
    let key_der =
        PrivateKeyDer::from_pem_file(key).map_err(|e| format!("{}: {e}", key.display()))?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// A handshake slower than this is someone holding a socket, not a phone on 2G.
const HANDSHAKE: Duration = Duration::from_secs(30);

/// Serves `app` over TLS until `shutdown` completes, then lets requests in flight finish.
/// Handlers see the client's address through `ConnectInfo`, as with `axum::serve`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Arc<rustls::ServerConfig>,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: pause rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(HANDSHAKE, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => tls,
                // A scanner or a client that does not trust us: nothing worth a log line each.
                _ => return,
            };
            let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
                req.extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(remote));
                app.clone().oneshot(req)
            });
            let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            let conn = builder.serve_connection_with_upgrades(TokioIo::new(tls), service);
            let _ = watcher.watch(conn.into_owned()).await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// How to connect to PostgreSQL: the URL tokio-postgres understands, and the TLS connector
/// for libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-ca`, `verify-full`) and
/// `sslrootcert`, which tokio-postgres does not read itself.
pub fn postgres_connection(
    url: &str,
) -> Result<(String, tokio_postgres_rustls::MakeRustlsConnect), String> {
    // A URL, or libpq's `key=value key=value` form (values without spaces).
    let is_url = url.starts_with("postgres://") || url.starts_with("postgresql://");
    let (base, query) = if is_url {
        url.split_once('?').unwrap_or((url, ""))
    } else {
        ("", url)
    };
    let pairs: Vec<&str> = if is_url {
        query.split('&').filter(|p| !p.is_empty()).collect()
    } else {
        query.split_whitespace().collect()
    };
    let mut mode = "prefer".to_string();
    let mut root: Option<String> = None;
    let mut kept = Vec::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some(("sslmode", v)) => mode = v.to_string(),
            Some(("sslrootcert", v)) if is_url => root = Some(percent_decode(v)),
            Some(("sslrootcert", v)) => root = Some(v.to_string()),
            _ => kept.push(pair.to_string()),
        }
    }
    let verify = match mode.as_str() {
        "disable" | "allow" | "prefer" => Verify::None,
        // libpq: with a root certificate, `require` checks the chain as `verify-ca` does.
        "require" if root.is_some() => Verify::Chain,
        "require" => Verify::None,
        "verify-ca" => Verify::Chain,
        "verify-full" => Verify::Full,
        _ => {
            return Err("sslmode must be disable, prefer, require, verify-ca or verify-full".into())
        }
    };
    kept.push(format!(
        "sslmode={}",
        match mode.as_str() {
            "disable" => "disable",
            "allow" | "prefer" => "prefer",
            _ => "require",
        }
    ));
    let mut roots = rustls::RootCertStore::empty();
    match &root {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|c| c.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("sslrootcert {path}: {e}"))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(format!("sslrootcert {path}: no certificate in it"));
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let config = match verify {
        Verify::Full => builder.with_root_certificates(roots).with_no_client_auth(),
        Verify::Chain | Verify::None => {
            let webpki = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots),
                provider(),
            )
            .build()
            .map_err(|e| e.to_string())?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LibpqVerifier {
                    webpki,
                    check_chain: matches!(verify, Verify::Chain),
                }))
                .with_no_client_auth()
        }
    };
    let url = if is_url {
        format!("{base}?{}", kept.join("&"))
    } else {
        kept.join(" ")
    };
    Ok((url, tokio_postgres_rustls::MakeRustlsConnect::new(config)))
}

#[derive(Clone, Copy)]
enum Verify {
    /// Encrypt only (`require` without a root certificate, as libpq does).
    None,
    /// The chain, not the name (`verify-ca`).
    Chain,
    /// The chain and the host name (`verify-full`).
    Full,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// libpq's weaker modes: `verify-ca` checks the chain but not the name; `require` without a
/// root certificate checks nothing (it only encrypts). Signatures are always checked.
#[derive(Debug)]
struct LibpqVerifier {
    webpki: Arc<rustls::client::WebPkiServerVerifier>,
    check_chain: bool,
}

impl rustls::client::danger::ServerCertVerifier for LibpqVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if !self.check_chain {
            return Ok(rustls::client::danger::ServerCertVerified::assertion());
        }
        match self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Ok(v) => Ok(v),
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::NotValidForName
                | rustls::CertificateError::NotValidForNameContext { .. },
            )) => Ok(rustls::client::danger::ServerCertVerified::assertion()),
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_ssl_options_become_what_tokio_postgres_reads() {
        let (url, _) = postgres_connection("postgres://u@h:5/db?sslmode=verify-full").unwrap();
        assert_eq!(url, "postgres://u@h:5/db?sslmode=require");
        let (url, _) = postgres_connection("postgres://u@h:5/db?application_name=a").unwrap();
        assert_eq!(url, "postgres://u@h:5/db?application_name=a&sslmode=prefer");
        let (url, _) = postgres_connection("postgres://u@h:5/db?sslmode=disable").unwrap();
        assert_eq!(url, "postgres://u@h:5/db?sslmode=disable");
        assert!(postgres_connection("postgres://u@h/db?sslmode=verify-everything").is_err());
        let (url, _) = postgres_connection("host=h user=u sslmode=verify-ca").unwrap();
        assert_eq!(url, "host=h user=u sslmode=require");
        let err = postgres_connection("postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Fnone")
            .err()
            .unwrap();
        assert!(err.starts_with("sslrootcert /none"), "{err}");
    }
}
