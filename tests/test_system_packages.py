"""The list of Debian packages (system-packages.toml) is complete and true.

Every external program that the code, the tests, the benchmarks, the Makefile and
CI call is found here by reading them: subprocess calls and ``shutil.which`` in
Python (with ``bash -c`` scripts and ``shell=True`` commands read as shell), and
the commands of the shell scripts and Makefile recipes. Each must be listed under
the package that provides it, so that a new ``subprocess.run(["newtool", ...])``
fails here until its package is declared. Where a listed program exists in
``/usr/bin`` or ``/bin``, dpkg must agree on its package.
"""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT
from reportbuild import system

#: Programs of the Python environment (requirements.txt), not of the system.
PYTHON_ENV = {"python", "pip", "pytest", "jupyter-book", "pip-compile", "mutmut"}
#: Calls whose program is an expression the reader cannot resolve, and what it is.
EXPRESSIONS = {
    ("tests/test_hostile.py", "JB"): "the virtual environment's jupyter-book",
    ("bench/run.py", "cmd"): "the command it is given: a make target",
    ("bench/run.py", "PY"): "the virtual environment's Python",
    ("reportbuild/system.py", "p"): "a program of system-packages.toml itself",
}
#: Programs of the list that no file of the project calls, and what calls them.
INDIRECT = {"latexmk": "Sphinx's LaTeX build (jupyter-book --builder pdflatex)"}
#: Functions of the project's shell scripts that run their arguments as a command.
WRAPPER_FUNCTIONS = {"as_user", "in_root"}
SHELL_BUILTINS = set("""
. : [ [[ ]] ]] test true false echo printf cd exit return local export set shift read eval exec trap wait kill
command type unset if then else elif fi for in do done while until case esac function { } ! declare readonly let
break continue getopts umask ulimit source pwd
""".split())
#: Words after which the next word is the command that runs (``env``, ``xargs`` and the like skip their options).
#: Each wrapper's options that take a value, and how many arguments come before its command.
WRAPPERS = {"exec": (set(), 0), "time": (set(), 0), "nohup": (set(), 0), "command": (set(), 0),
            "sudo": ({"-u", "-g"}, 0), "env": ({"-u", "-C", "-S"}, 0), "xargs": ({"-I", "-n", "-P", "-d", "-L"}, 0),
            "runuser": ({"-u", "-g", "-G"}, 0), "chroot": ({"--userspec", "--groups"}, 1), "timeout": ({"-s", "-k"}, 1)}
COMMAND_STARTS = {";", "&&", "||", "|", "&", "(", "{", "then", "do", "else", "elif", "if", "while", "until", "!", "`"}
PROGRAM = re.compile(r"^(/[\w/.+-]*/)?[A-Za-z][\w.+-]*$")
SUBPROCESS = {"run", "Popen", "call", "check_call", "check_output"}

PYTHON_SOURCES = sorted(p for d in ("analysis", "reportbuild", "tests", "bench") for p in (PROJECT_ROOT / d).rglob("*.py")
                        if "__pycache__" not in p.parts)
SHELL_SOURCES = sorted([*(PROJECT_ROOT / "tools").glob("*.sh"), *(p for p in (PROJECT_ROOT / ".ci").iterdir() if p.is_file())])
FUNCTION = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*\(\)\s*\{", flags=re.M)


def shell_functions() -> set[str]:
    """The functions the project's shell scripts define (common.sh's are called from other scripts and tests)."""
    return {name for path in SHELL_SOURCES for name in FUNCTION.findall(path.read_text(encoding="utf-8"))}


# --- shell ---------------------------------------------------------------------------

def _without_comments_and_heredocs(script: str) -> str:
    """The script with comments and here-document bodies removed and unquoted newlines as ``;``."""
    lines, out, quote, heredoc = script.splitlines(), [], None, None
    for line in lines:
        if heredoc:
            if line.strip() == heredoc:
                heredoc = None
            continue
        marker = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line) if quote is None else None
        text, i = [], 0
        while i < len(line):
            c = line[i]
            if quote is None and c == "#" and (i == 0 or line[i - 1] in " \t;"):
                break
            if c == "\\" and quote != "'" and i + 1 < len(line):
                text.append(line[i:i + 2])
                i += 2
                continue
            if c in "'\"" and quote in (None, c):
                quote = None if quote else c
            text.append(c)
            i += 1
        joined = "".join(text)
        if joined.endswith("\\") and quote is None:
            out.append(joined[:-1] + " ")
            continue
        out.append(joined + ("\n" if quote else " ; "))
        if marker:
            heredoc = marker.group(1)
    return "".join(out)


