#!/usr/bin/env bash
# Runs every test in the solution against real PostgreSQL and RabbitMQ, after making the machine ready.
# Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~Outbox").
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# shellcheck source=deploy/local/prepare.sh
source "${repo}/deploy/local/prepare.sh"

cd "${repo}"
dotnet build Certometer.slnx --configuration Release --nologo --verbosity quiet
dotnet test Certometer.slnx --configuration Release --no-build --nologo \
  --logger "console;verbosity=normal" --results-directory "${repo}/artifacts/test-results" --logger trx "$@"
