#!/usr/bin/env bash
# Deletes the local stack's data: the PostgreSQL and RabbitMQ named volumes, and any container still using them.
# Stop the stack first; the next start begins with empty databases and an empty broker.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=deploy/local/prepare.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/prepare.sh"

# The audit chain's checkpoints belong to the database being wiped: kept, they would make the new chain look cut short.
checkpoints="${root}/services/Certometer.PrivacyRights/audit-checkpoints"
if [[ -d "${checkpoints}" ]]; then
    rm -rf "${checkpoints}"
    echo "Removed ${checkpoints}"
fi

volumes="$(docker volume ls --quiet --filter name='^certometer-' || true)"
if [[ -z "${volumes}" ]]; then
    echo "Nothing to wipe: no certometer-* volumes."
    exit 0
fi

for volume in ${volumes}; do
    containers="$(docker ps --all --quiet --filter volume="${volume}")"
    if [[ -n "${containers}" ]]; then
        # shellcheck disable=SC2086 # one id per word
        docker rm --force ${containers} >/dev/null
    fi
    docker volume rm "${volume}" >/dev/null
    echo "Removed volume ${volume}"
done
