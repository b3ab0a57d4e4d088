-- A coordinator's invitation to one person for one shift (Invitations/). Only the hash of the
-- mailed token is kept; the token itself travels once, in ShiftInvitationSent, to the mail.
CREATE TABLE shift_invitations (
    id            uuid        PRIMARY KEY,
    shift_id      uuid        NOT NULL REFERENCES shifts (id),
    volunteer_id  uuid        NOT NULL,
    invited_by    uuid        NOT NULL,
    message       text        NULL CHECK (length(message) <= 1000),
    token_hash    bytea       NOT NULL UNIQUE,
    expires_at    timestamptz NOT NULL,
    -- 'expired' is written only when a newer invitation replaces a lapsed one; a lapsed 'sent' is
    -- reported as expired from expires_at.
    state         text        NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'accepted', 'declined', 'expired')),
    claim_id      uuid        NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    answered_at   timestamptz NULL
);

-- One open invitation per person and shift.
CREATE UNIQUE INDEX shift_invitations_open ON shift_invitations (shift_id, volunteer_id) WHERE state = 'sent';
CREATE INDEX shift_invitations_volunteer ON shift_invitations (volunteer_id, state);
