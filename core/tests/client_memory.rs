//! Building a client is cheap: the TLS configuration (the system's root certificates) is built
//! once per process, not once per client (about 100 KiB each before). A test binary of its own:
//! the resident size it reads is this process's alone.

use ibanera::Client;

/// Resident set size of this process (Linux `VmRSS`), in bytes.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn many_clients_share_one_tls_configuration() {
    let build = || {
        Client::builder()
            .username("u")
            .password("p")
            .totp_secret("JBSWY3DPEHPK3PXP")
            .build()
            .unwrap()
    };
    drop(build());
    let before = rss();
    let clients: Vec<Client> = (0..3000).map(|_| build()).collect();
    if let (Some(before), Some(after)) = (before, rss()) {
        let per_client = after.saturating_sub(before) / clients.len() as u64;
        assert!(per_client < 30 * 1024, "{per_client} bytes per client");
    }
}
