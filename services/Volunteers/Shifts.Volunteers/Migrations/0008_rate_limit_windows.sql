-- Token buckets instead of fixed 15-minute windows (0003): a fixed window locked a whole room out
-- until the window ended (Retry-After: 823), and a Retry-After taken from a window boundary was
-- not a promise. A bucket holds up to its capacity in tokens and refills continuously at
-- capacity per window; a request takes one token from every bucket it counts in, or from none.
-- So the wait a refused client is told (the time until every bucket has a token again) is true:
-- a client that waits that long gets through, unless others took the tokens meanwhile.
-- A bucket is a purpose and a SHA-256 of the address, organisation or client IP (never the value
-- itself). A bucket untouched for a window is full again, so LoginHousekeeping deletes it.
DROP TABLE rate_limits;

CREATE TABLE rate_limit_buckets (
    bucket      text             PRIMARY KEY,
    tokens      double precision NOT NULL,
    updated_at  timestamptz      NOT NULL
);

CREATE INDEX rate_limit_buckets_updated ON rate_limit_buckets (updated_at);

-- Takes one token from each bucket (capacities[i] tokens per window_seconds), all or nothing,
-- atomically under concurrency across replicas: rows are locked in bucket order, so two requests
-- sharing buckets never deadlock. Returns 0 when taken, else the seconds until every bucket named
-- has a token again (nothing is taken then: a refused request costs the client nothing).
-- at_time comes from the caller (the service's TimeProvider) so tests can move the clock.
CREATE FUNCTION rate_limit_take(buckets text[], capacities double precision[], at_time timestamptz, window_seconds double precision)
RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
    wait double precision;
BEGIN
    INSERT INTO rate_limit_buckets (bucket, tokens, updated_at)
    SELECT b, c, at_time FROM unnest(buckets, capacities) AS t(b, c)
    ON CONFLICT (bucket) DO NOTHING;

    PERFORM 1 FROM rate_limit_buckets WHERE bucket = ANY (buckets) ORDER BY bucket FOR UPDATE;

    -- The level now: what was left plus the refill since, at most the capacity. A clock behind
    -- the last update (another replica's) refills nothing rather than draining.
    SELECT coalesce(max(CASE WHEN level >= 1 - 1e-9 THEN 0 ELSE (1 - level) * window_seconds / capacity END), 0)
    INTO wait
    FROM (
        SELECT t.c AS capacity,
               least(t.c, k.tokens + greatest(0, extract(epoch FROM at_time - k.updated_at)) * t.c / window_seconds) AS level
        FROM rate_limit_buckets k JOIN unnest(buckets, capacities) AS t(b, c) ON t.b = k.bucket
    ) levels;

    IF wait > 0 THEN
        RETURN wait;
    END IF;

    UPDATE rate_limit_buckets k
    SET tokens = least(t.c, k.tokens + greatest(0, extract(epoch FROM at_time - k.updated_at)) * t.c / window_seconds) - 1,
        updated_at = greatest(k.updated_at, at_time)
    FROM unnest(buckets, capacities) AS t(b, c)
    WHERE t.b = k.bucket;
    RETURN 0;
END;
$$;
