-- Calendar feeds: a private iCal URL per person, and what a calendar needs to see a shift change.

-- The feed's secret is never stored. Its token is HMAC-SHA256(feed key, nonce) with 32 random
-- bytes of nonce: the service can show a person their URL again (GET /api/me/calendar), while the
-- database alone holds only the nonce and the token's SHA-256, which is how a presented token is
-- found. Rotating replaces both, so the old URL finds nothing.
CREATE TABLE calendar_feeds (
    volunteer_id  uuid        PRIMARY KEY,
    nonce         bytea       NOT NULL CHECK (length(nonce) = 32),
    token_hash    bytea       NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    rotated_at    timestamptz NULL
);

-- The feed key when Calendar:FeedKey is not configured (local runs, tests): generated once, here,
-- so every replica and every restart derives the same URLs. With it here, a copy of the database
-- can derive the feed URLs; production configures the key instead.
CREATE TABLE calendar_feed_key (
    only_row    boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    key         bytea       NOT NULL CHECK (length(key) = 32),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- RFC 5545 SEQUENCE and DTSTAMP of a shift's calendar entry: a calendar keeps the entry with the
-- highest SEQUENCE for a UID, so it must rise with every change a person has to see. Triggers
-- rather than each UPDATE: shifts move by PATCH, by their event's reschedule, by cancellation of
-- the shift or of the event, and a way added later cannot forget to count.
ALTER TABLE shifts
    ADD COLUMN calendar_sequence    integer     NOT NULL DEFAULT 0,
    ADD COLUMN calendar_revised_at  timestamptz NOT NULL DEFAULT now();

-- Times, title and status (cancelled, postponed: the event's status is copied to its shifts).
-- The confirmed and waitlisted counters change with every claim and count for nothing here.
CREATE FUNCTION shifts_calendar_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.starts_at IS DISTINCT FROM OLD.starts_at OR NEW.ends_at IS DISTINCT FROM OLD.ends_at
       OR NEW.title IS DISTINCT FROM OLD.title
       OR NEW.status IS DISTINCT FROM OLD.status OR NEW.event_status IS DISTINCT FROM OLD.event_status THEN
        NEW.calendar_sequence := OLD.calendar_sequence + 1;
        NEW.calendar_revised_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER shifts_calendar_revision
    BEFORE UPDATE OF starts_at, ends_at, title, status, event_status ON shifts
    FOR EACH ROW EXECUTE FUNCTION shifts_calendar_revision();

-- The place and the event's title are the event's: a change revises each of its shifts' entries.
CREATE FUNCTION events_calendar_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shifts SET calendar_sequence = calendar_sequence + 1, calendar_revised_at = now()
    WHERE event_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_calendar_revision
    AFTER UPDATE OF title, location_name, location_address ON events
    FOR EACH ROW
    WHEN (NEW.title IS DISTINCT FROM OLD.title
          OR NEW.location_name IS DISTINCT FROM OLD.location_name
          OR NEW.location_address IS DISTINCT FROM OLD.location_address)
    EXECUTE FUNCTION events_calendar_revision();
