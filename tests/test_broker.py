"""The configured Celery broker answers: filesystem by default, Redis or RabbitMQ in CI."""

import uuid

import pytest
from django.conf import settings
from kombu import Connection, Exchange, Queue

from config.celery_app import app


@pytest.mark.broker
def test_the_configured_broker_round_trips_a_message(tmp_path):
    url = settings.CELERY_BROKER_URL
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if url.startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out"):
            options[key] = str(tmp_path)
        options["processed_folder"] = str(tmp_path / "processed")
        options["control_folder"] = str(tmp_path / "control")
    name = f"jiceng-test-{uuid.uuid4().hex[:8]}"
    queue = Queue(name, Exchange(name, type="direct"), routing_key=name, auto_delete=True)
    with Connection(url, transport_options=options, connect_timeout=5) as connection:
        connection.ensure_connection(max_retries=1)
        with connection.Producer() as producer:
            producer.publish(
                {"ping": name},
                exchange=queue.exchange,
                routing_key=name,
                declare=[queue],
                serializer="json",
            )
        with connection.SimpleQueue(queue) as simple:
            message = simple.get(block=True, timeout=5)
            message.ack()
    assert message.payload == {"ping": name}


def test_engine_tasks_are_registered_and_acks_late():
    app.loader.import_default_modules()
    assert "workflows.tasks.fire_due_flow_timers" in app.tasks
    assert app.conf.task_acks_late is True


@pytest.mark.django_db
def test_beat_task_fires_no_timers_when_none_are_due():
    from workflows.tasks import fire_due_flow_timers, verify_audit_chain

    assert fire_due_flow_timers() == 0
    assert verify_audit_chain() == 0
