-- Which short shifts were already announced at which lead time, so each gap alert goes out once
-- per shift and lead time however many replicas run the detector.
CREATE TABLE gap_alerts_sent (
    shift_id   uuid        NOT NULL REFERENCES shifts (id),
    lead_time  interval    NOT NULL,
    sent_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shift_id, lead_time)
);

-- Gaps are looked for among published, open shifts starting soon.
CREATE INDEX shifts_gap_candidates ON shifts (starts_at) WHERE status = 'open' AND event_status = 'published' AND confirmed < minimum;
