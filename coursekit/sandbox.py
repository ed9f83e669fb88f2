"""The students' kernels, confined with bubblewrap: what a student's code can reach, and write, while it is graded.

Each kernel runs with no network, sees the system's and Python's files, read-only, its submission's working folder,
read-only and without the notebooks in it (the one being graded holds the hidden tests), and nothing of the course
(source/, release/, other students, the gradebook). Run as root, it drops to a user id of its own; everywhere,
`prlimit` caps its address space, CPU time, processes, file size and message queues. Docker does the same for
otter-grader; it does not run on many teaching machines, bubblewrap (Debian package `bubblewrap`) does.

Every place a kernel can write is bounded, so that no kernel can fill the grader's disk or memory through a file
system (tests/test_sandbox.py lists them from inside a kernel and fills each):

- `/tmp`, a private tmpfs of `tmp_size` bytes: the kernel's home and its IPC sockets;
- nothing else: the sandbox's root, `/dev` (`/dev/shm` included), the working folder and the kernel's connection
  file are read-only, and the kernel has no folder of the grader's disk, not even a runtime folder: the grader
  reaches its sockets through /proc/<pid>/root/tmp/kernel-<n> (under 40 characters, far from the 107 a socket's path
  may have). No file grows past `file_size`, and POSIX message queues hold `message_queue_bytes` at most.

It sits on jupyter_client's plug point for launching kernels: `SandboxProvisioner` is a kernel provisioner,
registered as the entry point `coursekit-sandbox` (pyproject.toml). `SandboxedKernelManager`, the kernel manager
coursekit.preprocessors.SafeExecute starts its kernels with (so `nbgrader autograde` itself grades in the sandbox,
nbgrader_config.py), names that provisioner in every kernel spec and refuses a kernel launched by any other.
"""
from __future__ import annotations

import functools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Bool, Integer, default

PROVISIONER = "coursekit-sandbox"  # the provisioner's entry point name, group jupyter_client.kernel_provisioners
UNSANDBOXED_VARIABLE = "COURSEKIT_UNSANDBOXED"  # set to 1 to grade without a sandbox, knowingly
# Run as root, each kernel gets a user id of its own, unused by the system: RLIMIT_NPROC counts the processes
# of a user, so a fork bomb exhausts its own kernel's allowance, never another student's.
SANDBOX_USER_IDS = range(1_000_000, 2_000_000_000)
# Read-only system folders a Python kernel needs (those that exist are bound).
SYSTEM_FOLDERS = ["/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/alternatives", "/etc/fonts", "/etc/ssl"]
SYSTEM_FILES = ["/etc/passwd", "/etc/group", "/etc/localtime", "/etc/ld.so.cache", "/etc/nsswitch.conf"]
# Inside the sandbox, the kernel binds its IPC sockets <KERNEL_SOCKETS>-<port>, in its private /tmp.
KERNEL_SOCKETS = "/tmp/kernel"


class SandboxUnavailable(RuntimeError):
    """This machine cannot confine a kernel, or a kernel was not confined; the message says why and what to do."""


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


