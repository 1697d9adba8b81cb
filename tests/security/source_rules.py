"""AST rules for the source scan (tests/security/test_source_scan.py).

The SQL rule is a small taint check, conservative by construction: the SQL text of every
query must be *literal-derived*, i.e. built only from string literals, module constants
built from literals, and values picked out of such constants. Whatever the rule cannot
prove literal-derived (a public function's parameter, an attribute such as
filters.types, a call it does not know) counts as user input, so a query built from it
fails the scan even when it happens to be harmless. User values then have only one way
into a query: the bound parameters.

What counts as literal-derived:
- str/int/float/bool/None literals; f-strings, +, %, and/or, if-else, tuple/list/dict
  displays and comprehensions whose parts are literal-derived;
- X[anything] and iteration over X when X is literal-derived (an element of a fixed
  container is one of its fixed values, whatever picks it);
- str methods (join, replace, ...) on literal-derived receivers with literal-derived
  arguments; int() and len() of anything (digits cannot change a statement's shape);
- a name whose every binding (assignment, unpacking, loop target, append/extend) in its
  scope is literal-derived; module names that are never declared global;
- a parameter of a private function (leading underscore) when every call in the module
  passes a literal-derived argument (or leaves a literal default); a module function's
  result when all its return values are (per tuple element for unpacking).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

SAFE_METHODS = {
    "join", "replace", "format", "strip", "lstrip", "rstrip", "lower", "upper", "split",
    "items", "keys", "values", "removeprefix", "removesuffix",
}
SAFE_CONTAINERS = {"tuple", "list", "sorted", "set", "dict", "reversed", "str", "frozenset", "enumerate", "zip"}
ALWAYS_SAFE_CALLS = {"int", "len", "float", "bool"}  # their results cannot carry SQL
MUTATORS = {"append": "value", "add": "value", "insert": "last", "extend": "element", "update": "element"}


@dataclass
class Scope:
    node: ast.AST
    parent: "Scope | None"
    params: list[str] = field(default_factory=list)
    defaults: dict[str, ast.expr] = field(default_factory=dict)
    bindings: dict[str, list[tuple[str, ast.AST, int]]] = field(default_factory=dict)

    def bind(self, name: str, kind: str, node: ast.AST, index: int = 0) -> None:
        self.bindings.setdefault(name, []).append((kind, node, index))


def _own_nodes(root: ast.AST):
    """Nodes of root's body, not descending into nested functions or classes."""
    stack = list(ast.iter_child_nodes(root))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


