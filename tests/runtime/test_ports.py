"""The port check refuses a port something listens on, and only that; a reserved port stays
held until its server takes the socket."""

from __future__ import annotations

import socket
import time

import pytest

from agentpaas.runtime.ports import PortInUse, ensure_port_free, free_port, reserve_port


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


def test_a_reserved_port_is_held_until_its_server_serves_on_the_socket() -> None:
    """`agentpaas dev` reserves the API's port before it starts Temporal, whose services
    bind ports of their own (with SO_REUSEADDR, as Go does): none of them may take it, and
    the server that gets the socket serves on it."""
    port = free_port()
    with reserve_port(port, "the API") as reserved:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
            other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            with pytest.raises(OSError):
                other.bind(("127.0.0.1", port))
        with pytest.raises(PortInUse):
            reserve_port(port, "the API")
        # A connection made before the server starts waits in the queue; it is served.
        client = socket.create_connection(("127.0.0.1", port), timeout=2)
        accepted, _ = reserved.accept()
        client.sendall(b"ping")
        assert accepted.recv(4) == b"ping"
        accepted.close()
        client.close()
    ensure_port_free(port, "the API")  # released with the socket
