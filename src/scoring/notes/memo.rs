//! A small per-text memo: scoring runs on every replay of an attempt (explore scores
//! thousands), and the same note text comes back each time, so work that depends only on
//! the text is done once per distinct text.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Mutex, OnceLock};

/// Entries kept per memo before it is cleared (bounded memory).
const MAX: usize = 4096;

/// One memo table: text hash → (text, value).
pub type Memo<T> = OnceLock<Mutex<HashMap<u64, (String, T)>>>;

/// `f(text)`, computed once per distinct `text` for this memo.
pub fn get<T: Clone>(memo: &'static Memo<T>, text: &str, f: impl FnOnce(&str) -> T) -> T {
    let key = BuildHasherDefault::<DefaultHasher>::default().hash_one(text);
    let table = memo.get_or_init(Default::default);
    if let Some((t, v)) = table.lock().unwrap_or_else(|e| e.into_inner()).get(&key)
        && t == text
    {
        return v.clone();
    }
    let v = f(text);
    let mut t = table.lock().unwrap_or_else(|e| e.into_inner());
    if t.len() >= MAX {
        t.clear();
    }
    t.insert(key, (text.to_string(), v.clone()));
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn computes_once_per_text_and_tells_texts_apart() {
        static MEMO: Memo<usize> = OnceLock::new();
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let len = |t: &str| {
            CALLS.fetch_add(1, Ordering::SeqCst);
            t.len()
        };
        assert_eq!(get(&MEMO, "abc", len), 3);
        assert_eq!(get(&MEMO, "abc", len), 3);
        assert_eq!(get(&MEMO, "abcd", len), 4);
        assert_eq!(CALLS.load(Ordering::SeqCst), 2);
    }
}
