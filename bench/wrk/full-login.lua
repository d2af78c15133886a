-- A whole sign-in, end to end: create a login flow, send the email to a distinct known address, read the
-- 6-digit code from what the SMTP sink received, redeem it. Only completed sign-ins (a session_token) count.
-- args[1] = number of seeded identities, args[2] = first address index, args[3] = the sink's file of
-- "flow<TAB>code<TAB>email" lines. Each thread tails that file for the flows it sent. While a thread waits for
-- mail and has MAX_WAITING flows out, it fetches one of its flows (what a waiting UI does) instead of starting
-- more.
package.path = "./wrk/?.lua;" .. package.path
require "common"

local MAX_WAITING = 64

function init(args)
  seeded = tonumber(args[1])
  offset = tonumber(args[2] or "0")
  sink = io.open(args[3], "r")
  sink:seek("end")  -- earlier runs' mail is of no use: every flow this run waits for is mailed after this
  n = id
  fresh, waiting, ready, sent = {}, {}, {}, {}
  nwaiting = 0
  partial = ""
  count_init()
end

-- Only whole lines count: a read can catch the sink in the middle of writing one (seen once in ~100,000 sign-ins:
-- a cut-off address, so a redeem that had to fail), so what follows the last newline waits for the next poll.
local function poll_sink()
  sink:seek("cur")  -- clears end-of-file, so what was written since is read
  local chunk = sink:read("*a")
  if not chunk or chunk == "" then return end
  partial = partial .. chunk
  local rest = 1
  for line, after in partial:gmatch("([^\n]*)\n()") do
    rest = after
    local flow, code, email = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)$")
    if flow and waiting[flow] then
      waiting[flow] = nil
      nwaiting = nwaiting - 1
      table.insert(ready, { flow, code, email })
    end
  end
  partial = partial:sub(rest)
end

local function post(flow, body)
  return wrk.format("POST", "/self-service/login?flow=" .. flow, { ["Content-Type"] = "application/json" }, body)
end

function request()
  if #ready == 0 and nwaiting > 0 then poll_sink() end
  local item = table.remove(ready)
  if item then
    return post(item[1], '{"method":"code","identifier":"' .. item[3] .. '","code":"' .. item[2] .. '"}')
  end
  local flow = table.remove(fresh)
  if flow then
    local email = "seed-" .. ((offset + n) % seeded) .. "@bench.example.com"
    n = n + 4
    waiting[flow] = email
    sent[flow] = true
    nwaiting = nwaiting + 1
    return post(flow, '{"method":"code","identifier":"' .. email .. '"}')
  end
  if nwaiting >= MAX_WAITING then
    for f in pairs(waiting) do return wrk.format("GET", "/self-service/login/flows?id=" .. f) end
  end
  return wrk.format("GET", "/self-service/login/api")
end

function response(status, headers, body)
  if status == 200 and body:find('"session_token"', 1, true) then
    count(true)
  elseif status == 200 then
    local flow = body:match('"id":"([0-9a-f%-]+)"')
    if not flow then count(false) elseif not sent[flow] then table.insert(fresh, flow) end
  elseif not (status == 400 and body:find('"sent_email"', 1, true)) then
    count(false)
  end
end
