"""Shape merged subgraph data into the client's response, without per-field resolvers.

Subgraph results are merged keyed by the client's response keys, but they may hold fields the
client did not ask for (keys, ``@requires`` inputs) and they lack GraphQL's completion rules.
``OperationShaper`` applies the client's operation to the merged data in one walk: it keeps
exactly the requested response keys in query order, resolves fragments on abstract types by
``__typename``, applies ``@skip``/``@include``, fills ``__typename``, checks enum values and
propagates nulls (a null in a non-null position nulls the nearest nullable parent and adds an
error).

Field collection (the expensive part) is done once per operation and ``@skip``/``@include``
variable combination and cached, so the hot path is a tight loop over dicts.

See https://spec.graphql.org/October2021/#sec-Value-Completion and
https://spec.graphql.org/October2021/#sec-Handling-Field-Errors
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    is_abstract_type,
    is_leaf_type,
)

from gateway.errors import ErrorCode
from gateway.execution.introspection import INTROSPECTION_FIELDS
from gateway.types import JSONObject

__all__ = ["OperationShaper", "ShapedResult", "condition_variables"]

_LEAF: Final = 0
_ENUM: Final = 1
_LIST: Final = 2
_COMPOSITE: Final = 3
_TYPENAME: Final = 4
_PASSTHROUGH: Final = 5


class _Invalid:
    """Marks a position that must become null because a non-null value below it is null."""

    __slots__ = ()


_INVALID: Final = _Invalid()

# A response path as a linked list ``(parent, key)``; materialized only when an error needs it.
_Path = tuple[Any, str | int] | None


class _Type:
    """A compiled output type: kind, nullability, and what is below it."""

    __slots__ = ("coordinate", "enum_name", "enum_values", "item", "kind", "non_null", "selection")

    def __init__(self, kind: int, non_null: bool, coordinate: str) -> None:
        self.kind = kind
        self.non_null = non_null
        self.coordinate = coordinate
        self.item: _Type | None = None
        self.selection: _SelectionPlan | None = None
        self.enum_values: frozenset[str] = frozenset()
        self.enum_name = ""


_Field = tuple[str, int, "_Type | None"]
"""``(response key, kind, compiled type)``; a plain tuple so the hot loop can unpack it."""


_SHAPING_CODE: Final = ErrorCode.DOWNSTREAM_SERVICE_ERROR.name
"""The code of a shaping error: a subgraph's data broke the schema (a null where none may be, an
unknown enum value or type) without an error of its own to say why."""


class _Context:
    """Collects shaping errors; knows which positions a subgraph error already explains.

    A null explained by a subgraph error gets no second error: the error is at that position,
    below it (a non-null field failed and the subgraph propagated the null up), or above it (a
    fetch for the whole object failed). Spec: an error already in the list "must not be further
    affected" by the null it causes.
    """

    __slots__ = ("covered", "error_paths", "errors")

    def __init__(self, upstream_errors: Sequence[JSONObject]) -> None:
        self.errors: list[JSONObject] = []
        self.error_paths = {
            tuple(err["path"]) for err in upstream_errors if isinstance(err.get("path"), list)
        }
        self.covered = {path[:end] for path in self.error_paths for end in range(len(path) + 1)}

    def add(self, message: str, path: _Path, key: str | int) -> None:
        full = tuple(_materialize(path, key))
        if full in self.covered or any(full[:end] in self.error_paths for end in range(len(full))):
            return
        self.error_paths.add(full)
        self.covered.add(full)
        self.errors.append({"message": message, "path": list(full), "extensions": {"code": _SHAPING_CODE}})


def _materialize(path: _Path, key: str | int) -> list[str | int]:
    out: list[str | int] = [key]
    while path is not None:
        path, part = path
        out.append(part)
    out.reverse()
    return out


class _SelectionPlan:
    """The merged selection sets of one field, compiled lazily per runtime object type."""

    __slots__ = ("_by_type", "_compiler", "name", "parent", "selection_sets", "static")

    def __init__(self, compiler: _Compiler, parent: Any, selection_sets: list[SelectionSetNode]) -> None:
        self._compiler = compiler
        self.parent = parent
        self.name: str = parent.name
        self.selection_sets = selection_sets
        self._by_type: dict[str, tuple[_Field, ...] | None] = {}
        # An object type's fields do not depend on the value: compile them now (the recursion
        # is bounded by the operation's depth). Abstract types compile per ``__typename``.
        self.static: tuple[_Field, ...] | None = (
            compiler.compile_fields(self, parent.name) if isinstance(parent, GraphQLObjectType) else None
        )

    def fields_for(self, typename: str) -> tuple[_Field, ...] | None:
        """The fields to output for an object of ``typename`` (``None``: not a possible type)."""
        try:
            return self._by_type[typename]
        except KeyError:
            fields = self._compiler.compile_fields(self, typename)
            self._by_type[typename] = fields
            return fields


class _Compiler:
    """Field collection (spec CollectFields) for one operation and one @skip/@include combination."""

    __slots__ = ("conditions", "fragments", "root_is_query", "schema")

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        conditions: Mapping[str, bool],
        root_is_query: bool,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.conditions = conditions
        self.root_is_query = root_is_query

    def compile_fields(self, plan: _SelectionPlan, typename: str) -> tuple[_Field, ...] | None:
        runtime = self.schema.get_type(typename)
        parent = plan.parent
        # An object known only by its interface (``@interfaceObject`` subgraphs answer the
        # interface's name, and no subgraph may know a concrete type) is shaped with the
        # interface-level fields: they are all that can be shaped.
        own_interface = isinstance(runtime, GraphQLInterfaceType) and runtime is parent
        if not own_interface and (
            not isinstance(runtime, GraphQLObjectType)
            or (
                parent is not runtime
                and not (is_abstract_type(parent) and self.schema.is_sub_type(parent, runtime))
            )
        ):
            return None
        assert isinstance(runtime, GraphQLObjectType | GraphQLInterfaceType)
        grouped: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in plan.selection_sets:
            self._collect(runtime, selection_set, grouped, visited)
        is_root = plan.parent is self.schema.query_type and self.root_is_query
        return tuple(self._compile_field(runtime, key, nodes, is_root) for key, nodes in grouped.items())

    def _compile_field(
        self,
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        key: str,
        nodes: list[FieldNode],
        is_root: bool,
    ) -> _Field:
        name = nodes[0].name.value
        if name == "__typename":
            return (key, _TYPENAME, None)
        if is_root and name in INTROSPECTION_FIELDS:
            return (key, _PASSTHROUGH, None)
        definition = runtime.fields.get(name)
        if definition is None:  # unreachable after validation; keep whatever the data holds
            return (key, _PASSTHROUGH, None)
        sets = [node.selection_set for node in nodes if node.selection_set is not None]
        type_ = self._compile_type(definition.type, f"{runtime.name}.{name}", sets)
        return (key, type_.kind, type_)

    def _compile_type(
        self, gql_type: GraphQLOutputType, coordinate: str, sets: list[SelectionSetNode]
    ) -> _Type:
        non_null = isinstance(gql_type, GraphQLNonNull)
        inner: Any = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        if isinstance(inner, GraphQLList):
            out = _Type(_LIST, non_null, coordinate)
            out.item = self._compile_type(inner.of_type, coordinate, sets)
            return out
        if isinstance(inner, GraphQLEnumType):
            out = _Type(_ENUM, non_null, coordinate)
            out.enum_values = frozenset(inner.values)
            out.enum_name = inner.name
            return out
        if is_leaf_type(inner):
            return _Type(_LEAF, non_null, coordinate)
        out = _Type(_COMPOSITE, non_null, coordinate)
        out.selection = _SelectionPlan(self, inner, sets)
        return out

    def _collect(
        self,
        runtime: GraphQLObjectType | GraphQLInterfaceType,
        selection_set: SelectionSetNode,
        grouped: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, runtime):
                    self._collect(runtime, selection.selection_set, grouped, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in visited or fragment is None:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition.name.value, runtime):
                    self._collect(runtime, fragment.selection_set, grouped, visited)

    def _applies(self, condition: str, runtime: GraphQLObjectType | GraphQLInterfaceType) -> bool:
        if condition == runtime.name:
            return True
        if isinstance(runtime, GraphQLInterfaceType):
            return False  # only the interface's own fragments apply to an object of unknown type
        condition_type = self.schema.get_type(condition)
        return is_abstract_type(condition_type) and self.schema.is_sub_type(condition_type, runtime)

    def _included(self, selection: Any) -> bool:
        for directive in selection.directives or ():
            name = directive.name.value
            if name not in ("skip", "include"):
                continue
            value = _condition_value(directive, self.conditions)
            if (name == "skip" and value) or (name == "include" and not value):
                return False
        return True


def _condition_value(directive: Any, conditions: Mapping[str, bool]) -> bool:
    for argument in directive.arguments or ():
        if argument.name.value == "if":
            node = argument.value
            if isinstance(node, BooleanValueNode):
                return bool(node.value)
            if isinstance(node, VariableNode):
                return conditions.get(node.name.value, False)
    return False


def condition_variables(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[str, ...]:
    """Names of the variables used as ``if:`` of ``@skip``/``@include``, in a stable order."""
    names: set[str] = set()

    def visit(selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            for directive in selection.directives or ():
                if directive.name.value in ("skip", "include"):
                    for argument in directive.arguments or ():
                        if isinstance(argument.value, VariableNode):
                            names.add(argument.value.name.value)
            if isinstance(selection, FieldNode | InlineFragmentNode):
                visit(selection.selection_set)

    visit(operation.selection_set)
    for fragment in fragments.values():
        visit(fragment.selection_set)
    return tuple(sorted(names))


class ShapedResult:
    """The client's ``data`` (``None`` when a root non-null field failed) and shaping errors."""

    __slots__ = ("data", "errors")

    def __init__(self, data: JSONObject | None, errors: list[JSONObject]) -> None:
        self.data = data
        self.errors = errors


