"""The ``selfeval`` command: :mod:`selfeval.cli.main` and one module per subcommand."""
