"""The collector pause: nested and overlapping blocks leave the collector as they found it."""

from __future__ import annotations

import gc
import threading

from dxboard import collector


def test_the_collector_runs_again_after_the_last_block():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block is still running
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled():
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_blocks_in_two_threads():
    inside, release = threading.Event(), threading.Event()

    def other():
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other thread's block has not ended
    release.set()
    thread.join()
    assert gc.isenabled()


def test_an_error_in_the_block_still_restores_the_collector():
    try:
        with collector.paused():
            raise ValueError
    except ValueError:
        pass
    assert gc.isenabled()
