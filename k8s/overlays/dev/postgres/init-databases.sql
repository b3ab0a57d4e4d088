-- One database per service (docs/architecture.md: no service reads another's tables). Run once by the
-- postgres image on an empty data volume, as the POSTGRES_USER that owns them. The services create
-- their tables themselves at start (migrations under an advisory lock).
CREATE DATABASE volunteers;
CREATE DATABASE events;
CREATE DATABASE notifications;
