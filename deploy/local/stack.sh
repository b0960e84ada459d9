#!/usr/bin/env bash
# Starts the whole stack: PostgreSQL, RabbitMQ, the six services and the Aspire dashboard (http://localhost:18888).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# shellcheck source=deploy/local/prepare.sh
source "${repo}/deploy/local/prepare.sh"

cd "${repo}"
exec dotnet run --project Certometer.AppHost --launch-profile http "$@"
