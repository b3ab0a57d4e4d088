-- Who read an organisation's delivery log, and when: it shows members' names and addresses, so
-- its reads are recorded like the volunteers service's member reads (contact_access_log), in the
-- read's own transaction (no read without its row). The count is how many entries the page held;
-- what they were is not copied (the log must not become a second copy of the data it protects).
-- reader_id is the token's subject as presented, without a foreign key (the log records what was
-- claimed); erasing a reader anonymises their rows (reader_id NULL) rather than deleting them.
CREATE TABLE delivery_log_reads (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reader_id    uuid        NULL,
    org          text        NOT NULL,
    entry_count  integer     NOT NULL CHECK (entry_count >= 0),
    read_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX delivery_log_reads_org ON delivery_log_reads (org, read_at);
CREATE INDEX delivery_log_reads_reader ON delivery_log_reads (reader_id);
