"""nbgrader's Autograde converter with the students' notebooks executed concurrently, and safe to interrupt.

Only the Execute step leaves nbgrader's order. For each submission, this process runs nbgrader's
own steps before it (destination, gradebook entries, sanitizing) and hands the sanitized notebook to
a pool of threads, each driving one kernel here (coursekit/runners.py) or on a worker of a Dask
cluster (coursekit/cluster.py), the executed notebook written in place in autograded/ as nbgrader
does; as executions finish, this process runs nbgrader's steps after Execute (SaveAutoGrades and the rest). So one
process writes the gradebook, and every step is nbgrader's: the gradebook ends up as a sequential
`nbgrader autograde` leaves it (tests/converters/test_parallel_autograde.py).

A submission is prepared only when a thread is about to be free for it, so that a batch touches no
more of the class than it is grading; it is finished once the steps after Execute have run. Asked to
stop (SIGINT, SIGTERM, SIGHUP), the batch stops within seconds: the executions not started are
cancelled, the running kernels killed, the finished submissions kept, and each prepared but
unfinished one rolled back (its autograded/ folder removed, its gradebook entries put back as they
were), so that the next plain run grades exactly what was left. A batch killed outright rolls
nothing back: each submission is marked unfinished, from its preparation until it is finished, and
the next batch grades a marked one again instead of skipping it as already graded.
"""
from __future__ import annotations

import collections
import contextlib
import fcntl
import glob
import os
import signal
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde, NbGraderException
from sqlalchemy.exc import OperationalError
from tqdm import tqdm
from traitlets import Integer, Unicode, default

from .. import backup, nbgrader_internals, sandbox, untrusted
from ..cluster import ClusterFault, ClusterRunner, ClusterUnavailable
from ..course import gradebook_unreachable
from ..grading_log import SKIPPED, SubmissionOutcome
from ..intake import IntakeBounds
from ..preprocessors import SafeExecute
from ..runners import LocalRunner

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
LOCK_FILE = ".coursekit-autograde.lock"  # in autograded/: held by the batch grading the course
POLL_SECONDS = 0.2  # how often a batch waiting for executions looks whether it was asked to stop


@dataclass(frozen=True)
class _GradebookBefore:
    """What the gradebook held of a submission before the batch prepared it: what a rollback puts back."""

    had_student: bool
    had_submission: bool
    timestamp: datetime | None


@dataclass
class _Submission:
    assignment: str
    student: str
    notebooks: list[str]  # submitted notebooks, as nbgrader lists them
    destination: Path  # its folder in autograded/
    before: _GradebookBefore | None = None
    executions: Future | None = None
    seconds: float = 0.0  # the notebooks' execution, once it has ended

    @property
    def unfinished_marker(self) -> Path:
        return unfinished_marker(self.destination)


def unfinished_marker(destination: Path) -> Path:
    """The file that says the grading of the submission whose autograded folder is `destination` began and has not
    finished. It lies next to that folder, not in it: nbgrader's generate_feedback copies every file of the folder."""
    return destination.with_name(f".{destination.name}.unfinished")


