"""Flash language tools probe: discovers Flash endpoints the way `flash build` does.

Runs inside the user's own interpreter, beside their packages, so it uses the
standard library only (plus the runpod_flash the user installed, which it must
import anyway to load their modules). It mirrors runpod-flash 1.21.0's
RuntimeScanner (cli/commands/build_utils/scanner.py) step by step and adds what
an editor needs: source locations, failure kinds and identity-based cross-calls.

Protocol: one JSON request on stdin; JSON-line messages on the original stdout
file descriptor, which is kept private. Everything user code prints (and the
SDK's log lines) goes to stderr, which the driver captures for its log.
"""

import ast
import builtins
import contextvars
import faulthandler
import gc
import importlib.machinery
import importlib.util
import inspect
import json
import os
import shutil
import signal
import sys
import threading
import time
import traceback
import types
import warnings

try:
    # Imported here, once: a forked scan child should not load it from disk again.
    import resource
except ImportError:  # Windows
    resource = None

PROTOCOL_VERSION = 1
# Kept before user code can replace it (and before we wrap it to report exits).
REAL_EXIT = os._exit


class Channel:
    """JSON lines on a file descriptor that user code never sees."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, message):
        data = (json.dumps(message, ensure_ascii=True, default=repr) + "\n").encode("ascii")
        with self.lock:
            view = memoryview(data)
            while view:
                written = os.write(self.fd, view)
                view = view[written:]


def take_private_stdout():
    """Keep fd 1 for results and point fd 1 (and sys.stdout) at stderr.

    Redirecting at the descriptor level also catches the SDK's logging
    handler, which holds the original sys.stdout object.
    """
    results_fd = os.dup(1)
    os.dup2(2, 1)
    return results_fd


# --------------------------------------------------------------------------
# Helpers ported from runpod_flash/cli/commands/build_utils/scanner.py (1.21.0)
# --------------------------------------------------------------------------


def file_to_module_path(rel_posix):
    return rel_posix[: -len(".py")].replace(os.sep, ".").replace("/", ".")


def first_docstring_line(obj):
    doc = inspect.getdoc(obj)
    if doc:
        return doc.split("\n")[0].strip()
    return None


def get_param_names(func):
    try:
        sig = inspect.signature(func)
        return [
            name
            for name, param in sig.parameters.items()
            if name != "self"
            and param.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
    except (ValueError, TypeError):
        return []


def unwrap_to_original(obj):
    return inspect.unwrap(obj, stop=lambda f: not hasattr(f, "__wrapped__"))


LB_TYPE_NAMES = ("LoadBalancerSlsResource", "CpuLoadBalancerSlsResource", "LiveLoadBalancer", "CpuLiveLoadBalancer")
LIVE_TYPE_NAMES = ("LiveServerless", "CpuLiveServerless", "LiveLoadBalancer", "CpuLiveLoadBalancer")


class Sdk:
    """The user's runpod_flash classes the scanner checks against."""

    def __init__(self):
        import runpod_flash
        from runpod_flash.core.resources.load_balancer_sls_resource import LoadBalancerSlsResource
        from runpod_flash.core.resources.serverless import ServerlessResource
        from runpod_flash.endpoint import Endpoint

        self.version = getattr(runpod_flash, "__version__", None)
        self.Endpoint = Endpoint
        self.ServerlessResource = ServerlessResource
        self.LoadBalancerSlsResource = LoadBalancerSlsResource
        try:
            from runpod_flash.core.resources import constants

            self.default_python_version = getattr(constants, "DEFAULT_PYTHON_VERSION", None)
            self.supported_python_versions = list(getattr(constants, "SUPPORTED_PYTHON_VERSIONS", ()))
        except Exception:
            self.default_python_version = None
            self.supported_python_versions = []
        self.package_dir = os.path.dirname(os.path.realpath(runpod_flash.__file__))

    def resource_type_name(self, rc):
        if isinstance(rc, self.Endpoint):
            return type(rc._build_resource_config()).__name__
        return type(rc).__name__

    def resource_name(self, rc):
        if isinstance(rc, self.Endpoint):
            return rc.name or ""
        return getattr(rc, "name", "") or ""

    def is_lb_type(self, rc):
        if isinstance(rc, self.Endpoint):
            return rc.is_load_balanced
        if isinstance(rc, self.LoadBalancerSlsResource):
            return True
        return type(rc).__name__ in LB_TYPE_NAMES

    def is_live_type(self, rc):
        if isinstance(rc, self.Endpoint):
            return True
        return type(rc).__name__ in LIVE_TYPE_NAMES


def extract_class_info(cls):
    methods, params, docs = [], {}, {}
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if not (inspect.isfunction(member) or inspect.iscoroutinefunction(member)):
            continue
        methods.append(name)
        params[name] = get_param_names(member)
        docs[name] = first_docstring_line(member)
    return methods, params, docs


def metadata_from_remote_config(sdk, obj, attr_name, module_path, rel_file, variable_name):
    """Port of _metadata_from_remote_config; returns (meta, target) or None."""
    config = getattr(obj, "__remote_config__", None)
    if not isinstance(config, dict):
        return None
    resource_config = config.get("resource_config")
    if resource_config is None:
        return None

    method = config.get("method")
    path = config.get("path")
    is_lb_route = config.get("is_lb_route_handler", False)

    original = unwrap_to_original(obj)
    is_class = False
    target_class = None
    if inspect.isclass(obj) and hasattr(obj, "_wrapped_class"):
        is_class, target_class = True, obj._wrapped_class
    elif inspect.isclass(original):
        is_class, target_class = True, original
    elif inspect.isclass(obj):
        is_class, target_class = True, obj

    is_async = False
    if not is_class:
        is_async = inspect.iscoroutinefunction(original) or inspect.iscoroutinefunction(obj)
    elif target_class is not None:
        is_async = any(
            inspect.iscoroutinefunction(m)
            for name, m in vars(target_class).items()
            if not name.startswith("_") and (inspect.isfunction(m) or inspect.iscoroutinefunction(m))
        )

    if is_class and target_class is not None:
        func_name = target_class.__name__
    else:
        func_name = getattr(original, "__name__", None) or attr_name

    docstring_source = target_class if is_class and target_class is not None else original
    class_methods, class_method_params, class_method_docstrings, param_names = [], {}, {}, []
    if is_class and target_class is not None:
        class_methods, class_method_params, class_method_docstrings = extract_class_info(target_class)
    elif not is_class:
        param_names = get_param_names(original)

    meta = {
        "function_name": func_name,
        "module_path": module_path,
        "resource_config_name": sdk.resource_name(resource_config),
        "resource_type": sdk.resource_type_name(resource_config),
        "is_async": bool(is_async),
        "is_class": is_class,
        "file_path": rel_file,
        "http_method": method,
        "http_path": path,
        "is_load_balanced": bool(sdk.is_lb_type(resource_config) or (method is not None and path is not None)),
        "is_live_resource": bool(sdk.is_live_type(resource_config)),
        "config_variable": variable_name,
        "is_lb_route_handler": is_lb_route,
        "class_methods": class_methods,
        "param_names": param_names,
        "class_method_params": class_method_params,
        "docstring": first_docstring_line(docstring_source),
        "class_method_docstrings": class_method_docstrings,
        "local": getattr(obj, "__flash_local__", False),
    }
    return meta, (target_class if is_class else original), resource_config


# --------------------------------------------------------------------------
# Source locations (ours: the CLI keeps none)
# --------------------------------------------------------------------------


