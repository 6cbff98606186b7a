use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// The stand-alone binary prints its credentials, serves, and stops on SIGINT.
#[tokio::test]
async fn standalone_binary_serves_until_interrupted() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ibanera-sandbox"))
        .args([
            "--port",
            "0",
            "--username",
            "bin-user",
            "--password",
            "bin-pass",
            "--totp-secret",
            "JBSWY3DPEHPK3PXP",
            "--token-ttl",
            "120",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let mut base_url = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap_or_default();
        if let Some(url) = line.strip_prefix("export IBANERA_BASE_URL=") {
            base_url = url.to_string();
        }
        let done = line.starts_with("Press Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let shown = printed.join("\n");
    for line in [
        "export IBANERA_USERNAME=bin-user",
        "export IBANERA_PASSWORD=bin-pass",
        "export IBANERA_TOTP_SECRET=JBSWY3DPEHPK3PXP",
        "Token lifetime: 120 s",
    ] {
        assert!(printed.iter().any(|l| l == line), "{line:?} in {shown}");
    }
    assert!(base_url.starts_with("http://127.0.0.1:"), "{shown}");

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let code = totp_for("JBSWY3DPEHPK3PXP").generate(now).to_string();
    let http = http_client();
    let resp = http
        .post(format!("{base_url}{LOGIN}"))
        .body(
            serde_json::json!({"username": "bin-user", "password": "bin-pass", "otp": code})
                .to_string(),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let r = T::reply(resp).await;
    assert_eq!(ok(&r)["expiresIn"], serde_json::json!(120));
    let token = text(&ok(&r)["accessToken"]);
    let resp = http
        .get(format!("{base_url}{BALANCES}"))
        .header("Authorization", format!("Bearer {token}"))
        .header("otp", code)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(T::reply(resp).await.0, 200);

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-INT", &pid]).status();
    assert!(killed.is_ok_and(|s| s.success()));
    let mut status = None;
    for _ in 0..100 {
        if let Ok(Some(s)) = child.try_wait() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let Some(status) = status else {
        let _ = child.kill();
        panic!("the sandbox did not stop on SIGINT");
    };
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "Sandbox stopped."), "{rest:?}");
}

#[test]
fn bad_arguments_fail_cleanly() {
    let out = Command::new(env!("CARGO_BIN_EXE_ibanera-sandbox"))
        .args(["--totp-secret", "not base32!"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid TOTP secret"), "{err}");
    for (flag, value, says) in [
        ("--token-ttl", "0", "--token-ttl"),
        ("--token-ttl", "soon", "--token-ttl"),
        ("--username", "sandbox-unverified", "invalid username"),
        ("--password", " ", "invalid password"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ibanera-sandbox"))
            .args([flag, value])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!out.status.success(), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{flag} {value}: {err}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_ibanera-sandbox"))
        .arg("--help")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--strict-otp",
        "--port",
        "--username",
        "--password",
        "--totp-secret",
        "--token-ttl",
    ] {
        assert!(help.contains(flag), "{flag} in {help}");
    }
    assert!(!help.contains("--api-key"), "{help}");
}