def _substitutions(token: str) -> list[str]:
    """The commands inside ``$( ... )`` and backticks of a (quoted) word."""
    found, i = [], 0
    while (start := token.find("$(", i)) != -1:
        depth, j = 1, start + 2
        while j < len(token) and depth:
            depth += {"(": 1, ")": -1}.get(token[j], 0)
            j += 1
        found.append(token[start + 2:j - 1])
        i = j
    found += re.findall(r"`([^`]*)`", token)
    return found


def shell_programs(script: str, known_functions: set[str] | None = None) -> set[str]:
    """Every program a shell script runs (builtins, variables and the project's own scripts left out)."""
    lexer = shlex.shlex(_without_comments_and_heredocs(script), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:  # an unbalanced quote: read what can be read
        tokens = script.split()
    programs: set[str] = set()
    start, functions = True, set(FUNCTION.findall(script)) | (known_functions or set())
    wrapper, positional, takes_value = None, 0, False  # a wrapper's options and arguments before its command
    previous = None
    for token in tokens:
        for inner in _substitutions(token):
            programs |= shell_programs(inner, functions)
        if token in COMMAND_STARTS:
            start, wrapper, previous = True, None, token
            continue
        if token in ("<", ">", "<<", ">>") or (token == ")" and previous == "("):
            start, previous = False, token
            continue
        if wrapper is not None:
            options, positional_count = WRAPPERS[wrapper]
            if takes_value:
                takes_value = False
            elif token.startswith("-") or (wrapper == "env" and re.match(r"^\w+=", token)):
                takes_value = token in options
            elif positional < positional_count:
                positional += 1
            else:
                wrapper = None
                start = True
            if wrapper is not None:
                previous = token
                continue
        if start and token in functions:
            start = token in WRAPPER_FUNCTIONS  # as_user make ...: what follows is a command
            previous = token
            continue
        if start:
            if re.match(r"^\w+=", token):
                previous = token
                continue
            start = False
            if token in WRAPPERS:
                if token not in SHELL_BUILTINS:
                    programs.add(token)
                wrapper, positional, takes_value = token, 0, False
                if token == "command":  # command -v NAME looks NAME up: a program too
                    wrapper = None
                previous = token
                continue
            if not (token in SHELL_BUILTINS or token.startswith(("$", ".venv/", "tools/", ".ci/", "bench/", "./"))
                    or not PROGRAM.match(token)):
                programs.add(Path(token).name)
        elif previous == "command" and token == "-v":
            start = True
        previous = token
    return programs - functions


# --- Makefile ----------------------------------------------------------------------------

def makefile_programs(text: str) -> set[str]:
    """The programs of the Makefile's recipes and ``$(shell ...)`` calls, make variables resolved
    where they name a program (``PYTHON ?= python3.11``)."""
    variables = dict(re.findall(r"^(\w+)\s*[?:]?=\s*(\S+)\s*$", text, flags=re.M))
    text = re.sub(r"\\\n", " ", text)
    programs: set[str] = set()
    for body in re.findall(r"\$\(shell ([^)]*)\)", text):
        programs |= shell_programs(body)

    def resolve(match: re.Match) -> str:
        name = match.group(1)
        if name == "MAKE":
            return "make"
        value = variables.get(name, "")
        return value if PROGRAM.match(value) else "$" + name

    for line in text.splitlines():
        if line.startswith("\t"):
            recipe = re.sub(r"(?<!\$)\$\((\w+)\)", resolve, line.lstrip("\t").lstrip("@-+"))
            while re.search(r"(?<!\$)\$\([a-z]+ [^()]*\)", recipe):  # make's functions ($(if ...), $(filter ...))
                recipe = re.sub(r"(?<!\$)\$\([a-z]+ [^()]*\)", "$MAKE_FUNCTION", recipe)
            programs |= shell_programs(recipe.replace("$$", "$"))
    return programs


# --- Python -------------------------------------------------------------------------------

def _strings(node: ast.AST, module: ast.Module) -> list[str] | None:
    """The strings an expression stands for, where it can be read: a literal, a list of them, an
    f-string (its fields as ``$X``), or a name assigned one of these in the module."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if ast.unparse(node) == "sys.executable":
        return ["python"]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "$X" for v in node.values)]
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for element in node.elts:
            value = _strings(element.value if isinstance(element, ast.Starred) else element, module)
            if value is None:
                return None if not out else out + ["$X"]
            out += value
        return out
    if isinstance(node, ast.Name):
        for assign in ast.walk(module):
            if isinstance(assign, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets):
                found = _strings(assign.value, module)
                if found is not None:
                    return found
    return None


def python_calls(path: Path) -> list[tuple[str, list[str] | None, bool]]:
    """Each subprocess call and ``shutil.which`` of a file: (the expression of its program, the strings
    of its command where they can be read, whether the command is shell)."""
    module = ast.parse(path.read_text(encoding="utf-8"))
    calls = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        owner = getattr(function.value, "id", "") if isinstance(function, ast.Attribute) else ""
        if (owner == "subprocess" and name in SUBPROCESS) or (owner == "shutil" and name == "which"):
            shell = any(k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value for k in node.keywords)
            head = node.args[0].elts[0] if isinstance(node.args[0], (ast.List, ast.Tuple)) and node.args[0].elts else node.args[0]
            calls.append((ast.unparse(head), _strings(node.args[0], module), shell or owner == "shutil"))
    return calls


def python_programs(path: Path) -> tuple[set[str], list[str]]:
    """The programs a Python file runs or looks for, and the expressions it could not read."""
    relative = path.relative_to(PROJECT_ROOT).as_posix()
    programs, unread = set(), []
    for expression, strings, shell in python_calls(path):
        if strings is None or not strings or strings[0].startswith("$"):
            if (relative, expression) not in EXPRESSIONS:
                unread.append(f"{relative}: {expression}")
            continue
        first = strings[0]
        if shell and len(strings) == 1 and " " in first:
            programs |= shell_programs(first, shell_functions())
            continue
        if Path(first).name in ("bash", "sh") and len(strings) > 2 and strings[1] == "-c":
            programs |= shell_programs(strings[2], shell_functions())
        if PROGRAM.match(first) and not first.startswith(("tools/", ".venv/")):
            programs.add(Path(first).name)
    return programs, unread


# --- the checks ------------------------------------------------------------------------------

def every_program() -> dict[str, set[str]]:
    """Program -> the files that call it."""
    found: dict[str, set[str]] = {}

    def add(programs: set[str], where: Path) -> None:
        for program in programs:
            found.setdefault(program, set()).add(where.relative_to(PROJECT_ROOT).as_posix())

    for path in PYTHON_SOURCES:
        add(python_programs(path)[0], path)
    functions = shell_functions()
    for path in SHELL_SOURCES:
        text = path.read_text(encoding="utf-8")
        interpreter = re.match(r"#!\s*(?:/usr/bin/env\s+)?(\S+)", text)  # the shebang's program runs the script
        add(shell_programs(text, functions) | ({Path(interpreter.group(1)).name} if interpreter else set()), path)
    makefile = PROJECT_ROOT / "Makefile"
    text = makefile.read_text(encoding="utf-8")
    shell = re.search(r"^SHELL\s*:?=\s*(\S+)", text, flags=re.M)  # make runs every recipe with it
    add(makefile_programs(text) | ({Path(shell.group(1)).name} if shell else set()), makefile)
    return found


def test_every_program_called_has_its_package_in_the_list():
    listed = system.programs()
    unlisted = {program: sorted(files) for program, files in every_program().items()
                if program not in listed and program not in PYTHON_ENV}
    assert not unlisted, f"programs called but not in system-packages.toml (add each under its package): {unlisted}"


def test_every_call_is_read():
    unread = [line for path in PYTHON_SOURCES for line in python_programs(path)[1]]
    assert not unread, ("subprocess calls whose program this test cannot read; name the program literally, "
                        f"or add the expression to EXPRESSIONS with what it is: {unread}")


def test_every_expression_named_is_still_called():
    called = {(path.relative_to(PROJECT_ROOT).as_posix(), expression)
              for path in PYTHON_SOURCES for expression, strings, _ in python_calls(path)
              if strings is None or not strings or strings[0].startswith("$")}
    stale = sorted(set(EXPRESSIONS) - called)
    assert not stale, f"EXPRESSIONS names calls no file makes any more (remove them): {stale}"


def test_every_program_listed_is_called():
    called = every_program()
    unused = [f"{program} ({package})" for program, package in system.programs().items()
              if program not in called and program not in INDIRECT]
    assert not unused, f"system-packages.toml lists programs nothing calls: {unused}"


def _depends(packages: set[str]) -> dict[str, set[str]]:
    """The packages each package depends on directly (dpkg's record of them; one call for all)."""
    run = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Depends},${Pre-Depends}\n", *sorted(packages)],
                         capture_output=True, text=True)
    found: dict[str, set[str]] = {}
    for line in run.stdout.splitlines():
        package, _, depends = line.partition("\t")
        found[package] = {re.split(r"[\s:(]", alternative.strip())[0]
                          for alternative in re.split(r"[,|]", depends) if alternative.strip()}
    return found