class Taint:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.declared_global = {name for n in ast.walk(tree) if isinstance(n, ast.Global) for name in n.names}
        self.module = self._scope(tree, None)
        self.scopes = {name: self._scope(fn, self.module) for name, fn in self.functions.items()}
        self._busy: set = set()
        self._memo: dict = {}

    # --- scopes ---------------------------------------------------------------------

    def _scope(self, node: ast.AST, parent: Scope | None) -> Scope:
        scope = Scope(node, parent)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            positional = args.posonlyargs + args.args
            scope.params = [a.arg for a in positional + args.kwonlyargs]
            for arg, default in zip(positional[len(positional) - len(args.defaults):], args.defaults):
                scope.defaults[arg.arg] = default
            for arg, default in zip(args.kwonlyargs, args.kw_defaults):
                if default is not None:
                    scope.defaults[arg.arg] = default
            for extra in (args.vararg, args.kwarg):
                if extra:
                    scope.bind(extra.arg, "untrusted", node)
        for n in _own_nodes(node):
            if isinstance(n, ast.Assign):
                for target in n.targets:
                    self._bind_target(scope, target, "value", n.value)
            elif isinstance(n, (ast.AnnAssign, ast.AugAssign)) and n.value is not None:
                self._bind_target(scope, n.target, "value", n.value)
            elif isinstance(n, ast.NamedExpr):
                self._bind_target(scope, n.target, "value", n.value)
            elif isinstance(n, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._bind_target(scope, n.target, "element", n.iter)
            elif isinstance(n, (ast.With, ast.AsyncWith)):
                for item in n.items:
                    if item.optional_vars is not None:
                        self._bind_target(scope, item.optional_vars, "untrusted", item.context_expr)
            elif isinstance(n, (ast.Import, ast.ImportFrom)):
                for alias in n.names:
                    scope.bind((alias.asname or alias.name).split(".")[0], "import", n)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if scope.node is not self.tree:
                    scope.bind(n.name, "untrusted", n)
            elif isinstance(n, ast.ExceptHandler) and n.name:
                scope.bind(n.name, "untrusted", n)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name):
                how = MUTATORS.get(n.func.attr)
                if how and n.args:
                    argument = n.args[-1] if how == "last" else n.args[0]
                    scope.bind(n.func.value.id, "element" if how == "element" else "value", argument)
        return scope

    def _bind_target(self, scope: Scope, target: ast.AST, kind: str, value: ast.AST, index: int | None = None) -> None:
        if isinstance(target, ast.Name):
            if index is None:
                scope.bind(target.id, kind, value)
            else:
                scope.bind(target.id, "item" if kind == "value" else kind, value, index)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for position, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(scope, element.value, "untrusted", value)
                elif kind == "value" and isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(target.elts):
                    self._bind_target(scope, element, "value", value.elts[position])
                else:
                    self._bind_target(scope, element, kind, value, position)
        # Attribute and subscript targets bind no name.

    # --- trust --------------------------------------------------------------------

    def _guard(self, key, compute) -> bool:
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return False  # a cycle proves nothing
        self._busy.add(key)
        try:
            result = compute()
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def name(self, name: str, scope: Scope) -> bool:
        if name in scope.params:
            return self._guard(("param", id(scope), name), lambda: self._param(scope, name))
        if name in scope.bindings:
            if scope.node is self.tree and name in self.declared_global:
                return False
            return self._guard(("name", id(scope), name), lambda: all(
                self._binding(kind, node, index, scope) for kind, node, index in scope.bindings[name]
            ))
        if scope.parent is not None:
            return self.name(name, scope.parent)
        return False

    def _binding(self, kind: str, node: ast.AST, index: int, scope: Scope) -> bool:
        if kind in ("untrusted", "import"):
            return False
        if kind == "item":
            call = node
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in self.functions:
                return self.returns(call.func.id, index) and self._call_safe_args(call, scope)
            return self.expr(node, scope)
        return self.expr(node, scope)  # value, or element of a trusted container

    def _call_safe_args(self, call: ast.Call, scope: Scope) -> bool:
        # The callee's own parameters are judged at its definition, from every call site.
        return True

    def _param(self, scope: Scope, name: str) -> bool:
        fn = scope.node
        if not fn.name.startswith("_"):
            return False  # a public function can be called with anything
        callers = self._call_sites(fn.name)
        if callers is None:
            return False
        position = scope.params.index(name)
        positional_count = len(fn.args.posonlyargs + fn.args.args)
        for call, caller_scope in callers:
            supplied = None
            if position < positional_count and position < len(call.args):
                supplied = call.args[position]
            for keyword in call.keywords:
                if keyword.arg == name:
                    supplied = keyword.value
                elif keyword.arg is None:
                    return False
            if any(isinstance(a, ast.Starred) for a in call.args):
                return False
            if supplied is None:
                default = scope.defaults.get(name)
                if default is None or not self.expr(default, self.module):
                    return False
            elif not self.expr(supplied, caller_scope):
                return False
        return True

    def _call_sites(self, fname: str):
        """(call, scope) for every use of module function fname; None if it is used any
        other way than being called (passed around, it could be called with anything)."""
        sites = []
        for scope in [self.module, *self.scopes.values()]:
            for node in _own_nodes(scope.node):
                if isinstance(node, ast.Name) and node.id == fname:
                    sites.append(node)
        calls = []
        for scope in [self.module, *self.scopes.values()]:
            for node in _own_nodes(scope.node):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == fname:
                    calls.append((node, scope))
        if len(calls) != len(sites):
            return None
        return calls

    def returns(self, fname: str, index: int | None = None) -> bool:
        def compute():
            scope = self.scopes[fname]
            values = [n.value for n in _own_nodes(scope.node) if isinstance(n, ast.Return)]
            if not values:
                return False
            for value in values:
                if value is None:
                    continue
                if index is not None and isinstance(value, ast.Tuple):
                    if index >= len(value.elts) or not self.expr(value.elts[index], scope):
                        return False
                elif not self.expr(value, scope):
                    return False
            return True
        return self._guard(("returns", fname, index), compute)

    def expr(self, node: ast.AST | None, scope: Scope) -> bool:
        if node is None:
            return True
        if isinstance(node, ast.Constant):
            return isinstance(node.value, (str, bytes, int, float, bool, type(None)))
        if isinstance(node, ast.JoinedStr):
            return all(self.expr(value, scope) for value in node.values)
        if isinstance(node, ast.FormattedValue):
            return self.expr(node.value, scope) and self.expr(node.format_spec, scope)
        if isinstance(node, ast.Name):
            return self.name(node.id, scope)
        if isinstance(node, ast.BinOp):
            return self.expr(node.left, scope) and self.expr(node.right, scope)
        if isinstance(node, ast.BoolOp):
            return all(self.expr(value, scope) for value in node.values)
        if isinstance(node, ast.IfExp):
            return self.expr(node.body, scope) and self.expr(node.orelse, scope)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return all(self.expr(e.value if isinstance(e, ast.Starred) else e, scope) for e in node.elts)
        if isinstance(node, ast.Dict):
            return all(self.expr(k, scope) for k in node.keys) and all(self.expr(v, scope) for v in node.values)
        if isinstance(node, ast.Subscript):
            return self.expr(node.value, scope)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return self.expr(node.elt, scope) and all(self.expr(g.iter, scope) for g in node.generators)
        if isinstance(node, ast.DictComp):
            return (self.expr(node.key, scope) and self.expr(node.value, scope)
                    and all(self.expr(g.iter, scope) for g in node.generators))
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        return False

    def _call(self, node: ast.Call, scope: Scope) -> bool:
        func = node.func
        arguments = [*node.args, *(k.value for k in node.keywords)]
        if isinstance(func, ast.Name) and func.id in ALWAYS_SAFE_CALLS and not self.name(func.id, scope):
            return True
        if isinstance(func, ast.Name) and func.id in SAFE_CONTAINERS and not self.name(func.id, scope):
            return all(self.expr(a.value if isinstance(a, ast.Starred) else a, scope) for a in arguments)
        if isinstance(func, ast.Attribute) and func.attr in SAFE_METHODS:
            return self.expr(func.value, scope) and all(self.expr(a, scope) for a in arguments)
        if isinstance(func, ast.Name) and func.id in self.functions:
            return self.returns(func.id)
        return False


