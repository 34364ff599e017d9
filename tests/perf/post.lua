-- wrk script for the benchmarks: POST /citizen-card with a random English name.
-- Prints latency percentiles for the report; statuses come from wrk's own summary.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local syllables = {"Gin", "ger", "Cus", "tard", "Mint", "Choco", "Berry", "Vanil", "Waf", "fle", "Pud", "ding"}
request = function()
  local name = syllables[math.random(#syllables)] .. syllables[math.random(#syllables)] .. " Cookie"
  return wrk.format(nil, "/citizen-card", nil, '{"nameOnCard": "' .. name .. '", "language": "en"}')
end
done = function(summary, latency, requests)
  io.write(string.format("p50_us %d\np90_us %d\np99_us %d\n", latency:percentile(50), latency:percentile(90),
                         latency:percentile(99)))
end
