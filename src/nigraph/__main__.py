"""``python -m nigraph``: the ``nigraph`` command, for when the script is not on the PATH."""

from nigraph.cli import main

main()
