"""Processes forked to share out a long write or read (a workbook's cases, the audit walk):
each opens connections of its own. The parent closes its connections before forking, but a
wrapper it could not close (one opened again by another part of the process, a test
harness's) would be inherited: a child that used it would talk on the parent's socket, and
two children on one socket read each other's answers. So a child forgets every inherited
wrapper at its start, keeping them referenced, never closed (closing would end the parent's
session; a forked worker leaves through `os._exit`, so they are never collected)."""

from __future__ import annotations

import multiprocessing

from django.db import connections

_inherited: list = []


def _forget_inherited_connections() -> None:
    for alias in list(connections):
        wrapper = getattr(connections._connections, alias, None)
        if wrapper is not None:
            _inherited.append(wrapper)
            del connections[alias]


def fork_pool(processes: int):
    """A pool of `processes` forked workers, each with connections of its own."""
    connections.close_all()
    return multiprocessing.get_context("fork").Pool(
        processes, initializer=_forget_inherited_connections
    )
