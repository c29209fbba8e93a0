"""``govreports``: one command, one small module per subcommand (``govreports/commands/<name>.py``).

A subcommand module has ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Its module level imports only the standard library; what it runs is imported inside ``run``, so
``govreports --help`` is quick and ``govreports parse`` loads no Scrapy.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from govreports import __version__

#: Subcommand names, in the order ``--help`` lists them; each is ``govreports.commands.<name>``.
COMMANDS = ("crawl", "parse", "demo", "discover", "worker", "reparse", "export", "coverage")


def command_module(name: str):
    return importlib.import_module(f"govreports.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govreports",
        description="Harvest and parse Chinese government information-disclosure annual reports.",
    )
    parser.add_argument("--version", action="version", version=f"govreports {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        sub.add_parser(name, help=command_module(name).HELP, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv or argv[0] not in COMMANDS:
        parser.parse_args(argv)  # --help, --version, or a usage error (exit 2)
        return 2
    name, rest = argv[0], argv[1:]
    module = command_module(name)
    sub = argparse.ArgumentParser(prog=f"govreports {name}", description=module.HELP)
    module.add_arguments(sub)
    args = sub.parse_args(rest)
    return int(module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
