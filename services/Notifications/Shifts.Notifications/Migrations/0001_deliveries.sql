-- Every mail is a delivery row first. The unique key (message, recipient, kind) is written in
-- the consumer's transaction, before anything is sent: a redelivered message finds the row and
-- mails nobody twice.
CREATE TABLE deliveries (
    id               uuid        PRIMARY KEY,
    dedup_key        text        NOT NULL UNIQUE,
    kind             text        NOT NULL,
    recipient_id     uuid        NULL,
    recipient_email  text        NOT NULL,
    locale           text        NOT NULL,
    subject          text        NOT NULL,
    -- The rendered mail waits here until it is sent, then is cleared: a login link must not
    -- outlive its delivery in this database.
    body_text        text        NULL,
    body_html        text        NULL,
    status           text        NOT NULL DEFAULT 'pending'
                                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed')),
    attempts         integer     NOT NULL DEFAULT 0,
    last_error       text        NULL,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    trace_parent     text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz NULL
);

CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_recipient ON deliveries (recipient_id, created_at DESC);