class OperationShaper:
    """Shapes merged data for one operation of one document against the API schema.

    Build it once per (document, operation) and reuse it: compiled selection plans are cached
    per combination of ``@skip``/``@include`` variable values.

    Args:
        schema: The API schema.
        operation: The client's operation.
        fragments: The document's fragment definitions by name.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._fragments = dict(fragments)
        self._variables = condition_variables(operation, self._fragments)
        root = schema.get_root_type(operation.operation)
        if root is None:
            raise ValueError(f"The schema has no root type for {operation.operation.value!r} operations.")
        self._root: GraphQLObjectType = root
        self._plans: dict[tuple[bool, ...], tuple[_SelectionPlan, _FastShaper]] = {}

    def _root_plan(self, variables: Mapping[str, Any]) -> tuple[_SelectionPlan, _FastShaper]:
        values = tuple(bool(variables.get(name)) for name in self._variables)
        compiled = self._plans.get(values)
        if compiled is None:
            compiler = _Compiler(
                self._schema,
                self._fragments,
                dict(zip(self._variables, values, strict=True)),
                self._operation.operation is OperationType.QUERY,
            )
            plan = _SelectionPlan(compiler, self._root, [self._operation.selection_set])
            compiled = (plan, _generate_fast_shaper(self._schema, plan))
            self._plans[values] = compiled
        return compiled

    def shape(
        self,
        data: JSONObject | None,
        variables: Mapping[str, Any],
        upstream_errors: Sequence[JSONObject] = (),
        *,
        fast_path: bool = True,
    ) -> ShapedResult:
        """Apply the operation to ``data``.

        Args:
            data: The merged subgraph data (not modified).
            variables: The coerced variables (for ``@skip``/``@include``).
            upstream_errors: Errors already reported at some paths; no duplicate null errors there.
            fast_path: Try the generated code first (tests turn it off to compare both paths).

        Returns:
            The shaped data and the errors shaping added (non-null violations, bad enum values).
        """
        plan, fast = self._root_plan(variables)
        if fast_path:
            try:
                return ShapedResult(fast(data or {}), [])
            except _FAST_PATH_EXITS:
                pass  # something needs an error or null propagation: take the careful path
        context = _Context(upstream_errors)
        assert plan.static is not None
        shaped = _complete_fields(data or {}, plan.static, self._root.name, None, context)
        return ShapedResult(None if shaped is _INVALID else shaped, context.errors)


def _complete_object(value: Any, plan: _SelectionPlan, path: _Path, key: str | int, context: _Context) -> Any:
    if type(value) is not dict:
        context.add(f"Expected an object for '{plan.name}', got {type(value).__name__}.", path, key)
        return _INVALID
    fields = plan.static
    if fields is not None:
        return _complete_fields(value, fields, plan.name, (path, key), context)
    typename = value.get("__typename")
    if typename is None and isinstance(plan.parent, GraphQLInterfaceType):
        typename = plan.name  # no concrete type known anywhere: shape the interface's own fields
    if isinstance(typename, str):
        fields = plan.fields_for(typename)
    if fields is None:
        context.add(
            f"Could not determine the runtime type of an object of abstract type '{plan.name}'"
            f" (got __typename {typename!r}).",
            path,
            key,
        )
        return _INVALID
    return _complete_fields(value, fields, str(typename), (path, key), context)


def _complete_fields(
    value: JSONObject, fields: tuple[_Field, ...], typename: str, path: _Path, context: _Context
) -> Any:
    out: JSONObject = {}
    get = value.get
    for key, kind, type_ in fields:
        item = get(key)
        if kind == _LEAF:
            if item is not None:
                out[key] = item
                continue
        elif kind == _TYPENAME:
            out[key] = typename
            continue
        elif kind == _PASSTHROUGH or (kind == _ENUM and item in type_.enum_values):  # type: ignore[union-attr]
            out[key] = item
            continue
        completed = _complete(item, type_, path, key, context)  # type: ignore[arg-type]
        if completed is _INVALID:
            return _INVALID
        out[key] = completed
    return out


def _complete(value: Any, type_: _Type, path: _Path, key: str | int, context: _Context) -> Any:
    """Complete ``value`` at ``path``+``key``; ``_INVALID`` means "null the parent"."""
    if value is None:
        if type_.non_null:
            context.add(f"Cannot return null for non-nullable field {type_.coordinate}.", path, key)
            return _INVALID
        return None
    kind = type_.kind
    if kind == _LEAF:
        return value
    if kind == _ENUM:
        if value in type_.enum_values:
            return value
        context.add(f"Enum '{type_.enum_name}' cannot represent value: {value!r}.", path, key)
        return _INVALID if type_.non_null else None
    if kind == _LIST:
        if type(value) is not list:
            context.add(
                f"Expected a list for field {type_.coordinate}, got {type(value).__name__}.", path, key
            )
            return _INVALID if type_.non_null else None
        completed = _complete_list(value, type_.item, (path, key), context)  # type: ignore[arg-type]
        if completed is _INVALID:
            return _INVALID if type_.non_null else None
        return completed
    completed = _complete_object(value, type_.selection, path, key, context)  # type: ignore[arg-type]
    if completed is _INVALID:
        return _INVALID if type_.non_null else None
    return completed


def _complete_list(value: list[Any], item_type: _Type, list_path: _Path, context: _Context) -> Any:
    kind = item_type.kind
    if kind == _LEAF and None not in value:
        return value  # shared, never mutated: shaping only builds new containers
    out: list[Any] = []
    append = out.append
    if kind == _COMPOSITE:
        selection: _SelectionPlan = item_type.selection  # type: ignore[assignment]
        static = selection.static
        for index, item in enumerate(value):
            if item is None:
                completed = _complete(None, item_type, list_path, index, context)
            elif static is not None and type(item) is dict:
                completed = _complete_fields(item, static, selection.name, (list_path, index), context)
            else:
                completed = _complete_object(item, selection, list_path, index, context)
            if completed is _INVALID:
                if item_type.non_null:
                    return _INVALID
                completed = None
            append(completed)
        return out
    for index, item in enumerate(value):
        completed = _complete(item, item_type, list_path, index, context)
        if completed is _INVALID:
            return _INVALID
        append(completed)
    return out


# --- Fast path: one generated Python function per selection set ----------------------------
#
# The interpreter above handles every case (errors, null propagation) but pays for its
# generality on every field. Well-formed data — the common case — needs none of that, so each
# operation also gets straight-line code: one function per (selection set, object type) that
# builds the output dict as a literal. The generated code only *checks*; the moment a value
# needs an error (a null in a non-null position, a bad enum, an unknown ``__typename``, a
# wrong shape), it raises and ``shape`` reruns the interpreter, so both paths agree by design.

_FastShaper = Callable[[JSONObject], JSONObject]


class _Bail(Exception):
    """Raised by generated code when the data needs the careful path."""


_FAST_PATH_EXITS = (_Bail, KeyError, TypeError, AttributeError)


class _CodeGenerator:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.lines: list[str] = []
        self.namespace: dict[str, Any] = {"_B": _Bail}
        self.objects: dict[tuple[int, str], str] = {}
        self.counter = 0

    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"_{prefix}{self.counter}"

    def _const(self, value: Any) -> str:
        name = self._name("c")
        self.namespace[name] = value
        return name

    def composite(self, plan: _SelectionPlan) -> str:
        """A function ``(value) -> dict`` for a composite position (raises on non-dicts)."""
        if plan.static is not None:
            return self.object(plan, plan.name, plan.static)
        table: dict[str, str] = {}
        for possible in self.schema.get_possible_types(plan.parent):
            fields = plan.fields_for(possible.name)
            if fields is not None:
                table[possible.name] = self.object(plan, possible.name, fields)
        lookup = "v['__typename']"
        if isinstance(plan.parent, GraphQLInterfaceType):
            own = plan.fields_for(plan.name)
            if own is not None:
                table[plan.name] = self.object(plan, plan.name, own)
                lookup = f"v.get('__typename') or {plan.name!r}"
        name = self._name("a")
        entries = ", ".join(f"{type_name!r}: {fn}" for type_name, fn in table.items())
        self.lines += [
            f"_T{name} = {{{entries}}}",
            f"def {name}(v):",
            "    if v.__class__ is not dict: raise _B",
            f"    return _T{name}[{lookup}](v)",
        ]
        return name

    def object(self, plan: _SelectionPlan, typename: str, fields: tuple[_Field, ...]) -> str:
        key = (id(plan), typename)
        existing = self.objects.get(key)
        if existing is not None:
            return existing
        name = self._name("o")
        self.objects[key] = name
        body: list[str] = ["    if v.__class__ is not dict: raise _B", "    g = v.get"]
        items: list[str] = []
        for index, (response_key, kind, type_) in enumerate(fields):
            key_literal = repr(response_key)
            if kind == _TYPENAME:
                items.append(f"{key_literal}: {typename!r}")
            elif kind == _PASSTHROUGH or (kind == _LEAF and type_ is not None and not type_.non_null):
                items.append(f"{key_literal}: g({key_literal})")
            else:
                assert type_ is not None
                var = f"x{index}"
                body.append(f"    {var} = g({key_literal})")
                items.append(f"{key_literal}: {self.value(var, type_, body)}")
        body.append("    return {" + ", ".join(items) + "}")
        self.lines += [f"def {name}(v):", *body]
        return name

    def value(self, var: str, type_: _Type, body: list[str]) -> str:
        """An expression completing ``var``; may append checks to ``body``."""
        kind = type_.kind
        if kind == _LEAF:
            body.append(f"    if {var} is None: raise _B")
            return var
        if kind == _ENUM:
            allowed = self._const(type_.enum_values)
            check = f"{var} not in {allowed}"
            body.append(
                f"    if {check}: raise _B"
                if type_.non_null
                else f"    if {var} is not None and {check}: raise _B"
            )
            return var
        function = self.list(type_) if kind == _LIST else self.composite(type_.selection)  # type: ignore[arg-type]
        return f"{function}({var})" if type_.non_null else f"None if {var} is None else {function}({var})"

    def list(self, type_: _Type) -> str:
        """A function ``(value) -> list`` for a list position (raises on non-lists)."""
        item: _Type = type_.item  # type: ignore[assignment]
        name = self._name("l")
        body = ["    if v.__class__ is not list: raise _B"]
        if item.kind == _LEAF:
            if item.non_null:
                body.append("    if None in v: raise _B")
            body.append("    return v")
        elif item.kind == _ENUM:
            allowed = item.enum_values if item.non_null else item.enum_values | {None}
            body += [f"    if not {self._const(allowed)}.issuperset(v): raise _B", "    return v"]
        else:
            function = self.list(item) if item.kind == _LIST else self.composite(item.selection)  # type: ignore[arg-type]
            if item.non_null:
                body.append(f"    return [{function}(i) for i in v]")
            else:
                body.append(f"    return [None if i is None else {function}(i) for i in v]")
        self.lines += [f"def {name}(v):", *body]
        return name


def _generate_fast_shaper(schema: GraphQLSchema, root: _SelectionPlan) -> _FastShaper:
    generator = _CodeGenerator(schema)
    entry = generator.composite(root)
    source = "\n".join(generator.lines)
    exec(compile(source, f"<shaper {root.name}>", "exec"), generator.namespace)
    function: _FastShaper = generator.namespace[entry]
    return function