class ProjectFiles:
    """Maps absolute paths to project-relative POSIX paths of shipped files."""

    def __init__(self, root, rel_files):
        self.root = root
        self.by_abs = {}
        # Code objects may carry the resolved path (e.g. /tmp → /private/tmp).
        real_root = os.path.realpath(root)
        for rel in rel_files:
            parts = rel.split("/")
            self.by_abs[os.path.normcase(os.path.join(root, *parts))] = rel
            self.by_abs[os.path.normcase(os.path.join(real_root, *parts))] = rel
        # Exact strings as the import system builds them: the fast path.
        self.exact = {os.path.join(root, *rel.split("/")): rel for rel in rel_files}
        # Other spellings seen (the SDK's own files, mostly), each resolved once.
        self.seen = {}
        self.shipped = set(rel_files)

    def is_shipped(self, rel):
        """Whether root/rel is a shipped file (rel in POSIX form, relative to the root)."""
        if rel in self.shipped:
            return True
        # Case-insensitive file systems (normcase) are the only way a spelling can differ.
        return os.path.normcase("A") != "A" and self.rel(os.path.join(self.root, *rel.split("/"))) is not None

    def rel(self, path):
        if not path:
            return None
        found = self.exact.get(path)
        if found is not None:
            return found
        found = self.seen.get(path, self) if isinstance(path, str) else self
        if found is self:
            found = self.by_abs.get(os.path.normcase(os.path.abspath(path)))
            if isinstance(path, str) and os.path.isabs(path):  # a relative one depends on the cwd
                self.seen[path] = found
        return found


def pos(rel, line, col=0, end_line=None, end_col=None):
    out = {"file": rel, "line": line, "col": col if col is not None else 0}
    if end_line is not None:
        out["endLine"] = end_line
    if end_col is not None:
        out["endCol"] = end_col
    return out


def span(node):
    """A node's (line, col, end_line, end_col), as pos() takes them."""
    return (node.lineno, node.col_offset, getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))


