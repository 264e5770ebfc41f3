"""The HTTP API under /api (`booking.api.install.install_api`), served beside the pages by `booking.app`."""
