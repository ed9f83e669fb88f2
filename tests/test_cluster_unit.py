"""What the instructor's process sends a cluster's workers with each notebook: what executing it reads, nothing of
the course's folders or gradebook."""
from __future__ import annotations

from traitlets.config import Config

from coursekit.cluster import execution_config
from coursekit.preprocessors import SafeExecute


def test_the_workers_get_the_execution_settings_and_never_the_gradebook_url():
    config = Config({
        "CourseDirectory": {"root": "/home/teacher/course", "db_url": "postgresql://grader:secret@db/tp"},
        "Execute": {"timeout": 30}, "SafeExecute": {"max_output_bytes": 1024},
        "SandboxedKernelManager": {"allow_unsandboxed": False}, "SandboxProvisioner": {"cpu_seconds": 60},
        "GenerateFeedback": {"preprocessors": ["a.B"]}, "ZipCollectApp": {"collector_plugin": "c.D"},
    })

    sent = execution_config(config, SafeExecute)

    assert sent == Config({"Execute": {"timeout": 30}, "SafeExecute": {"max_output_bytes": 1024},
                           "SandboxedKernelManager": {"allow_unsandboxed": False},
                           "SandboxProvisioner": {"cpu_seconds": 60}})
    assert "secret" not in repr(sent)
