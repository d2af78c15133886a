-- GET /sessions/whoami with a valid session token (args[1]); with args[2], ?tokenize_as=args[2] (whoami-jwt), and the
-- answer must carry the signed JWT.
package.path = "./wrk/?.lua;" .. package.path
require "common"

function init(args)
  local path = args[2] and ("/sessions/whoami?tokenize_as=" .. args[2]) or "/sessions/whoami"
  jwt = args[2] ~= nil
  req = wrk.format("GET", path, { ["X-Session-Token"] = args[1] })
  count_init()
end

function request() return req end

function response(status, headers, body)
  count(status == 200 and (not jwt or string.find(body, '"tokenized":"', 1, true) ~= nil))
end
