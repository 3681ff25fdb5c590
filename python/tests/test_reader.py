"""neurochem_reader on real outputs of the binary (fixtures in conftest.py), checked against
facts the reader does not produce itself: the run's printed table, /summary, the spikes behind
/rates and the probe, the config's durations and steps, the sweep's manifest, SHA-256 of the
config. Run: /usr/bin/python3 -m pytest -q python/tests"""
import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd
import pytest

import neurochem_reader as nr
from neurochem_reader import h5values

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def ms(text):
    """A canonical config duration ('1200 ms', 'inf ms') in ms."""
    value, unit = text.split()
    assert unit == "ms", text
    return float(value)


def printed_table(stdout):
    """{population: (neurons, spikes)} from the table `neurochem run` prints."""
    rows, on = {}, False
    for line in stdout.splitlines():
        if line.startswith("population"):
            on = True
        elif on and not line.strip():
            break
        elif on:
            name, neurons, spikes = line.split()[:3]
            rows[name] = (int(neurons), int(spikes))
    return rows


# -- files that are not neurochem outputs ----------------------------------------------------

def test_not_a_neurochem_file_gives_a_clear_error(tmp_path, plain_run):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["data"] = np.arange(3)
    with pytest.raises(ValueError, match=r"foreign\.h5: not a neurochem output: no root attribute /@format, "
                                         r"/@magic, /@version"):
        nr.open_run(foreign)
    sonata = tmp_path / "sonata.h5"  # a SONATA spike file: the magic, but not neurochem's format
    with h5py.File(sonata, "w") as f:
        f.attrs["magic"] = np.uint32(0x0A7A)
        f.attrs["version"] = np.array([0, 1], np.uint32)
        f.attrs["format"] = "something else"
    with pytest.raises(ValueError, match=r"sonata\.h5: not a neurochem output: root attributes format = "
                                         r"'something else'"):
        nr.open_run(sonata)
    text = tmp_path / "notes.h5"
    text.write_text("not HDF5\n")
    with pytest.raises(ValueError, match=r"notes\.h5: cannot be read as HDF5"):
        nr.open_run(text)
    with pytest.raises(FileNotFoundError, match=r"missing\.h5"):
        nr.open_run(tmp_path / "missing.h5")
    with pytest.raises(ValueError, match=r"foreign\.h5: not a neurochem sweep table: no group /table"):
        nr.read_sweep_table(foreign)
    with nr.open_run(plain_run[0]) as run:  # a run without what is asked for: the group is named
        with pytest.raises(ValueError, match=r"limbic\.h5: no group /slow \(only runs with a \[protocol\]"):
            run.slow()
        with pytest.raises(ValueError, match=r"no /spikes/nope \(populations with spikes: BLA_E"):
            run.spikes("nope")
        with pytest.raises(ValueError, match=r"no probe /probes/nope \(probes: threat\)"):
            run.probe("nope")
    with pytest.raises(ValueError, match=r"limbic\.h5: not a neurochem sweep table: no group /table \(it looks like"):
        nr.read_sweep_table(plain_run[0])


# -- HDF5 strings ------------------------------------------------------------------------------

def test_string_attributes_rewritten_by_h5py_as_fixed_length_nullpad(tmp_path, plain_run):
    path = str(tmp_path / "rewritten.h5")
    shutil.copy(plain_run[0], path)
    with nr.open_run(plain_run[0]) as run:
        original = run.provenance
    with h5py.File(path, "r+") as f:
        p = f["provenance"]
        # fixed-length, NUL-padded well beyond the text (h5py's numpy.bytes_ strings), ASCII and UTF-8
        f.attrs.create("format", np.bytes_(b"neurochem output"), dtype=h5py.string_dtype("ascii", 40))
        p.attrs.create("config_hash", np.bytes_(original["config_hash"].encode()),
                       dtype=h5py.string_dtype("utf-8", 100))
        p.attrs["hostname"] = "h\u00f6st-\u03b2"  # variable-length UTF-8
        del p["config"]  # the config as a variable-length UTF-8 dataset
        p.create_dataset("config", data=original["config"], dtype=h5py.string_dtype("utf-8"))
        for obj, name in ((f, "format"), (p, "config_hash")):
            t = obj.attrs.get_id(name).get_type()
            assert not t.is_variable_str() and t.get_strpad() == h5py.h5t.STR_NULLPAD
            assert t.get_size() > len(original["config_hash"] if name == "config_hash" else "neurochem output")
    with nr.open_run(path) as run:
        prov = run.provenance
        assert prov["config_hash"] == original["config_hash"]
        assert hashlib.sha256(run.config_text.encode()).hexdigest() == prov["config_hash"]
        assert prov["hostname"] == "h\u00f6st-\u03b2"
        assert run.config == nr.parse_config(original["config"])


