//! How fast is note analysis? (placeholder, filled in below)
fn main() {}
