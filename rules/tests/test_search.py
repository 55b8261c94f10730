"""Search runs on PostgreSQL's full-text and trigram indexes (the suite's database)."""

import pytest
from django.db import connection

from rules.models import Rule
from rules.search import search_rules
from rules.tests.factories import draft_rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(officer):
    return {
        "gift": draft_rule(author=officer, title="Gift register", articles=["Officials register every gift."]),
        "car": draft_rule(author=officer, title="Official cars", articles=["Cars are booked in the car log."]),
        "procure": draft_rule(
            author=officer, title="政府采购内部控制制度", articles=["采购需求由使用单位提出，分管领导审批。"]
        ),
    }


def test_indexes_exist_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'rules_rule'")
        names = {row[0] for row in cursor.fetchall()}
    assert "rules_rule_search_fts" in names


def test_english_words_found_in_article_text(rules):
    assert list(search_rules(Rule.objects.all(), "gift")) == [rules["gift"]]
    assert list(search_rules(Rule.objects.all(), "car log")) == [rules["car"]]


def test_chinese_word_found_inside_unsegmented_text(rules):
    assert list(search_rules(Rule.objects.all(), "分管领导")) == [rules["procure"]]
    assert list(search_rules(Rule.objects.all(), "采购")) == [rules["procure"]]


def test_punctuation_and_wildcards_match_nothing(rules):
    for q in ("%", "_", "&|!", "'):*"):
        assert list(search_rules(Rule.objects.all(), q)) == []


def test_single_chinese_character_and_mixed_queries(rules):
    assert list(search_rules(Rule.objects.all(), "购")) == [rules["procure"]]
    assert list(search_rules(Rule.objects.all(), "领导 审批")) == [rules["procure"]]
    assert list(search_rules(Rule.objects.all(), "领导 gift")) == []


def test_code_is_searchable(rules):
    assert list(search_rules(Rule.objects.all(), rules["car"].code)) == [rules["car"]]


def test_search_uses_the_full_text_index(rules):
    """With sequential scans off, the planner must be able to answer from the GIN index."""
    from rules.search import _tsquery

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM rules_rule WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)",
            [_tsquery("分管领导")],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "rules_rule_search_fts" in plan
