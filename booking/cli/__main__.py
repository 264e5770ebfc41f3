"""``python -m booking.cli`` runs the `floorwise` command line."""

from booking.cli import main

main()
