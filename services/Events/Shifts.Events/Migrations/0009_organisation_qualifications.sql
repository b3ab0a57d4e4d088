-- The qualifications each organisation recognises (a replica of the volunteers service's list,
-- fed by QualificationAdded; a code a member holds, from QualificationsChanged, counts too), so
-- that a shift cannot require one the organisation does not have (Shifts/ShiftRules).
-- Numbered 0009: 0008 is issue 15's shift leads, written beside this one.
CREATE TABLE organisation_qualifications (
    org   text NOT NULL,
    code  text NOT NULL,
    PRIMARY KEY (org, code)
);

-- What was known before this table: the codes members hold and the codes shifts already require
-- (accepted then, so a shift keeps what it has).
INSERT INTO organisation_qualifications (org, code)
SELECT org, code FROM qualifications
UNION
SELECT org, required_qualification FROM shifts WHERE required_qualification IS NOT NULL
ON CONFLICT DO NOTHING;
