"""The sandbox seen from inside real kernels started as SafeExecute starts them (coursekit/sandbox.py): every place
a kernel can write, filled until it stops; what it sees of its working folder; the provisioner that launched it."""
from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.provisioning import KernelProvisionerFactory
from nbformat.v4 import new_code_cell, new_notebook
from traitlets import default

from coursekit.preprocessors import SafeExecute
from coursekit.sandbox import PROVISIONER, SandboxedKernelManager, SandboxProvisioner, SandboxUnavailable

MiB = 2**20
# Every place a kernel can write, with its cap, as docs/security.md lists them.
WRITABLE_PLACES = {"/tmp": 256 * MiB}
FILE_SIZE = 64 * MiB
MESSAGE_QUEUE_BYTES = 512 * 2**10
# Devices a kernel may write to, which keep nothing (bubblewrap's --dev binds them).
DEVICES = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"}
RUNTIME_FOLDER_CAP = 64 * 2**10  # the grader's folder for a kernel: its connection file, a few hundred bytes
# Seconds a kernel may take to start or to run a probe, a script to run a notebook: a hang guard, not a measured time.
HANG_GUARD = 600

# Run inside the kernel: each mount point that /proc/self/mountinfo says is writable, and in it every folder (on
# the same file system) where a file can be created; then, in one such folder per mount, files written 1 MiB at a
# time, the next file when one reaches its size limit (EFBIG), until any other error or 2 GiB, far past any cap.
PROBES = r'''
import errno, json, os, stat

def writable_mounts():
    """The mount points that are neither mounted read-only nor on a read-only file system."""
    mounts = []
    for line in open('/proc/self/mountinfo'):
        fields = line.split()
        super_options = fields[fields.index('-') + 3].split(',')
        if 'ro' not in fields[5].split(',') and 'ro' not in super_options:
            mounts.append(fields[4].replace('\\040', ' '))
    return mounts

def creatable(folder):
    probe = os.path.join(folder, '.coursekit-probe')
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
    except OSError:
        return False
    os.remove(probe)
    return True

def same_device(path, device):
    try:
        return os.lstat(path).st_dev == device
    except OSError:  # gone meanwhile (/proc)
        return False

def writable_folders(mount_point):
    device = os.lstat(mount_point).st_dev
    found = []
    for folder, subfolders, _ in os.walk(mount_point):
        subfolders[:] = [name for name in subfolders if same_device(os.path.join(folder, name), device)]
        if creatable(folder):
            found.append(folder)
    return found

def fill(folder, limit=2 * 2**30):
    written, largest, files, stopped_by = 0, 0, [], None
    chunk = bytes(2**20)
    try:
        while written < limit:
            files.append(os.path.join(folder, f'.coursekit-fill-{len(files)}'))
            descriptor = os.open(files[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            size = 0
            try:
                while written < limit:
                    try:
                        count = os.write(descriptor, chunk)
                    except OSError as error:
                        if error.errno != errno.EFBIG:
                            raise
                        break
                    size, written = size + count, written + count
            finally:
                os.close(descriptor)
                largest = max(largest, size)
    except OSError as error:
        stopped_by = errno.errorcode[error.errno]
    for name in files:
        if os.path.exists(name):
            os.remove(name)
    return {'written': written, 'largest_file': largest, 'stopped_by': stopped_by}
'''


