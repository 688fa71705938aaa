# Sourced by the HTTP benchmarks: seed_flags URL ADMIN_KEY COUNT creates COUNT flags in the
# default project — every fifth a 50 % multivariate flag with a payload, the others a rollout
# behind two property filters (plan, email) — the mix the evaluate figures are measured on.
seed_flags() {
  local url=$1 admin=$2 count=$3 i body
  for i in $(seq 1 "$count"); do
    if [ $((i % 5)) -eq 0 ]; then
      body='{"key":"flag-'$i'","filters":{"groups":[{"properties":[],"rollout_percentage":50}],"multivariate":{"variants":[{"key":"control","rollout_percentage":50},{"key":"test","rollout_percentage":50}]},"payloads":{"test":{"model":"gpt-4o-mini"}}}}'
    else
      body='{"key":"flag-'$i'","filters":{"groups":[{"properties":[{"key":"plan","operator":"exact","value":["pro","enterprise"]},{"key":"email","operator":"icontains","value":"@example.com"}],"rollout_percentage":'$((i * 4 % 100))'}]}}'
    fi
    curl -sf -o /dev/null -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
      -d "$body" "$url/api/v1/projects/default/flags"
  done
}
