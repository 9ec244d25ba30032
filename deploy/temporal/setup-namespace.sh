#!/bin/sh
# Once the server answers: the namespace, and the search attributes every run carries
# (temporal_workflows/contracts.py SEARCH_ATTRIBUTES) so operators can filter runs by
# tenant, agent, version, chat and status in the Temporal UI. Safe to run again.
set -eu
ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"
NAMESPACE="${NAMESPACE:-default}"
tries=0
until temporal operator cluster health --address "$ADDRESS" | grep -q SERVING; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || { echo "Temporal did not become healthy"; exit 1; }
    sleep 2
done
temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1 \
    || temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention 7d
until temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; do
    sleep 1
done
for name in TenantId AgentId AgentVersionId ChatId RunStatus; do
    if ! temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" | grep -qw "$name"; then
        temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
            --name "$name" --type Keyword
    fi
done
echo "namespace $NAMESPACE and search attributes are ready"
