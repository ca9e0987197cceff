#!/bin/sh
# Entrypoint of the orders service image: installs kuma-dp, then runs it
# beside the application.
set -e
curl -L https://kuma.io/installer.sh | VERSION=2.11.2 sh -
./kuma-2.11.2/bin/kuma-dp run --cp-address=https://kuma-cp-2:5678 --dataplane-file=/etc/kuma/dataplane.yaml &
exec /app/orders