def in_a_thread(function, *args):
    """Run a function in a thread of its own: the session's browser keeps an event loop running in this one, and
    jupyter_client's and nbclient's synchronous calls need a thread without one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


class Kernel:
    """A kernel started with the kernel manager SafeExecute starts its kernels with, in a working folder; its
    event loop runs in a thread of its own (see `in_a_thread`)."""

    def __init__(self, working_folder: Path):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.manager = SafeExecute().kernel_manager_class(kernel_name="python3")
        self.wait(self.manager.start_kernel(cwd=str(working_folder)))
        self.client = self.manager.client()
        self.client.start_channels()
        self.wait(self.client.wait_for_ready(timeout=HANG_GUARD))
        self.run(PROBES)

    def run(self, code: str) -> str:
        """Run code in the kernel; what it printed."""
        printed = []

        def keep(message):
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
        try:
            reply = self.wait(self.client.execute_interactive(code, output_hook=keep, timeout=HANG_GUARD))
        except TimeoutError:
            pytest.fail(f"the sandboxed kernel still running after {HANG_GUARD} s: {code.strip()[:300]}")
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(printed)

    def wait(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def value(self, expression: str):
        return json.loads(self.run(f"print(json.dumps({expression}))"))

    def stop(self) -> None:
        self.client.stop_channels()
        self.wait(self.manager.shutdown_kernel(now=True))
        self.loop.call_soon_threadsafe(self.loop.stop)


def one_cell_notebook(code: str):
    return new_notebook(cells=[new_code_cell(code)], metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture(scope="module")
def working_folder(tmp_path_factory) -> Path:
    """A working folder as the converter leaves it: the notebook being graded, hidden tests and all, and the
    student's other files, one a link to a file of the grader's."""
    root = tmp_path_factory.mktemp("sandbox")
    (root / "graders_file.txt").write_text("the grader's own file")
    folder = root / "autograded" / "student" / "tp1"
    (folder / "data").mkdir(parents=True)
    (folder / "tp1_sgd.ipynb").write_text('{"source": "### BEGIN HIDDEN TESTS"}')
    (folder / "data" / "scratch.IPYNB").write_text("{}")
    (folder / "data" / "points.csv").write_text("x,y\n1,2\n")
    (folder / "notes.txt").write_text("the student's notes")
    (folder / "link.txt").symlink_to(root / "graders_file.txt")
    return folder


@pytest.fixture(scope="module")
def kernel(working_folder):
    started = Kernel(working_folder)
    yield started
    started.stop()


def test_every_writable_place_is_bounded_by_its_cap(kernel):
    places = kernel.value("{mount: writable_folders(mount) for mount in writable_mounts() if os.path.isdir(mount)}")
    writable = {mount: folders for mount, folders in places.items() if folders}
    assert writable.keys() == WRITABLE_PLACES.keys(), writable
    for mount, folders in writable.items():
        filled = kernel.value(f"fill({folders[0]!r})")
        assert filled["stopped_by"] == "ENOSPC", (mount, filled)
        assert WRITABLE_PLACES[mount] / 2 < filled["written"] <= WRITABLE_PLACES[mount], (mount, filled)
        assert filled["largest_file"] == FILE_SIZE, (mount, filled)


def test_the_other_writable_mounts_are_devices_that_keep_nothing(kernel):
    files = kernel.value("[mount for mount in writable_mounts() if not os.path.isdir(mount)]")
    assert set(files) <= DEVICES
    assert kernel.value("[stat.S_ISCHR(os.stat(name).st_mode) for name in " + repr(files) + "]") == [True] * len(files)


def test_message_queues_and_files_are_capped(kernel):
    limits = kernel.value("[__import__('resource').getrlimit(getattr(__import__('resource'), name))[0] "
                          "for name in ['RLIMIT_FSIZE', 'RLIMIT_MSGQUEUE']]")
    assert limits == [FILE_SIZE, MESSAGE_QUEUE_BYTES]


def test_the_kernel_has_no_runtime_folder_on_the_graders_disk(kernel):
    connection_file = kernel.value("__import__('ipykernel').get_connection_file()")
    inside = kernel.value(f"fill(os.path.dirname({connection_file!r}))")
    assert inside["written"] == 0 and inside["stopped_by"] in {"EACCES", "EROFS"}, inside
    assert kernel.value(f"creatable(os.path.dirname({connection_file!r}))") is False
    runtime = kernel.manager.provisioner.runtime
    assert [path.name for path in runtime.iterdir()] == ["kernel.json"]
    assert sum(path.stat().st_size for path in runtime.iterdir()) <= RUNTIME_FOLDER_CAP
    # The grader connects to sockets inside the sandbox: no socket, nor anything else, on its own disk.
    assert kernel.manager.ip.startswith("/proc/") and kernel.manager.ip.endswith("/root/tmp/kernel")


def test_no_notebook_is_visible_in_the_working_folder_and_the_rest_is_readable(kernel):
    seen = kernel.value("sorted(os.path.join(folder, name) for folder, _, names in os.walk('.') for name in names)")
    assert seen == ["./data/points.csv", "./link.txt", "./notes.txt"]
    assert kernel.value("[open(name).read() for name in ['notes.txt', 'data/points.csv']]") == [
        "the student's notes", "x,y\n1,2\n"]
    opened = kernel.run(textwrap.dedent("""
        for name in ['tp1_sgd.ipynb', 'data/scratch.IPYNB', 'link.txt']:
            try:
                print('LEAKED', name, open(name).read())
            except OSError as error:
                print('blocked', type(error).__name__)"""))
    assert opened.split("\n")[:-1] == ["blocked FileNotFoundError"] * 3  # the link resolves inside, to nothing
    assert kernel.value("creatable('.')") is False


def test_the_kernel_was_launched_by_the_sandbox_provisioner_registered_as_an_entry_point(kernel):
    assert type(kernel.manager.provisioner) is SandboxProvisioner and kernel.manager.provisioner.confined
    assert kernel.manager.kernel_spec.metadata["kernel_provisioner"]["provisioner_name"] == PROVISIONER
    entries = KernelProvisionerFactory.instance().get_provisioner_entries()
    assert entries[PROVISIONER] == "coursekit.sandbox:SandboxProvisioner"


def test_safe_execute_runs_a_notebook_in_the_sandbox_and_removes_the_kernels_folder(working_folder):
    seen = {}

    def on_start(notebook):
        seen["provisioner"] = executor.km.provisioner
        seen["runtime"] = executor.km.provisioner.runtime

    executor = SafeExecute(on_notebook_start=on_start)
    notebook = one_cell_notebook("import os\nprint(os.getuid() != 0, os.path.exists('tp1_sgd.ipynb'))")
    executed, _ = in_a_thread(executor.preprocess, notebook, {"metadata": {"path": str(working_folder)}})
    assert executed.cells[0].outputs[0]["text"] == f"{os.geteuid() == 0} False\n"
    assert type(seen["provisioner"]) is SandboxProvisioner and seen["provisioner"].confined
    assert not seen["runtime"].exists()


class InstalledSpecsKernelManager(SandboxedKernelManager):
    """The sandbox's kernel manager with kernel specs as installed: jupyter_client's local provisioner launches them."""

    @default("kernel_spec_manager")
    def _installed_kernel_specs(self) -> KernelSpecManager:
        return KernelSpecManager(data_dir=self.data_dir)


def test_a_kernel_launched_by_another_provisioner_is_stopped_and_grading_refused(tmp_path):
    manager = InstalledSpecsKernelManager(kernel_name="python3")
    with pytest.raises(SandboxUnavailable, match="launched by LocalProvisioner, not by the sandbox's provisioner"):
        in_a_thread(asyncio.run, manager.start_kernel(cwd=str(tmp_path)))
    assert not manager.has_kernel


@pytest.mark.parametrize("told", [False, True], ids=["refused", "unsandboxed-when-told"])
def test_without_bubblewrap_the_provisioner_refuses_unless_told(tmp_path, told):
    """Where bubblewrap cannot run, the provisioner itself refuses (plain `nbgrader autograde` has no other check),
    or, told to, launches the kernel unconfined, with its sockets in its private folder."""
    nbformat.write(one_cell_notebook("print('ran', 6 * 7)"), tmp_path / "tiny.ipynb")
    script = textwrap.dedent(f"""
        import nbformat
        from coursekit.preprocessors import SafeExecute
        executed, _ = SafeExecute().preprocess(nbformat.read({str(tmp_path / 'tiny.ipynb')!r}, as_version=4),
                                               {{'metadata': {{'path': {str(tmp_path)!r}}}}})
        print(executed.cells[0].outputs[0]['text'], end='')""")
    environment = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no /usr/bin: no bwrap
    environment.pop("COURSEKIT_UNSANDBOXED", None)
    if told:
        environment["COURSEKIT_UNSANDBOXED"] = "1"
    run = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True,
                         timeout=HANG_GUARD)
    if told:
        assert run.returncode == 0 and run.stdout == "ran 42\n", run.stderr
    else:
        assert run.returncode != 0 and "Refusing to grade: bubblewrap is not installed" in run.stderr