@pytest.mark.parametrize("cset", [h5py.h5t.CSET_ASCII, h5py.h5t.CSET_UTF8])
@pytest.mark.parametrize("pad,stored,expected", [
    (h5py.h5t.STR_NULLTERM, b"5-HT \xc2\xb5M\0junk after the terminator", "5-HT \u00b5M"),
    (h5py.h5t.STR_NULLPAD, b"5-HT \xc2\xb5M\0\0\0\0", "5-HT \u00b5M"),
    (h5py.h5t.STR_SPACEPAD, b"5-HT \xc2\xb5M    ", "5-HT \u00b5M"),
    (h5py.h5t.STR_NULLTERM, b"latin \xb5M\0", "latin \u00b5M"),  # not UTF-8: read as Latin-1
    ("variable", "5-HT \u00b5M", "5-HT \u00b5M"),
])
def test_every_hdf5_string_type_reads_as_the_same_text(tmp_path, cset, pad, stored, expected):
    with h5py.File(tmp_path / "s.h5", "w") as f:
        if pad == "variable":
            enc = "utf-8" if cset == h5py.h5t.CSET_UTF8 else "ascii"
            stored = stored if enc == "utf-8" else stored.encode()  # h5py takes only bytes for ASCII
            f.attrs.create("a", stored, dtype=h5py.string_dtype(enc))
            f.create_dataset("d", data=[stored, stored], dtype=h5py.string_dtype(enc))
        else:  # the exact bytes, written with the file type as memory type (no conversion)
            t = h5py.h5t.C_S1.copy()
            t.set_size(len(stored))
            t.set_strpad(pad)
            t.set_cset(cset)
            a = h5py.h5a.create(f.id, b"a", t, h5py.h5s.create(h5py.h5s.SCALAR))
            a.write(np.array(stored, dtype="S%d" % len(stored)), mtype=t)
            d = h5py.h5d.create(f.id, b"d", t, h5py.h5s.create_simple((2,)))
            d.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([stored] * 2, dtype="S%d" % len(stored)), mtype=t)
    with h5py.File(tmp_path / "s.h5", "r") as f:
        assert f.attrs.get_id("a").get_type().get_cset() == cset
        assert h5values.attr(f, "a") == expected
        assert list(h5values.dataset(f["d"])) == [expected, expected]


# -- a plain run -------------------------------------------------------------------------------

def test_spike_counts_match_the_summary_and_the_printed_table(plain_run):
    path, stdout = plain_run
    printed = printed_table(stdout)
    with nr.open_run(path) as run:
        summary = run.summary()
        assert sorted(printed) == run.populations == run.spike_populations == list(summary.index)
        everything = run.spikes()
        for pop, (neurons, spikes) in printed.items():
            s = run.spikes(pop)
            assert list(s.columns) == ["time_ms", "node_id"] and s.attrs["units"]["time_ms"] == "ms"
            assert len(s) == spikes == summary.loc[pop, "spikes"] == (everything["population"] == pop).sum()
            assert summary.loc[pop, "neurons"] == neurons
        assert len(everything) == sum(v[1] for v in printed.values())


def test_spike_times_are_steps_within_the_run(plain_run):
    with nr.open_run(plain_run[0]) as run:
        duration, dt = ms(run.config["simulation"]["duration"]), ms(run.config["simulation"]["dt"])
        assert run.simulated_ms == duration == 1200.0
        neurons = run.summary()["neurons"]
        for pop in run.spike_populations:
            s = run.spikes(pop)
            t, i = s["time_ms"].to_numpy(), s["node_id"].to_numpy()
            assert s.attrs["sorting"] == "by_time"
            assert ((t >= dt) & (t <= duration)).all()  # step n's spike at (n + 1) dt
            assert np.allclose(t / dt, np.round(t / dt), rtol=0, atol=1e-6)
            assert (i < neurons[pop]).all()
            assert (np.lexsort((i, t)) == np.arange(len(t))).all()  # sorted by (time, node id)


