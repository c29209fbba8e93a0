"""One module per ``govreports`` subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args)``."""
