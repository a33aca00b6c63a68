#!/bin/sh
# xvfb-wrapper.sh COMMAND [ARGS...]
#
# Copyright 2026 The Balise Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a GTK test on the current display, or under a private Xvfb when there
# is none (CI, ssh, `meson test` from a terminal without X).
if [ -n "${DISPLAY:-}" ]; then
  exec "$@"
fi

if ! command -v xvfb-run >/dev/null 2>&1; then
  echo "xvfb-wrapper.sh: no DISPLAY and no xvfb-run (apt-get install xvfb xauth)" >&2
  exit 77
fi

exec xvfb-run -a -s "-screen 0 1920x1200x24 -nolisten tcp" "$@"
