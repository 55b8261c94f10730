"""Search runs on PostgreSQL's full-text index (the suite's database)."""

import pytest
from django.db import connection

from integrity.tests.plans import plan_without_seqscan
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
    assert {"rules_rule_search_vector", "rule_code_upper_idx"} <= names
    assert "rules_rule_search_trgm" not in names


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

    plan = plan_without_seqscan(
        "SELECT id FROM rules_rule WHERE search_vector @@ to_tsquery('simple', %s)", [_tsquery("分管领导")]
    )
    assert "rules_rule_search_vector" in plan


def test_words_or_exact_code_answered_by_both_indexes_together(rules):
    """The register's condition (words, or the exact code) is one bitmap scan over two indexes."""
    plan = plan_without_seqscan(*search_rules(Rule.objects.only("pk"), "分管领导").query.sql_with_params())
    assert "BitmapOr" in plan
    assert "rules_rule_search_vector" in plan
    assert "rule_code_upper_idx" in plan


def test_search_vector_follows_the_search_text(rules):
    """The generated column is recomputed when the text changes: a new word is found at once."""
    Rule.objects.filter(pk=rules["car"].pk).update(search_text="Motor pool ledger")
    assert list(search_rules(Rule.objects.all(), "ledger")) == [rules["car"]]
    assert list(search_rules(Rule.objects.all(), "car log")) == []
