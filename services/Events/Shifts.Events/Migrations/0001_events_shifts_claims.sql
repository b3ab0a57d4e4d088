-- The events service's schema. The invariants of docs/architecture.md are enforced here, by
-- PostgreSQL, not only by the code: a shift is never over capacity, a volunteer never holds two
-- confirmed claims that overlap in time, and holds at most one claim per shift.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Replicas of what the volunteers service owns, fed by its integration events. A claim needs
-- no synchronous call: membership, qualifications and the organisation's rules are here.
CREATE TABLE organisations (
    slug                   text        PRIMARY KEY,
    name                   text        NOT NULL,
    time_zone              text        NOT NULL DEFAULT 'Europe/Berlin',
    cancellation_deadline  interval    NOT NULL DEFAULT interval '24 hours',
    gap_alert_lead_times   interval[]  NOT NULL DEFAULT ARRAY[interval '48 hours', interval '24 hours'],
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE volunteers (
    id            uuid        PRIMARY KEY,
    display_name  text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    volunteer_id  uuid NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    org           text NOT NULL,
    role          text NOT NULL CHECK (role IN ('helper', 'coordinator', 'admin')),
    PRIMARY KEY (volunteer_id, org)
);

CREATE TABLE qualifications (
    volunteer_id  uuid NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    org           text NOT NULL,
    code          text NOT NULL,
    PRIMARY KEY (volunteer_id, org, code)
);

-- A weekly series (the Saturday info stand): the rule, and the occurrences as ordinary events.
CREATE TABLE series (
    id          uuid        PRIMARY KEY,
    org         text        NOT NULL,
    rule        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
    id                uuid        PRIMARY KEY,
    org               text        NOT NULL,
    series_id         uuid        NULL REFERENCES series (id),
    title             text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    kind              text        NOT NULL,
    description       text        NULL CHECK (length(description) <= 4000),
    location_name     text        NOT NULL CHECK (length(location_name) BETWEEN 1 AND 200),
    location_address  text        NULL CHECK (length(location_address) <= 300),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    status            text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'postponed', 'cancelled')),
    status_reason     text        NULL CHECK (length(status_reason) <= 1000),
    created_by        uuid        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);

CREATE INDEX events_org_starts ON events (org, starts_at, id);
CREATE INDEX events_series ON events (series_id) WHERE series_id IS NOT NULL;

CREATE TABLE shifts (
    id                      uuid        PRIMARY KEY,
    event_id                uuid        NOT NULL REFERENCES events (id),
    -- Copied from the event so the open-shift list is one index range scan, whatever the filters.
    org                     text        NOT NULL,
    kind                    text        NOT NULL,
    event_status            text        NOT NULL,
    title                   text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at               timestamptz NOT NULL,
    ends_at                 timestamptz NOT NULL,
    capacity                integer     NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    minimum                 integer     NOT NULL CHECK (minimum >= 0),
    required_qualification  text        NULL,
    newcomer_friendly       boolean     NOT NULL DEFAULT false,
    status                  text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    -- The number of confirmed claims, changed only in the claim's own transaction by a
    -- conditional UPDATE (... WHERE confirmed < capacity). The CHECK is the last line of defence.
    confirmed               integer     NOT NULL DEFAULT 0,
    waitlisted              integer     NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (minimum <= capacity),
    CONSTRAINT shifts_never_over_capacity CHECK (confirmed BETWEEN 0 AND capacity)
);

-- The open-shift list: keyset pages over (starts_at, id) of one organisation's bookable shifts.
CREATE INDEX shifts_bookable ON shifts (org, starts_at, id) WHERE status = 'open' AND event_status = 'published';
CREATE INDEX shifts_event ON shifts (event_id, starts_at);

CREATE TABLE claims (
    id               uuid        PRIMARY KEY,
    shift_id         uuid        NOT NULL REFERENCES shifts (id),
    volunteer_id     uuid        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
    -- The shift's time, kept here so the exclusion constraint can see it; moves with the shift.
    during           tstzrange   NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    cancelled_at     timestamptz NULL,
    cancel_reason    text        NULL CHECK (cancel_reason IN ('self', 'late', 'coordinator', 'event-cancelled', 'shift-cancelled', 'reschedule-conflict', 'erased')),
    CONSTRAINT claims_one_per_volunteer_and_shift UNIQUE (shift_id, volunteer_id),
    -- Deferrable so that a reschedule can move all of an event's claims in one statement and be
    -- checked at commit; claims themselves are checked at once (INITIALLY IMMEDIATE).
    CONSTRAINT claims_never_overlap EXCLUDE USING gist (volunteer_id WITH =, during WITH &&)
        WHERE (status = 'confirmed') DEFERRABLE INITIALLY IMMEDIATE
);

CREATE INDEX claims_volunteer ON claims (volunteer_id, lower(during));

CREATE TABLE waitlist_entries (
    shift_id      uuid        NOT NULL REFERENCES shifts (id),
    volunteer_id  uuid        NOT NULL,
    position      bigint      GENERATED ALWAYS AS IDENTITY,
    joined_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shift_id, volunteer_id)
);

CREATE INDEX waitlist_order ON waitlist_entries (shift_id, position);
CREATE INDEX waitlist_volunteer ON waitlist_entries (volunteer_id);

-- Idempotency-Key: the first answer to a (volunteer, key) is stored and replayed to retries.
CREATE TABLE idempotency_keys (
    volunteer_id  uuid        NOT NULL,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request       text        NOT NULL,
    status_code   integer     NULL,
    response      jsonb       NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (volunteer_id, key)
);
