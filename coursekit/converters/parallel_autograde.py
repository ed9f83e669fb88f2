"""nbgrader's Autograde converter with the students' notebooks executed concurrently.

Only the Execute step leaves nbgrader's order. For each submission, this process runs nbgrader's
own steps before it (destination, gradebook entries, sanitizing) and hands the sanitized notebook to
a pool of threads, each driving one kernel, in place in autograded/ as nbgrader does; as executions
finish, this process runs nbgrader's steps after Execute (SaveAutoGrades and the rest). So one
process writes the gradebook, and every step is nbgrader's: the gradebook ends up as a sequential
`nbgrader autograde` leaves it (tests/converters/test_parallel_autograde.py).
"""
from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbgrader import utils
from nbgrader.converters import Autograde, NbGraderException
from nbgrader.preprocessors import Execute
from tqdm import tqdm
from traitlets import Integer, default

from .. import backup, nbgrader_internals, sandbox
from ..preprocessors import SafeExecute


class NotebookTimeout(RuntimeError):
    """A notebook ran longer than the whole-notebook time limit; its kernel was killed."""


@dataclass(frozen=True)
class SubmissionOutcome:
    """What became of one student's submission in a batch."""

    student: str
    graded: bool
    seconds: float  # the notebooks' execution, kernel start included
    message: str = ""  # why it failed, in one line


@dataclass
class _Submission:
    assignment: str
    student: str
    notebooks: list[str]  # submitted notebooks, as nbgrader lists them
    executions: Future | None = None
    seconds: float = 0.0  # the notebooks' execution, once it has ended


