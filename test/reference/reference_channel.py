"""The reference scripts' private output channel, shared by reference_scan.py and reference_manifest.py."""

import json
import os


def take_private_stdout():
    """Keep fd 1 for our JSON; point fd 1 at stderr for the SDK and user code.

    The SDK's log handler holds the original sys.stdout object, so only a
    descriptor-level redirect keeps its lines (and user prints) out of our output.
    """
    results_fd = os.dup(1)
    os.dup2(2, 1)
    return results_fd


def emit(fd, document):
    data = json.dumps(document, ensure_ascii=True).encode("ascii") + b"\n"
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
