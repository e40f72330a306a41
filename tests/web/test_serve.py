"""``consign serve`` serves the web app with waitress on the database of --db."""

import socket

from click.testing import CliRunner

from consign.cli import main
from tests.conftest import free_port


def test_serve_runs_waitress_with_the_web_app_on_the_configured_database(
        db_url, world_builder, monkeypatch):
    import waitress

    served = {}

    def serve(app, **options):
        served.update(options, app=app,
                      where=[listener.getsockname() for listener in options["sockets"]])

    monkeypatch.setattr(waitress, "serve", serve)
    port = free_port()
    result = CliRunner().invoke(main, ["--db", db_url, "serve", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert served["where"] == [("127.0.0.1", port)]  # the socket is closed when it ends
    assert served["threads"] == 8
    assert served["app"].extensions["consign.database"].url == db_url
    assert f"http://127.0.0.1:{port}/" in result.output
    client = served["app"].test_client()
    assert client.get("/login").status_code == 200
    served["app"].extensions["consign.database"].dispose()


def test_serve_on_a_port_taken_exits_3_in_one_line_and_serves_nothing(
        db_url, world_builder, monkeypatch):
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("served")))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        for given in (["--workers", "1"], ["--workers", "2"], ["--check"]):
            result = CliRunner(env={"CONSIGN_LANG": "en"}).invoke(
                main, ["--db", db_url, "serve", "--port", str(port), *given])
            assert result.exit_code == 3, result.output
            assert result.output == (f"Error: Cannot listen on 127.0.0.1 port {port}: "
                                     "Address already in use.\n")


def test_serve_on_a_database_that_does_not_exist_exits_3_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["--db", f"sqlite:///{tmp_path / 'none.db'}", "serve"])
    assert result.exit_code == 3
    assert "none.db" in result.output and "Traceback" not in result.output


def test_serve_refuses_a_port_out_of_range(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2


def test_serve_check_says_where_it_would_serve_and_serves_nothing(db_url, world_builder,
                                                                   monkeypatch):
    import waitress

    monkeypatch.setattr(waitress, "serve", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("served")))
    result = CliRunner().invoke(main, ["--db", db_url, "serve", "--check", "--port", "9000"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Ready to serve the web app on http://127.0.0.1:9000/")


def test_serve_is_for_the_administrator_alone(db_url, world_builder):
    refused = CliRunner().invoke(main, ["--db", db_url, "--as", "citra", "serve", "--check"])
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: ") and "hotel:ATRIA" in refused.output
    assert refused.output.count("\n") == 1
    allowed = CliRunner().invoke(main, ["--db", db_url, "--as", "ani", "serve", "--check"])
    assert allowed.exit_code == 0, allowed.output


def test_serve_on_an_address_the_machine_does_not_have_exits_3_in_one_line(
        db_url, world_builder):
    for host, reason in (("192.0.2.1", "Cannot assign requested address"),  # TEST-NET-1
                         ("no-such-host.invalid", "")):
        for given in (["--workers", "2"], ["--check"]):
            result = CliRunner(env={"CONSIGN_LANG": "en"}).invoke(
                main, ["--db", db_url, "serve", "--host", host, "--port", str(free_port()),
                       *given])
            assert result.exit_code == 3, result.output
            assert result.output.startswith(f"Error: Cannot listen on {host} port ")
            assert reason in result.output and result.output.count("\n") == 1
