"""Rebuild Rule.search_text with the Chinese bigram section (see rules/search.py)."""

import re

from django.db import migrations

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _document(parts):
    text = "\n".join(p for p in parts if p)
    grams = []
    for run in _CJK_RUN.findall(text):
        grams.extend([run[i : i + 2] for i in range(len(run) - 1)] or [run])
    return f"{text}\n\u2063{' '.join(grams)}" if grams else text


def rebuild(apps, schema_editor):
    Rule = apps.get_model("rules", "Rule")
    RuleVersion = apps.get_model("rules", "RuleVersion")
    Article = apps.get_model("rules", "Article")
    for rule in Rule.objects.all().only("pk", "code", "current_version_id").iterator(chunk_size=500):
        version_id = rule.current_version_id or (
            RuleVersion.objects.filter(rule_id=rule.pk).order_by("-number").values_list("pk", flat=True).first()
        )
        if version_id is None:
            continue
        title = RuleVersion.objects.filter(pk=version_id).values_list("title", flat=True).first()
        articles = list(Article.objects.filter(version_id=version_id).order_by("number").values_list("text", flat=True))
        Rule.objects.filter(pk=rule.pk).update(search_text=_document([rule.code, title, *articles]))


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_register_indexes")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
