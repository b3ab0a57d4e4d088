-- What the reminders need to know about each claim: whose it is and which shift, when and where,
-- kept current by claim, shift and event messages, so reminders can be recomputed when the shift
-- moves or the person's preferences change. A cancelled claim stays as a tombstone, so that a
-- ShiftClaimed processed after its ClaimCancelled schedules nothing.
CREATE TABLE claims (
    claim_id          uuid        PRIMARY KEY,
    volunteer_id      uuid        NOT NULL,
    shift_id          uuid        NOT NULL,
    event_id          uuid        NOT NULL,
    org               text        NOT NULL,
    event_title       text        NOT NULL,
    shift_title       text        NOT NULL,
    location_name     text        NOT NULL,
    location_address  text        NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    status            text        NOT NULL CHECK (status IN ('active', 'postponed', 'cancelled')),
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX claims_shift ON claims (shift_id);
CREATE INDEX claims_event ON claims (event_id);
CREATE INDEX claims_volunteer ON claims (volunteer_id);
CREATE INDEX claims_ends_at ON claims (ends_at);

-- The durable reminder schedule: one row per claim and lead time. due_at is when it goes out
-- (start - lead, moved earlier out of quiet hours); starts_at is the shift start it was computed
-- for, so a reminder already sent is sent again only if the shift moved. ReminderScheduler takes
-- due 'pending' rows with FOR UPDATE SKIP LOCKED, so replicas share the work.
CREATE TABLE reminders (
    claim_id    uuid        NOT NULL REFERENCES claims (claim_id) ON DELETE CASCADE,
    lead        interval    NOT NULL,
    due_at      timestamptz NOT NULL,
    starts_at   timestamptz NOT NULL,
    status      text        NOT NULL CHECK (status IN ('pending', 'done', 'skipped', 'cancelled')),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (claim_id, lead)
);

CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';
