"""The course's own tooling around nbgrader: synthetic submissions, the demo pipeline, benchmarks' helpers."""
