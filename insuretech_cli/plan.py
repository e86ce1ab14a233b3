"""``insuretech plan``: show how the gateway would execute an operation."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from graphql import GraphQLError, parse, validate

__all__ = ["print_plan"]


def print_plan(query: Path, supergraph: Path, operation_name: str | None, *, as_json: bool) -> int:
    """Print the plan of the operation in ``query`` against ``supergraph``; 1 on invalid input."""
    from gateway.planner import QueryPlanner
    from gateway.planner.display import format_plan
    from gateway.supergraph import load_supergraph

    model = load_supergraph(supergraph.read_text(encoding="utf-8"))
    source = sys.stdin.read() if str(query) == "-" else query.read_text(encoding="utf-8")
    try:
        document = parse(source)
    except GraphQLError as exc:
        print(f"The operation does not parse: {exc.message}", file=sys.stderr)
        return 1
    errors = validate(model.api_schema, document)
    if errors:
        for error in errors:
            print(f"Invalid operation: {error.message}", file=sys.stderr)
        return 1
    plan = QueryPlanner(model).plan(document, operation_name)
    print(json.dumps(plan.to_json(), indent=2, ensure_ascii=False) if as_json else format_plan(plan))
    return 0
