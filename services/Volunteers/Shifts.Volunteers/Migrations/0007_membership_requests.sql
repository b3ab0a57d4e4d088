-- Consent before membership (double opt-in). A sign-up or a coordinator's invitation is only a
-- request until the owner of the address confirms it with the mailed link; nothing about the
-- address reaches memberships (or the organisation) before that. The token is stored only as its
-- SHA-256 hash. Rows are deleted when confirmed, withdrawn or expired (housekeeping erases them,
-- it does not flag them): an unconfirmed request leaves nothing behind.
CREATE TABLE membership_requests (
    id              uuid        PRIMARY KEY,
    token_hash      bytea       NOT NULL UNIQUE,
    org_id          uuid        NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    -- 'signup': the person asked themselves; 'invitation': a coordinator typed the address.
    kind            text        NOT NULL CHECK (kind IN ('signup', 'invitation')),
    email           text        NOT NULL CHECK (length(email) <= 254),
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    locale          text        NOT NULL CHECK (locale IN ('de', 'en')),
    role            text        NOT NULL CHECK (role IN ('helper', 'coordinator', 'admin')),
    qualifications  text[]      NOT NULL DEFAULT '{}',
    -- The coordinator who invited (as their token said, no foreign key, like contact_access_log);
    -- NULL for a sign-up, or once the coordinator was erased.
    requested_by    uuid        NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);

-- A repeated request for the same address and organisation replaces the pending one.
CREATE UNIQUE INDEX membership_requests_one_pending ON membership_requests (org_id, lower(email), kind);
CREATE INDEX membership_requests_expires ON membership_requests (expires_at);
CREATE INDEX membership_requests_requested_by ON membership_requests (requested_by) WHERE requested_by IS NOT NULL;

-- A change of address waits here until it is confirmed from the new address; one per person.
CREATE TABLE email_changes (
    volunteer_id  uuid        PRIMARY KEY REFERENCES volunteers (id) ON DELETE CASCADE,
    token_hash    bytea       NOT NULL UNIQUE,
    new_email     text        NOT NULL CHECK (length(new_email) <= 254),
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX email_changes_expires ON email_changes (expires_at);

-- Leaving and removal are part of the contact-access record like additions were.
ALTER TABLE contact_access_log DROP CONSTRAINT contact_access_log_action_check;
ALTER TABLE contact_access_log ADD CONSTRAINT contact_access_log_action_check
    CHECK (action IN ('list', 'search', 'read', 'add', 'invitations'));
