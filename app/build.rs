// `sqlx::migrate!` embeds the migrations at compile time, but cargo does not know the
// files are inputs: without this, a new migration alone would not rebuild the app and
// the binary would silently lack it (sqlx's documented build-script fix).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
