"""The integration harness itself works: a real worker consumes from the private Redis, and the
SMTP server receives mail and refuses it when told to."""

import pytest
from django.core.mail import EmailMessage, get_connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_real_worker_runs_a_task_sent_through_redis(start_worker, celery_on_redis):
    worker = start_worker("harness")
    celery_on_redis.send_task("celery.backend_cleanup")
    from tests.integration.conftest import wait_until

    wait_until(lambda: "celery.backend_cleanup" in worker.log() and "succeeded" in worker.log(), message="the task")


def test_the_smtp_server_records_and_refuses(smtp_server):
    connection = get_connection()
    EmailMessage("Hello", "Body", "a@example.com", ["b@example.com"], connection=connection).send()
    smtp_server.refuse("550 5.7.1 No thanks")
    with pytest.raises(Exception, match="550"):
        EmailMessage("Refused", "Body", "a@example.com", ["b@example.com"], connection=connection).send()
    smtp_server.accept()
    [received] = smtp_server.wait_for(1)
    assert received.recipients == ["b@example.com"] and received.subject == "Hello"
    assert smtp_server.refused == 1
