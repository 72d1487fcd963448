"""Runs runpod-flash's own RuntimeScanner the way `flash build` does; prints JSON.

The reference side of the parity tests: nothing here is ported, everything is the
installed SDK. Steps mirror cli/commands/build.py `run_build` (1.21.0): collect the
shipped files with cli/utils/ignore.py, copy them to PROJECT/.flash/.build, scan
that folder with cwd = PROJECT, and report what the CLI would report.

Usage: python reference_scan.py PROJECT [--timeout SECONDS] [--omit REL_PATH ...]

--timeout replaces the scanner's 30 s per-module import deadline (so a test can
wait 2 s, not 30 s); --omit leaves a file out of the copy, for a module that
would kill this process (os._exit) so the rest can still be compared.

Output (one JSON document on the original stdout):
  {"functions": [...], "import_errors": [[file, message], ...],
   "client_endpoints": [[name, {var_name, file_path, module_path, image}], ...]}
or {"raised": "Type: message"} when discover_remote_functions raises.
"""

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path, PurePath


from reference_channel import emit, take_private_stdout  # noqa: E402 (beside this script)


def relative(path, base):
    return PurePath(os.path.relpath(path, base)).as_posix()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--omit", action="append", default=[])
    args = parser.parse_args()

    results_fd = take_private_stdout()
    project_dir = Path(args.project).resolve()
    # `flash build` runs from the project folder: the SDK's .env lookup and its
    # log folder depend on it, so chdir before importing the SDK.
    os.chdir(project_dir)
    # Like the `flash` console script, the first sys.path entry is the
    # interpreter's bin folder, not this script's folder.
    sys.path[0] = os.path.dirname(sys.executable)

    import runpod_flash.cli.main  # noqa: F401  (what the CLI has loaded before it builds)
    from runpod_flash.cli.commands import build
    from runpod_flash.cli.commands.build_utils import scanner as scanner_module
    from runpod_flash.cli.utils.ignore import get_file_tree, load_ignore_patterns

    if args.timeout is not None:
        # Read at call time by _import_module_from_file, message included.
        timeout = args.timeout
        scanner_module.MODULE_IMPORT_TIMEOUT_SECONDS = int(timeout) if timeout.is_integer() else timeout

    build_dir = build.create_build_directory(project_dir, project_dir.name)
    spec = load_ignore_patterns(project_dir)
    files = get_file_tree(project_dir, spec)
    omitted = {PurePath(p).as_posix() for p in args.omit}
    files = [f for f in files if f.relative_to(project_dir).as_posix() not in omitted]
    build.copy_project_files(files, project_dir, build_dir)

    runtime_scanner = scanner_module.RuntimeScanner(build_dir)
    try:
        functions = runtime_scanner.discover_remote_functions()
    except Exception as e:
        emit(results_fd, {"raised": "%s: %s" % (type(e).__name__, e)})
        os._exit(0)

    out_functions = []
    for meta in functions:
        record = dataclasses.asdict(meta)
        record["file_path"] = relative(meta.file_path, build_dir)
        out_functions.append(record)
    clients = []
    for name, record in runtime_scanner.client_endpoints.items():
        clients.append([
            name,
            {
                "var_name": record["var_name"],
                "file_path": relative(record["file_path"], build_dir),
                "module_path": record["module_path"],
                "image": record["image"],
            },
        ])
    emit(results_fd, {
        "functions": out_functions,
        "import_errors": [[file, message] for file, message in runtime_scanner.import_errors.items()],
        "client_endpoints": clients,
    })
    # Abandoned import threads (a module that blocks) must not keep us alive;
    # the CLI's are daemon threads too.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
