"""Fixtures of the neurochem_reader tests: the package on sys.path, and small real outputs
written by the neurochem binary (NEUROCHEM_BIN, default build/bin/neurochem of this tree),
each made once per session in a temporary directory. Runs use one thread: OpenMP threads that
wait at barriers make a run many times slower on a busy machine."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))


@pytest.fixture(scope="session")
def neurochem():
    """A function running `neurochem ARGS...` that fails the test (not skips it) when the
    binary is missing or exits non-zero; returns the CompletedProcess."""
    exe = os.environ.get("NEUROCHEM_BIN", os.path.join(ROOT, "build", "bin", "neurochem"))
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        pytest.fail("no neurochem binary at %s: build it or set NEUROCHEM_BIN" % exe)

    def run(*args):
        r = subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            pytest.fail("neurochem %s: exit %d\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        return r

    return run


@pytest.fixture(scope="session")
def plain_run(neurochem, tmp_path_factory):
    """configs/limbic.ini for 1.2 s with two threat cues (as tests/plots.cmake): spikes, rates,
    chemistry traces, a probe. Returns (path, stdout of the run)."""
    out = str(tmp_path_factory.mktemp("plain") / "limbic.h5")
    r = neurochem("run", os.path.join(ROOT, "configs", "limbic.ini"), "-o", out, "--threads", "1",
                  "--set", "simulation.duration=1200 ms", "--set", "poisson.cue.start=300 ms",
                  "--set", "poisson.cue.pulse_every=600 ms", "--set", "poisson.cue.pulse_length=200 ms",
                  "--set", "probe.threat.baseline=200 ms", "--set", "probe.threat.response=200 ms")
    return out, r.stdout


@pytest.fixture(scope="session")
def course_run(neurochem, tmp_path_factory):
    """The main job's untreated arm (configs/main/untreated.ini) compressed: 4 days at a tenth of
    the scale, 4-hour slow steps (the main job takes 2), 20-ms windows, every day's probe session
    recorded, outcomes scored after 1 + 1 days. /slow with outcomes, /windows, recorded spikes and traces."""
    out = str(tmp_path_factory.mktemp("course") / "untreated.h5")
    neurochem("run", os.path.join(ROOT, "configs", "main", "untreated.ini"), "-q", "-o", out, "--threads", "1",
              "--set", "simulation.duration=4 days", "--set", "simulation.scale=0.1", "--set", "protocol.slow_step=4 h",
              "--set", "protocol.window=20 ms", "--set", "protocol.settle=10 ms",
              "--set", "protocol.record_every=1 day", "--set", "outcomes.burn_in=1 day",
              "--set", "outcomes.baseline=1 day")
    return out


@pytest.fixture(scope="session")
def sweep(neurochem, tmp_path_factory):
    """A sweep of 3 rates x 2 replicates on tests/data/brunel_small.ini (60 ms a point) with
    points 0-3 run and 4-5 pending, collected to CSV and HDF5. Returns (dir, csv, h5)."""
    d = tmp_path_factory.mktemp("sweep")
    spec = d / "tiny.ini"
    spec.write_text("[sweep]\nconfig = %s\nseed = 7\nreplicates = 2\n[set]\nsimulation.duration = 60 ms\n"
                    "[grid]\npoisson.ext_E.rate = 15 Hz, 20 Hz, 25 Hz\n"
                    % os.path.join(ROOT, "tests", "data", "brunel_small.ini"))
    sdir = str(d / "s")
    neurochem("sweep", str(spec), "--dir", sdir, "--local", "-j", "2", "--points", "0-3", "-q")
    neurochem("collect", "-q", sdir, "-o", str(d / "t.csv"), "-o", str(d / "t.h5"))
    return sdir, str(d / "t.csv"), str(d / "t.h5")
