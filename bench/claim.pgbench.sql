-- The events service's claim transaction, for pgbench: the limit the HTTP claim rush is compared
-- with (./shifts bench, scenario 1). Statement for statement what a claim that gets its place
-- writes (services/Events/Shifts.Events/Claims/Places.cs, TakeAsync, and
-- services/BuildingBlocks/Shifts.Messaging/Outbox/Outbox.cs, EnqueueAsync): the savepoint, the
-- conditional UPDATE that takes the place, the claim row (checked by the unique and exclusion
-- constraints), leaving the waitlist, and the outbox row with its NOTIFY, in one transaction.
--
-- It runs against copies of the tables (schema bench_limit: same columns, indexes, constraints,
-- in the same database; search_path is set by the benchmark) so its outbox rows are not relayed
-- and its claims do not touch the shifts the HTTP run uses. Variables (set with -D): :shifts (how
-- many shifts), :body (a ShiftClaimed as the outbox stores it; a parameter, as in the service).
-- Not included: the reads the service does before (the shift's state, an existing claim, the
-- shift's details for the event), which make the HTTP path do more work than this.
\set n random(1, :shifts)
SELECT id AS shift_id, starts_at AS starts, ends_at AS ends FROM shift_numbers WHERE n = :n \gset
BEGIN;
SAVEPOINT take_place;
UPDATE shifts SET confirmed = confirmed + 1, updated_at = now()
WHERE id = :shift_id AND confirmed < capacity AND status = 'open' AND event_status = 'published';
INSERT INTO claims (id, shift_id, volunteer_id, status, during)
VALUES (gen_random_uuid(), :shift_id, gen_random_uuid(), 'confirmed', tstzrange(:starts, :ends, '[)'))
ON CONFLICT (shift_id, volunteer_id) DO UPDATE
    SET status = 'confirmed', during = excluded.during, created_at = now(), cancelled_at = NULL, cancel_reason = NULL
    WHERE claims.status = 'cancelled'
RETURNING id, created_at;
WITH left_list AS (
    DELETE FROM waitlist_entries WHERE shift_id = :shift_id AND volunteer_id = gen_random_uuid() RETURNING 1
)
UPDATE shifts SET waitlisted = waitlisted - (SELECT count(*) FROM left_list) WHERE id = :shift_id AND EXISTS (SELECT 1 FROM left_list);
INSERT INTO outbox_messages (id, message_type, body, trace_parent)
VALUES (gen_random_uuid(), 'Shifts.Contracts.ShiftClaimed', :body, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
SELECT pg_notify('shifts_outbox', '');
COMMIT;
