//! Prints the API description (`ibanera::schema::describe`) that the Python stubs and the
//! TypeScript types are generated from: `cargo run -p ibanera --features schema --example describe`.

fn main() {
    let description = ibanera::schema::describe();
    println!(
        "{}",
        serde_json::to_string_pretty(&description).expect("JSON")
    );
}
