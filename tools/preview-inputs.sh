#!/usr/bin/env bash
# Run before each preview rebuild: when analysis/, data/ or the configuration
# changed, clear the execution cache and the saved doctrees (tools/common.sh),
# so that the chapters re-execute and the preview never shows stale numbers.
set -euo pipefail
. "$(dirname "$0")/common.sh"
clear_if_inputs_changed
