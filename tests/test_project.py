"""The package's promises: version, cheap import, README and CI agree."""

import re
import subprocess
import sys
from pathlib import Path

import degann

ROOT = Path(__file__).resolve().parent.parent


def test_version_is_a_release_string():
    assert re.fullmatch(r"\d+\.\d+\.\d+", degann.__version__)


def test_importing_degann_and_its_data_tools_does_not_start_tensorflow():
    code = (
        "import sys, degann, degann.datasets, degann.experiments.compare;"
        "print('tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"



def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    first, second = re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.S)[:2]
    assert "degann-compare" in first and "pip install" in first
    assert "pytest" in second and "pip install" in second


def test_ci_runs_exactly_the_readme_test_command():
    text = (ROOT / "README.md").read_text()
    second = re.findall(r"```(?:sh|bash)\n(.*?)```", text, flags=re.S)[1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert second in ci
