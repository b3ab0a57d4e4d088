-- The limit the HTTP claim rush is compared with (./shifts bench, scenario 1): the minimum a claim
-- that gets its place must write, in one transaction:
--   1. the conditional UPDATE that takes the place (it fails when the shift is full, cancelled or
--      unpublished; its row lock orders concurrent claims of one shift),
--   2. the claim row, checked by its constraints (one claim per person and shift; a person's
--      confirmed claims never overlap: the exclusion constraint on `during`),
--   3. the outbox row that publishes ShiftClaimed once the transaction commits.
-- Nothing else: no savepoint, no waitlist step, no NOTIFY (the service wakes its relay in-process
-- after the commit). bench/claim-notify.pgbench.sql, the transaction with the NOTIFY it had until
-- 2026-12, runs in the same run as a second reference.
--
-- It runs against copies of the tables (schema bench_limit: same columns, indexes, constraints,
-- in the same database; search_path is set by the benchmark) so its outbox rows are not relayed
-- and its claims do not touch the shifts the HTTP run uses. Variables (set with -D): :shifts (how
-- many shifts), :body (a ShiftClaimed as the outbox stores it; a parameter, as in the service).
\set n random(1, :shifts)
SELECT id AS shift_id, starts_at AS starts, ends_at AS ends FROM shift_numbers WHERE n = :n \gset
BEGIN;
UPDATE shifts SET confirmed = confirmed + 1, updated_at = now()
WHERE id = :shift_id AND confirmed < capacity AND status = 'open' AND event_status = 'published';
INSERT INTO claims (id, shift_id, volunteer_id, status, during)
VALUES (gen_random_uuid(), :shift_id, gen_random_uuid(), 'confirmed', tstzrange(:starts, :ends, '[)'));
INSERT INTO outbox_messages (id, message_type, body, trace_parent)
VALUES (gen_random_uuid(), 'Shifts.Contracts.ShiftClaimed', :body, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
COMMIT;
