#!/usr/bin/env bash
# Usage: migrate.sh ENV_NAME
# Applies migrations/ to the stack's database before its code deploys (migrations are
# additive: the running code keeps working on the new schema; the new code never meets the old
# one). The database URL comes from the stack's secret and is masked in the job's log; migrating
# needs no signing secret and no provider.
set -euo pipefail

env_name=${1:?usage: migrate.sh ENV_NAME}
here=$(cd "$(dirname "$0")" && pwd)
url=$(python3 "$here/stack_database.py" url --env-name "$env_name")
if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
  echo "::add-mask::$url"
fi
DATABASE_URL=$url asset-engine migrate
