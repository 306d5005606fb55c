//! A TCP proxy on loopback between phones and a server that breaks connections the way a
//! 2G link does: it cuts requests midway, cuts responses after the server acted, delays, and
//! replays whole requests a second time. Faults are drawn from a seed, so a failure replays.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass the exchange through untouched.
    None,
    /// Close both sides after part of the request: the server never sees it whole.
    CutRequest,
    /// Let the server answer, then close before the phone has the whole answer.
    CutResponse,
    /// Send the request to the server twice (a duplicated packet train); the phone gets the
    /// second answer.
    Replay,
    /// Hold the request for a while before passing it on.
    Delay,
}

pub struct FaultyProxy {
    pub url: String,
    stop: Arc<AtomicBool>,
    pub exchanges: Arc<AtomicU64>,
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Reads one HTTP/1.1 request (headers and a Content-Length body) from a stream.
fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(buf)
}

/// Sends a request to the server on a fresh connection and reads the whole answer.
fn forward(server: &str, request: &[u8]) -> Option<Vec<u8>> {
    let mut up = TcpStream::connect(server).ok()?;
    up.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    // One exchange per connection, so the answer ends when the server closes.
    let text = String::from_utf8_lossy(request);
    let request = if text.to_ascii_lowercase().contains("connection: close") {
        request.to_vec()
    } else {
        let split = request.windows(2).position(|w| w == b"\r\n")? + 2;
        [
            &request[..split],
            b"connection: close\r\n",
            &request[split..],
        ]
        .concat()
    };
    up.write_all(&request).ok()?;
    let mut answer = Vec::new();
    up.read_to_end(&mut answer).ok()?;
    Some(answer)
}

/// Picks the fault for a request from its path.
type Rule = Arc<dyn Fn(&str) -> Fault + Send + Sync>;

/// The path of an HTTP request ("POST /v1/sync HTTP/1.1" gives "/v1/sync").
fn path_of(request: &[u8]) -> String {
    let line = request.split(|b| *b == b'\r').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split(' ')
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

impl FaultyProxy {
    /// Proxies to `server_url`; each exchange gets a fault drawn from `seed` with the given
    /// weights (none, cut request, cut response, replay, delay).
    pub fn start(server_url: &str, seed: u64, weights: [u64; 5]) -> FaultyProxy {
        Self::run(server_url, seed, weights, None)
    }

    /// Proxies to `server_url`, each request getting the fault `rule` picks for its path.
    pub fn by_path(
        server_url: &str,
        rule: impl Fn(&str) -> Fault + Send + Sync + 'static,
    ) -> FaultyProxy {
        Self::run(server_url, 1, [1, 0, 0, 0, 0], Some(Arc::new(rule)))
    }

    fn run(server_url: &str, seed: u64, weights: [u64; 5], rule: Option<Rule>) -> FaultyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = server_url.trim_start_matches("http://").to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let exchanges = Arc::new(AtomicU64::new(0));
        let (stop2, count) = (stop.clone(), exchanges.clone());
        thread::spawn(move || {
            let mut seed = seed.max(1);
            let total: u64 = weights.iter().sum::<u64>().max(1);
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut client) = conn else { continue };
                let mut pick = next(&mut seed) % total;
                let mut fault = Fault::None;
                for (w, f) in weights.iter().zip([
                    Fault::None,
                    Fault::CutRequest,
                    Fault::CutResponse,
                    Fault::Replay,
                    Fault::Delay,
                ]) {
                    if pick < *w {
                        fault = f;
                        break;
                    }
                    pick -= w;
                }
                let server = server.clone();
                let rule = rule.clone();
                count.fetch_add(1, Ordering::SeqCst);
                thread::spawn(move || {
                    // Keep-alive clients send several requests on one connection.
                    while let Some(request) = read_request(&mut client) {
                        if let Some(rule) = &rule {
                            fault = rule(&path_of(&request));
                        }
                        let answer = match fault {
                            Fault::CutRequest => {
                                let _ = client.shutdown(Shutdown::Both);
                                return;
                            }
                            Fault::Delay => {
                                thread::sleep(Duration::from_millis(300));
                                forward(&server, &request)
                            }
                            Fault::Replay => {
                                let _ = forward(&server, &request);
                                forward(&server, &request)
                            }
                            Fault::None | Fault::CutResponse => forward(&server, &request),
                        };
                        let Some(answer) = answer else {
                            let _ = client.shutdown(Shutdown::Both);
                            return;
                        };
                        if fault == Fault::CutResponse {
                            let _ = client.write_all(&answer[..answer.len() / 2]);
                            let _ = client.shutdown(Shutdown::Both);
                            return;
                        }
                        if client.write_all(&answer).is_err() {
                            return;
                        }
                        // The server closed after its answer; so does the proxy.
                        let _ = client.shutdown(Shutdown::Both);
                        return;
                    }
                });
            }
        });
        FaultyProxy {
            url,
            stop,
            exchanges,
        }
    }
}
