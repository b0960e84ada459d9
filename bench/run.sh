#!/usr/bin/env bash
# Runs one benchmark and prints its figures (not a test: nothing here passes or fails on speed).
#   bench/run.sh catalog-browsing
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=deploy/local/prepare.sh
source "${repo}/deploy/local/prepare.sh"
cd "${repo}"
dotnet build Certometer.slnx --configuration Release --nologo --verbosity quiet -consoleLoggerParameters:ErrorsOnly
exec dotnet bench/Certometer.Bench/bin/Release/net10.0/Certometer.Bench.dll "$@"
