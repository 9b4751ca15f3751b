//! A stand-in tray host on the session bus, for `scripts/smoke-window.sh` (a headless machine
//! has no panel): prints `ready`, then the bus name of each tray icon that registers.
//!   cargo run --release --example tray_host

#[path = "../tests/common/tray_host.rs"]
mod tray_host;

use std::io::Write;

/// How often new registrations are looked for.
const POLL: std::time::Duration = std::time::Duration::from_millis(200);

fn main() {
    let registered = tray_host::serve(None);
    println!("ready");
    let mut printed = 0;
    loop {
        let names = registered.lock().unwrap().clone();
        for name in &names[printed..] {
            println!("{name}");
        }
        printed = names.len();
        let _ = std::io::stdout().flush();
        std::thread::sleep(POLL);
    }
}
