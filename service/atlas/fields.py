"""Reading one JSON object of the atlas format into typed values, naming the file and the
field of the first value that does not fit (the format's only parser; format.py and
sections.py use it)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

REQUIRED: Any = object()
"""The default of a field that must be present."""


class FormatError(Exception):
    """A manifest or asset file that does not hold what the atlas format says."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        super().__init__(f"{file}: {field}: {problem}")
        self.file, self.field, self.problem = file, field, problem


class Fields:
    """One JSON object at `where` in `file`; each getter checks a field's type."""

    def __init__(self, data: object, file: str, where: str) -> None:
        if not isinstance(data, Mapping):
            raise FormatError(file, where or "(top level)", f"expected an object, got {type(data).__name__}")
        self.data, self.file, self.where = data, file, where

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _value(self, key: str, default: Any) -> Any:
        if key in self.data:
            return self.data[key]
        if default is REQUIRED:
            raise FormatError(self.file, self._path(key), "missing")
        return default

    def fail(self, key: str, problem: str) -> FormatError:
        return FormatError(self.file, self._path(key), problem)

    def section(self, key: str) -> Fields:
        return Fields(self._value(key, REQUIRED), self.file, self._path(key))

    def sections(self, key: str, default: Any = REQUIRED) -> list[Fields]:
        """A list of objects (each named key[i]) or the values of an object (key.name)."""
        value = self._value(key, default)
        if isinstance(value, list):
            return [Fields(item, self.file, f"{self._path(key)}[{i}]") for i, item in enumerate(value)]
        if isinstance(value, Mapping):
            return [Fields(item, self.file, f"{self._path(key)}.{name}") for name, item in value.items()]
        raise self.fail(key, f"expected a list or an object, got {type(value).__name__}")

    def named(self, key: str) -> dict[str, Fields]:
        """The objects of an object, by name (key.name)."""
        return {name: Fields(item, self.file, f"{self._path(key)}.{name}")
                for name, item in self.section(key).data.items()}

    def int(self, key: str, default: Any = REQUIRED) -> int:
        value = self._value(key, default)
        if value is not default and (not isinstance(value, int) or isinstance(value, bool)):
            raise self.fail(key, f"expected an integer, got {value!r}")
        return value

    def number(self, key: str, default: Any = REQUIRED) -> float:
        value = self._value(key, default)
        if value is not default and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise self.fail(key, f"expected a number, got {value!r}")
        return value

    def bool(self, key: str, default: Any = REQUIRED) -> bool:
        value = self._value(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def str(self, key: str, default: Any = REQUIRED) -> str:
        value = self._value(key, default)
        if value is not default and not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {value!r}")
        return value

    def strings(self, key: str, default: Any = REQUIRED) -> tuple[str, ...]:
        value = self._value(key, default)
        if value is default and not isinstance(default, list):
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def ints(self, key: str, length: int | None = None, default: Any = REQUIRED) -> tuple[int, ...]:
        value = self._value(key, default)
        if value is default and default is not REQUIRED:
            return default
        if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value) \
                or (length is not None and len(value) != length):
            wanted = f"{length} integers" if length is not None else "integers"
            raise self.fail(key, f"expected a list of {wanted}, got {value!r}")
        return tuple(value)

    def table(self, key: str, default: Any = REQUIRED) -> Mapping[str, Any]:
        """An object kept as a read-only mapping of plain values (names by language, ...)."""
        value = self._value(key, default)
        if value is default and default is not REQUIRED:
            return MappingProxyType(dict(default)) if isinstance(default, dict) else default
        if not isinstance(value, Mapping):
            raise self.fail(key, f"expected an object, got {type(value).__name__}")
        return MappingProxyType(dict(value))