class SourceFacts:
    """What our extraction reads from one file's syntax tree, found once per content.

    Plain data, not the tree: the warm parent keeps these for unchanged files (a
    tree is some 35 times the size of its source), so forked children skip the parse.
    """

    def __init__(self, data):
        # Each def and class in definition order: qualified name, name, the lines its
        # code may start on (def and decorators), its span, its Flash decorator's span,
        # and the calls in its body: (name, attributes, span of the called expression).
        self.defs = []
        self.assignments = {}  # module-level name -> span of the assigned call (or the statement)
        self.dependencies = []  # string literals of every dependencies=[...] in the file
        # What the CLI's cross-call pass sees: each def and class in ast.walk order with the
        # bare names it calls. The CLI reads the file as UTF-8 text: a byte-order mark or
        # another encoding makes its parse fail, and then it finds no calls (None).
        self.cli_defs = None
        if data is None:
            return
        cli_tree = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the import itself warns where the CLI's does
            try:
                cli_tree = ast.parse(data.decode("utf-8"))
            except Exception:
                pass
            try:
                tree = cli_tree if cli_tree is not None and not data.startswith(b"\xef\xbb\xbf") else ast.parse(data)
            except Exception:
                tree = None
        if cli_tree is not None:
            self.cli_defs = [
                (node.name, bare_calls(node)) for node in ast.walk(cli_tree)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            ]
        if tree is None:
            return
        self._walk(tree, "")
        for stmt in tree.body:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
            for t in targets:
                if isinstance(t, ast.Name) and t.id not in self.assignments:
                    self.assignments[t.id] = span(stmt.value if isinstance(stmt.value, ast.Call) else stmt)
        self.dependencies = declared_dependencies(tree)

    def _walk(self, node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qual = prefix + child.name
                dec = flash_decorator(child)
                self.defs.append({
                    "qual": qual,
                    "name": child.name,
                    "starts": [child.lineno] + [d.lineno for d in child.decorator_list],
                    "span": span(child),
                    "decorator": span(dec) if dec is not None else None,
                    "calls": attribute_calls(child),
                })
                inner = qual + (".<locals>." if not isinstance(child, ast.ClassDef) else ".")
                self._walk(child, inner)
            else:
                self._walk(child, prefix)

    def find(self, qualname, name, first_line):
        candidates = [d for d in self.defs if d["qual"] == qualname] or [d for d in self.defs if d["name"] == name]
        if first_line is not None:
            for d in candidates:
                if first_line in d["starts"]:
                    return d
        return candidates[0] if candidates else None


def bare_calls(node):
    """Distinct names called as name(...) anywhere under node, in ast.walk order."""
    called = []
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id not in called:
            called.append(child.func.id)
    return called


def attribute_calls(node):
    """Calls of name(...) or name.a.b(...) under node, in ast.walk order."""
    calls = []
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        chain = []
        func = child.func
        while isinstance(func, ast.Attribute):
            chain.append(func.attr)
            func = func.value
        if isinstance(func, ast.Name):
            calls.append((func.id, chain[::-1], span(child.func)))
    return calls


# Facts and code objects of unchanged files, kept by the warm parent (see index_files)
# for its forked children: absolute path -> (stat key, bytes, SourceFacts, code or None).
SOURCE_CACHE = {}
# Files above this size are left to the children: their trees and code are not worth keeping.
SOURCE_CACHE_MAX_BYTES = 256 * 1024


def index_files(paths, complete=True):
    """Parses and compiles the project's files in the warm parent, before any child needs them.

    `complete`: these are all the project's files (others are forgotten); otherwise
    only these changed.

    Only syntax and bytecode: nothing here runs project code. Compiling is what the
    import system does (same flags); a child uses the code only for identical bytes
    (see install_code_cache), and a file whose compilation warns is left to the
    import, which must warn (or, under -W error, fail) as the CLI's does.
    """
    kept, parsed = ({} if complete else dict(SOURCE_CACHE)), 0
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            kept.pop(path, None)
            continue
        key = (st.st_size, st.st_mtime_ns, st.st_ino)
        old = SOURCE_CACHE.get(path)
        if old is not None and old[0] == key:
            kept[path] = old
            continue
        kept.pop(path, None)
        if st.st_size > SOURCE_CACHE_MAX_BYTES:
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        parsed += 1
        code = None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                code = compile(data, path, "exec", dont_inherit=True, optimize=-1)
            except BaseException:  # noqa: B036 - a syntax error, a warning; the child compiles it
                code = None
        try:
            facts = SourceFacts(data)
        except Exception:
            continue
        kept[path] = (key, data, facts, code)
    SOURCE_CACHE.clear()
    SOURCE_CACHE.update(kept)
    return parsed


def install_code_cache():
    """Hands the import system the warm parent's code object for a file with the same bytes.

    SourceLoader.get_code reads the source and calls source_to_code(data, path): for
    identical data and path, compile() would return an equal code object.
    """
    loader = importlib.machinery.SourceFileLoader
    original = loader.source_to_code

    def source_to_code(self, data, path, *args, _optimize=-1, **kwargs):
        # Extra arguments (the module name, from Python 3.15) change nothing compile() makes here.
        hit = SOURCE_CACHE.get(path) if _optimize == -1 else None
        if hit is not None and hit[3] is not None and hit[1] == data:
            return hit[3]
        return original(self, data, path, *args, _optimize=_optimize, **kwargs)

    loader.source_to_code = source_to_code


FLASH_DECORATOR_NAMES = {"Endpoint", "remote", "get", "post", "put", "delete", "patch"}


def flash_decorator(node):
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        name = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else None
        if name in FLASH_DECORATOR_NAMES:
            return dec
    return node.decorator_list[0] if node.decorator_list else None


def frame_position(frame_summary):
    return (
        frame_summary.lineno,
        getattr(frame_summary, "colno", None),
        getattr(frame_summary, "end_lineno", None),
        getattr(frame_summary, "end_colno", None),
    )


# --------------------------------------------------------------------------
# The scan
# --------------------------------------------------------------------------

KNOWN_DISTRIBUTIONS = {
    "cv2": "opencv-python",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "yaml": "pyyaml",
    "bs4": "beautifulsoup4",
    "skimage": "scikit-image",
    "dotenv": "python-dotenv",
}


def normalize_dist(name):
    for sep in ("[", "=", "<", ">", "~", "!", ";", " ", "@"):
        name = name.split(sep)[0]
    return name.strip().lower().replace("-", "_").replace(".", "_")


def declared_dependencies(tree):
    deps = []
    if tree is None:
        return deps
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "dependencies" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    deps.extend(e.value for e in kw.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
    return deps


# --------------------------------------------------------------------------
# Containment: what one module may do to the process, the machine or the project
# --------------------------------------------------------------------------

MEMORY_LIMIT_SETTING = "flash.scan.memoryLimitMB, --memory-limit"
# Audit events that write to (or change) a file named by args[0].
WRITE_EVENTS = {"open", "os.truncate", "os.chmod", "os.chown", "os.utime"}
# Audit events that start a process (which may then leave our process group).
SPAWN_EVENTS = {"subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.system"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
SCAN_TAG = "FLASH_LS_SCAN"


def limit_memory(mb):
    """Caps this process's address space (RLIMIT_AS), and so what it starts: an
    import that allocates past it gets a MemoryError instead of the machine's memory."""
    try:
        mb = float(mb or 0)
        if mb <= 0:
            return None
        if resource is None:
            return None
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = int(mb * 1024 * 1024)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return mb
    except Exception:  # no resource module (Windows), or a platform that refuses RLIMIT_AS
        return None


def release(module, error):
    """Frees what a module that ran out of memory holds (its globals, reachable from
    the traceback's frames in a cycle) now, not at some later collection: the modules
    after it need that room under the same limit."""
    error.__traceback__ = None
    if module is not None:
        vars(module).clear()
    gc.collect()


def name_process(name):
    """What `ps -o comm` and `top` show for this process (Linux): an idle warm child
    (flash-ls-spare) or one running a scan (flash-ls-scan)."""
    try:
        with open("/proc/self/comm", "w") as fh:
            fh.write(name)
    except OSError:
        pass


def tag_descendants():
    """Marks the environment every process this scan starts inherits, so the driver
    can find one that left our process group (a daemon that called setsid)."""
    base = os.environ.get(SCAN_TAG)
    if base:
        os.environ[SCAN_TAG] = "%s.%d" % (base, os.getpid())


class ProcessState:
    """Process-wide state one module's import may change, put back before the next.

    flash build does not: after a module's os.chdir("/"), sys.path.clear() or a
    replaced __import__, every module after it fails there. We keep each module's
    facts its own (docs/reliability.md says where that differs).
    """

    def __init__(self):
        try:
            self.cwd = os.getcwd()
        except OSError:
            self.cwd = None
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.import_ = builtins.__import__
        self.exit = os._exit
        self.recursion_limit = sys.getrecursionlimit()

    def restore(self):
        builtins.__import__ = self.import_
        os._exit = self.exit
        sys.stdin, sys.stdout, sys.stderr = self.streams
        sys.setrecursionlimit(self.recursion_limit)
        if not isinstance(sys.path, list):
            sys.path = []
        sys.path.extend(p for p in self.path if p not in sys.path)
        sys.meta_path.extend(f for f in self.meta_path if f not in sys.meta_path)
        try:
            if self.cwd is not None and os.getcwd() != self.cwd:
                os.chdir(self.cwd)
        except OSError:
            try:
                os.chdir(self.cwd)
            except OSError:
                pass


def _cli_thread_name():
    """The name flash build's import thread would have: Thread-N (_do_import)."""
    try:
        return threading._newname("Thread-%d") + " (_do_import)"
    except Exception:
        return "Thread (_do_import)"


class WorkerTurn:
    """The module a scan worker is importing, shared with the thread that keeps its deadline."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deadline = None  # time.monotonic() when the current import overruns; None between imports
        self.pending = None  # what the watcher needs to report the current module itself
        self.abandoned = False  # the watcher reported the current module: the worker must stop
        self.crash = None  # an error of ours in the worker, raised again in the main thread

    @staticmethod
    def execute(spec, module):
        """Runs a module's code as the CLI's fresh _do_import thread would see it.

        Returns (error, exit): the Exception the CLI's thread keeps, or the SystemExit
        threading swallows (the CLI then keeps the half-executed module). Per-thread
        state a previous module left on this thread is cleared first: the context
        variables (a new thread starts with an empty context), asyncio's current
        event loop, and trace and profile functions. Other threading.local data is
        not (docs/reliability.md).
        """
        thread = threading.current_thread()
        thread.name = _cli_thread_name()
        events = sys.modules.get("asyncio.events")
        local = getattr(getattr(events, "_event_loop_policy", None), "_local", None)
        if isinstance(local, threading.local):
            local.__dict__.clear()
        # Only when a module changed them: each call is an audit event too.
        trace, profile = getattr(threading, "_trace_hook", None), getattr(threading, "_profile_hook", None)
        if sys.gettrace() is not trace:
            sys.settrace(trace)
        if sys.getprofile() is not profile:
            sys.setprofile(profile)
        try:
            contextvars.Context().run(spec.loader.exec_module, module)
        except Exception as e:
            return e, None
        except SystemExit as e:
            return None, e
        except BaseException as e:  # noqa: B036
            # threading prints these and ends the thread; the CLI keeps the module.
            try:
                threading.excepthook(threading.ExceptHookArgs((type(e), e, e.__traceback__, thread)))
            except Exception:
                pass
        return None, None


class MirrorLinks:
    """Copy-on-write for the scan mirror's symlinks to project files.

    The mirror links non-Python files to the project instead of copying them; a
    module that writes next to its __file__ (as it may in flash build's own copy)
    would write through the link into the user's file. Before such a write we
    replace the link with a copy, so the write lands in the mirror, as in
    .flash/.build.
    """

    def __init__(self, root):
        self.root = os.path.normcase(os.path.realpath(root)) + os.sep
        # Scanning the project itself (no mirror): its own symlinks are the user's.
        self.active = self.root != os.path.normcase(os.path.realpath(os.getcwd())) + os.sep
        self.busy = threading.local()

    def before_write(self, event, args):
        if not self.active or not args or getattr(self.busy, "on", False):
            return
        path = args[0]
        if event == "open":
            mode, flags = (args[1] if len(args) > 1 else None), (args[2] if len(args) > 2 else 0)
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & WRITE_FLAGS
            )
            if not writes:
                return
        if isinstance(path, int):
            return
        self.busy.on = True
        try:
            path = os.path.abspath(os.fsdecode(os.fspath(path)))
            if not os.path.islink(path):
                return
            folder = os.path.normcase(os.path.realpath(os.path.dirname(path))) + os.sep
            if not folder.startswith(self.root):
                return
            temp = "%s.flash-ls-copy-%d" % (path, os.getpid())
            shutil.copy2(os.path.realpath(path), temp)
            os.replace(temp, path)
        except Exception:
            pass  # the write goes ahead as the module asked
        finally:
            self.busy.on = False


class Scanner:
    def __init__(self, sdk, channel, request):
        self.sdk = sdk
        self.channel = channel
        self.root = request["root"]
        self.modules = request["modules"]
        self.timeout = float(request.get("timeout", 30))
        # Set by limit_memory(); named in the message of an import that exceeds it.
        self.memory_limit_mb = None
        self.files = ProjectFiles(self.root, request.get("projectFiles") or self.modules)
        self.indexes = {}
        self.import_memo = {}  # module name -> (the module object then, its project file or None)
        self.left_behind = set()  # worker threads abandoned at a deadline, still running
        self.endpoint_sites = {}  # id(Endpoint) -> (endpoint, site)
        self.imported = None  # set of module names imported while one module loads
        self.traceback_fd = None
        self.dump_per_module = False

    # -- hooks ------------------------------------------------------------

    def install_hooks(self, traceback_file):
        if traceback_file:
            self.traceback_fd = os.open(traceback_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            faulthandler.enable(file=self.traceback_fd, all_threads=True)
            # A module that holds the GIL stops every thread of ours: the driver then
            # asks for the stacks with SIGUSR1 before it kills the process. Where
            # there is no such signal, a timer is armed around each import instead.
            if hasattr(faulthandler, "register") and hasattr(signal, "SIGUSR1"):
                faulthandler.register(signal.SIGUSR1, file=self.traceback_fd, all_threads=True)
            else:
                self.dump_per_module = True
        scanner = self
        original_init = self.sdk.Endpoint.__init__

        def init_with_site(ep, *args, **kwargs):
            original_init(ep, *args, **kwargs)
            scanner.endpoint_sites[id(ep)] = (ep, scanner.innermost_in_stack(sys._getframe(1)))

        self.sdk.Endpoint.__init__ = init_with_site

        original_import = builtins.__import__

        def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
            # Recorded before importing: a module that fails to import is still a dependency.
            # Not for a worker left behind at its deadline: it would credit the next module.
            sink = scanner.imported
            if sink is not None and threading.current_thread() not in scanner.left_behind:
                try:
                    full = name
                    if level:
                        package = (globals or {}).get("__package__") or ""
                        base = package.rsplit(".", level - 1)[0] if level > 1 else package
                        full = base + ("." + name if name else "")
                    sink.add(full)
                    for item in fromlist or ():
                        sink.add(full + "." + item)
                except Exception:
                    pass
            return original_import(name, globals, locals, fromlist, level)

        builtins.__import__ = recording_import

        # A module that ends the process leaves no traceback: say where, first.
        def reporting_exit(code):
            scanner.report_exit("os._exit", code, sys._getframe(1))
            REAL_EXIT(code)

        os._exit = reporting_exit
        own_pid = os.getpid()
        mirror_links = MirrorLinks(self.root)
        spawned = []

        def audit(event, args):
            if event == "os.kill" and args and args[0] in (own_pid, 0, -os.getpgid(0)):
                scanner.report_exit("os.kill", None, sys._getframe(1))
            elif event in WRITE_EVENTS:
                mirror_links.before_write(event, args)
            elif event in SPAWN_EVENTS and not spawned and os.getpid() == own_pid:
                # The driver then looks for processes that left our process group.
                spawned.append(event)
                scanner.channel.send({"t": "spawned", "how": event})

        sys.addaudithook(audit)

    def report_exit(self, how, code, frame):
        try:
            self.channel.send({"t": "exiting", "how": how, "code": code if isinstance(code, int) else None,
                               "location": self.innermost_in_stack(frame)})
        except Exception:
            pass


    def index(self, rel):
        facts = self.indexes.get(rel)
        if facts is None:
            path = os.path.join(self.root, *rel.split("/"))
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except Exception:
                data = None
            cached = SOURCE_CACHE.get(path)
            facts = cached[2] if cached is not None and data is not None and cached[1] == data else SourceFacts(data)
            self.indexes[rel] = facts
        return facts

    # -- driving ------------------------------------------------------------

    def run(self, start_index):
        root = self.root
        added_to_path = root not in sys.path
        if added_to_path:
            sys.path.insert(0, root)
        synthetic = self.register_parent_packages()
        try:
            index = start_index
            while index < len(self.modules):
                index = self.run_worker(index)
        finally:
            if added_to_path:
                try:
                    sys.path.remove(root)
                except ValueError:
                    pass
            for name in synthetic:
                sys.modules.pop(name, None)

    def register_parent_packages(self):
        added = []
        for rel in self.modules:
            parts = rel.split("/")[:-1]
            for i in range(len(parts)):
                name = ".".join(parts[: i + 1])
                if name not in sys.modules:
                    pkg = types.ModuleType(name)
                    pkg.__path__ = [os.path.join(self.root, *parts[: i + 1])]
                    pkg.__package__ = name
                    sys.modules[name] = pkg
                    added.append(name)
        return added

    def run_worker(self, start):
        """Scans the modules from `start` on in one worker thread; returns where to go on.

        flash build imports each module in a new daemon thread and waits for it with
        a deadline (_import_module_from_file). Starting and joining a thread per
        module costs more than importing a small one, so one thread imports them
        all, each as if in a new thread (see WorkerTurn.execute), and this thread
        sleeps until the end of the scan or a module's deadline. A module that
        overruns it is reported as the CLI reports it and left running, as there;
        a new worker carries on after it.
        """
        turn = WorkerTurn()
        finished = threading.Lock()
        finished.acquire()

        def work():
            try:
                for i in range(start, len(self.modules)):
                    if not self.scan_module(i, self.modules[i], turn):
                        return  # left behind at its deadline
            except BaseException as e:  # noqa: B036 - a bug of ours: end the scan loudly
                turn.crash = e
            finally:
                finished.release()

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        while True:
            with turn.lock:
                deadline = turn.deadline
            wait = self.timeout if deadline is None else deadline - time.monotonic()
            if finished.acquire(timeout=max(wait, 0.0)):
                if turn.crash is not None:
                    raise turn.crash
                return len(self.modules)
            with turn.lock:
                if turn.deadline is None or time.monotonic() < turn.deadline:
                    continue
                turn.abandoned = True
                self.left_behind.add(worker)
                pending = turn.pending
            frame = sys._current_frames().get(worker.ident)
            index, rel, module_path, old, state, started, module = pending
            self.finish_import(module_path, old, state)
            error = TimeoutError(
                "import of %s timed out after %ss (module-level code may be blocking)"
                % (rel.rsplit("/", 1)[-1], format_seconds(self.timeout))
            )
            self.report(index, rel, module_path, started, module, error, frame)
            return index + 1

    def scan_module(self, index, rel, turn):
        """Port of _import_module_from_file plus extraction; False when left behind at the deadline."""
        abs_path = os.path.join(self.root, *rel.split("/"))
        module_path = file_to_module_path(rel)
        self.channel.send({"t": "module", "index": index, "file": rel})
        started = time.perf_counter()
        self.imported = set()
        if self.dump_per_module:
            os.ftruncate(self.traceback_fd, 0)
            os.lseek(self.traceback_fd, 0, 0)
            faulthandler.dump_traceback_later(self.timeout + 1.0, repeat=False, file=self.traceback_fd)
        state = ProcessState()
        module = error = extra = None
        old = sys.modules.get(module_path)
        spec = importlib.util.spec_from_file_location(module_path, abs_path)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_path] = module
            with turn.lock:
                turn.deadline = time.monotonic() + self.timeout
                turn.pending = (index, rel, module_path, old, state, started, module)
            error, extra = turn.execute(spec, module)
            with turn.lock:
                if turn.abandoned:
                    return False
                turn.deadline = None
        if self.dump_per_module:
            faulthandler.cancel_dump_traceback_later()
        self.finish_import(module_path if module is not None else None, old, state)
        self.report(index, rel, module_path, started, module, error, extra)
        return True

    def finish_import(self, module_path, old, state):
        """What follows every import: sys.modules as the CLI leaves it, process state put back."""
        if module_path is not None:
            if old is not None:
                sys.modules[module_path] = old
            else:
                sys.modules.pop(module_path, None)
        state.restore()

    def report(self, index, rel, module_path, started, module, error, extra):
        imported, self.imported = self.imported, None
        result = {
            "t": "result",
            "index": index,
            "file": rel,
            "module": module_path,
            "durationMs": round((time.perf_counter() - started) * 1000, 3),
            "importedFiles": self.project_files_of(imported or (), rel),
        }
        if error is not None:
            result["error"] = self.describe_failure(rel, error, extra)
            if isinstance(error, MemoryError):
                release(module, error)
        elif module is not None:
            if isinstance(extra, SystemExit):
                result["exit"] = {"code": exit_code(extra.code), "location": self.exit_location(extra, rel)}
            try:
                result.update(self.extract(module, module_path, rel))
            except Exception as e:
                # The CLI does not catch this either: discovery stops and
                # `flash build` ships without a manifest.
                # Which of run_build's except clauses catches it decides what it prints.
                clause = "analysis" if isinstance(e, (ImportError, SyntaxError)) else "value" if isinstance(e, ValueError) else "other"
                result["extractError"] = {"type": type(e).__name__, "message": str(e), "clause": clause}
        self.channel.send(result)

    def project_files_of(self, names, own_rel):
        files = set()
        memo = self.import_memo
        for name in list(names):
            mod = sys.modules.get(name)
            # Most names (json, runpod_flash, …) come back module after module.
            known = memo.get(name)
            if known is not None and known[0] is mod:
                rel = known[1]
            else:
                rel = self.files.rel(getattr(mod, "__file__", None)) if mod is not None else None
                if rel is None:
                    candidate = name.replace(".", "/")
                    for guess in (candidate + ".py", candidate + "/__init__.py"):
                        if self.files.is_shipped(guess):
                            rel = guess
                            break
                memo[name] = (mod, rel)
            if rel is not None and rel != own_rel:
                files.add(rel)
        return sorted(files)

    # -- failures -------------------------------------------------------------

    def describe_failure(self, rel, error, stuck_frame):
        message = "%s: %s" % (type(error).__name__, error)
        failure = {"message": message, "type": type(error).__name__, "kind": "exception", "location": None}
        if isinstance(error, TimeoutError) and stuck_frame is not None and isinstance(stuck_frame, types.FrameType):
            failure["kind"] = "timeout"
            failure["location"] = self.innermost_in_stack(stuck_frame)
            return failure
        frames = traceback.extract_tb(error.__traceback__)
        project_frames = [(self.files.rel(f.filename), f) for f in frames]
        project_frames = [(r, f) for r, f in project_frames if r is not None]
        if project_frames:
            r, f = project_frames[-1]
            failure["location"] = pos(r, *frame_position(f))
            own = [(r2, f2) for r2, f2 in project_frames if r2 == rel]
            if own and own[-1][0] != r or (own and own[-1][1] is not f):
                r2, f2 = own[-1]
                failure["importSite"] = pos(r2, *frame_position(f2))
        if isinstance(error, SyntaxError):
            failure["kind"] = "syntax"
            srel = self.files.rel(error.filename) or (rel if error.filename in (None, "<unknown>") else None)
            if srel is not None and error.lineno:
                col = (error.offset - 1) if error.offset else 0
                end_col = (error.end_offset - 1) if getattr(error, "end_offset", None) else None
                failure["location"] = pos(srel, error.lineno, col, getattr(error, "end_lineno", None), end_col)
        elif isinstance(error, MemoryError):
            failure["kind"] = "memory"
            if self.memory_limit_mb:
                failure["message"] = "MemoryError: the import of %s used more than %s MB, the scan's memory limit (%s)" % (
                    os.path.basename(rel), format_seconds(self.memory_limit_mb), MEMORY_LIMIT_SETTING)
        elif isinstance(error, ModuleNotFoundError):
            failure["kind"] = "missing-module"
            failure["missingModule"] = self.missing_module(rel, error, failure.get("location"))
        elif frames and self.in_sdk(frames[-1].filename) and isinstance(error, (ValueError, TypeError)):
            failure["kind"] = "validation"
        elif type(error).__name__ == "ValidationError":
            failure["kind"] = "validation"
        failure["traceback"] = "".join(traceback.format_exception(type(error), error, error.__traceback__))[-8000:]
        return failure

    def in_sdk(self, filename):
        return os.path.realpath(filename).startswith(self.sdk.package_dir + os.sep)

    def innermost_in_stack(self, frame):
        while frame is not None:
            r = self.files.rel(frame.f_code.co_filename)
            if r is not None:
                return pos(r, frame.f_lineno)
            frame = frame.f_back
        return None

    def exit_location(self, exc, rel):
        frames = traceback.extract_tb(exc.__traceback__)
        for f in reversed(frames):
            r = self.files.rel(f.filename)
            if r is not None:
                return pos(r, *frame_position(f))
        return None

    def missing_module(self, rel, error, location):
        name = error.name or ""
        top = name.split(".")[0]

        def exists_in(base):
            return bool(top) and (os.path.isfile(os.path.join(base, top + ".py")) or os.path.isdir(os.path.join(base, top)))

        # The scan root holds only shipped files; the working directory is the project.
        shipped = exists_in(self.root)
        in_project = exists_in(os.getcwd())
        info = {"name": name, "local": shipped or in_project, "declaredInDependencies": False}
        if in_project and not shipped:
            info["excluded"] = True
        local = info["local"]
        if not local and top:
            where = (location or {}).get("file") or rel
            wanted = {normalize_dist(top), normalize_dist(KNOWN_DISTRIBUTIONS.get(top, top))}
            for dep in self.index(where).dependencies + (
                self.index(rel).dependencies if where != rel else []
            ):
                if normalize_dist(dep) in wanted:
                    info["declaredInDependencies"] = True
                    info["dependency"] = dep
                    break
        return info

    # -- discovery --------------------------------------------------------------

    def extract(self, module, module_path, rel):
        """Port of RuntimeScanner._extract_from_module plus our own facts."""
        sdk = self.sdk
        names = dir(module)
        clients = self.client_endpoints(module, names, module_path, rel)

        remote_objects = {}
        for name in names:
            try:
                obj = getattr(module, name)
                if hasattr(obj, "__remote_config__"):
                    remote_objects[name] = obj
            except Exception:
                continue
        endpoint_instances = {}
        for name in names:
            try:
                obj = getattr(module, name)
            except Exception:
                continue
            if isinstance(obj, sdk.Endpoint) and not obj.is_client:
                endpoint_instances[name] = obj

        config_to_varname = {}
        for name in names:
            try:
                member = getattr(module, name)
            except Exception:
                continue
            if isinstance(member, sdk.ServerlessResource):
                config_to_varname[id(member)] = name
            elif isinstance(member, sdk.Endpoint) and not member.is_client:
                config_to_varname[id(member)] = name
                cached = getattr(member, "_cached_resource_config", None)
                if cached is not None:
                    config_to_varname[id(cached)] = name

        objects = []
        seen = set()
        for attr_name, obj in remote_objects.items():
            if attr_name in seen:
                continue
            config = getattr(obj, "__remote_config__", {})
            resource_config = config.get("resource_config")
            var_name = None
            if resource_config is not None:
                var_name = config_to_varname.get(id(resource_config))
                if var_name is None and hasattr(resource_config, "name"):
                    for ep_name, ep in endpoint_instances.items():
                        if ep is resource_config or (
                            hasattr(ep, "name") and ep.name == getattr(resource_config, "name", None)
                        ):
                            var_name = ep_name
                            break
            found = metadata_from_remote_config(sdk, obj, attr_name, module_path, rel, var_name)
            if found is None:
                continue
            seen.add(attr_name)
            meta, target, rc = found
            objects.append(self.describe_object(module, attr_name, meta, target, rc, rel))

        return {
            "objects": objects,
            "clientEndpoints": clients,
            "cliCallNodes": self.cli_call_nodes(rel, {o["meta"]["function_name"] for o in objects}),
        }

    def client_endpoints(self, module, names, module_path, rel):
        """What _collect_client_endpoints sees in this module, in dir() order."""
        out = []
        for name in names:
            try:
                member = getattr(module, name)
            except Exception:
                continue
            if not isinstance(member, self.sdk.Endpoint) or member.image is None or member.id is not None:
                continue
            site = self.endpoint_sites.get(id(member), (None, None))[1]
            out.append({
                "name": member.name,
                "var_name": name,
                "module_path": module_path,
                "file_path": rel,
                # Unique across forked children too (they share address layouts).
                "object_id": "%d:%d" % (os.getpid(), id(member)),
                "image": member.image,
                "site": site,
            })
        return out

    def describe_object(self, module, attr_name, meta, target, rc, rel):
        code = getattr(target, "__code__", None)
        def_file = self.files.rel(definition_file(target, module))
        site = {"def": None, "decorator": None, "resource": None}
        node = None
        if def_file is not None:
            node = self.index(def_file).find(
                getattr(target, "__qualname__", ""), getattr(target, "__name__", ""),
                code.co_firstlineno if code is not None else None,
            )
        if node is not None:
            site["def"] = pos(def_file, *node["span"])
            if node["decorator"] is not None:
                site["decorator"] = pos(def_file, *node["decorator"])
        site["resource"] = self.resource_site(rc, meta, rel)
        return {
            "attr": attr_name,
            "meta": meta,
            "site": site,
            "key": self.definition_key(target, module),
            "resource": self.resource_summary(rc),
            "calls": self.resolved_calls(module, node, def_file) if node is not None else [],
        }

    def resource_site(self, rc, meta, rel):
        # A copy: a worker left behind at its deadline may still be making endpoints.
        for ep, site in list(self.endpoint_sites.values()):
            if getattr(ep, "_cached_resource_config", None) is rc or ep is rc:
                return site
        var = meta.get("config_variable")
        if var:
            where = self.index(rel).assignments.get(var)
            if where is not None:
                return pos(rel, *where)
        return None

    def definition_key(self, target, module):
        """Where an object was defined: equal for the same def however it was imported.

        Project files are named by their relative path, so keys do not depend on
        where the scan root happens to be.
        """
        code = getattr(target, "__code__", None)
        filename = definition_file(target, module)
        where = self.files.rel(filename) or filename
        if code is not None:
            return "%s::%s::%d" % (where, target.__qualname__, code.co_firstlineno)
        return "%s::%s" % (where, getattr(target, "__qualname__", ""))

    def resolved_calls(self, module, node, def_file):
        """Calls in the body that resolve, through the live namespace, to endpoint objects."""
        namespace = vars(module)
        out = []
        for name, attrs, where in node["calls"]:
            if name not in namespace:
                continue
            obj = namespace[name]
            try:
                for attr in attrs:
                    obj = getattr(obj, attr)
            except Exception:
                continue
            if isinstance(obj, types.ModuleType) or not hasattr(obj, "__remote_config__"):
                continue
            original = unwrap_to_original(obj)
            target = getattr(obj, "_wrapped_class", None) if inspect.isclass(obj) and hasattr(obj, "_wrapped_class") else original
            out.append({
                "text": ".".join([name] + attrs),
                "key": self.definition_key(target, module),
                "at": pos(def_file, *where),
            })
        return out

    def cli_call_nodes(self, rel, function_names):
        """What _analyze_cross_calls_ast sees: bare-name calls per matching def, in ast.walk order.

        The project-wide filter by discovered names happens in the driver, which
        knows every module's results.
        """
        if not function_names:
            return []
        defs = self.index(rel).cli_defs
        if defs is None:
            return []
        return [{"name": name, "calls": list(calls)} for name, calls in defs if name in function_names]

    def resource_summary(self, rc):
        """The live resource configuration as plain JSON; env values never leave."""
        summary = {"class": type(rc).__name__}
        for field in (
            "name", "gpuIds", "gpus", "gpuCount", "instanceIds", "workersMin", "workersMax",
            "idleTimeout", "imageName", "templateId", "python_version", "scalerType", "scalerValue",
            "locations", "minCudaVersion", "networkVolumeId", "executionTimeoutMs", "flashboot", "datacenter",
        ):
            try:
                value = getattr(rc, field)
            except Exception:
                continue
            summary[field] = plain(value)
        env = getattr(rc, "env", None)
        if isinstance(env, dict):
            summary["envKeys"] = [str(k) for k in env.keys()]
        volumes = []
        for attr in ("networkVolume", "networkVolumes"):
            value = getattr(rc, attr, None)
            for nv in value if isinstance(value, list) else [value] if value is not None else []:
                volumes.append({"name": plain(getattr(nv, "name", None)), "size": plain(getattr(nv, "size", None))})
        if volumes:
            summary["volumes"] = volumes
        return summary


_REAL_PATHS = {}


def real_path(filename):
    """normcase(realpath()), once per name: every endpoint of a module asks for the same file."""
    found = _REAL_PATHS.get(filename)
    if found is None:
        found = _REAL_PATHS[filename] = os.path.normcase(os.path.realpath(filename))
    return found


def definition_file(target, module):
    """The file an object was defined in, also for classes (which carry no code)."""
    code = getattr(target, "__code__", None)
    if code is not None:
        return real_path(code.co_filename)
    if getattr(target, "__module__", None) == getattr(module, "__name__", None):
        filename = getattr(module, "__file__", None)
    else:
        filename = getattr(sys.modules.get(getattr(target, "__module__", ""), None), "__file__", None)
    if filename is None and isinstance(target, type):
        for member in vars(target).values():
            inner = getattr(member, "__code__", None)
            if inner is not None:
                filename = inner.co_filename
                break
    if not filename:
        return ""
    return real_path(filename) if isinstance(filename, str) else os.path.normcase(os.path.realpath(filename))


def plain(value, depth=0):
    if depth > 4:
        return repr(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "value") and not isinstance(value, (list, tuple, dict)):
        return plain(value.value, depth + 1)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    return repr(value)


def format_seconds(seconds):
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def exit_code(code):
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1


# --------------------------------------------------------------------------
# Deployment config: ManifestBuilder's re-import, ported (manifest.py, 1.21.0)
# --------------------------------------------------------------------------


def import_by_stem(abs_path):
    """Port of ManifestBuilder._import_module: bare stem, the file's folder on sys.path.

    Returns (module, cleanup, failure); failure says why the CLI silently got nothing.
    """
    noop = lambda: None  # noqa: E731
    stem = os.path.splitext(os.path.basename(abs_path))[0]
    spec = importlib.util.spec_from_file_location(stem, abs_path)
    if not spec or not spec.loader:
        return None, noop, "no loader for " + abs_path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    parent = os.path.dirname(abs_path)
    added = parent not in sys.path
    if added:
        sys.path.insert(0, parent)

    def cleanup():
        if spec.name in sys.modules:
            del sys.modules[spec.name]
        if added:
            try:
                sys.path.remove(parent)
            except ValueError:
                pass

    try:
        spec.loader.exec_module(module)
    except Exception as e:
        cleanup()
        return None, noop, "%s: %s" % (type(e).__name__, e)
    return module, cleanup, None


def serialize_network_volume(nv):
    out = {}
    if nv.name is not None:
        out["name"] = nv.name
    if getattr(nv, "id", None) is not None:
        out["id"] = nv.id
    if nv.size is not None:
        out["size"] = nv.size
    if hasattr(nv, "dataCenterId") and nv.dataCenterId is not None:
        out["dataCenterId"] = nv.dataCenterId.value if hasattr(nv.dataCenterId, "value") else nv.dataCenterId
    return out


def extract_config_properties(config, rc):
    """Port of ManifestBuilder._extract_config_properties, same keys in the same order."""
    if hasattr(rc, "imageName") and rc.imageName:
        config["imageName"] = rc.imageName
    if hasattr(rc, "python_version") and rc.python_version:
        config["python_version"] = rc.python_version
    if hasattr(rc, "templateId") and rc.templateId:
        config["templateId"] = rc.templateId
    if hasattr(rc, "gpuIds") and rc.gpuIds:
        config["gpuIds"] = rc.gpuIds
    if hasattr(rc, "instanceIds") and rc.instanceIds:
        config["instanceIds"] = [i.value if hasattr(i, "value") else str(i) for i in rc.instanceIds]
    if hasattr(rc, "workersMin"):
        config["workersMin"] = rc.workersMin
    if hasattr(rc, "workersMax"):
        config["workersMax"] = rc.workersMax
    if hasattr(rc, "idleTimeout") and rc.idleTimeout is not None:
        config["idleTimeout"] = rc.idleTimeout
    if hasattr(rc, "scalerType") and rc.scalerType is not None:
        val = rc.scalerType
        config["scalerType"] = val.value if hasattr(val, "value") else val
    if hasattr(rc, "scalerValue") and rc.scalerValue is not None:
        config["scalerValue"] = rc.scalerValue
    if hasattr(rc, "locations") and rc.locations:
        config["locations"] = rc.locations
    if hasattr(rc, "minCudaVersion") and rc.minCudaVersion is not None:
        v = rc.minCudaVersion
        config["minCudaVersion"] = v.value if hasattr(v, "value") else v
    if hasattr(rc, "env") and rc.env is not None:
        config["env"] = dict(rc.env)
    if hasattr(rc, "networkVolumes") and rc.networkVolumes:
        config["networkVolumes"] = [serialize_network_volume(nv) for nv in rc.networkVolumes]
    elif hasattr(rc, "networkVolume") and rc.networkVolume:
        config["networkVolume"] = serialize_network_volume(rc.networkVolume)
    elif hasattr(rc, "networkVolumeId") and rc.networkVolumeId:
        config["networkVolumeId"] = rc.networkVolumeId
    if hasattr(rc, "template") and rc.template:
        t = rc.template
        template = {}
        for key in ("containerDiskInGb", "dockerArgs", "startScript", "advancedStart", "containerRegistryAuthId"):
            if hasattr(t, key):
                template[key] = getattr(t, key)
        if template:
            config["template"] = template


def encode_config(config):
    """The config as the CLI's json.dumps will write it (None if it cannot)."""
    try:
        return json.dumps(config), None
    except Exception as e:
        return None, "%s: %s" % (type(e).__name__, e)


def resource_deploy_config(root, item):
    """Port of ManifestBuilder._extract_deployment_config for one resource."""
    config = {}
    note = None
    abs_path = os.path.join(root, *item["file"].split("/"))
    if not os.path.exists(abs_path):
        return config, "file does not exist"
    try:
        module, cleanup, note = import_by_stem(abs_path)
        if module is None:
            return config, note
        try:
            resource_config = None
            remote_cfg = None
            variable = item.get("configVariable")
            if variable and hasattr(module, variable):
                resource_config = getattr(module, variable)
            else:
                fn = getattr(module, item["functionName"], None)
                if fn is not None:
                    remote_cfg = getattr(fn, "__remote_config__", None)
                    if isinstance(remote_cfg, dict):
                        resource_config = remote_cfg.get("resource_config")
            if resource_config is None:
                return config, "no resource config found on the re-imported module"
            if hasattr(resource_config, "_max_concurrency"):
                mc = resource_config._max_concurrency
                if mc > 1:
                    config["max_concurrency"] = mc
            elif isinstance(remote_cfg, dict) and remote_cfg.get("max_concurrency", 1) > 1:
                config["max_concurrency"] = remote_cfg["max_concurrency"]
            if hasattr(resource_config, "_build_resource_config"):
                resource_config = resource_config._build_resource_config()
            extract_config_properties(config, resource_config)
        finally:
            cleanup()
    except Exception as e:
        note = "%s: %s" % (type(e).__name__, e)
    return config, note


def client_deploy_config(root, item, provisionable):
    """Port of ManifestBuilder._extract_client_deployment_config."""
    config = {}
    resource_type = "Endpoint"
    note = None
    abs_path = os.path.join(root, *item["file"].split("/"))
    try:
        module, cleanup, note = import_by_stem(abs_path) if os.path.exists(abs_path) else (None, None, "file does not exist")
        if module is not None:
            try:
                var = item.get("varName")
                ep = getattr(module, var, None) if var else None
                if ep is not None:
                    mc = getattr(ep, "_max_concurrency", 1)
                    if mc > 1:
                        config["max_concurrency"] = mc
                    rc = ep._build_resource_config()
                    extract_config_properties(config, rc)
                    if type(rc).__name__ in provisionable:
                        resource_type = type(rc).__name__
            finally:
                cleanup()
    except Exception as e:
        note = "%s: %s" % (type(e).__name__, e)
    return config, resource_type, note


def run_deploy_config(channel, root, request):
    """Read deployment configs in the CLI's order; stop where the CLI would exit."""
    try:
        from runpod_flash.runtime.resource_provisioner import PROVISIONABLE_RESOURCE_TYPES as provisionable
    except Exception:
        provisionable = ()
    for kind in ("resources", "clients"):
        for item in request.get(kind, []):
            channel.send({"t": "deploy-begin", "kind": kind, "name": item["name"]})
            try:
                if kind == "resources":
                    config, note = resource_deploy_config(root, item)
                    resource_type = None
                else:
                    config, resource_type, note = client_deploy_config(root, item, provisionable)
            except SystemExit as e:
                # Not caught by the CLI either: `flash build` exits here with this code.
                channel.send({"t": "deploy-exit", "kind": kind, "name": item["name"], "code": exit_code(e.code)})
                return
            encoded, unserializable = encode_config(config)
            message = {"t": "deploy", "kind": kind, "name": item["name"], "configJson": encoded}
            if resource_type is not None:
                message["resourceType"] = resource_type
            if unserializable:
                message["unserializable"] = unserializable
            if note:
                message["note"] = note
            channel.send(message)


# --------------------------------------------------------------------------
# Entry point: requests on a private stdin, results on a private stdout
# --------------------------------------------------------------------------


def read_requests(fd, when_idle=None):
    """JSON requests, one per line, until end of file.

    `when_idle`, if given, is asked each time the stream runs dry; when it returns a
    function, that function runs once no request has come for IDLE_SECONDS.
    """
    buffered = b""
    while True:
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)
        task = when_idle() if when_idle is not None else None
        if task is not None:
            import select

            if not select.select([fd], [], [], IDLE_SECONDS)[0]:
                task()
                continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buffered += chunk


# How long the warm parent's request stream must be quiet before it forks the next child.
IDLE_SECONDS = 0.01


def load_sdk(channel):
    started = time.perf_counter()
    try:
        sdk = Sdk()
        # The CLI has these loaded before it scans; so do we.
        import runpod_flash.cli.commands.build  # noqa: F401
    except Exception as e:
        channel.send({
            "t": "fatal", "kind": "sdk-missing",
            "message": "%s: %s" % (type(e).__name__, e),
            "python": sys.version.split()[0], "executable": sys.executable,
        })
        REAL_EXIT(3)
    channel.send({
        "t": "hello",
        "protocol": PROTOCOL_VERSION,
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "flashVersion": sdk.version,
        "defaultPythonVersion": sdk.default_python_version,
        "supportedPythonVersions": sdk.supported_python_versions,
        "sdkImportMs": round((time.perf_counter() - started) * 1000, 3),
        "canFork": hasattr(os, "fork"),
    })
    return sdk


def run_session(sdk, channel, request, follow_ups, modules_before=None):
    """One scan, then what the driver asks of that same interpreter state."""
    scanner = Scanner(sdk, channel, request)
    if SOURCE_CACHE:
        install_code_cache()
    scanner.memory_limit_mb = limit_memory(request.get("memoryLimitMB"))
    scanner.install_hooks(request.get("tracebackFile"))
    scanner.run(int(request.get("startIndex", 0)))
    if modules_before is not None:
        channel.send({"t": "imports-seen", "modules": third_party_imports(modules_before)})
    channel.send({"t": "done"})
    for follow_up in follow_ups:
        if follow_up.get("t") == "deployConfig":
            run_deploy_config(channel, scanner.root, follow_up)
            channel.send({"t": "done"})
        else:
            break


def third_party_imports(before):
    """Installed modules a scan imported, in import order: worth preloading.

    Submodules too: a package the parent already has may load more of itself on first
    use (runpod_flash does when the first Endpoint is made), and every save would pay
    for that again in a fresh child. Only what lives in the interpreter's installation
    (site-packages, the standard library): the project's own code, wherever it is
    imported from (a src layout on PYTHONPATH, an editable install), must be imported
    afresh by every scan, never kept in the parent.
    """
    site_dirs, prefixes = installed_roots()
    project = as_prefix(os.getcwd())  # the project folder (a .venv may live inside it)
    names = []
    for name, module in list(sys.modules.items()):
        if name in before:
            continue
        filename = getattr(module, "__file__", None)
        if not isinstance(filename, str):
            continue
        real = os.path.normcase(os.path.realpath(filename))
        if not (real.startswith(site_dirs) or (real.startswith(prefixes) and not real.startswith(project))):
            continue
        names.append(name)
        if len(names) >= 5000:
            break
    return names


def installed_roots():
    """(site-packages folders, installation prefixes), each a tuple for str.startswith."""
    import site

    site_dirs = set()
    try:
        site_dirs.update(site.getsitepackages())
        site_dirs.add(site.getusersitepackages())
    except Exception:  # a stripped-down site module
        pass
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    return tuple(as_prefix(d) for d in site_dirs if d), tuple(as_prefix(p) for p in prefixes if p)


def as_prefix(path):
    return os.path.normcase(os.path.realpath(path)).rstrip(os.sep) + os.sep


def serve(channel, requests, init, idle_task):
    """Warm mode: import the SDK once, fork a fresh child for every scan.

    The child gets its own process group (so the driver can kill it and all it
    started) and its own pipe for its requests; the parent never runs project code,
    only preloads third-party packages the driver names and parses files. The next
    child is forked ahead of time, while the parent is idle, and waits for its scan:
    a save then does not wait for fork().
    """
    os.chdir(init.get("cwd") or init["root"])
    sdk = load_sdk(channel)
    current = {"pid": None, "pipe": None}
    # "stale": forked before the parent last changed (index, preload). Still correct
    # (a child checks the parsed files byte for byte and imports what is missing), only
    # slower; it is replaced at the next quiet moment, and used if a scan comes first.
    spare = {"pid": None, "pipe": None, "stale": False, "failed": False}

    def kill_group(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass  # nothing left in it

    def wait_child(pid):
        # Kill what the child left running in its process group (a server started at
        # import). Before reaping it where we can: the group id cannot be reused then.
        waited = hasattr(os, "waitid")
        if waited:
            try:
                os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
                kill_group(pid)
            except OSError:
                waited = False
        _, status = os.waitpid(pid, 0)
        if not waited:
            kill_group(pid)
        if current["pid"] == pid:
            current["pid"] = None
        channel.send({
            "t": "child-exit", "pid": pid,
            "code": os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8,
        })

    def fork_child():
        """A child that waits on its own pipe for a scan request, then runs it."""
        # Move everything into the permanent generation: the child's collector
        # then never touches (and so never copies) the parent's pages.
        gc.freeze()
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            raise
        if pid == 0:
            try:
                for fd in (write_end, current["pipe"], spare["pipe"]):
                    if fd is not None:
                        os.close(fd)  # another child's pipe must not stay open here
                os.setpgid(0, 0)
                tag_descendants()
                gc.disable()  # a scan is short; collecting would only copy pages
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                channel.lock = threading.Lock()
                name_process("flash-ls-spare")
                child_requests = read_requests(read_end)
                request = next(child_requests, None)
                if request is not None and request.get("t") == "scan":
                    name_process("flash-ls-scan")
                    before = set(sys.modules) if request.get("reportImports") else None
                    channel.send({"t": "forked", "pid": os.getpid()})
                    run_session(sdk, channel, request, child_requests, before)
            except BaseException:  # noqa: B036 - a bug of ours: say so, and fail
                traceback.print_exc()
                REAL_EXIT(70)
            finally:
                REAL_EXIT(0)
        os.close(read_end)
        return pid, write_end

    def fork_spare():
        drop_spare()
        try:
            spare["pid"], spare["pipe"] = fork_child()
            spare["stale"] = False
        except OSError:
            # Out of processes, memory or descriptors: fork when a scan asks, and say why then.
            spare["failed"] = True

    # The next child is forked once no child is at work and the driver has been quiet
    # for a moment: not while a scan's last steps (and the driver's work on its
    # results) need the CPU, nor while a follow-up request must be passed on promptly.
    idle_task[0] = lambda: fork_spare if (spare["pid"] is None or spare["stale"]) and current["pipe"] is None and not spare["failed"] else None

    def drop_spare():
        """The spare was forked from an older state of this process: let it go."""
        if spare["pid"] is None:
            return
        os.close(spare["pipe"])
        # It has run no project code: kill it rather than wait for it to read end of
        # file, which never comes while something the parent preloaded forked a helper
        # that holds the pipe.
        try:
            os.kill(spare["pid"], signal.SIGKILL)
            os.waitpid(spare["pid"], 0)
        except OSError:
            pass
        spare.update(pid=None, pipe=None, stale=False)

    for request in requests:
        kind = request.get("t")
        spare["failed"] = False  # a request: worth trying again when quiet
        if kind == "scan":
            if spare["pid"] is not None:
                pid, pipe = spare["pid"], spare["pipe"]
                spare.update(pid=None, pipe=None, stale=False)
            else:
                pid, pipe = fork_child()
            if current["pipe"] is not None:
                os.close(current["pipe"])
            current.update(pid=pid, pipe=pipe)
            threading.Thread(target=wait_child, args=(pid,), daemon=True).start()
            try:
                os.write(pipe, (json.dumps(request) + "\n").encode("utf-8"))
            except OSError:
                pass  # it died before its scan: wait_child reports the exit
            continue
        if kind == "index":
            started = time.perf_counter()
            parsed = index_files(request.get("paths", []), bool(request.get("complete", True)))
            spare["stale"] = True
            channel.send({"t": "indexed", "files": len(SOURCE_CACHE), "parsed": parsed,
                          "ms": round((time.perf_counter() - started) * 1000, 3)})
        elif kind == "preload":
            loaded, failed = preload(request.get("modules", []), float(request.get("timeout", 30)))
            spare["stale"] = True
            channel.send({"t": "preloaded", "loaded": loaded, "failed": failed})
        elif kind == "exit":
            break
        elif current["pipe"] is not None:
            # A follow-up for the running child (deployConfig, end).
            try:
                os.write(current["pipe"], (json.dumps(request) + "\n").encode("utf-8"))
                if kind == "end":
                    os.close(current["pipe"])
                    current["pipe"] = None
            except OSError:
                pass
    drop_spare()
    REAL_EXIT(0)


def preload(names, timeout):
    """Import third-party packages into the warm parent; give up on one that hangs."""
    loaded, failed = [], []
    for name in names:
        if name in sys.modules:
            continue
        errors = []

        def load():
            try:
                importlib.import_module(name)
            except BaseException as e:  # noqa: B036 - a package may even sys.exit()
                errors.append("%s: %s" % (type(e).__name__, e))

        thread = threading.Thread(target=load, daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            failed.append({"module": name, "error": "timed out"})
            break  # it may hold the import lock: stop preloading
        if errors:
            failed.append({"module": name, "error": errors[0]})
        else:
            loaded.append(name)
    return loaded, failed


def main():
    results_fd = take_private_stdout()
    if os.environ.pop("FLASH_LS_ARENA_LIMIT", None):
        # Read by glibc when this process started; not for what user code starts.
        os.environ.pop("MALLOC_ARENA_MAX", None)
    channel = Channel(results_fd)
    requests_fd = os.dup(0)
    # User code must never read our request stream: input() sees end of file.
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    sys.dont_write_bytecode = True
    # Like the `flash` console script: the first sys.path entry is the
    # interpreter's bin folder, never this probe's folder.
    sys.path[0] = os.path.dirname(sys.executable)
    idle_task = [None]  # serve() sets what to do while the driver is quiet
    requests = read_requests(requests_fd, lambda: idle_task[0]() if idle_task[0] else None)
    request = next(requests, None)
    if request is None:
        REAL_EXIT(0)
    if request.get("t") == "serve":
        serve(channel, requests, request, idle_task)
    os.chdir(request.get("cwd") or request["root"])
    sdk = load_sdk(channel)
    run_session(sdk, channel, request, requests)
    # Threads stuck in user code must not keep the process alive.
    REAL_EXIT(0)


if __name__ == "__main__":
    main()
