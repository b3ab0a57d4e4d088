-- What the events service needs to authorise from current state rather than from the token.

-- Erased people, by id alone (no name, nothing else): every token of theirs gets 401 here, and a
-- message about them that arrives after the erasure (a late membership, a profile change that
-- overtook it) re-creates nothing.
CREATE TABLE erased_volunteers (
    id         uuid        PRIMARY KEY,
    erased_at  timestamptz NOT NULL DEFAULT now()
);

-- The version of the last MembershipChanged applied per membership, kept after a removal too:
-- consumers run concurrently and retry, so an older change (a demotion) may arrive after a newer
-- one (the promotion that followed), and must then change nothing.
CREATE TABLE membership_versions (
    volunteer_id  uuid   NOT NULL,
    org           text   NOT NULL,
    version       bigint NOT NULL,
    PRIMARY KEY (volunteer_id, org)
);
