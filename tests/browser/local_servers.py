"""Start a web server (JupyterLab, Voilà) as a subprocess on 127.0.0.1, wait until it answers, stop it.

Each server runs in its own process group with its output in a log file, whose tail a failed start reports.
"""
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
STARTUP_TIMEOUT = 60


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def isolated_environment(tmp_dir):
    """The test's environment for a server and its kernels: private Jupyter dirs and the normal (not big) layout."""
    env = dict(os.environ)
    env.pop("LOSSBOOK_BIG", None)
    for variable, name in (("JUPYTER_CONFIG_DIR", "jupyter-config"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                           ("IPYTHONDIR", "ipython")):
        path = Path(tmp_dir) / name
        path.mkdir(exist_ok=True)
        env[variable] = str(path)
    return env


def log_tail(log_path, lines=40):
    path = Path(log_path)
    text = path.read_text(errors="replace") if path.exists() else "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


def start(command, log_path, cwd=ROOT, env=None):
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def wait_until_up(process, url, log_path, what, timeout=STARTUP_TIMEOUT):
    """Poll ``url`` until it answers 200; fail with the server's log tail if it exits or the time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with code {process.returncode} before answering {url}.\n"
                                 f"Log {log_path}:\n{log_tail(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not answer {url} within {timeout} s.\nLog {log_path}:\n{log_tail(log_path)}")


def stop(process, timeout=15):
    """Terminate the server's whole process group, killing it if it does not exit in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)
