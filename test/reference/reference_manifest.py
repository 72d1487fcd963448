"""Runs `flash build`'s road to flash_manifest.json with runpod-flash's own code; prints JSON.

The reference side of the manifest parity test. Nothing here is ported: every step
is the installed SDK's function, called in the order cli/commands/build.py
`run_build` (1.21.0) calls it, inside the same try/except structure, up to and
including the copy to .flash/flash_manifest.json. It stops where run_build starts on
dependencies (collect_requirements), so it never runs pip, bundles or packs.

Usage: python reference_manifest.py PROJECT [--python-version X.Y]
       python reference_manifest.py --serve      (requests on stdin, one JSON per line:
                                                  {"project": PATH, "python_version": X.Y|null})

PROJECT is built in place (it gets .flash/.build and .flash/flash_manifest.json, as
with `flash build`), so pass a temporary copy.

--serve imports the SDK once (about 1.5 s) and builds each project in a forked child,
which starts from the state a fresh `flash build` process has when run_build begins,
except that the SDK ran its import from the server's folder: its log file is there,
and the child loads the project's .env the way the SDK does (find_dotenv(usecwd=True))
only after the import. Give a project with a .env to the one-project form instead.

Output, one JSON document per project on the original stdout:
  {"ok": bool,                  # a manifest was written to .flash/flash_manifest.json
   "manifest_text": str|null,   # its bytes, as written
   "exit_code": int,            # what `flash build` would exit with at this point
   "error_text": str,           # what its console printed, Rich markup rendered away
   "warnings": [[logger, message], ...]}  # WARNING+ log records of runpod_flash
or, from --serve, {"died": CODE} when user code ended the child before it answered.
The console is unbounded in width here; the real CLI wraps at the terminal width
(COLUMNS). A string passed to sys.exit is appended to error_text (Python prints it
to stderr; the code is then 1).
"""

import argparse
import io
import json
import logging
import os
import shutil
import sys
import traceback
from pathlib import Path


from reference_channel import emit, take_private_stdout  # noqa: E402 (beside this script)


