-- NTLM needs a password-equivalent secret (the NT hash) per user; it is stored sealed
-- (AES-256-GCM with a key kept outside the database, see src/ntlm/secret.rs). Version 3:
-- version 2 is reserved for the import work. Keep in step with sqlite/0003_ntlm.sql.
CREATE TABLE ntlm_secrets (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed  BYTEA NOT NULL
);
