#!/usr/bin/env bash
# Starts the Hyperstore load client in several regions at once, waits for every run, collects the
# result files from S3 and merges them into one report.
#
#   infrastructure/scripts/loadtest.sh [-r "eu-central-1 eu-north-1 eu-west-2"] [-u USERS] [-s SPAWN_RATE]
#                                      [-t DURATION] [-i RUN_ID] [-o OUT_DIR]
#
# Needs the AWS CLI v2 (credentials for the Hyperstore account) and jq; dotnet for the merge (else the
# merge command is printed). Each region must have its load-client stack applied: the script finds
# cluster, task definition, subnets, security group, API URL and bucket in the SSM parameter
# /hyperstore/loadtest/run-config of that region.
set -euo pipefail

regions="eu-central-1 eu-north-1 eu-west-2"
users=50
spawn_rate=10
duration=60s
run_id="$(date -u +%Y%m%dT%H%M%SZ)"
out_dir=""

while getopts "r:u:s:t:i:o:h" opt; do
  case "$opt" in
    r) regions="$OPTARG" ;;
    u) users="$OPTARG" ;;
    s) spawn_rate="$OPTARG" ;;
    t) duration="$OPTARG" ;;
    i) run_id="$OPTARG" ;;
    o) out_dir="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
out_dir="${out_dir:-results/$run_id}"

for tool in aws jq; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

declare -A task_arn cluster_of
bucket=""

echo "run $run_id: $users users at $spawn_rate/s for $duration from: $regions"
for region in $regions; do
  config=$(aws ssm get-parameter --region "$region" --name /hyperstore/loadtest/run-config \
    --query Parameter.Value --output text)
  cluster=$(jq -r .cluster <<<"$config")
  family=$(jq -r .task_definition <<<"$config")
  label=$(jq -r .region_label <<<"$config")
  api_url=$(jq -r .api_url <<<"$config")
  bucket=$(jq -r .results_bucket <<<"$config")
  network=$(jq -c '{awsvpcConfiguration: {subnets: .subnets, securityGroups: .security_groups, assignPublicIp: "ENABLED"}}' <<<"$config")
  overrides=$(jq -nc \
    --arg host "$api_url" --arg u "$users" --arg r "$spawn_rate" --arg t "$duration" \
    --arg label "$label" --arg run "$run_id" \
    '{containerOverrides: [
        {name: "load", command: ["run", "--host", $host, "-u", $u, "-r", $r, "-t", $t,
                                 "--json", "/results/result.json", "--region-label", $label]},
        {name: "upload", environment: [{name: "RUN_ID", value: $run}]}
      ]}')
  started=$(aws ecs run-task --region "$region" --cluster "$cluster" --task-definition "$family" \
    --launch-type FARGATE --count 1 --network-configuration "$network" --overrides "$overrides" \
    --started-by "loadtest-$run_id" --output json)
  # A task ECS could not place is not an error of the call: it is listed under failures, with no task.
  task_arn[$region]=$(jq -r '.tasks[0].taskArn // empty' <<<"$started")
  if [ -z "${task_arn[$region]}" ]; then
    echo "error: $region: no task started: $(jq -c '.failures' <<<"$started")" >&2
    exit 1
  fi
  cluster_of[$region]="$cluster"
  echo "  $region: started ${task_arn[$region]##*/}"
done

failed=0
for region in $regions; do
  # The waiter gives up after 10 minutes (exit code 255); long runs just wait again. Any other failure is reported.
  while true; do
    status=0
    aws ecs wait tasks-stopped --region "$region" --cluster "${cluster_of[$region]}" --tasks "${task_arn[$region]}" || status=$?
    [ "$status" = 0 ] && break
    [ "$status" = 255 ] || { echo "error: $region: waiting for the task failed (exit $status)" >&2; exit 1; }
    echo "  $region: still running"
  done
  code=$(aws ecs describe-tasks --region "$region" --cluster "${cluster_of[$region]}" --tasks "${task_arn[$region]}" \
    --query "tasks[0].containers[?name=='load'].exitCode | [0]" --output text)
  echo "  $region: load client exited with $code"
  [ "$code" = "0" ] || failed=1
done

mkdir -p "$out_dir"
aws s3 cp --recursive --only-show-errors "s3://$bucket/runs/$run_id/" "$out_dir/"
shopt -s nullglob
files=("$out_dir"/*.json)
[ "${#files[@]}" -gt 0 ] || { echo "no results in s3://$bucket/runs/$run_id/" >&2; exit 1; }

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
merge=(dotnet run --project "$repo_root/src/LoadTest/Hyperstore.LoadTest.csproj" -c Release -- merge "${files[@]}" --html "$out_dir/report.html")
if command -v dotnet >/dev/null; then
  "${merge[@]}"
  aws s3 cp --only-show-errors "$out_dir/report.html" "s3://$bucket/runs/$run_id/report.html"
  echo "report: $out_dir/report.html (and s3://$bucket/runs/$run_id/report.html)"
else
  echo "dotnet not found; merge with: ${merge[*]}"
fi

[ "$failed" -eq 0 ] || { echo "at least one region missed its thresholds or failed" >&2; exit 1; }