def test_rates_are_the_spikes_per_bin(plain_run):
    with nr.open_run(plain_run[0]) as run:
        rates = run.rates()
        bin_ms = float(run.config["output"]["rate_bin"].split()[0])
        assert rates.attrs["bin_ms"] == bin_ms and rates.index.name == "time_ms"
        assert len(rates) == int(np.ceil(run.simulated_ms / bin_ms)) and rates.index[-1] == run.simulated_ms
        start, end = rates.attrs["bin_start_ms"], rates.index.to_numpy()
        for pop in run.spike_populations:
            t = run.spikes(pop)["time_ms"].to_numpy()
            counts = np.array([np.count_nonzero((t > a) & (t <= b)) for a, b in zip(start, end)])
            expected = rates["%s [Hz]" % pop].to_numpy() * (end - start) / 1000 * rates.attrs["neurons"][pop]
            assert np.allclose(counts, expected, rtol=0, atol=1e-6), pop


def test_summary_rate_is_spikes_per_neuron_per_second(plain_run):
    with nr.open_run(plain_run[0]) as run:
        s = run.summary()
        assert s.attrs["simulated_ms"] == run.simulated_ms and s.attrs["units"]["mean_rate_Hz"] == "Hz"
        assert np.allclose(s["mean_rate_Hz"], s["spikes"] / (s["neurons"] * run.simulated_ms / 1000), rtol=1e-12)


def test_chemistry_traces_are_sampled_every_trace_interval(plain_run):
    with nr.open_run(plain_run[0]) as run:
        tr = run.traces()
        interval = ms(run.config["chemistry"]["trace_interval"])
        assert tr.index.name == "time_ms"
        assert np.allclose(tr.index.to_numpy(), np.arange(0, run.simulated_ms + interval / 2, interval))
        pools = [c for c in tr.columns if c.startswith("pools/")]
        assert "pools/PFC.5HT_uM" in pools and all(tr.attrs["units"][c] == "uM" for c in pools)
        assert (tr[pools].to_numpy() >= 0).all()
        occupancy = [c for c in tr.columns if c.endswith("/occupancy")]
        assert "populations/DRN/5HT1A_auto/occupancy" in occupancy
        assert ((tr[occupancy] >= 0) & (tr[occupancy] <= 1)).all().all()


def test_probe_responses_are_the_spikes_around_each_cue(plain_run):
    with nr.open_run(plain_run[0]) as run:
        p = run.probe("threat")
        cfg = run.config
        assert run.probes == ["threat"] and p.attrs["drive"] == "cue"
        assert p.attrs["response_ms"] == ms(cfg["probe.threat"]["response"]) == 200.0
        assert p.attrs["populations"] == [x.strip() for x in cfg["probe.threat"]["readout"].split(",")]
        assert list(p["onset_ms"]) == [300.0, 900.0]  # cue.start + k pulse_every
        dt = ms(cfg["simulation"]["dt"])
        R, B = p.attrs["response_ms"], p.attrs["baseline_ms"]
        for pop in p.attrs["populations"]:
            t = run.spikes(pop)["time_ms"].to_numpy()
            n = run.summary().loc[pop, "neurons"]
            for cue, onset in enumerate(p["onset_ms"]):
                resp = np.count_nonzero((t > onset + dt / 2) & (t <= onset + R + dt / 2)) / (n * R / 1000)
                base = np.count_nonzero((t > onset - B + dt / 2) & (t <= onset + dt / 2)) / (n * B / 1000)
                assert p["%s/response_Hz" % pop][cue] == pytest.approx(resp, rel=1e-12)
                assert p["%s/baseline_Hz" % pop][cue] == pytest.approx(base, rel=1e-12)
                assert p["%s/evoked [spikes per neuron per cue]" % pop][cue] == pytest.approx((resp - base) * R / 1000)


