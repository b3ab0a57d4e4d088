-- Fixed-window counters for the anonymous endpoints that mail links or spend them, shared by all
-- replicas. A bucket is a purpose and a SHA-256 of the address or client IP (never the address
-- itself); rows older than a window are deleted.
CREATE TABLE rate_limits (
    bucket        text        PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    hits          integer     NOT NULL
);

CREATE INDEX rate_limits_window ON rate_limits (window_start);
