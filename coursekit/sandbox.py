"""A Jupyter kernel confined with bubblewrap: what a student's code can reach while it is graded.

The kernel runs with no network (the client talks to it over IPC sockets, in a folder of its own),
sees a filesystem made of the system's and Python's files, read-only, the submission's working
folder, read-only, and an empty /tmp; nothing of the course (source/, release/, other students,
the gradebook). Run as root, it drops to a user id of its own; everywhere, `prlimit` caps its memory,
CPU time, processes and the size of the files it writes. Docker does the same for otter-grader; it
does not run on many teaching machines, bubblewrap (Debian package `bubblewrap`) does.

`SandboxedKernelManager` is a jupyter_client kernel manager: coursekit.preprocessors.SafeExecute
starts its kernels with it, so `nbgrader autograde` itself grades in the sandbox (nbgrader_config.py).
"""
from __future__ import annotations

import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, Unicode, default

UNSANDBOXED_VARIABLE = "COURSEKIT_UNSANDBOXED"  # set to 1 to grade without a sandbox, knowingly
# Run as root, each kernel gets a user id of its own, unused by the system: RLIMIT_NPROC counts the processes
# of a user, so a fork bomb exhausts its own kernel's allowance, never another student's.
SANDBOX_USER_IDS = range(1_000_000, 2_000_000_000)
# Read-only system folders a Python kernel needs (those that exist are bound).
SYSTEM_FOLDERS = ["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/alternatives", "/etc/fonts", "/etc/ssl"]
SYSTEM_FILES = ["/etc/passwd", "/etc/group", "/etc/localtime", "/etc/ld.so.cache", "/etc/nsswitch.conf"]


class SandboxUnavailable(RuntimeError):
    """This machine cannot confine a kernel; the message says why and what to do."""


@functools.cache
def sandbox_problem() -> str | None:
    """Why bubblewrap cannot confine a kernel here, or None if it can (checked by confining `true`)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap is not installed (Debian: apt-get install bubblewrap; `make test` installs it)"
    probe = subprocess.run([bwrap, "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"bubblewrap cannot create its namespaces here (no user namespaces?): {probe.stderr.strip()}"
    return None


def refuse_unless_sandboxed(allowed: bool = False) -> None:
    """Raise SandboxUnavailable, with what to do, if kernels cannot be confined and the instructor did not say
    to grade without a sandbox (`allowed`, or the environment variable COURSEKIT_UNSANDBOXED=1)."""
    problem = sandbox_problem()
    if problem and not allowed and os.environ.get(UNSANDBOXED_VARIABLE) != "1":
        raise SandboxUnavailable(
            f"Refusing to grade: {problem}. Students' code would run with your rights, the network and the "
            f"course's files. Install bubblewrap, or pass --unsandboxed (coursekit autograde) or set "
            f"{UNSANDBOXED_VARIABLE}=1 to grade without a sandbox.")


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside bubblewrap, under prlimit, over IPC sockets."""

    memory_limit = Integer(3 * 2**30, help="Bytes of address space the kernel may map.").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds the kernel may use, all cells together.").tag(config=True)
    processes = Integer(128, help="Processes and threads the kernel's user may run at once.").tag(config=True)
    file_size = Integer(64 * 2**20, help="Bytes any file the kernel writes may reach.").tag(config=True)
    tmp_size = Integer(256 * 2**20, help="Bytes of the kernel's private /tmp.").tag(config=True)
    allow_unsandboxed = Bool(
        False, help=f"Start kernels without a sandbox where bubblewrap cannot run (or set {UNSANDBOXED_VARIABLE}=1)."
    ).tag(config=True)
    transport = Unicode("ipc")  # no network in the sandbox: sockets in the kernel's own folder

    @default("connection_file")
    def _private_connection_file(self) -> str:
        """A connection file, and IPC sockets next to it, in a folder of this kernel's own: a student's code
        sees its own kernel's key, never another kernel's."""
        return str(Path(tempfile.mkdtemp(prefix="coursekit-kernel-")) / "kernel.json")

    async def _async_pre_start_kernel(self, **kwargs):
        kwargs.setdefault("stdout", subprocess.DEVNULL)  # the kernel's own fds: not the grader's terminal
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        refuse_unless_sandboxed(self.allow_unsandboxed)
        return await super()._async_pre_start_kernel(**kwargs)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        if sandbox_problem():  # refused above unless the instructor allowed it
            return command
        runtime = Path(self.connection_file).parent
        working_folder = Path(self._launch_args.get("cwd") or os.getcwd())
        user = None
        if os.geteuid() == 0:  # the kernel's user must read its connection file and create its sockets
            user = random.SystemRandom().choice(SANDBOX_USER_IDS)
            os.chown(runtime, user, user)
            os.chown(self.connection_file, user, user)
        return [*self.bwrap_arguments(runtime, working_folder), *self.limits(user), *command]

    def bwrap_arguments(self, runtime: Path, working_folder: Path) -> list[str]:
        # As root, no user namespace: the kernel then drops to a user of its own, whose processes RLIMIT_NPROC counts.
        namespaces = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
                      if os.geteuid() == 0 else ["--unshare-all"])
        arguments = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--clearenv",
                     "--proc", "/proc", "--dev", "/dev", "--size", str(self.tmp_size), "--perms", "1777",
                     "--tmpfs", "/tmp"]
        created: set[Path] = set()
        for folder in [*SYSTEM_FOLDERS, *SYSTEM_FILES, sys.base_prefix, sys.prefix]:
            if os.path.exists(folder):
                arguments += [*_parents(Path(folder), created), "--ro-bind", folder, folder]
        arguments += [*_parents(working_folder, created), "--ro-bind", str(working_folder), str(working_folder),
                      *_parents(runtime, created), "--bind", str(runtime), str(runtime),
                      "--chdir", str(working_folder)]
        environment = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
                       "MPLCONFIGDIR": "/tmp", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       **{name: value for name, value in os.environ.items() if name.startswith("NBGRADER_")}}
        for name, value in environment.items():
            arguments += ["--setenv", name, value]
        return [*arguments, "--"]

    def limits(self, user: int | None) -> list[str]:
        """setpriv to the kernel's own user (run as root), then prlimit; both from util-linux."""
        as_user = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"] if user else []
        return [*as_user, "prlimit", f"--as={self.memory_limit}", f"--cpu={self.cpu_seconds}",
                f"--nproc={self.processes}", f"--fsize={self.file_size}", "--"]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart)
        if not restart:
            shutil.rmtree(Path(self.connection_file).parent, ignore_errors=True)


def _parents(path: Path, created: set[Path]) -> list[str]:
    """bwrap arguments that create the path's parent folders world-traversable (bwrap makes them 0700)."""
    arguments = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in created:
            created.add(parent)
            arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments
