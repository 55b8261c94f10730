"""PostgreSQL-only search indexes; on other databases this migration does nothing.

- a GIN index over to_tsvector('simple', search_text) for full-text search of titles and articles;
- a GIN trigram index (pg_trgm) over search_text, so that substring queries — Chinese text, which
  PostgreSQL's parser does not split into words — are answered from an index too.
"""

from django.db import migrations

from integrity.postgresql import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS rules_rule_search_fts ON rules_rule USING GIN (to_tsvector('simple', search_text))",
    "CREATE INDEX IF NOT EXISTS rules_rule_search_trgm ON rules_rule USING GIN (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS rules_rule_search_trgm",
    "DROP INDEX IF EXISTS rules_rule_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
