-- wrk script for the benchmarks: POST /citizen-card with a random English name.
-- Counts statuses so the report can say how many answers were not 201.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local syllables = {"Gin", "ger", "Cus", "tard", "Mint", "Choco", "Berry", "Vanil", "Waf", "fle", "Pud", "ding"}
request = function()
  local name = syllables[math.random(#syllables)] .. syllables[math.random(#syllables)] .. " Cookie"
  return wrk.format(nil, "/citizen-card", nil, '{"nameOnCard": "' .. name .. '", "language": "en"}')
end
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  for status, count in pairs(statuses) do io.write(string.format("status %d %d\n", status, count)) end
  io.write(string.format("p50_us %d\np90_us %d\np99_us %d\n", latency:percentile(50), latency:percentile(90),
                         latency:percentile(99)))
end
