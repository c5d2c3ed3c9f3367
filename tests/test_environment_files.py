"""The lock file pins everything that is installed, and environment.yml, the Makefile and CI agree with it."""
from importlib import metadata

from helpers.environment import ENVIRONMENT_FILE, LOCK_FILE, ROOT, normalise, read_pins

NOT_LOCKED = {"lossbook-helpers", "pip"}


def test_lock_file_pins_every_installed_package_at_its_installed_version():
    pins = read_pins(LOCK_FILE)
    installed = {normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}
    unpinned = {name: version for name, version in installed.items() if name not in NOT_LOCKED and name not in pins}
    assert not unpinned, f"installed but not in requirements-lock.txt: {unpinned}"
    differ = {name: (pins[name], installed[name]) for name in pins if installed.get(name) != pins[name]}
    assert not differ, f"lock pin vs installed version: {differ}"


def test_torch_is_the_cpu_build():
    assert read_pins(LOCK_FILE)["torch"] == "2.13.0+cpu"
    assert not [name for name in read_pins(LOCK_FILE) if name.startswith("nvidia-")], "CUDA packages in the lock"


def test_environment_yml_pins_the_locked_versions():
    env_pins = read_pins(ENVIRONMENT_FILE)
    lock_pins = read_pins(LOCK_FILE)
    assert {"torch", "numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pytest", "hypothesis"} <= set(env_pins)
    assert {name: v for name, v in env_pins.items() if lock_pins.get(name) != v} == {}, "environment.yml differs from the lock"
    text = ENVIRONMENT_FILE.read_text()
    assert "python=3.11" in text and "-r requirements-lock.txt" in text
    for line in text.splitlines():
        if "==" in line:
            assert "#" in line, f"environment.yml pins without saying where the package is used: {line.strip()}"


def test_project_declares_no_unpinned_dependencies():
    assert "dependencies = []" in (ROOT / "pyproject.toml").read_text()


def test_ci_runs_exactly_make_test():
    commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))]
    assert commands == ["make test"]


def test_makefile_has_the_documented_targets():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("setup:", "lab: setup", "test: setup", "execute: setup", "bench: setup"):
        assert f"\n{target}" in makefile, target
