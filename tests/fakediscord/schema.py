"""Request bodies checked against Discord's own OpenAPI description (``openapi/``).

A local server accepts whatever the bot sends; real Discord answers a malformed body with HTTP 400 and
the user sees nothing. :class:`RequestSchemas` finds the route template of a request
(``/channels/123/messages`` -> ``/channels/{channel_id}/messages``) and validates its JSON body (for a
multipart request, the ``payload_json`` part) against that operation's request schema with
``jsonschema`` (Draft 2020-12), its ``#/components/schemas/...`` references resolved by a
``referencing`` registry. Embed and field lengths, component shapes, flags, ``allowed_mentions`` and
command definitions are all in the description.

One leniency: discord.py serialises some snowflakes as integers (``message_reference.message_id``),
which Discord accepts; the description types them as strings, so a snowflake may also be a
non-negative integer here.
"""

from __future__ import annotations

import copy
import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).with_name("openapi") / "discord-openapi.json.gz"
SPEC_URI = "urn:discord-openapi"
_METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Violation:
    """One request body Discord would refuse, and why."""

    method: str
    path: str
    template: str
    message: str
    where: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.template}): {self.message} at {self.where or 'the body'}"


class RequestSchemas:
    """Every route of the description with a JSON request body, ready to validate."""

    def __init__(self, spec: dict[str, Any]) -> None:
        spec = copy.deepcopy(spec)
        schemas = spec["components"]["schemas"]
        snowflake = schemas["SnowflakeType"]
        schemas["SnowflakeType"] = {"anyOf": [snowflake, {"type": "integer", "minimum": 0}]}
        self._routes: list[tuple[str, re.Pattern[str], str, Draft202012Validator]] = []
        validators: list[tuple[str, str, str]] = []
        for template, operations in spec["paths"].items():
            for method in _METHODS:
                body = (operations.get(method) or {}).get("requestBody") or {}
                content = body.get("content") or {}
                schema = (content.get("application/json") or {}).get("schema")
                if schema is None:
                    continue
                key = f"__request_{len(validators)}"
                schemas[key] = schema
                validators.append((method.upper(), template, key))
        registry: Registry = Registry().with_resource(
            SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
        )
        for method, template, key in validators:
            validator = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#/components/schemas/{key}"}, registry=registry
            )
            # literal segments first: /messages/@original is not /messages/{message_id}
            pattern = re.compile(
                "".join(
                    "[^/]+" if re.fullmatch(r"\{[^}]+\}", part) else re.escape(part)
                    for part in re.split(r"(\{[^}]+\})", template)
                )
            )
            self._routes.append((method, pattern, template, validator))
        self._routes.sort(key=lambda r: r[2].count("{"))

    def template(self, method: str, path: str) -> tuple[str, Draft202012Validator] | None:
        """The route template (and its validator) a request matches, or None."""
        for route_method, pattern, template, validator in self._routes:
            if route_method == method and pattern.fullmatch(path):
                return template, validator
        return None

    def check(self, method: str, path: str, body: Any) -> Violation | None:
        """The most relevant reason Discord would refuse this body, or None when it is valid."""
        found = self.template(method.upper(), path)
        if found is None or body is None:
            return None
        template, validator = found
        error: ValidationError | None = best_match(validator.iter_errors(body))
        if error is None:
            return None
        where = ".".join(str(p) for p in error.absolute_path)
        return Violation(method.upper(), path, template, error.message[:500], where)


@functools.lru_cache(maxsize=1)
def request_schemas() -> RequestSchemas:
    """The description's request schemas, loaded once per process."""
    with gzip.open(SPEC_PATH, "rt", encoding="utf-8") as fh:
        return RequestSchemas(json.load(fh))
