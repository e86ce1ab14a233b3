#!/bin/sh
# Writes this pod's valkey.conf and sentinel.conf into /data/conf (an emptyDir).
# The pod replicates from the current primary, as the sentinels report it; when no sentinel
# answers (a fresh cluster), valkey-0 is the primary. Valkey keeps nothing on disk: everything
# in it (rate-limit windows, plans, OSAGO quotes, APQ bodies) is rebuilt or expires.
set -eu
domain="valkey-headless.${POD_NAMESPACE}.svc.cluster.local"
self="${POD_NAME}.${domain}"
primary=""
for i in 0 1 2; do
  peer="valkey-${i}.${domain}"
  [ "$peer" = "$self" ] && continue
  answer="$(valkey-cli -h "$peer" -p 26379 SENTINEL get-master-addr-by-name insuretech 2>/dev/null | head -n 1 || true)"
  if [ -n "$answer" ]; then
    primary="$answer"
    break
  fi
done
[ -n "$primary" ] || primary="valkey-0.${domain}"
mkdir -p /data/conf
{
  echo "port 6379"
  echo "protected-mode no"
  echo "requirepass \"${VALKEY_PASSWORD}\""
  echo "masterauth \"${VALKEY_PASSWORD}\""
  echo "replica-announce-ip ${self}"
  echo "save \"\""
  echo "appendonly no"
  echo "maxmemory ${VALKEY_MAXMEMORY}"
  echo "maxmemory-policy allkeys-lru"
  [ "$primary" = "$self" ] || echo "replicaof ${primary} 6379"
} > /data/conf/valkey.conf
{
  echo "port 26379"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip ${self}"
  echo "sentinel monitor insuretech ${primary} 6379 2"
  echo "sentinel auth-pass insuretech \"${VALKEY_PASSWORD}\""
  echo "sentinel down-after-milliseconds insuretech 5000"
  echo "sentinel failover-timeout insuretech 60000"
  echo "sentinel parallel-syncs insuretech 1"
} > /data/conf/sentinel.conf
echo "valkey-init: ${self} replicates from ${primary}"
