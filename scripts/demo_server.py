"""A throwaway demo city served on localhost, for the scripts that look at it in a browser
(``screenshots.py``, ``page_weight.py``).

``demo_site()`` builds a fresh SQLite database and media folder in a temporary directory (migrate,
then ``demo_city``), serves it with ``runserver`` on a free port and removes everything at exit.
``--url`` in the scripts skips all that and uses a server you already run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's package, driven through Playwright's executable_path
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def django_setup() -> None:
    """Django's URL resolver for the scripts (no database access): ``reverse`` and ``resolve``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")
    import django

    django.setup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)  # noqa: S603


@contextmanager
def demo_site(size: str = "small") -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="archipel-demo-") as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "DEBUG": "1",
            "PRODUCTION": "0",
        }
        env.pop("REDIS_URL", None)
        print(f"Building the demo city ({size}) in {folder}…", file=sys.stderr)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "demo_city", "--size", size, "--seed", "2026")
        port = _free_port()
        log = (Path(folder) / "server.log").open("wb")
        server = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180  # a loaded machine runs the system checks slowly
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=30)  # noqa: S310 (our own localhost server)
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        print((Path(folder) / "server.log").read_text(errors="replace"), file=sys.stderr)
                        raise RuntimeError("the demo server did not start") from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
