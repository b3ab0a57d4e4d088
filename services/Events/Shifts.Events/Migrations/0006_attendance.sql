-- Attendance: coordinators check people in on the day, or mark them as not having come.
-- A claim is either checked in, or a no-show, or neither (not yet seen); never both.
ALTER TABLE claims
    ADD COLUMN checked_in_at  timestamptz NULL,
    -- The coordinator who checked the person in (forgotten when that coordinator is erased).
    ADD COLUMN checked_in_by  uuid        NULL,
    ADD COLUMN no_show        boolean     NOT NULL DEFAULT false,
    ADD CONSTRAINT claims_checked_in_or_no_show CHECK (NOT (no_show AND checked_in_at IS NOT NULL));

-- The hours list: an organisation's confirmed claims by the end of their shift.
CREATE INDEX shifts_org_ends ON shifts (org, ends_at);
