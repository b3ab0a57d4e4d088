-- The second reference of ./shifts bench, scenario 1: the events service's claim transaction as
-- it was until 2026-12 (services/Events/Shifts.Events/Staffing/Places.cs, TakeAsync, and the
-- outbox's EnqueueAsync of then): the savepoint, the conditional UPDATE that takes the place, the
-- claim row (checked by the unique and exclusion constraints), leaving the waitlist, and the
-- outbox row with a pg_notify for the relays, in one transaction. PostgreSQL serialises the
-- commits of all transactions that notified, so this measures what that NOTIFY cost; the limit
-- the HTTP claim rush is compared with is bench/claim.pgbench.sql (the minimum, no NOTIFY).
--
-- It runs against copies of the tables (schema bench_limit: same columns, indexes, constraints,
-- in the same database; search_path is set by the benchmark) so its outbox rows are not relayed
-- and its claims do not touch the shifts the HTTP run uses. Variables (set with -D): :shifts (how
-- many shifts), :body (a ShiftClaimed as the outbox stores it; a parameter, as in the service).
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
