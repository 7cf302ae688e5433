#!/usr/bin/env bash
# Usage:
#   vercel.sh origin BRANCH           print the branch's Vercel preview origin (for CORS)
#   vercel.sh publish BRANCH API_URL  set NEXT_PUBLIC_API_URL=API_URL on the branch's Vercel
#                                     previews and rebuild the branch (the value is inlined
#                                     at build time)
# Settings (environment): VERCEL_PROJECT_NAME and VERCEL_SCOPE (the team or account slug) for
# `origin`; VERCEL_TOKEN, VERCEL_PROJECT_ID, optional VERCEL_TEAM_ID, GITHUB_REPOSITORY_ID and
# COMMIT_SHA for `publish`. Missing settings: says so and does nothing (exit 0), so a fork
# without Vercel still deploys its stacks.
set -euo pipefail
export LC_ALL=C

action=${1:?usage: vercel.sh origin|publish BRANCH [API_URL]}
branch=${2:?branch}
api=${VERCEL_API:-https://api.vercel.com}

case "$action" in
  origin)
    if [ -z "${VERCEL_PROJECT_NAME:-}" ] || [ -z "${VERCEL_SCOPE:-}" ]; then
      exit 0
    fi
    # Vercel's branch URL: <project>-git-<branch, lower-cased, other characters as '-'>-<scope>.
    # (Vercel shortens labels over 63 characters with a hash of its own; list such origins in
    # PREVIEW_CORS_ORIGINS instead.)
    slug=$(printf '%s' "$branch" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//')
    echo "https://${VERCEL_PROJECT_NAME}-git-${slug}-${VERCEL_SCOPE}.vercel.app"
    ;;
  publish)
    api_url=${3:?API_URL}
    if [ -z "${VERCEL_TOKEN:-}" ] || [ -z "${VERCEL_PROJECT_ID:-}" ]; then
      echo "vercel.sh: VERCEL_TOKEN / VERCEL_PROJECT_ID unset: NEXT_PUBLIC_API_URL not published"
      exit 0
    fi
    query=${VERCEL_TEAM_ID:+teamId=$VERCEL_TEAM_ID}
    call() { # call METHOD PATH QUERY JSON
      curl --fail-with-body --silent --show-error -X "$1" "$api$2?$3" \
        -H "Authorization: Bearer $VERCEL_TOKEN" -H "Content-Type: application/json" \
        --data "$4"
    }
    env_body=$(jq -n --arg url "$api_url" --arg branch "$branch" \
      '{key: "NEXT_PUBLIC_API_URL", value: $url, type: "plain", target: ["preview"], gitBranch: $branch}')
    call POST "/v10/projects/$VERCEL_PROJECT_ID/env" "upsert=true${query:+&$query}" "$env_body" >/dev/null
    echo "vercel: NEXT_PUBLIC_API_URL=$api_url for the previews of $branch"
    if [ -n "${GITHUB_REPOSITORY_ID:-}" ]; then
      deploy_body=$(jq -n --arg project "$VERCEL_PROJECT_ID" --arg repo "$GITHUB_REPOSITORY_ID" \
        --arg ref "$branch" --arg sha "${COMMIT_SHA:-}" \
        '{name: $project, project: $project,
          gitSource: ({type: "github", repoId: $repo, ref: $ref} + (if $sha == "" then {} else {sha: $sha} end))}')
      url=$(call POST "/v13/deployments" "forceNew=1${query:+&$query}" "$deploy_body" | jq -r '.url // empty')
      echo "vercel: rebuilding $branch${url:+ at https://$url}"
    fi
    ;;
  *) echo "vercel.sh: unknown action $action" >&2; exit 2 ;;
esac
