-- Transactional outbox: a service writes its business change and the integration event in one
-- transaction; OutboxRelay publishes unsent rows with MessageId = id and marks them sent.
CREATE TABLE outbox_messages (
    position      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid        NOT NULL UNIQUE,
    message_type  text        NOT NULL,
    body          jsonb       NOT NULL,
    trace_parent  text        NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz NULL
);

-- The relay reads only unsent rows in order; the partial index keeps that cheap however many sent rows remain.
CREATE INDEX outbox_messages_unsent ON outbox_messages (position) WHERE sent_at IS NULL;
CREATE INDEX outbox_messages_sent_at ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;

-- Inbox: one row per (message, consumer), written in the consumer's own transaction, so a
-- redelivered message is recognised and skipped.
CREATE TABLE inbox_messages (
    message_id    uuid        NOT NULL,
    consumer      text        NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);

CREATE INDEX inbox_messages_processed_at ON inbox_messages (processed_at);
