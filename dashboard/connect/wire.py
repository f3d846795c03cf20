"""The wire format's names, which stop at the service layer: the API names a field by its
path in the contract's camelCase (`authSchemeConfigs[0].clientId`), everything above the
service layer by the models' Python names (`auth_scheme_configs[0].client_id`)."""

import re
from collections.abc import Iterator
from functools import cache

from .models import ApiModel

_NAME = re.compile(r"[A-Za-z_]\w*")


def _models(base: type[ApiModel] = ApiModel) -> Iterator[type[ApiModel]]:
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


@cache
def python_names() -> dict[str, str]:
    """Every contract field name that differs from its Python name (`baseUrl`,
    `documentationURL`, `in`), mapped to that name, from the aliases of all the models."""
    names: dict[str, str] = {}
    for model in _models():
        for name, info in model.model_fields.items():
            if info.alias and info.alias != name:
                names.setdefault(info.alias, name)
    return names


def python_path(api_path: str) -> str:
    """An API field path in Python names: `authSchemeConfigs[0].in` ->
    `auth_scheme_configs[0].in_`. Names no model has (`responses`, a tag key) stay as sent."""
    names = python_names()
    return _NAME.sub(lambda match: names.get(match[0], match[0]), api_path)
