//! The standard policies are embedded with `include_dir`, which does not tell cargo about the
//! files it reads: ask cargo to rebuild when anything under `stdlib-policies/` changes (cargo
//! scans a folder given here recursively, new files included).
fn main() {
    println!("cargo:rerun-if-changed=../../stdlib-policies");
}
