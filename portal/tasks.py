"""The portal's jobs for the workers."""

from celery import shared_task

from .staff.import_runs import perform


@shared_task(name="portal.run_import", acks_late=True, reject_on_worker_lost=True)
def run_import(run_id: int) -> None:
    """Check or import a workbook sent to the import page (idempotent: a finished run is left
    alone; a run interrupted with its worker wrote nothing and is run again)."""
    perform(run_id)
