#!/usr/bin/env bash
# Installs the servers the integration tests start on loopback, when missing: Debian's prometheus,
# prometheus-pushgateway, influxdb (1.6), nginx, wrk, h2load (nghttp2-client), openssl (test
# certificates), chromium and chromium-driver.
set -euo pipefail
declare -A binary_of=(
  [prometheus]=/usr/bin/prometheus
  [prometheus-pushgateway]=/usr/bin/prometheus-pushgateway
  [influxdb]=/usr/bin/influxd
  [nginx]=/usr/sbin/nginx
  [wrk]=/usr/bin/wrk
  [nghttp2-client]=/usr/bin/h2load
  [openssl]=/usr/bin/openssl
  [chromium]=/usr/bin/chromium
  [chromium-driver]=/usr/bin/chromedriver
)
missing=()
for package in "${!binary_of[@]}"; do
  [[ -x "${binary_of[$package]}" ]] || missing+=("$package")
done
(( ${#missing[@]} == 0 )) && exit 0
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  if [[ "${CI:-}" == "true" ]]; then
    # On CI a skipped integration test would make a green build that tested nothing.
    echo "run-tests: missing ${missing[*]} (Debian: apt-get install ${missing[*]}); CI=true, so this fails." >&2
    exit 1
  fi
  echo "run-tests: missing ${missing[*]}; install them (Debian: apt-get install ${missing[*]}) or the integration tests that need them are skipped." >&2
  exit 0
fi
echo "run-tests: installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian starts some of these as services where an init system runs; the tests start their own.
for service in prometheus prometheus-pushgateway influxdb nginx; do
  (command -v systemctl >/dev/null && systemctl stop "$service" 2>/dev/null) || true
done
