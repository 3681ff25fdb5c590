#!/usr/bin/python3
"""The [outcomes] references of a resolution, from a healthy course (docs/model/outcomes.md).

The clinical score measures each readout against the healthy circuit at the same resolution
(slow step, windows, scale): run the course with every [patient] factor 1, then average its
daily readouts over the treatment weeks. For the main job:

  neurochem run configs/main/untreated.ini -o healthy.h5 \\
      --set patient.autoreceptor_density=1 --set patient.bdnf_expression=1 \\
      --set patient.pfc_amygdala_coupling=1 --set patient.stress_drive=1 \\
      --set patient.sleep_drive=1
  /usr/bin/python3 tools/calibration/outcome_references.py healthy.h5 [--weeks 8]

prints the five reference keys (means over the `weeks` weeks after burn-in + baseline, the
weeks the main job rates) and each readout's week-by-week means and daily spread. The daily
readouts are the values /slow/outcome holds at the end of each day. Needs h5py and pandas
(python3-h5py, python3-pandas) and the reader package (PYTHONPATH=python, set here).
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))
from neurochem_reader import open_run  # noqa: E402

READOUTS = [  # (column of /slow/outcome, [outcomes] key, unit written after the value)
    ("amygdala_response [Hz]", "amygdala_reference", ""),
    ("prefrontal_response [Hz]", "prefrontal_reference", ""),
    ("bdnf", "bdnf_reference", ""),
    ("neurogenesis", "neurogenesis_reference", ""),
    ("sleep [h/day]", "sleep_reference", " h"),
]
MS_PER_DAY = 86400000.0


def days_of(value, key, path):
    """A canonical time value ('259200000 ms') in whole days."""
    number, _, unit = value.partition(" ")
    if unit != "ms":
        sys.exit("%s: [outcomes] %s = %r is not a canonical time" % (path, key, value))
    return int(round(float(number) / MS_PER_DAY))


def daily_readouts(df):
    """The /slow/outcome rows at the end of each day, and the day each ends (0-based: day d
    ends at hour 24 (d + 1))."""
    t = df.index.to_numpy()
    ends = np.isclose(t / 24.0, np.round(t / 24.0)) & (t > 0)
    daily = df[ends]
    return daily, np.round(daily.index.to_numpy() / 24.0).astype(int) - 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", help="a healthy course's output (.h5) with [outcomes]")
    ap.add_argument("--weeks", type=int, default=8, help="weeks averaged (default 8)")
    ap.add_argument("--from-day", type=int, default=None,
                    help="first day averaged (default: burn_in + baseline, day 0 of treatment)")
    a = ap.parse_args()
    try:
        with open_run(a.output) as run:
            cfg = run.config.get("outcomes")
            if cfg is None:
                sys.exit("%s: the run has no [outcomes] section" % a.output)
            first = days_of(cfg["burn_in"], "burn_in", a.output) + days_of(
                cfg["baseline"], "baseline", a.output)
            df = run.outcomes()
    except (OSError, ValueError, KeyError) as e:
        sys.exit("outcome_references.py: %s" % e)
    if a.from_day is not None:
        first = a.from_day
    if a.weeks < 1 or first < 0:
        sys.exit("outcome_references.py: --weeks must be at least 1 and --from-day at least 0")
    daily, day = daily_readouts(df)
    last = first + 7 * a.weeks
    if len(day) == 0 or day.max() < last - 1:
        sys.exit("%s: the run ends on day %d; %d weeks from day %d need day %d"
                 % (a.output, day.max() + 1 if len(day) else 0, a.weeks, first, last))
    print("# references: means of the daily readouts of days %d-%d (%d weeks) of %s" %
          (first, last - 1, a.weeks, a.output))
    for col, key, unit in READOUTS:
        v = daily[col].to_numpy()[(day >= first) & (day < last)]
        weekly = [daily[col].to_numpy()[(day >= first + 7 * w) & (day < first + 7 * w + 7)].mean()
                  for w in range(a.weeks)]
        print("%s = %.6g%s" % (key, v.mean(), unit))
        print("#   weeks: %s; daily sd %.3g" % (" ".join("%.4g" % x for x in weekly), v.std()))


if __name__ == "__main__":
    main()
