"""What a consign process sets before a command runs."""

import gc

from consign import runtime


def test_a_command_collects_cyclic_garbage_less_often_than_python_would(cli, monkeypatch):
    set_to = []
    monkeypatch.setattr(gc, "set_threshold", lambda *thresholds: set_to.append(thresholds))
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    result = cli("hotel", "list")
    assert result.exit_code == 0, result.output
    assert set_to == [(runtime.YOUNG, 10, 10)] and runtime.YOUNG > 700
