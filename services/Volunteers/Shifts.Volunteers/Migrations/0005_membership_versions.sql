-- Every MembershipChanged carries a version from this sequence, taken while the membership row is
-- locked by the change's transaction: so for one membership the versions grow in commit order,
-- and the replicas (events, notifications) apply a change only if it is newer than the last one,
-- whatever order concurrent consumers and retries deliver them in. One sequence for all
-- memberships is enough: only the order within one membership matters.
CREATE SEQUENCE membership_versions AS bigint;
