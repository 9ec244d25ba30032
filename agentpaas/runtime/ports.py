"""Checking that a port is free before starting something on it, or holding it until then."""

from __future__ import annotations

import socket


class PortInUse(RuntimeError):
    """A port the platform needs is taken; the message says which and what to do."""


def ensure_port_free(
    port: int, purpose: str, *, host: str = "127.0.0.1", env_hint: str = ""
) -> None:
    """Raise :class:`PortInUse` with a clear message if ``host:port`` cannot be bound."""
    reserve_port(port, purpose, host=host, env_hint=env_hint).close()


def reserve_port(
    port: int, purpose: str, *, host: str = "127.0.0.1", env_hint: str = ""
) -> socket.socket:
    """A socket listening on ``host:port``, to hand to the server that will serve there
    (uvicorn's ``serve(sockets=…)``); :class:`PortInUse` if the port is taken.

    Held from the start, the port cannot be taken meanwhile by a child process picking an
    ephemeral port (the Temporal dev server's internal services do). The bind is the
    servers' own (uvicorn and Temporal both set ``SO_REUSEADDR``): connections left in
    TIME_WAIT by a platform that just stopped don't count, so stop-and-start works at once,
    while a socket listening on the port still does.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = f" Set {env_hint} to use another port." if env_hint else ""
        raise PortInUse(
            f"port {port} ({purpose}) is already in use on {host}: is another AgentPaaS "
            f"or {purpose} running?{hint}"
        ) from exc
    return sock


def free_port(host: str = "127.0.0.1") -> int:
    """An unused TCP port (for tests and ephemeral servers)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, host: str = "127.0.0.1", timeout: float = 30.0) -> bool:
    """Block until something accepts connections on ``host:port`` (or the timeout passes)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.1)
    return False
