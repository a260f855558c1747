"""Claims: the condition under which a sentence of the prose is true, checked against the numbers.

A chapter writes a sentence that holds only for some data ("nobody had started
a job by three months") and beside it the condition, in the registry's names
(``{claim}`n_employed_3m == 0```). :func:`check` evaluates the condition with
the registry's values and returns whether it holds and the values it read.

The condition is a small language, read without ``eval``: numbers, registry
keys, ``+ - * /``, comparisons (chained too: ``0 < x <= 1``), ``and``, ``or``,
``not`` and parentheses. Anything else is refused with a message saying what.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import dataclass
from typing import Any

_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


class ClaimError(ValueError):
    """A condition that cannot be read, or that names a number the registry does not have."""


@dataclass(frozen=True)
class Checked:
    condition: str
    holds: bool
    #: the value of every registry key the condition read, in the order it names them
    values: dict[str, Any]

    def values_text(self) -> str:
        return ", ".join(f"{key} = {value:g}" if isinstance(value, (int, float)) else f"{key} = {value}"
                         for key, value in self.values.items())


def check(condition: str, numbers: dict[str, Any]) -> Checked:
    """Whether ``condition`` holds for ``numbers`` (registry key -> value, or an object with ``.value``)."""
    try:
        tree = ast.parse(condition.strip(), mode="eval")
    except SyntaxError as error:
        raise ClaimError(f"cannot read the condition {condition!r}: {error.msg}") from None
    values: dict[str, Any] = {}

    def value(node: ast.AST) -> Any:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in numbers:
                raise ClaimError(f"the condition {condition!r} names {node.id!r}, which is not a number of the registry")
            found = getattr(numbers[node.id], "value", numbers[node.id])
            values[node.id] = found
            return found
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else not inner
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
            return _ARITHMETIC[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.BoolOp):
            results = [bool(value(v)) for v in node.values]  # every operand read, so every value is reported
            return all(results) if isinstance(node.op, ast.And) else any(results)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            left, ok = value(node.left), True
            for op, comparator in zip(node.ops, node.comparators):
                right = value(comparator)
                ok = ok and _COMPARE[type(op)](left, right)
                left = right
            return ok
        raise ClaimError(f"the condition {condition!r} uses {ast.unparse(node)!r}: only numbers, registry keys, "
                         "+ - * /, comparisons, and, or, not and parentheses")

    return Checked(condition.strip(), bool(value(tree.body)), values)
