"""Programme files: export and import again; twenty bad files, each a clear error and nothing created."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assignments.programmes.exchange import MAX_FILE_BYTES, InvalidFile, export_programme, import_programme
from assignments.programmes.models import Programme, ProgrammeStep
from tests.factories import HomeworkTemplateFactory

from .conftest import make_programme


def _good(coach) -> dict:
    return export_programme(make_programme(coach, title="Shared"))


def test_export_then_import_gives_the_same_programme(coach_client, coach, other_coach):
    document = _good(other_coach)
    assert document["version"] == 1 and len(document["steps"]) == 3
    response = coach_client.post(
        reverse("programmes:import"),
        {"file": SimpleUploadedFile("p.json", json.dumps(document).encode(), "application/json")},
    )
    imported = Programme.objects.get(coach=coach)
    assert response["Location"] == reverse("programmes:detail", args=[imported.pk])
    assert export_programme(imported) == document


def test_the_export_page_is_a_json_download(coach_client, coach):
    programme = make_programme(coach, title="My Programme")
    response = coach_client.get(reverse("programmes:export", args=[programme.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="my-programme.json"'
    assert json.loads(response.content)["title"] == "My Programme"


def _with(document, change):
    document = copy.deepcopy(document)
    change(document)
    return json.dumps(document).encode()


def _bad_files(document, other_template_pk) -> dict[str, bytes]:
    step = document["steps"][0]
    return {
        "not json": b"{'title': 'single quotes'}",
        "truncated": json.dumps(document).encode()[:-10],
        "not utf-8": b'{"title": "\xff\xfe"}',
        "a list": b"[1, 2, 3]",
        "wrong format": _with(document, lambda d: d.update(format="something-else")),
        "wrong version": _with(document, lambda d: d.update(version=2)),
        "version true": _with(document, lambda d: d.update(version=True)),
        "no steps": _with(document, lambda d: d.update(steps=[])),
        "too many steps": _with(document, lambda d: d.update(steps=[{**step, "session": n} for n in range(1, 32)])),
        "steps not a list": _with(document, lambda d: d.update(steps={"1": step})),
        "title a number": _with(document, lambda d: d.update(title=42)),
        "title too long": _with(document, lambda d: d.update(title="x" * 201)),
        "unknown kind": _with(document, lambda d: d["steps"][0].update(kind="hypnosis")),
        "steps out of order": _with(document, lambda d: d["steps"][1].update(session=5)),
        "a template id": _with(document, lambda d: d["steps"][0].update(template=other_template_pk)),
        "a coach id": _with(document, lambda d: d.update(coach=1, id=7)),
        "days after without days": _with(document, lambda d: d["steps"][0].update(due_rule="days_after")),
        "a NUL character": _with(document, lambda d: d["steps"][0].update(instructions="a\u0000b")),
        "deep nesting": b'{"format": "coachhub-programme", "version": 1, "steps": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}",
        "huge": b'{"title": "' + b"x" * (MAX_FILE_BYTES + 1) + b'"}',
        "questions not texts": _with(document, lambda d: d["steps"][0].update(kind="reflection", questions=[{"q": 1}])),
        "empty title": _with(document, lambda d: d["steps"][2].update(title="   ")),
    }


def test_twenty_bad_files_each_get_a_clear_error_and_nothing_is_created(coach, other_coach, coach_client):
    document = _good(other_coach)
    before = (Programme.objects.count(), ProgrammeStep.objects.count())
    bad = _bad_files(document, HomeworkTemplateFactory(coach=other_coach).pk)
    assert len(bad) >= 20
    for name, data in bad.items():
        with pytest.raises(InvalidFile) as error:
            import_programme(coach=coach, data=data)
        assert str(error.value), name
        response = coach_client.post(
            reverse("programmes:import"), {"file": SimpleUploadedFile("p.json", data, "application/json")}
        )
        assert response.status_code == 200, name
        assert "error-summary" in response.content.decode(), name
    assert (Programme.objects.count(), ProgrammeStep.objects.count()) == before
