//! An endless response body ends in a typed error with memory bounded by a small multiple of
//! the limit. A test binary of its own: the peak resident size it reads is this process's.

mod support;

use std::time::Duration;

use ibanera::{Client, DEFAULT_MAX_RESPONSE_BYTES, ErrorKind};
use support::{MockServer, PASSWORD, Reply, USERNAME};

/// Peak resident set size of this process (Linux `VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_default_limit() {
    let server = MockServer::start(|_, _| Reply::Huge(None)).await;
    let c = Client::builder()
        .username(USERNAME)
        .password(PASSWORD)
        .totp_secret("JBSWY3DPEHPK3PXP")
        .base_url(&server.url)
        .max_retries(0)
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let before = peak_rss();
    let e = c.accounts().get(1055).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseLimit, "{e}");
    if let (Some(before), Some(after)) = (before, peak_rss()) {
        let grew = after.saturating_sub(before);
        assert!(
            grew < 3 * DEFAULT_MAX_RESPONSE_BYTES,
            "peak grew by {} MiB for a {} MiB limit",
            grew >> 20,
            DEFAULT_MAX_RESPONSE_BYTES >> 20
        );
    }
}
