# Sourced by .ci/run: starts Debian's PostgreSQL cluster and exports TEST_DATABASE_URL.
# Tests that need PostgreSQL skip (and say so) when TEST_DATABASE_URL is unset.
pg_start() {
  local version cluster
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  [ -n "$version" ] || { echo "ci: no PostgreSQL installed; its tests will be skipped"; return 0; }
  if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    pg_createcluster "$version" main >/dev/null
  fi
  cluster=$(pg_lsclusters -h | head -1 | awk '{print $1" "$2}')
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start 2>/dev/null || true
  local port
  port=$(pg_lsclusters -h | head -1 | awk '{print $3}')
  su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='livedrop'\"" | grep -q 1 ||
    su postgres -c "psql -p $port -qc \"CREATE ROLE livedrop LOGIN SUPERUSER PASSWORD 'livedrop'\""
  su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='livedrop_test'\"" | grep -q 1 ||
    su postgres -c "createdb -p $port -O livedrop livedrop_test"
  export TEST_DATABASE_URL="postgres://livedrop:livedrop@127.0.0.1:$port/livedrop_test"
  echo "ci: PostgreSQL ready at 127.0.0.1:$port (TEST_DATABASE_URL)"
}
if [ "$(id -u)" -eq 0 ]; then pg_start; else echo "ci: not root, PostgreSQL tests need TEST_DATABASE_URL"; fi
