//! The link every peer's traffic crosses in the harness: a TCP relay that counts the bytes
//! on the wire both ways (printed as a JSON line when it is stopped with SIGTERM) and can
//! shape the link like 2G: a fixed one-way delay on every chunk (and a round trip for each new
//! connection's handshake) and a byte rate per direction.
//! The harness's 2G step uses this relay only where it cannot build its packet-level link
//! (`delay_line`, which needs root).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
}

#[derive(Clone, Copy)]
struct Shape {
    delay: Duration,
    /// Bytes per second (0: unlimited).
    rate: u64,
}

/// Relays until SIGTERM; then the byte counts.
pub fn run(
    listen: &str,
    target: &str,
    delay_ms: u64,
    rate_bps: u64,
) -> Result<serde_json::Value, String> {
    let rt = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let shape = Shape {
        delay: Duration::from_millis(delay_ms),
        rate: rate_bps / 8,
    };
    rt.block_on(async move {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| format!("{listen}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        println!("listening on http://{local}");
        let counters = Arc::new(Counters::default());
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .map_err(|e| e.to_string())?;
        loop {
            let accepted = tokio::select! {
                a = listener.accept() => a,
                _ = term.recv() => {
                    return Ok(serde_json::json!({
                        "connections": counters.connections.load(Ordering::SeqCst),
                        "up": counters.up.load(Ordering::SeqCst),
                        "down": counters.down.load(Ordering::SeqCst),
                    }));
                }
            };
            let (client, _) = accepted.map_err(|e| e.to_string())?;
            let target = target.to_string();
            let counters = counters.clone();
            tokio::spawn(async move {
                // A TCP handshake costs one round trip before the client's first byte leaves.
                tokio::time::sleep(shape.delay * 2).await;
                let Ok(server) = TcpStream::connect(&target).await else {
                    eprintln!("proxy: cannot reach {target}");
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                counters.connections.fetch_add(1, Ordering::SeqCst);
                let (cr, cw) = client.into_split();
                let (sr, sw) = server.into_split();
                let up = relay(cr, sw, shape, &counters.up);
                let down = relay(sr, cw, shape, &counters.down);
                tokio::join!(up, down);
            });
        }
    })
}

/// Copies one direction, counting into `count`; each chunk is released `delay` after it was
/// read, and no faster than `rate`.
async fn relay(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shape: Shape,
    count: &AtomicU64,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let reader = async move {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            match from.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    count.fetch_add(n as u64, Ordering::SeqCst);
                    if tx
                        .send((Instant::now() + shape.delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    };
    let writer = async move {
        // The link is busy until `free`: a chunk waits for its delay and for the link.
        let mut free = Instant::now();
        while let Some((due, chunk)) = rx.recv().await {
            tokio::time::sleep_until(due).await;
            if shape.rate > 0 {
                // Send in small slices so a large chunk does not arrive all at once.
                for slice in chunk.chunks(256) {
                    let now = Instant::now();
                    if free < now {
                        free = now;
                    }
                    free += Duration::from_secs_f64(slice.len() as f64 / shape.rate as f64);
                    tokio::time::sleep_until(free).await;
                    if to.write_all(slice).await.is_err() {
                        return;
                    }
                }
            } else if to.write_all(&chunk).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    };
    tokio::join!(reader, writer);
}
