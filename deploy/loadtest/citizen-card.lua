-- wrk scenario equivalent to artillery.yaml: POST /citizen-card with a random
-- nameOnCard per request and language "en".
--
--   wrk -t2 -c32 -d30s -s deploy/loadtest/citizen-card.lua http://127.0.0.1:8080
--
-- wrk keeps a fixed number of connections busy (closed loop); for a fixed arrival
-- rate (open loop, like Artillery's arrivalRate) use wrk2's `-R <rate>` with this
-- same script. At the end it prints the status codes it saw and how many were not
-- 2xx (wrk's own summary lumps every non-2xx/3xx together).

local first = { "Ginger", "Choco", "Matcha", "Vanilla", "Strawberry", "Mint", "Caramel",
                "Pumpkin", "Sesame", "Honey", "Cocoa", "Butter", "Lemon", "Berry" }
local second = { "Brave", "Dream", "Sparkle", "Pie", "Crunch", "Drop", "Swirl", "Puff",
                 "Chip", "Whirl", "Twist", "Crumb" }
local korean = { "준성맛 쿠키", "용감한 쿠키", "딸기맛 쿠키", "마법사맛 쿠키" }

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}          -- per-thread globals, read back in done()
  non2xx = 0
  ok2xx = 0
  math.randomseed(os.time() * 100 + id)
  wrk.method = "POST"
  wrk.path = "/citizen-card"
  wrk.headers["Content-Type"] = "application/json"
end

local function random_name()
  if math.random(5) == 1 then
    return korean[math.random(#korean)] .. " " .. math.random(99)
  end
  return first[math.random(#first)] .. second[math.random(#second)] .. " " .. math.random(9999)
end

function request()
  local body = '{"nameOnCard": "' .. random_name() .. '", "language": "en"}'
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  else
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad, merged = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok2xx")
    total_bad = total_bad + thread:get("non2xx")
    local seen = thread:get("statuses")
    for status, n in pairs(seen) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local codes = {}
  for status, n in pairs(merged) do
    table.insert(codes, status .. "=" .. n)
  end
  table.sort(codes)
  io.write(string.format("citizen-card: 2xx responses: %d, non-2xx responses: %d\n", total_ok, total_bad))
  io.write("citizen-card: status codes: " .. table.concat(codes, " ") .. "\n")
  io.write(string.format("citizen-card: p50 %.1f ms, p99 %.1f ms\n",
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
