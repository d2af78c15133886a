-- GET /sessions/whoami with a valid session token (args[1]).
package.path = "./wrk/?.lua;" .. package.path
require "common"

function init(args)
  req = wrk.format("GET", "/sessions/whoami", { ["X-Session-Token"] = args[1] })
  count_init()
end

function request() return req end

function response(status) count(status == 200) end
