"""Pretty-print a query plan as indented text (like Apollo's ``prettyFormatQueryPlan``).

Used by golden tests and the debug plan endpoint. Subgraph operations are re-parsed and
printed with graphql-core's printer; entity fetches show ``requires => selection``.
"""

from __future__ import annotations

from typing import assert_never

from graphql import FieldNode, OperationDefinitionNode, parse, print_ast

from gateway.planner.plan import (
    BatchFetchNode,
    ConditionNode,
    FetchNode,
    FetchRewrite,
    FlattenNode,
    KeyRenamer,
    ParallelNode,
    PlanNode,
    QueryPlan,
    RequiresField,
    RequiresSelection,
    SequenceNode,
)

__all__ = ["format_plan"]

_INDENT = "  "


def _indent(text: str, level: int) -> str:
    return "\n".join(_INDENT * level + line if line else line for line in text.splitlines())


def _requires(selections: tuple[RequiresSelection, ...]) -> str:
    lines = ["{"]
    for selection in selections:
        if isinstance(selection, RequiresField):
            head = f"{selection.alias}: {selection.name}" if selection.alias else selection.name
            if selection.selections:
                lines.append(_indent(f"{head} {_requires(selection.selections)}", 1))
            else:
                lines.append(_INDENT + head)
        else:
            lines.append(_indent(f"... on {selection.type_condition} {_requires(selection.selections)}", 1))
    lines.append("}")
    return "\n".join(lines)


def _operation(node: FetchNode) -> str:
    document = parse(node.operation, no_location=True)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    if node.requires is None:
        variables = ", ".join(print_ast(v) for v in operation.variable_definitions or ())
        head = f"{operation.operation.value}({variables}) " if variables else ""
        if operation.operation.value != "query" and not variables:
            head = f"{operation.operation.value} "
        return head + print_ast(operation.selection_set)
    entities = operation.selection_set.selections[0]
    assert isinstance(entities, FieldNode)
    assert entities.selection_set is not None
    return f"{_requires(node.requires)} =>\n{print_ast(entities.selection_set)}"


def _batch_operation(node: BatchFetchNode) -> str:
    document = parse(node.operation, no_location=True)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    selections = {
        s.alias.value: s
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and s.alias is not None
    }
    blocks = []
    for call in node.calls:
        entities = selections[call.alias]
        assert entities.selection_set is not None
        paths = "\n".join(f'"{".".join(path)}"' for path in call.paths)
        body = f"paths: [\n{_indent(paths, 1)}\n]\n{_requires(call.requires)} =>\n"
        body += print_ast(entities.selection_set)
        if call.input_rewrites:
            body += "\ninputRewrites: " + ", ".join(_rewrite(r) for r in call.input_rewrites)
        if call.output_rewrites:
            body += "\noutputRewrites: " + ", ".join(_rewrite(r) for r in call.output_rewrites)
        blocks.append(f"{call.alias} {{\n{_indent(body, 1)}\n}}")
    return "\n".join(blocks)


def _rewrite(rewrite: FetchRewrite) -> str:
    path = ".".join(rewrite.path)
    if isinstance(rewrite, KeyRenamer):
        return f"{path} -> {rewrite.rename_key_to}"
    return f"{path} = {rewrite.set_value!r}"


def _node(node: PlanNode) -> str:
    match node:
        case FetchNode():
            body = _operation(node)
            if node.input_rewrites:
                body += "\ninputRewrites: " + ", ".join(_rewrite(r) for r in node.input_rewrites)
            if node.output_rewrites:
                body += "\noutputRewrites: " + ", ".join(_rewrite(r) for r in node.output_rewrites)
            return f'Fetch(service: "{node.service_name}") {{\n{_indent(body, 1)}\n}}'
        case BatchFetchNode():
            return f'BatchFetch(service: "{node.service_name}") {{\n{_indent(_batch_operation(node), 1)}\n}}'
        case FlattenNode():
            path = ".".join(node.path)
            return f'Flatten(path: "{path}") {{\n{_indent(_node(node.node), 1)}\n}}'
        case SequenceNode():
            inner = ",\n".join(_node(n) for n in node.nodes)
            return f"Sequence {{\n{_indent(inner, 1)}\n}}"
        case ParallelNode():
            inner = ",\n".join(_node(n) for n in node.nodes)
            return f"Parallel {{\n{_indent(inner, 1)}\n}}"
        case ConditionNode():
            parts = []
            if node.if_clause is not None:
                parts.append(f"Include(if: ${node.condition}) {{\n{_indent(_node(node.if_clause), 1)}\n}}")
            if node.else_clause is not None:
                parts.append(f"Skip(if: ${node.condition}) {{\n{_indent(_node(node.else_clause), 1)}\n}}")
            return "\n".join(parts)
        case _:
            assert_never(node)


def format_plan(plan: QueryPlan) -> str:
    """Render a plan as indented text, one node per block."""
    if plan.node is None:
        return "QueryPlan {}"
    return f"QueryPlan {{\n{_indent(_node(plan.node), 1)}\n}}"
