#!/bin/sh
# Stand-in for the official rabbitmq:*-management image's entrypoint, on Debian's rabbitmq-server.
# Honours RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS, serves AMQP on 5672 and the management UI on 15672,
# and logs to stdout.
set -eu

: "${RABBITMQ_DEFAULT_USER:=guest}"
: "${RABBITMQ_DEFAULT_PASS:=guest}"
# A fixed node name: RabbitMQ keeps its data per node name, and a container's hostname changes on every run,
# so without this a named volume would look empty after a restart.
export RABBITMQ_NODENAME="${RABBITMQ_NODENAME:-rabbit@localhost}"
export HOME=/var/lib/rabbitmq

mkdir -p /etc/rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
cat > /etc/rabbitmq/rabbitmq.conf <<CONF
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER}
default_pass = ${RABBITMQ_DEFAULT_PASS}
listeners.tcp.default = 5672
management.tcp.port = 15672
log.console = true
log.console.level = info
log.file = false
CONF
echo "[rabbitmq_management]." > /etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /etc/rabbitmq /var/lib/rabbitmq /var/log/rabbitmq

exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
