-- Due dates per vehicle (the platform writes them; the service only reads them): the vehicle
-- reminders schedule emails the owning company a configurable number of days before each one,
-- once per due date (the touchpoint row 'vehicle-due-date:<id>' of kind vehicle_reminder).
CREATE TABLE vehicle_due_dates (
    id         bigserial PRIMARY KEY,
    vehicle_id bigint NOT NULL REFERENCES vehicles (id),
    kind       text   NOT NULL CHECK (kind IN ('INSPECTION', 'INSURANCE', 'MAINTENANCE')),
    due_on     date   NOT NULL,
    UNIQUE (vehicle_id, kind, due_on)
);
CREATE INDEX vehicle_due_dates_due_on ON vehicle_due_dates (due_on);
