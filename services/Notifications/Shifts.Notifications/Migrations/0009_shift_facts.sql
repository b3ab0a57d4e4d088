-- Messages about one shift reach this service on different queues (a claim on
-- notifications-claim-consumers, a change on notifications-change-notice-consumers), so in any
-- order: a ShiftClaimed may be processed after a later ShiftChanged. The events service counts
-- every change a person sees in the shift's revision (its calendar SEQUENCE, migration 0004 there),
-- and each message carries it; here the newest facts known about each shift are kept, so that an
-- older message never overwrites newer times, and a claim learnt late takes the newest ones.
--
-- Details (titles, place, times) and status order separately: not every message says the status.
-- status is NULL while no message about the shift's status (postponed, rescheduled, cancelled) has
-- been seen; status_revision is the revision of the message that set it. 'cancelled' is final.
CREATE TABLE shift_facts (
    shift_id          uuid        PRIMARY KEY,
    event_id          uuid        NOT NULL,
    org               text        NOT NULL,
    event_title       text        NOT NULL,
    shift_title       text        NOT NULL,
    location_name     text        NOT NULL,
    location_address  text        NULL,
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    revision          bigint      NOT NULL,
    status            text        NULL CHECK (status IN ('open', 'postponed', 'cancelled')),
    status_revision   bigint      NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX shift_facts_event ON shift_facts (event_id);
CREATE INDEX shift_facts_ends_at ON shift_facts (ends_at);

-- The revision of the shift facts a claim's copy (and so its reminders) was computed from.
ALTER TABLE claims ADD COLUMN revision bigint NOT NULL DEFAULT 0;
