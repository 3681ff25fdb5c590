#!/usr/bin/python3
"""tools/trial_summary.py against hand-computed values: the Wilson interval (Wilson 1927; 5 of 20:
0.112-0.469, Newcombe 1998 Stat Med 17:857 table I style values) and the Kaplan-Meier product-limit
estimate with ties and censoring, then the whole tool on a small collect-style table."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "tools")
sys.path.insert(0, TOOLS)
import trial_summary as ts  # noqa: E402


def run_tool_process(cols, rows, *args):
    """tools/trial_summary.py on a collect-style CSV of these columns and rows (and args): the
    finished process. A time limit (10 min, far above the ~1 s it takes: no speed verdict), so
    that a tool that loops forever fails the test instead of hanging the suite."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(cols)
            w.writerows(rows)
        return subprocess.run([sys.executable, os.path.join(TOOLS, "trial_summary.py"), path] + list(args),
                              capture_output=True, text=True, timeout=600)


def run_tool(cols, rows):
    """The tool's output on a table it must accept (a non-zero exit fails the test)."""
    r = run_tool_process(cols, rows)
    if r.returncode != 0:
        raise AssertionError("trial_summary.py exited %d: %s" % (r.returncode, r.stderr))
    return r.stdout


def run_tool_failing(cols, rows, *args):
    """For a table the tool must refuse: (exit code, stderr)."""
    r = run_tool_process(cols, rows, *args)
    return r.returncode, r.stderr


