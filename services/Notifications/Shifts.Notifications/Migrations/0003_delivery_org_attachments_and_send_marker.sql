-- Deliveries about an organisation's shifts carry the organisation, so its coordinators can see
-- what reached (or failed to reach) their members; login links carry none.
ALTER TABLE deliveries ADD COLUMN org text NULL;

-- Attachments (the .ics of a confirmed claim) wait with the body and are cleared with it once sent:
-- [{"fileName": "...", "contentType": "...", "content": "..."}].
ALTER TABLE deliveries ADD COLUMN attachments jsonb NULL;

-- Set just before the mail is handed to the SMTP server. A row found in 'sending' without it was
-- never handed over (safe to send again); with it, the server may have the mail, so it is not
-- sent again (a duplicate is what we promise never to do) and is marked failed instead.
ALTER TABLE deliveries ADD COLUMN send_started_at timestamptz NULL;

-- GET /api/me/notifications: keyset pages, newest first.
DROP INDEX deliveries_recipient;
CREATE INDEX deliveries_recipient ON deliveries (recipient_id, created_at DESC, id DESC);

-- GET /api/orgs/{org}/deliveries: failures first, then newest.
CREATE INDEX deliveries_org ON deliveries (org, (status <> 'failed'), created_at DESC, id DESC) WHERE org IS NOT NULL;
