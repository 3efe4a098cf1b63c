//! The patched Bevy reflection crate (web/vendor/README.md) stays what it claims to be:
//! the version Bevy is pinned at, without the automatic-registration default, and the
//! program holds no `inventory`.

use std::fs;

fn read(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `version = "..."` value of the first `key = ...` line naming `name` in a manifest.
fn pinned(manifest: &str, name: &str) -> Option<String> {
    let line = manifest.lines().find(|l| l.trim_start().starts_with(&format!("{name} = ")))?;
    let rest = &line[line.find("version = \"")? + "version = \"".len()..];
    Some(rest[..rest.find('"')?].trim_start_matches('=').to_owned())
}

/// The features listed in a manifest's `default = [...]`.
fn default_features(manifest: &str) -> Vec<String> {
    let start = manifest.find("\ndefault = [").expect("a default feature list");
    let list = &manifest[start + "\ndefault = [".len()..];
    let list = &list[..list.find(']').expect("the list closes")];
    list.split(',').map(|f| f.trim().trim_matches('"').to_owned()).filter(|f| !f.is_empty()).collect()
}

/// The package names in a Cargo.lock.
fn locked_packages(lock: &str) -> Vec<&str> {
    lock.split("[[package]]")
        .filter_map(|p| p.lines().find_map(|l| l.strip_prefix("name = \"")))
        .map(|n| n.trim_end_matches('"'))
        .collect()
}

#[test]
fn the_patched_reflection_crate_matches_bevy_and_drops_the_inventory() {
    let root = read("Cargo.toml");
    let vendored = read("web/vendor/bevy_reflect/Cargo.toml");
    let bevy = pinned(&root, "bevy").expect("Cargo.toml pins bevy");
    let version = vendored
        .split("[package]")
        .nth(1)
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_owned())
        .expect("the vendored crate's version");
    assert_eq!(
        version, bevy,
        "web/vendor/bevy_reflect is {version}, Bevy is pinned at {bevy}: copy the new crate (web/vendor/README.md)"
    );
    assert!(
        root.contains("[patch.crates-io]\nbevy_reflect = { path = \"web/vendor/bevy_reflect\" }"),
        "Cargo.toml patches bevy_reflect"
    );

    let defaults = default_features(&vendored);
    assert!(defaults.contains(&"std".to_owned()), "the other defaults stay: {defaults:?}");
    assert!(
        !defaults.iter().any(|f| f.starts_with("auto_register")),
        "automatic registration is back in the defaults: {defaults:?}"
    );

    let lock = read("Cargo.lock");
    let packages = locked_packages(&lock);
    assert!(packages.contains(&"bevy_reflect"), "the lock lists bevy_reflect");
    assert!(!packages.contains(&"inventory"), "a dependency brought `inventory` back into the program");
}

#[test]
fn the_checks_see_what_they_look_for() {
    // The helpers above on inputs that must fail the test's assertions.
    assert_eq!(pinned("bevy = { version = \"=0.19.1\", optional = true }", "bevy").as_deref(), Some("0.19.1"));
    let with = "[features]\ndefault = [\n    \"std\",\n    \"auto_register_inventory\",\n]\n";
    assert!(default_features(with).iter().any(|f| f.starts_with("auto_register")));
    let lock = "[[package]]\nname = \"inventory\"\nversion = \"0.3.25\"\n\n[[package]]\nname = \"ttx\"\n";
    assert_eq!(locked_packages(lock), ["inventory", "ttx"]);
}
