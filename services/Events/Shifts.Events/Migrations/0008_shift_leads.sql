-- Shift leads (Attendance/ShiftLeadsApi): people a coordinator names to run a shift on the day. A
-- lead of any shift of an event may check in (or mark as no-show) the people of that event's
-- shifts and read its check-in list, as long as they are a member of the organisation.
CREATE TABLE shift_leads (
    shift_id      uuid        NOT NULL REFERENCES shifts (id),
    volunteer_id  uuid        NOT NULL,
    -- The coordinator who named them; NULL once that coordinator is erased.
    named_by      uuid        NULL,
    named_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shift_id, volunteer_id)
);

CREATE INDEX shift_leads_volunteer ON shift_leads (volunteer_id);
