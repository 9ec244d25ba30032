"""The port check refuses a port something listens on, and only that."""

from __future__ import annotations

import socket
import time

import pytest

from agentpaas.runtime.ports import PortInUse, ensure_port_free, free_port


def _time_wait_on(port: int) -> None:
    """Leave the server side of a closed connection in TIME_WAIT on ``port``.

    The side that closes first keeps TIME_WAIT; a server that stops closes its clients'
    connections first (uvicorn's keep-alive, Temporal's gRPC streams), so after a stop the
    TIME_WAIT sockets sit on the server's own port, the case the check must let through.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen()
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()  # the server closes first ...
    client.recv(1)  # ... the client sees the end of stream and closes too
    client.close()
    listener.close()
    time.sleep(0.05)


def test_a_port_left_in_time_wait_by_a_stopped_server_counts_as_free() -> None:
    port = free_port()
    _time_wait_on(port)
    ensure_port_free(port, "the API")


@pytest.mark.parametrize("reuse_address", [False, True])
def test_a_port_something_listens_on_is_refused(reuse_address: bool) -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        if reuse_address:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        with pytest.raises(PortInUse, match=f"port {port} \\(the API\\) is already in use"):
            ensure_port_free(port, "the API", env_hint="AGENTPAAS_API_PORT")


def test_a_port_something_listens_on_with_time_wait_around_is_refused() -> None:
    port = free_port()
    _time_wait_on(port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        with pytest.raises(PortInUse):
            ensure_port_free(port, "Temporal")
