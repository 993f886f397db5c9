-- People by when their record was made (issue 10): the retention review asks first for the
-- people created before its cut-off, and only of those whether anything happened since.
-- Without the index, each review read every person (120,000 at enterprise scale: 33 ms on
-- SQLite, 106 ms on PostgreSQL) even where none was old enough.
CREATE INDEX persons_created ON persons (created_at);
