#!/usr/bin/python3
"""Per-arm summary of a virtual trial from `neurochem collect`'s table: response and remission
rates at the end with Wilson 95 % intervals, the rate of ever responding, and Kaplan-Meier curves
of the time to first response and to first remission (censored at the end of the course); with a
discontinuation protocol, of the time to relapse after remission, and in a relapse-prevention trial
([outcomes] continuation_from), of the time to relapse from the start of the continuation phase in
the patients in remission on that day. The arms: --arm KEY[,KEY...], else (as neurochem collect)
the varied keys that differ between the rows of one sampled patient.

    /usr/bin/python3 tools/trial_summary.py trial.csv [--arm regimen.escitalopram.dose] [-o km.png]
                                            [--sweep trial_escitalopram.sweep]

The table is collect's CSV or its HDF5 file (trial.h5: the same report), read with
neurochem_reader (../python).

With --sweep (the sweep directory), also the mean rating trajectory of each arm, week by week
(from each point's out.h5 under DIR/points/, found by the point number, never by a path in a
file, and checked against the row's config_hash), printed and, with -o, plotted beside the
survival curves.

Needs courses with [outcomes] (the clinical.* columns, docs/model/outcomes.md). Days are
calendar days of the course; `--origin` (default: burn-in + baseline of the main job, 10 days)
makes them days of treatment.
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plotlib  # noqa: E402  (locates neurochem_reader; matplotlib only for -o)


def wilson(k, n, z=1.959964):
    """Wilson score interval of k successes in n trials (Wilson 1927)."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def kaplan_meier(times, events):
    """Product-limit estimate: [(t, S(t))] at each event time; events 1 = happened, 0 = censored."""
    if any(not (isinstance(t, (int, float)) and math.isfinite(t)) for t in times):
        raise ValueError("kaplan_meier: every time must be a finite number")
    data = sorted(zip(times, events))
    at_risk, s, curve = len(data), 1.0, [(0.0, 1.0)]
    i = 0
    while i < len(data):
        t = data[i][0]
        d = sum(1 for tt, e in data if tt == t and e)
        c = sum(1 for tt, e in data if tt == t)
        if d:
            s *= 1 - d / at_risk
            curve.append((t, s))
        at_risk -= c
        i += c
    return curve


