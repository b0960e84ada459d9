#!/usr/bin/env bash
# Builds the stand-in PostgreSQL and RabbitMQ images from Debian packages, for machines that cannot pull
# official images. Rebuilds an image only when it is missing or its recipe (this script or its entrypoint)
# changed; --force rebuilds both.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
force="${1:-}"

: "${Infrastructure__PostgresImage:=certometer/postgres:15}"
: "${Infrastructure__RabbitMqImage:=certometer/rabbitmq:3.10-management}"

debian_mirror() {
    local uri
    uri="$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)"
    if [[ -z "${uri}" ]]; then
        uri="$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)"
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

recipe_hash() {
    cat "${BASH_SOURCE[0]}" "$1" | sha256sum | cut -c1-16
}

# build <image> <entrypoint> <packages> <docker import --change ...>
build() {
    local image="$1" entrypoint="$2" packages="$3"
    shift 3
    local hash current previous
    hash="$(recipe_hash "${entrypoint}")"
    current="$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "${image}" 2>/dev/null \
        | sed -n 's/^CERTOMETER_RECIPE=//p' || true)"
    if [[ "${current}" == "${hash}" && "${force}" != "--force" ]]; then
        return 0
    fi

    previous="$(docker image inspect --format '{{.Id}}' "${image}" 2>/dev/null || true)"
    echo "Building ${image} from Debian packages (${packages})..."
    local started=${SECONDS}
    mmdebstrap --quiet --variant=minbase --include="${packages}" \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook="upload ${entrypoint} /usr/local/bin/docker-entrypoint.sh" \
        --customize-hook='chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"' \
        --customize-hook='rm -rf "$1"/var/lib/postgresql/15/main "$1"/etc/postgresql/15/main "$1"/var/lib/apt/lists/*' \
        bookworm - "$(debian_mirror)" \
        | docker import --change "ENV CERTOMETER_RECIPE=${hash}" \
            --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' "$@" - "${image}" >/dev/null
    if [[ -n "${previous}" ]]; then
        docker image rm "${previous}" >/dev/null 2>&1 || true
    fi
    echo "Built ${image} in $(( SECONDS - started )) s."
}

build "${Infrastructure__PostgresImage}" "${here}/images/postgres/entrypoint.sh" postgresql-15,util-linux \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'EXPOSE 5432'

build "${Infrastructure__RabbitMqImage}" "${here}/images/rabbitmq/entrypoint.sh" rabbitmq-server,util-linux \
    --change 'ENV PATH=/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'EXPOSE 5672' \
    --change 'EXPOSE 15672'
