-- People and organisations. Contact details live here and nowhere else (docs/architecture.md).
CREATE TABLE volunteers (
    id                 uuid        PRIMARY KEY,
    email              text        NOT NULL CHECK (length(email) <= 254),
    name               text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    locale             text        NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'en')),
    is_platform_admin  boolean     NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- Addresses are compared case-insensitively: Anna@Example.org and anna@example.org are one person.
CREATE UNIQUE INDEX volunteers_email ON volunteers (lower(email));

CREATE TABLE organisations (
    id                     uuid        PRIMARY KEY,
    slug                   text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    name                   text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    time_zone              text        NOT NULL DEFAULT 'Europe/Berlin',
    cancellation_deadline  interval    NOT NULL DEFAULT interval '24 hours',
    created_at             timestamptz NOT NULL DEFAULT now()
);

-- A login link's token is stored only as its SHA-256 hash: a leaked table logs nobody in.
CREATE TABLE login_links (
    token_hash    bytea       PRIMARY KEY,
    volunteer_id  uuid        NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_links_volunteer ON login_links (volunteer_id, created_at);