class SandboxProvisioner(LocalProvisioner):
    """Launches a kernel inside bubblewrap, under prlimit, talking to the grader over IPC sockets in its own /tmp.

    Where bubblewrap cannot run, it refuses, unless the instructor allowed grading without a sandbox
    (SandboxedKernelManager.allow_unsandboxed, or COURSEKIT_UNSANDBOXED=1): it then launches the kernel as
    jupyter_client's LocalProvisioner does, with its sockets in the kernel's private folder on the grader's side.
    """

    memory_limit = Integer(3 * 2**30, help="Bytes of address space the kernel may map.").tag(config=True)
    cpu_seconds = Integer(120, help="CPU seconds the kernel may use, all cells together.").tag(config=True)
    processes = Integer(128, help="Processes and threads the kernel's user may run at once.").tag(config=True)
    file_size = Integer(64 * 2**20, help="Bytes any file the kernel writes may reach.").tag(config=True)
    # Under Linux's default hard limit (800 KiB), which the kernel's user could not raise.
    message_queue_bytes = Integer(512 * 2**10, help="Bytes the kernel's user may hold in POSIX message queues.").tag(
        config=True)
    tmp_size = Integer(256 * 2**20, help="Bytes of the kernel's private /tmp.").tag(config=True)

    confined = True  # False only where bubblewrap cannot run and the instructor allowed grading without it
    runtime: Path | None = None  # the grader's private folder for this kernel, which the kernel never sees

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Refuse to launch unconfined unless told; point the kernel manager at IPC sockets and a private folder."""
        refuse_unless_sandboxed(getattr(self.parent, "allow_unsandboxed", False))
        self.confined = sandbox_problem() is None
        manager = self.parent
        if self.runtime is None:  # a restart keeps its folder and connection
            self.runtime = Path(tempfile.mkdtemp(prefix="coursekit-kernel-"))
            manager.transport = "ipc"  # no network in the sandbox
            manager.ip = str(self.runtime / "kernel")  # the sockets' prefix if unconfined; replaced at launch if not
            manager.connection_file = str(self.runtime / "kernel.json")
        kwargs.setdefault("stdout", subprocess.DEVNULL)  # the kernel's own fds: not the grader's terminal
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        return await super().pre_launch(**kwargs)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        """Launch the kernel inside bubblewrap. It reads a read-only copy of its connection file whose sockets are
        in its /tmp; the grader connects to them through the root of the sandbox's first process, whose pid
        bubblewrap reports on --info-fd."""
        if not self.confined:
            return await super().launch_kernel(cmd, **kwargs)
        working_folder = Path(kwargs.get("cwd") or os.getcwd())
        connection = json.loads(Path(self.parent.connection_file).read_text())
        kernel_connection, kernel_connection_writer = os.pipe()
        with os.fdopen(kernel_connection_writer, "w") as writer:  # a few hundred bytes: the pipe holds them
            json.dump({**connection, "ip": KERNEL_SOCKETS}, writer)
        report, report_writer = os.pipe()
        with os.fdopen(report) as reader:
            try:
                sandbox = self.bwrap_arguments(working_folder, kernel_connection, report_writer)
                await super().launch_kernel([*sandbox, *self.limits(), *cmd],
                                            pass_fds=(kernel_connection, report_writer), **kwargs)
            finally:
                os.close(kernel_connection)
                os.close(report_writer)
            # bubblewrap writes its report once the sandbox's first process exists, then closes it (or exits).
            sandbox_pid = json.loads(reader.read() or "{}").get("child-pid")
        if sandbox_pid is None:
            raise SandboxUnavailable(f"bubblewrap could not start the kernel (exit code {self.process.wait()})")
        self.connection_info = {**self.connection_info, "ip": f"/proc/{sandbox_pid}/root{KERNEL_SOCKETS}"}
        return self.connection_info

    def bwrap_arguments(self, working_folder: Path, connection_fd: int, report_fd: int) -> list[str]:
        # As root, no user namespace: the kernel then drops to a user of its own, whose processes RLIMIT_NPROC counts.
        namespaces = (["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
                      if os.geteuid() == 0 else ["--unshare-all"])
        arguments = ["bwrap", *namespaces, "--die-with-parent", "--new-session", "--clearenv",
                     "--info-fd", str(report_fd),
                     "--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev",
                     "--size", str(self.tmp_size), "--perms", "1777", "--tmpfs", "/tmp"]
        created: set[Path] = set()
        for folder in [*SYSTEM_FOLDERS, *SYSTEM_FILES, sys.base_prefix, sys.prefix]:
            if os.path.exists(folder):
                arguments += [*_parents(Path(folder), created), "--ro-bind", folder, folder]
        # Where the kernel's command line says its connection file is (jupyter_client writes the real path there).
        connection_file = Path(os.path.realpath(self.parent.connection_file))
        arguments += [*_without_notebooks(working_folder, created),
                      *_parents(connection_file, created), *_read_only_folder(connection_file.parent, [
                          "--perms", "0444", "--ro-bind-data", str(connection_fd), str(connection_file)]),
                      "--chdir", str(working_folder)]
        environment = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
                       "MPLCONFIGDIR": "/tmp", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                       **{name: value for name, value in os.environ.items() if name.startswith("NBGRADER_")}}
        for name, value in environment.items():
            arguments += ["--setenv", name, value]
        # Last, once every mount point exists: the root's own tmpfs, unbounded, becomes read-only.
        return [*arguments, "--remount-ro", "/", "--"]

    def limits(self) -> list[str]:
        """setpriv to a user id of the kernel's own (run as root), then prlimit; both from util-linux."""
        as_user = []
        if os.geteuid() == 0:
            user = random.SystemRandom().choice(SANDBOX_USER_IDS)
            as_user = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"]
        return [*as_user, "prlimit", f"--as={self.memory_limit}", f"--cpu={self.cpu_seconds}",
                f"--nproc={self.processes}", f"--fsize={self.file_size}", f"--msgqueue={self.message_queue_bytes}",
                "--"]

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart)
        if not restart and self.runtime is not None:
            shutil.rmtree(self.runtime, ignore_errors=True)
            self.runtime = None


