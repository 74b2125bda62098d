-- Nothing to change on PostgreSQL: its heap keeps no order in any case, and the day
-- rollups' primary keys already carry the sums for index-only reads (0050). SQLite's
-- rollups become WITHOUT ROWID tables here, stored in the order of their keys.
SELECT 1;