class ParallelAutograde(Autograde):
    """Autograde with up to `workers` notebooks executing at once (see the module's docstring)."""

    workers = Integer(help="How many notebooks execute at once (default: the machine's cores).").tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds a whole notebook may run, kernel start included, before its kernel is killed "
                  "and the submission reported as failed (Execute.timeout still limits each cell).",
    ).tag(config=True)

    @default("workers")
    def _workers_default(self) -> int:
        return os.cpu_count() or 1

    def convert_notebooks(self) -> None:
        """Grade the class; the gradebook is backed up first, and put back if the batch itself fails."""
        self.outcomes: list[SubmissionOutcome] = []
        if issubclass(nbgrader_internals.execute_step(self), SafeExecute):
            try:
                sandbox.refuse_unless_sandboxed(self.config.SandboxedKernelManager.get("allow_unsandboxed", False))
            except sandbox.SandboxUnavailable as refusal:
                self.log.error("%s", refusal)
                raise NbGraderException(str(refusal)) from refusal
        database = Path(self.coursedir.db_url.removeprefix("sqlite:///"))
        with backup.restored_on_failure(database) as copy:
            self.log.info("Gradebook backed up to %s", copy)
            self._grade(self._submissions())

    def _grade(self, submissions: list[_Submission]) -> None:
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="execute")
        progress = tqdm(total=len(submissions), unit="submission", desc="autograde", dynamic_ncols=True)
        # Kernels inherit the environment nbgrader gives them while autograding.
        with utils.setenv(NBGRADER_EXECUTION="autograde"), pool, progress:
            started = []
            for submission in submissions:
                if self._step(submission, self._prepare):
                    submission.executions = pool.submit(self._execute_all, submission)
                    started.append(submission)
                else:
                    progress.update()
            by_future = {submission.executions: submission for submission in started}
            for future in as_completed(by_future):
                self._step(by_future[future], self._finish)
                failed = sum(not outcome.graded for outcome in self.outcomes)
                progress.set_postfix(failed=failed, refresh=False)
                progress.update()

    def _submissions(self) -> list[_Submission]:
        """The submissions to grade, in nbgrader's order, parsed as nbgrader's own loop does."""
        submissions = []
        for folder in sorted(self.assignments):
            assignment, student = nbgrader_internals.submission_ids(self, folder)
            submissions.append(_Submission(assignment, student, sorted(self.assignments[folder])))
        return submissions

    def _step(self, submission: _Submission, step) -> bool:
        """Run one stage for a submission. On failure, as nbgrader's own loop: its output is removed; then a
        gradebook or notebook-format error stops the batch, any other is logged and recorded as its outcome."""
        self.notebooks = submission.notebooks
        try:
            return step(submission)
        except Exception as error:  # noqa: BLE001 (one broken submission never stops the class)
            dest = nbgrader_internals.destination(self, submission.assignment, submission.student)
            if os.path.exists(dest):
                utils.rmtree(dest)
            fatal = nbgrader_internals.fatal_for_the_batch(error)
            if fatal:
                self.log.error("%s\n%s", traceback.format_exc(), fatal)
                raise NbGraderException(fatal) from error
            self.log.error("There was an error processing assignment %s for student %s:\n%s",
                           submission.assignment, submission.student, traceback.format_exc())
            self.outcomes.append(SubmissionOutcome(submission.student, False, submission.seconds, _one_line(error)))
            return False

    def _prepare(self, submission: _Submission) -> bool:
        """nbgrader's steps before Execute: destination, gradebook entries, sanitized notebooks in autograded/."""
        if not self.init_destination(submission.assignment, submission.student):
            self.outcomes.append(SubmissionOutcome(submission.student, True, 0.0, "already graded: skipped"))
            return False
        self.run_pre_convert_hook()
        self.init_assignment(submission.assignment, submission.student)
        submission.notebooks = self.notebooks  # init_assignment drops notebooks the gradebook does not know
        for notebook in self.notebooks:
            nbgrader_internals.sanitize(self, notebook)
        return True

    def _execute_all(self, submission: _Submission) -> None:
        """In a pool thread: execute each sanitized notebook in place, as nbgrader's Execute does."""
        start = time.perf_counter()
        try:
            for notebook in submission.notebooks:
                path = self._autograded_path(submission, notebook)
                executed, _ = self._execute(nbformat.read(path, as_version=nbformat.NO_CONVERT), os.path.dirname(path))
                nbformat.write(executed, path)
        finally:
            submission.seconds = time.perf_counter() - start

    def _execute(self, notebook, folder: str):
        executor = nbgrader_internals.execute_step(self)(config=self.config, log=self.log)
        resources = ResourcesDict(metadata={"path": folder})
        deadline = threading.Timer(self.notebook_timeout, _abandon, args=(executor,))
        deadline.start()
        try:
            return executor.preprocess(notebook, resources)
        except Exception as error:
            if not deadline.is_alive():
                raise NotebookTimeout(f"the notebook ran more than {self.notebook_timeout} s: "
                                      "its kernel was stopped") from error
            raise
        finally:
            deadline.cancel()

    def _finish(self, submission: _Submission) -> bool:
        """nbgrader's steps after Execute: grades saved to the gradebook, notebooks rewritten, permissions."""
        submission.executions.result()  # raises what the execution raised
        for notebook in submission.notebooks:
            nbgrader_internals.run_steps_after_execute(self, self._autograded_path(submission, notebook))
        self.set_permissions(submission.assignment, submission.student)
        self.run_post_convert_hook()
        self.outcomes.append(SubmissionOutcome(submission.student, True, submission.seconds))
        return True

    def _autograded_path(self, submission: _Submission, notebook: str) -> str:
        return os.path.join(nbgrader_internals.destination(self, submission.assignment, submission.student),
                            os.path.basename(notebook))


def _abandon(executor: Execute) -> None:
    """Stop a notebook for good: SafeExecute knows how; for nbgrader's Execute, kill the kernel's process group
    (the kernel and whatever it started), which nbclient then sees dead."""
    if hasattr(executor, "abandon"):
        executor.abandon()
        return
    provisioner = getattr(getattr(executor, "km", None), "provisioner", None)
    process_group = getattr(provisioner, "pgid", None)
    if process_group:
        os.killpg(process_group, signal.SIGKILL)


def _one_line(error: Exception) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}".strip()
