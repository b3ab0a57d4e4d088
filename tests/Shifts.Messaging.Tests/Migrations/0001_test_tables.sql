-- The tables of the two test services. Every test database gets all of them; each side uses its own.

-- Slow on purpose, like a real migration that builds an index: replicas that start together are
-- then sure to overlap while it runs, which is what the migrator test needs to prove its lock.
SELECT pg_sleep(0.5);

-- The sending service's business change, committed (or rolled back) together with its outbox message.
CREATE TABLE registrations (
    volunteer_id  uuid PRIMARY KEY,
    email         text NOT NULL
);

-- The receiving service's effect. No unique key on purpose: an effect that happened twice shows as two rows.
CREATE TABLE effects (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    uuid NOT NULL,
    volunteer_id  uuid NOT NULL
);

-- One row per run of this script: the migrator test expects exactly one, however many hosts start together.
CREATE TABLE migration_runs (
    backend_pid   int         NOT NULL DEFAULT pg_backend_pid(),
    ran_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO migration_runs DEFAULT VALUES;
