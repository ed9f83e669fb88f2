"""The tooling of an nbgrader course, on nbgrader's plug points: intake, parallel sandboxed autograding, feedback,
exports, class report and the students' self-check, for any assignment; and TP1's own corpus, demo and fairness
report (tp1.py)."""
