// The block returns from the test itself when PostgreSQL is missing (the skip).
vigie_store::store_conformance_suite!({
    let store = crate::store_or_skip!();
    ::std::future::ready(store)
});
