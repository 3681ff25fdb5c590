"""One run's output file (docs/output-format.md) as pandas DataFrames."""
import errno
import os
import warnings

import h5py
import numpy as np
import pandas as pd

from . import h5values as hv
from .units import label, suffix_unit

MAGIC = 0x0A7A  # root attribute `magic` (the SONATA spike-report magic)
FORMAT = "neurochem output"  # root attribute `format`
SORTING = {0: "none", 1: "by_id", 2: "by_time"}  # /spikes/<pop> attribute `sorting`
WINDOW_COLUMNS = ("step", "fast_begin_ms", "fast_end_ms", "calendar_begin_h", "calendar_end_h", "first_rate_bin",
                  "rate_bins")


def open_run(path):
    """Opens a neurochem output file (read-only): a `Run`. Raises FileNotFoundError if `path`
    does not exist and ValueError if it is not an HDF5 file or not a neurochem output."""
    return Run(path)


def parse_config(text):
    """A config text (INI: `[section]`, `key = value`, `#` comments) as
    {section: {key: value}}, values as written (the canonical text has numbers with units)."""
    sections, current = {}, None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), {})
        elif current is not None and "=" in line:
            key, value = line.split("=", 1)
            current[key.strip()] = value.strip()
    return sections


class Run:
    """A neurochem output file. Open with `open_run(path)`; usable as a context manager.

    Everything is read on demand. The DataFrames name their columns after the datasets (the
    path under their group) with units as described in `neurochem_reader.units`, and carry
    `attrs['units']` and `attrs['source']` (file and group)."""

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.exists(self.path):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), self.path)
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as e:
            raise ValueError("%s: cannot be read as HDF5, so it is not a neurochem output (%s)"
                             % (self.path, e)) from None
        try:
            self._check()
        except Exception:
            self._file.close()
            raise
        self._provenance = None

    def _check(self):
        f = self._file
        missing = [n for n in ("format", "magic", "version") if n not in f.attrs]
        if missing:
            hint = "; it holds /table: a sweep table, read it with read_sweep_table()" if "table" in f else ""
            raise ValueError("%s: not a neurochem output: no root attribute %s (a neurochem output has "
                             "format = %r, magic = 0x%04X, version)%s"
                             % (self.path, ", ".join("/@" + m for m in missing), FORMAT, MAGIC, hint))
        fmt, magic = hv.text_attr(f, "format"), hv.attr(f, "magic")
        if fmt != FORMAT or magic != MAGIC:
            raise ValueError("%s: not a neurochem output: root attributes format = %r, magic = %r "
                             "(expected %r and 0x%04X)" % (self.path, fmt, magic, FORMAT, MAGIC))
        self.version = tuple(int(v) for v in np.atleast_1d(hv.attr(f, "version")))
        if self.version[:1] != (0,):
            warnings.warn("%s: output format version %s; this reader knows 0.x"
                          % (self.path, ".".join(map(str, self.version))))

    # -- plumbing -------------------------------------------------------------------------

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<neurochem Run %s: %s>" % (self.path, ", ".join(k for k in self._file))

    @property
    def file(self):
        """The open h5py.File, for anything this class does not cover."""
        return self._file

    def has(self, path):
        """Whether the file has the group or dataset `path` (e.g. 'slow', 'slow/outcome')."""
        return path.strip("/") in self._file

    def _get(self, path, kind, hint=""):
        path = path.strip("/")
        obj = self._file.get(path)
        if not isinstance(obj, kind):
            what = "group" if kind is h5py.Group else "dataset"
            raise ValueError("%s: no %s /%s%s" % (self.path, what, path, " (%s)" % hint if hint else ""))
        return obj

    def _frame(self, group, index=None, skip=()):
        """Every 1-D dataset under `group` as a column (name: path relative to the group).
        `index`: the name of a dataset of the group to use as the index, or (name, values, unit)."""
        cols, units = {}, {}

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.ndim == 1 and name not in skip:
                unit = hv.unit_of(obj) or suffix_unit(name.rsplit("/", 1)[-1])
                cols[name] = (hv.dataset(obj), unit)

        group.visititems(visit)
        if isinstance(index, str):
            if index not in cols:
                raise ValueError("%s: no dataset %s/%s" % (self.path, group.name, index))
            values, unit = cols.pop(index)
            index = (index, values, unit)
        lengths = {len(v) for v, _ in cols.values()} | ({len(index[1])} if index else set())
        if len(lengths) > 1:
            raise ValueError("%s: the datasets under %s differ in length (%s)" % (
                self.path, group.name, ", ".join("%s: %d" % (k, len(v)) for k, (v, _) in cols.items())))
        data = {}
        for name, (values, unit) in cols.items():
            data[label(name, unit)] = values
            units[label(name, unit)] = unit
        idx = None
        if index:
            idx = pd.Index(index[1], name=index[0])
            units[index[0]] = index[2]
        df = pd.DataFrame(data, index=idx)
        df.attrs["units"] = units
        df.attrs["source"] = "%s:%s" % (self.path, group.name)
        return df

    # -- provenance and config ------------------------------------------------------------

    @property
    def attrs(self):
        """The root attributes (format, magic, version, run_id)."""
        return hv.attrs(self._file)

    @property
    def provenance(self):
        """/provenance attributes (config_hash, seed, neurochem_version, git_revision, threads,
        wall_time_s, ...) as a dict, plus 'config': the resolved config text."""
        if self._provenance is None:
            p = hv.attrs(self._get("provenance", h5py.Group, "an unfinished or foreign file?"))
            p["config"] = self.config_text
            self._provenance = p
        return dict(self._provenance)

    @property
    def config_text(self):
        """The resolved config (canonical text) stored in /provenance/config."""
        return hv.dataset(self._get("provenance/config", h5py.Dataset))

    @property
    def config(self):
        """The resolved config as {section: {key: value}} (see parse_config)."""
        return parse_config(self.config_text)

    # -- the fast network -----------------------------------------------------------------

    @property
    def populations(self):
        """Every population named in /summary, /rates or /spikes, sorted."""
        names = set()
        for g in ("summary", "rates", "spikes"):
            group = self._file.get(g)
            if isinstance(group, h5py.Group):
                names.update(k for k in group if g != "summary" or isinstance(group[k], h5py.Group))
        return sorted(names)

    @property
    def spike_populations(self):
        """The populations with a /spikes group (record_spikes, [output] spikes)."""
        g = self._file.get("spikes")
        return list(g) if isinstance(g, h5py.Group) else []

    def spikes(self, population=None):
        """Spikes of one population: DataFrame with columns `time_ms` (float64, the end of the
        step the spike fell in) and `node_id` (uint64, population-local), sorted by (time,
        node). Without `population`: every population's, with a categorical column `population`."""
        g = self._get("spikes", h5py.Group, "the run wrote no spikes: [output] spikes = false?")
        if population is None:
            pops = list(g)
            frames = [self.spikes(p).assign(population=p) for p in pops]
            df = pd.concat(frames, ignore_index=True) if frames else \
                pd.DataFrame({"time_ms": np.zeros(0), "node_id": np.zeros(0, np.uint64), "population": []})
            df["population"] = pd.Categorical(df["population"], categories=pops)
            df.attrs = {"units": {"time_ms": "ms", "node_id": "", "population": ""},
                        "source": "%s:/spikes" % self.path}
            return df
        if population not in g:
            raise ValueError("%s: no /spikes/%s (populations with spikes: %s)"
                             % (self.path, population, ", ".join(g) or "none"))
        t = self._get("spikes/%s/timestamps" % population, h5py.Dataset)
        ids = self._get("spikes/%s/node_ids" % population, h5py.Dataset)
        unit = hv.unit_of(t, "ms")
        if unit != "ms" or len(t) != len(ids):
            raise ValueError("%s: /spikes/%s: timestamps (%d, units %r) and node_ids (%d) do not match "
                             "the format (units 'ms', equal lengths)" % (self.path, population, len(t), unit, len(ids)))
        df = pd.DataFrame({"time_ms": t[()], "node_id": ids[()]})
        df.attrs = {"units": {"time_ms": "ms", "node_id": ""}, "source": "%s:/spikes/%s" % (self.path, population),
                    "population": population, "sorting": SORTING.get(hv.attr(g[population], "sorting"), "unknown")}
        return df

    @property
    def simulated_ms(self):
        """Fast time simulated (ms): /summary attribute simulated_ms."""
        return float(hv.attr(self._get("summary", h5py.Group), "simulated_ms"))

    def summary(self):
        """/summary: one row per population (neurons, spikes, cv_neurons, mean_rate_Hz,
        mean_cv_isi); the run's totals (synaptic_events, synapses, simulated_ms) in attrs."""
        g = self._get("summary", h5py.Group, "an unfinished run?")
        rows = {p: hv.attrs(g[p]) for p in g if isinstance(g[p], h5py.Group)}
        df = pd.DataFrame.from_dict(rows, orient="index")
        order = [c for c in ("neurons", "spikes", "cv_neurons", "mean_rate_Hz", "mean_cv_isi") if c in df]
        df = df[order + [c for c in df.columns if c not in order]]
        df.index.name = "population"
        df.attrs = dict(hv.attrs(g))
        df.attrs["units"] = {c: suffix_unit(c) for c in df.columns}
        df.attrs["source"] = "%s:/summary" % self.path
        return df

    def rates(self):
        """/rates: population rates in Hz, one column per population (`DRN [Hz]`), indexed by
        `time_ms`, the end of each bin (bins count spikes in (start, end]). The bins run from
        t = 0 in a plain run, from each recorded window's start in a course (/windows); a
        window's or the run's last bin may be shorter. attrs: bin_ms, bin_start_ms (array),
        neurons ({population: size})."""
        g = self._get("rates", h5py.Group, "the run wrote no rates")
        pops = list(g)
        for p in pops:
            if hv.attr(g[p], "bin_ms") is None:
                raise ValueError("%s: /rates/%s has no attribute bin_ms" % (self.path, p))
        bins = {float(hv.attr(g[p], "bin_ms")) for p in pops}
        lengths = {len(g[p]) for p in pops}
        if len(bins) > 1 or len(lengths) > 1:
            raise ValueError("%s: /rates datasets differ in bin_ms or length" % self.path)
        bin_ms = bins.pop() if bins else float("nan")
        n = lengths.pop() if lengths else 0
        start, end = self._rate_bins(n, bin_ms)
        data, units = {}, {"time_ms": "ms"}
        for p in pops:
            c = label(p, hv.unit_of(g[p], "Hz"))
            data[c] = g[p][()]
            units[c] = hv.unit_of(g[p], "Hz")
        df = pd.DataFrame(data, index=pd.Index(end, name="time_ms"))
        df.attrs = {"units": units, "source": "%s:/rates" % self.path, "bin_ms": bin_ms, "bin_start_ms": start,
                    "neurons": {p: hv.attr(g[p], "neurons") for p in pops}}
        return df

    def _rate_bins(self, n, bin_ms):
        """(start, end) times in ms of the n rate bins (see rates())."""
        start, end = np.zeros(n), np.zeros(n)
        if "windows" in self._file:
            w = self.windows()
            for _, r in w.iterrows():
                k = np.arange(int(r["rate_bins"]))
                first = int(r["first_rate_bin"])
                if first + len(k) > n:
                    raise ValueError("%s: /windows refers to rate bins beyond /rates (%d)" % (self.path, n))
                start[first:first + len(k)] = r["fast_begin_ms"] + k * bin_ms
                end[first:first + len(k)] = np.minimum(r["fast_begin_ms"] + (k + 1) * bin_ms, r["fast_end_ms"])
            if int(w["rate_bins"].sum()) != n:
                raise ValueError("%s: /windows accounts for %d rate bins, /rates has %d"
                                 % (self.path, int(w["rate_bins"].sum()), n))
            return start, end
        k = np.arange(n)
        total = self.simulated_ms if "summary" in self._file else np.inf
        return k * bin_ms, np.minimum((k + 1) * bin_ms, total)

    def traces(self):
        """/chemistry: every trace as a column, indexed by `time_ms` (the sample times):
        `pools/REGION.TR_uM`, `drugs/D/plasma_uM`, `drug_occupancy/TARGET`,
        `populations/POP/RECEPTOR/{occupancy,activation,desensitised}`, `populations/POP/cAMP`..."""
        g = self._get("chemistry", h5py.Group, "the model has no chemistry")
        return self._frame(g, index="time_ms")

    # -- courses ----------------------------------------------------------------------------

    def slow(self, group=None):
        """/slow (runs with a [protocol]): one row per slow step, indexed by `time_h` (the step's
        end), columns `step_h`, `rate/DRN [Hz]`, `pool/PFC/5HT [uM]`, `state/sleep/asleep`,
        `outcome/rating`, ... With `group` ('rate', 'outcome', 'state/sleep'): only the
        datasets under /slow/group, named relative to it."""
        s = self._get("slow", h5py.Group, "only runs with a [protocol] (courses) have /slow")
        t = self._get("slow/time_h", h5py.Dataset)
        index = ("time_h", t[()], hv.unit_of(t, "h"))
        if group is None:
            return self._frame(s, index=index, skip=("time_h",))
        hint = "the config had no [outcomes]" if group.strip("/") == "outcome" else ""
        return self._frame(self._get("slow/" + group.strip("/"), h5py.Group, hint), index=index)

    def outcomes(self):
        """/slow/outcome (configs with [outcomes], docs/model/outcomes.md): score, rating,
        baseline, response, remission, relapse, amygdala_response [Hz], prefrontal_response [Hz],
        bdnf, neurogenesis, sleep [h/day], per slow step (the latest day's values)."""
        return self.slow("outcome")

    def windows(self):
        """/windows (courses): one row per recorded window: step, fast_begin_ms, fast_end_ms,
        calendar_begin_h, calendar_end_h, first_rate_bin, rate_bins (the counts as int64)."""
        df = self._frame(self._get("windows", h5py.Group, "only runs with a [protocol] have /windows"))
        order = [c for c in WINDOW_COLUMNS if c in df]
        df = df[order + [c for c in df.columns if c not in order]]
        for c in ("step", "first_rate_bin", "rate_bins"):
            if c in df:
                df[c] = df[c].astype(np.int64)
        df.index.name = "window"
        return df

    # -- probes and weights -----------------------------------------------------------------

    @property
    def probes(self):
        """Names of the probes (/probes/<name>)."""
        g = self._file.get("probes")
        return list(g) if isinstance(g, h5py.Group) else []

    def probe(self, name):
        """/probes/<name>: one row per completed cue (index `cue`): onset_ms, calendar_h and per
        readout population `POP/baseline_Hz`, `POP/response_Hz`, `POP/evoked [spikes per neuron
        per cue]`, `POP/latency_ms`. attrs: drive, baseline_ms, response_ms, populations."""
        if name not in self.probes:
            raise ValueError("%s: no probe /probes/%s (probes: %s)"
                             % (self.path, name, ", ".join(self.probes) or "none"))
        g = self._file["probes"][name]
        df = self._frame(g)
        first = [c for c in ("onset_ms", "calendar_h") if c in df]
        df = df[first + [c for c in df.columns if c not in first]]
        df.index.name = "cue"
        df.attrs.update(hv.attrs(g))
        df.attrs["populations"] = [k for k in g if isinstance(g[k], h5py.Group)]
        return df

    @property
    def edges(self):
        """Names of the recorded plastic projections (/edges/<PRE_to_POST>, record_weights)."""
        g = self._file.get("edges")
        return list(g) if isinstance(g, h5py.Group) else []

    def weights(self, name):
        """/edges/<name> (SONATA edges): one row per synapse, columns source_node_id,
        target_node_id, `syn_weight [UNIT]` (nS, pA or mV). attrs: projection,
        source_population, target_population."""
        g = self._get("edges/" + name, h5py.Group, "record_weights = true in [plasticity.PRE->POST]")
        src, tgt = g["source_node_id"], g["target_node_id"]
        w = self._get("edges/%s/0/syn_weight" % name, h5py.Dataset)
        unit = hv.unit_of(w)
        df = pd.DataFrame({"source_node_id": src[()], "target_node_id": tgt[()], label("syn_weight", unit): w[()]})
        df.attrs = {"units": {"source_node_id": "", "target_node_id": "", label("syn_weight", unit): unit},
                    "source": "%s:%s" % (self.path, g.name), "projection": hv.text_attr(g, "projection", name),
                    "source_population": hv.text_attr(src, "node_population"),
                    "target_population": hv.text_attr(tgt, "node_population")}
        return df
