-- The dispatcher looks for interrupted sends every round (DeliveryDispatcher.MarkInterruptedAsync:
-- WHERE status = 'sending' AND next_attempt_at < @before). Without an index that is a scan of every
-- delivery ever kept (48 ms per round at 100,000 rows); only the few rows in flight are 'sending',
-- so a partial index on exactly that predicate stays tiny.
CREATE INDEX deliveries_sending ON deliveries (next_attempt_at) WHERE status = 'sending';