# --- sinks ------------------------------------------------------------------------------

def sql_sinks(tree: ast.Module):
    """(function name, call, SQL argument) for every call that runs SQL: query(ref, sql, ...),
    db.query(ref, sql, ...), and x.execute / executemany / sql / query(sql, ...)."""
    functions = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    owner = {}
    for name, fn in functions.items():
        for node in ast.walk(fn):
            owner.setdefault(id(node), name)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, position = node.func, None
        if isinstance(func, ast.Name) and func.id == "query":
            position = 1
        elif isinstance(func, ast.Attribute) and func.attr == "query" and isinstance(func.value, ast.Name) and func.value.id == "db":
            position = 1
        elif isinstance(func, ast.Attribute) and func.attr in ("execute", "executemany", "sql", "query"):
            position = 0
        if position is None:
            continue
        argument = node.args[position] if len(node.args) > position else next(
            (k.value for k in node.keywords if k.arg in ("sql", "query")), None)
        yield owner.get(id(node), "<module>"), node, argument


def unsafe_sql(source: str, passthrough: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Lines whose SQL text is not provably literal-derived. passthrough: (function,
    parameter) pairs that are themselves the checked sink (db.query's sql)."""
    tree = ast.parse(source)
    taint = Taint(tree)
    problems = []
    for function, call, argument in sql_sinks(tree):
        if argument is None:
            problems.append(f"line {call.lineno}: SQL argument not found")
            continue
        if isinstance(argument, ast.Name) and (function, argument.id) in passthrough:
            continue
        scope = taint.scopes.get(function, taint.module)
        if not taint.expr(argument, scope):
            problems.append(f"line {call.lineno} in {function}(): SQL built from a value not provably fixed")
    return problems