def number(text):
    try:
        return float(text)
    except ValueError:
        return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("table", help="CSV (or HDF5) table written by neurochem collect")
    ap.add_argument("--arm", help="column naming the arm (default: the first non-clinical column that varies "
                                  "in steps of the sweep grid, e.g. regimen.escitalopram.dose)")
    ap.add_argument("--origin", type=float, default=10.0, help="treatment start, calendar days (default 10)")
    ap.add_argument("-o", "--png", help="Kaplan-Meier plot (needs matplotlib)")
    ap.add_argument("--sweep", help="the sweep directory: mean rating trajectories per arm")
    ap.add_argument("--min-baseline", type=float, default=None,
                    help="enrolment: only patients whose baseline rating is at least this (as trials enrol by "
                         "severity); the same patients in every arm")
    a = ap.parse_args()
    try:  # every cell as the CSV's text: '' where empty, numbers as written
        rows = plotlib.reader.read_sweep_table(a.table, text=True, require=()).to_dict("records")
    except (OSError, ValueError) as e:
        sys.exit("trial_summary: %s" % e)
    if not rows:
        sys.exit("trial_summary: %s has no rows" % a.table)
    need = ["clinical.final_rating", "clinical.response_final", "clinical.remission_final",
            "clinical.response_day [day]", "clinical.remission_day [day]", "clinical.end_day [day]"]
    missing = [c for c in need if c not in rows[0]]
    if missing:
        sys.exit("trial_summary: %s lacks %s: were the courses run with [outcomes]?" % (a.table, ", ".join(missing)))
    if a.arm:
        arm_cols = [c.strip() for c in a.arm.split(",")]
    else:
        # as neurochem collect: the varied keys that differ between the rows of one patient
        # (sample), else the first regimen/session column
        keys = [c for c in rows[0] if c.startswith(("regimen.", "session.", "patient.", "outcomes."))]
        arm_cols = []
        if "sample" in rows[0]:
            for c in keys:
                seen = {}
                if any(seen.setdefault(r["sample"], r[c]) != r[c] for r in rows):
                    arm_cols.append(c)
        if not arm_cols:
            candidates = [c for c in keys if not c.startswith(("patient.", "outcomes."))]
            if not candidates:
                sys.exit("trial_summary: no arm column found; name it with --arm")
            arm_cols = candidates[:1]
    for c in arm_cols:
        if c not in rows[0]:
            sys.exit("trial_summary: no column %r in %s" % (c, a.table))
    if a.sweep and not os.path.isdir(a.sweep):
        sys.exit("trial_summary: --sweep %s is not a directory (the sweep directory of the table)" % a.sweep)
    arm = " / ".join(arm_cols)
    arms = {}
    enrolled = screened_out = 0
    for r in rows:
        if r.get("status", "done") not in ("done", ""):
            continue
        if r.get("clinical.enrolled", "") not in ("", None) and number(r["clinical.enrolled"]) == 0:
            screened_out += 1  # the trial's own enrolment criterion ([outcomes] enrol_min_baseline)
            continue
        if a.min_baseline is not None:
            if "clinical.baseline" not in r:
                sys.exit("trial_summary: --min-baseline needs the clinical.baseline column")
            if not number(r["clinical.baseline"]) >= a.min_baseline:
                continue
        for c in ("clinical.end_day [day]", "clinical.response_final", "clinical.remission_final",
                  "clinical.final_rating"):
            if math.isnan(number(r[c])):
                sys.exit("trial_summary: %s: point %s has no number in %s (%r): a point that is not "
                         "done, or an edited table" % (a.table, r.get("point", "?"), c, r[c]))
        enrolled += 1
        arms.setdefault(" / ".join(str(r[c]) for c in arm_cols), []).append(r)
    if screened_out:
        print("not enrolled: %d points (the trial's [outcomes] enrol_min_baseline)" % screened_out)
    if a.min_baseline is not None:
        print("enrolled: %d of %d points with a baseline rating >= %g" % (enrolled, len(rows), a.min_baseline))
    print("%-12s %4s  %-24s %-24s %-24s %s" % ("arm", "n", "response at end", "remission at end",
                                               "ever responded", "mean final rating"))
    curves = {}
    for name, rs in arms.items():
        n = len(rs)
        end_day = [number(r["clinical.end_day [day]"]) for r in rs]
        resp = sum(number(r["clinical.response_final"]) > 0 for r in rs)
        rem = sum(number(r["clinical.remission_final"]) > 0 for r in rs)
        rday = [number(r["clinical.response_day [day]"]) for r in rs]
        ever = sum(not math.isnan(d) for d in rday)
        final = [number(r["clinical.final_rating"]) for r in rs]

        def fmt(k):
            lo, hi = wilson(k, n)
            return "%2d/%-2d %3.0f%% [%3.0f, %3.0f]" % (k, n, 100 * k / n, 100 * lo, 100 * hi)

        print("%-12s %4d  %-24s %-24s %-24s %.1f" % (name, n, fmt(resp), fmt(rem), fmt(ever), sum(final) / n))
        for what, col in (("response", "clinical.response_day [day]"), ("remission", "clinical.remission_day [day]")):
            days = [number(r[col]) for r in rs]
            times = [(d if not math.isnan(d) else e) - a.origin for d, e in zip(days, end_day)]
            events = [0 if math.isnan(d) else 1 for d in days]
            curves[(name, what)] = (kaplan_meier(times, events), max(times))
        if "clinical.relapse_day [day]" in rs[0]:
            rel = [number(r["clinical.relapse_day [day]"]) for r in rs]
            if any(not math.isnan(d) for d in rel):
                rem_day = [number(r["clinical.remission_day [day]"]) for r in rs]
                times, events = [], []
                for d, rd, e in zip(rel, rem_day, end_day):
                    if math.isnan(rd):
                        continue  # never remitted: not at risk of relapse
                    times.append((d if not math.isnan(d) else e) - rd)
                    events.append(0 if math.isnan(d) else 1)
                curves[(name, "relapse")] = (kaplan_meier(times, events), max(times))
        if "clinical.continuation_day [day]" in rs[0]:
            # relapse prevention: from the start of the continuation phase, in the patients in
            # remission on that day (censored at the end)
            times, events = [], []
            for r in rs:
                start = number(r["clinical.continuation_day [day]"])
                if math.isnan(start) or not number(r["clinical.remission_at_continuation"]) > 0:
                    continue
                d = number(r["clinical.relapse_in_continuation_day [day]"])
                times.append((d if not math.isnan(d) else number(r["clinical.end_day [day]"])) - start)
                events.append(0 if math.isnan(d) else 1)
            if times:
                curves[(name, "relapse in continuation")] = (kaplan_meier(times, events), max(times))
    for (name, what), (curve, _) in sorted(curves.items()):
        steps = ", ".join("day %g: %.2f" % (t, s) for t, s in curve[1:])
        unit = {"relapse": "days after remission", "relapse in continuation": "days from its start"}.get(
            what, "days of treatment")
        print("KM %s, time to %s (%s; fraction without): %s" % (name, what, unit, steps or "no events"))
    trajectories = {}
    if a.sweep:
        import numpy as np
        root = os.path.realpath(a.sweep)
        warned = False
        # points/NNNN: four digits, more in sweeps of 10 001 points or more (as the planner names them)
        try:
            names = {int(n): n for n in os.listdir(os.path.join(root, "points")) if n.isdigit()}
        except OSError as e:
            sys.exit("trial_summary: --sweep %s has no points/ directory (%s)" % (a.sweep, e.strerror))
        for name, rs in arms.items():
            ys = []
            for r in rs:
                text = str(r.get("point", ""))
                if not text.isdigit():
                    sys.exit("trial_summary: %s: the point column must hold the point's number, not %r"
                             % (a.table, text))
                point = int(text)
                path = os.path.realpath(os.path.join(root, "points", names.get(point, "%04d" % point), "out.h5"))
                if not path.startswith(root + os.sep) or not os.path.isfile(path):
                    sys.exit("trial_summary: point %d has no output under %s" % (point, root))
                try:
                    with plotlib.reader.open_run(path) as run:
                        ran = str(run.provenance.get("config_hash", ""))
                        outcome = run.outcomes()
                except ValueError as e:
                    sys.exit("trial_summary: point %d: %s" % (point, e))
                # The output must be the one the table's row was collected from (a table put
                # together by hand without the column cannot be checked: said once).
                if "config_hash" not in r:
                    if not warned:
                        print("trial_summary: warning: %s has no config_hash column; the outputs under %s "
                              "are not checked against its rows" % (a.table, root), file=sys.stderr)
                        warned = True
                elif ran != str(r["config_hash"]):
                    sys.exit("trial_summary: point %d: %s holds config %s, but the table's row says %s "
                             "(is --sweep the sweep the table was collected from?)"
                             % (point, path, ran[:12] or "(none)", str(r.get("config_hash", ""))[:12] or "(none)"))
                t = outcome.index.to_numpy()
                rating = outcome["rating"].to_numpy()
                ends = np.abs(t / 24 - np.round(t / 24)) < 1e-9
                ys.append(rating[ends])
            n = min(len(y) for y in ys)
            mean = np.mean([y[:n] for y in ys], axis=0)
            sd = np.std([y[:n] for y in ys], axis=0)
            days = np.arange(1, n + 1) - a.origin
            keep = days > -7  # the baseline week and after (the burn-in days are not scored)
            days, mean, sd = days[keep], mean[keep], sd[keep]
            trajectories[name] = (days, mean, sd)
            weekly = ["week %d: %.1f" % (w, mean[(days > 7 * (w - 1)) & (days <= 7 * w)][-1])
                      for w in range(0, int(days[-1] // 7) + 1) if ((days > 7 * (w - 1)) & (days <= 7 * w)).any()]
            print("mean rating %s (n = %d; week 0 = baseline): %s" % (name, len(ys), ", ".join(weekly)))
    if a.png:
        plt = plotlib.pyplot()
        whats = sorted({w for _, w in curves})
        fig, axes = plt.subplots(1, len(whats) + bool(trajectories), figsize=(5 * (len(whats) + bool(trajectories)), 4),
                                 squeeze=False)
        if trajectories:
            ax = axes[0][-1]
            for name, (days, mean, sd) in sorted(trajectories.items()):
                ax.plot(days / 7, mean, label="%s = %s" % (arm, name))
                ax.fill_between(days / 7, mean - sd, mean + sd, alpha=0.2)
            ax.set_title("mean rating (+- SD)", fontsize=9, loc="left")
            ax.set_xlabel("weeks of treatment")
            ax.legend(fontsize=8)
        for ax, what in zip(axes[0], whats):
            for (name, w), (curve, follow_up) in sorted(curves.items()):
                if w != what:
                    continue
                # the last value holds until the longest follow-up (censored patients)
                t = [c[0] for c in curve] + [max(follow_up, curve[-1][0])]
                s = [c[1] for c in curve] + [curve[-1][1]]
                ax.step(t, s, where="post", label="%s = %s" % (arm, name))
            ax.set_title("time to %s (Kaplan-Meier)" % what, fontsize=9, loc="left")
            ax.set_xlabel("days" + {"relapse": " after remission",
                                    "relapse in continuation": " from the start of continuation"}.get(
                                        what, " of treatment"))
            ax.set_ylabel("fraction without " + what)
            ax.set_ylim(0, 1.05)
            ax.legend(fontsize=8)
        fig.tight_layout()
        png = plotlib.save(fig, a.png, a.table, "trial_summary")
        print("wrote", png)


if __name__ == "__main__":
    main()
