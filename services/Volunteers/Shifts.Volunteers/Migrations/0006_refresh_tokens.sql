-- Sessions that can end. A login (a login link exchanged) opens a family; each refresh spends the
-- family's current refresh token and adds the next one. The family is the session: logging out,
-- "log out everywhere", a reused (spent) token, removal from the last organisation and erasure all
-- revoke families. Refreshing checks the family row in the same statement that spends the token,
-- so a token issued a moment before its family was revoked cannot be used either.
CREATE TABLE refresh_families (
    id            uuid        PRIMARY KEY,
    volunteer_id  uuid        NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,  -- the absolute limit: no refresh extends a session past it
    revoked_at    timestamptz NULL
);

CREATE INDEX refresh_families_volunteer ON refresh_families (volunteer_id);

-- The tokens themselves are 32 random bytes that only the client holds; we keep their SHA-256.
-- Spent tokens stay until their family goes, so that presenting one again is recognised as reuse.
CREATE TABLE refresh_tokens (
    token_hash    bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    family_id     uuid        NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    volunteer_id  uuid        NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    spent_at      timestamptz NULL,
    revoked_at    timestamptz NULL
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_volunteer ON refresh_tokens (volunteer_id);
