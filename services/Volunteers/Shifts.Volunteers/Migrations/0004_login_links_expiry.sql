-- Housekeeping deletes login links a day after they expired.
CREATE INDEX login_links_expires ON login_links (expires_at);