class ParallelAutograde(Autograde):
    """Autograde with up to `workers` notebooks executing at once (see the module's docstring)."""

    workers = Integer(help="How many notebooks execute at once (default: the machine's cores, or with a "
                           "scheduler the threads of the cluster's workers).").tag(config=True)
    scheduler = Unicode("", help="The address of a Dask scheduler (tcp://host:8786) whose workers execute the "
                                 "notebooks; none: a pool of threads on this machine.").tag(config=True)
    connect_timeout = Integer(30, help="Seconds to wait for the Dask scheduler and its first worker, and that a "
                                       "cluster may have no worker in the middle of a batch.").tag(config=True)
    cluster_files_limit = Integer(100 * 2**20, help="Bytes of files beside a notebook sent with it to a Dask worker; "
                                                    "a submission with more fails.").tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds a whole notebook may run, kernel start included, before its kernel is killed "
                  "and the submission reported as failed (Execute.timeout still limits each cell).",
    ).tag(config=True)

    @default("workers")
    def _workers_default(self) -> int:
        return os.cpu_count() or 1

    def convert_notebooks(self) -> None:
        """Grade the class; the gradebook is backed up first, and put back if the batch itself fails. After an
        interrupt (or a cluster that failed the batch: `fault` says how), `interrupted` is set and `left` names the
        students the next run will grade. `steps_seconds` is the time this process spent in nbgrader's steps around
        the executions (one submission after another, however many workers execute: what bounds a cluster's
        speed-up)."""
        self.outcomes: list[SubmissionOutcome] = []
        self.steps_seconds = 0.0
        self.interrupted = False
        self.fault = ""
        self.left: list[str] = []
        self._refuse_an_assignment_not_in_the_gradebook()
        with self._runner() as runner, self._only_batch_of_the_course(), self._gradebook_backed_up() as copy:
            self.log.info("Gradebook backed up to %s", copy)
            self._grade(self._submissions(), runner)

    @contextlib.contextmanager
    def _gradebook_backed_up(self) -> Iterator[Path | None]:
        """The gradebook backed up for the batch, and put back if the batch fails (coursekit/backup.py); one that
        cannot be backed up (or put back) is said in one line, as nbgrader says its own errors."""
        try:
            with backup.restored_on_failure(self.coursedir.db_url, Path(self.coursedir.root) / backup.FOLDER) as copy:
                yield copy
        except backup.BackupError as error:
            self.log.error("%s", error)
            raise NbGraderException(str(error)) from error

    @contextlib.contextmanager
    def _runner(self) -> Iterator[LocalRunner | ClusterRunner]:
        """Where the notebooks execute: the cluster's workers, or kernels started here, in the sandbox unless it is
        allowed away. Refused with a clear message, before anything is touched."""
        step = nbgrader_internals.execute_step(self)
        allow_unsandboxed = (self.config.SandboxedKernelManager.get("allow_unsandboxed", False)
                             or os.environ.get(sandbox.UNSANDBOXED_VARIABLE) == "1")
        try:
            if self.scheduler:
                runner = ClusterRunner(self.scheduler, step, self.config, self.notebook_timeout,
                                       self.connect_timeout, allow_unsandboxed, self.cluster_files_limit)
                if not self.trait_has_value("workers"):
                    self.workers = runner.threads
            else:
                if issubclass(step, SafeExecute):
                    sandbox.refuse_unless_sandboxed(allow_unsandboxed)
                runner = LocalRunner(step, self.config, self.notebook_timeout, self.log)
        except (sandbox.SandboxUnavailable, ClusterUnavailable) as refusal:
            self.log.error("%s", refusal)
            raise NbGraderException(str(refusal)) from refusal
        try:
            yield runner
        finally:
            runner.close()

    def _refuse_an_assignment_not_in_the_gradebook(self) -> None:
        """Say it once, before any submission, rather than once per student as init_assignment would."""
        assignment = self.coursedir.assignment_id
        if glob.has_magic(assignment):
            return
        try:
            with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
                gradebook.find_assignment(assignment)
        except MissingEntry:
            message = (f"No assignment {assignment!r} in the gradebook: run `nbgrader generate_assignment "
                       f"{assignment}` first")
        except OperationalError as error:
            message = gradebook_unreachable(self.coursedir.db_url, error)
        else:
            return
        self.log.error("%s", message)
        raise NbGraderException(message) from None

    @contextlib.contextmanager
    def _only_batch_of_the_course(self) -> Iterator[None]:
        """Hold the course's autograding lock for the batch, or refuse to start: two batches at once would grade
        the same submissions and take each other's unfinished markers for those of a killed batch. The operating
        system releases the lock when the process ends, however it ends, so a marker found while holding it was
        left by a batch that is gone."""
        folder = Path(self.coursedir.root) / self.coursedir.autograded_directory
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / LOCK_FILE, "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                message = (f"another `coursekit autograde` is grading this course ({folder / LOCK_FILE} is locked): "
                           "wait for it to end, or stop it, and run this one again")
                self.log.error("%s", message)
                raise NbGraderException(message) from None
            yield

    def _grade(self, submissions: list[_Submission], runner: LocalRunner | ClusterRunner) -> None:
        """Prepare and finish the submissions in this thread, execute them in the pool's; once asked to stop, stop
        the executions and roll back what was prepared and not finished (see the module's docstring)."""
        waiting = collections.deque(submissions)
        running: dict[Future, _Submission] = {}
        prepared: list[_Submission] = []
        pool = ThreadPoolExecutor(max_workers=self.workers * runner.sent_per_worker, thread_name_prefix="execute")
        progress = tqdm(total=len(submissions), unit="submission", desc="autograde", dynamic_ncols=True)
        # Kernels inherit the environment nbgrader gives them while autograding.
        with utils.setenv(NBGRADER_EXECUTION="autograde"), progress, _stop_requested_by(STOP_SIGNALS) as stop:
            try:
                while (waiting or running) and not stop.is_set():
                    # Each worker has one submission executing and at most one prepared, waiting for it (here, or
                    # already sent to the cluster, which starts it as soon as the worker is free).
                    while waiting and len(running) < 2 * self.workers and not stop.is_set():
                        submission = waiting.popleft()
                        if self._step(submission, self._prepare):
                            prepared.append(submission)
                            submission.executions = pool.submit(self._execute_all, submission, runner)
                            running[submission.executions] = submission
                        else:
                            progress.update()
                    done, _ = wait(running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                    for future in done:
                        if isinstance(future.exception(), ClusterFault):  # not the student's: stop, as interrupted
                            self.fault = str(future.exception())
                            self.log.error("%s", self.fault)
                            stop.set()
                            continue
                        self._step(running.pop(future), self._finish)
                        failed = sum(not outcome.graded for outcome in self.outcomes)
                        progress.set_postfix(failed=failed, refresh=False)
                        progress.update()
                self._stop_executions(pool, running, runner)
                for submission in running.values():
                    self._roll_back(submission)
                if self.force:  # their old grading was to be redone: the next plain run does it
                    for submission in waiting:
                        self._discard(submission)
            except BaseException:
                # The backup puts the whole gradebook back: what this batch wrote to autograded/ goes too, so
                # that the next run grades those submissions again.
                self._stop_executions(pool, running, runner)
                for submission in prepared:
                    self._discard(submission)
                raise
        self.interrupted = stop.is_set()
        self.left = sorted(submission.student for submission in [*running.values(), *waiting])

    def _submissions(self) -> list[_Submission]:
        """The submissions to grade, in nbgrader's order, parsed as nbgrader's own loop does."""
        submissions = []
        for folder in sorted(self.assignments):
            assignment, student = nbgrader_internals.submission_ids(self, folder)
            destination = Path(nbgrader_internals.destination(self, assignment, student))
            submissions.append(_Submission(assignment, student, sorted(self.assignments[folder]), destination))
        return submissions

    def _step(self, submission: _Submission, step) -> bool:
        """Run one stage for a submission. On failure, as nbgrader's own loop: its output is removed; then a
        gradebook or notebook-format error stops the batch, any other is logged and recorded as its outcome."""
        self.notebooks = submission.notebooks
        start = time.perf_counter()
        try:
            return step(submission)
        except Exception as error:  # noqa: BLE001 (one broken submission never stops the class)
            self._discard(submission)
            fatal = nbgrader_internals.fatal_for_the_batch(error)
            if fatal:
                self.log.error("%s\n%s", traceback.format_exc(), fatal)
                raise NbGraderException(fatal) from error
            self.log.error("There was an error processing assignment %s for student %s:\n%s",
                           submission.assignment, submission.student, traceback.format_exc())
            self.outcomes.append(SubmissionOutcome(submission.student, False, submission.seconds, _one_line(error)))
            return False
        finally:
            self.steps_seconds += time.perf_counter() - start

    def _prepare(self, submission: _Submission) -> bool:
        """nbgrader's steps before Execute: destination, gradebook entries, sanitized notebooks in autograded/.
        The submission is marked unfinished first; one a killed batch left marked is graded again."""
        if submission.unfinished_marker.exists():
            self.log.warning("Grading %s again: a batch was stopped while grading it", submission.destination)
            self._discard(submission)
        if not self.init_destination(submission.assignment, submission.student):
            self.outcomes.append(SubmissionOutcome(submission.student, True, 0.0, SKIPPED))
            return False
        submission.before = self._gradebook_before(submission)
        submission.unfinished_marker.parent.mkdir(parents=True, exist_ok=True)
        submission.unfinished_marker.touch()
        self.run_pre_convert_hook()
        self.init_assignment(submission.assignment, submission.student)
        submission.notebooks = self.notebooks  # init_assignment drops notebooks the gradebook does not know
        max_bytes = IntakeBounds(parent=self).max_notebook_bytes
        for notebook in self.notebooks:
            # Checked as the intake checks it, before nbgrader parses it here: submitted/ may have been filled by hand
            if problem := untrusted.problem(Path(notebook), max_bytes):
                raise ValueError(f"{Path(notebook).name} is not graded: {problem}")
            nbgrader_internals.sanitize(self, notebook)
        return True

    def _execute_all(self, submission: _Submission, runner: LocalRunner | ClusterRunner) -> None:
        """In a pool thread: execute each sanitized notebook in place, as nbgrader's Execute does. The submission's
        time is its notebooks' execution (or, if one fails, the time until then, waiting for a worker included)."""
        start, executing = time.perf_counter(), 0.0
        try:
            for notebook in submission.notebooks:
                path = Path(self._autograded_path(submission, notebook))
                executed, seconds = runner.execute(nbformat.read(path, as_version=nbformat.NO_CONVERT), path.parent)
                executing += seconds
                nbformat.write(executed, path)
        except BaseException:
            submission.seconds = time.perf_counter() - start
            raise
        submission.seconds = executing

    def _finish(self, submission: _Submission) -> bool:
        """nbgrader's steps after Execute: grades saved to the gradebook, notebooks rewritten, permissions."""
        submission.executions.result()  # raises what the execution raised
        for notebook in submission.notebooks:
            nbgrader_internals.run_steps_after_execute(self, self._autograded_path(submission, notebook))
        self.set_permissions(submission.assignment, submission.student)
        self.run_post_convert_hook()
        submission.unfinished_marker.unlink()
        self.outcomes.append(SubmissionOutcome(submission.student, True, submission.seconds))
        return True

    def _stop_executions(self, pool: ThreadPoolExecutor, running: dict[Future, _Submission],
                         runner: LocalRunner | ClusterRunner) -> None:
        """Cancel the executions not started, stop the running ones until every execution has ended (one may
        start a kernel after the first kill), and join the pool's threads."""
        pool.shutdown(wait=False, cancel_futures=True)
        while not all(future.done() for future in running):
            runner.stop()
            wait(running, timeout=POLL_SECONDS)
        pool.shutdown()

    def _gradebook_before(self, submission: _Submission) -> _GradebookBefore:
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            try:
                gradebook.find_student(submission.student)
            except MissingEntry:
                return _GradebookBefore(had_student=False, had_submission=False, timestamp=None)
            try:
                timestamp = gradebook.find_submission(submission.assignment, submission.student).timestamp
            except MissingEntry:
                return _GradebookBefore(had_student=True, had_submission=False, timestamp=None)
            return _GradebookBefore(had_student=True, had_submission=True, timestamp=timestamp)

    def _roll_back(self, submission: _Submission) -> None:
        """Undo the preparation of a submission not finished: its autograded/ folder removed, and what
        init_assignment changed in the gradebook (the student and the submission created, the submission's
        timestamp set) put back as it was."""
        self._discard(submission)
        before = submission.before
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gradebook:
            if before.had_submission:
                gradebook.update_or_create_submission(submission.assignment, submission.student,
                                                      timestamp=before.timestamp)
            else:
                gradebook.remove_submission(submission.assignment, submission.student)
            if not before.had_student:
                gradebook.remove_student(submission.student)

    def _discard(self, submission: _Submission) -> None:
        """Remove what the batch wrote of a submission to autograded/, as nbgrader's loop does for a failed one: its
        folder, or only the notebooks graded when one notebook is (--notebook); and its marker."""
        if self.coursedir.notebook_id != "*":
            for notebook in submission.notebooks:
                (submission.destination / os.path.basename(notebook)).unlink(missing_ok=True)
        elif submission.destination.exists():
            utils.rmtree(str(submission.destination))
        submission.unfinished_marker.unlink(missing_ok=True)

    def _autograded_path(self, submission: _Submission, notebook: str) -> str:
        return str(submission.destination / os.path.basename(notebook))


@contextlib.contextmanager
def _stop_requested_by(signals: tuple[signal.Signals, ...]) -> Iterator[threading.Event]:
    """An event that the first of these signals sets, instead of stopping the program wherever it is (in the middle
    of a gradebook write, say); that signal then gets its previous handler back, so that a second Ctrl-C aborts at
    once. A signal ignored (under nohup, say) stays ignored. To be entered in the main thread, where Python runs
    signal handlers."""
    stop = threading.Event()
    previous = {signum: signal.getsignal(signum) for signum in signals}
    previous = {signum: handler for signum, handler in previous.items() if handler not in (signal.SIG_IGN, None)}

    def request_stop(signum, frame):
        stop.set()
        signal.signal(signum, previous[signum])

    for signum in previous:
        signal.signal(signum, request_stop)
    try:
        yield stop
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _one_line(error: Exception) -> str:
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[-1] if lines else ''}".strip()
