#!/usr/bin/python3
"""What a course's rating is made of: the score's terms at baseline and late in treatment.

The clinical score (docs/model/outcomes.md) is a weighted sum of five relative deficits. For
each output this prints one row: the baseline rating, the mean daily rating of the late weeks
(default weeks 6-8 of treatment), its fall from the baseline, the share of those days on which
the patient was responding, the day remission is first entered (day N ends at hour 24 N, as in
the main job's text), and each term of the score of the
baseline week's mean readouts and of the late weeks' mean readouts ("baseline -> late"). It is
how the one-factor table of outcomes.md ("What decides a patient's outcome") is made:

  neurochem run configs/main/escitalopram.ini --set patient.pfc_amygdala_coupling=0.45 -o pfc045.h5
  /usr/bin/python3 tools/calibration/outcome_terms.py main.h5 pfc045.h5 [--weeks 6-8]

Weeks of treatment start at hour 24 (burn_in + baseline) (week 1: the first seven days from the
first dose). The readouts and flags are the values /slow/outcome holds at each day's
end. Needs h5py and pandas (python3-h5py, python3-pandas) and the reader package (found here).
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "python"))
sys.path.insert(0, HERE)
from neurochem_reader import open_run  # noqa: E402
from outcome_references import daily_readouts, days_of  # noqa: E402

MS_PER_HOUR = 3600000.0


def number(cfg, key, path):
    try:
        return float(cfg[key].split(" ")[0])
    except (KeyError, ValueError):
        sys.exit("%s: [outcomes] %s is missing or not a number: %r" % (path, key, cfg.get(key)))


def terms(cfg, path, A, C, B, N, Z):
    """The five terms of the score (points) of mean readouts, as src/slow/outcomes.cpp."""
    w = {k: number(cfg, "weight_" + k, path) for k in ("amygdala", "prefrontal", "bdnf", "neurogenesis", "sleep")}
    z_ref = number(cfg, "sleep_reference", path) / MS_PER_HOUR  # canonical ms per day -> h
    sleep = 1.0 - Z / z_ref
    if cfg.get("sleep_term", "signed") == "deficit":
        sleep = max(0.0, sleep)
    return {
        "amygdala": 100 * w["amygdala"] * (A / number(cfg, "amygdala_reference", path) - 1),
        "prefrontal": 100 * w["prefrontal"] * (1 - C / number(cfg, "prefrontal_reference", path)),
        "bdnf": 100 * w["bdnf"] * (1 - B / number(cfg, "bdnf_reference", path)),
        "newborn": 100 * w["neurogenesis"] * (1 - N / number(cfg, "neurogenesis_reference", path)),
        "sleep": 100 * w["sleep"] * sleep,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outputs", nargs="+", help="outputs (.h5) of courses with [outcomes]")
    ap.add_argument("--weeks", default="6-8", help="late weeks of treatment, FIRST-LAST (default 6-8)")
    a = ap.parse_args()
    try:
        w0, w1 = (int(x) for x in a.weeks.split("-"))
    except ValueError:
        sys.exit("outcome_terms.py: --weeks must be FIRST-LAST, e.g. 6-8, not %r" % a.weeks)
    if not 1 <= w0 <= w1:
        sys.exit("outcome_terms.py: --weeks must be FIRST-LAST with 1 <= FIRST <= LAST")
    names = ["amygdala", "prefrontal", "bdnf", "newborn", "sleep"]
    head = ["output", "baseline", "late", "fall", "responding", "remission day"] + names
    print("\t".join(head))
    for path in a.outputs:
        try:
            with open_run(path) as run:
                cfg = run.config.get("outcomes")
                if cfg is None:
                    sys.exit("%s: the run has no [outcomes] section" % path)
                df = run.outcomes()
        except (OSError, ValueError, KeyError) as e:
            sys.exit("outcome_terms.py: %s: %s" % (path, e))
        burn = days_of(cfg.get("burn_in", ""), "burn_in", path)
        base = days_of(cfg.get("baseline", ""), "baseline", path)
        first = burn + base  # the first day of treatment
        daily, day = daily_readouts(df)
        late = (day >= first + 7 * (w0 - 1)) & (day < first + 7 * w1)
        if day.max() < first + 7 * w1 - 1:
            sys.exit("%s: the run ends on day %d; weeks %d-%d of treatment need day %d"
                     % (path, day.max(), w0, w1, first + 7 * w1 - 1))
        baseline_days = (day >= burn) & (day < first)

        def mean_readouts(sel):
            col = lambda c: daily[c].to_numpy()[sel].mean()  # noqa: E731
            return (col("amygdala_response [Hz]"), col("prefrontal_response [Hz]"), col("bdnf"),
                    col("neurogenesis"), col("sleep [h/day]"))

        t0 = terms(cfg, path, *mean_readouts(baseline_days))
        t1 = terms(cfg, path, *mean_readouts(late))
        baseline = daily["baseline"].to_numpy()[day >= first][0]
        rating = daily["rating"].to_numpy()[late].mean()
        responding = daily["response"].to_numpy()[late].mean()
        rem = day[(daily["remission"].to_numpy() > 0)]
        row = [os.path.basename(path), "%.1f" % baseline, "%.1f" % rating,
               "%.0f %%" % (100 * (1 - rating / baseline)) if baseline > 0 else "-",
               "%.0f %%" % (100 * responding), str(rem[0] + 1) if len(rem) else "never"]
        row += ["%.1f -> %.1f" % (t0[n], t1[n]) for n in names]
        print("\t".join(row))


if __name__ == "__main__":
    main()
