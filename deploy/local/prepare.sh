#!/usr/bin/env bash
# Makes this machine ready to run the stack and the tests; source it (the README's commands do) so the
# settings it exports reach the AppHost and the tests. Idempotent and quiet when there is nothing to do.
#
# - finds a Docker engine, or as root on Debian installs docker.io and starts it;
# - exports DOCKER_API_VERSION when the client is newer than the engine (Debian's engine 20.10 speaks 1.41);
# - exports what Testcontainers needs here (loopback host, no reaper image to pull);
# - chooses official images when they can be had, else builds stand-ins from Debian packages, and exports
#   Infrastructure__Images (Official | LocalStandIns) for the AppHost and the tests.

_certometer_prepare() {
    local here
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

    _say() { echo "prepare: $*" >&2; }

    # apt and its hooks are chatty on stderr even with -qq; keep it in a log and show it only on failure.
    _apt_install() {
        if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
                && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/var/log/certometer-apt.log 2>&1; then
            tail -n 20 /var/log/certometer-apt.log >&2
            _say "apt-get could not install $*"
            return 1
        fi
    }

    if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
        # A client newer than the engine refuses to talk until told the engine's API version; find it first.
        local api
        api="$(docker version 2>&1 | sed -n 's/.*Maximum supported API version is \([0-9.]*\).*/\1/p' | head -n1 || true)"
        if [[ -n "${api}" ]]; then
            export DOCKER_API_VERSION="${api}"
        fi
    fi

    if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
        if ! command -v dockerd >/dev/null 2>&1; then
            if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
                _say "no Docker engine is reachable and this is not root on Debian, so it cannot be installed here."
                _say "start a Docker engine (or Podman with its Docker socket) and run this again."
                return 1
            fi
            _say "installing Docker engine (docker.io) and mmdebstrap from Debian (log: /var/log/certometer-apt.log)..."
            _apt_install docker.io mmdebstrap || return 1
        fi
        if [[ "$(id -u)" != 0 ]]; then
            _say "dockerd is installed but not running, and starting it needs root."
            return 1
        fi
        _say "starting dockerd (log: /var/log/certometer-dockerd.log)..."
        # Published ports by kernel NAT rather than one docker-proxy process per port: that user-space relay copied
        # every query and message between the services and their containers, an eighth of the machine's CPU in a
        # burst of erasures (bench/erasure-fanout.md).
        (setsid nohup dockerd --userland-proxy=false >/var/log/certometer-dockerd.log 2>&1 </dev/null &)
        local waited=0
        until docker info >/dev/null 2>&1; do
            if (( waited >= 60 )); then
                _say "dockerd did not answer within 60 s; see /var/log/certometer-dockerd.log"
                return 1
            fi
            sleep 1
            waited=$((waited + 1))
            if [[ -z "${DOCKER_API_VERSION:-}" ]]; then
                api="$(docker version 2>&1 | sed -n 's/.*Maximum supported API version is \([0-9.]*\).*/\1/p' | head -n1 || true)"
                [[ -n "${api}" ]] && export DOCKER_API_VERSION="${api}"
            fi
        done
    fi

    # The docker CLI negotiates the API version by itself; Testcontainers' client does not, and an engine older
    # than it (Debian's 20.10) refuses it. Pin it to what the engine speaks.
    if [[ -z "${DOCKER_API_VERSION:-}" ]]; then
        DOCKER_API_VERSION="$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || true)"
        export DOCKER_API_VERSION
    fi

    export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}"
    # The reaper (Ryuk) is an image to pull; tests dispose their containers themselves.
    export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
    export Infrastructure__PostgresImage="${Infrastructure__PostgresImage:-certometer/postgres:15}"
    export Infrastructure__RabbitMqImage="${Infrastructure__RabbitMqImage:-certometer/rabbitmq:3.10-management}"

    if [[ -z "${Infrastructure__Images:-}" ]]; then
        if docker image inspect postgres:17.6 rabbitmq:4.1-management >/dev/null 2>&1 \
            || timeout 10 docker search --limit 1 postgres >/dev/null 2>&1; then
            export Infrastructure__Images=Official
        else
            export Infrastructure__Images=LocalStandIns
        fi
    fi

    if [[ "${Infrastructure__Images}" == "LocalStandIns" ]]; then
        if ! command -v mmdebstrap >/dev/null 2>&1; then
            if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
                _apt_install mmdebstrap || return 1
            else
                _say "building the stand-in images needs mmdebstrap (Debian package), and it is not installed."
                return 1
            fi
        fi
        "${here}/build-images.sh" || { _say "building the stand-in images failed"; return 1; }
    fi

    # The repository's .NET tools: dotnet-ef, and smtp4dev (the AppHost's local mail server and web inbox).
    (cd "${here}/../.." && dotnet tool restore >/dev/null) || { _say "dotnet tool restore failed"; return 1; }
}

if [[ "${BASH_SOURCE[0]}" == "${0}" ]]; then
    set -euo pipefail
    _certometer_prepare
    echo "Ready: images=${Infrastructure__Images}, DOCKER_API_VERSION=${DOCKER_API_VERSION:-default}"
else
    _certometer_prepare || return 1
fi
