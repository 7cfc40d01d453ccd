"""The built-in homework library in Dutch, German, French and Spanish, beside the English of 0002.

Each language's texts are in library/<language>.json: the list of 0002, in its order, with the
titles, instructions, purpose, approach, review plan and questions translated. Kind, cadence and
format are taken from the English entry at the same place, so a translation cannot change them.
"""

import importlib
import json
from pathlib import Path

from django.db import migrations

LANGUAGES = ["nl", "de", "fr", "es"]
TEXTS = ["title", "instructions", "purpose", "approach", "review_plan", "questions"]
MOOD_JOURNAL = "Mood journal"  # the built-in that is a mood journal (0004)


def _translations(language: str) -> list[dict]:
    return json.loads((Path(__file__).parent / "library" / f"{language}.json").read_text(encoding="utf-8"))


def load_library(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    english = importlib.import_module("assignments.migrations.0002_builtin_library").LIBRARY
    for language in LANGUAGES:
        translated = _translations(language)
        if len(translated) != len(english):
            raise ValueError(f"library/{language}.json has {len(translated)} entries, the library {len(english)}")
        for source, entry in zip(english, translated, strict=True):
            HomeworkTemplate.objects.update_or_create(
                coach=None,
                language=language,
                title=entry["title"],
                defaults={
                    **{name: entry[name] for name in TEXTS},
                    "kind": source["kind"],
                    "cadence": source["cadence"],
                    "creative_format": "mood_journal" if source["title"] == MOOD_JOURNAL else "text_files",
                },
            )


def unload_library(apps, schema_editor):
    HomeworkTemplate = apps.get_model("assignments", "HomeworkTemplate")
    HomeworkTemplate.objects.filter(coach=None, language__in=LANGUAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("assignments", "0005_template_language")]

    operations = [migrations.RunPython(load_library, unload_library)]