def test_provenance_holds_the_config_and_its_hash(plain_run):
    with nr.open_run(plain_run[0]) as run:
        prov = run.provenance
        assert run.version == (0, 1) and run.attrs["format"] == "neurochem output"
        assert hashlib.sha256(prov["config"].encode()).hexdigest() == prov["config_hash"]
        assert prov["config_source"].endswith("configs/limbic.ini")
        assert prov["seed"] == int(run.config["simulation"]["seed"])
        assert isinstance(prov["threads"], int) and prov["threads"] >= 1
        assert "--set simulation.duration=1200 ms" in prov["command_line"]
        assert run.config["simulation"]["duration"] == "1200 ms"


# -- a course (/slow, /windows, outcomes) --------------------------------------------------

def slow_edges_h(cfg):
    """The slow steps' ends from the config (docs/slow-engine.md): the slow_step grid cut at
    every session's start and end."""
    duration, step = ms(cfg["simulation"]["duration"]), ms(cfg["protocol"]["slow_step"])
    edges = set(np.arange(step, duration + step / 2, step)) | {duration}
    for name, sec in cfg.items():
        if name.startswith("session."):
            t, every, until = ms(sec["start"]), ms(sec.get("every", "0 ms")), ms(sec.get("until", "inf ms"))
            while t < min(duration, until):
                edges |= {t, min(t + ms(sec["length"]), duration)}
                if every <= 0:
                    break
                t += every
    return np.array(sorted(e for e in edges if e > 0)) / 3.6e6


def test_slow_time_axis_follows_the_configured_steps(course_run):
    with nr.open_run(course_run) as run:
        s = run.slow()
        cfg = run.config
        t = s.index.to_numpy()
        expected = slow_edges_h(cfg)
        assert s.index.name == "time_h" and s.attrs["units"]["time_h"] == "h"
        assert np.all(np.diff(t) > 0)
        assert len(t) == len(expected) == 4 * 8  # 6 four-hour steps a day, one cut in three by the probe session
        assert np.allclose(t, expected, rtol=0, atol=1e-9)
        assert np.allclose(s["step_h"], np.diff(np.concatenate([[0.0], expected])), rtol=0, atol=1e-9)
        assert t[-1] * 3.6e6 == pytest.approx(ms(cfg["simulation"]["duration"]))
        for col, unit in (("rate/DRN [Hz]", "Hz"), ("pool/PFC/5HT [uM]", "uM"), ("state/sleep/pressure [nM]", "nM"),
                          ("protocol/measured_s", "s"), ("state/sleep/asleep", "")):
            assert s.attrs["units"][col] == unit
        assert "rate/DRN" in nr.strip_units(s).columns
        rates = run.slow("rate")
        assert list(rates.columns) == ["%s [Hz]" % p for p in run.populations]
        assert (rates.index == s.index).all()


def test_outcomes(course_run):
    with nr.open_run(course_run) as run:
        o = run.outcomes()
        assert sorted(nr.strip_units(o).columns) == sorted(
            ["score", "rating", "baseline", "response", "remission", "relapse", "amygdala_response",
             "prefrontal_response", "bdnf", "neurogenesis", "sleep"])
        assert o.attrs["units"]["amygdala_response [Hz]"] == "Hz" and o.attrs["units"]["sleep [h/day]"] == "h/day"
        assert len(o) == len(run.slow()) and (o.index == run.slow().index).all()
        for flag in ("response", "remission", "relapse"):
            assert set(o[flag].unique()) <= {0.0, 1.0}
        burn_in_h = ms(run.config["outcomes"]["burn_in"]) / 3.6e6
        assert (o.loc[o.index <= burn_in_h, "rating"] == 0).all()  # not scored during the burn-in
        assert (o["rating"] > 0).any()


