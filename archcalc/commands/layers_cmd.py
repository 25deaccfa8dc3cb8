"""archcalc layers: the supported Keras layer types."""

from __future__ import annotations

import click


@click.command()
def layers() -> None:
    """List the Keras layer types archcalc understands, by family."""
    from archcalc.layers import registry

    by_family: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    for name, cls in registry.REGISTRY.items():
        if name == cls.keras_name:
            by_family.setdefault(cls.family, []).append(name)
        else:
            aliases.setdefault(cls.keras_name, []).append(name)
    for family in sorted(by_family):
        click.echo(f"{family}:")
        for name in sorted(by_family[family]):
            extra = f"  (also {', '.join(sorted(aliases[name]))})" if name in aliases else ""
            click.echo(f"  {name}{extra}")
