-- Login flow create (GET /self-service/login/api) then send (POST) for distinct known addresses
-- seed-<n>@bench.example.com, n from args[2] upward; args[1] = number of seeded identities.
-- Responses to creates feed a per-thread queue of flow ids that the next requests send to; only sends count.
package.path = "./wrk/?.lua;" .. package.path
require "common"

function init(args)
  seeded = tonumber(args[1])
  offset = tonumber(args[2] or "0")
  n = id
  queue = {}
  count_init()
  sends = 0
end

function request()
  local flow = table.remove(queue)
  if flow then
    local email = "seed-" .. ((offset + n) % seeded) .. "@bench.example.com"
    n = n + 4
    return wrk.format("POST", "/self-service/login?flow=" .. flow, { ["Content-Type"] = "application/json" },
      '{"method":"code","identifier":"' .. email .. '"}')
  end
  return wrk.format("GET", "/self-service/login/api")
end

function response(status, headers, body)
  if status == 200 then
    local flow = body:match('"id":"([0-9a-f%-]+)"')
    if flow then table.insert(queue, flow) else count(false) end
  else
    count(status == 400 and body:find('"sent_email"', 1, true) ~= nil)
  end
end