class TrialSummary(unittest.TestCase):
    def test_wilson(self):
        lo, hi = ts.wilson(5, 20)
        self.assertAlmostEqual(lo, 0.1119, places=3)
        self.assertAlmostEqual(hi, 0.4687, places=3)
        lo, hi = ts.wilson(0, 10)
        self.assertEqual(lo, 0.0)
        self.assertAlmostEqual(hi, 0.2775, places=3)

    def test_kaplan_meier(self):
        # events at 5, 10, 10, 20; censored at 15: S = 4/5, then x 2/4, then x 0/1.
        curve = ts.kaplan_meier([5, 10, 10, 15, 20], [1, 1, 1, 0, 1])
        self.assertEqual([t for t, _ in curve], [0.0, 5, 10, 20])
        for (_, s), want in zip(curve, [1.0, 0.8, 0.4, 0.0]):
            self.assertAlmostEqual(s, want)

    def test_tool_on_a_table(self):
        cols = ["point", "status", "regimen.escitalopram.dose", "clinical.end_day [day]", "clinical.final_rating",
                "clinical.response_final", "clinical.remission_final", "clinical.response_day [day]",
                "clinical.remission_day [day]", "clinical.relapse_day [day]"]
        rows = []
        for i in range(4):
            rows.append([i, "done", "0 mg", 66, 30, 0, 0, "", "", ""])
            rows.append([i, "done", "20 mg", 66, 8, int(i < 3), int(i < 2), 40 + i, 50 + i if i < 2 else "", ""])
        out = run_tool(cols, rows)
        self.assertIn("20 mg           4   3/4   75%", out)
        self.assertIn("0 mg            4   0/4    0%", out)
        # time to remission in the 20-mg arm: days 40 and 41 of treatment, two censored at the
        # course's end (day 56 of treatment): 3/4, then 2/4
        self.assertIn("KM 20 mg, time to remission (days of treatment; fraction without): day 40: 0.75, "
                      "day 41: 0.50", out)
        # time to response in the 20-mg arm: days 30, 31, 32, 33 of treatment (origin 10)
        self.assertIn("KM 20 mg, time to response (days of treatment; fraction without): day 30: 0.75, "
                      "day 31: 0.50, day 32: 0.25, day 33: 0.00", out)

    def test_continuation_and_zipped_arms(self):
        # two patients x two arms given by two zipped keys; relapse from day 66 in the patients in
        # remission then: continued arm no relapse; stopped arm one relapse 34 days in, one censored
        cols = ["point", "status", "sample", "regimen.e.stop", "regimen.t.dose", "patient.k",
                "clinical.end_day [day]", "clinical.final_rating", "clinical.response_final",
                "clinical.remission_final", "clinical.response_day [day]", "clinical.remission_day [day]",
                "clinical.relapse_day [day]", "clinical.continuation_day [day]",
                "clinical.remission_at_continuation", "clinical.relapse_in_continuation_day [day]"]
        rows = [[0, "done", 0, "150 day", "0 mg", 1.1, 150, 5, 1, 1, 40, 45, "", 66, 1, ""],
                [1, "done", 0, "66 day", "10 mg", 1.1, 150, 25, 0, 0, 40, 45, 100, 66, 1, 100],
                [2, "done", 1, "150 day", "0 mg", 0.9, 150, 6, 1, 1, 50, 60, "", 66, 1, ""],
                [3, "done", 1, "66 day", "10 mg", 0.9, 150, 8, 1, 1, 50, 60, "", 66, 1, ""]]
        out = run_tool(cols, rows)
        self.assertIn("KM 66 day / 10 mg, time to relapse in continuation (days from its start; fraction "
                      "without): day 34: 0.50", out)
        self.assertIn("KM 150 day / 0 mg, time to relapse in continuation (days from its start; fraction "
                      "without): no events", out)
        # the trial's own enrolment (clinical.enrolled): patient 1 screened out of both arms
        enrolled = [r + [1 if r[2] == 0 else 0] for r in rows]
        out = run_tool(cols + ["clinical.enrolled"], enrolled)
        self.assertIn("not enrolled: 2 points (the trial's [outcomes] enrol_min_baseline)", out)
        self.assertIn("KM 150 day / 0 mg, time to relapse in continuation (days from its start; fraction "
                      "without): no events", out)
        # the stopped arm is patient 0 alone: the relapse on day 34 takes the curve to 0
        self.assertIn("KM 66 day / 10 mg, time to relapse in continuation (days from its start; fraction "
                      "without): day 34: 0.00", out)

    def test_bad_tables_are_refused(self):
        # kaplan_meier itself: a NaN time is an error (it used to loop forever on one; run in a
        # child with a time limit, so that such a regression fails instead of hanging the suite)
        r = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, %r); import trial_summary as t; "
                            "t.kaplan_meier([5, float('nan')], [1, 0])" % TOOLS],
                           capture_output=True, text=True, timeout=600)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("every time must be a finite number", r.stderr)
        cols = ["point", "regimen.escitalopram.dose", "clinical.end_day [day]", "clinical.final_rating",
                "clinical.response_final", "clinical.remission_final", "clinical.response_day [day]",
                "clinical.remission_day [day]"]
        good = [[0, "0 mg", 66, 30, 0, 0, "", ""], [0, "20 mg", 66, 8, 1, 1, 40, 50]]
        # a row without outcomes and no status column (a point not done, or a table cut short)
        code, err = run_tool_failing(cols, good + [[1, "20 mg", "", "", "", "", "", ""]])
        self.assertNotEqual(code, 0)
        self.assertIn("point 1 has no number in clinical.end_day [day]", err)
        # --sweep: a directory that does not exist, and a point column that is not a number
        code, err = run_tool_failing(cols, good, "--sweep", "/nonexistent/trial.sweep")
        self.assertNotEqual(code, 0)
        self.assertIn("is not a directory", err)
        with tempfile.TemporaryDirectory() as sweep:
            code, err = run_tool_failing(cols, good, "--sweep", sweep)
            self.assertNotEqual(code, 0)
            self.assertIn("has no points/ directory", err)
            os.mkdir(os.path.join(sweep, "points"))
            bad = [["../../etc"] + r[1:] for r in good]
            code, err = run_tool_failing(cols, bad, "--sweep", sweep)
            self.assertNotEqual(code, 0)
            self.assertIn("the point column must hold the point's number, not '../../etc'", err)


if __name__ == "__main__":
    unittest.main()
