-- Signing keys of access tokens (ES256). In production the key comes from configuration
-- (Auth:SigningKey) and only its public half is recorded here, so that it stays published after a
-- rotation; for local runs a key is generated once and kept here with its private half.
CREATE TABLE signing_keys (
    kid          text        PRIMARY KEY,
    public_key   text        NOT NULL,  -- SubjectPublicKeyInfo, PEM
    private_key  text        NULL,      -- PKCS#8, PEM; NULL for a key from configuration
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz NULL
);

-- One current key at a time, whatever two replicas starting together do.
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((true)) WHERE retired_at IS NULL;

-- What an organisation tells coordinators ahead of short-staffed shifts.
ALTER TABLE organisations
    ADD COLUMN gap_alert_lead_times interval[] NOT NULL DEFAULT ARRAY[interval '48 hours', interval '24 hours'],
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Profile and notification preferences. Quiet hours are local wall-clock times in the
-- organisation's time zone; both ends or neither.
ALTER TABLE volunteers
    ADD COLUMN phone               text       NULL CHECK (length(phone) <= 40),
    ADD COLUMN email_reminders     boolean    NOT NULL DEFAULT true,
    ADD COLUMN reminder_lead_times interval[] NOT NULL DEFAULT ARRAY[interval '24 hours', interval '2 hours'],
    ADD COLUMN quiet_hours_from    time       NULL,
    ADD COLUMN quiet_hours_to      time       NULL,
    ADD COLUMN updated_at          timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT volunteers_quiet_hours_both CHECK ((quiet_hours_from IS NULL) = (quiet_hours_to IS NULL));

-- The member list is sorted by name; its keyset walks this index.
CREATE INDEX volunteers_name ON volunteers (lower(name), id);

-- A person's role in one organisation; one person may belong to several with different roles.
CREATE TABLE memberships (
    volunteer_id  uuid        NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    org_id        uuid        NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role          text        NOT NULL CHECK (role IN ('helper', 'coordinator', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (volunteer_id, org_id)
);

CREATE INDEX memberships_org ON memberships (org_id, role);

-- What an organisation recognises (first aid, awareness training, ...); codes are what shifts require.
CREATE TABLE qualifications (
    org_id      uuid        NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    code        text        NOT NULL CHECK (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(code) <= 50),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, code)
);

-- Who holds which qualification in which organisation. Leaving the organisation drops them.
CREATE TABLE member_qualifications (
    volunteer_id  uuid        NOT NULL,
    org_id        uuid        NOT NULL,
    code          text        NOT NULL,
    granted_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (volunteer_id, org_id, code),
    FOREIGN KEY (volunteer_id, org_id) REFERENCES memberships (volunteer_id, org_id) ON DELETE CASCADE,
    FOREIGN KEY (org_id, code) REFERENCES qualifications (org_id, code) ON DELETE CASCADE
);

CREATE INDEX member_qualifications_code ON member_qualifications (org_id, code);

-- GDPR art. 9: every coordinator read of members' contact details is recorded: who, where, when,
-- what kind of read and how many people it showed. Not which people, and not the search text:
-- the log must not become a second copy of the data it protects. accessor_id is the token's
-- subject as presented, deliberately without a foreign key (the log records what was claimed);
-- erasing a coordinator anonymises their rows (accessor_id NULL) rather than deleting them.
CREATE TABLE contact_access_log (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    accessor_id   uuid        NULL,
    org_id        uuid        NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    action        text        NOT NULL CHECK (action IN ('list', 'search', 'read', 'add')),
    member_count  integer     NOT NULL CHECK (member_count >= 0),
    accessed_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX contact_access_log_org ON contact_access_log (org_id, accessed_at);
CREATE INDEX contact_access_log_accessor ON contact_access_log (accessor_id);
