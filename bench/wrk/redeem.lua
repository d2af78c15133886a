-- POST /self-service/login redeeming pre-generated codes, each once. args[1] = file of
-- "flow<TAB>code<TAB>email" lines, args[2] = number of wrk threads (each takes every n-th line).
package.path = "./wrk/?.lua;" .. package.path
require "common"

function init(args)
  local threads = tonumber(args[2])
  items, i = {}, 0
  local k = 0
  for line in io.lines(args[1]) do
    if k % threads == id then table.insert(items, line) end
    k = k + 1
  end
  count_init()
end

function request()
  i = i + 1
  local line = items[i]
  if not line then
    -- out of codes: ask for something harmless so wrk keeps its rhythm; counted as bad
    return wrk.format("GET", "/q/health/live")
  end
  local flow, code, email = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
  return wrk.format("POST", "/self-service/login?flow=" .. flow, { ["Content-Type"] = "application/json" },
    '{"method":"code","identifier":"' .. email .. '","code":"' .. code .. '"}')
end

function response(status, headers, body)
  count(status == 200 and body:find('"session_token"', 1, true) ~= nil)
end