class SandboxedKernelSpecManager(KernelSpecManager):
    """Kernel specs that name the sandbox's provisioner, whatever their kernel.json says: jupyter_client launches a
    kernel with the provisioner its spec names, or fails if that one is not installed; it never falls back."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        spec = super().get_kernel_spec(kernel_name)
        spec.metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": PROVISIONER, "config": {}}}
        return spec


class SandboxedKernelManager(AsyncKernelManager):
    """The grader's kernel manager: every kernel it starts is launched by SandboxProvisioner, or stopped at once."""

    allow_unsandboxed = Bool(
        False, help=f"Start kernels without a sandbox where bubblewrap cannot run (or set {UNSANDBOXED_VARIABLE}=1)."
    ).tag(config=True)

    @default("kernel_spec_manager")
    def _sandboxed_kernel_specs(self) -> KernelSpecManager:
        return SandboxedKernelSpecManager(data_dir=self.data_dir)

    async def start_kernel(self, **kwargs: Any) -> None:
        """Start the kernel, then check which provisioner launched it. Another one (a jupyter_client that stopped
        reading the spec's provisioner, another class registered under the sandbox's name) means an unconfined
        kernel: it is shut down before it runs a cell, and grading stops, saying why."""
        await super().start_kernel(**kwargs)
        if not isinstance(self.provisioner, SandboxProvisioner):
            launched_by = type(self.provisioner).__name__
            await self.shutdown_kernel(now=True)
            raise SandboxUnavailable(
                f"Refusing to grade: the kernel was launched by {launched_by}, not by the sandbox's provisioner "
                f"({PROVISIONER}, coursekit.sandbox.SandboxProvisioner). Reinstall the course's package "
                f"(pip install --editable .) so that its entry point is registered.")


def _parents(path: Path, created: set[Path]) -> list[str]:
    """bwrap arguments that create the path's parent folders world-traversable (bwrap makes them 0700)."""
    arguments = []
    for parent in reversed(path.parents):
        if parent != Path("/") and parent not in created:
            created.add(parent)
            arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments


def _read_only_folder(folder: Path, contents: list[str]) -> list[str]:
    """bwrap arguments for a folder of the sandbox's own, filled by `contents` (bwrap arguments), then read-only:
    a tmpfs of its own, so that it is read-only wherever it is, inside the kernel's /tmp too."""
    return ["--tmpfs", str(folder), *contents, "--remount-ro", str(folder)]


def _without_notebooks(folder: Path, created: set[Path]) -> list[str]:
    """bwrap arguments that show a folder read-only without the notebooks in it, at any depth: the notebook being
    graded is in the kernel's working folder, hidden tests included. A folder holding no notebook is bound whole;
    symbolic links are made again inside, so that they resolve there, never to the grader's files."""
    arguments = _parents(folder, created)
    if not any(is_notebook(name) for _, _, names in os.walk(folder) for name in names):
        return [*arguments, "--ro-bind", str(folder), str(folder)]
    created.add(folder)
    contents = []
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            contents += ["--symlink", os.readlink(entry), str(entry)]
        elif entry.is_dir():
            contents += _without_notebooks(entry, created)
        elif not is_notebook(entry.name):
            contents += ["--ro-bind", str(entry), str(entry)]
    return [*arguments, *_read_only_folder(folder, contents)]


def is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb")
