//! The 2G step's link, packet by packet: two TUN devices joined by this process, which holds
//! every IP packet for a fixed one-way delay before passing it to the other side, as netem's
//! `delay` would. The harness moves one device into the server's network namespace, gives both
//! point-to-point addresses and lets the kernel's token bucket (`tbf`) on each device set the
//! rate, so TCP's handshake, acknowledgements and slow start all cross a 600 ms round trip.
//! (This machine's kernel has no netem, nor fq or etf: no qdisc here can hold packets back in
//! time, so the delay is applied here.)

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

const TUNSETIFF: libc::c_ulong = 0x4004_54ca;
const IFF_TUN: libc::c_short = 0x0001;
const IFF_NO_PI: libc::c_short = 0x1000;
/// Larger than any packet a TUN device without offloads hands over (its MTU is 1500).
const MAX_PACKET: usize = 65_536;

#[repr(C)]
struct IfReq {
    name: [u8; libc::IFNAMSIZ],
    flags: libc::c_short,
    _pad: [u8; 22],
}

/// Creates TUN device `name` (gone when the process ends) and returns its packet file.
fn open_tun(name: &str) -> Result<File, String> {
    if name.is_empty() || name.len() >= libc::IFNAMSIZ {
        return Err(format!(
            "device name {name:?}: 1 to {} bytes",
            libc::IFNAMSIZ - 1
        ));
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")
        .map_err(|e| format!("/dev/net/tun: {e}"))?;
    let mut req = IfReq {
        name: [0; libc::IFNAMSIZ],
        flags: IFF_TUN | IFF_NO_PI,
        _pad: [0; 22],
    };
    req.name[..name.len()].copy_from_slice(name.as_bytes());
    // SAFETY: TUNSETIFF reads and writes one `struct ifreq`, which `IfReq` lays out (40 bytes);
    // the file descriptor is open for as long as `file` lives.
    let rc = unsafe { libc::ioctl(file.as_raw_fd(), TUNSETIFF, &mut req as *mut IfReq) };
    if rc < 0 {
        return Err(format!(
            "creating TUN device {name}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(file)
}

/// Passes packets from `from` to `to`, each `delay` after it was read, in order. Says on
/// `stopped` why it stopped reading (a device deleted under it).
fn pump(
    mut from: File,
    mut to: File,
    delay: Duration,
    label: &'static str,
    stopped: mpsc::Sender<String>,
) {
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    thread::spawn(move || {
        let mut buf = vec![0u8; MAX_PACKET];
        loop {
            match from.read(&mut buf) {
                Ok(n) => {
                    if tx
                        .send((Instant::now() + delay, buf[..n].to_vec()))
                        .is_err()
                    {
                        return;
                    }
                }
                Err(e) => {
                    let _ = stopped.send(format!("delay line {label}: read: {e}"));
                    return;
                }
            }
        }
    });
    thread::spawn(move || {
        for (due, packet) in rx {
            thread::sleep(due.saturating_duration_since(Instant::now()));
            // A packet the other side refuses (device down) is lost, as on a real link.
            if let Err(e) = to.write(&packet) {
                eprintln!("delay line {label}: write: {e}");
            }
        }
    });
}

/// Creates devices `a` and `b`, says so on stdout, then joins them until killed or until a
/// device is deleted.
pub fn run(a: &str, b: &str, delay_ms: u64) -> Result<serde_json::Value, String> {
    let dev_a = open_tun(a)?;
    let dev_b = open_tun(b)?;
    let delay = Duration::from_millis(delay_ms);
    let clone = |f: &File| f.try_clone().map_err(|e| e.to_string());
    let (stopped, why) = mpsc::channel();
    pump(
        clone(&dev_a)?,
        clone(&dev_b)?,
        delay,
        "a->b",
        stopped.clone(),
    );
    pump(dev_b, dev_a, delay, "b->a", stopped);
    println!("ready {a} {b}");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    Err(why
        .recv()
        .unwrap_or_else(|_| "delay line: stopped".to_string()))
}
