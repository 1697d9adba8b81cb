"""A static scan of the source tree (ast, not regular expressions): no eval, exec, pickle
or marshal; no unsafe_allow_html; no HTML or component that is not a fixed string; SQL
only in the data layer, its text provably built from fixed strings (source_rules.py says
how), so user values reach SQL only as bound parameters."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.security.source_rules import Taint, sql_sinks, unsafe_sql

APP_FILES = sorted([ROOT / "app.py", *(ROOT / "dashboard").glob("*.py"), *(ROOT / "pages").glob("*.py")])
ALL_FILES = sorted([*APP_FILES, *(ROOT / "etl").glob("*.py"), *(ROOT / "scripts").glob("*.py")])
DATA_LAYER = {ROOT / "dashboard" / "queries.py", ROOT / "dashboard" / "db.py"}

BANNED_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
BANNED_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "pickletools"}
# pandas.eval / DataFrame.eval / DataFrame.query evaluate expressions; pickles run code.
BANNED_METHODS = {"eval", "read_pickle", "to_pickle", "load_pickle"}
BANNED_IN_APP = {"subprocess", "pty", "ctypes"}


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def banned_uses(tree: ast.Module, app: bool) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                root = name.split(".")[0]
                if root in BANNED_MODULES or (app and root in BANNED_IN_APP):
                    found.append(f"line {node.lineno}: import {name}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
                found.append(f"line {node.lineno}: {func.id}()")
            elif isinstance(func, ast.Attribute) and func.attr in BANNED_METHODS:
                found.append(f"line {node.lineno}: .{func.attr}()")
            elif isinstance(func, ast.Attribute) and func.attr in ("system", "popen", "execv", "execve", "spawnv") \
                    and isinstance(func.value, ast.Name) and func.value.id == "os":
                found.append(f"line {node.lineno}: os.{func.attr}()")
            elif isinstance(func, ast.Attribute) and func.attr == "load" and isinstance(func.value, ast.Name) \
                    and func.value.id == "yaml":
                found.append(f"line {node.lineno}: yaml.load()")
            caches = isinstance(func, ast.Attribute) and func.attr in ("cache_data", "cache_resource", "cache")
            for keyword in node.keywords if caches else ():
                if keyword.arg == "persist" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value in (None, False)):
                    found.append(f"line {node.lineno}: cache persisted to disk (pickled)")
    return found


def html_problems(tree: ast.Module) -> list[str]:
    """unsafe_allow_html anywhere; components (arbitrary HTML/JS); st.html of anything but a
    fixed string."""
    taint = Taint(tree)
    owners = {}
    for name, fn in taint.functions.items():
        for node in ast.walk(fn):
            owners.setdefault(id(node), name)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "unsafe_allow_html":
            if not (isinstance(node.value, ast.Constant) and node.value.value is False):
                found.append(f"line {node.value.lineno}: unsafe_allow_html")
        elif isinstance(node, ast.Attribute) and node.attr == "components":
            found.append(f"line {node.lineno}: streamlit components")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if any("components" in name for name in names):
                found.append(f"line {node.lineno}: streamlit components")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html":
            scope = taint.scopes.get(owners.get(id(node), ""), taint.module)
            if not node.args or not taint.expr(node.args[0], scope):
                found.append(f"line {node.lineno}: html() of a value that is not fixed text")
    return found


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_no_eval_exec_pickle_or_marshal(path):
    assert banned_uses(_tree(path), app=path in APP_FILES) == []


@pytest.mark.parametrize("path", APP_FILES, ids=_rel)
def test_no_html_from_values(path):
    assert html_problems(_tree(path)) == []


def test_sql_text_is_built_only_from_fixed_strings():
    queries = (ROOT / "dashboard" / "queries.py").read_text(encoding="utf-8")
    assert unsafe_sql(queries) == []
    # db.query runs the text its callers (checked above) pass; everything else is fixed.
    assert unsafe_sql((ROOT / "dashboard" / "db.py").read_text(encoding="utf-8"), passthrough={("query", "sql")}) == []
    assert len(list(sql_sinks(ast.parse(queries)))) >= 10  # the scan saw the queries


@pytest.mark.parametrize("path", sorted(set(APP_FILES) - DATA_LAYER), ids=_rel)
def test_sql_runs_only_in_the_data_layer(path):
    tree = _tree(path)
    assert [f"line {call.lineno}" for _, call, _ in sql_sinks(tree)] == []
    imports = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    imports += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert "duckdb" not in imports
    from_db = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
               and node.module.endswith("db") for alias in node.names]
    assert "query" not in from_db and "open_connection" not in from_db


# --- the rules catch what they are for --------------------------------------------------

UNSAFE_SQL = {
    "enumerate over a parameter": '''
def ordered(ref, columns):
    keys = ", ".join(f"{column} AS k{n}" for n, column in enumerate(columns))
    return query(ref, f"SELECT {keys} FROM o")
''',
    "zip with a parameter": '''
def ordered(ref, columns):
    keys = ", ".join(f"{column} {way}" for column, way in zip(columns, ("ASC", "DESC")))
    return query(ref, f"SELECT * FROM o ORDER BY {keys}")
''',
    "f-string of a parameter": '''
def observations(ref, filters):
    return query(ref, f"SELECT * FROM o WHERE id = '{filters.institutions[0]}'")
''',
    "format": '''
def by_name(ref, name):
    return query(ref, "SELECT * FROM i WHERE name = '{}'".format(name))
''',
    "percent": '''
def by_name(ref, name):
    return query(ref, "SELECT * FROM i WHERE name = '%s'" % name)
''',
    "concatenated table": '''
def rows(ref, table):
    sql = "SELECT * FROM " + table
    return query(ref, sql)
''',
    "private helper fed a user value": '''
def _clause(value="x"):
    return f"a = '{value}'"

def rows(ref, filters):
    return query(ref, "SELECT * FROM t WHERE " + _clause(filters.types[0]))
''',
    "helper called with a user value by one caller": '''
def _where(column):
    return f"{column} = ?"

def a(ref):
    return query(ref, "SELECT * FROM t WHERE " + _where("x"), [1])

def b(ref, column):
    return query(ref, "SELECT * FROM t WHERE " + _where(column), [1])
''',
    "list appended with a user value": '''
def rows(ref, filters):
    clauses = ["TRUE"]
    clauses.append(f"name = '{filters.name}'")
    return query(ref, f"SELECT * FROM t WHERE {' AND '.join(clauses)}")
''',
    "unpacked from an unknown call": '''
def rows(ref, filters):
    where, params = build(filters)
    return query(ref, f"SELECT * FROM t WHERE {where}", params)
''',
    "cursor with an attribute": '''
def run(con, request):
    con.execute(request.sql)
''',
    "module name reassigned as global": '''
TABLE = "t"

def set_table(name):
    global TABLE
    TABLE = name

def rows(ref):
    return query(ref, f"SELECT * FROM {TABLE}")
''',
    "helper passed around": '''
def _clause(value="x"):
    return f"a = '{value}'"

def rows(ref, filters):
    pick = _clause
    return query(ref, "SELECT * FROM t WHERE " + _clause())
''',
}

SAFE_SQL = {
    "enumerate and zip over fixed keys": '''
SORTS = {"value": ["o.value"], "period": ["o.period"]}
def ordered(ref, sort, descending):
    keys = SORTS[sort]
    ways = ["DESC" if descending else "ASC"] * len(keys)
    picked = ", ".join(f"{expr} AS k{n}" for n, expr in enumerate(keys))
    order = ", ".join(f"{expr} {way}" for expr, way in zip(keys, ways))
    return query(ref, f"SELECT {picked} FROM o ORDER BY {order}")
''',
    "constant": 'def a(ref):\n    return query(ref, "SELECT 1")\n',
    "bound parameter": 'def a(ref, x):\n    return query(ref, "SELECT * FROM t WHERE id = ?", [x])\n',
    "fixed fragments chosen by a flag": '''
ORDER = "ORDER BY a"

def _clause(filters, alias="i"):
    clauses, params = [], []
    if filters.types:
        clauses.append(f"list_contains(?, {alias}.type)")
        params.append(list(filters.types))
    return " AND ".join(clauses) or "TRUE", params

def rows(ref, filters):
    where, params = _clause(filters)
    other, more = _clause(filters, "o")
    kind = "TRUE" if filters.kinds else "FALSE"
    return query(ref, f"SELECT * FROM t i WHERE {where} AND {other} AND {kind} {ORDER}", params + more)
''',
    "table picked from a fixed mapping": '''
KEYS = {"a": ("x",), "b": ("y", "z")}
SELECTS = {table: f"SELECT {', '.join(columns)} FROM {table}" for table, columns in KEYS.items()}

def rows(ref, table):
    return query(ref, SELECTS[table])
''',
}


@pytest.mark.parametrize("name", UNSAFE_SQL)
def test_the_sql_rule_refuses(name):
    assert unsafe_sql(UNSAFE_SQL[name]) != []


@pytest.mark.parametrize("name", SAFE_SQL)
def test_the_sql_rule_accepts(name):
    assert unsafe_sql(SAFE_SQL[name]) == []


@pytest.mark.parametrize("snippet", [
    "eval(text)", "exec(code)", "import pickle", "from marshal import loads", "frame.eval('a + b')",
    "pd.read_pickle(path)", "import subprocess", "os.system(cmd)", "yaml.load(text)",
    "st.cache_data(persist='disk')(f)",
])
def test_the_ban_rule_refuses(snippet):
    assert banned_uses(ast.parse(snippet), app=True) != []


@pytest.mark.parametrize("snippet", [
    "st.markdown(name, unsafe_allow_html=True)", "st.write(x, unsafe_allow_html=flag)",
    "st.components.v1.html(x)", "import streamlit.components.v1 as components",
    "def page(name):\n    st.html(f'<b>{name}</b>')",
])
def test_the_html_rule_refuses(snippet):
    assert html_problems(ast.parse(snippet)) != []


def test_the_html_rule_accepts_fixed_css():
    assert html_problems(ast.parse('CSS = "<style>p {}</style>"\n\ndef page():\n    st.html(CSS)\n')) == []
