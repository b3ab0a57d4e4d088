-- A confirmation mail (joining an organisation, a new address) goes to an address that may never
-- become anybody's here. Its delivery row keeps the address and the subject only until the link
-- expired; then ConsentMailHousekeeping anonymises it as erasure does (no address, subject = kind,
-- no body), so an unconfirmed request leaves a count in this database and nothing about the person.
ALTER TABLE deliveries ADD COLUMN forget_at timestamptz NULL;

CREATE INDEX deliveries_forget_at ON deliveries (forget_at) WHERE forget_at IS NOT NULL;

-- A confirmation mail to an address someone here already has is theirs (ConsentMailConsumers
-- looks the address up; a registration adopts the mails sent before it).
CREATE INDEX recipients_email ON recipients (lower(email));
CREATE INDEX deliveries_unowned_email ON deliveries (lower(recipient_email)) WHERE recipient_id IS NULL;
