#!/usr/bin/env bash
# Usage: deploy.sh TARGET STACK ENV_NAME TEMPLATE
#   TARGET    staging | prod | preview
#   TEMPLATE  the packaged template (sam package's output) of the commit being deployed
# Deploys without prompting (prod's approval is its GitHub environment's), then prints the
# stack's ApiUrl and writes it to $GITHUB_OUTPUT (api_url) and the job summary.
#
# Optional settings from the environment, each passed only when set (sam deploy refuses an
# empty `Name=`): GOOGLE_CLIENT_ID, CORS_ORIGINS (comma-separated), PUBLIC_API_URL,
# UPSTASH_REDIS_REST_URL, RUNPOD_SDXL_ENDPOINT, SUPABASE_URL, ALARM_EMAIL,
# AI_RESERVED_CONCURRENCY, ARTIFACT_BUCKET (+ ARTIFACT_PREFIX) for sam deploy's uploads.
# SAM and AWS name the commands (tests put recorders there).
set -euo pipefail

target=${1:?usage: deploy.sh TARGET STACK ENV_NAME TEMPLATE}
stack=${2:?stack}
env_name=${3:?env name}
template=${4:?packaged template}
sam=${SAM:-sam}
aws=${AWS:-aws}

case "$target" in
  staging) overrides=(AppEnv=staging Providers=real SnapStart=on) ;;
  prod) overrides=(AppEnv=prod Providers=real SnapStart=on LogRetentionDays=90) ;;
  # A preview: dev sign-in gated by its own code, offline providers (said explicitly), no
  # reserved concurrency (the account's pool is shared by every preview), short log retention.
  preview) overrides=(AppEnv=dev Providers=mock SnapStart=off AiReservedConcurrency=0 LogRetentionDays=7) ;;
  *) echo "deploy.sh: unknown target $target" >&2; exit 2 ;;
esac
overrides+=("EnvName=$env_name" "LogLevel=${LOG_LEVEL:-INFO}")

add_if_set() { # add_if_set ParameterName VALUE
  if [ -n "${2:-}" ]; then overrides+=("$1=$2"); fi
}
add_if_set GoogleClientId "${GOOGLE_CLIENT_ID:-}"
add_if_set CorsOrigins "${CORS_ORIGINS:-}"
add_if_set PublicApiUrl "${PUBLIC_API_URL:-}"
add_if_set UpstashRedisRestUrl "${UPSTASH_REDIS_REST_URL:-}"
add_if_set RunpodSdxlEndpoint "${RUNPOD_SDXL_ENDPOINT:-}"
add_if_set SupabaseUrl "${SUPABASE_URL:-}"
add_if_set AlarmEmail "${ALARM_EMAIL:-}"
if [ "$target" != preview ]; then
  add_if_set AiReservedConcurrency "${AI_RESERVED_CONCURRENCY:-}"
fi

uploads=(--resolve-s3)
if [ -n "${ARTIFACT_BUCKET:-}" ]; then
  uploads=(--s3-bucket "$ARTIFACT_BUCKET" --s3-prefix "${ARTIFACT_PREFIX:-asset-engine}")
fi

"$sam" deploy --template-file "$template" --stack-name "$stack" \
  --capabilities CAPABILITY_IAM --no-confirm-changeset --no-fail-on-empty-changeset \
  --no-progressbar "${uploads[@]}" \
  --tags "project=asset-engine" "env=$env_name" \
  --parameter-overrides "${overrides[@]}"

api_url=$("$aws" cloudformation describe-stacks --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue" --output text)
echo "$api_url"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "api_url=$api_url" >> "$GITHUB_OUTPUT"
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### $stack"
    echo
    echo "- API: $api_url (health: $api_url/health?deep=1)"
    echo "- Secrets: Secrets Manager \`asset-engine/$env_name\`"
    if [ "$target" = preview ]; then
      echo "- Sign in: the developer sign-in with the stack's code, read with"
      echo "  \`aws secretsmanager get-secret-value --secret-id asset-engine/$env_name --query SecretString --output text | jq -r .DEV_SIGN_IN_CODE\`"
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi
