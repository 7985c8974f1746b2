//! Compiles the generated parser (src/parser.c): no generator is needed to build the grammar.

fn main() {
    let src = std::path::Path::new("src");
    let mut build = cc::Build::new();
    build.std("c11").include(src).file(src.join("parser.c"));
    if src.join("scanner.c").exists() {
        build.file(src.join("scanner.c"));
        println!("cargo:rerun-if-changed=src/scanner.c");
    }
    build.compile("tree-sitter-eligo");
    println!("cargo:rerun-if-changed=src/parser.c");
}
