-- GET /q/health/live: the framework's ceiling on this machine.
package.path = "./wrk/?.lua;" .. package.path
require "common"

function init(args)
  req = wrk.format("GET", "/q/health/live")
  count_init()
end

function request() return req end

function response(status) count(status == 200) end