def _owners(paths: list[str]) -> dict[str, str]:
    """What dpkg says of each path it knows ("package[, package]: path"), in one call; a path it
    does not know (a link made by update-alternatives, such as awk) is missing."""
    if not paths:
        return {}
    run = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True)
    found = {}
    for line in run.stdout.splitlines():
        owners, _, path = line.rpartition(": ")
        if owners and not owners.startswith("diversion by"):
            found[path.strip()] = owners
    return found


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian)")
def test_dpkg_agrees_on_each_programs_package():
    """Each program installed in the system's folders is the listed package's, or a package's it depends on
    (xelatex is texlive-binaries', which texlive-xetex brings). dpkg knows a program by one of its paths:
    /bin/bash, not /usr/bin/bash, on a merged /usr; a link made by update-alternatives (awk) by its target;
    a program it knows by none (installed by other means) is not checked."""
    folders = [Path(folder) for folder in ("/usr/bin", "/bin", "/usr/sbin", "/sbin")]
    candidates = {program: [str(p) for f in folders if (f / program).exists() for p in (f / program, (f / program).resolve())]
                  for program in system.programs()}
    owners = _owners(sorted({path for paths in candidates.values() for path in paths}))
    depends = _depends(set(system.programs().values()))
    wrong = []
    for program, paths in candidates.items():
        said = next((owners[path] for path in paths if path in owners), None)
        package = system.programs()[program]
        if said and not {o.split(":")[0].strip() for o in said.split(",")} & ({package} | depends.get(package, set())):
            wrong.append(f"{program}: listed under {package}, dpkg says {said}")
    assert not wrong, wrong


