#!/usr/bin/env bash
# Usage: stack-name.sh BRANCH
# Prints, as name=value lines (ready for $GITHUB_OUTPUT), the names a branch deploys under:
#   env_name  the template's EnvName and the secret's suffix (asset-engine/<env_name>)
#   stack     the CloudFormation stack
#   database  the preview's own database on the preview Postgres server (empty for staging)
# main is staging. Any other branch is a preview named after it: lower-cased, every run of
# other characters made one '-', cut to 28 characters, plus 8 hex of the branch's SHA-256, so
# feature/Foo and feature-foo differ and every name stays within CloudFormation's rules
# (letters, digits, '-', starting with a letter, 128 at most) and Postgres' 63.
set -euo pipefail
export LC_ALL=C

branch=${1:?usage: stack-name.sh BRANCH}
if [ "$branch" = "main" ]; then
  printf 'env_name=staging\nstack=asset-engine-staging\ndatabase=\n'
  exit 0
fi
slug=$(printf '%s' "$branch" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//' | cut -c1-28 | sed -E 's/-+$//')
hash=$(printf '%s' "$branch" | sha256sum | cut -c1-8)
env_name="pr-${slug:+$slug-}$hash"
printf 'env_name=%s\nstack=asset-engine-%s\ndatabase=ae_%s\n' "$env_name" "$env_name" "${env_name//-/_}"
