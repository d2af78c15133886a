-- Shared by the Iris wrk scripts: per-thread ids, outcome counting, and a CHECK line at the end.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function count_init()
  ok, bad = 0, 0
end

function count(good)
  if good then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local o, b = 0, 0
  for _, t in ipairs(threads) do
    o = o + (t:get("ok") or 0)
    b = b + (t:get("bad") or 0)
  end
  io.write(string.format("CHECK ok=%d bad=%d\n", o, b))
end