def test_the_readme_names_the_listed_packages():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for groups in (["base"], ["report", "test"]):
        assert system.apt_line(groups) in readme, f"README.md should carry: {system.apt_line(groups)}"


# --- the reader itself --------------------------------------------------------------------------

def test_the_reader_finds_a_new_program_in_python(tmp_path):
    path = tmp_path / "x.py"
    path.write_text('import subprocess\nTOOL = "frobnicate"\nsubprocess.run(["newtool", "-x"])\n'
                    'subprocess.run([TOOL])\nsubprocess.run("a && othertool 2>/dev/null | grep x", shell=True)\n'
                    'subprocess.run(["bash", "-c", f"cd {tmp}; thirdtool"])\n')
    programs = set()
    module = ast.parse(path.read_text())
    for _, strings, shell in python_calls(path):
        first = strings[0]
        programs |= shell_programs(first) if shell else shell_programs(strings[2]) if first == "bash" else {first}
    assert {"newtool", "frobnicate", "othertool", "grep", "thirdtool"} <= programs
    assert module


@pytest.mark.parametrize("script, expected", [
    ('x=$(git rev-parse HEAD); echo "$x"', {"git"}),
    ('if ! command -v xelatex >/dev/null; then apt-get install -y foo; fi', {"xelatex", "apt-get"}),
    ('find a -type f -print0 | sort -z | xargs -0 sha256sum | cut -d" " -f1', {"find", "sort", "xargs", "sha256sum", "cut"}),
    ('env -u A B=c "$bin/python" -m x && runuser -u u -- make test', {"env", "runuser", "make"}),
    ('echo "today $(date +%F)" # not a comment: ls', {"date"}),
    ('as_user() { "$@"; }\nquietly() { :; }\nas_user newtool --flag; quietly html x', {"newtool"}),
    ('cat <<EOF\nrm -rf / ; notacommand\nEOF\ntrue', {"cat"}),
])
def test_the_reader_finds_the_programs_of_a_shell_script(script, expected):
    assert shell_programs(script) == expected


def test_the_reader_resolves_make_variables():
    text = "PYTHON ?= python3.11\nx:\n\t@$(PYTHON) -m venv .venv && $(BIN)/python -c 1\n\t$(MAKE) y\nJ := $(shell nproc)\n"
    assert makefile_programs(text) == {"python3.11", "make", "nproc"}
