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


def test_a_server_keeps_what_it_built_its_app_from_out_of_the_collector_s_way(monkeypatch):
    from consign.web import serving

    happened = []
    monkeypatch.setattr(gc, "freeze", lambda: happened.append("frozen"))
    app = serving._built(lambda: happened.append("built") or "the app")
    assert app == "the app" and happened == ["built", "frozen"]
