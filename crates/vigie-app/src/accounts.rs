//! Accounts: argon2id passwords, browser sessions and API tokens (their secrets made here,
//! shown once, kept by the store as SHA-256). What every channel that signs people in
//! shares; the HTTP specifics (cookies, CSRF, the caller of a request) stay in the server.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use chrono::Utc;
use sha2::{Digest, Sha256};
use vigie_store::{ApiToken, Session, TokenScope};

/// How long a browser session lasts.
pub const SESSION_HOURS: i64 = 12;
/// What every API token starts with: `vgt_<id>_<secret>`.
pub const TOKEN_PREFIX: &str = "vgt_";

/// `n` random bytes from the operating system.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).expect("the operating system's random source failed");
    b
}

/// URL-safe base64 without padding.
pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of `data`: how the store keeps session and token secrets.
pub fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// An argon2id hash (PHC string) of `password`.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes(16)).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that a wrong user name
/// costs as much time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not the password of anyone"))
}

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a new password against the rule (10 characters or more); the reason when not.
pub fn password_problem(password: &str) -> Option<String> {
    (password.chars().count() < MIN_PASSWORD_CHARS)
        .then(|| format!("a password needs at least {MIN_PASSWORD_CHARS} characters"))
}

/// Creates and stores an API token for `user` (unaudited: for the command line's own
/// accounts and tests); returns the stored token and the secret to show once.
pub async fn issue_token(
    store: &dyn vigie_store::Store,
    user: &str,
    name: &str,
    scope: TokenScope,
    days: i64,
) -> Result<(ApiToken, String), vigie_store::StoreError> {
    let (token, secret) = new_token(user, name, scope, days);
    store.create_token(&token, None).await?;
    Ok((token, secret))
}

/// A new API token for `user`, not yet stored, and the secret to show once.
pub fn new_token(user: &str, name: &str, scope: TokenScope, days: i64) -> (ApiToken, String) {
    let id: String = random_bytes(6).iter().map(|b| format!("{b:02x}")).collect();
    let secret = b64(&random_bytes(32));
    let now = Utc::now();
    let token = ApiToken {
        id: id.clone(),
        user_id: user.to_string(),
        name: name.to_string(),
        secret_hash: sha256(secret.as_bytes()),
        scope,
        created_at: now,
        expires_at: now + chrono::Duration::days(days),
        revoked_at: None,
    };
    (token, format!("{TOKEN_PREFIX}{id}_{secret}"))
}

/// A new browser session for `user`, not yet stored, and the cookie's token.
pub fn new_session(user: &str) -> (Session, String) {
    let token = b64(&random_bytes(32));
    let now = Utc::now();
    let session = Session {
        token_hash: sha256(token.as_bytes()),
        user_id: user.to_string(),
        csrf: b64(&random_bytes(24)),
        created_at: now,
        expires_at: now + chrono::Duration::hours(SESSION_HOURS),
    };
    (session, token)
}
