//! Join links and codes.

use super::join_url;

#[test]
fn a_join_link_becomes_the_servers_websocket_address() {
    let tok = "0123456789abcdef0123456789abcdef";
    assert_eq!(
        join_url(&format!("http://192.168.1.5:8080/?join={tok}"), None),
        Some((format!("ws://192.168.1.5:8080/api/ws?token={tok}"), "192.168.1.5:8080".into()))
    );
    assert_eq!(
        join_url(&format!(" https://ttx.example.org/?join={tok}#x "), None).map(|u| u.0),
        Some(format!("wss://ttx.example.org/api/ws?token={tok}"))
    );
    assert_eq!(
        join_url(&format!("localhost:8080/?join={tok}"), None).map(|u| u.0),
        Some(format!("ws://localhost:8080/api/ws?token={tok}"))
    );
    // A bare token joins the page's own server, in the browser only.
    assert_eq!(join_url(tok, None), None);
    assert_eq!(
        join_url(tok, Some("http://127.0.0.1:8080")).map(|u| u.0),
        Some(format!("ws://127.0.0.1:8080/api/ws?token={tok}"))
    );
    // Nothing but a token and a host goes into the address.
    assert_eq!(join_url("http://h/?join=abc\"><script>", None), None);
    assert_eq!(join_url(&format!("http://evil host/?join={tok}"), None), None);
    assert_eq!(join_url(&format!("http://h/?join={}", "a".repeat(65)), None), None);
    assert_eq!(join_url("", None), None);
}

#[test]
fn a_team_code_joins_with_the_server_before_it_or_on_the_servers_page() {
    assert_eq!(
        join_url("k7qm-3xpr", Some("http://10.0.0.5:8080")),
        Some(("ws://10.0.0.5:8080/api/ws?token=k7qm-3xpr".into(), "10.0.0.5:8080".into()))
    );
    assert_eq!(
        join_url(" 192.168.1.5:8080   K7QM-3XPR ", None),
        Some(("ws://192.168.1.5:8080/api/ws?token=K7QM-3XPR".into(), "192.168.1.5:8080".into()))
    );
    assert_eq!(
        join_url("https://ttx.example.org K7QM3XPR", None).map(|u| u.0),
        Some("wss://ttx.example.org/api/ws?token=K7QM3XPR".into())
    );
    // A code alone has no server away from the server's page; nothing odd passes.
    assert_eq!(join_url("K7QM-3XPR", None), None);
    assert_eq!(join_url("host K7QM/3XPR", None), None);
    assert_eq!(join_url("host K7QM-3XPR-K7QM-3XPR", None), None);
    assert_eq!(join_url("evil host K7QM-3XPR", None), None);
    assert_eq!(join_url("my team", None), None, "two words are not a server and a code");
    assert_eq!(join_url("host K7QM-3XP", None), None);
}
