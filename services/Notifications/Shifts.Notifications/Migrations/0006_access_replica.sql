-- The version of the last MembershipChanged applied per membership, kept after a removal too:
-- the memberships replica decides who may read an organisation's delivery log, and consumers
-- run concurrently and retry, so an older change (a demotion) may arrive after a newer one (the
-- promotion that followed), and must then change nothing. Erased people are already in
-- erased_recipients (0002), which the access check reads too.
CREATE TABLE membership_versions (
    volunteer_id  uuid   NOT NULL,
    org           text   NOT NULL,
    version       bigint NOT NULL,
    PRIMARY KEY (volunteer_id, org)
);
