-- When the missed-run check (MissedScheduledRuns, every minute in the ops-alerts run) last saw each
-- schedule paused. Temporal keeps no time of an unpause (neither the schedule's update time nor its
-- info moves), and its matching times ignore the pause, so without this every time a paused
-- schedule would have run counted as missed the moment an operator unpaused it. Times up to the
-- last sighting are not expected runs.
CREATE TABLE schedule_pause_sightings (
    schedule_id    text        PRIMARY KEY,
    seen_paused_at timestamptz NOT NULL
);
