"""How much the preview server takes on: connections, timeouts and sizes, derived from the process's
open-file limit so that no flood of clients can run it out of file descriptors."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CONNECTIONS = 4096
"""Above this, more connections only cost memory: a preview has a handful of real clients."""


@dataclass(frozen=True)
class Limits:
    max_connections: int
    """Open client connections; kept below the open-file limit (rebuilds need files too)."""
    max_streams: int
    """Live-reload event streams (one per open tab), a share of max_connections: tabs never crowd out
    the requests for pages."""
    backlog: int = 4096
    """Connections the kernel queues before accept(); it caps this at net.core.somaxconn."""
    head_timeout: float = 5.0
    """Seconds a client has to send a whole request head, from connecting (or from the end of the
    previous answer): a client that trickles or never finishes its head is dropped."""
    write_timeout: float = 20.0
    """Seconds a client may go without reading any of an answer before it is dropped."""
    linger_timeout: float = 2.0
    """Seconds spent reading what a client still sends after its last answer, before closing."""
    max_request_line: int = 16 * 1024
    max_head: int = 64 * 1024
    max_headers: int = 100

    @classmethod
    def for_open_files(cls, open_files: int) -> Limits:
        reserve = max(64, open_files // 8)  # files read by rebuilds, watches, worker pipes, the log
        connections = max(16, min(MAX_CONNECTIONS, open_files - reserve))
        return cls(max_connections=connections, max_streams=max(4, connections // 4))


def raise_open_files_limit() -> int:
    """Lift the soft RLIMIT_NOFILE to the hard limit where the system allows it (a per-process change,
    no privilege needed); returns the soft limit in force afterwards."""
    try:
        import resource
    except ImportError:  # Windows: no rlimits; its C runtime's default is 512 files
        return 512
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # macOS reports an infinite hard limit but refuses more than kern.maxfilesperproc: try downwards.
    targets = [1 << 20, 65536, 24576, 10240] if hard == resource.RLIM_INFINITY else [hard]
    for target in targets:
        if soft != resource.RLIM_INFINITY and soft >= target:
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            continue
        soft = target
        break
    return 1 << 20 if soft == resource.RLIM_INFINITY else soft
