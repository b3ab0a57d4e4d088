-- The people this service mails, as the volunteers service announces them: address, display
-- name, language and notification preferences. Nothing more (ARCHITECTURE: the volunteers service
-- owns people; this is a replica kept current by its integration events).
CREATE TABLE recipients (
    id                   uuid        PRIMARY KEY,
    email                text        NOT NULL,
    display_name         text        NOT NULL,
    locale               text        NOT NULL,
    email_reminders      boolean     NOT NULL DEFAULT true,
    -- NULL: the person chose nothing, and the defaults apply (24 h and 2 h before a shift).
    reminder_lead_times  interval[]  NULL,
    -- Local time in the organisation's zone; both NULL when the person keeps no quiet hours.
    quiet_from           time        NULL,
    quiet_to             time        NULL,
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Organisation and role, for gap alerts (coordinators and admins) and the welcome mail (a first
-- membership). No foreign key: a membership may arrive before the person's registration.
CREATE TABLE memberships (
    volunteer_id  uuid NOT NULL,
    org           text NOT NULL,
    role          text NOT NULL CHECK (role IN ('helper', 'coordinator', 'admin')),
    PRIMARY KEY (volunteer_id, org)
);

CREATE INDEX memberships_org_role ON memberships (org, role);

-- Erased people, by id alone: a message about them that arrives after the erasure (a late
-- registration, a claim released because of the erasure) re-creates nothing and mails nobody.
CREATE TABLE erased_recipients (
    id         uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);

-- Organisations: the name mails show, and the IANA time zone every time in a mail is shown in.
CREATE TABLE organisations (
    slug        text        PRIMARY KEY,
    name        text        NOT NULL,
    time_zone   text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
