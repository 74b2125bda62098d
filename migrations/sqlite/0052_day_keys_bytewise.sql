-- Nothing to change on SQLite: its text compares byte by byte (BINARY) unless told
-- otherwise. PostgreSQL's rollup day and month keys become COLLATE "C" here.
SELECT 1;