class WarningRecords(logging.Handler):
    """Collects what runpod_flash logs at WARNING or above (the CLI shows it in its log)."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        if record.name.startswith("runpod_flash"):
            self.records.append([record.name, record.getMessage()])


def build_until_dependencies(build, project_dir, app_name, python_version, wrote):
    """run_build (1.21.0) from its first line to the manifest copy; returns the exit code.

    Appends the manifest's path to `wrote` once it is copied to .flash/.

    Raises SystemExit when user code exits during ManifestBuilder's re-import:
    run_build does not catch it, so neither do we.
    """
    import typer
    from runpod_flash.cli.utils.formatting import print_error, print_warning
    from runpod_flash.core.exceptions import LocalModuleResolutionError

    console = build.console
    try:
        if not build.validate_project_structure(project_dir):
            print_error(console, "Not a valid Flash project")
            console.print("Run [bold]flash init[/bold] to create a Flash project")
            raise typer.Exit(1)

        build_dir = build.create_build_directory(project_dir, app_name)
        spec = build.load_ignore_patterns(project_dir)
        files = build.get_file_tree(project_dir, spec)
        try:
            build.validate_local_module_imports(files, project_dir)
        except LocalModuleResolutionError as e:
            print_error(console, str(e))
            raise typer.Exit(1)

        try:
            build.copy_project_files(files, project_dir, build_dir)
            try:
                scanner = build.RuntimeScanner(build_dir)
                remote_functions = scanner.discover_remote_functions()

                if scanner.import_errors:
                    console.print("\n[red bold]Failed to load:[/red bold]")
                    for filename, err in scanner.import_errors.items():
                        console.print(f"  [red]{filename}[/red]: {err}")
                    console.print()
                    raise typer.Exit(1)

                manifest_builder = build.ManifestBuilder(
                    app_name, remote_functions, scanner, build_dir=build_dir, python_version=python_version
                )
                manifest = manifest_builder.build()
                manifest["source_fingerprint"] = build.compute_source_fingerprint(project_dir, files)
                manifest_path = build_dir / "flash_manifest.json"
                manifest_path.write_text(json.dumps(manifest, indent=2))

                build.LBHandlerGenerator(manifest, build_dir).generate_handlers()
                build.HandlerGenerator(manifest, build_dir).generate_handlers()

                shutil.copy2(manifest_path, project_dir / ".flash" / "flash_manifest.json")
                wrote.append(project_dir / ".flash" / "flash_manifest.json")
            except typer.Exit:
                raise
            except (ImportError, SyntaxError) as e:
                print_error(console, f"Code analysis failed: {e}")
                build.logger.exception("Code analysis failed")
                raise typer.Exit(1)
            except ValueError as e:
                print_error(console, str(e))
                build.logger.exception("Handler generation validation failed")
                raise typer.Exit(1)
            except Exception as e:
                # run_build only warns here and goes on to build an archive without a manifest.
                build.logger.exception("Handler generation failed")
                print_warning(console, f"Handler generation failed: {e}")
        except typer.Exit:
            if build_dir.exists():
                shutil.rmtree(build_dir)
            raise
        except Exception as e:
            if build_dir.exists():
                shutil.rmtree(build_dir)
            print_error(console, f"Build failed: {e}")
            build.logger.exception("Build failed")
            raise typer.Exit(1)
    except typer.Exit as e:
        return e.exit_code
    except Exception as e:
        # build_command's own handler around run_build.
        print_error(console, f"\nBuild failed: {e}")
        console.print(traceback.format_exc())
        return 1
    return 0


def build_project(project_dir, python_version):
    """One build, in this process, with cwd = project_dir: the result document."""
    from rich.console import Console
    from runpod_flash.cli.commands import build

    os.chdir(project_dir)
    printed = io.StringIO()
    build.console = Console(file=printed, width=1_000_000, color_system=None, force_terminal=False, soft_wrap=True)
    warnings = WarningRecords()
    logging.getLogger().addHandler(warnings)

    wrote = []
    try:
        exit_code = build_until_dependencies(build, project_dir, project_dir.name, python_version, wrote)
    except SystemExit as e:
        # Uncaught by run_build and typer alike: the process exits with this code.
        if e.code is None:
            exit_code = 0
        elif isinstance(e.code, int):
            exit_code = e.code
        else:
            printed.write(f"{e.code}\n")
            exit_code = 1
    finally:
        logging.getLogger().removeHandler(warnings)

    return {
        "ok": bool(wrote),
        "manifest_text": wrote[0].read_text(encoding="utf-8") if wrote else None,
        "exit_code": exit_code,
        "error_text": printed.getvalue(),
        "warnings": warnings.records,
    }


def import_sdk():
    # Like the `flash` console script: the first sys.path entry is the interpreter's
    # bin folder, not this script's folder.
    sys.path[0] = os.path.dirname(sys.executable)
    import runpod_flash.cli.main  # noqa: F401  (what the CLI has loaded before it builds)


def serve(results_fd):
    """Builds each requested project in a forked child of this SDK-warm process."""
    from dotenv import find_dotenv, load_dotenv

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                project_dir = Path(request["project"]).resolve()
                os.chdir(project_dir)
                load_dotenv(find_dotenv(usecwd=True))
                emit(write_end, build_project(project_dir, request.get("python_version")))
            finally:
                os._exit(0)
        os.close(write_end)
        chunks = []
        while True:
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
        answer = b"".join(chunks).strip()
        if answer:
            os.write(results_fd, answer + b"\n")
        else:
            # User code ended the child (os._exit, a signal) before it could answer.
            emit(results_fd, {"died": os.waitstatus_to_exitcode(status)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("project", nargs="?")
    parser.add_argument("--python-version", default=None)
    parser.add_argument("--serve", action="store_true")
    args = parser.parse_args()
    if args.serve == (args.project is not None):
        parser.error("give either PROJECT or --serve")

    results_fd = take_private_stdout()
    if args.serve:
        import_sdk()
        serve(results_fd)
    else:
        project_dir = Path(args.project).resolve()
        # `flash build` runs from the project folder (discover_flash_project uses the
        # cwd; the SDK loads .env and opens its log from it): chdir before the import.
        os.chdir(project_dir)
        import_sdk()
        emit(results_fd, build_project(project_dir, args.python_version))
    sys.stdout.flush()
    sys.stderr.flush()
    # The scanner's import threads are daemons the CLI abandons; so do we.
    os._exit(0)


if __name__ == "__main__":
    main()