def test_windows_spikes_rates_and_slow_rows_agree(course_run):
    with nr.open_run(course_run) as run:
        s, w = nr.strip_units(run.slow()), run.windows()
        cfg = run.config
        assert len(w) == 4 and w["step"].dtype == np.int64
        # the window of each day's step containing record_at (13 h), standing for that step
        assert np.allclose(w["calendar_begin_h"], ms(cfg["protocol"]["record_at"]) / 3.6e6 + 24 * np.arange(4))
        rows = s.iloc[w["step"].to_numpy()]
        assert np.allclose(w["calendar_end_h"], rows.index)
        assert np.allclose(w["calendar_begin_h"], rows.index - rows["step_h"])
        # fast time: Σ measured + settle for each compressed (not whole) step
        measured = s["protocol/measured_s"].to_numpy() * 1000
        compressed = measured < s["step_h"].to_numpy() * 3.6e6 - 1e-6
        assert run.simulated_ms == pytest.approx(measured.sum() + ms(cfg["protocol"]["settle"]) * compressed.sum())
        # spikes lie in the windows; the rates' bins restart at each window; whole recorded
        # steps: /slow's rate is the recorded spikes' rate
        rates = run.rates()
        assert len(rates) == w["rate_bins"].sum()
        start, end = rates.attrs["bin_start_ms"], rates.index.to_numpy()
        n = run.summary()["neurons"]
        for pop in ("CeA", "DRN", "PL_E"):
            t = run.spikes(pop)["time_ms"].to_numpy()
            inside = np.zeros(len(t), bool)
            for _, win in w.iterrows():
                sel = (t > win["fast_begin_ms"]) & (t <= win["fast_end_ms"])
                inside |= sel
                rate = sel.sum() / n[pop] / ((win["fast_end_ms"] - win["fast_begin_ms"]) / 1000)
                assert s["rate/" + pop].iloc[int(win["step"])] == pytest.approx(rate, rel=1e-12)
            assert inside.all() and len(t) > 0
            counts = np.array([np.count_nonzero((t > a) & (t <= b)) for a, b in zip(start, end)])
            assert np.allclose(counts, rates["%s [Hz]" % pop] * (end - start) / 1000 * n[pop], rtol=0, atol=1e-6)


def test_slow_table_tool_reads_through_the_package(course_run):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "slow_table.py"), course_run, "rate/DRN",
                          "step_h", "--all-hours"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[0].split() == ["period", "rate/DRN", "[Hz]", "step_h", "[h]"]
    assert [line.split()[:2] for line in out[1:]] == [["day", str(d)] for d in range(4)]
    s = nr.strip_units(nr.open_run(course_run).slow())
    day0 = s.index <= 24 + 1e-9
    w = s["step_h"][day0]
    assert float(out[1].split()[2]) == pytest.approx(float("%.4g" % ((s["rate/DRN"][day0] * w).sum() / w.sum())))


# -- sweeps ----------------------------------------------------------------------------------

def test_sweep_table_rows_match_the_manifest_points(sweep):
    sdir, csv_path, h5_path = sweep
    man = nr.read_manifest(sdir)
    assert int(man.attrs["header"]["points"]) == len(man) == 6
    for path in (csv_path, h5_path):
        t = nr.read_sweep_table(path)
        assert len(t) == len(man)
        for c in ("point", "sample", "replicate", "seed"):
            assert t[c].dtype == np.int64 and (t[c] == man[c]).all(), c
        assert (t["config_hash"] == man["config_hash"]).all() and (t["output"] == man["output"]).all()
        assert list(t["status"]) == ["done"] * 4 + ["pending"] * 2
        applied = man["poisson.ext_E.rate"].str.extract(r"^(\S+) Hz$")[0].astype(float)
        assert (t["poisson.ext_E.rate [Hz]"] == applied).all()
        assert t.attrs["units"]["E.rate [Hz]"] == "Hz" and t.attrs["units"]["E.spikes"] == ""
        for _, row in t.iterrows():
            if row["status"] != "done":
                assert np.isnan(row["E.spikes"]) and np.isnan(row["E.rate [Hz]"])
                continue
            with nr.open_run(os.path.join(sdir, row["output"])) as run:
                summary = run.summary()
                assert run.provenance["config_hash"] == row["config_hash"]
                assert run.provenance["seed"] == row["seed"]
                for pop in ("E", "I"):
                    assert row["%s.spikes" % pop] == summary.loc[pop, "spikes"]
                    assert row["%s.rate [Hz]" % pop] == summary.loc[pop, "mean_rate_Hz"]  # exact: round-trip
                assert row["simulated [ms]"] == run.simulated_ms
    assert nr.read_sweep_table(h5_path).attrs["sweep_hash"] == man.attrs["header"]["sweep_hash"]


