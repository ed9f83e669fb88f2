"""How `coursekit autograde` hears that it must stop: the first signal only asks (the batch stops between two of its
steps, never in the middle of a gradebook write), a second one aborts as Python does, and the handlers are put back
after the batch."""
from __future__ import annotations

import os
import signal

import pytest

from coursekit.converters.parallel_autograde import _stop_requested_by


def test_the_first_signal_asks_the_batch_to_stop_and_a_second_aborts():
    with _stop_requested_by((signal.SIGINT, signal.SIGTERM)) as stop:
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGINT)
        assert stop.is_set()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)


def test_the_handlers_are_put_back_after_the_batch_and_an_ignored_signal_stays_ignored():
    interrupt = signal.getsignal(signal.SIGINT)
    hang_up = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with _stop_requested_by((signal.SIGINT, signal.SIGHUP)) as stop:
            os.kill(os.getpid(), signal.SIGHUP)
            assert not stop.is_set()
        assert signal.getsignal(signal.SIGINT) is interrupt
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, hang_up)
