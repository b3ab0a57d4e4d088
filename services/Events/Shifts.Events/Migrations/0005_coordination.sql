-- The coordinators' tools (Coordination/).

-- The person's language, for the candidates list ("speaks German"); fed by VolunteerRegistered and
-- VolunteerProfileChanged like the name. Null until the first such message arrives.
ALTER TABLE volunteers ADD COLUMN locale text NULL;

-- A coordinator may put someone on a full shift on purpose (POST …/assignments with
-- exceedCapacity): the shift's capacity is raised by one in the same transaction, so the CHECK
-- shifts_never_over_capacity still holds, and this row says who did it, when and why.
CREATE TABLE capacity_overrides (
    id           uuid        PRIMARY KEY,
    shift_id     uuid        NOT NULL REFERENCES shifts (id),
    claim_id     uuid        NOT NULL REFERENCES claims (id),
    assigned_by  uuid        NOT NULL,
    reason       text        NULL CHECK (length(reason) <= 500),
    capacity     integer     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX capacity_overrides_shift ON capacity_overrides (shift_id);

-- Who put a claim there when it was not the person themselves.
ALTER TABLE claims ADD COLUMN assigned_by uuid NULL;
ALTER TABLE claims ADD COLUMN removal_note text NULL CHECK (length(removal_note) <= 500);

-- The gap list reads an organisation's published, open shifts of the coming days.
CREATE INDEX shifts_org_open_starts ON shifts (org, starts_at) WHERE status = 'open' AND event_status = 'published';