def test_csv_and_hdf5_tables_read_alike(sweep, tmp_path):
    _, csv_path, h5_path = sweep
    from_csv, from_h5 = nr.read_sweep_table(csv_path), nr.read_sweep_table(h5_path)
    pd.testing.assert_frame_equal(from_csv, from_h5)
    with open(csv_path, newline="") as f:
        text = list(csv.DictReader(f))
    assert nr.read_sweep_table(csv_path, text=True).to_dict("records") == text
    assert nr.read_sweep_table(h5_path, text=True).to_dict("records") == text
    # the table's string attributes and a string column rewritten as fixed-length (h5py's 'S')
    copy = str(tmp_path / "fixed.h5")
    shutil.copy(h5_path, copy)
    with h5py.File(copy, "r+") as f:
        t = f["table"]
        for name in ("columns", "datasets"):
            t.attrs.create(name, np.array([s.encode() for s in h5values.attr(t, name)]))
        status = [s.encode() for s in h5values.dataset(t["status"])]
        del t["status"]
        t.create_dataset("status", data=np.array(status, dtype="S12"))
        assert t.attrs.get_id("columns").get_type().get_strpad() == h5py.h5t.STR_NULLPAD
    pd.testing.assert_frame_equal(nr.read_sweep_table(copy), from_h5)


def test_trial_summary_reads_an_hdf5_table_like_its_csv(sweep, tmp_path):
    """tools/trial_summary.py on the CSV and on the HDF5 table of the same points: same report."""
    sdir, csv_path, h5_path = sweep
    table = nr.read_sweep_table(csv_path, text=True)
    for c, v in (("clinical.final_rating", "20"), ("clinical.response_final", "1"), ("clinical.remission_final", "0"),
                 ("clinical.response_day [day]", "15"), ("clinical.remission_day [day]", ""),
                 ("clinical.end_day [day]", "30")):
        table[c] = v
    table.to_csv(tmp_path / "trial.csv", index=False)
    with h5py.File(tmp_path / "trial.h5", "w") as f:
        g = f.create_group("table")
        g.attrs["format"] = "neurochem sweep table"
        g.attrs["rows"] = np.uint64(len(table))
        g.attrs["columns"] = list(table.columns)
        datasets = [nr.split_unit(c)[0] for c in table.columns]
        g.attrs["datasets"] = datasets
        for c, d in zip(table.columns, datasets):
            try:
                g[d] = np.array([float(x) if x else np.nan for x in table[c]])
            except ValueError:
                g.create_dataset(d, data=list(table[c]), dtype=h5py.string_dtype())
    tool = os.path.join(ROOT, "tools", "trial_summary.py")
    runs = [subprocess.run([sys.executable, tool, str(tmp_path / name), "--arm", "poisson.ext_E.rate [Hz]"],
                           capture_output=True, text=True, check=True).stdout for name in ("trial.csv", "trial.h5")]
    assert runs[0] == runs[1]
    assert re.search(r"^15 +2 +2/2 +100%", runs[0], re.M), runs[0]


def test_checkpoint_info_reads_the_header_and_refuses_other_files(neurochem, tmp_path, plain_run):
    out = str(tmp_path / "c.h5")
    neurochem("run", os.path.join(ROOT, "configs", "coba.ini"), "-o", out, "--threads", "1", "-q",
              "--set", "simulation.duration=40 ms", "--checkpoint-every", "20 ms", "--keep", "5")
    ckpts = sorted((tmp_path / "c.checkpoints").glob("ckpt_*.h5"))
    assert [p.name for p in ckpts] == ["ckpt_00000000000200.h5", "ckpt_00000000000400.h5"]
    info = nr.checkpoint_info(ckpts[0])
    assert info["step"] == 200 and info["time_ms"] == pytest.approx(20.0)
    assert info["format_version"] == 3 and info["complete"] == 1
    with nr.open_run(out) as run:  # the checkpoint belongs to this run
        assert info["config_hash"] == run.provenance["config_hash"]
        assert info["config"] == run.config_text
    with pytest.raises(ValueError, match="not a neurochem checkpoint"):
        nr.checkpoint_info(plain_run[0])
    with pytest.raises(FileNotFoundError, match="no such checkpoint"):
        nr.checkpoint_info(tmp_path / "missing.h5")
