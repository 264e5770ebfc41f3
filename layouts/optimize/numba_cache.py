"""Where numba keeps the compiled kernels: a folder in the user's cache, not ``__pycache__`` beside the source.

numba's on-disk cache (``cache=True``) writes beside the source by default, which an installed package may not be
allowed to do; then every new process would compile the kernels again (tens of seconds). Unless the user has set
NUMBA_CACHE_DIR, the kernels go to ``<user cache>/floorwise/numba`` (platformdirs: ``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows). numba reads NUMBA_CACHE_DIR
when it is imported and each kernel picks its cache folder when it is defined, so this runs before both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

CACHE_ENV = "NUMBA_CACHE_DIR"


def default_cache_folder() -> Path:
    """The folder for the compiled kernels when the user has not chosen one."""
    return platformdirs.user_cache_path("floorwise", appauthor=False) / "numba"


def use_cache_folder() -> str:
    """Point numba's cache at the user's cache folder (unless NUMBA_CACHE_DIR is set); return the folder used.

    Set in the environment, so that worker processes started later inherit it; and in numba's configuration too,
    in case numba was imported before this ran (it reads the environment only at import and when it changes).
    """
    folder = os.environ.get(CACHE_ENV) or str(default_cache_folder())
    os.environ[CACHE_ENV] = folder
    config = sys.modules.get("numba.core.config")
    if config is not None and not getattr(config, "CACHE_DIR", ""):
        config.CACHE_DIR = folder  # type: ignore[attr-defined]
    return folder
