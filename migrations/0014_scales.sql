-- A station's parcel scale on a serial port: '' for none. The protocol is
-- how it is asked: 'nci' (W<CR>, NCI/SCP-01), 'sma' (<LF>W<CR>) or
-- 'continuous' (it prints its display without being asked).
ALTER TABLE stations ADD COLUMN scale_port TEXT NOT NULL DEFAULT '';
ALTER TABLE stations ADD COLUMN scale_baud INTEGER NOT NULL DEFAULT 9600
    CHECK (scale_baud IN (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200));
ALTER TABLE stations ADD COLUMN scale_protocol TEXT NOT NULL DEFAULT 'nci'
    CHECK (scale_protocol IN ('nci', 'sma', 'continuous'));

-- Manifests by courier and day, newest first, for the manifests page.
CREATE INDEX manifests_courier_day ON manifests (courier, day);
CREATE INDEX consignments_manifest ON consignments (manifest_id);
